"""Text folding for search and sorting of Spanish names: case, accents and ñ do not matter."""

import re
import unicodedata


def fold(text: str) -> str:
    """'  Núñez  de   León ' -> 'nunez de leon'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip().casefold()


def pick_language(texts, language: str | None = None) -> str:
    """The text of a {"es": …, "en": …} mapping in the active language ("es-gt" counts as "es"),
    falling back to Spanish, then to any text there is."""
    if language is None:
        from django.utils.translation import get_language  # fold() stays free of Django

        language = get_language()
    language = (language or "es").lower()
    return (
        texts.get(language)
        or texts.get(language[:2])
        or texts.get("es")
        or next((text for text in texts.values() if text), "")
    )


_NOT_WORD = re.compile(r"[^0-9a-z]+")


def words(text: str) -> list[str]:
    """'¿Número de DPI (CUI)?' -> ['numero', 'de', 'dpi', 'cui']; 'villa_nueva' -> ['villa', 'nueva']."""
    return _NOT_WORD.sub(" ", fold(text)).split()


def word_key(text: str) -> str:
    """Text compared by its words only: case, accents, punctuation and separators do not count."""
    return " ".join(words(text))
