"""Demo people spread along the pathway across the organizations of each alliance, so that every
demo account lands on an inbox with work in it: arrivals to hand off at each reception center; in
Guatemala, handoffs waiting (one overdue) and one declined, a case with an open risk alert, an
access request, a referral to the institute, employers' invitations waiting for an answer, a
hire whose one-month follow-up is due, and an agreement about to expire. Everything goes through
the apps' services, as a user would do it; dates that must lie in the past are moved afterwards.
Idempotent: done once per country."""

import datetime

from django.db import transaction
from django.utils import timezone

# name, first surname, second surname, sex, birth date, flight, urgent needs
ARRIVALS = {
    "GT": [
        ("Selvin Geovany", "Tecú", "Ixcoy", "M", datetime.date(1988, 3, 14), "TA-208", []),
        ("Dina Marisol", "Chen", "Caal", "F", datetime.date(1995, 7, 2), "TA-208", ["medical"]),
        ("Juan Carlos", "Pérez", "Tzoc", "M", datetime.date(1979, 11, 23), "TA-208", []),
        ("Marvin Alexander", "Cux", "Ixcoy", "M", datetime.date(1991, 1, 9), "TA-208", []),
        ("Heidy Carolina", "Ramírez", "Sis", "F", datetime.date(1999, 5, 30), "TA-208", []),
        ("Edwin Rolando", "Batz", "Tum", "M", datetime.date(1986, 9, 17), "TA-208", []),
        ("Sandra Elizabeth", "Coy", "Pop", "F", datetime.date(1990, 12, 4), "TA-208", []),
        ("Wilmer Josué", "Tiul", "Choc", "M", datetime.date(1993, 4, 21), "TA-208", []),
    ],
    "SV": [
        ("José Roberto", "Hernández", "Portillo", "M", datetime.date(1987, 6, 12), "AV-611", []),
        ("Rosa Delmy", "Argueta", "Ayala", "F", datetime.date(1996, 2, 3), "AV-611", ["family_unit"]),
    ],
    "HN": [
        ("Kevin Josué", "Zelaya", "Mejía", "M", datetime.date(1994, 8, 19), "CM-455", []),
        ("Dilcia Marleny", "Güity", "Martínez", "F", datetime.date(1989, 10, 27), "CM-455", ["medical"]),
    ],
    "CR": [
        ("Luis Diego", "Solís", "Araya", "M", datetime.date(1985, 1, 15), "LR-318", []),
        ("María Fernanda", "Vargas", "Mora", "F", datetime.date(1998, 4, 8), "LR-318", []),
    ],
}
PHQ9_WITH_ITEM_9 = {"1": 2, "2": 2, "3": 2, "4": 2, "5": 1, "6": 2, "7": 1, "8": 1, "9": 1}


def _membership(organization, role):
    from incluye.accounts.models import Membership

    return Membership.objects.filter(
        organization=organization, role=role, read_only=False, is_active=True
    ).first()


def _arrive(officer, spec, *, residence=None, days_ago=0):
    from incluye.people.services import person_register

    given, first, second, sex, birth, flight, needs = spec
    consent = {"given": True, "method": "signed_form"}
    return person_register(
        membership=officer,
        given_names=given,
        first_surname=first,
        second_surname=second,
        sex=sex,
        birth_date=birth,
        nationality_id=officer.organization.country_id,
        residence=residence,
        return_event={
            "arrived_on": timezone.localdate() - datetime.timedelta(days=days_ago),
            "transport_reference": flight,
            "vulnerabilities": needs,
            "reception_point": str(officer.organization),
        },
        consents=[
            {"purpose": "case_management", **consent},
            {"purpose": "alliance_sharing", **consent},
        ],
    )


def _backdate(model, pk, *, days: int) -> None:
    """Move an act's dates `days` into the past (its answer is then overdue)."""
    now = timezone.now()
    model.objects.filter(pk=pk).update(
        sent_at=now - datetime.timedelta(days=days),
        answer_due_on=timezone.localdate() - datetime.timedelta(days=1),
    )


def _already_there(reception, spec) -> bool:
    from incluye.people.models import Person

    given, first, second = spec[:3]
    return Person.objects.filter(
        organization=reception, given_names=given, first_surname=first, second_surname=second
    ).exists()


def _municipalities(code) -> list:
    from django.db.models import Max

    from incluye.core.models import Division

    deepest = Division.objects.filter(country_id=code).aggregate(level=Max("level"))["level"]
    return list(Division.objects.filter(country_id=code, level=deepest).order_by("code")[:40])


@transaction.atomic
def demo_pathway(organizations, countries) -> dict:
    """Returns how many people were put on the pathway, per country."""
    done = {}
    for code in countries:
        reception = organizations.get((code, "reception"))
        officer = _membership(reception, "reception_officer") if reception else None
        specs = ARRIVALS.get(code, [])
        if officer is None or not specs or _already_there(reception, specs[0]):
            continue
        places = _municipalities(code)
        people = [_arrive(officer, spec, residence=places[n % len(places)]) for n, spec in enumerate(specs)]
        if code == "GT":
            _guatemala(organizations, officer, people)
        done[code] = len(people)
    return done


def _guatemala(organizations, officer, people) -> None:
    from incluye.cases import services as case_services
    from incluye.cases.models import CaseStatus
    from incluye.people.services import consent_record
    from incluye.referrals import services as referrals
    from incluye.referrals.models import Handoff, Service

    ngo = organizations[("GT", "ngo")]
    caseworker = _membership(ngo, "caseworker")
    psychologist = _membership(ngo, "psychosocial")
    if caseworker is None or psychologist is None:
        return
    _selvin, dina, juan, marvin, _heidy, edwin, sandra, _wilmer = people
    # Three of flight TA-208 wait at the reception center to be handed off (Selvin, Heidy, Wilmer).
    # Two handed to the NGO wait for its answer; one since three days: overdue on both sides.
    referrals.handoff_send(
        membership=officer, person=dina, to_organization=ngo, note="Necesita control médico esta semana."
    )
    late = referrals.handoff_send(membership=officer, person=juan, to_organization=ngo)
    _backdate(Handoff, late.pk, days=3)
    # One declined: back in the reception center's inbox with the reason.
    declined = referrals.handoff_send(membership=officer, person=edwin, to_organization=ngo)
    referrals.act_decline(
        membership=caseworker,
        act=declined,
        reason="La persona vivirá en Petén: le corresponde una organización de allá.",
        expected_version=declined.version,
    )
    # One accepted: a case at the NGO, then a PHQ-9 with item 9 positive raises a risk alert.
    accepted = referrals.handoff_send(membership=officer, person=marvin, to_organization=ngo)
    referrals.handoff_accept(
        membership=caseworker, handoff=accepted, caseworker=caseworker.user, expected_version=accepted.version
    )
    case = accepted.case
    case_services.case_move(
        membership=caseworker, case=case, to_status=CaseStatus.PSYCHOSOCIAL, expected_version=case.version
    )
    case_services.screening_record(
        membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_WITH_ITEM_9
    )
    # The NGO found Sandra's record (registered at the reception center) and asks for access.
    referrals.access_request_send(
        membership=caseworker,
        person=sandra,
        note="Acompañamos a la familia de Sandra y ella pidió apoyo para sus documentos.",
    )
    # A referral from the NGO to the institute's certification programme.
    institute_service = Service.objects.filter(organization=organizations[("GT", "institute")]).first()
    if institute_service is not None:
        consent_record(
            membership=caseworker,
            person=case.person,
            purpose="alliance_sharing",
            given=True,
            method="signed_form",
        )
        referrals.referral_send(
            membership=caseworker,
            case=case,
            service=institute_service,
            shared_fields=["given_names", "surnames", "phone"],
            reason="Seis años de carpintería de obra en Houston: quiere certificarse.",
        )
    case_services.task_create(
        membership=caseworker,
        case=case,
        title="Llamar a la familia para acordar la próxima visita",
        due_on=timezone.localdate(),
    )
    _jobs(organizations, caseworker)
    _agreement(organizations)


def _jobs(organizations, caseworker) -> None:
    """An invitation waiting for the person's answer, one accepted (the employer must schedule the
    interview), and a hire a month ago whose first retention follow-up is due."""
    from incluye.jobs import services as jobs
    from incluye.jobs.models import ApplicationStatus, Vacancy
    from incluye.people.models import Person
    from incluye.people.services import consent_record

    employer_org = organizations[("GT", "employer1")]
    employer = _membership(employer_org, "employer")
    vacancies = list(Vacancy.objects.filter(employer=employer_org).order_by("title"))
    people = list(Person.objects.filter(organization=caseworker.organization).order_by("name_key")[:3])
    if employer is None or len(vacancies) < 3 or len(people) < 3:
        return
    for person in people:
        consent_record(
            membership=caseworker, person=person, purpose="employer_profile", given=True, method="signed_form"
        )
    jobs.candidate_invite(membership=employer, vacancy=vacancies[0], person=people[0], score=72.0)
    accepted = jobs.candidate_invite(membership=employer, vacancy=vacancies[1], person=people[1], score=68.0)
    jobs.application_step(membership=caseworker, application=accepted, to_status=ApplicationStatus.REFERRED)
    hired = jobs.candidate_invite(membership=employer, vacancy=vacancies[2], person=people[2], score=81.0)
    jobs.application_step(membership=caseworker, application=hired, to_status=ApplicationStatus.REFERRED)
    started = timezone.localdate() - datetime.timedelta(days=30)
    jobs.application_step(
        membership=employer,
        application=hired,
        to_status=ApplicationStatus.INTERVIEW,
        interview_at=timezone.now() - datetime.timedelta(days=35),
    )
    jobs.application_step(
        membership=employer, application=hired, to_status=ApplicationStatus.HIRED, started_on=started
    )


def _agreement(organizations) -> None:
    """An agreement of the council that ends in a month: in the coordinator's inbox."""
    from incluye.alliance.models import Agreement, Council

    council = Council.objects.filter(country_id="GT").first()
    if council is None:
        return
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        council=council,
        title="Convenio de prácticas laborales con empleadores comprometidos",
        signed_on=today - datetime.timedelta(days=335),
        starts_on=today - datetime.timedelta(days=335),
        ends_on=today + datetime.timedelta(days=30),
        scope="Prácticas de tres meses para personas retornadas certificadas, con acompañamiento de la ONG.",
    )
    agreement.parties.set(
        [
            organizations[("GT", key)]
            for key in ("ministry", "ngo", "employer1")
            if ("GT", key) in organizations
        ]
    )
