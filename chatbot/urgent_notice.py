"""The notice shown before any answer when the screen found something urgent.

Owns the wording around the taxonomy's action texts: a separate, compassionate notice for
thoughts of self-harm, and for symptoms one line per condition that quotes only the person's
own words and names what it can be a sign of and what to do. Never lists symptoms the person
did not mention. English, Spanish or French, as the message was written.
"""

from __future__ import annotations

from .markdown_text import literal_markdown
from .taxonomy import Taxonomy
from .urgent import Detection

MAX_QUOTED_CHARS = 120

HEADINGS = {
    "crisis": {
        "en": "**You matter.**",
        "es": "**Tú importas.**",
        "fr": "**Vous comptez.**",
    },
    "symptoms": {
        "en": "**Your message describes symptoms that need medical attention.**",
        "es": "**Tu mensaje describe síntomas que necesitan atención médica.**",
        "fr": "**Votre message décrit des symptômes qui nécessitent une attention médicale.**",
    },
    "closing": {
        "en": "**Do not wait for an answer from these articles before getting help.**",
        "es": "**No esperes una respuesta de estos artículos antes de buscar ayuda.**",
        "fr": "**N'attendez pas une réponse de ces articles avant de demander de l'aide.**",
    },
}
MENTION = {
    "en": "You mention “{words}”: this can be a sign of {label}.",
    "es": "Mencionas «{words}»: puede ser un signo de {label}.",
    "fr": "Vous mentionnez « {words} » : cela peut être un signe de {label}.",
}


def quoted(words: str) -> str:
    """The person's words, cut at a word boundary when long, made inert for Markdown."""
    words = " ".join(words.split())
    if len(words) > MAX_QUOTED_CHARS:
        words = words[:MAX_QUOTED_CHARS].rsplit(" ", 1)[0] + "…"
    return literal_markdown(words)


def without_repeats(detections: list[Detection]) -> list[Detection]:
    """One line per thing said: of two detections of the same category whose quoted words overlap
    (one inside the other), only the shorter quote stays (the earlier of two equal ones)."""
    words = [" ".join(d.words.split()) for d in detections]

    def repeated(i: int) -> bool:
        return any(j != i and detections[j].category == detections[i].category and words[j] in words[i]
                   and (len(words[j]) < len(words[i]) or j < i) for j in range(len(detections)))

    return [d for i, d in enumerate(detections) if not repeated(i)]


def urgent_notice(detections: list[Detection], taxonomy: Taxonomy, language: str = "en") -> str | None:
    """Markdown for the notice, or None when nothing urgent was found."""
    if not detections:
        return None
    lang = language if language in MENTION else "en"
    blocks = []
    if any(d.action == "crisis" for d in detections):
        blocks.append(HEADINGS["crisis"][lang] + " " + taxonomy.actions["crisis"].text[lang])
    symptoms = without_repeats([d for d in detections if d.action != "crisis"])
    if symptoms:
        lines = [HEADINGS["symptoms"][lang]]
        for d in symptoms:
            mention = MENTION[lang].format(words=quoted(d.words), label=taxonomy.category_labels[d.category][lang])
            lines.append(f"- {mention} {taxonomy.actions[d.action].text[lang]}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n\n" + HEADINGS["closing"][lang]
