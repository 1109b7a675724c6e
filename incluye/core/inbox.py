"""The inbox's registry: what each domain app has waiting for someone.

Each app describes its kinds of waiting work as `InboxSource`s and registers them from its
`AppConfig.ready()`; the inbox page (a top-floor app) asks every source that applies to the
active membership for a queryset, counts it and shows the first items. The inbox never reaches
into an app's models: a source's `queryset` is the app's own selector, already scoped to the
membership, and `item` turns one of its rows into what the inbox shows.

A source must be cheap at any size: its queryset selects what `item` reads (no query per row),
and `overdue` is a `Q` on the same queryset. Every source is counted in one query (`counts`), and a
section shown costs one more query for its first rows.
Items never carry a psychosocial detail for someone who may not read it: that is the source's
job, as it is its selector's.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, Func, IntegerField, Subquery, Value, When


@dataclass
class InboxItem:
    title: str  # who or what: a person's name, a pseudonym, an agreement
    detail: str  # what is waiting, in a few words
    url: str
    due_on: datetime.date | None = None
    overdue: bool = False
    urgent: bool = False
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InboxSource:
    key: str  # unique, used in URLs (?section=key)
    title: object  # a lazily translated string
    order: int  # sections are shown by this order, most pressing first
    applies: Callable  # (membership) -> bool
    queryset: Callable  # (membership, today) -> QuerySet, ordered, already scoped
    item: Callable  # (row, today) -> InboxItem
    overdue: Callable | None = None  # (today) -> Q on the queryset, or None


SOURCES: dict[str, InboxSource] = {}


def register_inbox_source(source: InboxSource) -> None:
    SOURCES[source.key] = source


def sources_for(membership) -> list[InboxSource]:
    if membership is None:
        return []
    return sorted(
        (source for source in SOURCES.values() if source.applies(membership)), key=lambda s: s.order
    )


class _Count(Func):
    """COUNT(expression) as a plain function: in a subquery it counts every row without making
    Django add a GROUP BY."""

    function = "COUNT"
    output_field = IntegerField()


def counts(sources, membership, today) -> dict[str, tuple[int, int]]:
    """{source key: (items, overdue items)} of every source, in one query (a scalar subquery per
    number), whatever the number of sources and items."""
    if not sources:
        return {}
    annotations = {}
    for n, source in enumerate(sources):
        qs = source.queryset(membership, today).order_by()
        annotations[f"n{n}"] = Subquery(qs.annotate(_n=_Count("pk")).values("_n")[:1])
        if source.overdue is not None:
            late = Case(When(source.overdue(today), then=Value(1)), output_field=IntegerField())
            annotations[f"late{n}"] = Subquery(qs.annotate(_late=_Count(late)).values("_late")[:1])
    row = (
        type(membership).objects.filter(pk=membership.pk).annotate(**annotations).values(*annotations).first()
    )
    row = row or {}
    return {source.key: (row.get(f"n{n}") or 0, row.get(f"late{n}") or 0) for n, source in enumerate(sources)}
