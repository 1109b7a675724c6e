"""Demo data of the alliance: each country's council with its members (every demo organization of
the country), an agreement, an action plan and a meeting with decisions; and two consented stories
(incluye.impact.demo). Idempotent."""

import datetime

from django.db import transaction
from django.utils import timezone

COUNCIL_NAMES = {
    "GT": "Mesa Multisectorial Guate Te Incluye",
    "SV": "Consejo El Salvador Te Incluye",
    "HN": "Mesa Honduras Te Incluye",
    "CR": "Mesa Costa Rica Te Incluye",
}


@transaction.atomic
def demo_alliance(organizations: dict, countries: list[str]) -> dict:
    """`organizations`: {(country, key): Organization} as workspace.demo.demo_alliances returns."""
    from incluye.alliance.models import Agreement, AllianceMember, Commitment, Council, Decision, Meeting

    councils = {}
    for code in countries:
        orgs = {key: org for (c, key), org in organizations.items() if c == code}
        if not orgs:
            continue
        council, created = Council.objects.get_or_create(
            country_id=code,
            defaults={
                "name": COUNCIL_NAMES.get(code, f"Alianza {code}"),
                "secretariat": orgs.get("ngo"),
                "founded_on": datetime.date(2016 if code == "GT" else 2019, 3, 1),
            },
        )
        councils[code] = council
        for key, org in orgs.items():
            AllianceMember.objects.get_or_create(
                council=council,
                organization=org,
                left_on=None,
                defaults={
                    "joined_on": council.founded_on,
                    "role": "secretariat" if key == "ngo" else "chair" if key == "ministry" else "member",
                },
            )
        if not created:
            continue
        agreement = Agreement.objects.create(
            council=council,
            title="Memorando de entendimiento para la certificación de competencias de personas retornadas",
            signed_on=council.founded_on,
            starts_on=council.founded_on,
            ends_on=council.founded_on.replace(year=council.founded_on.year + 5),
            scope="Reconocer la experiencia laboral adquirida en el extranjero mediante la evaluación y "
            "certificación de competencias, y referir a las personas certificadas a empleadores comprometidos.",
        )
        agreement.parties.set(
            [o for k, o in orgs.items() if k in ("ministry", "institute", "ngo", "employer1")]
        )
        plan = [
            ("Publicar la ruta de certificación para personas retornadas", "institute", 90, "done"),
            ("Sumar tres empleadores comprometidos a la alianza", "ministry", 180, "in_progress"),
            ("Informe semestral de indicadores de la alianza", "ngo", 200, "planned"),
        ]
        commitments = [
            Commitment.objects.create(
                council=council,
                title=title,
                owner=orgs.get(owner) or next(iter(orgs.values())),
                due_on=timezone.localdate() + datetime.timedelta(days=days - 120),
                status=status,
            )
            for title, owner, days, status in plan
        ]
        meeting = Meeting.objects.create(
            council=council,
            held_on=timezone.localdate() - datetime.timedelta(days=30),
            place="Sala de reuniones del ministerio de trabajo",
            summary="Revisión del plan de acción y de los indicadores del trimestre.",
        )
        meeting.attendees.set(list(orgs.values())[:6])
        Decision.objects.create(
            meeting=meeting, text="Aprobar el plan de acción del año.", commitment=commitments[1]
        )
        Decision.objects.create(
            meeting=meeting, text="Presentar los indicadores en la próxima sesión.", commitment=commitments[2]
        )
    from incluye.impact.demo import demo_stories

    stories = demo_stories(organizations)
    return {"councils": len(councils), "stories": stories}
