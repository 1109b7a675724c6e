"""Stage 4 of the search: why a record was found, in the reader's language.

The scoring stage gives each hit reasons as (code, parameters); `describe` turns them into short
sentences with the translation function it is given (the web layer passes Django's gettext, so
the words are in the language of whoever reads them)."""

from incluye.core.names import NAME_FORM_SECTIONS
from incluye.people.search.normalize import NAME_DISPLAY


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; translated when described."""
    return message


MESSAGES = {
    "name": gettext_noop("name %(percent)d %%"),
    "nickname": gettext_noop("nickname %(nickname)s → %(name)s"),
    "english": gettext_noop("in another language %(nickname)s → %(name)s"),
    "abbreviation": gettext_noop("abbreviation %(nickname)s → %(name)s"),
    "married": gettext_noop("married name: de %(surname)s"),
    "swapped": gettext_noop("surnames in the other order"),
    "spaces": gettext_noop("spaces put right in “%(typed)s”"),
    "same_id": gettext_noop("same identity number"),
    "same_phone": gettext_noop("same phone"),
    "birth_same": gettext_noop("same birth date"),
    "birth_swapped": gettext_noop("birth date with day and month swapped"),
    "birth_month": gettext_noop("same month and year of birth"),
    "birth_year": gettext_noop("same birth year"),
}


NAME_FORMS = frozenset(NAME_FORM_SECTIONS.values())  # "nickname", "english", "abbreviation"


def _display(folded: str) -> str:
    return NAME_DISPLAY.get(folded, folded.capitalize())


def describe(reasons, translate=gettext_noop) -> list[str]:
    """Sentences for (code, parameters) reasons, through `translate`."""
    sentences = []
    for code, parameters in reasons:
        if code in NAME_FORMS:
            parameters = {"nickname": _display(parameters["nickname"]), "name": _display(parameters["name"])}
        sentences.append(translate(MESSAGES[code]) % parameters)
    return sentences
