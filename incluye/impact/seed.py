"""The source text's "Impact in Numbers", rebuilt as records so that the indicator engine can
recompute them (and a big registry for the dashboards' benchmark).

    1 647 000 people directly reached, 3 000 000 indirectly (their household members);
    certification programs institutionalized for migrants: 5 GT, 2 SV, 2 CR;
    members of the national alliances: 24 GT, 20 SV, 10 HN, 8 CR.

`seed_impact(scale=1.0)` creates exactly those totals (people at `scale`; programs and members
always whole): every person has a return received at the country's reception center (the first
service) and a household size; 40 % have a case at the NGO that moves along the pathway, with
documents, screenings, referrals and follow-ups in proportion. Names are placeholders: nothing
here is a real person. Bulk inserts, a few minutes for the full 1 647 000 on PostgreSQL.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

SEED_TOTALS = {
    "people_reached_direct": 1_647_000,
    "people_reached_indirect": 3_000_000,
    "programs_institutionalized": {"GT": 5, "SV": 2, "HN": 0, "CR": 2},
    "alliance_members": {"GT": 24, "SV": 20, "HN": 10, "CR": 8},
}
PEOPLE_SHARE = {"GT": 0.45, "SV": 0.2, "HN": 0.3, "CR": 0.05}
SECTORS = ["public", "private", "civil_society", "international_cooperation", "academia"]
KIND_OF_SECTOR = {
    "public": "ministry",
    "private": "employer",
    "civil_society": "ngo",
    "international_cooperation": "cooperation_agency",
    "academia": "university",
}
FIRST_YEAR, LAST_YEAR = 2016, 2025
GIVEN = {"F": ["María", "Ana", "Rosa", "Glenda", "Sonia"], "M": ["José", "Juan", "Carlos", "Byron", "Erick"]}
SURNAMES = [
    "López",
    "Pérez",
    "García",
    "Hernández",
    "Tzul",
    "Coc",
    "Argueta",
    "Mejía",
    "Rodríguez",
    "Xitumul",
]


def split(total: int, shares: dict) -> dict:
    """`total` split by shares, the rounding remainder to the first key: sums exactly to total."""
    parts = {k: int(total * s) for k, s in shares.items()}
    first = next(iter(shares))
    parts[first] += total - sum(parts.values())
    return parts


def household_sizes(count: int, others: int, rng: random.Random) -> list[int]:
    """`count` household sizes (1–9, the person included) whose members other than the person sum
    to exactly `others`."""
    if count == 0:
        return []
    mean = others / count
    sizes = [1 + max(0, min(8, round(rng.gauss(mean, 1.2)))) for _ in range(count)]
    gap = others - sum(s - 1 for s in sizes)
    i = 0
    while gap:
        step = 1 if gap > 0 else -1
        j = i % count
        if 1 <= sizes[j] + step <= 9:
            sizes[j] += step
            gap -= step
        i += 1
    return sizes


def seed_impact(*, scale: float = 1.0, seed: int = 2016, batch: int = 20_000, progress=None) -> dict:
    """Create the seed's totals; refuses a registry that already has people (the totals must be
    exact). Returns what it created and the expected indicator values."""
    from incluye.people.models import Person
    from incluye.workspace.demo import demo_alliances

    if Person.objects.exists():
        raise ValueError("seed_impact needs an empty registry: its totals must be exact.")
    rng = random.Random(seed)  # nosec B311
    organizations = demo_alliances()
    _alliances(organizations)
    _programs(organizations)
    direct = round(SEED_TOTALS["people_reached_direct"] * scale)
    indirect = round(SEED_TOTALS["people_reached_indirect"] * scale)
    people_by_country = split(direct, PEOPLE_SHARE)
    others_by_country = split(indirect, PEOPLE_SHARE)
    done = 0
    for code, count in people_by_country.items():
        sizes = household_sizes(count, others_by_country[code], rng)
        done = _people(organizations, code, sizes, rng, batch=batch, progress=progress, done=done)
    return {
        "people_reached_direct": direct,
        "people_reached_indirect": indirect,
        "people_by_country": people_by_country,
        "indirect_by_country": others_by_country,
        "programs_institutionalized": SEED_TOTALS["programs_institutionalized"],
        "alliance_members": SEED_TOTALS["alliance_members"],
    }


@transaction.atomic
def _alliances(organizations) -> None:
    from incluye.accounts.models import Organization
    from incluye.alliance.models import AllianceMember, Council
    from incluye.core.models import Country

    for code, wanted in SEED_TOTALS["alliance_members"].items():
        country = Country.objects.get(code=code)
        council, _ = Council.objects.get_or_create(
            country=country,
            defaults={
                "name": f"Mesa multisectorial de inclusión de personas retornadas ({code})",
                "secretariat": organizations.get((code, "ngo")),
                "founded_on": datetime.date(2016 if code == "GT" else 2019, 3, 1),
            },
        )
        members = [org for (c, _key), org in organizations.items() if c == code]
        n = 0
        while len(members) < wanted:
            sector = SECTORS[n % len(SECTORS)]
            org, _ = Organization.objects.get_or_create(
                country=country,
                name=f"Organización aliada {n + 1} ({code})",
                defaults={"sector": sector, "kind": KIND_OF_SECTOR[sector]},
            )
            members.append(org)
            n += 1
        for org in members[:wanted]:
            AllianceMember.objects.get_or_create(
                council=council, organization=org, left_on=None, defaults={"joined_on": council.founded_on}
            )


@transaction.atomic
def _programs(organizations) -> None:
    from incluye.skills.models import CompetencyStandard

    for code, wanted in SEED_TOTALS["programs_institutionalized"].items():
        body = organizations[(code, "institute")]
        have = CompetencyStandard.objects.filter(
            body__country_id=code, migrant_route=True, active=True
        ).count()
        for i in range(have, wanted):
            CompetencyStandard.objects.create(
                body=body,
                code=f"MIG-{code}-{i + 1:02d}",
                title_es=f"Programa de certificación para personas migrantes retornadas {i + 1}",
                isco="7000",
                migrant_route=True,
            )


def _people(organizations, code, sizes, rng, *, batch, progress, done) -> int:
    from incluye.cases.models import Case, CaseDocument, CaseStageChange, FollowUp, Screening
    from incluye.core.models import Division
    from incluye.people.models import Person, ReturnEvent
    from incluye.referrals.models import Referral, Service

    reception, ngo = organizations[(code, "reception")], organizations[(code, "ngo")]
    registry, institute = organizations[(code, "registry")], organizations[(code, "institute")]
    deepest = max(Division.objects.filter(country_id=code).values_list("level", flat=True))
    municipalities = list(
        Division.objects.filter(country_id=code, level=deepest).values_list("pk", flat=True)
    )
    service, _ = Service.objects.get_or_create(
        organization=registry, name="Reposición de documento de identidad", defaults={"kind": "documents"}
    )
    training, _ = Service.objects.get_or_create(
        organization=institute,
        name="Certificación de competencias para personas retornadas",
        defaults={"kind": "training"},
    )
    today = timezone.localdate()
    span = (datetime.date(LAST_YEAR, 12, 31) - datetime.date(FIRST_YEAR, 1, 1)).days
    for start in range(0, len(sizes), batch):
        chunk = sizes[start : start + batch]
        people, returns = [], []
        for size in chunk:
            sex = "F" if rng.random() < 0.22 else "M"
            age = max(12, min(75, int(rng.gauss(31, 9))))
            arrived = datetime.date(FIRST_YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(span))
            person = Person(
                organization=reception,
                given_names=rng.choice(GIVEN[sex]),
                first_surname=rng.choice(SURNAMES),
                second_surname=rng.choice(SURNAMES),
                sex=sex,
                birth_date=datetime.date(arrived.year - age, rng.randint(1, 12), rng.randint(1, 28)),
                nationality_id=code,
                residence_id=rng.choice(municipalities),
                household_size=size,
            )
            person.refresh_name_key()
            people.append(person)
            returns.append(ReturnEvent(person=person, organization=reception, arrived_on=arrived))
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=5000)
            ReturnEvent.objects.bulk_create(returns, batch_size=5000)
            cases, changes, documents, screenings, referrals, follow_ups = [], [], [], [], [], []
            for person in people:
                if rng.random() >= 0.4:
                    continue
                path = ["reception", "psychosocial", "documents", "competencies", "employment", "follow_up"]
                depth = 1 + min(5, int(rng.expovariate(0.6)))
                case = Case(person=person, organization=ngo, status=path[depth - 1])
                cases.append(case)
                changes += [CaseStageChange(case=case, to_status=s) for s in path[:depth]]
                if depth >= 3:
                    documents.append(
                        CaseDocument(case=case, code="national_id", name={"es": "DPI"}, status="obtained")
                    )
                if depth >= 2 and rng.random() < 0.5:
                    screenings.append(
                        Screening(
                            case=case,
                            instrument="rhs-15",
                            version="1",
                            answers={},
                            total=0,
                            band="",
                            positive=False,
                            suggested_level="",
                        )
                    )
                if depth >= 3 and rng.random() < 0.3:
                    referrals.append(
                        Referral(
                            case=case,
                            from_organization=ngo,
                            service=rng.choice([service, training]),
                            to_organization=registry,
                            reason="-",
                            outcome_due_on=today,
                        )
                    )
                if depth >= 6:
                    follow_ups.append(
                        FollowUp(
                            case=case,
                            months=3,
                            due_on=today,
                            conducted_at=timezone.now(),
                            scores={"composite": round(rng.uniform(0.3, 0.95), 2)},
                        )
                    )
            Case.objects.bulk_create(cases, batch_size=5000)
            CaseStageChange.objects.bulk_create(changes, batch_size=5000)
            CaseDocument.objects.bulk_create(documents, batch_size=5000)
            Screening.objects.bulk_create(screenings, batch_size=5000)
            for r in referrals:
                if r.service.organization_id != r.to_organization_id:
                    r.to_organization_id = r.service.organization_id
            Referral.objects.bulk_create(referrals, batch_size=5000)
            FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
        done += len(chunk)
        if progress:
            progress(done)
    return done
