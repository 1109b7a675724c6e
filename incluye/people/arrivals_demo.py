"""Demo data of people who arrive: the Costa Rican alliance's NGO serves asylum seekers and refugees
(Nicaraguans and Venezuelans above all, a few Cubans, Colombians and Hondurans), with their
documents of origin, asylum seeker's cards (some about to expire), work permits with the social
security registration they require, DIMEX for the refugees, open cases with the checklist of each
status, and three people ready for employers (two authorized to work, one not yet). Nobody in it is
a real person (idempotent)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from incluye.core.identity import NI_CEDULA_LETTERS

GIVEN = {
    "F": [
        "María Alejandra",
        "Yusleidy",
        "Karla Vanessa",
        "Rosa Elena",
        "Daniela",
        "Franyelis",
        "Jessenia",
        "Marbelis",
    ],
    "M": [
        "José Gregorio",
        "Luis Eduardo",
        "Wilmer Antonio",
        "Jorge Luis",
        "Óscar Danilo",
        "Yorman",
        "Ernesto",
        "Kevin Josué",
    ],
}
SURNAMES = {
    "VE": ["Rondón", "Marcano", "Guevara", "Villarroel", "Briceño", "Quintero", "Urdaneta", "Peña"],
    "NI": ["Obando", "Lanzas", "Chavarría", "Membreño", "Téllez", "Espinoza", "Guevara", "Sequeira"],
    "CU": ["Rodríguez", "Castañeda", "Valdés", "Hechavarría"],
    "CO": ["Ospina", "Cardona", "Restrepo", "Londoño"],
    "HN": ["Zelaya", "Banegas", "Maradiaga", "Ordóñez"],
}
BORDER = {
    "NI": ("land", "Peñas Blancas"),
    "VE": ("land", "Paso Canoas"),
    "CO": ("land", "Paso Canoas"),
    "CU": ("air", "Aeropuerto Juan Santamaría"),
    "HN": ("land", "Peñas Blancas"),
}
# (nationality, population, work permit, people) — the mix the Costa Rican node serves.
MIX = [
    ("NI", "asylum_seeker", True, 6),
    ("NI", "asylum_seeker", False, 4),
    ("VE", "asylum_seeker", True, 5),
    ("VE", "asylum_seeker", False, 3),
    ("NI", "refugee", None, 4),
    ("VE", "refugee", None, 3),
    ("CU", "resident", None, 2),
    ("CO", "asylum_seeker", False, 2),
    ("HN", "irregular", None, 1),
]
READY_FOR_EMPLOYERS = 3  # the first people of the mix with a permit, plus one without
COOK = "35-2014.00"


def ni_cedula(rng, birth: datetime.date) -> str:
    digits = f"{rng.choice(['001', '081', '121', '241', '441'])}{birth:%d%m%y}{rng.randint(1, 9999):04d}"
    return digits + NI_CEDULA_LETTERS[int(digits) % 23]


def _origin_document(rng, nationality, birth):
    if nationality == "NI":
        return "CEDULA", ni_cedula(rng, birth)
    if nationality == "VE":
        return "CEDULA", f"V{rng.randint(12_000_000, 30_000_000)}"
    return "PASSPORT", f"{nationality}{rng.randint(1_000_000, 9_999_999)}"


@transaction.atomic
def demo_arrivals(organizations, *, seed: int = 2022) -> int:
    """Registers the Costa Rican NGO's arrivals unless it has some; returns how many."""
    from incluye.accounts.models import Membership
    from incluye.cases.services import case_open
    from incluye.core.models import Country, Division, IdDocumentType
    from incluye.people.models import ReturnEvent
    from incluye.people.services import identity_document_set, person_register

    ngo = organizations.get(("CR", "ngo"))
    caseworker = Membership.objects.filter(organization=ngo, role="caseworker", read_only=False).first()
    if ngo is None or caseworker is None:
        return 0
    if ReturnEvent.objects.filter(organization=ngo, kind="arrival").exists():
        return 0
    rng = random.Random(seed)  # nosec B311: demo data, not a secret
    today = timezone.localdate()
    cantons = list(Division.objects.filter(country_id="CR", level=2).order_by("code")[:30])
    types = {
        (t.country_id, t.code): t for t in IdDocumentType.objects.filter(country_id__in=["CR", *SURNAMES])
    }
    nationalities = {c.code: c for c in Country.objects.filter(code__in=SURNAMES)}
    ready = []
    created = 0
    for nationality, population, permit, count in MIX:
        for _ in range(count):
            sex = rng.choice("FM")
            birth = datetime.date(rng.randint(1975, 2004), rng.randint(1, 12), rng.randint(1, 28))
            arrived = today - datetime.timedelta(days=rng.randint(60, 700))
            applied = arrived + datetime.timedelta(days=rng.randint(1, 25))
            code, number = _origin_document(rng, nationality, birth)
            mode, border = BORDER[nationality]
            documents = [(types[(nationality, code)], number)]
            status = None
            if population in ("asylum_seeker", "refugee"):
                status = {
                    "kind": "asylum_seeker",
                    "since": applied,
                    "reference": f"SR-{applied:%Y}-{rng.randint(1, 99999):05d}",
                }
                # the card is renewed every six months: it lapses within the next half year
                documents.append(
                    (
                        types[("CR", "SOLICITANTE")],
                        f"1{rng.randint(10**10, 10**11 - 1)}",
                        applied,
                        today + datetime.timedelta(days=rng.randint(5, 180)),
                    )
                )
            elif population == "resident":
                status = {
                    "kind": "resident",
                    "category": "special",
                    "since": arrived + datetime.timedelta(days=90),
                }
            elif population == "irregular":
                status = {"kind": "irregular", "since": arrived}
            person = person_register(
                membership=caseworker,
                given_names=rng.choice(GIVEN[sex]),
                first_surname=rng.choice(SURNAMES[nationality]),
                second_surname=rng.choice(SURNAMES[nationality]),
                sex=sex,
                birth_date=birth,
                nationality=nationalities[nationality],
                residence=rng.choice(cantons) if cantons else None,
                education=rng.choice(["primary", "secondary", "technical", "university"]),
                household_size=rng.randint(1, 6),
                documents=documents,
                return_event={
                    "kind": "arrival",
                    "arrived_on": arrived,
                    "mode": mode,
                    "returned_from": "other",
                    "origin_country_id": nationality,
                    "accompanied_by": rng.choice(["alone", "family", "children", "others"]),
                    "reception_point": border,
                },
                migration_status=status,
                consents=[{"purpose": "case_management", "given": True, "method": "signed_form"}],
            )
            created += 1
            if population == "refugee":
                from incluye.people.services import migration_status_record

                recognized = applied + datetime.timedelta(days=rng.randint(120, 400))
                recognized = min(recognized, today - datetime.timedelta(days=10))
                migration_status_record(
                    membership=caseworker, person=person, kind="refugee", since=recognized
                )
                identity_document_set(
                    membership=caseworker,
                    person=person,
                    document_type=types[("CR", "DIMEX")],
                    number=documents[1][1],
                    issued_on=recognized,
                    expires_on=recognized + datetime.timedelta(days=730),
                )
            # the permit is asked three months after the application (and never dated in the future)
            permitted_on = min(applied + datetime.timedelta(days=95), today - datetime.timedelta(days=7))
            if permit or population == "refugee":
                social_security = permitted_on
                identity_document_set(
                    membership=caseworker,
                    person=person,
                    document_type=types[("CR", "CCSS")],
                    number=documents[1][1],
                    issued_on=social_security,
                )
            if permit:
                identity_document_set(
                    membership=caseworker,
                    person=person,
                    document_type=types[("CR", "PERMISO_LABORAL")],
                    number=f"PL-{documents[1][1]}",
                    issued_on=permitted_on,
                    expires_on=today + datetime.timedelta(days=rng.randint(20, 330)),
                )
            if population in ("asylum_seeker", "refugee"):
                case_open(membership=caseworker, person=person)
            if (permit and len(ready) < READY_FOR_EMPLOYERS - 1) or (
                permit is False and len(ready) == READY_FOR_EMPLOYERS - 1
            ):
                ready.append(person)
    for person in ready:
        _ready_for_employers(caseworker, person)
    if ready:
        _invited(organizations, caseworker, ready[0])
    return created


def _invited(organizations, caseworker, person) -> None:
    """The Costa Rican employer invites the first person authorized to work to its cook's vacancy
    and the caseworker gives her acceptance: the employer has an interview to schedule."""
    from incluye.accounts.models import Membership
    from incluye.jobs import services as jobs
    from incluye.jobs.models import ApplicationStatus, Vacancy

    employer_org = organizations.get(("CR", "employer2"))
    employer = Membership.objects.filter(organization=employer_org, role="employer", read_only=False).first()
    vacancies = Vacancy.objects.filter(employer=employer_org)
    vacancy = vacancies.filter(occupation__code=COOK).first() or vacancies.order_by("title").first()
    if employer is None or vacancy is None:
        return
    application = jobs.candidate_invite(membership=employer, vacancy=vacancy, person=person, score=70.0)
    jobs.application_step(
        membership=caseworker, application=application, to_status=ApplicationStatus.REFERRED
    )


def _ready_for_employers(caseworker, person) -> None:
    """A cook's work history, a signed skills profile and the consent to show it to employers."""
    from incluye.people.services import consent_record
    from incluye.skills.models import Occupation, System
    from incluye.skills.services import profile_sign, profile_start, qualification_add, work_add, work_code

    occupation = Occupation.objects.filter(system=System.ONET, code=COOK).first()
    if occupation is None:
        return
    job = work_add(
        membership=caseworker,
        person=person,
        job_title="cocinera de línea" if person.sex == "F" else "cocinero de línea",
        employer="Restaurante El Fogón",
        city="Caracas" if person.nationality_id == "VE" else "Managua",
        country=person.nationality_id,
        started_on=datetime.date(2014, 1, 1),
        ended_on=datetime.date(2021, 6, 1),
        tasks="preparar platos, plancha, freidora, mise en place",
        licences=["servsafe_food_handler"],
        english_level="none",
    )
    work_code(membership=caseworker, experience=job, occupation=occupation)
    profile_sign(membership=caseworker, profile=profile_start(membership=caseworker, person=person))
    consent_record(
        membership=caseworker, person=person, purpose="employer_profile", given=True, method="signed_form"
    )
    institution = {
        "NI": "Instituto Nacional Tecnológico (INATEC)",
        "VE": "Instituto Nacional de Capacitación y Educación Socialista (INCES)",
    }
    qualification_add(
        membership=caseworker,
        person=person,
        title="Técnico en Cocina",
        level="technical",
        institution=institution.get(person.nationality_id, ""),
        country_id=person.nationality_id,
        year=2012,
        body="INA",
        requested_on=timezone.localdate() - datetime.timedelta(days=40),
        status="requested",
    )
