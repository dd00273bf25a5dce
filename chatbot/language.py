"""Tells English from Spanish and French messages by their commonest words.

Owns only that guess; the articles are English, so other languages get a polite
note (and the red-flag screen, which understands some Spanish and French).
"""

from __future__ import annotations

from .text import words

COMMON = {
    "en": set("the and is are i my it to of in for with what how can do does have has me this that you".split()),
    "es": set("el la los las que de y en mi me es por para con una un tengo duele dolor espalda puedo como "
              "qué cuando hace desde muy pero del al está estoy".split()),
    "fr": set("le la les de des et je j ai mon ma mes est pas une un avec pour douleur mal dos depuis "
              "quand comment qui sur dans suis très".split()),
}


def guess_language(text: str) -> str:
    """"en", "es" or "fr"; English unless another language clearly leads."""
    tokens = words(text.replace("'", " "))
    if not tokens:
        return "en"
    counts = {lang: sum(t in vocab for t in tokens) for lang, vocab in COMMON.items()}
    best = max(counts, key=counts.get)
    if best != "en" and counts[best] >= 2 and counts[best] > 1.5 * counts["en"]:
        return best
    return "en"
