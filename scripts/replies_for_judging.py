"""Write every reply of one evaluation set as a judge sees it, for blind judging.

`python scripts/replies_for_judging.py eval/answers_issue8.jsonl /tmp/replies.jsonl`
Each output line: id, earlier user turns, the question and the reply's text as shown (notice,
answer, sources), never the set's labels, so the judge sees only what a user would.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chatbot.bot import Chatbot  # noqa: E402
from chatbot.evaluate import read_jsonl  # noqa: E402


def shown_text(reply) -> str:
    parts = [reply.notice or "", reply.answer]
    parts += [f"[{c.n}] {c.title}" + (f", section: {c.section}" if c.section else "") for c in reply.citations]
    return "\n".join(p for p in parts if p)


def main(set_path: str, out_path: str) -> None:
    bot = Chatbot.load(say=lambda m: None)
    with open(out_path, "w", encoding="utf-8") as out:
        for row in read_jsonl(Path(set_path)):
            history: list[dict] = []
            for turn in row.get("turns", []):
                earlier = bot.reply(turn, history)
                history += [{"role": "user", "content": turn}, {"role": "assistant", "content": earlier.markdown}]
            reply = bot.reply(row["question"], history)
            out.write(json.dumps({"id": row["id"], "earlier_turns": row.get("turns", []), "question": row["question"],
                                  "reply": shown_text(reply)}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
