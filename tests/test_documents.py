from chatbot.documents import document_from_text, load_corpus, parse_front_matter


def test_front_matter_is_parsed_and_removed():
    meta, body = parse_front_matter("---\ntitle: A: B\nurl: https://x.org/a\n---\n\nBody.\n")
    assert meta == {"title": "A: B", "url": "https://x.org/a"}
    assert body.strip() == "Body."


def test_txt_title_from_first_line_or_file_name():
    assert document_from_text("new.txt", "My Title\nSome text here.\n").title == "My Title"
    assert document_from_text("hip-tips.txt", "Only one line of text.").title == "Hip tips"


def test_content_hash_changes_with_text_and_metadata():
    a = document_from_text("a.md", "---\ntitle: T\n---\nText.\n")
    b = document_from_text("a.md", "---\ntitle: T\n---\nText!\n")
    c = document_from_text("a.md", "---\ntitle: Other\n---\nText.\n")
    assert len({a.content_hash, b.content_hash, c.content_hash}) == 3


def test_bad_files_are_skipped_with_a_warning_naming_them(tmp_path):
    (tmp_path / "good.md").write_text("---\ntitle: Good\n---\nFine text.\n", encoding="utf-8")
    (tmp_path / "copy.md").write_text("---\ntitle: Copy\n---\nFine   text.\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait.".encode("latin-1"))
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "README.md").write_text("maintainer notes", encoding="utf-8")
    report = load_corpus(tmp_path)
    assert [d.doc_id for d in report.documents] == ["copy.md"]
    joined = "\n".join(report.warnings)
    for name in ("latin1.txt", "empty.md", "binary.md", "notes.pdf"):
        assert name in joined
    assert "good.md: same text as copy.md; duplicate skipped" in joined
    assert "README.md" not in joined


def test_a_url_that_is_not_an_http_web_address_is_refused_with_the_file_named(tmp_path):
    for name, url in (("script.md", "javascript:alert(1)"), ("local.md", "file:///etc/passwd"),
                      ("quote.md", 'https://x.org/"onmouseover="a'), ("good.md", "https://x.org/a?b=1")):
        (tmp_path / name).write_text(f"---\ntitle: {name}\nurl: {url}\n---\nText of {name}.\n", encoding="utf-8")
    report = load_corpus(tmp_path)
    urls = {d.doc_id: d.url for d in report.documents}
    assert urls == {"good.md": "https://x.org/a?b=1", "local.md": "", "quote.md": "", "script.md": ""}
    assert sorted(w.split(":")[0] for w in report.warnings) == ["local.md", "quote.md", "script.md"]
    assert all("not an http(s) web address" in w for w in report.warnings)
