"""Each user's inbox, assembled from the sources the apps registered (`incluye.core.inbox`): every
section counted in one query, then one query for the first items of each non-empty section,
whatever the number of items."""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from incluye.core.inbox import SOURCES, InboxSource, counts, sources_for

PREVIEW = 5  # items per section on the home page
PAGE = 25  # items per page of one section
# The navigation shows the inbox's counts on every page. Counting is one query, but building it (a
# dozen scoped subqueries) costs 20 to 50 ms of Python whatever the data: the navigation keeps its
# count for a minute per membership, in the shared cache. The home page always counts afresh and
# renews that copy; a change the user makes forgets it (`incluye.workspace.middleware`).
NAVIGATION_SECONDS = 60


@dataclass
class Section:
    source: InboxSource
    count: int
    overdue: int
    items: list

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def title(self):
        return self.source.title

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def inbox_for(*, membership, limit: int = PREVIEW, today=None) -> list[Section]:
    """The non-empty sections of the membership's inbox, most pressing first."""
    today = today or timezone.localdate()
    sources = sources_for(membership)
    numbers = counts(sources, membership, today)
    sections = []
    for source in sources:
        count, overdue = numbers[source.key]
        if not count:
            continue
        rows = source.queryset(membership, today)[:limit]
        sections.append(Section(source, count, overdue, [source.item(row, today) for row in rows]))
    return sections


def section_page(*, membership, key: str, page=None, today=None):
    """All the items of one section, a page at a time: (section, paginator page) or None."""
    from django.core.paginator import Paginator

    today = today or timezone.localdate()
    source = SOURCES.get(key)
    if source is None or source not in sources_for(membership):
        return None
    count, overdue = counts([source], membership, today)[source.key]
    paginated = Paginator(source.queryset(membership, today), PAGE).get_page(page)
    items = [source.item(row, today) for row in paginated.object_list]
    return Section(source, count, overdue, items), paginated


def totals_of(sections) -> dict:
    """{"items", "overdue"} of sections already counted."""
    return {"items": sum(s.count for s in sections), "overdue": sum(s.overdue for s in sections)}


def inbox_counts(membership, today=None) -> dict:
    """{"items", "overdue"} of the membership's inbox, for the navigation (one query)."""
    today = today or timezone.localdate()
    numbers = counts(sources_for(membership), membership, today).values()
    return {"items": sum(n for n, _late in numbers), "overdue": sum(late for _n, late in numbers)}


def _navigation_key(membership, today) -> str:
    return f"inbox-counts:{membership.pk}:{today.isoformat()}"


def navigation_counts(membership) -> dict:
    """The navigation's {"items", "overdue"}: counted at most once a minute per membership."""
    today = timezone.localdate()
    return cache.get_or_set(
        _navigation_key(membership, today), lambda: inbox_counts(membership, today), NAVIGATION_SECONDS
    )


def navigation_counts_forget(membership) -> None:
    """The membership changed something: the next page counts afresh."""
    cache.delete(_navigation_key(membership, timezone.localdate()))


def navigation_counts_renew(membership, counted: dict) -> None:
    """The home page counted every section: the navigation shows the same numbers from now on."""
    cache.set(_navigation_key(membership, timezone.localdate()), counted, NAVIGATION_SECONDS)
