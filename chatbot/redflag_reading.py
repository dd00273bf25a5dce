"""Reading a message for red flags: normalising it, splitting it into sentences, and telling a
reported symptom from a denied, asked-about, hypothetical, resolved or someone else's one.

Owned here: the typo correction of key words, sentence splitting, and the context regexes
(negators, questions, hypotheticals, distant past, family history). No categories or patterns.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import edit_distance_at_most, english_word_count, fold

NEGATORS = re.compile(
    r"\b(?:no|not|never|without|denies|deny|denied|havent|hasnt|dont|doesnt|didnt|isnt|arent|wasnt|werent|none|"
    r"nor|neither|zero|free of|ruled out|negative for|sin|ni|pas|sans|aucun\w*|jamais|rien de|nearly|almost)\b")
CLAUSE_BREAK = re.compile(r",|\bbut\b|\bhowever\b|\bthough\b|\balthough\b|\bexcept\b|\bnow\b|\bthen\b|\bsince\b|"
                          r"\bjust\b|\bonly\b|\bpero\b|\bmais\b|\bsolo\b|\bjuste\b|\bseulement\b")
INTERROGATIVE = re.compile(
    r"^\s*(?:what|whats|when|which|who|why|how|can|could|should|would|is|are|does|do|will|may|might|"
    r"que|cual\w*|cuando|como|puede\w*|es|son|quel\w*|est ce|estce|comment|quand|pourquoi|est il)\b")
HYPOTHETICAL = re.compile(r"\b(?:if|in case|whether|unless|what if|au cas ou|en caso de)\b")
REPORT = re.compile(
    r"\b(?:i|he|she|we|they)\s+(?:\w+\s+)?(?:have|has|had|am|was|were|cant|cannot|couldnt|keep|keeps|kept|started|"
    r"noticed|notice|feel|feels|felt|got|lost|woke|peed|wet|leak\w*|fell|slipped|took|been|think)\b|"
    r"\b(?:ive|im|hes|shes|weve|theyve|id)\b|"
    r"\b(?:my|his|her|our)\s+(?:\w+\s+){0,2}(?:is|are|has|have|was|were|feels|feel|keeps|keep|went|gave|gives|started|"
    r"hurts|wont|got|getting|seems|seem)\b|"
    r"\b(?:since|ago|today|yesterday|tonight|this morning|last night|right now)\b|"
    r"\b(?:tengo|estoy|me duele|no puedo|perdi|j ai|je suis|je ne|depuis|desde)\b")
DISTANT_PAST = re.compile(r"\b(?:years? ago|last year|months ago|in (?:19|20)\d\d|back in|when i was (?:a |an )?(?:kid|child|young\w*|little|teen\w*|pregnant with|\d+\b)|as a (?:kid|child)|"
                          r"long time ago|a while ago|healed|all clear|hace anos|il y a des annees)\b")
OTHER_PEOPLE = re.compile(r"\b(?:aunt|uncle|grand\w*|cousin|friend|friends|neighbou?r|colleague|coworker|family|"
                          r"relative|patients?|tiktok|article|video|read|heard|works in|ward|dad|mum|mom|father|mother|"
                          r"brother|sister|husband|wife|partner|son|daughter|toddler|kid|kids|child|children|baby|"
                          r"madre|padre|abuel\w*|herman\w*|tia|tio|mere|pere|soeur|frere|grand mere|grand pere|dog|cat|pet|horse)\b")
OWN_PAIN = re.compile(r"\b(?:my|i have|ive got|im)\s+(?:\S+\s+){0,2}(?:pain|back|si|joint|hip|ache|sore)")
THEIR_PAIN = re.compile(r"\b(?:his|her|he has|she has|hes got|shes got|he s|their)\s+(?:\S+\s+){0,3}(?:pain|back|si|joint|hip|ache|sore)")
MENTIONED = re.compile(r"\b(?:mentioned|told (?:me|us) about|warned (?:me |us )?about|watch(?:ing)? (?:out )?for|"
                       r"look(?:ing)? out for|read (?:about|that)|heard (?:about|that)|asking about|what is|whats|"
                       r"worried about getting|scared of getting|afraid of getting|checklists?|red flags?|rule out|"
                       r"ruled out|research|convinced|means? (?:it s |its )?cancer|charity|leaflet|pamphlet|booklet|handout|"
                       r"poster|information (?:about|on)|info (?:about|on))\b")
RESOLVED = re.compile(r"\b(?:back to normal|went away|gone now|goes away|went completely|resolved|cleared up|"
                      r"fine now|feelings fine|all better|came back fine|said (?:it )?was fine|checked (?:it )?and said|"
                      r"totally better|fully recovered|got better|wears off|(?:comes|came) back (?:a few|after|once|when|within|as soon)|"
                      r"(?:been|totally|completely|all) fine (?:since|ever since)|turned out (?:to be )?"
                      r"(?:nothing|fine|normal)|braxton|irregular|now and then|midwife said (?:this|it)s? (?:is )?normal|"
                      r"then (?:it s|its|it is) fine|split second|(?:been )?like (?:this|that) for years|not getting worse)\b")
# After a lost sensation: it is felt in a limb ("pins and needles down my leg"), not the saddle area.
IN_A_LIMB = (r"\b(?!\s+(?:\S+\s+)?(?:down|into|in|through|along|to) (?:my |the |his |her |both |one |each )?"
             r"(?:left |right |lower |upper |outer )?(?:legs?|foot|feet|calf|calves|toes?|shins?|knees?|ankles?|arms?|"
             r"hands?|fingers?|thighs?)\b)")
# A checklist answer after a symptom ("numbness: no"), not a new clause ("unbearable, no puedo moverme").
AFTER_NEGATION = re.compile(r"^\s*(?:,\s*)?(?:no|none|nope|negative|not really|never|is fine|are fine|fine|normal|ok)\b"
                            r"(?!\s+(?:puedo|puede|puedes|podemos|pueden|aguanto|me|te|se|le|lo|la|nos|longer|way|matter)\b)")

KEYWORDS = (
    "bladder bowel bowels control numb numbness tingling incontinence incontinent urinate urine groin genitals "
    "saddle weakness weak fever feverish chills cancer tumor tumour weight tearing ripping pulsing pulsating chest "
    "pressure pregnant pregnancy bleeding contractions unbearable excruciating osteoporosis steroids accident "
    "injection infection erection toilet paper feeling myself wiping sensation prednisone happened anything "
    "anymore painkillers paracetamol ibuprofen screaming crying dragging sciatica emergency").split()
PROTECTED = frozenset("cancel canceled cancelled fewer chess chase power tower towel bowls bowel bowl blame weeks "
                      "weird paperwork peeling feeding feelings peeing weight wright ripped tearful contract "
                      "contraction steroid feet fever".split())

# Phrases whose words would read as symptoms: "chest of drawers", "weak at the knees" (smitten, not weak).
IDIOMS = {"chest of drawers": "dresser", "weak at the knees": "smitten", "weak in the knees": "smitten"}


@lru_cache(maxsize=20_000)
def correct_word(word: str) -> str:
    """`correct_word("bladdder") -> "bladder"`, `correct_word("numbnes") -> "numbness"`; other words unchanged."""
    word = re.sub(r"(\w)\1{2,}", r"\1\1", word)
    if len(word) < 5 or word in PROTECTED or word in KEYWORDS or english_word_count(word) >= 50:
        return word  # real words ("carrying", "cancel") are not typos of "crying", "cancer"
    limit = 1 if len(word) < 8 else 2
    for keyword in KEYWORDS:
        # A word that extends a keyword is an inflection ("controlar", "weaker"), not its typo.
        if keyword[0] == word[0] and not word.startswith(keyword) and edit_distance_at_most(word, keyword, limit):
            return keyword
    return word


def normalise(message: str) -> str:
    """Folded, apostrophes dropped ("can't" -> "cant"), punctuation spaced, typos of key words corrected."""
    text = fold(message).replace("`", "'")
    text = re.sub(r"'(?=(?:t|s|m|re|ve|ll|d)\b)", "", text).replace("'", " ")  # "can't" -> "cant", "l'anus" -> "l anus"
    for idiom, plain in IDIOMS.items():
        text = text.replace(idiom, plain)
    text = text.replace("no longer", "nolonger ")
    text = re.sub(r"[\"()\[\]{}*_~]", " ", text)
    text = re.sub(r"\?\s*(no|nope|none|never|negative)\b", r" \1", text)  # checklists: "fever? no."
    text = re.sub(r"([,;:])", r" \1 ", text)
    text = re.sub(r"-", " ", text)
    text = re.sub(r"[a-z]+", lambda m: correct_word(m.group(0)), text)
    return re.sub(r"[ \t]+", " ", text).replace("nolonger", "no longer")


def clauses(text: str, longest: int = 400, overlap: int = 160) -> list[str]:
    """Sentences of normalised text; a run-on sentence longer than `longest` characters is cut into
    overlapping windows, so matching stays fast and concepts far apart are not paired."""
    out = []
    for sentence in re.split(r"[!?;\n]+|\.(?!\d)|\s-\s", text):
        sentence = sentence.strip()
        while len(sentence) > longest:
            cut = sentence.rfind(" ", 0, longest)
            cut = cut if cut > overlap else longest
            out.append(sentence[:cut])
            back = sentence.rfind(" ", 0, max(cut - overlap, 1))
            sentence = sentence[back + 1 if back > 0 else cut:].strip()
        if sentence:
            out.append(sentence)
    return out


def is_negated(clause: str, start: int) -> bool:
    """A negator among the few words before the match, within the same part of the clause."""
    before = clause[:start]
    parts = CLAUSE_BREAK.split(before)
    window = " ".join(parts[-1].split()[-5:]) if parts else ""
    return bool(NEGATORS.search(window))


def is_reported(clause: str, start: int) -> bool:
    """False for questions about symptoms in general and for hypotheticals ("if I ever ...")."""
    if HYPOTHETICAL.search(clause[:start]) and not REPORT.search(clause[:HYPOTHETICAL.search(clause[:start]).start()]):
        return False
    if INTERROGATIVE.match(clause) and not REPORT.search(clause):
        return False
    return True
