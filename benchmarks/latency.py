"""Warm reply latency of `Chatbot.reply`, the bare query embedding time, and where a reply's time goes.

Run from the repo root:  python benchmarks/latency.py [--repeat N] [--profile] [--torch-threads N] [--faiss-threads N]

Loads the bot once (on a temporary copy of corpus/ and index/), warms it up,
then times every question of eval/questions.jsonl; a "followup" question gets
the history of its earlier turns, built the way chatbot/evaluate.py builds it
(those earlier replies are not timed). The per-stage breakdown wraps the
functions `chatbot.bot` calls, so it times the real code path, unchanged.

The model reads the urgent screen's text (token by token) and the retrieval query in one run
per reply (`read_once`); when the query is the message as written, one pass serves both. That
run is the "shared embed" stage, not the screen's. The screen's own cost is reading the message,
pooling and scoring the clauses and the rules ("urgent screen (own)"). How much of the shared
run the screen adds is measured apart, with the bare model (`embeddings.read_texts`, no caches):
the run as the reply makes it, timed against the same code reading the query alone, each the
fastest of SHARE_TRIALS interleaved tries, so that another process's burst is not counted as the
screen's ("screen's share of the embed").
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import statistics
import time
from collections import defaultdict

import faiss

import common  # noqa: F401  (sets the offline environment and sys.path first)
from common import ensure_fresh_index, machine_line, p50_p95, percentile, private_copy, read_questions

import chatbot.bot as bot_module
from chatbot.bot import Chatbot
from chatbot.embeddings import read_texts
from chatbot.settings import Settings

SHARE_TRIALS = 5

# Stage name -> names in chatbot.bot's namespace that belong to it.
STAGES = {
    "urgent screen (own)": ["plan_screen", "screen_planned", "urgent_notice"],
    "shared embed": ["read_once", "embed_once"],
    "guess_language": ["guess_language"],
    "resolve_query": ["resolve_query"],
    "score_sentences": ["score_sentences"],
    "decide_scope": ["decide_scope"],
    "passage answer": ["query_evidence", "candidates_for", "feature_matrix", "choose_passages",
                       "compose_passage_answer"],
    "render": ["reply_markdown"],
}


class StageClock:
    """Adds up wall time per stage while `recording` is on."""

    def __init__(self):
        self.recording = False
        self.current: dict[str, float] = defaultdict(float)

    def wrap(self, stage: str, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if self.recording:
                    self.current[stage] += time.perf_counter() - started
        return timed


def instrument(bot: Chatbot, clock: StageClock) -> list[str]:
    """Wrap the stage functions; returns the names chatbot.bot no longer has (API drift)."""
    missing = []
    for stage, names in STAGES.items():
        for name in names:
            if hasattr(bot_module, name):
                setattr(bot_module, name, clock.wrap(stage, getattr(bot_module, name)))
            else:
                missing.append(name)
    # `search` calls `self.embed`, so the instance attributes catch both, and embed is part of search
    # (only when the query was not in the shared batch).
    bot.retriever.embed = clock.wrap("  of which embed", bot.retriever.embed)
    bot.retriever.search = clock.wrap("retriever.search", bot.retriever.search)
    return missing


def shared_run(bot: Chatbot, question: str, history: list[dict]) -> tuple[str, list[str]]:
    """(the text the screen has the model read, the retrieval queries) as `Chatbot.reply` builds them."""
    queries = bot.likely_queries(question, history, None)
    return bot_module.screen_reading(bot_module.plan_screen(question, bot_module.SCREEN_CHARS).text, queries), queries


def bare_run_ms(model, screen_text: str | None, queries: list[str]) -> float:
    """The bare model's time to read `screen_text` (None: not at all) and `queries` in one run."""
    started = time.perf_counter()
    read_texts(model, [] if screen_text is None else [screen_text], queries)
    return (time.perf_counter() - started) * 1000


def screen_share_ms(model, screen_text: str, queries: list[str]) -> tuple[float, float, float]:
    """(the run as the reply makes it, the queries alone, the queries alone again), each the
    fastest of SHARE_TRIALS interleaved tries. The two runs of the same work show the noise floor:
    how far apart two measurements of identical work land on this machine now."""
    joint, alone, again = [], [], []
    for _ in range(SHARE_TRIALS):
        joint.append(bare_run_ms(model, screen_text, queries))
        alone.append(bare_run_ms(model, None, queries) if queries else 0.0)
        again.append(bare_run_ms(model, None, queries) if queries else 0.0)
    return min(joint), min(alone), min(again)


def history_for(bot: Chatbot, question: dict) -> list[dict]:
    history: list[dict] = []
    for turn in question.get("turns", []):
        earlier = bot.reply(turn, history)
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": earlier.markdown}]
    return history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="passes over the questions (default 1)")
    parser.add_argument("--profile", action="store_true", help="also print the cProfile top functions")
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="torch.set_num_threads(N) after the model loads (default: leave the package's choice)")
    parser.add_argument("--faiss-threads", type=int, default=0,
                        help="faiss.omp_set_num_threads(N) (default: faiss's own, one per core)")
    args = parser.parse_args()

    tmp, corpus_dir, index_dir = private_copy()
    try:
        print(machine_line())
        print(f"private index copy: {ensure_fresh_index(corpus_dir, index_dir)}")
        started = time.perf_counter()
        bot = Chatbot.load(Settings.from_env(corpus_dir=corpus_dir, index_dir=index_dir))
        loaded = time.perf_counter() - started
        bot.warm_up()
        warmed = time.perf_counter() - started
        import torch  # loaded by now; the package sets its thread count when the model loads

        if args.torch_threads:
            torch.set_num_threads(args.torch_threads)
        if args.faiss_threads:
            faiss.omp_set_num_threads(args.faiss_threads)
        questions = read_questions()
        for q in questions[:5]:  # a few more replies so caches and thread pools are warm
            bot.reply(q["question"])
        print(f"Chatbot.load: {loaded:.2f} s; load + warm_up: {warmed:.2f} s; {len(questions)} questions "
              f"x {args.repeat} pass(es); chunks in index: {len(bot.retriever.chunks)}; "
              f"torch threads: {torch.get_num_threads()}; faiss threads: {faiss.omp_get_max_threads()}")

        clock = StageClock()
        missing = instrument(bot, clock)
        if missing:
            print(f"note: chatbot.bot no longer calls {missing}; those stages are not timed")
        profiler = cProfile.Profile() if args.profile else None
        reply_ms, embed_ms, joint_ms, share_ms, per_stage = [], [], [], [], defaultdict(list)
        one_pass = 0  # replies whose screen reads the retrieval query: one pass serves both
        noise_ms: list[float] = []
        for _ in range(args.repeat):
            for q in questions:
                history = history_for(bot, q) if q.get("kind") == "followup" else []
                clock.current.clear()
                clock.recording = True
                if profiler:
                    profiler.enable()
                t0 = time.perf_counter()
                bot.reply(q["question"], history)
                reply_ms.append((time.perf_counter() - t0) * 1000)
                if profiler:
                    profiler.disable()
                clock.recording = False
                for stage in [*STAGES, "retriever.search", "  of which embed"]:
                    per_stage[stage].append(clock.current.get(stage, 0.0) * 1000)
                model = bot.retriever.embedder.load()  # the model itself: the embedder's cache would hide the cost
                t0 = time.perf_counter()
                model.encode([q["question"]], normalize_embeddings=True, convert_to_numpy=True)
                embed_ms.append((time.perf_counter() - t0) * 1000)
                screen_text, queries = shared_run(bot, q["question"], history)
                joint, alone, again = screen_share_ms(model, screen_text, queries)
                joint_ms.append(joint)
                share_ms.append(max(0.0, joint - alone))
                noise_ms.append(abs(again - alone))
                one_pass += screen_text in queries

        print()
        print(f"warm reply (bot.reply)        {p50_p95(reply_ms)}   n={len(reply_ms)}")
        print(f"bare query embedding (encode) {p50_p95(embed_ms)}   n={len(embed_ms)}")
        print(f"ratio reply_p50 / embed_p50 = {percentile(reply_ms, 0.5) / percentile(embed_ms, 0.5):.2f}")
        print(f"shared run, bare model        {p50_p95(joint_ms)}   (screen's text + retrieval query, one run)")
        print(f"screen's share of the embed   {p50_p95(share_ms)}   (that run minus the query alone; "
              f"fastest of {SHARE_TRIALS} each)")
        print(f"noise floor                   {p50_p95(noise_ms)}   (the query alone timed twice the same way)")
        print(f"one pass serves both          {one_pass} of {len(share_ms)} replies (the screen reads the retrieval query)")
        own = per_stage["urgent screen (own)"]
        print(f"screen's own cost             {p50_p95(own)}   (reading, scoring, rules, notice; no embedding)")
        print()
        mean_total = statistics.mean(reply_ms)
        print(f"{'stage (per reply)':<22}{'median ms':>10}{'p95 ms':>9}{'mean ms':>9}{'% of mean reply':>17}")
        order = ["urgent screen (own)", "shared embed", "guess_language", "resolve_query", "retriever.search", "  of which embed",
                 "score_sentences", "decide_scope", "passage answer", "render"]
        accounted = [0.0] * len(reply_ms)
        for stage in order:
            values = per_stage[stage]
            if stage != "  of which embed":
                accounted = [a + v for a, v in zip(accounted, values)]
            print(f"{stage:<22}{statistics.median(values):>10.2f}{percentile(values, 0.95):>9.2f}"
                  f"{statistics.mean(values):>9.2f}{100 * statistics.mean(values) / mean_total:>16.1f}%")
        other = [r - a for r, a in zip(reply_ms, accounted)]
        print(f"{'other (glue, scope sims)':<22}{statistics.median(other):>10.2f}{percentile(other, 0.95):>9.2f}"
              f"{statistics.mean(other):>9.2f}{100 * statistics.mean(other) / mean_total:>16.1f}%")
        print(f"{'whole reply':<22}{statistics.median(reply_ms):>10.2f}{percentile(reply_ms, 0.95):>9.2f}"
              f"{mean_total:>9.2f}{100.0:>16.1f}%")
        print(machine_line())
        if profiler:
            print("\ncProfile, timed replies only, top 15 by own time:")
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
