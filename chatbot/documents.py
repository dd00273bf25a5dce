"""Reads the corpus folder into `Document` records.

Owns file discovery, front matter and content hashes. Leaves sentence and chunk
boundaries to `sentences` and `chunks`. Files it cannot use are skipped with a
warning that names them, so one bad file never stops the others being indexed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .markdown_text import is_web_address

ARTICLE_SUFFIXES = (".md", ".txt")
# Notes for maintainers live beside the articles and are not articles themselves.
NOT_ARTICLES = {"readme.md", "readme.txt"}
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
META_KEYS = ("title", "publisher", "author", "date", "url")


@dataclass(frozen=True)
class Document:
    doc_id: str  # the file name, e.g. "stretches.md"
    text: str  # the article body: everything after the front matter
    title: str
    publisher: str = ""
    author: str = ""
    date: str = ""
    url: str = ""

    @property
    def content_hash(self) -> str:
        """Changes whenever the text or any metadata shown in citations changes."""
        meta = "\n".join(f"{k}={getattr(self, k)}" for k in META_KEYS)
        return hashlib.sha256((meta + "\n\n" + self.text).encode("utf-8")).hexdigest()


@dataclass
class CorpusReport:
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """Split `---`-fenced `key: value` lines from the body; no YAML library needed."""
    match = FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip()
    return meta, raw[match.end():]


def document_from_text(name: str, raw: str) -> Document:
    """A Markdown file carries front matter; a .txt file's first line is its title."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, body = parse_front_matter(raw) if name.lower().endswith(".md") else ({}, raw)
    if name.lower().endswith(".txt"):
        first, _, rest = body.lstrip("\n").partition("\n")
        if first.strip() and len(first.strip()) <= 200 and rest.strip():
            meta["title"], body = first.strip(), rest
    title = meta.get("title") or Path(name).stem.replace("-", " ").replace("_", " ").strip().capitalize()
    return Document(doc_id=name, text=body.strip("\n") + "\n", title=title,
                    **{k: meta.get(k, "") for k in META_KEYS if k != "title"})


def read_document(path: Path) -> Document:
    """Read one article file; raises `ValueError` with a message naming the file."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise ValueError(f"{path.name}: not a text file (it contains binary data); skipped")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{path.name}: not UTF-8 text (byte {err.start}); save it as UTF-8; skipped") from None
    doc = document_from_text(path.name, raw)
    if not doc.text.strip():
        raise ValueError(f"{path.name}: the article is empty; skipped")
    return doc


def load_corpus(corpus_dir: Path, keep_first: frozenset[str] = frozenset()) -> CorpusReport:
    """Every usable article in `corpus_dir`, sorted by file name, plus a warning per skipped file.

    Of two files with the same text the one in `keep_first` (the articles already indexed) is
    kept, so dropping in a copy never replaces the original."""
    report = CorpusReport()
    if not corpus_dir.is_dir():
        report.warnings.append(f"corpus folder {corpus_dir} does not exist")
        return report
    seen_hashes: dict[str, str] = {}
    for path in sorted(corpus_dir.iterdir(), key=lambda p: (p.name not in keep_first, p.name)):
        if path.name.startswith(".") or path.name.lower() in NOT_ARTICLES or path.is_dir():
            continue
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            report.warnings.append(f"{path.name}: not a .md or .txt article; skipped")
            continue
        try:
            doc = read_document(path)
        except (ValueError, OSError) as err:
            report.warnings.append(str(err))
            continue
        if doc.url and not is_web_address(doc.url):
            report.warnings.append(f"{path.name}: url {doc.url[:80]!r} is not an http(s) web address; the article "
                                   "is indexed without a link (fix the url: line of its front matter)")
            doc = replace(doc, url="")
        body_hash = hashlib.sha256(" ".join(doc.text.split()).encode()).hexdigest()
        if body_hash in seen_hashes:
            report.warnings.append(f"{path.name}: same text as {seen_hashes[body_hash]}; duplicate skipped")
            continue
        seen_hashes[body_hash] = path.name
        report.documents.append(doc)
    report.documents.sort(key=lambda d: d.doc_id)
    return report
