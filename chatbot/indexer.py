"""Keeps `index/` in step with `corpus/`: incremental updates, full rebuilds, freshness checks.

Owns deciding what must be embedded (only documents whose content hash changed),
the lock that keeps two runs from writing at once, and the report of what was
done. Reading and writing the files themselves is `store`'s job.
"""

from __future__ import annotations

import fcntl
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from .chunks import Chunk, chunk_document
from .documents import Document, load_corpus
from .embeddings import Embedder, default_embedder
from .settings import Settings
from .store import (REBUILD_HINT, IndexProblem, StoredIndex, chunks_differing_from_documents, load_index, new_manifest,
                    read_manifest, recover_interrupted_swap, remove_leftovers, write_index)


class IndexLockedError(RuntimeError):
    """Another indexing run holds the lock."""


class CorpusEmptyError(RuntimeError):
    """No usable article was found."""


@dataclass
class UpdateReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chunks: int = 0
    embedded_chunks: int = 0
    seconds: float = 0.0
    wrote: bool = False

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.changed)} changed",
                 f"{len(self.removed)} removed", f"{len(self.unchanged)} unchanged"]
        verb = "updated" if self.wrote else "already up to date"
        return (f"index {verb}: {', '.join(parts)}; {self.chunks} chunks "
                f"({self.embedded_chunks} embedded) in {self.seconds:.2f} s")


def model_identity(embedder: Embedder) -> dict:
    """What the vectors depend on: the model's name and the hash of its weights."""
    return {"name": embedder.name, "weights_sha256": embedder.weights_sha256}


def staleness(manifest: dict, documents: list[Document], settings: Settings, model: dict) -> list[str]:
    """Why the index no longer matches the corpus, settings or model; empty when fresh."""
    reasons = []
    if manifest.get("model") != model:
        reasons.append(f"model changed ({manifest.get('model', {}).get('name')} -> {model['name']})")
    if manifest.get("chunking") != settings.chunking():
        reasons.append(f"chunking settings changed ({manifest.get('chunking')} -> {settings.chunking()})")
    indexed = {k: v["hash"] for k, v in manifest.get("documents", {}).items()}
    current = {d.doc_id: d.content_hash for d in documents}
    for name in sorted(current.keys() - indexed.keys()):
        reasons.append(f"{name} is new")
    for name in sorted(indexed.keys() - current.keys()):
        reasons.append(f"{name} was removed")
    for name in sorted(current.keys() & indexed.keys()):
        if current[name] != indexed[name]:
            reasons.append(f"{name} changed")
    return reasons


def indexed_documents(index_dir: Path) -> frozenset[str]:
    """File names the current index holds (empty when there is no readable index)."""
    try:
        return frozenset(read_manifest(index_dir).get("documents", {}))
    except IndexProblem:
        return frozenset()


def check_index(settings: Settings, embedder: Embedder | None = None) -> list[str]:
    """Reasons the index is missing or stale (empty list: fresh). Never loads the model."""
    embedder = embedder or default_embedder()
    try:
        stored = load_index(settings.index_dir)
    except IndexProblem as err:
        return [str(err)]
    manifest = stored.manifest
    documents = load_corpus(settings.corpus_dir, frozenset(manifest.get("documents", {}))).documents
    reasons = staleness(manifest, documents, settings, model_identity(embedder))
    if not reasons:  # fresh by its hashes: then every quoted text must be the article's own
        damaged = chunks_differing_from_documents(stored.chunks, {d.doc_id: d.text for d in documents})
        reasons = [f"{p}; {REBUILD_HINT}" for p in damaged[:5]]
    return reasons


@contextmanager
def index_lock(index_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """An exclusive lock file beside the index; waits up to `wait_seconds` for another run."""
    lock_path = Path(index_dir).with_name(f".{Path(index_dir).name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        f"another indexing run is writing {index_dir}; wait for it to finish "
                        "and run the command again") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def reusable_index(settings: Settings, model: dict) -> StoredIndex | None:
    """The current index if its vectors can be reused (same model and chunking), else None."""
    try:
        stored = load_index(settings.index_dir)
    except IndexProblem:
        return None
    same = stored.manifest.get("model") == model and stored.manifest.get("chunking") == settings.chunking()
    return stored if same else None


def update_index(settings: Settings, embedder_factory: Callable[[], Embedder], rebuild: bool = False,
                 progress: bool = True, wait_seconds: float = 0.0) -> UpdateReport:
    """Bring the index up to date, embedding only new or changed documents."""
    started = time.perf_counter()
    corpus = load_corpus(settings.corpus_dir, indexed_documents(settings.index_dir))
    report = UpdateReport(warnings=list(corpus.warnings))
    if not corpus.documents:
        raise CorpusEmptyError(f"no usable .md or .txt article in {settings.corpus_dir}"
                               + ("".join(f"\n  {w}" for w in corpus.warnings)))
    embedder = embedder_factory()  # cheap: the real model loads only when it first encodes
    model = model_identity(embedder)
    with index_lock(settings.index_dir, wait_seconds):
        recover_interrupted_swap(settings.index_dir)
        remove_leftovers(settings.index_dir)
        old = None if rebuild else reusable_index(settings, model)
        old_docs = old.manifest["documents"] if old else {}
        old_ids: dict[str, list[int]] = {}
        for i, chunk in enumerate(old.chunks if old else []):
            old_ids.setdefault(chunk.doc_id, []).append(i)

        plans = []  # per document, in corpus order: [doc, chunks, chunk vectors, sentence vectors]
        for doc in corpus.documents:
            previous = old_docs.get(doc.doc_id)
            if previous and previous["hash"] == doc.content_hash:
                report.unchanged.append(doc.doc_id)
                ids = old_ids.get(doc.doc_id, [])
                rows = [r for i in ids for r in old.sentence_rows[i]]
                plans.append([doc, [old.chunks[i] for i in ids], old.chunk_vectors(ids),
                              old.sentence_vectors[rows]])
            else:
                (report.changed if previous else report.added).append(doc.doc_id)
                plans.append([doc, chunk_document(doc, settings.chunk_words, settings.overlap_sentences),
                              None, None])
        report.removed = sorted(old_docs.keys() - {d.doc_id for d in corpus.documents})
        report.chunks = sum(len(p[1]) for p in plans)
        pending = [p for p in plans if p[2] is None]
        if old and not pending and not report.removed:
            report.seconds = time.perf_counter() - started
            return report

        embed_pending(embedder, pending, progress)
        report.embedded_chunks = sum(len(p[1]) for p in pending)
        chunks = [c for p in plans for c in p[1]]
        dim = embedder.dimension
        chunk_vectors = np.vstack([p[2] for p in plans]) if chunks else np.zeros((0, dim), np.float32)
        sentence_vectors = np.vstack([p[3] for p in plans]) if chunks else np.zeros((0, dim), np.float32)
        documents = {p[0].doc_id: {"hash": p[0].content_hash, "title": p[0].title, "chunks": len(p[1])}
                     for p in plans}
        report.seconds = time.perf_counter() - started
        manifest = new_manifest(model, dim, settings.chunking(), documents, len(chunks),
                                len(sentence_vectors), report.seconds)
        write_index(settings.index_dir, manifest, chunks, chunk_vectors, sentence_vectors)
        report.wrote = True
        return report


def embed_pending(embedder: Embedder, pending: list[list], progress: bool) -> None:
    """One batch for every new chunk and sentence; fills each plan's two vector slots."""
    texts = []
    for _, chunks, _, _ in pending:
        texts.extend(c.embedding_text() for c in chunks)
        texts.extend(sentence_embedding_text(c, s) for c in chunks for s in c.sentences)
    vectors = embedder.encode(texts, progress=progress) if texts else None
    cursor = 0
    for plan in pending:
        chunks = plan[1]
        n_chunks, n_sentences = len(chunks), sum(len(c.sentences) for c in chunks)
        plan[2] = vectors[cursor:cursor + n_chunks]
        plan[3] = vectors[cursor + n_chunks:cursor + n_chunks + n_sentences]
        cursor += n_chunks + n_sentences


def sentence_embedding_text(chunk: Chunk, sentence) -> str:
    """A sentence is embedded with its section heading, so "Hold for 30 seconds" knows which stretch."""
    section = chunk.section[-1] if chunk.section else chunk.title
    return f"{section}: {sentence.text}"

