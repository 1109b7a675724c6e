"""Status pipelines as data (django-oscar style): a dict of allowed transitions, checked in one
place, refusing with a translated message."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class TransitionNotAllowed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Pipeline:
    transitions: dict  # status -> set of statuses it may move to
    labels: dict  # status -> translatable label
    # The translated refusal, naming the kind of thing that moves ("A case cannot go from…").
    refusal: str = gettext_lazy("It cannot go from “%(current)s” to “%(new)s”.")

    def allowed(self, current: str) -> list[str]:
        """The statuses `current` may move to, in the pipeline's order."""
        order = list(self.transitions)
        return sorted(self.transitions.get(current, ()), key=order.index)

    def check(self, current: str, new: str) -> None:
        if new not in self.transitions:
            raise TransitionNotAllowed(_("Unknown status “%(status)s”.") % {"status": new})
        if new not in self.transitions.get(current, ()):
            raise TransitionNotAllowed(
                str(self.refusal) % {"current": self.labels[current], "new": self.labels[new]}
            )
