"""Demo data of the registry: a few people registered more than once at the Guatemalan reception
center (a typo, a nickname, surnames swapped, a second surname missing), grouped by the duplicate
search, so the queue of possible duplicates has groups to review."""

from incluye.people.models import DuplicateCluster, Person

# Second registrations: (index among the center's people, changes to the copy).
SECOND_REGISTRATIONS = [
    (0, {"second_surname": ""}),
    (0, {"first_surname": "{second}", "second_surname": "{first}"}),
    (1, {"given_names": "{given_typo}"}),
    (2, {"birth_date": "{swapped}"}),
]


def _changed(person: Person, changes: dict) -> dict:
    given = person.given_names
    born = person.birth_date
    values = {
        "{first}": person.first_surname,
        "{second}": person.second_surname,
        "{given_typo}": given[:-2] + given[-1] + given[-2] if len(given) > 3 else given,
        "{swapped}": born.replace(month=born.day, day=born.month) if born and born.day <= 12 else born,
    }
    return {
        field: values.get(value, value) if isinstance(value, str) else value
        for field, value in changes.items()
    }


def demo_duplicates(organizations) -> int:
    """Idempotent: adds the second registrations once, then searches the center for duplicates."""
    from incluye.people.deduplication import duplicate_search_run
    from incluye.people.models import DuplicateSearch

    center = organizations[("GT", "reception")]
    if DuplicateCluster.objects.filter(organization=center).exists():
        return 0
    people = list(
        Person.objects.filter(organization=center, merged_into__isnull=True)
        .exclude(second_surname="")
        .exclude(birth_date__isnull=True)
        .filter(birth_date_precision="day", birth_date__day__lte=12)
        .order_by("name_key")[:3]
    )
    if len(people) < 3:
        return 0
    copies = []
    for index, changes in SECOND_REGISTRATIONS:
        person = people[index]
        fields = {
            "given_names": person.given_names,
            "first_surname": person.first_surname,
            "second_surname": person.second_surname,
            "birth_date": person.birth_date,
            "birth_date_precision": person.birth_date_precision,
            "sex": person.sex,
            "nationality_id": person.nationality_id,
            "residence_id": person.residence_id,
        }
        copy = Person(organization=center, **{**fields, **_changed(person, changes)})
        copy.refresh_name_key()
        copies.append(copy)
    Person.objects.bulk_create(copies)
    search = DuplicateSearch.objects.create(country_id=center.country_id, organization=center)
    duplicate_search_run(search)
    return len(copies)
