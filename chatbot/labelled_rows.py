"""Reading helper-labelled JSON Lines files: each row with where it stands, for error messages.

`list(labelled_rows([Path("data/near_miss/a.jsonl")]))` -> `[("a.jsonl:1", {"question": ...}), ...]`
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator


def labelled_rows(paths: list[Path], error: type[ValueError] = ValueError) -> Iterator[tuple[str, dict]]:
    """(file:line, row) of every non-blank line, in order; a row without a non-empty string
    'question' raises `error` naming its file and line."""
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            where = f"{path.name}:{number}"
            if not isinstance(row.get("question"), str) or not row["question"].strip():
                raise error(f"{where}: needs a non-empty string 'question'")
            yield where, row
