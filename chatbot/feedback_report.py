"""What maintainers read from the feedback database: counts per day, answers rated down with
their questions and comments, and the questions most often declined (which article to add next)."""

from __future__ import annotations

import textwrap

from .feedback import FeedbackStore

SHOWN_DOWN = 30
SHOWN_DECLINED = 20
ANSWER_PREVIEW_CHARS = 300


def feedback_report(store: FeedbackStore) -> str:
    days = store.counts_by_day()
    down = store.ratings("down")
    declined = store.frequent_declined(SHOWN_DECLINED)
    if not days:
        return f"No feedback yet in {store.path}."
    lines = [f"Feedback in {store.path}", "", "Per day          up   down   declined"]
    lines += [f"{day:<12} {up:>6} {down_count:>6} {off:>10}" for day, up, down_count, off in days]
    totals = [sum(row[i] for row in days) for i in (1, 2, 3)]
    lines.append(f"{'total':<12} {totals[0]:>6} {totals[1]:>6} {totals[2]:>10}")
    lines += ["", f"Answers rated down ({len(down)}, newest first):"]
    for rating in down[:SHOWN_DOWN]:
        sources = "; ".join(f"[{s.get('n')}] {s.get('title', '')} > {s.get('section', '')}" for s in rating.sources)
        lines.append(f"- {rating.created}  Q: {rating.question}")
        if rating.comment:
            lines.append(f"    comment: {rating.comment}")
        lines.append(f"    sources: {sources or '(none: the bot declined)'}")
        lines.append("    answer:  " + textwrap.shorten(rating.answer, ANSWER_PREVIEW_CHARS, placeholder=" …"))
    if len(down) > SHOWN_DOWN:
        lines.append(f"  … {len(down) - SHOWN_DOWN} more (use --csv for all)")
    lines += ["", "Questions declined most often:" if declined else
              "Questions declined: none recorded (the app records them only with --record-declined)."]
    lines += [f"{times:>4} x  {question}  ({reason})" for question, times, reason in declined]
    return "\n".join(lines)
