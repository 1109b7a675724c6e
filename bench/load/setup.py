"""Data the load test needs on top of `manage.py demo` (run by bench/load/run.sh after the demo).

The demo makes people and their identity documents, 12 cases for one caseworker, a few vacancies
per employer and one signed skills profile. A working day needs more, so this script adds, all
idempotently (running it twice adds nothing twice):

- a return for every person that has none (arrived on a date in the last eight years), and today's
  arrivals at each reception center (`--today`), some with urgent needs: the day's list;
- caseworkers at the Guatemalan NGO (`--caseworkers`, the demo's gestora@ and gestora2@… made
  here), each with `--cases` open cases of people the NGO registered, moved along the pathway,
  with tasks due around today ("my work") and a note or two;
- employer accounts for the other Guatemalan employers and `--vacancies` open vacancies each;
- signed skills profiles with an employer-sharing consent for `--profiles` Guatemalan people,
  coded to the vacancies' occupations and others of the bundled taxonomy: the candidates that the
  matching engine ranks for a vacancy;

then writes `--out` (JSON): the accounts per role and, per country, names of real records for the
search as you type, plus the size of the database.

    scripts/with-postgres.sh sh -c '.venv/bin/python manage.py demo --people 5000 && \\
        .venv/bin/python bench/load/setup.py --out /tmp/fixtures.json'
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from incluye.accounts.models import Membership, Organization, User  # noqa: E402
from incluye.cases import services as case_services  # noqa: E402
from incluye.cases.models import Case, CaseNote, Task  # noqa: E402
from incluye.jobs.demo import DEMO_VACANCIES  # noqa: E402
from incluye.jobs.forms import municipalities  # noqa: E402
from incluye.jobs.models import Vacancy, VacancyStatus  # noqa: E402
from incluye.people.generate import PeopleGenerator  # noqa: E402
from incluye.people.models import URGENT_NEEDS, Consent, ConsentPurpose, Person, ReturnEvent  # noqa: E402
from incluye.skills.models import (  # noqa: E402
    Occupation,
    ProfileOccupation,
    ProfileStatus,
    SkillsProfile,
    System,
    WorkExperience,
)
from incluye.workspace.demo import DEMO  # noqa: E402

PASSWORD = DEMO["password"]
COUNTRIES = ["GT", "SV", "HN", "CR"]
RECEPTION_ACCOUNTS = {
    "GT": "recepcion@demo.incluye.org",
    "SV": "recepcion.sv@demo.incluye.org",
    "HN": "recepcion.hn@demo.incluye.org",
    "CR": "recepcion.cr@demo.incluye.org",
}
# Share of the reception officers on duty per country (as the demo spreads the people).
RECEPTION_WEIGHT = {"GT": 45, "SV": 20, "HN": 30, "CR": 5}
CASE_PATHS = [[], ["psychosocial"], ["documents"], ["documents", "competencies"], ["documents", "employment"]]
NOTES = [
    "Llamada de seguimiento: confirma domicilio y número de teléfono.",
    "Acompañamiento a la cita del RENAP; pendiente la entrega del DPI.",
    "Se refiere al taller de búsqueda de empleo del MINTRAB.",
    "La persona pide información sobre la certificación de su experiencia en construcción.",
]
TASKS = ["Llamar para confirmar la cita", "Revisar documentos pendientes", "Visita domiciliaria"]
LICENCES = {code: licences for rows in DEMO_VACANCIES.values() for _t, code, _y, licences, _s in rows}
EXTRA_VACANCY_TITLES = ["Ayudante", "Operario", "Técnico", "Encargado", "Auxiliar"]


def log(message: str) -> None:
    print(f"[setup {time.strftime('%H:%M:%S')}] {message}", flush=True)


def reception_centers() -> dict[str, Organization]:
    return {code: Organization.objects.get(country_id=code, kind="reception_center") for code in COUNTRIES}


def ngo_gt() -> Organization:
    return Organization.objects.get(country_id="GT", kind="ngo")


def account(email: str, first: str, last: str, organization: Organization, role: str) -> Membership:
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    return membership


# Returns ----------------------------------------------------------------------------------------


def returns_for_everyone(today: datetime.date) -> int:
    """One past return per person without any, in one INSERT … SELECT (a million rows in seconds)."""
    assert connection.vendor == "postgresql", "the load test runs on PostgreSQL (scripts/with-postgres.sh)"
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO people_returnevent (id, person_id, organization_id, kind, accompanied_by,
                arrived_on, returned_from,
                mode, reception_point, transport_reference, months_abroad, vulnerabilities, is_urgent,
                manifest_id, manifest_reference, manifest_row, created_at, created_by_id)
            SELECT gen_random_uuid(), p.id, p.organization_id, 'return', '',
                   %(yesterday)s::date - floor(random() * 2900)::int,
                   CASE WHEN random() < 0.8 THEN 'US' ELSE 'MX' END,
                   CASE WHEN random() < 0.85 THEN 'air' ELSE 'land' END,
                   '', '', floor(random() * 180)::int, '[]'::jsonb, false, NULL, '', NULL, now(), NULL
            FROM people_person p
            WHERE NOT EXISTS (SELECT 1 FROM people_returnevent r WHERE r.person_id = p.id)
            """,
            {"yesterday": today - datetime.timedelta(days=1)},
        )
        return cursor.rowcount


def arrivals_today(today: datetime.date, wanted: dict[str, int], rng: random.Random) -> int:
    """Today's flights: `wanted[country]` people (earlier returnees come back too) arrive today."""
    created = 0
    now = timezone.now()
    for code, organization in reception_centers().items():
        missing = (
            wanted.get(code, 0)
            - ReturnEvent.objects.filter(organization=organization, arrived_on=today).count()
        )
        if missing <= 0:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM people_person WHERE organization_id = %s AND merged_into_id IS NULL "
                "ORDER BY random() LIMIT %s",
                [organization.pk, missing],
            )
            ids = [row[0] for row in cursor.fetchall()]
        events = []
        for i, person_id in enumerate(ids):
            r = rng.random()
            needs = (
                ["medical"]
                if r < 0.05
                else ["unaccompanied_minor"]
                if r < 0.07
                else ["family_unit"]
                if r < 0.15
                else ["indigenous"]
                if r < 0.25
                else []
            )
            events.append(
                ReturnEvent(
                    person_id=person_id,
                    organization=organization,
                    arrived_on=today,
                    returned_from="US" if rng.random() < 0.85 else "MX",
                    mode="air",
                    transport_reference=f"ICE-{1000 + i // 120}",
                    months_abroad=rng.randint(1, 180),
                    vulnerabilities=needs,
                    is_urgent=bool(URGENT_NEEDS & set(needs)),
                    created_at=now - datetime.timedelta(minutes=rng.randint(0, 600)),
                )
            )
        ReturnEvent.objects.bulk_create(events)
        created += len(events)
    return created


# Cases ------------------------------------------------------------------------------------------


def casework(caseworkers: int, per_caseworker: int, today: datetime.date, rng: random.Random) -> int:
    ngo = ngo_gt()
    first = Membership.objects.get(
        user__email="gestora@demo.incluye.org", organization=ngo, role="caseworker"
    )
    memberships = [first] + [
        account(f"gestora{i}@demo.incluye.org", "Gestora", f"Número {i}", ngo, "caseworker")
        for i in range(2, caseworkers + 1)
    ]
    with_case = set(Case.objects.filter(organization=ngo).values_list("person_id", flat=True))
    to_open = {
        m.pk: max(
            0,
            per_caseworker
            - Case.objects.filter(caseworker=m.user, organization=ngo).exclude(status="closed").count(),
        )
        for m in memberships
    }
    missing = sum(to_open.values()) - (Person.objects.filter(organization=ngo).count() - len(with_case))
    if missing > 0:
        PeopleGenerator(seed=4242 + Person.objects.filter(organization=ngo).count()).create(
            organization=ngo, count=missing
        )
    free = list(
        Person.objects.filter(organization=ngo)
        .exclude(pk__in=with_case)
        .order_by("name_key")
        .values_list("pk", flat=True)
    )
    opened = 0
    for membership in memberships:
        for _ in range(to_open[membership.pk]):
            person = Person.objects.get(pk=free.pop())
            with transaction.atomic():
                case = case_services.case_open(membership=membership, person=person)
                for step in rng.choice(CASE_PATHS):
                    case_services.case_move(
                        membership=membership, case=case, to_status=step, expected_version=case.version
                    )
                for _task in range(rng.randint(0, 2)):
                    case_services.task_create(
                        membership=membership,
                        case=case,
                        title=rng.choice(TASKS),
                        due_on=today + datetime.timedelta(days=rng.randint(-5, 20)),
                    )
                for _note in range(rng.randint(0, 2)):
                    case_services.note_add(
                        membership=membership, case=case, text=rng.choice(NOTES), sensitivity="general"
                    )
            opened += 1
    return opened


# Employers, vacancies and candidates -----------------------------------------------------------


def employers_and_vacancies(per_employer: int, today: datetime.date) -> int:
    names = {
        "employer1": ("Sofía", "Barrios de León"),
        "employer2": ("Luis", "Quetzal"),
        "employer3": ("Ana", "Pacífico"),
    }
    onet = list(Occupation.objects.filter(system=System.ONET).order_by("code"))
    places = list(municipalities("GT")[:20])
    created = 0
    for key, rows in DEMO_VACANCIES.items():
        spec = next(o for o in DEMO["GT"] if o["key"] == key)
        employer = Organization.objects.get(country_id="GT", name=spec["name"])
        email = "empleador@demo.incluye.org" if key == "employer1" else f"empleador.{key}@demo.incluye.org"
        membership = account(email, *names[key], employer, "employer")
        existing = Vacancy.objects.filter(employer=employer).count()
        # The demo's occupations first, then others of the same major group (construction, food…).
        codes = [code for _t, code, _y, _l, _s in rows]
        related = [o for o in onet if o.code[:2] in {c[:2] for c in codes} and o.code not in codes]
        pool = [o for c in codes for o in onet if o.code == c] + related
        for i in range(existing, per_employer):
            occupation = pool[i % len(pool)]
            Vacancy.objects.create(
                employer=employer,
                title=f"{EXTRA_VACANCY_TITLES[i % len(EXTRA_VACANCY_TITLES)]}: {occupation.title_es or occupation.title_en}"[
                    :200
                ],
                occupation=occupation,
                min_years=i % 4,
                required_licences=LICENCES.get(occupation.code, []),
                municipality=places[i % len(places)],
                schedule="full_time",
                positions=1 + i % 5,
                currency=employer.country.currency,
                closes_on=today + datetime.timedelta(days=60),
                status=VacancyStatus.OPEN,
                created_by=membership.user,
            )
            created += 1
    return created


def candidates(count: int, rng: random.Random) -> int:
    """Signed profiles and employer-sharing consents for `count` Guatemalan people (bulk)."""
    have = SkillsProfile.objects.filter(status=ProfileStatus.SIGNED).count()
    missing = count - have
    if missing <= 0:
        return 0
    ngo = ngo_gt()
    signer = User.objects.get(email="gestora@demo.incluye.org")
    reception = reception_centers()["GT"]
    vacancy_occupations = list(
        Occupation.objects.filter(
            pk__in=Vacancy.objects.filter(employer__country_id="GT").values("occupation")
        )
    )
    others = list(Occupation.objects.filter(system=System.ONET))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM people_person p WHERE p.organization_id = %s "
            "AND NOT EXISTS (SELECT 1 FROM skills_skillsprofile s WHERE s.person_id = p.id) "
            "ORDER BY random() LIMIT %s",
            [reception.pk, missing],
        )
        ids = [row[0] for row in cursor.fetchall()]
    now = timezone.now()
    profiles, occupations, jobs, consents = [], [], [], []
    for person_id in ids:
        occupation = rng.choice(vacancy_occupations) if rng.random() < 0.6 else rng.choice(others)
        years = round(rng.uniform(0.5, 12), 1)
        licences = LICENCES.get(occupation.code, []) if rng.random() < 0.7 else []
        english = rng.choice(["none", "basic", "basic", "intermediate"])
        profile = SkillsProfile(
            person_id=person_id,
            organization=ngo,
            status=ProfileStatus.SIGNED,
            signed_at=now,
            signed_by=signer,
            snapshot={
                "occupations": [
                    {
                        "code": occupation.code,
                        "title": {"es": occupation.title_es, "en": occupation.title_en},
                        "years": f"{years:.1f}",
                        "skills": [],
                    }
                ],
                "licences": [{"es": code, "en": code} for code in licences],
                "english_level": english,
            },
        )
        profiles.append(profile)
        occupations.append(ProfileOccupation(profile=profile, occupation=occupation, years=years))
        jobs.append(
            WorkExperience(
                person_id=person_id,
                organization=ngo,
                job_title=occupation.title_en,
                country="US",
                started_on=datetime.date(2024 - int(years) - 1, 1, 1),
                started_precision="year",
                ended_on=datetime.date(2024, 1, 1),
                ended_precision="year",
                licences=licences,
                english_level=english,
                occupation=occupation,
            )
        )
        consents.append(
            Consent(
                person_id=person_id,
                purpose=ConsentPurpose.EMPLOYER_PROFILE,
                given=True,
                method="signed_form",
                recorded_by=signer,
                organization=ngo,
            )
        )
    with transaction.atomic():
        SkillsProfile.objects.bulk_create(profiles, batch_size=5000)
        ProfileOccupation.objects.bulk_create(occupations, batch_size=5000)
        WorkExperience.objects.bulk_create(jobs, batch_size=5000)
        Consent.objects.bulk_create(consents, batch_size=5000)
    return len(profiles)


def participants(count: int, rng: random.Random) -> int:
    """`count` people invited to their own page (/me/), each with a mobile phone of their own:
    people with an open case (their pathway has a stage, documents and appointments) and people
    with a signed profile, a third of whom have an employer's invitation waiting for their answer."""
    from incluye.jobs.models import Application, ApplicationStatus
    from incluye.participants.models import AccountStatus, ParticipantAccount

    missing = count - ParticipantAccount.objects.count()
    if missing <= 0:
        return 0
    with_cases = list(
        Case.objects.exclude(status="closed")
        .filter(person__participant_account__isnull=True)
        .values_list("person_id", flat=True)[: missing // 2]
    )
    candidates = list(
        SkillsProfile.objects.filter(status=ProfileStatus.SIGNED, person__participant_account__isnull=True)
        .exclude(person_id__in=with_cases)
        .values_list("person_id", flat=True)[: missing - len(with_cases)]
    )
    ids = with_cases + candidates
    ngo = ngo_gt()
    inviter = User.objects.get(email="gestora@demo.incluye.org")
    now = timezone.now()
    accounts, start = [], 10_000 + ParticipantAccount.objects.count()
    for n, person_id in enumerate(ids):
        phone = f"+5025{start + n:07d}"
        Person.objects.filter(pk=person_id).update(phone=phone)
        accounts.append(
            ParticipantAccount(
                person_id=person_id,
                phone=phone,
                status=AccountStatus.INVITED,
                organization=ngo,
                invited_by=inviter,
                invited_at=now,
            )
        )
    vacancies = list(Vacancy.objects.filter(employer__country_id="GT", status=VacancyStatus.OPEN)[:50])
    invitations = [
        Application(
            vacancy=rng.choice(vacancies),
            person_id=person_id,
            status=ApplicationStatus.INVITED,
            score=0.5,
            answer_due_on=timezone.localdate() + datetime.timedelta(days=7),
        )
        for person_id in candidates[::3]
        if vacancies
    ]
    with transaction.atomic():
        ParticipantAccount.objects.bulk_create(accounts, batch_size=5000)
        Application.objects.bulk_create(invitations, batch_size=5000, ignore_conflicts=True)
    return len(accounts)


# What the locustfile reads ----------------------------------------------------------------------


def fixtures(names_per_country: int) -> dict:
    accounts = {"reception": [], "caseworker": [], "employer": []}
    roles = {"reception_officer": "reception", "caseworker": "caseworker", "employer": "employer"}
    for membership in Membership.objects.filter(
        role__in=list(roles), read_only=False, is_active=True
    ).select_related("user", "organization"):
        role = roles[membership.role]
        if role == "reception" and membership.user.email not in RECEPTION_ACCOUNTS.values():
            continue
        if role != "reception" and membership.organization.country_id != "GT":
            continue  # caseworkers of the Guatemalan NGO, Guatemalan employers
        if role == "caseworker" and membership.organization.kind != "ngo":
            continue
        country = membership.organization.country_id
        accounts[role].append(
            {
                "email": membership.user.email,
                "membership": membership.pk,
                "country": country,
                "weight": RECEPTION_WEIGHT[country] if role == "reception" else 1,
            }
        )
    for role in accounts:
        accounts[role].sort(key=lambda a: a["email"])
    names = {}
    for code, organization in reception_centers().items():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT given_names, first_surname, second_surname, birth_date FROM people_person "
                "WHERE organization_id = %s ORDER BY random() LIMIT %s",
                [organization.pk, names_per_country],
            )
            names[code] = [
                {"given": g, "first": f, "second": s, "birth": b.isoformat() if b else ""}
                for g, f, s, b in cursor.fetchall()
            ]
    from incluye.participants.models import ParticipantAccount

    phones = list(ParticipantAccount.objects.order_by("phone").values_list("phone", flat=True))
    return {"password": PASSWORD, "accounts": accounts, "names": names, "participants": phones}


def database_size() -> dict:
    from incluye.core.models import ActionLogEntry
    from incluye.people.models import IdentityDocument

    return {
        "people": Person.objects.count(),
        "identity_documents": IdentityDocument.objects.count(),
        "returns": ReturnEvent.objects.count(),
        "returns_today": ReturnEvent.objects.filter(arrived_on=timezone.localdate()).count(),
        "cases": Case.objects.count(),
        "open_cases": Case.objects.exclude(status="closed").count(),
        "case_notes": CaseNote.objects.count(),
        "open_tasks": Task.objects.filter(done_at__isnull=True).count(),
        "vacancies_open": Vacancy.objects.filter(status=VacancyStatus.OPEN).count(),
        "signed_profiles": SkillsProfile.objects.filter(status=ProfileStatus.SIGNED).count(),
        "action_log_entries": ActionLogEntry.objects.count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="the JSON file the locustfile reads")
    parser.add_argument("--today", default="GT=180,SV=80,HN=120,CR=15", help="arrivals today per country")
    parser.add_argument("--caseworkers", type=int, default=4)
    parser.add_argument("--cases", type=int, default=60, help="open cases per caseworker")
    parser.add_argument("--vacancies", type=int, default=10, help="open vacancies per Guatemalan employer")
    parser.add_argument("--profiles", type=int, default=20000, help="people with a signed profile")
    parser.add_argument("--names", type=int, default=2000, help="names per country for the search")
    parser.add_argument("--participants", type=int, default=400, help="people invited to their own page")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    today = timezone.localdate()
    wanted = {code: int(n) for code, n in (item.split("=") for item in args.today.split(","))}

    steps = [
        ("past returns (one per person)", lambda: returns_for_everyone(today)),
        ("arrivals today", lambda: arrivals_today(today, wanted, rng)),
        ("cases opened", lambda: casework(args.caseworkers, args.cases, today, rng)),
        ("vacancies posted", lambda: employers_and_vacancies(args.vacancies, today)),
        ("signed profiles (candidates)", lambda: candidates(args.profiles, rng)),
        ("participants invited to /me/", lambda: participants(args.participants, rng)),
        # NGO people made by `casework` have no return yet
        ("past returns of the NGO's new people", lambda: returns_for_everyone(today)),
    ]
    for label, step in steps:
        started = time.monotonic()
        done = step()
        log(f"{label}: {done} in {time.monotonic() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    data = fixtures(args.names)
    data["database"] = size = database_size()
    data["today"] = today.isoformat()
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    log("database: " + ", ".join(f"{k} {v}" for k, v in size.items()))
    log(
        f"accounts: {', '.join(f'{role} {len(a)}' for role, a in data['accounts'].items())}; wrote {args.out}"
    )


if __name__ == "__main__":
    main()
