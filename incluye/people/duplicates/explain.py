"""Stage 5 of the duplicate search: why two records (or a group) look like one person.

Each comparison level that is evidence of a match carries a short reason; a pair's reasons come
from its gamma_ columns, a group's from the links that hold it together. Reasons are kept as their
English message ids and translated when shown (`describe`), so each reader gets their language.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from incluye.people.duplicates.model import COMPARISONS, SURNAME_MISSING_LABEL, Level, gettext_noop


@cache
def _levels_by_gamma() -> dict[str, dict[int, Level]]:
    """{comparison: {gamma value: level}}: Splink numbers the levels from n-1 down to 0 (else)."""
    return {
        comparison.name: {
            len(comparison.levels) - index: level for index, level in enumerate(comparison.levels)
        }
        for comparison in COMPARISONS
    }


def pair_reasons(row: dict) -> list[str]:
    """Short reasons (message ids) from a predicted pair's gamma_ columns."""
    reasons = []
    for name, levels in _levels_by_gamma().items():
        level = levels.get(row.get(f"gamma_{name}"))
        if level is None or level.reason is None:
            continue
        reason = level.reason
        if level.label == SURNAME_MISSING_LABEL:
            married = row.get("married_l") or row.get("married_r")
            reason = gettext_noop("married name") if married else gettext_noop("second surname missing")
        reasons.append(reason)
    return reasons


def group_reasons(pair_reasons_list: list[list[str]], *, limit: int = 6) -> list[str]:
    """A group's reasons: those of the links that hold it together, the commonest first."""
    counts = Counter(reason for reasons in pair_reasons_list for reason in dict.fromkeys(reasons))
    return [reason for reason, _count in counts.most_common(limit)]


def describe(reasons, translate=gettext_noop) -> list[str]:
    """The reasons in the reader's language, through `translate` (Django's gettext)."""
    return [translate(reason) for reason in reasons]
