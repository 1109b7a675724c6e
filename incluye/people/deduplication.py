"""The duplicate search's database side: which records (a scope), writing what it found for
review, and a run's record. The search itself is `incluye.people.duplicates` (plain Python).

A **scope** is one organization's records or a whole country's (every organization registered in
it). The nightly job runs each country; "check duplicates now" runs the user's organization. A
group found in a country whose records all belong to one organization goes to that
organization's queue; a group spanning organizations is kept without an organization, for the
country's review (cross-organization review comes later), and each organization still gets the
part of it that is its own.

The pairs written are those above the threshold and the weaker links that hold a group together
(see `duplicates.cluster`): an officer sees every link of a group, with its probability.

Writing is idempotent: a pair already known is updated while pending and left alone once
reviewed; a group is known by its members (a hash of their keys), updated while pending and
left alone once reviewed; pending groups of the scope that were not found again are removed (they
were never reviewed: the new groups replace them). Pairs reviewed as different people are never
joined again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa
from django.db import transaction
from django.utils import timezone

from incluye.people import duplicates
from incluye.people.duplicates.model import CHUNK_SIZE

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    country: str
    organization_id: int | None = None

    @classmethod
    def of(cls, organization) -> Scope:
        return cls(organization.country_id, organization.pk)

    def __str__(self):
        return f"{self.country}/{self.organization_id}" if self.organization_id else self.country


@dataclass
class DuplicateRun:
    """What a run of the duplicate search did, and how long each step took (seconds)."""

    records: int = 0
    pairs_found: int = 0
    created: int = 0
    updated: int = 0
    skipped_reviewed: int = 0
    groups_created: int = 0
    groups_updated: int = 0
    groups_removed: int = 0
    groups_skipped_reviewed: int = 0
    trained: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    COUNTS = (
        "records",
        "pairs_found",
        "created",
        "updated",
        "skipped_reviewed",
        "groups_created",
        "groups_updated",
        "groups_removed",
        "groups_skipped_reviewed",
    )

    def as_log_data(self) -> dict:
        return {
            **{name: getattr(self, name) for name in self.COUNTS},
            "trained": self.trained,
            "seconds": round(sum(self.timings.values()), 1),
        }

    def add(self, other: DuplicateRun) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.trained = self.trained or other.trained
        for step, seconds in other.timings.items():
            self.timings[step] = self.timings.get(step, 0.0) + seconds


@dataclass
class Registry:
    records: pa.Table
    person_ids: list[str]  # by unique_id
    organization_ids: list[int]  # by unique_id
    national_ids: dict[int, str]  # unique_id -> normalized number, for those who have one


def _normalized(number: str | None) -> str:
    return "".join(c for c in (number or "").upper() if c.isalnum())


def load_registry(scope: Scope, *, chunk_size: int = CHUNK_SIZE) -> Registry:
    """The people of the scope not merged into another record (nor erased), in bulk."""
    from incluye.people.models import IdentityDocument, Person

    people = Person.objects.filter(merged_into__isnull=True, erased_at__isnull=True)
    documents = IdentityDocument.objects.filter(
        document_type__is_national_id=True, person__merged_into__isnull=True
    )
    if scope.organization_id is not None:
        people = people.filter(organization_id=scope.organization_id)
        documents = documents.filter(person__organization_id=scope.organization_id)
    else:
        people = people.filter(organization__country_id=scope.country)
        documents = documents.filter(person__organization__country_id=scope.country)
    national_ids: dict = {}
    for person_id, number in (
        documents.order_by("person_id", "id")
        .values_list("person_id", "number")
        .iterator(chunk_size=chunk_size)
    ):
        national_ids.setdefault(person_id, number)

    columns: dict[str, list] = {name: [] for name in duplicates.RAW_SCHEMA.names}
    person_ids, organization_ids, numbers = [], [], {}
    rows = people.order_by("pk").values_list(
        "pk",
        "organization_id",
        "organization__country_id",
        "nationality_id",
        "given_names",
        "first_surname",
        "second_surname",
        "birth_date",
        "birth_date_precision",
        "sex",
        "phone",
        "residence_id",
    )
    for index, (
        pk,
        org,
        country,
        nationality,
        given,
        first,
        second,
        born,
        precision,
        sex,
        phone,
        residence,
    ) in enumerate(rows.iterator(chunk_size=chunk_size)):
        person_ids.append(str(pk))
        organization_ids.append(org)
        number = national_ids.get(pk)
        if number:
            numbers[index] = _normalized(number)
        columns["unique_id"].append(index)
        columns["given_names"].append(given)
        columns["first_surname"].append(first)
        columns["second_surname"].append(second)
        columns["birth_date"].append(born)
        columns["birth_date_precision"].append(precision)
        columns["sex"].append(sex)
        columns["national_id"].append(number)
        columns["phone"].append(phone)
        columns["residence_id"].append(residence)
        columns["country"].append(country)
        columns["nationality"].append(nationality)
    return Registry(pa.table(columns, schema=duplicates.RAW_SCHEMA), person_ids, organization_ids, numbers)


def _batched(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def group_key(person_ids: Iterable[str]) -> str:
    return hashlib.sha256("|".join(sorted(person_ids)).encode()).hexdigest()


def reviewed_apart(registry: Registry) -> list[tuple[int, int]]:
    """Pairs of the registry that an officer reviewed as different people (by unique_id)."""
    from incluye.people.models import DuplicateCandidate, DuplicateStatus

    row_of = {pk: row for row, pk in enumerate(registry.person_ids)}
    apart = []
    for a, b in (
        DuplicateCandidate.objects.filter(status=DuplicateStatus.DISTINCT)
        .values_list("person_a_id", "person_b_id")
        .iterator(chunk_size=CHUNK_SIZE)
    ):
        a, b = row_of.get(str(a)), row_of.get(str(b))
        if a is not None and b is not None:
            apart.append((a, b))
    return apart


@dataclass
class Group:
    members: list[int]  # unique_ids
    organization_id: int | None
    score: float
    density: float
    links: list[int]  # pair indexes
    reasons: list[str] = field(default_factory=list)


def groups_of(
    registry: Registry,
    pairs: list[dict],
    apart: list[tuple[int, int]],
    *,
    threshold: float | None = None,
    lone_threshold: float | None = None,
    own_surnames: dict[int, tuple[str, str]] | None = None,
    own_given_names: dict | None = None,
) -> list[Group]:
    """The groups to review: each cluster of one organization's records as it is; a cluster
    spanning organizations as it is (for the country) and, per organization, the groups of its own
    records among it. Pairs below `threshold` are weak links; one at least `lone_threshold` joins
    two records whose only link it is (see duplicates.cluster)."""

    def cluster(chosen: list[int]) -> list:
        """The clusters of the pairs at the indexes `chosen`: a cluster's links are positions in it."""
        return duplicates.cluster_pairs(
            [pairs[i]["unique_id_l"] for i in chosen],
            [pairs[i]["unique_id_r"] for i in chosen],
            [pairs[i]["match_probability"] for i in chosen],
            national_ids=registry.national_ids,
            distinct=apart,
            threshold=threshold,
            may_support=[pairs[i].get("may_support", True) for i in chosen],
            evidence=[_evidence(pairs[i]) for i in chosen],
            lone_threshold=lone_threshold,
            may_pair_alone=[pairs[i].get("may_pair_alone", True) for i in chosen],
            may_link=[pairs[i].get("may_link", True) for i in chosen],
            own_surnames=own_surnames,
            own_given_names=own_given_names,
        )

    clusters = cluster(list(range(len(pairs))))
    organizations = [{registry.organization_ids[m] for m in c.members} for c in clusters]
    # The pairs of each organization's own records in a cluster that spans organizations, gathered
    # in one pass over the pairs (keyed by the cluster of the pair's left record).
    spanning = {
        m: number for number, c in enumerate(clusters) if len(organizations[number]) > 1 for m in c.members
    }
    own: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        number, organization = spanning.get(p["unique_id_l"]), registry.organization_ids[p["unique_id_l"]]
        if number is not None and registry.organization_ids[p["unique_id_r"]] == organization:
            own[number, organization].append(i)
    groups = []
    for number, (whole, involved) in enumerate(zip(clusters, organizations, strict=True)):
        if len(involved) == 1:
            groups.append(Group(whole.members, next(iter(involved)), whole.score, whole.density, whole.links))
            continue
        groups.append(Group(whole.members, None, whole.score, whole.density, whole.links))
        for organization in involved:
            chosen = own.get((number, organization), [])
            for part in cluster(chosen):
                groups.append(
                    Group(
                        part.members, organization, part.score, part.density, [chosen[i] for i in part.links]
                    )
                )
    for group in groups:
        group.reasons = duplicates.group_reasons([pairs[i]["reasons"] for i in group.links])
    return groups


def _evidence(pair: dict) -> tuple:
    return tuple(pair.get(column) for column in duplicates.EVIDENCE_COLUMNS)


def pairs_to_keep(pairs: list[dict], groups: list[Group], threshold: float) -> list[dict]:
    """The pairs worth an officer's eyes: those above the threshold, and the weak ones inside a
    group (they hold it together); each group's links are renumbered to match."""
    group_of: dict[int, int] = {}
    for number, group in enumerate(groups):
        for member in group.members:
            group_of.setdefault(member, number)
    keep = [
        i
        for i, pair in enumerate(pairs)
        if pair["match_probability"] >= threshold
        or group_of.get(pair["unique_id_l"], -1) == group_of.get(pair["unique_id_r"], -2)
    ]
    renumbered = {old: new for new, old in enumerate(keep)}
    for group in groups:
        group.links = [renumbered[i] for i in group.links]
    return [pairs[i] for i in keep]


def write_found(registry: Registry, pairs: list[dict], groups: list[Group], scope: Scope) -> DuplicateRun:
    """Write the pairs and the groups (see the module docstring); returns the counts."""
    from incluye.people.models import DuplicateCluster, DuplicateStatus

    run = DuplicateRun()
    now = timezone.now()
    ids = registry.person_ids
    # Groups first: the pairs point at them.
    existing = DuplicateCluster.objects.all()
    if scope.organization_id is not None:
        existing = existing.filter(organization_id=scope.organization_id)
    else:
        existing = existing.filter(country_id=scope.country)
    known_groups = {key: (pk, status) for key, pk, status in existing.values_list("key", "pk", "status")}
    keys = [group_key(ids[m] for m in group.members) for group in groups]
    wanted = dict(zip(keys, groups, strict=True))
    with transaction.atomic():
        stale = [
            pk
            for key, (pk, status) in known_groups.items()
            if status == DuplicateStatus.PENDING and key not in wanted
        ]
        for batch in _batched(stale, 1000):
            DuplicateCluster.objects.filter(pk__in=batch).delete()
        run.groups_removed = len(stale)
        # A group found before in another scope (a country's, an organization's) is the same group.
        elsewhere = {
            key: (pk, status)
            for key, pk, status in DuplicateCluster.objects.filter(
                key__in=[k for k in keys if k not in known_groups]
            ).values_list("key", "pk", "status")
        }
        known_groups |= elsewhere
        to_create, to_update = [], []
        for key, group in wanted.items():
            fields = {
                "size": len(group.members),
                "score": float(group.score),
                "density": float(group.density),
                "reasons": group.reasons,
                "refreshed_at": now,
            }
            if key not in known_groups:
                to_create.append(
                    DuplicateCluster(
                        key=key, country_id=scope.country, organization_id=group.organization_id, **fields
                    )
                )
            elif known_groups[key][1] == DuplicateStatus.PENDING:
                to_update.append(DuplicateCluster(pk=known_groups[key][0], **fields))
            else:
                run.groups_skipped_reviewed += 1
        for batch in _batched(to_create, 1000):
            DuplicateCluster.objects.bulk_create(batch)
        for batch in _batched(to_update, 1000):
            DuplicateCluster.objects.bulk_update(
                batch, ["size", "score", "density", "reasons", "refreshed_at"]
            )
        run.groups_created, run.groups_updated = len(to_create), len(to_update)
        group_pk = dict(
            DuplicateCluster.objects.filter(key__in=[c.key for c in to_create]).values_list("key", "pk")
        )
        Members = DuplicateCluster.members.through
        memberships = [
            Members(duplicatecluster_id=group_pk[key], person_id=ids[m])
            for key, group in wanted.items()
            if key in group_pk
            for m in group.members
        ]
        for batch in _batched(memberships, 5000):
            Members.objects.bulk_create(batch, ignore_conflicts=True)
        # Each pair points at the group an organization reviews, else at the country's.
        pair_group: dict[int, int] = {}
        for key, group in sorted(wanted.items(), key=lambda item: item[1].organization_id is not None):
            pk = group_pk.get(key) or known_groups.get(key, (None,))[0]
            for i in group.links:
                pair_group[i] = pk
            members = set(group.members)
            for i, pair in enumerate(pairs):
                if i not in pair_group and pair["unique_id_l"] in members and pair["unique_id_r"] in members:
                    pair_group[i] = pk
        run.created, run.updated, run.skipped_reviewed = _write_pairs(registry, pairs, pair_group)
    return run


def _write_pairs(registry: Registry, pairs: list[dict], pair_group: dict[int, int]) -> tuple[int, int, int]:
    """Create new pairs, update pending ones, leave reviewed ones alone: (created, updated, skipped)."""
    from incluye.people.models import DuplicateCandidate, DuplicateStatus

    ids = registry.person_ids
    wanted = {}
    for i, pair in enumerate(pairs):
        a, b = ids[pair["unique_id_l"]], ids[pair["unique_id_r"]]
        first = pair["unique_id_l"]
        if b < a:
            a, b, first = b, a, pair["unique_id_r"]
        wanted[(a, b)] = (i, first)
    known = {}
    for batch in _batched(list(wanted), 2000):
        lookup = DuplicateCandidate.objects.filter(
            person_a_id__in={a for a, _ in batch}, person_b_id__in={b for _, b in batch}
        ).values_list("pk", "person_a_id", "person_b_id", "status")
        for pk, a, b, status in lookup:
            known[(str(a), str(b))] = (pk, status)
    to_create, to_update, skipped = [], [], 0
    for (a, b), (i, first) in wanted.items():
        pair = pairs[i]
        fields = {
            "match_weight": float(pair["match_weight"]),
            "match_probability": float(pair["match_probability"]),
            "reasons": pair["reasons"],
            "cluster_id": pair_group.get(i),
        }
        if (a, b) not in known:
            to_create.append(
                DuplicateCandidate(
                    person_a_id=a, person_b_id=b, organization_id=registry.organization_ids[first], **fields
                )
            )
        elif known[(a, b)][1] == DuplicateStatus.PENDING:
            to_update.append(DuplicateCandidate(pk=known[(a, b)][0], **fields))
        else:
            skipped += 1
    for batch in _batched(to_create, 2000):
        # A pair written meanwhile by a concurrent run is not an error.
        DuplicateCandidate.objects.bulk_create(batch, ignore_conflicts=True)
    for batch in _batched(to_update, 1000):
        DuplicateCandidate.objects.bulk_update(
            batch, ["match_weight", "match_probability", "reasons", "cluster_id"]
        )
    return len(to_create), len(to_update), skipped


def scopes_to_search() -> list[Scope]:
    """Every country with people registered: the nightly job's scopes."""
    from incluye.people.models import Person

    countries = Person.objects.order_by().values_list("organization__country_id", flat=True).distinct()
    return [Scope(code) for code in sorted(set(countries))]


def find_duplicates(
    *,
    scope: Scope | None = None,
    organization=None,
    threshold: float = duplicates.THRESHOLD,
    limit_pairs: int | None = None,
    train_model: bool | None = None,
) -> DuplicateRun:
    """Search a scope (`scope`, or `organization`'s records, or by default each country in turn)
    for records of one person with a match probability above `threshold`, group them and queue
    the groups for review.

    `limit_pairs` keeps only the most probable pairs. `train_model` forces (True) or skips (False)
    training; by default the model is trained when the scope has `MIN_RECORDS_TO_TRAIN` people.
    """
    if scope is None and organization is not None:
        scope = Scope.of(organization)
    if scope is None:
        total = DuplicateRun()
        for each in scopes_to_search():
            total.add(
                find_duplicates(
                    scope=each, threshold=threshold, limit_pairs=limit_pairs, train_model=train_model
                )
            )
        return total
    from incluye.accounts.models import Organization
    from incluye.core.actionlog import log_action

    started = time.perf_counter()
    registry = load_registry(scope)
    timings = {"load": time.perf_counter() - started}
    scored = duplicates.score_pairs(
        registry.records,
        threshold=threshold,
        support_threshold=duplicates.SUPPORT_THRESHOLD,
        train_model=train_model,
    )
    timings |= scored.timings
    table = scored.table
    if limit_pairs is not None and table.num_rows > limit_pairs:
        table = table.sort_by([("match_probability", "descending")]).slice(0, limit_pairs)
    started = time.perf_counter()
    pairs = table.to_pylist()
    for pair in pairs:
        pair["reasons"] = duplicates.pair_reasons(pair)
    groups = groups_of(
        registry,
        pairs,
        reviewed_apart(registry),
        threshold=threshold,
        lone_threshold=duplicates.LONE_THRESHOLD,
        own_surnames=scored.own_surnames,
        own_given_names=scored.own_given_names,
    )
    pairs = pairs_to_keep(pairs, groups, threshold)
    timings["group"] = time.perf_counter() - started
    started = time.perf_counter()
    run = write_found(registry, pairs, groups, scope)
    timings["write"] = time.perf_counter() - started
    run.records, run.pairs_found, run.trained, run.timings = (
        registry.records.num_rows,
        len(pairs),
        scored.trained,
        timings,
    )
    organization = (
        Organization.objects.filter(pk=scope.organization_id).first() if scope.organization_id else None
    )
    log_action(
        actor=None,
        organization=organization,
        action="incluye.duplicates.found",
        data={"scope": str(scope), **run.as_log_data()},
    )
    logger.info("find_duplicates %s: %s", scope, run)
    return run


def duplicate_search_run(search, **options) -> DuplicateRun:
    """Run a requested (or nightly) search and record when it started, finished and what it found;
    `options` go to `find_duplicates`."""
    from incluye.people.models import SearchStatus

    search.status, search.started_at = SearchStatus.RUNNING, timezone.now()
    search.save(update_fields=["status", "started_at"])
    try:
        run = find_duplicates(scope=Scope(search.country_id, search.organization_id), **options)
    except Exception:
        search.status, search.finished_at = SearchStatus.FAILED, timezone.now()
        search.save(update_fields=["status", "finished_at"])
        raise
    search.status, search.finished_at, search.counts = SearchStatus.DONE, timezone.now(), run.as_log_data()
    search.save(update_fields=["status", "finished_at", "counts"])
    return run
