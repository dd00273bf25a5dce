"""Command line: `python -m chatbot ask|index|eval|train|feedback`.

Thin by design: parses arguments, calls the package, prints. Failures print
`Error: ...` on stderr with the fix, and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .settings import ROOT, Settings

EXIT_ERROR, EXIT_STALE = 1, 2
BASELINE_MARGIN = 0.03  # a development-set figure may wobble this much before the gate fails


def fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"Error: {message}", file=sys.stderr)
    return code


def command_index(args: argparse.Namespace, settings: Settings) -> int:
    from .embeddings import default_embedder
    from .indexer import CorpusEmptyError, IndexLockedError, check_index, update_index

    if args.check:
        reasons = check_index(settings)
        if reasons:
            return fail("the index is stale or missing:\n  " + "\n  ".join(reasons) +
                        "\nRun: python -m chatbot index", EXIT_STALE)
        print(f"index is fresh ({settings.index_dir})")
        return 0
    try:
        report = update_index(settings, default_embedder, rebuild=args.rebuild, progress=not args.quiet,
                              wait_seconds=args.wait)
    except (CorpusEmptyError, IndexLockedError) as err:
        return fail(str(err))
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    unlabelled = articles_without_questions(settings)
    if unlabelled:
        print(f"note: no labelled questions are about {', '.join(unlabelled)}. The chatbot answers from "
              f"{'it' if len(unlabelled) == 1 else 'them'}, but decides whether a question is covered on how well "
              "the article matches alone, which declines fewer off-topic questions. Add questions to "
              "data/questions/ and run: python -m chatbot train", file=sys.stderr)
    if report.wrote:
        print("Next: python -m chatbot ask \"how long should I hold the knee to chest stretch?\"")
    return 0


def articles_without_questions(settings: Settings) -> list[str]:
    """Indexed articles that no question of the trained question bank is about."""
    from .question_bank import load_bank
    from .store import read_manifest

    try:
        indexed = read_manifest(settings.index_dir).get("documents", {})
    except Exception:  # the index problem itself is reported elsewhere
        return []
    labelled = set(load_bank().doc_ids)
    return sorted(doc for doc in indexed if doc not in labelled)


def read_batch_line(raw: bytes) -> tuple[str, list] | str:
    """(question, history) from one JSON line, or an error message for that line."""
    try:
        item = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        return f"not valid UTF-8 (byte {err.start + 1})"
    except json.JSONDecodeError as err:
        return f"not valid JSON ({err.msg} at column {err.colno})"
    except RecursionError:
        return "nested too deeply to read"
    except ValueError as err:  # for example an integer with more digits than Python converts
        return f"not readable JSON ({err})"
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        return 'each line must be a JSON object with a string "question" (and optional "history" list)'
    history = item.get("history", [])
    if not isinstance(history, list):
        return '"history" must be a list of {"role": "user"|"assistant", "content": str}'
    return item["question"], history


def json_line(data: dict) -> bytes:
    """One output line, valid UTF-8 even when the input held lone surrogates (then escaped as \\uXXXX)."""
    text = json.dumps(data, ensure_ascii=False)
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(data) + "\n").encode("ascii")


def batch_reply(bot, raw: bytes) -> dict:
    """The reply to one batch line, or its `error` object: no line can stop the batch."""
    parsed = read_batch_line(raw)
    if isinstance(parsed, str):
        return {"error": {"message": parsed, "line": raw[:200].decode("utf-8", errors="replace")}}
    try:
        return bot.reply(*parsed).to_json()
    except Exception as err:  # reported on this line; the following lines are still answered
        return {"error": {"message": f"could not answer this line ({type(err).__name__})",
                          "line": parsed[0][:200]}}


def command_ask(args: argparse.Namespace, settings: Settings) -> int:
    from .bot import Chatbot

    bot = Chatbot.load(settings, say=lambda m: print(m, file=sys.stderr))
    if args.question is not None:
        reply = bot.reply(args.question)
        print(json.dumps(reply.to_json(), ensure_ascii=False) if args.json else reply.markdown)
        return 0
    if not args.json:
        return fail('give a question, e.g. python -m chatbot ask "what causes SI joint pain?" '
                    "(or --json to read JSON Lines from stdin)")
    for raw in sys.stdin.buffer:
        if not raw.strip():
            continue
        sys.stdout.buffer.write(json_line(batch_reply(bot, raw)))
        sys.stdout.buffer.flush()
    return 0


def command_eval(args: argparse.Namespace, settings: Settings) -> int:
    from .bot import Chatbot
    from .evaluate import evaluate, format_table, headline_figures, regressions

    bot = Chatbot.load(settings, say=lambda m: print(m, file=sys.stderr))
    started = time.perf_counter()
    summary = evaluate(bot, Path(args.eval_dir), verbose=args.verbose)
    problems = summary.pop("problems", [])
    baseline_path = Path(args.eval_dir) / "baselines.json"
    if args.save_baseline:
        baseline_path.write_text(json.dumps(headline_figures(summary), indent=1, sort_keys=True) + "\n")
        print(f"baseline written: {baseline_path}")
    if args.check:
        try:
            baseline = json.loads(baseline_path.read_text())
        except (OSError, ValueError) as err:
            return fail(f"no readable baseline at {baseline_path} ({err}); run: python -m chatbot eval --save-baseline")
        dropped = regressions(headline_figures(summary), baseline, BASELINE_MARGIN)
        print(format_table(summary))
        if dropped:
            rows = "\n".join(f"  {key:<48} baseline {before:>8.3f}   now {now:>8.3f}" for key, before, now in dropped)
            return fail(f"{len(dropped)} figure(s) fell below their recorded baseline:\n{rows}")
        print(f"all {len(baseline)} watched figures at or above their baselines (margin {BASELINE_MARGIN})")
        return 0
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for problem in problems:
            print(json.dumps(problem, ensure_ascii=False)[:400])
        print(format_table(summary))
        print(f"({time.perf_counter() - started:.1f} s)")
    return 0


def command_train(args: argparse.Namespace, settings: Settings) -> int:
    from .bot import Chatbot
    from .passages import build_passages
    from .train_passages import train_passage_scorer
    from .train_answerability import train_answerability
    from .train_continuation import train_continuation
    from .train_near_miss import train_near_miss
    from .train_urgent import train_urgent

    started = time.perf_counter()
    say = (lambda m: None) if args.quiet else print
    bot = Chatbot.load(settings, say=lambda m: print(m, file=sys.stderr))
    embedder = bot.retriever.embedder
    parts = [args.only] if args.only else ["urgent", "continuation", "passages", "answerability", "near_miss"]
    if "continuation" in parts:  # first: the other two read follow-ups the way it decides
        bot.continuation = train_continuation(ROOT, [c.section for c in bot.retriever.chunks], embedder.encode, say=say)
    if "urgent" in parts:
        train_urgent(ROOT, embedder.token_vectors, embedder.name, say=say)
    if "passages" in parts:
        train_passage_scorer(ROOT, bot.retriever, bot.document_texts,
                             build_passages(bot.retriever.chunks, bot.document_texts), bot.continues, say=say)
    if "answerability" in parts:
        train_answerability(ROOT, bot.facts_for_training, say=say)
    if "near_miss" in parts:
        train_near_miss(ROOT, bot.sentence_table, embedder.encode, bot.document_texts, say=say)
    print(f"trained in {time.perf_counter() - started:.0f} s; weights in chatbot/weights/")
    print("Next: python -m chatbot eval")
    return 0


def command_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from .feedback import FeedbackStore, FeedbackUnavailable
    from .feedback_report import feedback_report

    store = FeedbackStore(Path(args.db) if args.db else settings.feedback_db)
    try:
        if args.csv is None:
            print(feedback_report(store))
        elif args.csv == "-":
            store.export_csv(sys.stdout)
        else:
            with open(args.csv, "w", encoding="utf-8", newline="") as out:
                rows = store.export_csv(out)
            print(f"{rows} rows written to {args.csv}")
    except FeedbackUnavailable as err:
        return fail(str(err))
    except OSError as err:
        return fail(f"cannot write {args.csv}: {err.strerror}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m chatbot", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question from the articles")
    ask.add_argument("question", nargs="?", help="the question; omit with --json to read JSON Lines from stdin")
    ask.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    index = sub.add_parser("index", help="bring index/ up to date with corpus/")
    index.add_argument("--rebuild", action="store_true", help="embed every document again")
    index.add_argument("--check", action="store_true", help="change nothing; exit 2 if the index is stale")
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    index.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another indexing run")
    ev = sub.add_parser("eval", help="quality figures on the development sets")
    ev.add_argument("--eval-dir", default=str(ROOT / "eval"))
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--verbose", action="store_true", help="also list every miss")
    ev.add_argument("--check", action="store_true", help="fail when a figure falls below eval/baselines.json")
    ev.add_argument("--save-baseline", action="store_true", help="record today's figures as eval/baselines.json")
    train = sub.add_parser("train", help="train the learned parts from data/ (weights go to chatbot/weights/)")
    train.add_argument("--quiet", action="store_true")
    train.add_argument("--only", choices=["urgent", "continuation", "passages", "answerability", "near_miss"], help="train one part only")
    feedback = sub.add_parser("feedback", help="what users rated down and which questions were declined")
    feedback.add_argument("--db", help="the feedback database (default feedback/feedback.sqlite3, or $SIBOT_FEEDBACK_DB)")
    feedback.add_argument("--csv", metavar="FILE", help="export every row as CSV to FILE ('-' for stdout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    commands = {"ask": command_ask, "index": command_index, "eval": command_eval, "train": command_train,
                "feedback": command_feedback}
    try:
        return commands[args.command](args, settings)
    except KeyboardInterrupt:
        return fail("interrupted; the index on disk is unchanged unless the run had finished", 130)
    except Exception as err:  # the last resort: a message, not a traceback
        from .store import IndexProblem

        if isinstance(err, IndexProblem):
            return fail(str(err))
        return fail(f"{type(err).__name__}: {err}")
