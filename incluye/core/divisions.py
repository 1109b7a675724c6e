"""Resolving a division (department, municipality) from what a person or a file wrote: its code, its
name, or a KoboToolbox choice name ("san_pedro_sacatepequez_sm"), accents and case aside.

Some municipalities share a name (six pairs in Guatemala: San Pedro Sacatepéquez is in Guatemala and
in San Marcos…): a name is resolved within its department, and an ambiguous name without one is an
error that names the candidates, never a guess."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from incluye.core.text import word_key


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: int
    parent: str  # the parent's code ("" at the top)


class DivisionIndex:
    def __init__(self, places: list[Place]):
        self.by_code = {p.code: p for p in places}
        self.deepest = max((p.level for p in places), default=0)
        self.top = min((p.level for p in places), default=0)
        self.municipalities: dict[str, list[Place]] = {}
        self.departments: dict[str, list[Place]] = {}
        for place in places:
            if place.level == self.deepest:
                self.municipalities.setdefault(word_key(place.name), []).append(place)
            if place.level == self.top:
                self.departments.setdefault(word_key(place.name), []).append(place)

    @classmethod
    def for_country(cls, country_code: str) -> "DivisionIndex":
        from incluye.core.models import Division

        rows = Division.objects.filter(country_id=country_code).values_list(
            "code", "name", "level", "parent__code"
        )
        return cls([Place(code, name, level, parent or "") for code, name, level, parent in rows])

    def department_of(self, code: str) -> str:
        place = self.by_code.get(code)
        while place and place.level != self.top:
            place = self.by_code.get(place.parent)
        return place.code if place else ""

    def describe(self, code: str) -> str:
        place = self.by_code[code]
        department = self.by_code.get(self.department_of(code))
        where = department.name if department and department.code != code else ""
        return f"{place.name} ({where}, {code})" if where else f"{place.name} ({code})"

    def department(self, value: str) -> tuple[str, str]:
        """(code, "") or ("", error)."""
        value = (value or "").strip()
        if not value:
            return "", ""
        place = self.by_code.get(value) or self.by_code.get(value.upper())
        if place and place.level == self.top:
            return place.code, ""
        found = self.departments.get(word_key(value), [])
        if len(found) == 1:
            return found[0].code, ""
        return "", _("%(value)s is not a department of this country.") % {"value": value}

    def municipality(self, value: str, department: str = "") -> tuple[str, str]:
        """(code, "") or ("", error). `department`: a department code, when known."""
        value = (value or "").strip()
        if not value:
            return "", ""
        place = self.by_code.get(value)
        if place and place.level == self.deepest:
            if department and self.department_of(place.code) != department:
                return "", _("%(place)s is not in the department %(department)s.") % {
                    "place": self.describe(place.code),
                    "department": self.by_code[department].name,
                }
            return place.code, ""
        key = word_key(value)
        found = self.municipalities.get(key, [])
        if department:
            found = [p for p in found if self.department_of(p.code) == department]
            if not found:
                found = self._with_suffix(key, department)
        if len(found) == 1:
            return found[0].code, ""
        if len(found) > 1:
            return "", _(
                "%(value)s is the name of %(count)d municipalities: %(candidates)s. Give the department "
                "(a column of the file) or the code."
            ) % {
                "value": value,
                "count": len(found),
                "candidates": _(" and ").join(self.describe(p.code) for p in found),
            }
        if department:
            return "", _("%(value)s is not a municipality of the department %(department)s.") % {
                "value": value,
                "department": self.by_code[department].name,
            }
        return "", _("%(value)s is not a municipality of this country.") % {"value": value}

    def _with_suffix(self, key: str, department: str) -> list[Place]:
        """KoboToolbox forms tell two choices with the same label apart by a short suffix of the name
        ("san_pedro_sacatepequez_sm"): within the department, a name followed by one short word."""
        found = []
        for name, places in self.municipalities.items():
            if key.startswith(name + " ") and len(key) - len(name) <= 5:
                found += [p for p in places if self.department_of(p.code) == department]
        return found
