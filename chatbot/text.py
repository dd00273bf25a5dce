"""Words of a text for lexical matching: tokens, stop words, stems, and lay-to-article terms.

Owns the vocabulary mapping from how people write ("bum", "theragun", "that big
foam cylinder") to how the articles write ("buttock glutes", "massage gun",
"foam roller"). Used by BM25, the scope gate and follow-up resolution alike,
so they agree on what a "content word" is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nltk.stem.porter import PorterStemmer

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

# Lay words and phrases -> the articles' words (added to the query, never replacing it).
LAY_TERMS = {
    "tailbone": "sacrum coccyx lower back",
    "tail bone": "sacrum lower back",
    "tailbone joint": "sacroiliac si joint",
    "sacroiliac": "si joint",
    "si": "sacroiliac",
    "sij": "si joint sacroiliac",
    "bum": "buttock glutes",
    "butt": "buttock glutes",
    "buttocks": "buttock glutes",
    "bottom": "buttock glutes",
    "backside": "buttock glutes",
    "booty": "buttock glutes",
    "arse": "buttock glutes",
    "ass": "buttock glutes",
    "cheek": "buttock glutes",
    "glute": "glutes gluteal",
    "theragun": "massage gun percussion",
    "hypervolt": "massage gun percussion",
    "percussion": "massage gun",
    "gun": "massage gun percussion",
    "cylinder": "foam roller",
    "foam": "foam roller",
    "roller": "foam roller",
    "peanut": "peanut massage ball",
    "lacrosse": "lacrosse massage ball",
    "tennis": "tennis massage ball",
    "physio": "physical therapist physical therapy",
    "physiotherapist": "physical therapist",
    "physiotherapy": "physical therapy",
    "pt": "physical therapist physical therapy",
    "chiro": "chiropractor",
    "masseuse": "massage therapist",
    "masseur": "massage therapist",
    "rmt": "massage therapist",
    "rub": "massage",
    "rubdown": "massage",
    "knots": "trigger points knots",
    "knot": "trigger point knots",
    "sore": "pain ache",
    "hurt": "pain",
    "hurts": "pain",
    "hurting": "pain",
    "aching": "ache pain",
    "achy": "ache pain",
    "ouch": "pain",
    "stiff": "stiffness",
    "pregnant": "pregnancy",
    "preggo": "pregnancy",
    "baby": "pregnancy childbirth",
    "postpartum": "childbirth pregnancy",
    "birth": "childbirth",
    "labor": "childbirth",
    "labour": "childbirth",
    "advil": "ibuprofen nsaids anti-inflammatory",
    "motrin": "ibuprofen nsaids",
    "aleve": "nsaids anti-inflammatory",
    "naproxen": "nsaids anti-inflammatory",
    "nsaid": "nsaids anti-inflammatory",
    "anti-inflammatories": "nsaids anti-inflammatory",
    "painkillers": "medication painkillers",
    "meds": "medication",
    "medicine": "medication",
    "shot": "injections",
    "shots": "injections",
    "cortisone": "steroid injections",
    "ice": "cold ice pack",
    "icing": "cold ice pack",
    "cold": "ice pack",
    "hot": "heat",
    "heating": "heat heating pad",
    "warm": "heat warm",
    "bath": "warm bath heat",
    "brace": "support belt",
    "belt": "support belt",
    "strap": "support belt",
    "bridge": "hip thrust glute bridge",
    "bridges": "hip thrust glute bridge",
    "thrust": "hip thrust",
    "plank": "forearm hips ceiling oblique",
    "pigeon": "piriformis figure four",
    "clamshell": "gluteus medius",
    "four": "figure 4",
    "4": "figure four",
    "twist": "supine twist",
    "twisting": "twist supine",
    "hamstrings": "hamstring",
    "stretching": "stretch stretches",
    "stretches": "stretch",
    "workout": "exercises",
    "workouts": "exercises",
    "moves": "exercises move",
    "excercise": "exercise",
    "excercises": "exercises",
    "exersise": "exercise",
    "exersises": "exercises",
    "strengthen": "strengthening strength",
    "strong": "strength",
    "wobbly": "instability",
    "unstable": "instability hypermobile",
    "loose": "hypermobile instability",
    "lax": "hypermobile",
    "bendy": "hypermobile",
    "hypermobility": "hypermobile",
    "stuck": "hypomobile stiffness",
    "locked": "hypomobile stiffness",
    "doc": "doctor",
    "gp": "doctor",
    "physician": "doctor",
    "er": "doctor",
    "sciatic": "sciatica sciatic nerve",
    "steps": "stairs",
    "car": "driving vehicle",
    "driving": "vehicle",
    "drive": "driving vehicle",
    "dishwasher": "bending reaching",
    "lifting": "lifting bending",
    "bend": "bending",
    "sitting": "sit sitting",
    "desk": "sitting computer",
    "computer": "computer screen sitting",
    "sleep": "sleeping night",
    "morning": "morning stiffness",
    "feel": "feel like",
    "numb": "numbness",
    "pins": "tingling",
    "needles": "tingling",
    "leg": "legs",
    "hip": "hips",
    "lower": "lower back",
    "lumbar": "lower back spine",
    "pelvic": "pelvis",
    "yoga": "yoga pilates",
    "pilates": "pilates yoga",
    "causes": "cause causes culprits",
    "cause": "causes culprits",
    "symptoms": "symptoms feel like",
    "signs": "symptoms",
    "deep": "deep tissue",
    "vigorous": "aggressive deep",
    "hard": "vigorous aggressive",
    "gentle": "gently gentle",
    "often": "how often",
    "minutes": "duration minutes",
    "long": "duration hold seconds minutes",
    "hold": "hold seconds",
    "hot water bottle": "heat heating pad warm",
    "tub": "warm bath",
    "soak": "warm bath",
    "jacuzzi": "warm bath heat",
    "sauna": "heat",
    "spiky": "massage ball",
    "rubber band": "resistance band",
    "band": "resistance band",
    "loop": "resistance band looped",
    "sideways": "side step out",
    "monitor": "computer screen",
    "screen": "computer screen",
    "hunched": "leaning forward posture",
    "slouch": "posture",
    "slouching": "posture",
    "robot": "ai tools generated",
    "ai": "ai tools generated",
    "chatgpt": "ai tools generated",
    "flop": "fall",
    "seized": "stiffness tight",
    "concrete": "tight stiff",
    "tight": "tight tension",
    "pharmacy": "over-the-counter medication",
    "otc": "over-the-counter",
    "tylenol": "medication",
    "paracetamol": "medication",
    "ibuprofen": "ibuprofen nsaids",
    "hammies": "hamstrings",
    "hammy": "hamstring",
    "quads": "thigh",
    "abs": "core abdominal",
    "tummy": "abdominal core",
    "stomach": "abdominal core",
    "crunches": "core abdominal",
    "squat": "mini squat",
    "lunge": "hip flexors",
    "wobble": "instability",
    "gives out": "give way instability",
    "pop": "out of alignment",
    "click": "out of alignment",
    "clicks": "out of alignment",
    "crack": "out of alignment adjust",
    "out of place": "out of alignment",
    "adjustment": "adjust alignment chiropractor",
    "crooked": "alignment imbalance",
    "shorter": "leg shorter uneven",
    "length": "leg shorter uneven",
    "uneven": "uneven",
    "stairs": "climbing stairs staircase",
    "staircase": "climbing stairs",
    "bending": "bending reaching",
    "reaching": "bending reaching",
    "groceries": "lifting heavy object grocery bag",
    "gym": "exercises",
    "running": "running",
    "jogging": "running",
    "twinge": "pain",
    "pinch": "pinching sensation",
    "flare": "flare-up pain flares acute",
    "flareup": "flare-up acute",
    "flaring": "flare-up acute",
    "inflamed": "inflammation acute",
    "swollen": "swelling inflammation",
    "prevent": "prevention prevent",
    "coming back": "prevent long-term",
    "who": "professional",
    "specialist": "professional physical therapist",
    "therapist": "therapist",
    "pills": "medication",
    "bodywork": "massage",
    "bodyworker": "massage therapist",
    "massages": "massage",
    "chemical": "endorphins release",
    "chemicals": "endorphins release",
    "hormone": "endorphins release",
    "hormones": "hormones endorphins",
    "feel good": "endorphins relaxation",
    "downward dog": "yoga",
    "mat": "yoga mat pilates",
    "classes": "yoga pilates",
    "lengthening": "stretching",
    "loosening": "stretching loosen",
    "loosen": "loosen stretch",
    "routine": "routine exercises",
    "routines": "exercises routine",
    "pro": "professional",
    "healthcare": "professional doctor physical therapist",
    "pinched": "sciatica nerve",
    "nerve": "nerve sciatica",
    "disc": "disc problems",
    "cushion": "disc",
    "bulging": "disc problems",
    "brutal": "challenging",
    "tough": "challenging",
    "normal": "normal",
    "mattress": "bed",
    "couch": "sofa",
    "sphere": "ball",
    "vertebrae": "spine",
    "vertebra": "spine",
    "reformer": "pilates",
    "pretzel": "figure four cross",
    "crossed": "cross",
    "cross legged": "cross",
}

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


def expand_lay_terms(text: str) -> str:
    """`expand_lay_terms("theragun on my bum") -> "theragun on my bum massage gun percussion buttock glutes"`"""
    folded = " " + " ".join(words(text)) + " "
    extra = []
    for phrase, terms in LAY_TERMS.items():
        if f" {phrase} " in folded:
            extra.append(terms)
    return text if not extra else f"{text} {' '.join(extra)}"


@lru_cache(maxsize=1)
def _english_frequencies():
    from spellchecker import SpellChecker

    return SpellChecker(distance=1).word_frequency


def english_word_count(word: str) -> int:
    """How common an English word is (0 for words no dictionary knows: slang, typos, jargon)."""
    return int(_english_frequencies()[word])


def stems(text: str) -> list[str]:
    """Stems of the content words (stop words removed), for BM25 and term coverage."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and len(w) > 1]


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
