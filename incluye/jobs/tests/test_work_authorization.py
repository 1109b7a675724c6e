"""Work authorization in matching and hiring: an asylum seeker in Costa Rica is matched only while
her work permit (and the social security registration it requires) is valid; employers learn only
that a candidate is authorized to work, never her status or nationality."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incluye.core.testing import local_moment
from incluye.jobs import selectors, services
from incluye.jobs.index import get_index
from incluye.jobs.tests.conftest import DRYWALL
from incluye.people.services import consent_record
from incluye.people.testing import canton, grant_work_permit, register_asylum_seeker
from incluye.skills.models import Occupation, System
from incluye.skills.services import profile_sign, profile_start, work_add, work_code

pytestmark = pytest.mark.django_db
D = datetime.date
SECRETS = (
    "Venezuela",
    "venezolan",
    "Solicitante",
    "solicitante",
    "refugi",
    "Refugi",
    "V-18",
    "18234567",
    "186212345678",
    "EXP-2026",
)


def ready_for_employers(costa_rica, person):
    job = work_add(
        membership=costa_rica.caseworker,
        person=person,
        job_title="drywall en Caracas",
        started_on=D(2012, 1, 1),
        ended_on=D(2019, 1, 1),
        licences=["osha10"],
        english_level="basic",
    )
    work_code(
        membership=costa_rica.caseworker,
        experience=job,
        occupation=Occupation.objects.get(system=System.ONET, code=DRYWALL),
    )
    profile_sign(
        membership=costa_rica.caseworker,
        profile=profile_start(membership=costa_rica.caseworker, person=person),
    )
    consent_record(
        membership=costa_rica.caseworker,
        person=person,
        purpose="employer_profile",
        given=True,
        method="signed_form",
    )
    return person


@pytest.fixture
def seeker(costa_rica):
    return ready_for_employers(costa_rica, register_asylum_seeker(costa_rica.reception))


@pytest.fixture
def vacancy(costa_rica):
    return services.vacancy_create(
        membership=costa_rica.employer,
        title="Instalador de tablayeso",
        occupation=Occupation.objects.get(system=System.ONET, code=DRYWALL),
        municipality=canton("101"),
    )


def main_of(page: str) -> str:
    """The page without its header and footer (the footer names the program for refugees)."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def matched(vacancy):
    return list(selectors.matched_candidates(vacancy=vacancy))


def test_a_person_without_work_authorization_never_appears_in_matches(costa_rica, seeker, vacancy):
    assert matched(vacancy) == []
    assert get_index().people_for_vacancy(vacancy) == []  # not even proposed by the engine
    assert selectors.matched_vacancies(person=seeker) == []


def test_with_a_work_permit_and_the_social_security_registration_she_is_matched(costa_rica, seeker, vacancy):
    grant_work_permit(costa_rica.documents, seeker, valid_from=D(2026, 2, 1), expires_on=D(2027, 1, 31))
    [card] = matched(vacancy)
    assert card.authorized_to_work
    assert [m.vacancy.pk for m in selectors.matched_vacancies(person=seeker)] == [vacancy.pk]


def test_a_permit_without_the_social_security_registration_is_not_enough(costa_rica, seeker, vacancy):
    from incluye.people.services import identity_document_set
    from incluye.people.testing import document_type

    identity_document_set(
        membership=costa_rica.documents,
        person=seeker,
        document_type=document_type("PERMISO_LABORAL"),
        number="PL-1",
        issued_on=D(2026, 2, 1),
        expires_on=D(2027, 1, 31),
    )
    assert matched(vacancy) == []


def test_when_the_permit_lapses_she_leaves_the_matches_and_a_renewal_brings_her_back(
    costa_rica, seeker, vacancy, time_machine
):
    grant_work_permit(costa_rica.documents, seeker, valid_from=D(2026, 2, 1), expires_on=D(2026, 3, 31))
    assert len(matched(vacancy)) == 1
    time_machine.move_to(local_moment("2026-04-01 08:00"))
    assert matched(vacancy) == []
    grant_work_permit(costa_rica.documents, seeker, valid_from=D(2026, 4, 1), expires_on=D(2027, 3, 31))
    assert len(matched(vacancy)) == 1


def test_a_national_is_matched_without_any_permit(costa_rica, vacancy):
    from incluye.core.models import Country
    from incluye.people.services import person_register

    national = ready_for_employers(
        costa_rica,
        person_register(
            membership=costa_rica.reception,
            given_names="Andrea",
            first_surname="Solís",
            nationality=Country.objects.get(code="CR"),
            residence=canton("101"),
        ),
    )
    [card] = matched(vacancy)
    assert card.pseudonym == services.pseudonym(person_id=national.pk, vacancy_id=vacancy.pk)


def test_employer_views_and_the_csv_show_only_authorized_to_work_never_status_or_nationality(
    costa_rica, seeker, vacancy
):
    grant_work_permit(costa_rica.documents, seeker, valid_from=D(2026, 2, 1), expires_on=D(2027, 1, 31))
    employer = costa_rica.client("employer")
    page = main_of(employer.get(reverse("jobs:vacancy", args=[vacancy.pk])).content.decode())
    assert "Con permiso de trabajo" in page
    export = employer.get(reverse("jobs:vacancy_candidates_csv", args=[vacancy.pk])).content.decode(
        "utf-8-sig"
    )
    assert "sí" in export
    [_card] = matched(vacancy)
    application = services.candidate_invite(membership=costa_rica.employer, vacancy=vacancy, person=seeker)
    services.application_step(membership=costa_rica.caseworker, application=application, to_status="referred")
    detail = main_of(employer.get(reverse("jobs:application", args=[application.pk])).content.decode())
    assert seeker.full_name in detail  # she accepted: her name and contact are disclosed
    for text in (page, export, detail):
        for secret in SECRETS:
            assert secret not in text, secret


def interviewed(costa_rica, seeker, vacancy):
    """Her permit runs to the end of June; invited, accepted and interviewed."""
    grant_work_permit(costa_rica.documents, seeker, valid_from=D(2026, 2, 1), expires_on=D(2026, 6, 30))
    application = services.candidate_invite(membership=costa_rica.employer, vacancy=vacancy, person=seeker)
    services.application_step(membership=costa_rica.caseworker, application=application, to_status="referred")
    services.application_step(
        membership=costa_rica.employer,
        application=application,
        to_status="interview",
        interview_at=local_moment("2026-03-05 09:00"),
    )
    return application


def test_a_placement_cannot_start_on_a_day_she_may_not_work(costa_rica, seeker, vacancy):
    application = interviewed(costa_rica, seeker, vacancy)
    with pytest.raises(ValidationError) as refused:
        services.application_step(
            membership=costa_rica.employer,
            application=application,
            to_status="hired",
            started_on=D(2026, 7, 1),
        )
    message = refused.value.message_dict["started_on"][0]
    assert "no está autorizada para trabajar" in message
    assert not any(secret in message for secret in SECRETS)
    application.refresh_from_db()
    assert application.status == "interview"
    services.application_step(
        membership=costa_rica.employer, application=application, to_status="hired", started_on=D(2026, 3, 9)
    )
    assert application.placement.started_on == D(2026, 3, 9)


def test_the_employer_sees_the_refusal_of_a_start_date_as_a_clear_message(costa_rica, seeker, vacancy):
    application = interviewed(costa_rica, seeker, vacancy)
    application.refresh_from_db()  # the version the employer's page shows
    response = costa_rica.client("employer").post(
        reverse("jobs:application_step", args=[application.pk]),
        {
            "to_status": "hired",
            "started_on": "2026-07-01",
            "pathway": "local_program",
            "version": application.version,
        },
        follow=True,
    )
    assert "no está autorizada para trabajar el" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "interview"
