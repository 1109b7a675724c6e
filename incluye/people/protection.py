"""The field rules of protection-sensitive data for every copy of a person's data: what a role
without `protection.view` cannot read on the pages (migration status, nationality, an arrival's
country of origin and border point, documents for foreigners or of the country of origin) is not
in the copy it produces either."""

from incluye.people.selectors import can_see_protection, is_protected_document

WITHHELD = "withheld"


def withhold_protected(data: dict, *, person, membership) -> dict:
    """`data` is `rights.person_export(person)`; returns it as `membership` may have it."""
    if can_see_protection(membership):
        return data
    records = dict(data["records"])
    withheld = dict(data.get(WITHHELD, {}))
    statuses = records.pop("people.MigrationStatus", [])
    if statuses:
        withheld["people.MigrationStatus"] = len(statuses)
    protected = {
        str(d.pk)
        for d in person.documents.select_related("document_type")
        if is_protected_document(d.document_type, country_id=person.organization.country_id)
    }
    documents = records.get("people.IdentityDocument", [])
    if protected & {d["id"] for d in documents}:
        records["people.IdentityDocument"] = [d for d in documents if d["id"] not in protected]
        withheld["people.IdentityDocument"] = len(documents) - len(records["people.IdentityDocument"])
    records["people.ReturnEvent"] = [
        {**event, "origin_country": None, "reception_point": None}
        if event.get("kind") == "arrival"
        else event
        for event in records.get("people.ReturnEvent", [])
    ]
    return {**data, "person": {**data["person"], "nationality": None}, "records": records, WITHHELD: withheld}
