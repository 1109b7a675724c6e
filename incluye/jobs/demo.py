"""Demo data of the jobs app: each employer's commitment to inclusive hiring and a few open
vacancies matching the occupations the demo's work histories are coded to (idempotent)."""

import datetime

from django.db import transaction
from django.utils import timezone

DEMO_VACANCIES = {
    "employer1": [
        ("Instalador de tablayeso", "47-2081.00", 2, ["osha10"], "full_time"),
        ("Carpintero de obra", "47-2031.00", 3, [], "full_time"),
        ("Techador", "47-2181.00", 1, ["osha10"], "seasonal"),
    ],
    "employer2": [
        ("Cocinero de línea", "35-2014.00", 2, ["servsafe_food_handler"], "shifts"),
        ("Auxiliar de cocina", "35-2021.00", 0, [], "part_time"),
    ],
    "employer3": [
        ("Operador de montacargas", "53-7051.00", 2, ["forklift"], "shifts"),
        ("Auxiliar de bodega", "53-7062.00", 0, [], "full_time"),
    ],
}
COMMITMENT = (
    "Nos comprometemos a contratar personas retornadas, a valorar la experiencia de trabajo adquirida "
    "en el extranjero y a no discriminar por la condición migratoria."
)


@transaction.atomic
def demo_jobs(organizations, countries) -> int:
    """Creates what is missing; returns how many vacancies were created."""
    from incluye.jobs.forms import municipalities
    from incluye.jobs.models import Commitment, Vacancy
    from incluye.skills.models import Occupation, System

    created = 0
    today = timezone.localdate()
    for code in countries:
        places = list(municipalities(code)[:20])
        for key, vacancies in DEMO_VACANCIES.items():
            employer = organizations.get((code, key))
            if employer is None:
                continue
            Commitment.objects.get_or_create(
                organization=employer,
                defaults={
                    "statement": COMMITMENT,
                    "positions_per_year": 10,
                    "signed_on": today - datetime.timedelta(days=90),
                    "signed_by_name": "Gerencia de Recursos Humanos",
                },
            )
            for i, (title, occupation, years, licences, schedule) in enumerate(vacancies):
                occupation = Occupation.objects.filter(system=System.ONET, code=occupation).first()
                if occupation is None or not places:
                    continue
                _vacancy, made = Vacancy.objects.get_or_create(
                    employer=employer,
                    title=title,
                    defaults={
                        "occupation": occupation,
                        "min_years": years,
                        "required_licences": licences,
                        "municipality": places[i % len(places)],
                        "schedule": schedule,
                        "positions": 2 + i,
                        "currency": employer.country.currency,
                        "closes_on": today + datetime.timedelta(days=60),
                    },
                )
                created += made
    return created
