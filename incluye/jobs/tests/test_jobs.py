"""Employers see anonymized, consented candidates; the person (through the caseworker) accepts;
the pipeline moves, placements get their follow-ups; businesses are followed over time."""

import csv
import datetime
import io
import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incluye.core.models import ActionLogEntry
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.testing import AWKWARD_DAYS, local_moment
from incluye.jobs import selectors, services
from incluye.jobs.models import Application, ApplicationStatus, Placement
from incluye.jobs.tests.conftest import COOK, make_candidate, make_vacancy, municipality
from incluye.people.services import consent_record

pytestmark = pytest.mark.django_db

# What an employer must never see before the person accepts.
SECRETS = ["Tzul", "José Manuel", "+50255501234", "55501234", "persona@example.org", "2746", "La Aurora"]


def assert_anonymous(text: str):
    for secret in SECRETS:
        assert secret not in text, secret


def invite(personas, vacancy):
    [card] = selectors.matched_candidates(vacancy=vacancy)
    person, match = selectors.candidate_by_pseudonym(vacancy=vacancy, name=card.pseudonym)
    return services.candidate_invite(
        membership=personas.employer, vacancy=vacancy, person=person, score=match.score
    )


def test_it_ranks_the_consented_candidate_with_reasons(personas, candidate, vacancy):
    cards = selectors.matched_candidates(vacancy=vacancy)
    assert len(cards) == 1
    card = cards[0]
    assert card.pseudonym.startswith("C-") and str(candidate.pk) not in card.pseudonym
    kinds = {r["kind"] for r in card.reasons}
    assert {"occ", "yrs", "isco", "lic", "location", "availability", "schedule"} <= kinds
    years = next(r for r in card.reasons if r["kind"] == "yrs")
    assert years["items"] == ["3.0"]  # 7 years in the job, 3 asked: full points
    assert card.score == pytest.approx(
        100 * (30 + 10 + 10 + 10 + 10 + 5 + 5 + card_points(card, "skill")) / top(card)
    )
    assert card.occupations[0]["code"] == "47-2081.00"
    assert card.department


def card_points(card, kind):
    return sum(r["points"] for r in card.reasons if r["kind"] == kind)


def top(card):
    # occupation, years, ISCO, licences, location, availability, schedule (+ nothing else asked)
    return 30 + 10 + 10 + 10 + 10 + 5 + 5


def test_no_consent_no_candidate_and_a_withdrawn_consent_removes_them(personas, vacancy):
    make_candidate(personas, consent=False)
    assert selectors.matched_candidates(vacancy=vacancy) == []
    person = make_candidate(personas, given_names="Ana", first_surname="Coc")
    assert len(selectors.matched_candidates(vacancy=vacancy)) == 1
    consent_record(
        membership=personas.caseworker,
        person=person,
        purpose="employer_profile",
        given=False,
        method="signed_form",
    )
    assert selectors.matched_candidates(vacancy=vacancy) == []


def test_an_expired_consent_is_no_consent(personas, vacancy):
    person = make_candidate(personas, consent=False)
    consent_record(
        membership=personas.caseworker,
        person=person,
        purpose="employer_profile",
        given=True,
        method="signed_form",
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert selectors.matched_candidates(vacancy=vacancy) == []


def test_a_required_licence_filters_and_other_occupations_do_not_match(personas, vacancy):
    make_candidate(personas, licences=())
    make_candidate(personas, given_names="Luis", occupation=COOK)
    assert selectors.matched_candidates(vacancy=vacancy) == []


def test_the_index_follows_changes_without_a_rebuild(personas, candidate):
    vacancy = make_vacancy(personas)
    assert len(selectors.matched_candidates(vacancy=vacancy)) == 1
    from incluye.jobs.index import get_index

    engine = get_index().engine
    other = make_candidate(personas, given_names="Ana", first_surname="Coc")
    assert len(selectors.matched_candidates(vacancy=vacancy)) == 2
    assert get_index().engine is engine  # refreshed in place
    services.vacancy_update(membership=personas.employer, vacancy=vacancy, status="closed")
    assert selectors.matched_vacancies(person=other) == []


def test_the_employer_page_shows_anonymized_candidates_only(personas, candidate, vacancy):
    employer = personas.client("employer")
    page = employer.get(reverse("jobs:vacancy", args=[vacancy.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    [card] = selectors.matched_candidates(vacancy=vacancy)
    assert card.pseudonym in text
    assert_anonymous(text)


def test_the_csv_export_is_anonymized_and_logged(personas, candidate, vacancy):
    response = personas.client("employer").get(reverse("jobs:vacancy_candidates_csv", args=[vacancy.pk]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "candidate",
        "score",
        "occupations",
        "skills",
        "licences",
        "english",
        "department",
        "authorized_to_work",
        "reasons",
    ]
    assert len(rows) == 2 and rows[1][0].startswith("C-")
    assert_anonymous(text)
    assert ActionLogEntry.objects.filter(
        action="incluye.candidates.exported", object_id=str(vacancy.pk)
    ).exists()


def test_the_api_candidates_are_anonymized_until_the_person_accepts(personas, candidate, vacancy):
    employer = personas.client("employer")
    response = employer.get(reverse("api:vacancy_candidates", args=[vacancy.pk]))
    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == row["phone"] == row["email"] == ""
    assert_anonymous(response.content.decode())
    invited = employer.post(reverse("api:vacancy_invite", args=[vacancy.pk]), {"candidate": row["candidate"]})
    assert invited.status_code == 201
    application = invited.json()
    assert application["status"] == "invited"
    assert application["candidate"]["name"] == ""
    assert_anonymous(invited.content.decode())
    url = reverse("api:application", args=[application["id"]])
    assert_anonymous(employer.get(url).content.decode())
    # the employer cannot accept on the person's behalf
    step = reverse("api:application_step", args=[application["id"]])
    version = application["version"]
    assert employer.post(step, {"to_status": "referred", "version": version}).status_code == 409
    caseworker = personas.client("caseworker")
    assert caseworker.post(step, {"to_status": "referred", "version": version}).status_code == 200
    disclosed = employer.get(url).json()["candidate"]
    assert disclosed["name"] == "José Manuel Tzul Pérez" and disclosed["phone"] == "+50255501234"
    # never the identity number or the return history, even then
    text = employer.get(url).content.decode()
    assert "2746" not in text and "La Aurora" not in text


def test_employers_never_reach_the_person_or_the_registry(personas, candidate, vacancy):
    employer = personas.client("employer")
    assert employer.get(reverse("jobs:person", args=[candidate.pk])).status_code == 404
    assert employer.get(reverse("api:person_matches", args=[candidate.pk])).status_code == 404
    assert employer.get(reverse("people:detail", args=[candidate.pk])).status_code == 404
    assert employer.get(reverse("api:people")).status_code == 403


def test_another_employer_sees_neither_the_candidates_nor_the_applications(personas, candidate, vacancy):
    from incluye.core.testing import client_for, make_member, make_organization

    other = make_organization("Otra Empresa", kind="employer", sector="private")
    client = client_for(make_member(other, "employer", mfa=False))
    application = invite(personas, vacancy)
    assert client.get(reverse("jobs:vacancy_candidates_csv", args=[vacancy.pk])).status_code == 404
    assert client.get(reverse("api:vacancy_candidates", args=[vacancy.pk])).status_code == 404
    assert client.get(reverse("jobs:application", args=[application.pk])).status_code == 404
    # the open vacancy itself is public to the alliance, without its candidates
    page = client.get(reverse("jobs:vacancy", args=[vacancy.pk]))
    shown = services.pseudonym(person_id=candidate.pk, vacancy_id=vacancy.pk)
    # The candidate's pseudonym itself, not "C-": a page's random nonce may hold those two letters.
    assert page.status_code == 200 and shown not in page.content.decode()
    assert (
        shown in personas.client("employer").get(reverse("jobs:vacancy", args=[vacancy.pk])).content.decode()
    )


def test_the_pipeline_from_invitation_to_retention_follow_ups(
    personas, candidate, vacancy, _sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = invite(personas, vacancy)
    assert application.status == ApplicationStatus.INVITED
    assert len(_sms_outbox) == 1 and "Tzul" not in _sms_outbox[0].body
    assert services.steps_for(personas.employer, application) == []
    assert services.steps_for(personas.caseworker, application) == ["referred", "declined"]
    with pytest.raises(TransitionNotAllowed):
        services.application_step(
            membership=personas.employer, application=application, to_status="interview"
        )
    services.application_step(
        membership=personas.caseworker, application=application, to_status="referred", pathway="certification"
    )
    with pytest.raises(ValidationError):
        services.application_step(
            membership=personas.employer, application=application, to_status="interview"
        )
    when = timezone.now() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_step(
            membership=personas.employer, application=application, to_status="interview", interview_at=when
        )
    assert len(_sms_outbox) == 2 and "Tzul" not in _sms_outbox[1].body
    started = datetime.date(2026, 1, 31)
    services.application_step(
        membership=personas.employer, application=application, to_status="hired", started_on=started
    )
    placement = Placement.objects.get(application=application)
    assert placement.pathway == "certification"
    assert [(f.months, f.due_on) for f in placement.follow_ups.all()] == [
        (1, datetime.date(2026, 2, 28)),
        (3, datetime.date(2026, 4, 30)),
        (6, datetime.date(2026, 7, 31)),
    ]
    with pytest.raises(TransitionNotAllowed):
        services.application_step(
            membership=personas.employer, application=application, to_status="not_hired", reason="other"
        )
    follow_up = placement.follow_ups.first()
    services.follow_up_record(membership=personas.caseworker, follow_up=follow_up, still_employed=True)
    actions = set(ActionLogEntry.objects.values_list("action", flat=True))
    assert {
        "incluye.application.invited",
        "incluye.application.referred",
        "incluye.application.interview",
        "incluye.application.hired",
        "incluye.placement.opened",
        "incluye.retention.recorded",
    } <= actions
    assert [s.to_status for s in application.steps.all()] == ["invited", "referred", "interview", "hired"]


@pytest.mark.parametrize(
    ("started", "expected"),
    [
        ("30-november", [(1, "2026-12-30"), (3, "2027-02-28"), (6, "2027-05-30")]),
        ("31-december", [(1, "2027-01-31"), (3, "2027-03-31"), (6, "2027-06-30")]),
        ("1-january", [(1, "2027-02-01"), (3, "2027-04-01"), (6, "2027-07-01")]),
        ("31-january", [(1, "2027-02-28"), (3, "2027-04-30"), (6, "2027-07-31")]),
        ("29-february", [(1, "2028-03-29"), (3, "2028-05-29"), (6, "2028-08-29")]),
    ],
)
def test_retention_follow_ups_fall_1_3_and_6_months_after_the_start_on_awkward_days(
    personas, candidate, vacancy, time_machine, started, expected
):
    day = AWKWARD_DAYS[started]
    time_machine.move_to(local_moment(f"{day} 22:00"))  # the hire is recorded on its own day
    application = invite(personas, vacancy)
    services.application_step(membership=personas.caseworker, application=application, to_status="referred")
    services.application_step(
        membership=personas.employer,
        application=application,
        to_status="interview",
        interview_at=timezone.now() - datetime.timedelta(hours=3),
    )
    services.application_step(membership=personas.employer, application=application, to_status="hired")
    placement = Placement.objects.get(application=application)
    assert placement.started_on == day
    assert [(f.months, f.due_on.isoformat()) for f in placement.follow_ups.all()] == expected


def test_not_hired_needs_a_reason_and_declined_is_final(personas, candidate, vacancy):
    application = invite(personas, vacancy)
    services.application_step(membership=personas.caseworker, application=application, to_status="referred")
    with pytest.raises(ValidationError):
        services.application_step(
            membership=personas.employer, application=application, to_status="not_hired"
        )
    services.application_step(
        membership=personas.employer, application=application, to_status="not_hired", reason="position_filled"
    )
    other = make_candidate(personas, given_names="Ana", first_surname="Coc")
    second = services.vacancy_shortlist(membership=personas.caseworker, person=other, vacancy=vacancy)
    assert second.status == "shortlisted"
    services.application_step(membership=personas.caseworker, application=second, to_status="withdrawn")
    with pytest.raises(TransitionNotAllowed):
        services.application_step(membership=personas.caseworker, application=second, to_status="referred")


def test_accepting_needs_the_consent_still_given(personas, candidate, vacancy):
    application = invite(personas, vacancy)
    consent_record(
        membership=personas.caseworker,
        person=candidate,
        purpose="employer_profile",
        given=False,
        method="signed_form",
    )
    with pytest.raises(TransitionNotAllowed):
        services.application_step(
            membership=personas.caseworker, application=application, to_status="referred"
        )
    # and the employer's view stays anonymous
    card = selectors.application_card(membership=personas.employer, application=application)
    assert card.name == ""


def test_only_employers_post_vacancies(personas):
    with pytest.raises(PermissionDenied):
        make_vacancy(personas.__class__(**{**personas.__dict__, "employer": personas.admin}))
    response = personas.client("admin").post(reverse("api:vacancies"), {"title": "x"})
    assert response.status_code == 403


def test_an_employer_posts_a_vacancy_through_the_api_and_the_page(personas):
    employer = personas.client("employer")
    where = municipality(3)
    response = employer.post(
        reverse("api:vacancies"),
        {
            "title": "Cocinero de línea",
            "occupation": COOK,
            "municipality": where.code,
            "required_licences": ["servsafe_food_handler"],
            "required_skills": ["use-cooking-techniques"],
            "pay_min": "3500.00",
            "pay_max": "4500.00",
            "closes_on": str(timezone.localdate() + datetime.timedelta(days=30)),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["occupation"] == COOK and body["currency"] == "GTQ"
    assert body["required_skills"] == ["use-cooking-techniques"]
    bad = employer.post(
        reverse("api:vacancies"),
        {
            "title": "x",
            "occupation": "00-0000.00",
            "municipality": where.code,
            "pay_min": "5",
            "pay_max": "1",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "occupation" in bad.json()["error"]["fields"]
    page = employer.post(
        reverse("jobs:vacancy_new"),
        {
            "title": "Montacarguista",
            "occupation": "53-7051.00",
            "min_years": "1",
            "english_level": "none",
            "municipality": where.code,
            "schedule": "shifts",
            "positions": "3",
            "status": "open",
        },
    )
    assert page.status_code == 302
    assert employer.get(reverse("jobs:home")).content.decode().count("Montacarguista") == 1


def test_the_caseworker_sees_matches_invitations_and_answers(personas, candidate, vacancy):
    application = invite(personas, vacancy)
    caseworker = personas.client("caseworker")
    home = caseworker.get(reverse("jobs:home")).content.decode()
    assert "José Manuel Tzul" in home and vacancy.title in home
    page = caseworker.get(reverse("jobs:person", args=[candidate.pk]))
    assert page.status_code == 200
    response = caseworker.post(
        reverse("jobs:application_step", args=[application.pk]),
        {"to_status": "referred", "version": application.version},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "referred"
    other = make_vacancy(personas, title="Otra obra")
    found = caseworker.get(reverse("api:person_matches", args=[candidate.pk])).json()
    assert {m["vacancy"]["id"] for m in found} == {str(other.pk), str(vacancy.pk)}
    assert all(m["reasons"] for m in found)


def test_businesses_over_time(personas, candidate):
    caseworker = personas.client("caseworker")
    response = caseworker.post(
        reverse("api:businesses"),
        {
            "person": str(candidate.pk),
            "name": "Tablayeso Tzul",
            "idea": "Instalación de tablayeso",
            "training": ["Emprendimiento 1"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    business = services.Business.objects.get(pk=response.json()["id"])
    today = timezone.localdate()
    services.business_update(
        membership=personas.caseworker,
        business=business,
        status="planning",
        on=today + datetime.timedelta(days=30),
    )
    services.funding_add(
        membership=personas.caseworker,
        business=business,
        kind="seed_capital",
        amount=5000,
        currency="GTQ",
        source="Fondo semilla",
        obtained_on=today + datetime.timedelta(days=40),
    )
    services.business_update(
        membership=personas.caseworker,
        business=business,
        status="operating",
        on=today + datetime.timedelta(days=90),
    )
    body = caseworker.get(reverse("api:business", args=[business.pk])).json()
    assert [c["status"] for c in body["status_changes"]] == ["idea", "planning", "operating"]
    assert body["funding"][0]["amount"] == "5000.00"
    assert personas.client("employer").get(reverse("api:business", args=[business.pk])).status_code == 404
    assert caseworker.get(reverse("jobs:business", args=[business.pk])).status_code == 200


def test_commitment_and_vacancy_edit_pages(personas, vacancy):
    employer = personas.client("employer")
    response = employer.post(
        reverse("jobs:commitment"),
        {
            "statement": "Contratamos personas retornadas.",
            "signed_on": "2026-01-15",
            "signed_by_name": "Sofía Barrios",
        },
    )
    assert response.status_code == 302
    assert "Sofía Barrios" in employer.get(reverse("jobs:home")).content.decode()
    assert employer.get(reverse("jobs:vacancy_edit", args=[vacancy.pk])).status_code == 200
    assert (
        personas.client("caseworker").get(reverse("jobs:vacancy_edit", args=[vacancy.pk])).status_code == 404
    )


def test_applications_are_unique_per_vacancy(personas, candidate, vacancy):
    invite(personas, vacancy)
    with pytest.raises(ValidationError):
        services.vacancy_shortlist(membership=personas.caseworker, person=candidate, vacancy=vacancy)
    assert Application.objects.count() == 1


def test_an_employer_cannot_link_a_candidate_across_vacancies_by_the_pseudonym():
    person, vacancy, other_vacancy = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    name = services.pseudonym(person_id=person, vacancy_id=vacancy)
    assert re.fullmatch(r"C-[0-9A-F]{4}-[0-9A-F]{4}", name)
    assert services.pseudonym(person_id=person, vacancy_id=vacancy) == name  # stable within the vacancy
    assert services.pseudonym(person_id=person, vacancy_id=other_vacancy) != name
    assert services.pseudonym(person_id=uuid.uuid4(), vacancy_id=vacancy) != name
