"""The index directory: reading, checking and atomically writing it.

Layout of `index/` (no pickle anywhere):
  manifest.json     format version, model name and weights hash, dimension, chunking
                    settings, per-document content hash and chunk count, counts, build time
  chunks.jsonl      one chunk per line; line i is the chunk with FAISS id i
  chunks.faiss      the chunk vectors; inner product on unit vectors is cosine similarity
  sentences.npy     one vector per chunk sentence, in chunks.jsonl order (float32)

Leaves deciding what to embed to `indexer`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from .chunks import Chunk

# FAISS's OpenMP threads wait on each other when another process holds a core; searching a small
# index on one thread is faster (benchmarks/latency.py --faiss-threads).
faiss.omp_set_num_threads(int(os.environ.get("SIBOT_FAISS_THREADS", "1")))

FORMAT_VERSION = 1
MANIFEST, CHUNKS, VECTORS, SENTENCE_VECTORS = "manifest.json", "chunks.jsonl", "chunks.faiss", "sentences.npy"
REBUILD_HINT = "run: python -m chatbot index --rebuild"
INDEX_FILES = (CHUNKS, VECTORS, SENTENCE_VECTORS)
# From this many chunks exact search gives way to IVF: measured, exact FAISS search p95 is 3.4 ms at
# 50,000 chunks and 6.5 ms at 100,000, where BM25 then adds about 7 ms (docs/scaling.md).
APPROXIMATE_FROM = 50_000


class IndexProblem(RuntimeError):
    """Base for every index the caller cannot use as it is; the message names the fix."""


class IndexNotFoundError(IndexProblem):
    pass


class IndexCorruptError(IndexProblem):
    pass


class IndexVersionError(IndexProblem):
    pass


class IndexModelError(IndexProblem):
    pass


@dataclass
class StoredIndex:
    manifest: dict
    chunks: list[Chunk]
    vectors: faiss.Index
    sentence_vectors: np.ndarray  # (total sentences, dim)
    sentence_rows: list[range]  # chunk id -> its rows in sentence_vectors

    def chunk_vectors(self, ids: list[int]) -> np.ndarray:
        if not ids:
            return np.zeros((0, self.manifest["dimension"]), dtype=np.float32)
        return np.vstack([self.vectors.reconstruct(int(i)) for i in ids]).astype(np.float32)


def sentence_row_ranges(chunks: list[Chunk]) -> list[range]:
    rows, start = [], 0
    for chunk in chunks:
        rows.append(range(start, start + len(chunk.sentences)))
        start += len(chunk.sentences)
    return rows


def build_faiss(vectors: np.ndarray) -> faiss.Index:
    """Exact inner-product search, or IVF above `APPROXIMATE_FROM` rows; ids are row numbers."""
    inner = build_approximate(vectors) if len(vectors) >= APPROXIMATE_FROM else faiss.IndexFlatIP(vectors.shape[1])
    index = faiss.IndexIDMap2(inner)
    index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    if isinstance(inner, faiss.IndexIVF):
        inner.make_direct_map()  # so stored vectors can be read back for incremental updates
    return index


def build_approximate(vectors: np.ndarray) -> faiss.IndexIVFFlat:
    """An IVF index trained on the vectors: about 4*sqrt(n) lists, 1/16 of them probed per query.
    At 100,000 chunks: recall@10 0.976 against exact search, p95 0.7 ms (benchmarks/scale.py)."""
    n_lists = max(1, int(4 * np.sqrt(len(vectors))))
    quantizer = faiss.IndexFlatIP(vectors.shape[1])
    index = faiss.IndexIVFFlat(quantizer, vectors.shape[1], n_lists, faiss.METRIC_INNER_PRODUCT)
    index.train(vectors)
    index.nprobe = max(1, n_lists // 16)
    return index


def write_index(index_dir: Path, manifest: dict, chunks: list[Chunk], chunk_vectors: np.ndarray,
                sentence_vectors: np.ndarray) -> None:
    """Write into a temporary sibling, then swap it in: a crash leaves the old index whole."""
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = index_dir.with_name(f".{index_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        with open(tmp / CHUNKS, "w", encoding="utf-8") as fh:
            for i, chunk in enumerate(chunks):
                fh.write(json.dumps({"id": i, **chunk.to_json()}, ensure_ascii=False) + "\n")
        faiss.write_index(build_faiss(np.ascontiguousarray(chunk_vectors, dtype=np.float32)),
                          str(tmp / VECTORS))
        np.save(tmp / SENTENCE_VECTORS, np.ascontiguousarray(sentence_vectors, dtype=np.float32))
        manifest = {**manifest, "files": file_hashes(tmp)}
        # The manifest goes last: a directory without one is never mistaken for an index.
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        swap_in(tmp, index_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def file_hashes(directory: Path) -> dict[str, str]:
    """sha256 of each index file, recorded in the manifest so any later change to one is seen."""
    hashes = {}
    for name in INDEX_FILES:
        digest = hashlib.sha256()
        with open(Path(directory) / name, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        hashes[name] = digest.hexdigest()
    return hashes


def changed_files(index_dir: Path, manifest: dict) -> list[str]:
    """Index files whose content is not what the manifest recorded at build time."""
    recorded = manifest.get("files")
    if not isinstance(recorded, dict):
        return ["the manifest records no file hashes (built by an older version)"]
    try:
        actual = file_hashes(index_dir)
    except OSError as err:
        return [f"an index file is unreadable ({err})"]
    return [f"{name} was changed after the index was built" for name in INDEX_FILES
            if recorded.get(name) != actual[name]]


def chunks_differing_from_documents(chunks: list[Chunk], document_texts: dict[str, str]) -> list[str]:
    """Chunks whose text (or a sentence's) is not the exact text of its document at its offsets:
    an index edited by hand must never be quoted as an article."""
    problems = []
    for i, chunk in enumerate(chunks):
        text = document_texts.get(chunk.doc_id)
        if text is None:
            continue  # a removed document makes the index stale, which the freshness check reports
        if text[chunk.start:chunk.end] != chunk.text or any(text[s.start:s.end] != s.text for s in chunk.sentences):
            problems.append(f"chunk {i} of {chunk.doc_id} does not match the article's text")
    return problems


def swap_in(new_dir: Path, index_dir: Path) -> None:
    old = index_dir.with_name(f".{index_dir.name}.old-{os.getpid()}")
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(new_dir, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def recover_interrupted_swap(index_dir: Path) -> None:
    """If a run died between the two renames of `swap_in`, put the previous index back."""
    if (index_dir / MANIFEST).exists():
        return
    for old in sorted(index_dir.parent.glob(f".{index_dir.name}.old-*")):
        if (old / MANIFEST).exists():
            shutil.rmtree(index_dir, ignore_errors=True)
            os.replace(old, index_dir)
            return


def remove_leftovers(index_dir: Path) -> list[str]:
    """Delete the temporary and old folders that killed runs left beside the index. Call it only
    under the index lock (then no other run is writing) and after `recover_interrupted_swap`."""
    removed = []
    for pattern in (f".{index_dir.name}.tmp-*", f".{index_dir.name}.old-*"):
        for leftover in index_dir.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover.name)
    return removed


def read_manifest(index_dir: Path) -> dict:
    """The manifest; a reader never renames or writes (an interrupted swap is repaired by the next
    indexing run, under its lock)."""
    index_dir = Path(index_dir)
    path = index_dir / MANIFEST
    if not path.exists():
        if any((old / MANIFEST).exists() for old in index_dir.parent.glob(f".{index_dir.name}.old-*")):
            raise IndexNotFoundError(f"an indexing run was interrupted while swapping {index_dir}; "
                                     "run: python -m chatbot index (it restores or rebuilds it)")
        raise IndexNotFoundError(f"no index at {index_dir}; {REBUILD_HINT}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, OSError) as err:
        raise IndexCorruptError(f"{path} is unreadable ({err}); {REBUILD_HINT}") from None
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        found = manifest.get("format_version") if isinstance(manifest, dict) else None
        raise IndexVersionError(
            f"{path} has format version {found!r}, this code reads {FORMAT_VERSION}; {REBUILD_HINT}")
    return manifest


def load_index(index_dir: Path, model_name: str | None = None) -> StoredIndex:
    """Read and cross-check every file; raises an `IndexProblem` naming the fix."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    if model_name and manifest.get("model", {}).get("name") != model_name:
        raise IndexModelError(f"the index was built with {manifest.get('model', {}).get('name')!r}, "
                              f"not {model_name!r}; {REBUILD_HINT}")
    try:
        with open(index_dir / CHUNKS, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        chunks = [Chunk.from_json(row) for row in rows]
        if [row["id"] for row in rows] != list(range(len(rows))):
            raise ValueError("chunk ids are not 0..n-1 in order")
        vectors = faiss.read_index(str(index_dir / VECTORS))
        sentence_vectors = np.load(index_dir / SENTENCE_VECTORS, allow_pickle=False)
    except IndexProblem:
        raise
    except Exception as err:  # any unreadable file means the same fix
        raise IndexCorruptError(f"index files in {index_dir} are unreadable ({err}); {REBUILD_HINT}") from None
    sentence_rows = sentence_row_ranges(chunks)
    expected = manifest.get("counts", {})
    problems = changed_files(index_dir, manifest)
    if vectors.ntotal != len(chunks) or expected.get("chunks") != len(chunks):
        problems.append(f"{vectors.ntotal} vectors, {len(chunks)} chunk rows, manifest says {expected.get('chunks')}")
    if vectors.d != manifest.get("dimension") or sentence_vectors.ndim != 2 or \
            sentence_vectors.shape[0] != (sentence_rows[-1].stop if sentence_rows else 0):
        problems.append("vector dimensions or sentence vector count disagree with the chunks")
    if problems:
        raise IndexCorruptError(f"index in {index_dir} is inconsistent: {'; '.join(problems)}; {REBUILD_HINT}")
    return StoredIndex(manifest, chunks, vectors, sentence_vectors, sentence_rows)


def new_manifest(model: dict, dimension: int, chunking: dict, documents: dict, chunks: int,
                 sentences: int, seconds: float) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "model": model,
        "dimension": dimension,
        "chunking": chunking,
        "documents": documents,
        "counts": {"documents": len(documents), "chunks": chunks, "sentences": sentences},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(seconds, 3),
    }
