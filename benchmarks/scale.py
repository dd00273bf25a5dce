"""How search holds up at 10,000 and 100,000 chunks: exact vs IVF latency and recall, disk, memory.

Run from the repo root:  python benchmarks/scale.py [--sizes 10000 100000] [--exact-only 25000 50000]

Synthetic corpus: real chunks of the four articles (documents.load_corpus +
chunks.chunk_document) are recombined: each new chunk takes as many sentences
as a real chunk has, drawn from one article and shuffled (seed fixed). Size n
is the first n chunks of the largest set, so sizes are nested.

Vectors: the real model embeds the real chunks and sentences first, which
gives the embedding throughput. If embedding a size would take longer than
--embed-budget seconds at that rate, its vectors are derived instead: a chunk's
vector is the mean of the real vectors of its sentences, a sentence's vector is
its real vector, each plus gaussian noise (sigma per dimension --noise, default
0.01) and re-normalised. The output says which was used.

Queries: real questions from eval/questions*.jsonl, embedded with the real model.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

import common  # noqa: F401  (sets the offline environment and sys.path first)
from common import ROOT, machine_line, percentile, read_questions, status_kb

from chatbot.chunks import Chunk, Sentence, chunk_document
from chatbot.documents import load_corpus
from chatbot.embeddings import default_embedder
from chatbot.indexer import sentence_embedding_text
from chatbot.retrieval import Retriever
from chatbot.settings import Settings
from chatbot.store import APPROXIMATE_FROM, build_approximate, load_index, new_manifest, write_index
from chatbot.text import expand_lay_terms

EF_SEARCH = (16, 32, 64, 128)
DEPTH = 50  # what Retriever.search asks FAISS for


def rss_mb() -> float:
    return status_kb("self", "VmRSS") / 1024


def normalised(vectors: np.ndarray) -> np.ndarray:
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def real_material(embedder) -> tuple[list[Chunk], np.ndarray, np.ndarray, dict]:
    """Real chunks, their vectors, their sentence vectors, and the measured embedding rates."""
    settings = Settings()
    chunks = [c for d in load_corpus(settings.corpus_dir).documents
              for c in chunk_document(d, settings.chunk_words, settings.overlap_sentences)]
    embedder.encode(["warm up"])
    started = time.perf_counter()
    chunk_vectors = embedder.encode([c.embedding_text() for c in chunks])
    chunk_seconds = time.perf_counter() - started
    sentence_texts = [sentence_embedding_text(c, s) for c in chunks for s in c.sentences]
    started = time.perf_counter()
    sentence_vectors = embedder.encode(sentence_texts)
    sentence_seconds = time.perf_counter() - started
    rates = {"chunks_per_s": len(chunks) / chunk_seconds, "sentences_per_s": len(sentence_texts) / sentence_seconds}
    return chunks, chunk_vectors, sentence_vectors, rates


def synthetic_chunks(real: list[Chunk], n: int, seed: int) -> tuple[list[Chunk], list[int], list[int]]:
    """n recombined chunks, plus for every synthetic sentence its real sentence row and real chunk id."""
    rng = random.Random(seed)
    pools: dict[str, list[tuple[int, int, Sentence]]] = {}
    row = 0
    for chunk_id, chunk in enumerate(real):
        for sentence in chunk.sentences:
            pools.setdefault(chunk.doc_id, []).append((row, chunk_id, sentence))
            row += 1
    doc_of = [c.doc_id for c in real]  # picking a real chunk's article weights articles by size
    sizes = [len(c.sentences) for c in real]
    chunks, sentence_rows, source_chunks = [], [], []
    for i in range(n):
        pool = pools[rng.choice(doc_of)]
        picked = rng.sample(pool, min(rng.choice(sizes), len(pool)))
        sentences, cursor = [], 0
        for real_row, chunk_id, s in picked:
            sentences.append(Sentence(cursor, cursor + len(s.text), s.text, s.in_list, s.lead_in))
            cursor += len(s.text) + 1
            sentence_rows.append(real_row)
            source_chunks.append(chunk_id)
        first = real[picked[0][1]]
        text = " ".join(s.text for s in sentences)
        chunks.append(Chunk(f"synthetic-{i // 1000:03d}.md", first.title, first.section, 0, len(text), text,
                            tuple(sentences)))
    return chunks, sentence_rows, source_chunks


def derived_vectors(chunks, sentence_rows, source_chunks, real_chunk_vectors, real_sentence_vectors,
                    noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    dim = real_chunk_vectors.shape[1]
    starts = np.cumsum([0] + [len(c.sentences) for c in chunks[:-1]])
    counts = np.array([len(c.sentences) for c in chunks], dtype=np.float32)[:, None]
    # A recombined chunk's vector is the mean of its sentences' real vectors: chunks made of
    # different sentences differ, as real chunks do (the chunk-vector mean made near-copies).
    mixed = np.add.reduceat(real_sentence_vectors[np.array(sentence_rows)], starts, axis=0) / counts
    chunk_vectors = normalised(mixed + noise * rng.standard_normal((len(chunks), dim), dtype=np.float32))
    sentence_vectors = real_sentence_vectors[np.array(sentence_rows)]
    sentence_vectors += noise * rng.standard_normal(sentence_vectors.shape, dtype=np.float32)
    return chunk_vectors, normalised(sentence_vectors)


def real_vectors(embedder, chunks) -> tuple[np.ndarray, np.ndarray, float]:
    started = time.perf_counter()
    chunk_vectors = embedder.encode([c.embedding_text() for c in chunks])
    sentence_vectors = embedder.encode([sentence_embedding_text(c, s) for c in chunks for s in c.sentences])
    return chunk_vectors, sentence_vectors, time.perf_counter() - started


def query_latencies_ms(index: faiss.Index, queries: np.ndarray, k: int) -> list[float]:
    for q in queries[:10]:  # warm caches
        index.search(q[None, :], k)
    times = []
    for q in queries:
        started = time.perf_counter()
        index.search(q[None, :], k)
        times.append((time.perf_counter() - started) * 1000)
    return times


def nearest_neighbour_cosine(vectors: np.ndarray, sample: int = 2000) -> float:
    """Median cosine of a vector with its nearest other vector: how crowded the space is."""
    similarities = vectors[:sample] @ vectors.T
    return float(np.median(np.sort(similarities, axis=1)[:, -2]))


def quality(index: faiss.Index, queries, truth10, truth50, exact_scores10) -> dict:
    """recall@10, recall@50 against exact search, and how much cosine the approximate top 10 gives up."""
    scores10, found10 = index.search(queries, 10)
    return {"r10": recall(found10, truth10), "r50": recall(index.search(queries, DEPTH)[1], truth50),
            "loss": float(np.mean(exact_scores10.mean(axis=1) - scores10.mean(axis=1)))}


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    k = truth.shape[1]
    return float(np.mean([len(set(f) & set(t)) / k for f, t in zip(found, truth)]))


def latency_row(index: faiss.Index, queries, threads: int) -> dict:
    default = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads)
    try:
        times = query_latencies_ms(index, queries, 10)
        depth = query_latencies_ms(index, queries, DEPTH)
    finally:
        faiss.omp_set_num_threads(default)
    return {"threads": threads, "p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
            "p95_depth": percentile(depth, 0.95)}


def exact_rows(vectors, queries, threads: list[int]) -> tuple[list[tuple[str, dict]], tuple]:
    before = rss_mb()
    started = time.perf_counter()
    index = faiss.IndexFlatIP(vectors.shape[1])  # inner product on unit vectors is cosine similarity
    index.add(vectors)
    build = {"build_s": time.perf_counter() - started, "rss_mb": rss_mb() - before,
             "r10": 1.0, "r50": 1.0, "loss": 0.0}
    scores10, truth10 = index.search(queries, 10)
    rows = [("exact FlatIP", {**build, **latency_row(index, queries, t)}) for t in threads]
    return rows, (truth10, index.search(queries, DEPTH)[1], scores10)


def approximate_rows(vectors, queries, truth) -> list[tuple[str, dict]]:
    """The product's approximate index (store.build_approximate), at its own nprobe and around it."""
    before = rss_mb()
    started = time.perf_counter()
    index = build_approximate(vectors)
    index.add(vectors)
    build = {"build_s": time.perf_counter() - started, "rss_mb": rss_mb() - before}
    shipped = index.nprobe
    rows = []
    for nprobe in sorted({max(1, shipped // 2), shipped, shipped * 2}):
        index.nprobe = nprobe
        label = f"IVF nprobe={nprobe}" + (" *" if nprobe == shipped else "")
        rows.append((label, {**build, **latency_row(index, queries, faiss.omp_get_max_threads()),
                             **quality(index, queries, *truth)}))
    return rows


def disk_and_retrieval(chunks, chunk_vectors, sentence_vectors, queries, query_texts, workdir: Path) -> str:
    """Write the index as the product does, load it back, and time Retriever.search without embedding."""
    index_dir = workdir / f"index-{len(chunks)}"
    manifest = new_manifest({"name": "all-MiniLM-L6-v2", "weights_sha256": "synthetic"}, chunk_vectors.shape[1],
                            Settings().chunking(), {}, len(chunks), len(sentence_vectors), 0.0)
    started = time.perf_counter()
    write_index(index_dir, manifest, chunks, chunk_vectors, sentence_vectors)
    written = time.perf_counter() - started
    sizes = {p.name: p.stat().st_size / 1e6 for p in index_dir.iterdir()}
    started = time.perf_counter()
    stored = load_index(index_dir)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    retriever = Retriever(stored, embedder=None)  # never embeds: query vectors are passed in
    bm25 = time.perf_counter() - started
    for text, vector in zip(query_texts[:10], queries[:10]):
        retriever.search(text, query_vector=vector)
    times = []
    for text, vector in zip(query_texts, queries):
        started = time.perf_counter()
        retriever.search(text, query_vector=vector)
        times.append((time.perf_counter() - started) * 1000)
    lexical = []
    for text in query_texts:  # the lexical half of Retriever.search on its own
        started = time.perf_counter()
        scores = retriever.bm25.score(expand_lay_terms(text))
        np.argsort(-scores)[:DEPTH]
        lexical.append((time.perf_counter() - started) * 1000)
    kind = type(faiss.downcast_index(stored.vectors.index)).__name__
    shutil.rmtree(index_dir, ignore_errors=True)
    return (f"  index on disk {sum(sizes.values()):.1f} MB ("
            + ", ".join(f"{k} {v:.1f}" for k, v in sorted(sizes.items())) + f"); write_index {written:.1f} s\n"
            f"  load_index {loaded:.1f} s, BM25 build {bm25:.1f} s; Retriever.search without embedding "
            f"({kind}, dense+BM25+fusion): p50 {percentile(times, 0.5):.2f} ms, p95 {percentile(times, 0.95):.2f} ms;\n"
            f"  of which BM25 score + argsort: p50 {percentile(lexical, 0.5):.2f} ms, "
            f"p95 {percentile(lexical, 0.95):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--exact-only", type=int, nargs="*", default=[25_000, 50_000],
                        help="extra sizes timed with exact search only")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--noise", type=float, default=0.01, help="gaussian sigma per dimension")
    parser.add_argument("--embed-budget", type=float, default=240, help="max seconds of real embedding per size")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(machine_line())
    print(f"faiss {faiss.__version__}, {faiss.omp_get_max_threads()} OpenMP threads; "
          f"store.APPROXIMATE_FROM = {APPROXIMATE_FROM:,}")

    embedder = default_embedder()
    real, real_chunk_vectors, real_sentence_vectors, rates = real_material(embedder)
    print(f"real material: {len(real)} chunks, {len(real_sentence_vectors)} sentences; real embedding rate "
          f"{rates['chunks_per_s']:.1f} chunks/s, {rates['sentences_per_s']:.1f} sentences/s")
    texts = [q["question"] for path in sorted((ROOT / "eval").glob("questions*.jsonl"))
             for q in read_questions(path)][:args.queries]
    queries = embedder.encode(texts)

    largest = max(args.sizes + args.exact_only)
    started = time.perf_counter()
    all_chunks, sentence_rows, source_chunks = synthetic_chunks(real, largest, args.seed)
    all_chunk_vectors, all_sentence_vectors = derived_vectors(
        all_chunks, sentence_rows, source_chunks, real_chunk_vectors, real_sentence_vectors, args.noise, args.seed)
    print(f"synthetic: {largest:,} chunks, {len(all_sentence_vectors):,} sentences, derived vectors "
          f"(noise sigma {args.noise}) in {time.perf_counter() - started:.1f} s; {len(texts)} real queries")

    real_nn, synthetic_nn = nearest_neighbour_cosine(real_chunk_vectors), nearest_neighbour_cosine(all_chunk_vectors)
    print(f"crowding check: median cosine to the nearest other chunk, real {real_nn:.3f}, synthetic {synthetic_nn:.3f}")

    table, p95_by_threads = [], {}
    threads = sorted({faiss.omp_get_max_threads(), 1}, reverse=True)
    workdir = Path(tempfile.mkdtemp(prefix="sibot-scale-"))
    try:
        for n in sorted(set(args.sizes + args.exact_only)):
            chunks = all_chunks[:n]
            n_sentences = sum(len(c.sentences) for c in chunks)
            chunk_vectors, sentence_vectors = all_chunk_vectors[:n], all_sentence_vectors[:n_sentences]
            seconds_needed = n / rates["chunks_per_s"] + n_sentences / rates["sentences_per_s"]
            source = "DERIVED (mean of real sentence vectors, slight noise)"
            if n in args.sizes and seconds_needed <= args.embed_budget:
                chunk_vectors, sentence_vectors, took = real_vectors(embedder, chunks)
                source = f"REAL model, {n / took:.1f} chunks/s incl. their sentences"
            print(f"\n{n:,} chunks: vectors {source}; real embedding would take about {seconds_needed / 60:.1f} "
                  f"min ({n:,} chunks + {n_sentences:,} sentences at the rates above)")
            rows, truth = exact_rows(chunk_vectors, queries, threads)
            for name, row in rows:
                p95_by_threads.setdefault(row["threads"], {})[n] = row["p95"]
            if n in args.sizes:
                rows += approximate_rows(chunk_vectors, queries, truth)
                print(disk_and_retrieval(chunks, chunk_vectors, sentence_vectors, queries, texts, workdir))
            table.extend((n, name, row) for name, row in rows)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nsingle-query search over {len(texts)} queries: latency at k=10 ('p95 k=50': the retriever's depth); "
          "recall against exact; cos lost: mean cosine of exact top 10 minus approximate top 10")
    print(f"{'chunks':>8}  {'method':<13}{'thr':>4}{'build s':>8}{'chunks/s':>10}{'RSS +MB':>8}{'p50 ms':>8}"
          f"{'p95 ms':>8}{'p95 k=50':>9}{'rec@10':>7}{'rec@50':>7}{'cos lost':>9}")
    for n, name, r in table:
        print(f"{n:>8,}  {name:<13}{r['threads']:>4}{r['build_s']:>8.2f}{n / max(r['build_s'], 1e-9):>10.0f}"
              f"{r['rss_mb']:>8.0f}{r['p50']:>8.3f}{r['p95']:>8.3f}{r['p95_depth']:>9.3f}{r['r10']:>7.3f}"
              f"{r['r50']:>7.3f}{r['loss']:>9.4f}")
    print()
    for count, p95_by_size in p95_by_threads.items():
        over = [n for n in sorted(p95_by_size) if p95_by_size[n] > 10.0]
        if over:
            print(f"exact search, {count} thread(s): smallest measured size with p95 > 10 ms: {over[0]:,} chunks")
            continue
        sizes = np.array(sorted(p95_by_size), dtype=float)
        slope, intercept = np.polyfit(sizes, [p95_by_size[int(s)] for s in sizes], 1)
        guess = f"{(10.0 - intercept) / slope:,.0f}" if slope > 0 else "never"
        print(f"exact search, {count} thread(s): p95 under 10 ms at every measured size (max "
              f"{max(p95_by_size.values()):.2f} ms); a straight-line fit reaches 10 ms near {guess} chunks "
              "(extrapolated, not measured)")
    print(machine_line())


if __name__ == "__main__":
    main()
