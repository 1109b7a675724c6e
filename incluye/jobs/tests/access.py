"""Records and object URLs of the jobs app for the access test (accounts/tests/test_access.py).
Vacancies belong to an employer: `owner` names the employer's membership for the URLs only it
opens (its candidates and the vacancy's edit page)."""

from django.urls import reverse


def make_records(personas, person) -> dict:
    from django.utils import timezone

    from incluye.jobs import services
    from incluye.jobs.tests.conftest import make_vacancy
    from incluye.people.services import consent_record

    vacancy = make_vacancy(personas)
    consent_record(
        membership=personas.caseworker,
        person=person,
        purpose="employer_profile",
        given=True,
        method="signed_form",
    )
    application = services.vacancy_shortlist(membership=personas.caseworker, person=person, vacancy=vacancy)
    services.application_step(membership=personas.caseworker, application=application, to_status="referred")
    services.application_step(
        membership=personas.employer,
        application=application,
        to_status="interview",
        interview_at=timezone.now(),
    )
    services.application_step(membership=personas.employer, application=application, to_status="hired")
    business = services.business_create(
        membership=personas.caseworker, person=person, name="Tienda", idea="Abarrotes"
    )
    return {
        "vacancy": vacancy,
        "application": application,
        "follow_up": application.placement.follow_ups.first(),
        "business": business,
    }


def urls(personas, records) -> list[tuple[str, str]]:
    person, vacancy = records["person"].pk, records["vacancy"].pk
    application, business = records["application"].pk, records["business"].pk
    return [
        ("get", reverse("jobs:vacancy", args=[vacancy])),
        ("get", reverse("jobs:vacancy_edit", args=[vacancy])),
        ("get", reverse("jobs:vacancy_candidates_csv", args=[vacancy])),
        ("post", reverse("jobs:vacancy_invite", args=[vacancy])),
        ("get", reverse("jobs:application", args=[application])),
        ("post", reverse("jobs:application_step", args=[application])),
        ("get", reverse("jobs:person", args=[person])),
        ("post", reverse("jobs:person_shortlist", args=[person])),
        ("post", reverse("jobs:business_new", args=[person])),
        ("post", reverse("jobs:follow_up", args=[records["follow_up"].pk])),
        ("get", reverse("jobs:business", args=[business])),
        ("get", reverse("api:vacancy", args=[vacancy])),
        ("get", reverse("api:vacancy_candidates", args=[vacancy])),
        ("post", reverse("api:vacancy_invite", args=[vacancy])),
        ("get", reverse("api:person_matches", args=[person])),
        ("get", reverse("api:application", args=[application])),
        ("post", reverse("api:application_step", args=[application])),
        ("get", reverse("api:business", args=[business])),
    ]


def owner(personas, records, url, method="get"):
    """The membership that opens `url` when it is not the administrator of `personas.org`."""
    vacancy = records["vacancy"].pk
    if url in (
        reverse("jobs:vacancy_edit", args=[vacancy]),
        reverse("jobs:vacancy_candidates_csv", args=[vacancy]),
        reverse("api:vacancy_candidates", args=[vacancy]),
    ):
        return personas.employer
    return None
