"""Words of a text for lexical matching: tokens, stop words, stems, lay-term expansion, typos.

Used by BM25, the scope gate, follow-up resolution and the red-flag screen alike, so they agree
on what a "content word" is. The lay-to-article vocabulary itself is data in `lay_terms`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nltk.stem.porter import PorterStemmer

from .lay_terms import LAY_TERMS

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOP_WORDS = frozenset("""
a about above after again against all am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
don't down during each few for from further had hadn't has hasn't have haven't having he he'd
he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into
is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only
or other ought our ours ourselves out over own same shan't she she'd she'll she's should
shouldn't so some such than that that's the their theirs them themselves then there there's
these they they'd they'll they're they've this those through to too under until up very was
wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while
who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours
yourself yourselves im ive dont cant wont isnt doesnt didnt whats hows u ur pls plz please
thanks thank hi hello hey ok okay yeah yes nah lol just really also any anything something
thing things get got getting go going gonna wanna kinda sorta like know tell want need help
helps good best better way ways bit lot lots much many one ones two guys someone else still
even ever every maybe might must shall will may us let lets am etc e g ie eg
""".split())

# Words a question is framed with; not what it is about.
QUESTION_FRAME = frozenset("""
what how why when where which who whom whose do does did is are can could should would will
tell explain describe show give list name say mean means meaning recommend recommended suggest
use used using try work works worth okay fine safe ok normal
""".split())

STEMMER = PorterStemmer()


def fold(text: str) -> str:
    """Lower case, curly quotes straightened, accents dropped (for matching only)."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return STEMMER.stem(word.replace("'", ""))


def content_words(text: str) -> list[str]:
    """Words that say what a text is about: no stop words, no question framing."""
    return [w for w in words(text) if w not in STOP_WORDS and w not in QUESTION_FRAME and len(w) > 1]


@lru_cache(maxsize=1_024)
def expand_lay_terms(text: str) -> str:
    """`expand_lay_terms("theragun on my bum") -> "theragun on my bum massage gun percussion buttock glutes"`"""
    folded = " " + " ".join(words(text)) + " "
    extra = []
    for phrase, terms in LAY_TERMS.items():
        if f" {phrase} " in folded:
            extra.append(terms)
    return text if not extra else f"{text} {' '.join(extra)}"


def stems(text: str) -> list[str]:
    """Stems of the content words (stop words removed), for BM25 and term coverage."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


@lru_cache(maxsize=8_192)
def stem_set(text: str) -> frozenset[str]:
    """`stems` as a set, remembered: the articles' sentences and headings are read on every reply."""
    return frozenset(stems(text))


def edit_distance_at_most(a: str, b: str, limit: int) -> bool:
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit
