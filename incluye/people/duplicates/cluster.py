"""Stage 4 of the duplicate search: pairs become people (plain Python).

The pairs above the threshold are edges of a graph; each connected component is one person
registered several times. Components are grown from the most probable link down (Kruskal's
order), and a link is refused when it would put into one group two records that cannot be one
person: two identity numbers that differ by more than one character, or two records an officer
already reviewed as different people. So a chain of likely links never glues two namesakes
together through a third record, and a group always holds at most one identity number (give or
take a typo).

Each group gets a score, the weakest link that holds it together (the lowest probability of the
spanning tree: every member is linked to the others at least that strongly), and its density,
the share of its member pairs the model linked directly. Groups are independent of scope: the
same function groups one organization's records or a whole country's.
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
    """Identity numbers of two groups: one person's, give or take a typo."""
    return all(x == y or OSA.distance(x, y, score_cutoff=1) <= 1 for x in a for y in b)


def cluster_pairs(
    left: Iterable[int],
    right: Iterable[int],
    probability: Iterable[float],
    *,
    national_ids: dict[int, str] | None = None,
    distinct: Iterable[tuple[int, int]] = (),
) -> list[Cluster]:
    """Groups of records linked by the pairs (left[i], right[i]) with probability[i].

    `national_ids`: record -> normalized identity number, for the records that have one.
    `distinct`: pairs of records reviewed as different people: never in one group."""
    left, right, probability = list(left), list(right), [float(p) for p in probability]
    national_ids = national_ids or {}
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

    for edge in sorted(range(len(left)), key=lambda e: -probability[e]):
        a, b = find(left[edge]), find(right[edge])
        if a == b:
            continue
        group_a, group_b = group(a), group(b)
        ids_a = ids.setdefault(a, {national_ids[m] for m in group_a if m in national_ids})
        ids_b = ids.setdefault(b, {national_ids[m] for m in group_b if m in national_ids})
        if not _compatible(ids_a, ids_b):
            continue
        small, large = (group_a, group_b) if len(group_a) <= len(group_b) else (group_b, group_a)
        if any(apart.get(m) and apart[m] & set(large) for m in small):
            continue
        if len(group_a) < len(group_b):
            a, b = b, a
        parent[b] = a
        members[a] = group(a) + members.pop(b)
        ids[a] = ids[a] | ids.pop(b)
        links[a] = links.get(a, []) + links.pop(b, []) + [edge]
        weakest[a] = min(weakest.get(a, 1.0), weakest.pop(b, 1.0), probability[edge])
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
