"""Writes of the core app: loading the country configuration from its data files."""

import json
from pathlib import Path

from django.db import transaction

from incluye.core.actionlog import log_action
from incluye.core.models import Country, Division, IdDocumentType

COUNTRY_DATA_DIR = Path(__file__).parent / "data" / "countries"


def country_data_path(code: str) -> Path:
    return COUNTRY_DATA_DIR / f"{code.lower()}.json"


def _walk(nodes, level=1, parent_code=None):
    for node in nodes:
        yield level, parent_code, node
        yield from _walk(node.get("children", []), level + 1, node["code"])


@transaction.atomic
def country_load(*, code: str, actor=None) -> Country:
    """Create or update a country, its divisions and document types from its data file.

    Idempotent: running it twice changes nothing; divisions are matched by code, so records that
    point at a division keep pointing at it when names are corrected.
    """
    data = json.loads(country_data_path(code).read_text(encoding="utf-8"))
    country, _ = Country.objects.update_or_create(
        code=data["code"],
        defaults={
            "names": data["name"],
            "time_zone": data["time_zone"],
            "phone_region": data["phone_region"],
            "calling_code": data["calling_code"],
            "currency": data["currency"],
            "division_levels": data["division_levels"],
            "divisions_source": data.get("divisions_source", ""),
            "migration": data.get("migration", {}),
            "languages": data.get("languages", []),
        },
    )
    existing = {d.code: d for d in Division.objects.filter(country=country)}
    by_code = dict(existing)
    new_by_level: dict[int, list[Division]] = {}
    to_update = []
    for level, parent_code, node in _walk(data["divisions"]):
        division = existing.get(node["code"])
        if division is None:
            division = Division(country=country, code=node["code"])
            new_by_level.setdefault(level, []).append(division)
        elif division.name != node["name"] or division.level != level:
            to_update.append(division)
        division.name, division.level = node["name"], level
        division._parent_code = parent_code
        by_code[node["code"]] = division
    # New divisions are inserted a level at a time, parents first, each with its parent already set
    # (a fresh database, and every test database after a flush, loads its countries this way).
    to_create = []
    for level in sorted(new_by_level):
        for division in new_by_level[level]:
            division.parent_id = by_code[division._parent_code].pk if division._parent_code else None
        Division.objects.bulk_create(new_by_level[level], batch_size=500)
        to_create += new_by_level[level]
    # An existing division whose parent changed in the file.
    parent_changes = []
    for division in by_code.values():
        parent_code = getattr(division, "_parent_code", None)
        parent_id = by_code[parent_code].pk if parent_code else None
        if division.parent_id != parent_id:
            division.parent_id = parent_id
            parent_changes.append(division)
    Division.objects.bulk_update(
        {d.pk: d for d in to_update + parent_changes}.values(), ["name", "level", "parent"], batch_size=500
    )
    _document_types_load(country, data)
    if to_create or to_update or parent_changes:
        log_action(
            actor=actor,
            organization=None,
            action="incluye.country.loaded",
            obj=country,
            data={"created": len(to_create), "updated": len({d.pk for d in to_update + parent_changes})},
        )
    return country


def _document_types_load(country: Country, data: dict) -> None:
    """The country's identity documents and, for a country served, its documents for foreigners."""
    specs = [(doc, False) for doc in data.get("id_document_types", [])]
    specs += [(doc, True) for doc in data.get("foreigner_documents", [])]
    for doc, for_foreigners in specs:
        IdDocumentType.objects.update_or_create(
            country=country,
            code=doc["code"],
            defaults={
                "names": doc["name"],
                "rule": doc["rule"],
                "example": doc.get("example", ""),
                "is_national_id": doc.get("is_national_id", False),
                "for_foreigners": for_foreigners,
                "issued_by": doc.get("issued_by", ""),
                "has_expiry": doc.get("has_expiry", False),
                "remind_days": doc.get("remind_days", 0),
                "statuses": doc.get("statuses", []),
                "grants_work": doc.get("grants_work", False),
                "requires": doc.get("requires", []),
                "source": doc.get("source", ""),
                "illustrative": doc.get("illustrative", False),
            },
        )


PASSPORT = {
    "code": "PASSPORT",
    "name": {"es": "Pasaporte", "en": "Passport"},
    "rule": "passport",
    "example": "A1234567",
}


@transaction.atomic
def countries_of_origin_load() -> int:
    """Every country (ISO 3166-1, named in Spanish and English by django-countries) as a
    nationality and a country of origin, with a passport and the identity documents known for it:
    those of origins.json, and the national documents of the countries that have a file of their
    own (their divisions are loaded only where they are served). Idempotent; keeps what a
    served country's file configured. Returns how many countries were added."""
    from django.utils import translation
    from django_countries import countries

    names: dict[str, dict] = {}
    for language in ("es", "en"):
        with translation.override(language):
            for code, name in countries:
                names.setdefault(code, {})[language] = str(name)
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        [Country(code=code, names=value) for code, value in names.items() if code not in existing]
    )
    origins = json.loads((COUNTRY_DATA_DIR / "origins.json").read_text(encoding="utf-8"))["countries"]
    served = set(Division.objects.values_list("country_id", flat=True).distinct())
    for path in sorted(COUNTRY_DATA_DIR.glob("??.json")):
        code = path.stem.upper()
        if code not in served:
            own = json.loads(path.read_text(encoding="utf-8"))
            origins.setdefault(code, {"id_document_types": own["id_document_types"]})
    for code, spec in origins.items():
        _document_types_load(Country(code=code), spec)
    passports = set(IdDocumentType.objects.filter(code="PASSPORT").values_list("country_id", flat=True))
    IdDocumentType.objects.bulk_create(
        [
            IdDocumentType(
                country_id=code,
                code="PASSPORT",
                names=PASSPORT["name"],
                rule=PASSPORT["rule"],
                example=PASSPORT["example"],
            )
            for code in names
            if code not in passports
        ]
    )
    return len(set(names) - existing)
