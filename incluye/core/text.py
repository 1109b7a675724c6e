"""Text folding for search and sorting of Spanish names: case, accents and ñ do not matter."""

import re
import unicodedata


def fold(text: str) -> str:
    """'  Núñez  de   León ' -> 'nunez de leon'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip().casefold()
