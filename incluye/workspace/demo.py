"""Demo data: the four countries' alliances, one user per role, generated participants, and each
app's demo records — assembled here, on the top floor, so that no lower app imports the others."""

import json
from pathlib import Path

from django.db import transaction

from incluye.accounts.models import Membership, Organization, User
from incluye.core.actionlog import log_action
from incluye.core.services import country_load
from incluye.people.generate import PeopleGenerator
from incluye.people.models import Person

DEMO = json.loads((Path(__file__).parent / "data" / "demo_organizations.json").read_text(encoding="utf-8"))
COUNTRIES = ["GT", "SV", "HN", "CR"]
# Share of generated participants per country (GT receives the most returnees).
PEOPLE_SHARE = {"GT": 0.45, "SV": 0.2, "HN": 0.3, "CR": 0.05}


@transaction.atomic
def demo_alliances() -> dict[tuple[str, str], Organization]:
    organizations = {}
    for code in COUNTRIES:
        country = country_load(code=code)
        for spec in DEMO[code]:
            org, _ = Organization.objects.update_or_create(
                country=country,
                name=spec["name"],
                defaults={"short_name": spec["short_name"], "sector": spec["sector"], "kind": spec["kind"]},
            )
            organizations[(code, spec["key"])] = org
    return organizations


@transaction.atomic
def demo_users(organizations) -> list[dict]:
    accounts = []
    for spec in DEMO["users"]:
        user, created = User.objects.update_or_create(
            email=spec["email"],
            defaults={"grammatical_gender": spec.get("grammatical_gender", "")},
            create_defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "grammatical_gender": spec.get("grammatical_gender", ""),
            },
        )
        if created:
            user.set_password(DEMO["password"])
            user.save(update_fields=["password"])
        org = organizations[(spec["country"], spec["org"])]
        Membership.objects.update_or_create(
            user=user,
            organization=org,
            role=spec["role"],
            defaults={"read_only": spec.get("read_only", False)},
        )
        accounts.append({**spec, "organization": str(org)})
    # The coordinator also works at the NGO: a user with two organizations picks the active one.
    coordinator = User.objects.get(email="coordinador@demo.incluye.org")
    Membership.objects.get_or_create(
        user=coordinator,
        organization=organizations[("GT", "ngo")],
        role="caseworker",
        defaults={"read_only": True},
    )
    return accounts


def demo_people(organizations, *, total: int, seed: int = 2016, progress=None) -> int:
    """Make sure there are at least `total` demo participants, spread over the reception centers."""
    generator = PeopleGenerator(seed=seed + Person.objects.count())
    created = 0
    for code in COUNTRIES:
        org = organizations[(code, "reception")]
        wanted = round(total * PEOPLE_SHARE[code])
        missing = wanted - Person.objects.filter(organization=org).count()
        if missing > 0:
            created += generator.create(organization=org, count=missing, progress=progress)
    return created


# The Guatemalan NGO follows some participants of its own, with cases at several stages, so that
# the caseworker, psychosocial and documents accounts have work to see in the demo.
NGO_CASE_STAGES = ["reception", "psychosocial", "documents", "documents", "competencies", "employment"]
DEMO_SERVICES = [
    ("ngo", "Acompañamiento psicosocial", "psychosocial"),
    ("registry", "Reposición de documento de identidad", "documents"),
    ("institute", "Certificación de competencias para personas retornadas", "training"),
    # What a risk alert's safety plan refers to.
    ("ngo", "Atención en crisis emocional (24 horas)", "mh_emergency"),
]


def demo_casework(organizations) -> int:
    """Cases of the NGO's participants and each alliance's services in the directory (idempotent)."""
    from incluye.accounts.models import Membership
    from incluye.cases import services as case_services
    from incluye.cases.models import Case
    from incluye.referrals.models import Service

    for code in COUNTRIES:
        for key, name, kind in DEMO_SERVICES:
            Service.objects.get_or_create(
                organization=organizations[(code, key)], name=name, defaults={"kind": kind}
            )
    ngo = organizations[("GT", "ngo")]
    caseworker = Membership.objects.filter(organization=ngo, role="caseworker", read_only=False).first()
    if caseworker is None or Case.objects.filter(organization=ngo).exists():
        return 0
    missing = len(NGO_CASE_STAGES) * 2 - Person.objects.filter(organization=ngo).count()
    if missing > 0:
        PeopleGenerator(seed=7).create(organization=ngo, count=missing)
    opened = 0
    for person, stage in zip(
        Person.objects.filter(organization=ngo).order_by("name_key"), NGO_CASE_STAGES * 2, strict=False
    ):
        case = case_services.case_open(membership=caseworker, person=person)
        path = {
            "reception": [],
            "psychosocial": ["psychosocial"],
            "documents": ["documents"],
            "competencies": ["documents", "competencies"],
            "employment": ["documents", "employment"],
        }[stage]
        for step in path:
            case_services.case_move(
                membership=caseworker, case=case, to_status=step, expected_version=case.version
            )
        opened += 1
    return opened


def demo_load(*, people: int = 300, progress=None) -> dict:
    organizations = demo_alliances()
    accounts = demo_users(organizations)
    created = demo_people(organizations, total=people, progress=progress)
    demo_casework(organizations)
    from incluye.alliance.demo import demo_alliance
    from incluye.certification.demo import demo_certification
    from incluye.jobs.demo import demo_jobs
    from incluye.people.demo import demo_duplicates
    from incluye.skills.demo import demo_skills

    demo_skills(organizations, COUNTRIES)
    demo_certification(organizations, COUNTRIES)
    demo_jobs(organizations, COUNTRIES)
    demo_alliance(organizations, COUNTRIES)
    demo_duplicates(organizations)
    from incluye.workspace.pathway_demo import demo_pathway

    demo_pathway(organizations, COUNTRIES)
    from incluye.people.arrivals_demo import demo_arrivals

    demo_arrivals(organizations)
    from incluye.workspace.participant_demo import demo_participant

    participant = demo_participant(organizations)
    log_action(actor=None, organization=None, action="incluye.demo.loaded", data={"people_created": created})
    return {
        "accounts": accounts,
        "password": DEMO["password"],
        "people_created": created,
        "participant": participant,
    }
