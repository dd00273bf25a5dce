"""Decides whether the articles can answer a message, from evidence, and says why not.

Owns two kinds of evidence: what is being *asked for* (a diagnosis, medication
advice, or new instructions for the bot: no article answers those however well
the words match), and how well the best passages match the question (sentence
similarity and how many of the question's key terms the articles use at all).
Thresholds come from `python -m chatbot eval --calibrate`; see docs/evaluation.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import LAY_TERMS, QUESTION_FRAME, STOP_WORDS, edit_distance_at_most, english_word_count, fold, stem, words

# Measured on eval/questions*.jsonl with `python -m chatbot eval` (see docs/evaluation.md).
MIN_SENTENCE_SIMILARITY = 0.33  # below this nothing in the articles is close enough
# A question naming something the articles never mention needs a closer match to be answered:
# a body part, drug or procedure name they lack ("neck", "gabapentin") ...
SPECIFIC_TERM_SIMILARITY = 0.70
# ... or a rare English word they never use ("mattress", "trimester"); commoner words are just talk.
RARE_TERM_SIMILARITY = 0.60
RARE_WORD_COUNT = 10_000
# When half a question's key words never occur in the articles, only a close match is an answer.
HALF_UNKNOWN_SIMILARITY = 0.50
MEDICAL_SHAPE = re.compile(r"(?:pentin|pril|olol|statin|mab|azole|cillin|mycin|profen|oxetine|triptyline|azepam|"
                           r"codone|sartan|prazole|itis|osis|ectomy|otomy|plasty|scopy|gram|graphy)$")
# Adverbs, verb forms, plurals and -y adjectives ("roughly", "hunched", "creeps", "spiky") describe the
# asker's situation; what a question is about is named by nouns ("mattress", "acupuncture", "trimester").
TALK_SHAPE = re.compile(r"(?:ly|ing|ed|ways|(?<![sui])s|(?<!olog)(?<!er)(?<!it)(?<!tr)(?<!ph)(?<!ap)(?<!om)y)$")
# Tests, treatments, supplements, devices and conditions: named, they are what a question is about.
MEDICAL_TERMS = frozenset("""
acupuncture acupuncturist needling cupping prolotherapy prp tens ultrasound mri ct xray x-ray scan scans
radiograph bloodwork biopsy emg ncs implant implants pacemaker stimulator stent cortisone botox supplement
supplements turmeric curcumin cbd collagen glucosamine magnesium vitamin vitamins fibromyalgia scoliosis
endometriosis lupus gout psoriatic rheumatoid osteoarthritis spondylolisthesis stenosis hernia herniation
kyphoplasty vertebroplasty rhizotomy chemo insurance referral prescription surgeon orthopedist neurologist
rheumatologist acupuncturist kinesiology kinesio taping tape
""".split())
BODY_PARTS = frozenset("""
neck shoulder shoulders elbow elbows wrist wrists hand hands finger fingers thumb thumbs jaw jaws head heel heels
ankle ankles toe toes rib ribs collarbone arm arms eye eyes ear ears teeth tooth skin scalp throat tmj achilles
rotator cuff shin shins calf forearm forearms tendon tendons bicep biceps tricep triceps chin nose
""".split())

MEDICATION = (r"ibuprofen|advil|motrin|nurofen|aleve|naproxen|tylenol|acetaminophen|paracetamol|aspirin|nsaids?|"
              r"anti ?inflammator\w*|pain ?killers?|medications?|medicines?|meds|pills?|tablets?|drugs?|gabapentin|"
              r"lyrica|pregabalin|tramadol|oxycodone|oxycontin|codeine|morphine|opioids?|"
              r"muscle relax\w*|cyclobenzaprine|flexeril|methocarbamol|diazepam|valium|prednisone|prednisolone|"
              r"steroids?|cortisone|"
              r"celebrex|celecoxib|meloxicam|diclofenac|voltaren|cbd|antidepressants?|duloxetine|cymbalta|"
              r"amitriptyline|warfarin|blood thinners?|prescription")
MEDICATION_ADVICE = re.compile(
    rf"(?:\b(?:{MEDICATION})\b.*\b(?:dose|doses|dosage|dosing|mg|milligrams?|how (?:much|many|often|long)|max\w*|"
    r"overdose|stop|stopping|quit|come off|coming off|wean|interact\w*|mix\w*|combine\w*|together|alcohol|"
    r"prescribe\w*|switch\w*|instead of|which (?:one|is better)|better than|should i take|can i take|safe to take|"
    r"double|every \d+ hours?|per day|a day)\b)|"
    rf"(?:\b(?:dose|doses|dosage|dosing|mg|milligrams?|how (?:much|many)|max\w*|stop|stopping|quit|come off|"
    rf"wean|interact\w*|mix\w*|combine\w*|prescribe\w*|should i take|can i take|safe to take|best|"
    rf"strongest|recommend\w*|which)\b(?:\W+\w+){{0,3}}\W+(?:{MEDICATION})\b)")
DIAGNOSIS = re.compile(
    r"\b(?:do i have|have i got|diagnos\w* me|diagnose my|what(?:s| is) wrong with me|what do i have|"
    r"(?:tell me|let me know|say|know) (?:if|whether) i (?:have|ve got|got|am suffering)|"
    r"tell me what i have|am i suffering from|is it (?:\w+ ){0,3}or (?:\w+ ){0,3}(?:disc|hernia\w*|sciatica|"
    r"sacroiliitis|arthritis|tumou?r|cancer|kidney\w*|spondyl\w*)|could (?:it|this|mine) be (?:a |an )?(?:\w+ )?"
    r"(?:disc|hernia\w*|tumou?r|cancer|arthritis|sciatica|sacroiliitis|ankylosing|kidney\w*|fracture)|"
    r"is (?:it|this|mine) (?:a |an )?(?:sacroiliitis|sciatica|herniated|slipped disc|arthritis|ankylosing|cancer|"
    r"kidney\w*|fracture)|(?:read|interpret|explain) my (?:mri|x ?ray|scan|ct|results|report|bloods?)|"
    r"my (?:mri|x ?ray|scan|ct|report|results|bloods?)(?: report| results| scan)? (?:says|shows|showed|said|mentions|found))\b")
COST = re.compile(
    r"\b(?:cost|costs|costly|price|prices|pricing|priced|expensive|cheap|cheaper|cheapest|afford\w*|insurance|"
    r"insured|insurer|medicare|medicaid|copay|co pay|deductible|out of pocket|reimburs\w*|how much (?:is|are|does|do|"
    r"would|will|should) (?:\w+ ){0,6}(?:cost|charge|pay|be)|pay for|fees?|dollars?|bucks|covered by|billing)\b")
PURCHASE = re.compile(r"\b(?:brands?|(?:which|what) (?:make|model)s?\b|where (?:can |could |do |should )?(?:i |you |we )?"
                      r"(?:buy|get|purchase|order)\b|(?:to|i|you) (?:buy|purchase|order) (?:one|it|them) (?:from|online|at)\b)")
INSTRUCTION_CHANGE = re.compile(
    r"\b(?:(?:ignore|disregard|forget|override|bypass|drop) (?:all |any |your |the |my |of )*(?:previous |prior |above |"
    r"earlier |system |original )?(?:instructions?|rules|prompts?|guidelines|directions|programming|restrictions)|"
    r"you are now|you re now|pretend (?:to be|you are|you re|that)|act as (?:a|an|my|if)|role ?play|jailbreak|"
    r"developer mode|dan mode|\bdan\b|system prompt|new instructions|from now on,? you|do anything now|"
    r"reveal your|print your (?:prompt|instructions)|without (?:any )?(?:restrictions|filters|rules)|"
    r"no longer (?:bound|restricted)|stop being|forget (?:about )?(?:the|your|all|this|that) (?:\w+ ){0,3}"
    r"(?:stuff|topic|rules|instructions|role|articles))\b")

REFUSAL_REASONS = {
    "instructions": "I can only answer questions about SI joint pain from the articles listed below, "
                    "and I can't change how I work.",
    "medication": "I can't give advice about medicines (which to take, doses, combining them or stopping them). "
                  "A doctor or pharmacist can help with that.",
    "diagnosis": "I can't tell you what condition you have. Only a clinician who examines you can diagnose it; "
                 "a doctor or physical therapist can help.",
    "not_covered": "The articles I answer from don't cover this, so I can't answer it.",
    "cost": "The articles don't cover prices, costs or insurance, so I can't answer that.",
    "purchase": "The articles don't compare brands or say where to buy things, so I can't answer that.",
    "language": "The source articles are in English, so I can only answer questions asked in English.",
    "symptoms": "I can't assess symptoms, so please follow the advice above. If you also have a question "
                "about SI joint pain, ask it and I'll answer from the articles.",
    "empty": "Please type a question about sacroiliac (SI) joint pain.",
}
COVERED_TOPICS = ("what the SI joint is and what causes SI joint pain; what it feels like; how massage can help "
                  "and when it might make things worse; self-massage with foam rollers, massage balls and massage "
                  "guns; exercises and stretches for SI joint pain and how to do them; and when to see a doctor "
                  "or physical therapist")


@dataclass(frozen=True)
class ScopeDecision:
    in_scope: bool
    reason: str  # a key of REFUSAL_REASONS, or "" when in scope
    sentence_similarity: float
    coverage: float
    unknown_terms: tuple[str, ...]

    @property
    def message(self) -> str:
        if self.in_scope:
            return ""
        return f"{REFUSAL_REASONS[self.reason]} The articles cover {COVERED_TOPICS}."


# Pain located in a part of the body the articles do not treat, with no word for the SI region.
ELSEWHERE = (r"neck|shoulders?|elbows?|wrists?|hands?|fingers?|thumbs?|knees?|kneecaps?|ankles?|feet|foot|heels?|"
             r"toes?|arms?|jaw|head|shins?|calf|calves|achilles|ribs?")
PAIN_ELSEWHERE = re.compile(
    rf"\b(?:{ELSEWHERE})\b(?:\s+\w+){{0,1}}\s+(?:hurts?|hurting|aches?|aching|pain|pains|is sore|are sore|clicks?|"
    rf"clicking|swells?|swollen|throbs?)\b|"
    rf"\b(?:pain|ache|aches|soreness|hurts?|hurting)\s+(?:in|on|around|under) (?:my|the|his|her) (?:left |right )?"
    rf"(?:{ELSEWHERE})\b|\b(?:sore|painful|stiff) (?:{ELSEWHERE})\b")
SI_REGION = re.compile(r"\b(?:si|sij|sacroiliac|sacro|sacrum|sacral|tailbone|coccyx|back|spine|hips?|pelvis|pelvic|"
                       r"butt|buttocks?|bum|glutes?|gluteal|groin|sciatica|sciatic|piriformis)\b")


def pain_elsewhere(message: str) -> bool:
    """Does the message locate its pain in another part of the body ("my knee clicks and aches")
    without any word for the SI region? The articles only cover SI joint pain."""
    text = " ".join(words(fold(message).replace("'", "")))
    return bool(PAIN_ELSEWHERE.search(text)) and not SI_REGION.search(text)


QUESTION = re.compile(r"\?|(?:^|[.!;,]\s*)(?:what|whats|how|why|when|where|which|who|can|could|should|would|is|are|do|"
                      r"does|did|will|any)\b|\b(?:tell me|explain|recommend|suggest|advice|tips?)\b", re.I)


def asks_a_question(message: str) -> bool:
    """Does the message ask something, rather than only describe how the person is?"""
    return bool(QUESTION.search(message.replace("'", "")))


def request_type(message: str) -> str:
    """What is asked for when no article can answer it whatever the words: "" otherwise."""
    text = " ".join(words(message.replace("'", "")))
    if INSTRUCTION_CHANGE.search(text):
        return "instructions"
    if MEDICATION_ADVICE.search(text):
        return "medication"
    if DIAGNOSIS.search(text):
        return "diagnosis"
    if COST.search(text):
        return "cost"
    if PURCHASE.search(text):
        return "purchase"
    return ""


class Vocabulary:
    """The articles' words, to tell whether a question's key terms appear in them at all."""

    def __init__(self, texts: list[str]):
        self.words = {w for t in texts for w in words(t)}
        self.stems = {stem(w) for w in self.words}
        self.by_initial: dict[str, list[str]] = {}
        for w in self.words:
            if len(w) >= 4:
                self.by_initial.setdefault(w[0], []).append(w)

    @lru_cache(maxsize=20_000)
    def knows(self, word: str) -> bool:
        """Known as written, by stem, as a lay term, by a shared 6-letter root, or one typo away."""
        if word.isdigit() or word in self.words or stem(word) in self.stems or word in LAY_TERMS:
            return True
        candidates = self.by_initial.get(word[0], ())
        if len(word) >= 6 and any(w[:6] == word[:6] for w in candidates):
            return True  # "diagnosed" ~ "diagnosis"
        if len(word) >= 5:
            return any(edit_distance_at_most(word, w, 1) for w in candidates)
        return False

    def uncovered(self, word: str) -> str:
        """"specific" for a body part, drug-like or long jargon word the articles lack, "rare" for a
        rare English word they never use, "" otherwise (known, or just ordinary talk)."""
        if self.knows(word):
            return ""
        if word in BODY_PARTS or word in MEDICAL_TERMS or MEDICAL_SHAPE.search(word):
            return "specific"
        count = english_word_count(word)
        if count == 0:
            return "specific" if len(word) >= 10 else ""  # long unknown words are jargon; short ones slang
        if len(word) < 5 or count >= RARE_WORD_COUNT or TALK_SHAPE.search(word):
            return ""
        return "rare"


def key_terms(message: str) -> list[str]:
    """Content words of a question, without stop words and question framing."""
    return [w for w in words(fold(message).replace("'", "")) if w not in STOP_WORDS and w not in QUESTION_FRAME
            and len(w) > 2 and not w.isdigit()]


FOCUS_OPENER = frozenset("is are does do would will can could should which about vs versus between try using "
                         "recommend best better good ideal right safest".split())
FOCUS_VERDICT = frozenset("work works working help helps helpful good better best worth safe effective ok okay "
                          "recommended bad dangerous".split())


def in_focus(word: str, message: str, reach: int = 3) -> bool:
    """Is `word` what the question asks about: right after "is/does/which ..." or right before
    "work/help/good/safe ..."? ("does acupuncture work", "which mattress is best")."""
    tokens = words(fold(message).replace("'", ""))
    for i, token in enumerate(tokens):
        if token != word:
            continue
        before, after = tokens[max(0, i - reach):i], tokens[i + 1:i + 1 + reach]
        if FOCUS_OPENER & set(before) or FOCUS_VERDICT & set(after):
            return True
    return False


def looks_like_a_name(word: str, vocabulary: Vocabulary) -> bool:
    """A word the articles never use and no English dictionary has: a brand, test or drug name
    ("hypervolt", "faber"), not chat spelling ("soooo", "smth")."""
    return (len(word) >= 5 and not re.search(r"(\w)\1\1", word) and not vocabulary.knows(word)
            and english_word_count(word) == 0)


def decide_scope(message: str, sentence_similarity: float, vocabulary: Vocabulary) -> ScopeDecision:
    """In scope when the best sentence matches well enough and the key terms are the articles' terms."""
    asked = request_type(message)
    terms = key_terms(message)
    kinds = {t: vocabulary.uncovered(t) for t in terms}
    for t in terms:  # a word the articles lack, when it is what the question is about, decides more
        if looks_like_a_name(t, vocabulary) and in_focus(t, message):
            kinds[t] = "focus"  # a name the articles never use: "is a hypervolt better", "what is the faber test"
        elif kinds[t] == "rare" and in_focus(t, message):
            kinds[t] = "specific"
        elif kinds[t] == "specific" and in_focus(t, message):
            kinds[t] = "focus"
    unknown = tuple(t for t in terms if kinds[t])
    coverage = 1.0 - len(unknown) / len(terms) if terms else 0.0
    unknown_share = sum(not vocabulary.knows(t) for t in terms) / len(terms) if terms else 1.0
    needed = MIN_SENTENCE_SIMILARITY
    if unknown_share >= 0.5:  # half the question's words are foreign to the articles
        needed = max(needed, HALF_UNKNOWN_SIMILARITY)
    if "rare" in kinds.values():
        needed = max(needed, RARE_TERM_SIMILARITY)
    if "specific" in kinds.values():
        needed = max(needed, SPECIFIC_TERM_SIMILARITY)
    if "focus" in kinds.values():  # "is acupuncture good for ...": about a thing the articles never name
        needed = 1.0
    if asked:
        return ScopeDecision(False, asked, sentence_similarity, coverage, unknown)
    if pain_elsewhere(message):
        return ScopeDecision(False, "not_covered", sentence_similarity, coverage, unknown)
    if sentence_similarity < needed:
        return ScopeDecision(False, "not_covered", sentence_similarity, coverage, unknown)
    return ScopeDecision(True, "", sentence_similarity, coverage, unknown)
