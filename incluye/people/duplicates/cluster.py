"""Stage 4 of the duplicate search: pairs become people (plain Python).

The pairs above the threshold are edges of a graph; each connected component is one person
registered several times. Components are grown from the most probable link down (Kruskal's
order), and a link is refused when it would put into one group two records that cannot be one
person: identity numbers that are not all within one character of one of them (the number typed
right, the others with a typo each), or two records an officer already reviewed as different
people. So a chain of likely links never glues two namesakes together through a third record, and
a group always holds at most one identity number (give or take a typo). Nor does a record that
lacks a surname bridge two records whose own two surnames differ ("García" between "García
Monterroso" and "García Sactic"): a link from or to a record without both surnames joins nothing
when the two groups hold records with two surnames each that are not the same two (in either
order, give or take typos: `own_surnames`); nor does a record with one given name (or a
nickname) bridge two records whose own given names differ ("Nico" between "Jesús Nicolás" and
"Nicolás Mauricio": `own_given_names`). A link between records
registered in another country with another nationality joins nothing, however probable
(`may_link`): that is what namesakes look like.

A weaker link (below the threshold, at least `SUPPORT_THRESHOLD`) cannot make a group on its own,
but it may join two groups when another link between the same two groups corroborates it: a
record linked weakly to two registrations of one person (each with its own mistakes), or two
registrations of one person each linked weakly to the same record, is much more likely that person
than either link says. Such a join still never puts two identity numbers (more than a typo apart)
or records reviewed apart into one group; links between namesakes do not count (a different
identity number on each side, or another country with another nationality), nor links whose
surnames have nothing in common (`may_support`), and two links that say the very same thing (the
same level in every comparison: to two registrations alike in all they compare) are one witness,
not two (`evidence`).

Two records left alone after that (in no group) whose only plausible link is each other's (the one
link either has above the support threshold) are one group when that link is at least
`lone_threshold`: a second registration whose mistakes kept it below the threshold, with no other
candidate on either side, and names and birth date that do not contradict each other
(`may_pair_alone`: neither namesakes nor another given name or another birth date). A record
already in a group, or with a second candidate, is left to the rules above: a weak link to a group
is as often a namesake of the group's person as that person (measured on the harder registry).

Each group gets a score, the weakest link that holds it together (the lowest probability of the
spanning tree: every member is linked to the others at least that strongly; for two groups joined
by corroborating links, the chance that at least one of them is right), and its density, the share
of its member pairs the model linked directly. Groups are independent of scope: the same function
groups one organization's records or a whole country's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA


@dataclass
class Cluster:
    members: list[int]  # unique_ids (row numbers), ascending
    score: float  # the weakest link that holds the group together (a probability)
    density: float  # share of member pairs linked directly above the threshold
    links: list[int] = field(default_factory=list)  # the pairs (their index) of the spanning tree


def _compatible(a: set[str], b: set[str]) -> bool:
    """Identity numbers of two groups: one person's, give or take a typo each — all within one
    character of one of them (the number typed right; two copies with a typo each differ by two)."""
    numbers = a | b
    if len(numbers) <= 1:
        return True
    return any(all(x == c or OSA.distance(x, c, score_cutoff=1) <= 1 for x in numbers) for c in numbers)


# Two records with two surnames each carry the same two when each is at most this many edits from
# the other's (in the same order or swapped): a typo in each of two registrations.
SURNAME_EDITS = 2


def _same_surnames(x: tuple[str, str], y: tuple[str, str]) -> bool:
    def near(a: str, b: str) -> bool:
        return a == b or OSA.distance(a, b, score_cutoff=SURNAME_EDITS) <= SURNAME_EDITS

    return (near(x[0], y[0]) and near(x[1], y[1])) or (near(x[0], y[1]) and near(x[1], y[0]))


# Two given names are the same when they are at most this many edits apart (a typo in each of two
# registrations) or a nickname of one stands for the other.
GIVEN_NAME_EDITS = 2


def _same_given_names(
    x: tuple[tuple[str, frozenset[str]], ...], y: tuple[tuple[str, frozenset[str]], ...]
) -> bool:
    """Two records' given names (each: the folded name and the keys of the formal names it may
    stand for) are one person's when every name of each is near one of the other's, in any order."""

    def near(a: tuple[str, frozenset[str]], b: tuple[str, frozenset[str]]) -> bool:
        return (
            a[0] == b[0]
            or bool(a[1] & b[1])
            or OSA.distance(a[0], b[0], score_cutoff=GIVEN_NAME_EDITS) <= GIVEN_NAME_EDITS
        )

    return all(any(near(a, b) for b in y) for a in x) and all(any(near(b, a) for a in x) for b in y)


def cluster_pairs(
    left: Iterable[int],
    right: Iterable[int],
    probability: Iterable[float],
    *,
    national_ids: dict[int, str] | None = None,
    distinct: Iterable[tuple[int, int]] = (),
    threshold: float | None = None,
    may_support: Iterable[bool] | None = None,
    evidence: Iterable[object] | None = None,
    lone_threshold: float | None = None,
    may_pair_alone: Iterable[bool] | None = None,
    may_link: Iterable[bool] | None = None,
    own_surnames: dict[int, tuple[str, str]] | None = None,
    own_given_names: dict[int, tuple[tuple[str, frozenset[str]], ...]] | None = None,
) -> list[Cluster]:
    """Groups of records linked by the pairs (left[i], right[i]) with probability[i].

    `national_ids`: record -> normalized identity number, for the records that have one.
    `distinct`: pairs of records reviewed as different people: never in one group.
    `threshold`: links below it are weak: they join two groups only when at least two of them
    (corroborating each other) link the same two groups; None makes every link strong.
    `may_support`: per link, whether it may count as a weak one (False for namesakes: a different
    identity number on each side, another country with another nationality); all by default.
    `evidence`: per link, what agrees and how (the comparison levels): two weak links that say the
    same thing (to two registrations alike in everything they compare) corroborate nothing.
    `lone_threshold`: a weak link at least this probable joins two records left alone when it is
    the only link either has; None turns this off. `may_pair_alone`: per link, whether it may
    (False for namesakes, or when given names or birth dates differ outright); all by default.
    `may_link`: per link, whether it may join anything at all (False for records registered in
    another country with another nationality, namesakes however alike); all by default.
    `own_surnames`: record -> its own two surnames (folded), for the records that have both: a link
    with a record lacking them at one end does not join two groups whose records' two surnames
    differ (a direct link between two records with both is the model's to weigh).
    `own_given_names`: record -> its given names (each folded, with the keys of the formal names it
    may stand for), for the records that have two or more: likewise, a link with a record that has
    one given name (or a nickname) at one end does not join two groups whose records' given names
    differ ("Nico" between "Jesús Nicolás" and "Nicolás Mauricio")."""
    left, right, probability = list(left), list(right), [float(p) for p in probability]
    linkable = [True] * len(left) if may_link is None else [bool(may) for may in may_link]
    supportable = [True] * len(left) if may_support is None else [bool(s) for s in may_support]
    supportable = [s and may for s, may in zip(supportable, linkable, strict=True)]
    said = list(range(len(left))) if evidence is None else list(evidence)
    national_ids = national_ids or {}
    own_surnames = own_surnames or {}
    own_given_names = own_given_names or {}
    surnames: dict[int, set[tuple[str, str]]] = {}
    given_names: dict[int, set] = {}
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    ids: dict[int, set[str]] = {}
    links: dict[int, list[int]] = {}
    weakest: dict[int, float] = {}
    apart: dict[int, set[int]] = defaultdict(set)
    for a, b in distinct:
        apart[a].add(b)
        apart[b].add(a)

    def find(x: int) -> int:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def group(root: int) -> list[int]:
        return members.setdefault(root, [root])

    def held(store: dict, root: int, values: dict) -> set:
        """The values (`values[member]`) the members of root's group hold: gathered once per
        group, then carried along as groups join."""
        if root not in store:
            store[root] = {values[m] for m in group(root) if m in values}
        return store[root]

    def join(a: int, b: int, edges: list[int], strength: float) -> bool:
        """Join the groups of roots a and b unless they cannot be one person."""
        group_a, group_b = group(a), group(b)
        if not _compatible(held(ids, a, national_ids), held(ids, b, national_ids)):
            return False
        bridged = any(left[e] not in own_surnames or right[e] not in own_surnames for e in edges)
        surnames_a, surnames_b = held(surnames, a, own_surnames), held(surnames, b, own_surnames)
        if bridged and not all(_same_surnames(x, y) for x in surnames_a for y in surnames_b):
            return False
        if any(left[e] not in own_given_names or right[e] not in own_given_names for e in edges):
            given_a, given_b = held(given_names, a, own_given_names), held(given_names, b, own_given_names)
            if not all(_same_given_names(x, y) for x in given_a for y in given_b):
                return False
        small, large = (group_a, group_b) if len(group_a) <= len(group_b) else (group_b, group_a)
        if any(apart.get(m) and apart[m] & set(large) for m in small):
            return False
        if len(group_a) < len(group_b):
            a, b = b, a
        parent[b] = a
        members[a] = group(a) + members.pop(b)
        ids[a] = ids[a] | ids.pop(b)
        surnames[a] = surnames[a] | surnames.pop(b)
        if a in given_names or b in given_names:
            given_names[a] = held(given_names, a, own_given_names) | held(given_names, b, own_given_names)
            given_names.pop(b)
        links[a] = links.get(a, []) + links.pop(b, []) + edges
        weakest[a] = min(weakest.get(a, 1.0), weakest.pop(b, 1.0), strength)
        return True

    strong = [
        e for e in range(len(left)) if linkable[e] and (threshold is None or probability[e] >= threshold)
    ]
    for edge in sorted(strong, key=lambda e: -probability[e]):
        a, b = find(left[edge]), find(right[edge])
        if a != b:
            join(a, b, [edge], probability[edge])
    if threshold is not None:
        _join_corroborated(left, right, probability, supportable, said, find, join)
    if threshold is not None and lone_threshold is not None:
        pairable = [True] * len(left) if may_pair_alone is None else [bool(s) for s in may_pair_alone]
        pairable = [may_pair and may for may_pair, may in zip(pairable, linkable, strict=True)]
        _join_lone_pairs(left, right, probability, pairable, lone_threshold, find, join)

    direct: dict[int, int] = defaultdict(int)
    for edge in range(len(left)):
        root = find(left[edge])
        if root == find(right[edge]):
            direct[root] += 1
    clusters = []
    for root, group_members in members.items():
        if len(group_members) < 2:
            continue
        size = len(group_members)
        clusters.append(
            Cluster(
                members=sorted(group_members),
                score=weakest[root],
                density=min(1.0, direct[root] / (size * (size - 1) / 2)),
                links=sorted(links[root]),
            )
        )
    clusters.sort(key=lambda c: (-c.score, c.members[0]))
    return clusters


# Rounds of corroborated joins: a join may bring together the two links a further join needs.
CORROBORATION_ROUNDS = 3


def _join_corroborated(left, right, probability, supportable, said, find, join) -> None:
    """Weak links between two groups join them when at least two links, each allowed to support
    and each saying something else, connect the same two groups."""
    for _round in range(CORROBORATION_ROUNDS):
        between: dict[tuple[int, int], list[int]] = defaultdict(list)
        for edge in range(len(left)):
            if not supportable[edge]:
                continue
            a, b = find(left[edge]), find(right[edge])
            if a != b:
                between[(min(a, b), max(a, b))].append(edge)
        candidates = []
        for (a, b), edges in between.items():
            if len(edges) < 2 or len({said[edge] for edge in edges}) < 2:
                continue
            # The chance that at least one of the links is right, taking them as independent.
            doubt = 1.0
            for edge in edges:
                doubt *= 1.0 - probability[edge]
            candidates.append((1.0 - doubt, a, b, edges))
        joined = False
        for strength, a, b, edges in sorted(candidates, key=lambda c: -c[0]):
            a, b = find(a), find(b)
            if a == b:
                continue
            joined |= join(a, b, sorted(edges, key=lambda e: -probability[e])[:1], strength)
        if not joined:
            return


def _join_lone_pairs(left, right, probability, pairable, lone_threshold, find, join) -> None:
    """Two records in no group whose one link is to each other join when it is probable enough."""
    degree: dict[int, int] = defaultdict(int)
    for a, b in zip(left, right, strict=True):
        if a != b:
            degree[a] += 1
            degree[b] += 1
    for edge in sorted(range(len(left)), key=lambda e: -probability[e]):
        a, b = left[edge], right[edge]
        if not pairable[edge] or probability[edge] < lone_threshold or degree[a] != 1 or degree[b] != 1:
            continue
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            join(root_a, root_b, [edge], probability[edge])
