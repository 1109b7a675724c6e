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
        },
    )
    existing = {d.code: d for d in Division.objects.filter(country=country)}
    by_code = dict(existing)
    to_create, to_update = [], []
    for level, parent_code, node in _walk(data["divisions"]):
        division = existing.get(node["code"])
        if division is None:
            division = Division(country=country, code=node["code"])
            to_create.append(division)
        elif division.name != node["name"] or division.level != level:
            to_update.append(division)
        division.name, division.level = node["name"], level
        division._parent_code = parent_code
        by_code[node["code"]] = division
    Division.objects.bulk_create(to_create, batch_size=500)
    # Parents are set once every division has a primary key.
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
    for doc in data["id_document_types"]:
        IdDocumentType.objects.update_or_create(
            country=country,
            code=doc["code"],
            defaults={
                "names": doc["name"],
                "rule": doc["rule"],
                "example": doc.get("example", ""),
                "is_national_id": doc.get("is_national_id", False),
            },
        )
    if to_create or to_update or parent_changes:
        log_action(
            actor=actor,
            organization=None,
            action="incluye.country.loaded",
            obj=country,
            data={"created": len(to_create), "updated": len({d.pk for d in to_update + parent_changes})},
        )
    return country
