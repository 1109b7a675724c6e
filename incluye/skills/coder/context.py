"""Stage 3b of the coder: the words around a trade that change which occupation it means.

- A role ("ayudante de rufero", "foreman de concreto", "mayordomo de la cuadrilla de yardas") moves
  the answer from the trade named to its helper or its first-line supervisor.
- A place ("la excavadora en la carretera", "cortaba árboles en el bosque") decides between two
  trades that do the same thing.
- A role's own words name the role, not the trade: "crew leader for a framing company" matches
  O*NET's "Crew Leader" (a title of the production supervisors, among others) for "crew leader"
  alone, and the trade is the framer, whose supervisor it is.
- Without a role word, nobody is made a first-line supervisor for words the work itself says:
  "trabajé en una bodega" matches "supervisor de bodega" as well as "trabajador de bodega" (and with
  O*NET imported, where "supervisor" is a common word, the supervisor's title looked the closer).

Both are data (`data/taxonomy/roles.json`): which trades have which helper and supervisor, and
which occupations each place prefers. Nothing here names an occupation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from incluye.skills.coder.normalize import fast_fold

# How much a place said raises the occupations it prefers (their raw score, times 1 + this).
PLACE_BONUS = 0.2
# A role moves the answer to the helper or supervisor of a trade among the first few candidates,
# if that trade scores at least this share of the first.
ROLE_REACH = 3
ROLE_SPAN = 0.5
# When the first candidate already is a helper or supervisor (of another trade: "mayordomo" is a farm
# title), a trade further down must score this share of it to move the answer to its own.
ROLE_RIVAL = 0.85
# How far above the first candidate the helper or supervisor is put.
ROLE_STEP = 0.01


def _pattern(words) -> re.Pattern | None:
    phrases = sorted({fast_fold(w) for w in words}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b") if phrases else None


def _longest_prefix(code: str, table: dict[str, str]) -> str | None:
    for length in range(len(code), 0, -1):
        found = table.get(code[:length])
        if found:
            return found
    return None


@dataclass
class Role:
    name: str
    pattern: re.Pattern | None
    of: dict[str, str]  # trade SOC (or prefix) -> the helper's or supervisor's SOC
    already: tuple[str, ...]  # SOC codes or prefixes that are such a role themselves

    def is_one(self, soc: str) -> bool:
        return soc in self.of.values() or soc.startswith(self.already)


@dataclass
class Context:
    roles: list[Role] = field(default_factory=list)
    # Per place: its words, the occupations it prefers, and the same work's occupation there
    # instead of another ("a la excavadora en la carretera": not the mining one).
    places: list[tuple[re.Pattern, tuple[str, ...], dict[str, str]]] = field(default_factory=list)
    # The first-line supervisors' SOC codes (the supervisor role's targets), read once.
    supervisors: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.supervisors = frozenset(
            soc for role in self.roles if role.name == "supervisor" for soc in role.of.values()
        )

    @classmethod
    def from_data(cls, data: dict) -> Context:
        roles = [
            Role(name, _pattern(role["words"]), dict(role["of"]), tuple(role.get("already", ())))
            for name, role in data.get("roles", {}).items()
        ]
        places = [
            (_pattern(place["words"]), tuple(place["prefer"]), dict(place.get("instead", {})))
            for place in data.get("places", {}).values()
            if place.get("words")
        ]
        return cls(roles, places)

    def said(self, text: str) -> tuple[Role | None, tuple[str, ...], dict[str, str]]:
        """The first role the text names (if any), the occupations its places prefer, and those
        they take instead of others."""
        role, _words, preferred, instead = self._said(text)
        return role, preferred, instead

    def _said(self, text: str) -> tuple[Role | None, str, tuple[str, ...], dict[str, str]]:
        """`said`, with the words that named the role."""
        folded = fast_fold(text)
        first, where, words = None, len(folded) + 1, ""
        for role in self.roles:
            found = role.pattern.search(folded) if role.pattern else None
            if found and found.start() < where:
                first, where, words = role, found.start(), found.group(0)
        preferred: tuple[str, ...] = ()
        instead: dict[str, str] = {}
        for pattern, prefer, other in self.places:
            if pattern.search(folded):
                preferred += prefer
                instead.update(other)
        return first, words, preferred, instead

    def adjust(
        self, candidates: list, soc_of, by_soc: dict[str, int], text: str, shared=None, features_of=None
    ) -> list:
        """The candidates (best first) as the role and the places of the text reorder them.
        `soc_of(occupation)` is an occupation's SOC; `by_soc` the occupation of each SOC;
        `shared(candidate)` the text's features its best document shares; `features_of(words)` the
        features of some words as the index knows them."""
        if not candidates:
            return candidates
        role, role_words, preferred, instead = self._said(text)
        if not role and shared is not None:
            candidates = self._not_in_charge(candidates, soc_of, shared)
        if not role and not preferred:
            return candidates
        if preferred:
            for candidate in candidates:
                if soc_of(candidate.occupation).startswith(preferred):
                    candidate.score *= 1 + PLACE_BONUS
            candidates.sort(key=lambda c: -c.score)
            target = by_soc.get(instead.get(soc_of(candidates[0].occupation), ""))
            if target is not None:
                candidates = _move(candidates, candidates[0], target)
        if role:
            only_role = None
            if shared is not None and features_of is not None:
                said_for_role = set(features_of(role_words))

                def only_role(candidate) -> bool:
                    """The candidate matched the role's words and nothing else of the text."""
                    words = shared(candidate)
                    return bool(words) and words <= said_for_role

            candidates = self._move_to_role(role, candidates, soc_of, by_soc, only_role)
        return candidates

    def _not_in_charge(self, candidates: list, soc_of, shared) -> list:
        """With no role word said, a first-line supervisor that comes first only for words a worker
        of the work shares (and scores nearly as much for) gives way to that worker."""
        first = candidates[0]
        if soc_of(first.occupation) not in self.supervisors:
            return candidates
        words = shared(first)
        for rival in candidates[1:ROLE_REACH]:
            if rival.score < ROLE_RIVAL * first.score:
                break
            if soc_of(rival.occupation) not in self.supervisors and words <= shared(rival):
                return _move(candidates, first, rival.occupation)
        return candidates

    def _move_to_role(
        self, role: Role, candidates: list, soc_of, by_soc: dict[str, int], only_role=None
    ) -> list:
        # The trades are the candidates that match more of the text than the role's own words.
        trades = [c for c in candidates if not only_role(c)] if only_role else candidates
        if not trades:
            return candidates
        top = trades[0].score
        span = ROLE_RIVAL if role.is_one(soc_of(trades[0].occupation)) else ROLE_SPAN
        for candidate in trades[:ROLE_REACH]:
            if candidate.score < span * top:
                break
            soc = soc_of(candidate.occupation)
            if role.is_one(soc):
                continue
            target_soc = _longest_prefix(soc, role.of)
            if not target_soc:
                continue
            target = by_soc.get(target_soc)
            if target is None:
                # The trade has such a role, but not in this index (the drywall and insulation
                # helpers, 47-3019, come only with O*NET): the trade itself, not another's helper.
                return candidates
            return _move(candidates, candidate, target, role.name)
        return candidates


def _move(candidates: list, source, target: int, role: str = "") -> list:
    """The candidates with `target` first: the helper or supervisor of the trade `source` (or the
    same work's occupation in the place said), scored for the trade's own words if it was no
    candidate."""
    existing = next((c for c in candidates if c.occupation == target), None)
    if existing is None:
        existing = replace(source, occupation=target, documents=list(source.documents))
        candidates = [*candidates, existing]
    if existing is not candidates[0]:
        existing.score = candidates[0].score + ROLE_STEP
        existing.moved_from = source.occupation
    existing.role = existing.role or role
    return sorted(candidates, key=lambda c: -c.score)
