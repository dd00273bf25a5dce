"""The chatbot: one message and its conversation in, one typed `Reply` out.

Owns the order of the steps (clean the input, screen for red flags, resolve
follow-ups, retrieve, decide scope, answer or refuse, render) and loading the
index once, rebuilding it first when it is missing or stale. The CLI, the web
app and the evaluation all call `Chatbot.reply`, so they behave identically.
"""

from __future__ import annotations

import logging
import threading
from functools import cache, lru_cache
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .answer import Answer, AnswerLine, Citation, score_sentences
from .answer_sentences import AnswerSentences, sentence_keys
from .answer_sentences import load_model as load_answer_model
from .answerability import QueryFacts, load_answerability, query_facts
from .continuation import SectionNames
from .continuation import load_model as load_continuation
from .disclaimer import DISCLAIMER
from .documents import load_corpus
from .embeddings import Embedder, default_embedder
from .followup import (ResolvedQuery, likely_query, ordinal_reference, pointed_item, question_part, resolve_query,
                       topic_words)
from .history import clean_history, clean_text, message_text
from .indexer import check_index, update_index
from .kept_replies import KeptReplies, ReplayTrace
from .language import guess_language
from .near_miss import SentenceTable, near_miss_answer, shown_passage
from .near_miss import load_model as load_near_miss
from .passage_answer import (choose_passages, compose_passage_answer, kept_to_topic, near_the_notice,
                             nearly_as_likely_part, part_not_shown_again, sections_passages, shown_whole)
from .passage_scorer import PassageTable, candidates_for, feature_matrix, load_scorer, query_evidence
from .next_step import asks_step_after, located_by_answer, located_by_statement, section_steps, step_after
from .passages import Passage, build_passages
from .question_bank import load_bank
from .render import reply_markdown
from .retrieval import Retriever
from .scope import COVERED_TOPICS, REFUSAL_REASONS, Vocabulary, asks_a_question, decide_scope, key_terms
from .sequence import SectionOrder, SectionSpan, sequence_step
from .settings import Settings
from .store import REBUILD_HINT, IndexCorruptError, IndexProblem, chunks_differing_from_documents, load_index
from .taxonomy import load_taxonomy
from .token_pooling import TokenVectors, batches_by_length
from .text import expand_lay_terms
from .urgent import MAX_SCREENED_TOKENS, Detection, plan_screen, screen_planned, screen_reading, screen_text
from .urgent_model import ModelMissingError, load_model
from .urgent_notice import urgent_notice

log = logging.getLogger("chatbot")
REPLIES_KEPT = 64  # recent replies, for a follow-up's replay of the turn before (`kept_replies`)
MODEL_RUNS_KEPT = 32  # recent messages' model runs (tens of kilobytes each), for replays of earlier turns
MAX_REPLAYS = 2  # "and the second one?" replays the turn before; that one may replay one more
TOPIC_TURNS_SCREENED = 3  # a follow-up's topic comes from the last few questions; only those are screened
SCREEN_CHARS = 50_000  # the urgent screen reads at most this much (and MAX_SCREENED_CLAUSES clauses)
LENGTH_SPREAD = 2.0  # a batch of texts to embed holds lengths within this factor of its shortest,
SHORT_TEXT = 300  # or texts of at most this many characters (padding them costs less than another call)


@dataclass(frozen=True)
class Reply:
    answer: str
    citations: list[Citation]
    in_scope: bool
    red_flags: list[str]
    notice: str | None
    disclaimer: str
    query: str
    markdown: str
    notes: list[str] = field(default_factory=list)
    used_context: bool = False
    detections: list[Detection] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # the answer's list items, for "the second one"
    answer_lines: tuple[AnswerLine, ...] = ()  # the answer as typed lines, for front ends with their own markers
    declined_reason: str = ""  # a key of scope.REFUSAL_REASONS when the bot did not answer

    def to_json(self) -> dict[str, Any]:
        """Exactly the keys of the `ask --json` interface."""
        data = asdict(self)
        data["citations"] = [{k: c[k] for k in ("n", "title", "source", "url", "section", "text", "score")}
                             for c in data["citations"]]
        data["detections"] = [d.to_json() for d in self.detections]
        for extra in ("notes", "used_context", "items", "answer_lines", "declined_reason"):
            data.pop(extra)
        return data


class Chatbot:
    def __init__(self, settings: Settings, retriever: Retriever, documents: dict[str, dict],
                 document_texts: dict[str, str]):
        self.settings = settings
        self.retriever = retriever
        self.documents = documents
        self.document_texts = document_texts
        self.vocabulary = Vocabulary([c.embedding_text() for c in retriever.chunks])
        self.taxonomy = load_taxonomy()
        try:
            self.urgent_model = load_model(dimension=retriever.embedder.dimension)
        except ModelMissingError as err:  # as below: training can run, replies cannot
            self.urgent_model, self.missing_urgent_weights = None, err
        self.bank = load_bank(dimension=retriever.embedder.dimension)
        self.bank_documents = frozenset(self.bank.doc_ids)
        self.passages = PassageTable.build(build_passages(retriever.chunks, document_texts), self.bank)
        self.answer_sentences = AnswerSentences.over(load_answer_model(dimension=retriever.embedder.dimension),
                                                     sentence_keys(retriever.chunks, retriever.stored.sentence_rows))
        self.section_names = SectionNames.of([c.section for c in retriever.chunks])
        self.section_order = SectionOrder.of(retriever.chunks)
        self.sentence_table = SentenceTable.build(retriever.chunks, retriever.stored.sentence_rows)
        self.near_miss_model = load_near_miss(dimension=retriever.embedder.dimension)
        self.message_vector = lru_cache(maxsize=32)(self.embed_message)
        self.model_run = lru_cache(maxsize=MODEL_RUNS_KEPT)(self.run_model)
        self.kept_replies: KeptReplies[Reply] = KeptReplies(REPLIES_KEPT)
        # When weights are missing or stale, `python -m chatbot train` can still run; replies cannot.
        self.scorer = self.continuation = self.answerability = None
        for name, load in (("scorer", load_scorer), ("continuation", lambda: load_continuation(self.section_names)),
                           ("answerability", lambda: load_answerability(dimension=retriever.embedder.dimension))):
            try:
                setattr(self, name, load())
            except ModelMissingError as err:
                self.missing_weights = err

    @classmethod
    def load(cls, settings: Settings | None = None, embedder_factory: Callable[[], Embedder] = default_embedder,
             say: Callable[[str], None] = print) -> "Chatbot":
        """Load the index (rebuilding it first if missing or stale) and the model, once."""
        settings = settings or Settings.from_env()
        embedder = embedder_factory()
        stale = check_index(settings, embedder)
        if stale and settings.serve_only:
            raise IndexProblem("the index is missing or stale (" + "; ".join(stale)[:300] + ") and SIBOT_SERVE_ONLY "
                               "is set; build it where the corpus lives: python -m chatbot index")
        if stale:
            say("Index is missing or stale (" + "; ".join(stale)[:300] + "); rebuilding it now...")
            report = update_index(settings, lambda: embedder, progress=True, wait_seconds=300)
            say(report.summary())
        try:
            stored = load_index(settings.index_dir, embedder.name)
        except IndexProblem as err:
            say(f"{err}; rebuilding it now...")
            update_index(settings, lambda: embedder, rebuild=True, progress=True, wait_seconds=300)
            stored = load_index(settings.index_dir, embedder.name)
        corpus = load_corpus(settings.corpus_dir, frozenset(stored.manifest.get("documents", {})))
        documents = {d.doc_id: {"url": d.url, "publisher": d.publisher, "title": d.title} for d in corpus.documents}
        texts = {d.doc_id: d.text for d in corpus.documents}
        damaged = chunks_differing_from_documents(stored.chunks, texts)
        if damaged:  # never quote an edited index as an article
            if settings.serve_only:
                raise IndexCorruptError(f"{damaged[0]} ({len(damaged)} chunks); {REBUILD_HINT} where the corpus lives")
            say(f"{damaged[0]} ({len(damaged)} chunks); rebuilding it now...")
            update_index(settings, lambda: embedder, rebuild=True, progress=True, wait_seconds=300)
            stored = load_index(settings.index_dir, embedder.name)
        return cls(settings, Retriever(stored, embedder), documents, texts)

    def warm_up(self) -> None:
        """Load the model and the word lists, so the first real reply is as fast as the rest."""
        self.reply("Can a massage gun help the sore muscles around my tailbone joint?")

    def reply(self, message: Any, history: Any = None, replays_left: int = MAX_REPLAYS) -> Reply:
        """The reply to `message` given the earlier turns (Gradio "messages" format)."""
        return self.traced_reply(clean_text(message_text(message)), clean_history(history), replays_left)[0]

    def traced_reply(self, text: str, turns: list[dict], replays_left: int) -> tuple[Reply, ReplayTrace]:
        """The reply and how it used replays of earlier turns; a reply kept from an earlier call
        (`kept_replies`) when it is the same reply."""
        if self.urgent_model is None:
            raise self.missing_urgent_weights
        key = (text, tuple((t["role"], t["content"]) for t in turns))
        kept = self.kept_replies.get(key, replays_left)
        if kept:
            return kept
        trace = ReplayTrace()
        reply = self.fresh_reply(text, turns, replays_left, trace)
        self.kept_replies.put(key, replays_left, reply, trace)
        return reply, trace

    def fresh_reply(self, text: str, turns: list[dict], replays_left: int, trace: ReplayTrace) -> Reply:
        """The reply worked out anew; `trace` records the replays of earlier turns it made."""
        notes: list[str] = []
        previous_reply = cache(lambda: self.replayed_reply(turns, replays_left, trace))  # replayed once, when needed
        step = sequence_step(text)
        numbered = self.section_order.numbered(text)  # "what's exercise 3?" names its section by number
        earlier = previous_reply() if not numbered and (step or ordinal_reference(text) is not None) else None
        pointed = numbered.name if numbered else self.pointed_at(text, step, earlier) if earlier else None
        plan = plan_screen(text, SCREEN_CHARS)
        queries = self.likely_queries(text, turns, pointed)
        # One run of the model: the screen's text token by token, and the retrieval query, which
        # most often begins with that text, so one pass over the query serves both.
        read, query_vectors = self.model_run(screen_reading(plan.text, queries), tuple(queries))
        vectors = dict(zip(queries, query_vectors))
        detections, screened = screen_planned(plan, read, self.urgent_model, self.taxonomy)
        red_flags = list(dict.fromkeys(d.category for d in detections))
        notice = urgent_notice(detections, self.taxonomy, guess_language(text))
        if screened < len(text):
            notes.append(f"Your message was long: only its first {screened:,} characters were checked for urgent "
                         "symptoms. If something worrying is further down, please send it on its own.")
        if len(text) > self.settings.max_message_chars:
            notes.append(f"Only the first {self.settings.max_message_chars:,} characters of your message were used "
                         "to search the articles.")
            text = text[:self.settings.max_message_chars]
        if not text:
            return self.refusal("empty", "", red_flags, notice, notes, detections=detections)
        if guess_language(text) != "en":
            return self.refusal("language", text, red_flags, notice, notes, detections=detections)
        if red_flags and not asks_a_question(text):
            return self.refusal("symptoms", text, red_flags, notice, notes, detections=detections)
        if None in (self.scorer, self.answerability, self.continuation):
            raise self.missing_weights
        for resolved in self.readings(text, turns, bool(red_flags), pointed):
            retrieval, facts = self.evidence(resolved, text, vectors)
            probability, threshold = self.answerability.decide(facts, self.has_labelled_questions(retrieval))
            decision = decide_scope(asked_text(resolved, text), probability, threshold)
            if decision.in_scope or decision.reason != "not_covered":
                break  # answerable, or refused for what is asked
        if not decision.in_scope:
            near = self.near_miss(retrieval, detections, vectors) if decision.reason == "not_covered" \
                and self.answerability.about_the_articles(facts) else None
            return self.refusal(decision.reason, resolved.text, red_flags, notice, notes, resolved.used_context,
                                detections, near)
        earlier = previous_reply() if resolved.used_context else None
        shown = frozenset((c.source, start) for c in earlier.citations for start, _ in c.spans) if earlier else frozenset()
        topic = self.section_shown(earlier) if earlier and not numbered else None
        following = self.following_step(text, turns, earlier, topic, shown) if topic else None
        answer = compose_passage_answer([(following, 1.0)], self.documents, self.document_texts,
                                        self.passages.section_starts) if following else \
            self.passage_answer(retrieval, resolved.focus, detections, vectors, shown, numbered, topic)
        markdown = reply_markdown(notice, answer.text, resolved.text, resolved.used_context, answer.citations,
                                  DISCLAIMER, notes)
        return Reply(answer.text, answer.citations, True, red_flags, notice, DISCLAIMER, resolved.text, markdown,
                     notes, resolved.used_context, detections, list(answer.list_items), answer.lines)

    def pointed_at(self, text: str, step: int, earlier: "Reply") -> str | None:
        """What `text` points at beside the previous answer `earlier`: the item of its list an
        ordinal names, or the heading of the section next to the one it quoted ("and the next one?"
        after the dead bug -> "6. Bird Dog"); None when there is nothing there."""
        if not step:
            return pointed_item(text, earlier.items)
        shown = self.section_shown(earlier)
        neighbour = shown and self.section_order.neighbour(shown, step)
        return neighbour.name if neighbour else None

    def following_step(self, text: str, turns: list[dict], earlier: "Reply", topic: SectionSpan,
                       shown: frozenset[tuple[str, int]]) -> Passage | None:
        """For "now what?" (`next_step`): the step after the one the person is at in the steps of
        `topic`, the section the earlier answer showed; None when the message asks something else,
        the section has no steps, or where the person is cannot be told."""
        steps = section_steps(self.passages.passages, topic) if asks_step_after(text) else []
        if len(steps) < 2:
            return None
        users = [t["content"] for t in turns if t["role"] == "user"]
        statements = [text] + ([users[-1]] if users and not asks_a_question(users[-1]) else [])
        vectors = self.retriever.stored.sentence_vectors
        for statement in self.retriever.embedder.encode(statements):
            located = located_by_statement(steps, statement, vectors)
            if located is not None:
                return step_after(steps, located)
        return step_after(steps, located_by_answer(steps, shown))

    def section_shown(self, earlier: "Reply") -> SectionSpan | None:
        """The section the earlier answer's first quoted sentence came from: what a follow-up is about."""
        if not earlier.citations or not earlier.citations[0].spans:
            return None
        first = earlier.citations[0]
        return self.section_order.section_at(first.source, first.spans[0][0])

    def likely_queries(self, text: str, turns: list[dict], pointed: str | None) -> list[str]:
        """`followup.likely_query` as a list ([] when the reply will not search), so that the model
        reads it in the same run as the screen's text."""
        query = likely_query(text, turns, self.continues, self.settings.max_message_chars, pointed)
        return [] if query is None else [query]

    def evidence(self, resolved: ResolvedQuery, text: str, vectors: dict[str, np.ndarray] | None = None):
        """Retrieval and the answerability facts for one reading of a message; `vectors` are texts
        embedded already for this reply (the query's is used when it is among them)."""
        query_vector = (vectors or {}).get(expand_lay_terms(resolved.text))
        retrieval = self.retriever.search(resolved.text, top_k=self.settings.top_chunks, query_vector=query_vector)
        scored = score_sentences(retrieval, self.retriever, resolved.focus)
        return retrieval, query_facts(asked_text(resolved, text), retrieval, scored, self.vocabulary)

    def continues(self, message: str, earlier: str) -> bool:
        """Does `message` continue the user's `earlier` question? (The trained decision of `continuation`.)"""
        if self.continuation is None:
            raise self.missing_weights
        return self.continuation.continues(message, earlier, lambda: self.message_vector(message))

    def run_model(self, screen_text: str, queries: tuple[str, ...]) -> tuple[TokenVectors, np.ndarray]:
        """`read_once`, its arrays read-only: kept per bot as `model_run`, so a follow-up's replay of
        the turn before (`replayed_reply`) reuses the run that turn's own reply made."""
        read, vectors = read_once(self.retriever.embedder, screen_text, queries)
        for array in (read.offsets, read.vectors, read.sentence, vectors):
            array.flags.writeable = False
        return read, vectors

    def embed_message(self, message: str) -> np.ndarray:
        """A message's own vector, for the off-topic check (cached per bot as `message_vector`: one
        reply asks for it up to three times)."""
        return self.retriever.embedder.encode([expand_lay_terms(message)])[0]

    def has_labelled_questions(self, retrieval) -> bool:
        """Is the best matching article one the labelled questions are about? (An article added
        after training is not; its questions are judged on the evidence alone.)"""
        return not retrieval.hits or retrieval.hits[0].chunk.doc_id in self.bank_documents

    def facts_for_training(self, question: str, turns: tuple[str, ...]) -> QueryFacts:
        """The answerability facts of a labelled question whose earlier user turns are `turns`."""
        resolved = resolve_query(question, [{"role": "user", "content": t} for t in turns], self.continues)
        return self.evidence(resolved, question)[1]

    def scored_passages(self, retrieval, focus: str, detections: list[Detection],
                        embedded: dict[str, np.ndarray] | None = None, within: SectionSpan | None = None,
                        topic: SectionSpan | None = None):
        """The trained scorer over the answer candidates: (evidence, candidates, their probabilities,
        the best one or two passages). `embedded` are texts embedded already for this reply;
        `within` a section the message named ("exercise 3"): then only its passages compete. No
        passage close to the words that raised an urgent notice is chosen."""
        evidence = query_evidence(retrieval, self.retriever, focus, self.bank, self.answer_sentences)
        candidates = candidates_for(evidence, self.passages)
        if within is not None:
            candidates = sections_passages(self.passages.passages, within) or candidates
        vectors = self.retriever.stored.sentence_vectors
        if topic is not None:
            candidates += [i for i in sections_passages(self.passages.passages, topic) if i not in candidates]
        probabilities = self.scorer.probabilities(feature_matrix(candidates, evidence, self.passages, vectors))
        if topic is not None:
            candidates, probabilities = kept_to_topic(candidates, probabilities, self.passages, topic)
        chosen = choose_passages(candidates, probabilities, self.passages, self.scorer, vectors,
                                 self.notice_vectors(detections, embedded))
        return evidence, candidates, probabilities, chosen

    def notice_vectors(self, detections: list[Detection], embedded: dict[str, np.ndarray] | None = None
                       ) -> np.ndarray | None:
        """The vectors of the words the detections quote (None without detections), embedded here,
        on their own, only when a message both reports a red flag and is answered or nearly so."""
        if not detections:
            return None
        said = [d.words for d in detections]
        return vectors_of(embed_once(self.retriever.embedder, said, embedded), said, self.retriever.embedder.dimension)

    def passage_answer(self, retrieval, focus: str, detections: list[Detection],
                       embedded: dict[str, np.ndarray] | None = None, shown: frozenset[tuple[str, int]] = frozenset(),
                       within: SectionSpan | None = None, topic: SectionSpan | None = None):
        """The best one or two passages for the retrieval, by the trained scorer; `shown` the
        sentences the earlier answer quoted and `topic` the section it came from, for a follow-up;
        `within` a section the message named."""
        evidence, candidates, probabilities, chosen = self.scored_passages(retrieval, focus, detections, embedded,
                                                                           within, topic)
        if chosen and not evidence.wants_list and not shown_whole(chosen[0][0], shown):  # else answered below
            chosen = nearly_as_likely_part(chosen, candidates, probabilities, self.passages)
        chosen = part_not_shown_again(chosen, candidates, probabilities, self.passages, shown,
                                      evidence.answer_probabilities)
        return compose_passage_answer(chosen, self.documents, self.document_texts, self.passages.section_starts)

    def near_miss(self, retrieval, detections: list[Detection],
                  embedded: dict[str, np.ndarray] | None = None) -> Answer | None:
        """For a question about the articles' topics that they do not answer: the sentence they say
        about its subject (`near_miss`, learned); None when the model finds none, or the one it finds
        is close to what raised the urgent notice (it would present the symptom as ordinary)."""
        if self.near_miss_model is None:
            return None
        found = self.near_miss_model.nearest(self.sentence_table, retrieval.query_vector)
        passage = shown_passage(self.sentence_table.entries[found[0]]) if found else None
        if passage is None:
            return None
        if near_the_notice(passage, self.retriever.stored.sentence_vectors, self.notice_vectors(detections, embedded)):
            return None
        quoted = compose_passage_answer([(passage, found[1])], self.documents, self.document_texts,
                                        self.passages.section_starts)
        return near_miss_answer(quoted, passage.section)

    def replayed_reply(self, turns: list[dict], replays_left: int, trace: ReplayTrace) -> Reply | None:
        """The reply to the previous user turn, known by replaying that turn on the turns before it
        (replies are deterministic), never by reading the rendered reply: its list items and the
        sentences it quoted."""
        users = [i for i, t in enumerate(turns) if t["role"] == "user"]
        if not users:
            return None
        if replays_left <= 0:
            trace.cut = True
            return None
        last = users[-1]
        replayed, replayed_trace = self.traced_reply(turns[last]["content"], turns[:last], replays_left - 1)
        trace.add_replay(replayed_trace)
        return replayed

    def readings(self, text: str, turns: list[dict], reports_symptoms: bool, pointed: str | None = None):
        """Queries to try in turn until one is answerable: the message as resolved against the
        conversation (a message that reports symptoms by its question alone, so the symptoms do not
        pull in the articles' symptom lists instead of what was asked); then, when that matched too
        little, a short message made only of the articles' words, read as continuing the topic."""
        asked = question_part(text) if reports_symptoms else text
        first = resolve_query(asked, turns, self.continues, pointed=pointed)
        vague = len(topic_words(text)) <= 3 and all(self.vocabulary.knows(t) for t in key_terms(text))
        if turns and (first.used_context or vague):  # the earlier turns will be read: only as topics
            turns = self.topic_turns(turns)
            first = resolve_query(asked, turns, self.continues, pointed=pointed)
        yield first
        if turns and not first.used_context and vague:
            yield resolve_query(text, turns, self.continues, assume_continuation=True, pointed=pointed)

    def topic_turns(self, turns: list[dict]) -> list[dict]:
        """The earlier turns as topics a follow-up may continue. A message that raised an urgent
        notice lends only the question it asked: its symptoms are not a topic to search the articles
        for, and thoughts of self-harm are never echoed back as search words. A message that named a
        section by its number ("what's exercise 9?") lends that section's name."""
        kept: list[dict] = []
        checked = 0
        for turn in reversed(turns):
            if turn["role"] == "user" and checked < TOPIC_TURNS_SCREENED:
                checked += 1
                detections, _ = screen_text(turn["content"], self.retriever.embedder.token_vectors,
                                            self.urgent_model, self.taxonomy, SCREEN_CHARS,
                                            self.likely_queries(turn["content"], [], None))
                if detections:
                    asked = question_part(turn["content"])
                    if any(d.action == "crisis" for d in detections) or \
                            (asked == turn["content"] and not asks_a_question(asked)):
                        continue  # nothing of it is a topic to continue
                    turn = {"role": "user", "content": asked}
                named = self.section_order.numbered(turn["content"])
                if named:  # "what's exercise 9?" is about the section it names, whatever its words
                    turn = {"role": "user", "content": f"{turn['content']} ({named.name})"}
            kept.append(turn)
        return kept[::-1]

    def refusal(self, reason: str, query: str, red_flags: list[str], notice: str | None, notes: list[str],
                used_context: bool = False, detections: list[Detection] | None = None,
                near: Answer | None = None) -> Reply:
        """A reply that does not answer, saying why; `near` is what the articles say nearest to a
        question about their topics (then it is shown instead of the list of what they cover)."""
        if near is not None:
            markdown = reply_markdown(notice, near.text, query, used_context, near.citations, DISCLAIMER, notes)
            return Reply(near.text, near.citations, False, red_flags, notice, DISCLAIMER, query, markdown, notes,
                         used_context, detections or [], list(near.list_items), near.lines, reason)
        text = REFUSAL_REASONS[reason] if reason in ("empty", "symptoms") else \
            f"{REFUSAL_REASONS[reason]} The articles cover {COVERED_TOPICS}."
        markdown = reply_markdown(notice, text, query, used_context, [], DISCLAIMER, notes)
        return Reply(text, [], False, red_flags, notice, DISCLAIMER, query, markdown, notes, used_context,
                     detections or [], declined_reason=reason)


def read_once(embedder, screen_text: str, queries: Sequence[str]) -> tuple[TokenVectors, np.ndarray]:
    """The screen's text as token vectors and the queries' vectors, from one run of the model
    (`SentenceTransformerEmbedder.read`): a query that is the screen's text is read once."""
    read, vectors = embedder.read([screen_text], list(queries), max_tokens=MAX_SCREENED_TOKENS)
    return read[0], vectors


def embed_once(embedder: Embedder, texts: Sequence[str], known: dict[str, np.ndarray] | None = None
               ) -> dict[str, np.ndarray]:
    """Each distinct text of `texts` not in `known` embedded once, merged with `known`, in batches
    of similar length (`length_batches`)."""
    known = dict(known or {})
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    for batch in length_batches(missing):
        known.update(zip(batch, embedder.encode(batch)))
    return known


def length_batches(texts: Sequence[str], spread: float = LENGTH_SPREAD, size: int = 32) -> list[list[str]]:
    """Texts shortest first, in batches of similar length (`token_pooling.batches_by_length`; texts
    of at most SHORT_TEXT characters always fit together):
    `length_batches(["a b", "c d", "x" * 400]) -> [["a b", "c d"], ["xxx...x"]]`"""
    lengths = [len(t) for t in texts]
    return [[texts[i] for i in batch] for batch in batches_by_length(lengths, SHORT_TEXT, spread, size)]


def vectors_of(vectors: dict[str, np.ndarray], texts: Sequence[str], dimension: int) -> np.ndarray:
    """The vectors of `texts`, in order, as one array (0 rows for no texts)."""
    if not texts:
        return np.zeros((0, dimension), dtype=np.float32)
    return np.stack([vectors[t] for t in texts]).astype(np.float32, copy=False)


def asked_text(resolved: ResolvedQuery, text: str) -> str:
    """The question as asked: resolved against the conversation when it continues it."""
    return resolved.text if resolved.used_context else text


_shared: Chatbot | None = None
_shared_lock = threading.Lock()


def shared_chatbot(settings: Settings | None = None) -> Chatbot:
    """One Chatbot per process, loaded on first use (the web app and CLI share this)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Chatbot.load(settings)
        return _shared
