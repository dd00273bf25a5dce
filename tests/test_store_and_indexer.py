import json
import threading

import faiss
import numpy as np
import pytest

from chatbot import store
from chatbot.indexer import (IndexLockedError, check_index, index_lock, staleness, update_index)
from chatbot.settings import Settings
from chatbot.store import (IndexCorruptError, IndexModelError, IndexNotFoundError, IndexVersionError, load_index)


@pytest.fixture
def settings(small_corpus, tmp_path):
    return Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index")


def build(settings, embedder, **kw):
    return update_index(settings, lambda: embedder, progress=False, **kw)


def test_build_then_load_round_trip_gives_the_same_hits(settings, fake_embedder):
    report = build(settings, fake_embedder)
    assert report.added == ["massage.txt", "stretch.md"] and report.wrote
    stored = load_index(settings.index_dir)
    assert stored.manifest["counts"] == {"documents": 2, "chunks": len(stored.chunks),
                                         "sentences": len(stored.sentence_vectors)}
    assert stored.manifest["model"] == {"name": "fake-embedder", "weights_sha256": "fake"}
    query = fake_embedder.encode(["hug one knee to your chest"])
    scores, ids = stored.vectors.search(query, 1)
    assert stored.chunks[ids[0][0]].doc_id == "stretch.md"
    again = load_index(settings.index_dir)
    assert again.vectors.search(query, 2)[1].tolist() == ids.tolist() or again.vectors.search(query, 1)[1].tolist() == ids.tolist()


def test_nothing_changed_embeds_nothing_and_writes_nothing(settings, fake_embedder):
    build(settings, fake_embedder)
    before = (settings.index_dir / "manifest.json").read_text()
    fake_embedder.calls.clear()
    report = build(settings, fake_embedder)
    assert fake_embedder.calls == [] and not report.wrote and report.unchanged == ["massage.txt", "stretch.md"]
    assert (settings.index_dir / "manifest.json").read_text() == before


def test_incremental_update_re_embeds_only_the_changed_document(settings, fake_embedder):
    build(settings, fake_embedder)
    unchanged_vectors = load_index(settings.index_dir)
    path = settings.corpus_dir / "massage.txt"
    path.write_text(path.read_text() + "Heat can relax tense muscles.\n", encoding="utf-8")
    fake_embedder.calls.clear()
    report = build(settings, fake_embedder)
    assert report.changed == ["massage.txt"] and report.unchanged == ["stretch.md"]
    stored = load_index(settings.index_dir)
    changed = [c for c in stored.chunks if c.doc_id == "massage.txt"]
    assert fake_embedder.embedded == len(changed) + sum(len(c.sentences) for c in changed)
    old_ids = [i for i, c in enumerate(unchanged_vectors.chunks) if c.doc_id == "stretch.md"]
    new_ids = [i for i, c in enumerate(stored.chunks) if c.doc_id == "stretch.md"]
    assert np.allclose(unchanged_vectors.chunk_vectors(old_ids), stored.chunk_vectors(new_ids))


def test_removed_document_is_dropped(settings, fake_embedder):
    build(settings, fake_embedder)
    (settings.corpus_dir / "massage.txt").unlink()
    report = build(settings, fake_embedder)
    assert report.removed == ["massage.txt"]
    assert {c.doc_id for c in load_index(settings.index_dir).chunks} == {"stretch.md"}


def test_a_crash_mid_build_keeps_the_previous_index(settings, fake_embedder, monkeypatch):
    build(settings, fake_embedder)
    before = {p.name: p.read_bytes() for p in settings.index_dir.iterdir()}
    (settings.corpus_dir / "new.txt").write_text("New Article\nSomething new to index.\n", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store.faiss, "write_index", crash)
    with pytest.raises(KeyboardInterrupt):
        build(settings, fake_embedder)
    assert {p.name: p.read_bytes() for p in settings.index_dir.iterdir()} == before
    assert not list(settings.index_dir.parent.glob(".index.tmp-*"))
    assert len(load_index(settings.index_dir).chunks) > 0


def test_check_reports_missing_changed_and_settings(settings, fake_embedder):
    assert "no index" in check_index(settings, fake_embedder)[0]
    build(settings, fake_embedder)
    assert check_index(settings, fake_embedder) == []
    (settings.corpus_dir / "stretch.md").write_text("---\ntitle: Stretch Guide\n---\nChanged.\n", encoding="utf-8")
    assert check_index(settings, fake_embedder) == ["stretch.md changed"]
    manifest = load_index(settings.index_dir).manifest
    other = Settings(corpus_dir=settings.corpus_dir, index_dir=settings.index_dir, chunk_words=50)
    assert any("chunking settings changed" in r for r in staleness(manifest, [], other, manifest["model"]))
    assert any("model changed" in r for r in staleness(manifest, [], settings, {"name": "x", "weights_sha256": ""}))


def test_missing_corrupt_and_foreign_indexes_name_the_fix(settings, fake_embedder):
    with pytest.raises(IndexNotFoundError, match="python -m chatbot index --rebuild"):
        load_index(settings.index_dir)
    build(settings, fake_embedder)
    index_dir = settings.index_dir
    with pytest.raises(IndexModelError, match="--rebuild"):
        load_index(index_dir, "all-MiniLM-L6-v2")
    manifest = json.loads((index_dir / "manifest.json").read_text())

    (index_dir / "manifest.json").write_text(json.dumps({**manifest, "format_version": 99}))
    with pytest.raises(IndexVersionError, match="format version 99"):
        load_index(index_dir)
    (index_dir / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorruptError, match="--rebuild"):
        load_index(index_dir)
    (index_dir / "manifest.json").write_text(json.dumps(manifest))

    faiss_bytes = (index_dir / "chunks.faiss").read_bytes()
    (index_dir / "chunks.faiss").write_bytes(faiss_bytes[: len(faiss_bytes) // 2])
    with pytest.raises(IndexCorruptError, match="unreadable"):
        load_index(index_dir)
    (index_dir / "chunks.faiss").write_bytes(faiss_bytes)

    rows = (index_dir / "chunks.jsonl").read_text().splitlines()
    (index_dir / "chunks.jsonl").write_text("\n".join(rows[:-1]) + "\n")
    with pytest.raises(IndexCorruptError, match="inconsistent"):
        load_index(index_dir)


def test_an_unusable_index_is_rebuilt_by_the_next_update(settings, fake_embedder):
    build(settings, fake_embedder)
    (settings.index_dir / "chunks.jsonl").write_text("garbage\n")
    report = build(settings, fake_embedder)
    assert report.wrote and len(load_index(settings.index_dir).chunks) == report.chunks


def test_two_runs_at_once_one_stops_with_a_clear_message(settings):
    holding = threading.Event()
    release = threading.Event()

    def hold():
        with index_lock(settings.index_dir):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    try:
        with pytest.raises(IndexLockedError, match="another indexing run"):
            with index_lock(settings.index_dir, wait_seconds=0.3):
                pass
    finally:
        release.set()
        thread.join()
    with index_lock(settings.index_dir):  # free again
        pass


def test_exact_search_below_the_threshold_and_ivf_above(monkeypatch):
    vectors = np.random.default_rng(0).normal(size=(400, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert isinstance(faiss.downcast_index(store.build_faiss(vectors).index), faiss.IndexFlatIP)
    monkeypatch.setattr(store, "APPROXIMATE_FROM", 100)
    index = store.build_faiss(vectors)
    assert isinstance(faiss.downcast_index(index.index), faiss.IndexIVFFlat)
    assert index.search(vectors[:1], 1)[1][0][0] == 0
    assert np.allclose(index.reconstruct(5), vectors[5])  # incremental updates read stored vectors back


def test_bad_corpus_files_are_named_and_leave_the_index_whole(settings, fake_embedder):
    build(settings, fake_embedder)
    before = load_index(settings.index_dir)
    (settings.corpus_dir / "latin1.txt").write_bytes("Caf\xe9 au lait.".encode("latin-1"))
    (settings.corpus_dir / "blob.md").write_bytes(b"\x00\x01binary")
    (settings.corpus_dir / "empty.md").write_text("", encoding="utf-8")
    (settings.corpus_dir / "copy.md").write_text((settings.corpus_dir / "stretch.md").read_text(), encoding="utf-8")
    report = build(settings, fake_embedder)
    named = "\n".join(report.warnings)
    assert all(name in named for name in ("latin1.txt", "blob.md", "empty.md", "copy.md"))
    after = load_index(settings.index_dir)
    assert [c.to_json() for c in after.chunks] == [c.to_json() for c in before.chunks] and not report.wrote


def tree_state(directory):
    return {p.relative_to(directory.parent).as_posix(): (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else b"")
            for p in sorted(directory.parent.rglob("*"))}


@pytest.mark.parametrize("name", ["chunks.faiss", "sentences.npy", "chunks.jsonl"])
def test_a_single_flipped_byte_in_any_index_file_is_detected(settings, fake_embedder, name):
    build(settings, fake_embedder)
    path = settings.index_dir / name
    data = bytearray(path.read_bytes())
    data[len(data) - 9] ^= 0x01  # a byte inside the data, where the formats still parse
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match=f"{name} was changed after the index was built"):
        load_index(settings.index_dir)
    assert any(name in reason for reason in check_index(settings, fake_embedder))


def test_chunk_text_edited_with_a_matching_hash_is_never_taken_for_the_article(settings, fake_embedder):
    build(settings, fake_embedder)
    index_dir = settings.index_dir
    rows = [json.loads(line) for line in (index_dir / "chunks.jsonl").read_text().splitlines()]
    rows[0]["text"] = rows[0]["text"][:-1] + " then take 800 mg ibuprofen."
    rows[0]["sentences"][-1]["text"] = rows[0]["sentences"][-1]["text"][:-1] + " then take 800 mg ibuprofen."
    (index_dir / "chunks.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    manifest = json.loads((index_dir / "manifest.json").read_text())
    manifest["files"] = store.file_hashes(index_dir)  # the tamperer also fixed the hash
    (index_dir / "manifest.json").write_text(json.dumps(manifest))
    reasons = check_index(settings, fake_embedder)
    assert reasons and "does not match the article's text" in reasons[0] and "--rebuild" in reasons[0]


def test_check_changes_nothing_on_disk(settings, fake_embedder):
    build(settings, fake_embedder)
    (settings.index_dir / "chunks.faiss").write_bytes(b"junk")
    before = tree_state(settings.index_dir)
    assert check_index(settings, fake_embedder)
    assert tree_state(settings.index_dir) == before


def test_readers_never_rename_and_the_next_indexing_run_restores_and_cleans_up(settings, fake_embedder):
    build(settings, fake_embedder)
    index_dir = settings.index_dir
    old = index_dir.with_name(f".{index_dir.name}.old-999")
    index_dir.rename(old)  # killed between the two renames of a swap
    leftover = index_dir.with_name(f".{index_dir.name}.tmp-998")
    leftover.mkdir()
    with pytest.raises(IndexNotFoundError, match="interrupted"):
        load_index(index_dir)
    assert "interrupted" in check_index(settings, fake_embedder)[0]
    assert old.exists() and not index_dir.exists()  # neither reader touched anything
    build(settings, fake_embedder)
    assert load_index(index_dir).chunks and not old.exists() and not leftover.exists()
