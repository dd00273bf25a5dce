"""`python -m chatbot eval`: quality figures on the team's development sets.

"cited": the answering passage is inside a cited passage (the chunk an answer sentence is quoted
from); "quoted": it is one of the answer's own sentences, the stricter figure.

Owns reading eval/*.jsonl, running every question and message through
`Chatbot.reply` (follow-ups with their earlier turns answered first), and the
figures: passage cited, MRR, answer length, refusal rates, red-flag recall and
specificity, latency. Prints a table; `--json` prints the numbers.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from .answer_linter import lint_reply
from .bot import Chatbot
from .text import fold

ANSWERABLE = ("direct", "paraphrase", "list", "followup")
REFUSABLE = ("offtopic", "near_domain")
# Later sets spell two kinds differently.
KIND_ALIASES = {"off_topic": "offtopic", "not_covered": "near_domain"}
QUESTION_SETS = ("questions*.jsonl", "answers_*.jsonl", "laylang_*.jsonl")
URGENT_SETS = ("redflags*.jsonl", "urgent_*.jsonl")


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(text)).split())


def passage_rank(passage: str, citations: list[dict]) -> int:
    """1-based rank of the first citation quoting the passage, 0 when none does."""
    target = normalise(passage)
    for i, citation in enumerate(citations, 1):
        if target and target in normalise(citation["text"]):
            return i
    return 0


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class Figures:
    rows: list[dict] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def kind_rows(self, kind: str) -> list[dict]:
        return [r for r in self.rows if r["kind"] == kind]


def run_questions(bot: Chatbot, questions: list[dict], figures: Figures) -> None:
    for q in questions:
        history: list[dict] = []
        for turn in q.get("turns", []):
            earlier = bot.reply(turn, history)
            history += [{"role": "user", "content": turn}, {"role": "assistant", "content": earlier.markdown}]
        started = time.perf_counter()
        reply = bot.reply(q["question"], history)
        figures.latencies_ms.append((time.perf_counter() - started) * 1000)
        data = reply.to_json()
        # Cited only when answered: a near miss quotes the articles under "they don't answer this".
        rank = passage_rank(q["passage"], data["citations"]) if q.get("passage") and reply.in_scope else 0
        quoted = bool(q.get("passage")) and reply.in_scope and normalise(q["passage"]) in normalise(reply.answer)
        lint = lint_reply(reply.citations, bot.document_texts, bot.passages.section_starts)
        figures.rows.append({"id": q["id"], "kind": q["kind"], "in_scope": reply.in_scope, "rank": rank,
                             "quoted": quoted, "lint": lint, "notice": bool(reply.notice),
                             "near_miss": not reply.in_scope and bool(reply.citations),
                             "words": len(re.sub(r"\[\d+\]|^- ", "", reply.answer, flags=re.M).split()),
                             "disclaimer": reply.disclaimer in reply.markdown, "query": reply.query,
                             "question": q["question"]})


def question_summary(figures: Figures) -> dict:
    summary = {}
    for kind in ANSWERABLE:
        rows = figures.kind_rows(kind)
        if rows:
            summary[kind] = {
                "n": len(rows),
                "passage_cited": sum(r["rank"] > 0 for r in rows) / len(rows),
                "passage_quoted": sum(r["quoted"] for r in rows) / len(rows),
                "mrr": sum(1 / r["rank"] for r in rows if r["rank"]) / len(rows),
                "wrongly_refused": sum(not r["in_scope"] for r in rows) / len(rows),
                "median_words": statistics.median([r["words"] for r in rows if r["in_scope"]] or [0]),
            }
    for kind in REFUSABLE:
        rows = figures.kind_rows(kind)
        if rows:
            summary[kind] = {"n": len(rows), "refused": sum(not r["in_scope"] for r in rows) / len(rows)}
    answerable = [r for r in figures.rows if r["kind"] in ANSWERABLE]
    summary["all"] = {
        "in_scope_wrongly_refused": sum(not r["in_scope"] for r in answerable) / max(len(answerable), 1),
        "median_words": statistics.median([r["words"] for r in answerable if r["in_scope"]] or [0]),
        "disclaimer_on_every_reply": all(r["disclaimer"] for r in figures.rows),
        "latency_p50_ms": round(percentile(figures.latencies_ms, 0.5), 1),
        "latency_p95_ms": round(percentile(figures.latencies_ms, 0.95), 1),
        "urgent_notices": sum(r["notice"] for r in figures.rows),
        "near_misses": sum(r["near_miss"] for r in figures.rows),
        "lint": {tag: sum(tag in r["lint"] for r in figures.rows)
                 for tag in sorted({t for r in figures.rows for t in r["lint"]})},
    }
    return summary


def red_flag_summary(bot: Chatbot, messages: list[dict]) -> tuple[dict, list[dict]]:
    tp = fp = tn = fn = 0
    misses = []
    for m in messages:
        reply = bot.reply(m["message"])
        flagged = bool(reply.red_flags) and bool(reply.notice) and reply.notice in reply.markdown
        if m["red_flag"] and flagged:
            tp += 1
        elif m["red_flag"]:
            fn += 1
            misses.append({"id": m["id"], "missed": m["category"], "message": m["message"]})
        elif flagged:
            fp += 1
            misses.append({"id": m["id"], "false_alarm": reply.red_flags, "message": m["message"]})
        else:
            tn += 1
    return ({"n": len(messages), "recall": tp / max(tp + fn, 1), "specificity": tn / max(tn + fp, 1)}, misses)


def format_table(summary: dict) -> str:
    lines = []
    for name, figures in summary["questions"].items():
        lines.append(f"== {name}")
        lines.extend(format_questions(figures))
    for name, rf in summary["red_flags"].items():
        lines.append(f"red flags ({name}, n={rf['n']}): recall {rf['recall']:.1%}, specificity {rf['specificity']:.1%}")
    return "\n".join(lines)


def format_questions(summary: dict) -> list[str]:
    lines = [f"{'kind':<14}{'n':>5}{'cited':>9}{'quoted':>9}{'MRR':>7}{'refused':>9}{'words':>7}"]
    for kind in ANSWERABLE:
        if kind in summary:
            s = summary[kind]
            lines.append(f"{kind:<14}{s['n']:>5}{s['passage_cited']:>9.1%}{s['passage_quoted']:>9.1%}{s['mrr']:>7.2f}"
                         f"{s['wrongly_refused']:>9.1%}{s['median_words']:>7.0f}")
    for kind in REFUSABLE:
        if kind in summary:
            lines.append(f"{kind:<14}{summary[kind]['n']:>5}{'':>9}{'':>9}{'':>7}{summary[kind]['refused']:>9.1%}")
    a = summary["all"]
    lines.append(f"in-scope wrongly refused: {a['in_scope_wrongly_refused']:.1%}   median answer words: "
                 f"{a['median_words']:.0f}   disclaimer on every reply: {a['disclaimer_on_every_reply']}")
    lines.append(f"reply latency: p50 {a['latency_p50_ms']} ms, p95 {a['latency_p95_ms']} ms")
    lint = ", ".join(f"{tag} {n}" for tag, n in a["lint"].items()) or "none"
    lines.append(f"answer linter: {sum(a['lint'].values())} problems ({lint})   urgent notices shown: "
                 f"{a['urgent_notices']} of {sum(s['n'] for k, s in summary.items() if k != 'all')} questions   "
                 f"declined with what the articles say nearest: {a['near_misses']}")
    return lines


def evaluate(bot: Chatbot, eval_dir: Path, verbose: bool = False) -> dict:
    """Figures per question file (QUESTION_SETS) and per urgent-symptom file (URGENT_SETS)."""
    summary: dict = {"questions": {}, "red_flags": {}}
    problems: list[dict] = []
    for path in sorted(p for pattern in QUESTION_SETS for p in eval_dir.glob(pattern)):
        figures = Figures()
        rows = [dict(r, kind=KIND_ALIASES.get(r["kind"], r["kind"])) for r in read_jsonl(path)]
        run_questions(bot, rows, figures)
        summary["questions"][path.stem] = question_summary(figures)
        problems.extend(r for r in figures.rows if (r["kind"] in ANSWERABLE and r["rank"] == 0)
                        or (r["kind"] in REFUSABLE and r["in_scope"]))
    for path in sorted(p for pattern in URGENT_SETS for p in eval_dir.glob(pattern)):
        name = path.stem
        rf, misses = red_flag_summary(bot, read_jsonl(path))
        summary["red_flags"][name] = rf
        problems.extend(misses)
    if verbose:
        summary["problems"] = problems
    return summary


def headline_figures(summary: dict) -> dict[str, float]:
    """The figures the regression gate watches, by "set/kind/figure"."""
    out = {}
    for name, figures in summary["questions"].items():
        for kind, values in figures.items():
            for key in ("passage_cited", "refused"):
                if key in values:
                    out[f"{name}/{kind}/{key}"] = round(values[key], 4)
        out[f"{name}/lint_problems"] = -float(sum(figures["all"]["lint"].values()))  # higher is better
    for name, values in summary["red_flags"].items():
        out[f"{name}/recall"] = round(values["recall"], 4)
        out[f"{name}/specificity"] = round(values["specificity"], 4)
    return out


def regressions(current: dict[str, float], baseline: dict[str, float], margin: float) -> list[tuple[str, float, float]]:
    """(figure, baseline, now) for every watched figure that fell more than `margin` below its baseline
    (lint problems: any rise)."""
    dropped = []
    for key, before in sorted(baseline.items()):
        now = current.get(key)
        allowed = 0.0 if key.endswith("lint_problems") else margin
        if now is None or now < before - allowed:
            dropped.append((key, before, now if now is not None else float("nan")))
    return dropped
