"""Stage 5 of the coder: why an occupation was proposed, in the reader's language.

A reason names the document that matched (a title, a task or a tool of the occupation, or an
employer where people often hold it) and the person's own words that matched it. In the reader's
language it is quoted as it is; a document in another language (O*NET's tasks are English) is
quoted in the reader's language when the same kind of document matched in it too, and otherwise
described by the person's words ("«pulidora de pisos» matches one of its tasks, in English") —
never shown as untranslated English in a Spanish page.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; translated when described."""
    return message


QUOTED = {
    "title": gettext_noop("title “%(text)s”"),
    "task": gettext_noop("task “%(text)s”"),
    "tool": gettext_noop("tool “%(text)s”"),
    "employer": gettext_noop("a usual job at “%(text)s”"),
}
BY_WORDS = {
    "title": gettext_noop("“%(words)s” matches one of its titles (%(language)s)"),
    "task": gettext_noop("“%(words)s” matches one of its tasks (%(language)s)"),
    "tool": gettext_noop("“%(words)s” matches one of its tools (%(language)s)"),
}
LANGUAGES = {"en": gettext_noop("in English"), "es": gettext_noop("in Spanish")}


@dataclass(frozen=True)
class Reason:
    kind: str  # title, task, tool or employer
    text: str  # the document that matched
    language: str = ""  # of the document: "es", "en", or "" when unknown
    words: tuple[str, ...] = ()  # the person's words that matched it
    translations: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def describe(self, language: str, translate=gettext_noop) -> str:
        """The reason in `language` ("es", "en"), through `translate`."""
        language = (language or "es")[:2]
        if not self.language or self.language == language or self.kind not in BY_WORDS:
            return translate(QUOTED[self.kind]) % {"text": self.text}
        if language in self.translations:
            return translate(QUOTED[self.kind]) % {"text": self.translations[language]}
        if not self.words:
            return translate(QUOTED[self.kind]) % {"text": self.text}
        return translate(BY_WORDS[self.kind]) % {
            "words": " ".join(self.words),
            "language": translate(LANGUAGES.get(self.language, LANGUAGES["en"])),
        }
