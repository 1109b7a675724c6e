"""Demo data of the skills app: each country's illustrative catalogue of standards at its
vocational institute, and work histories abroad (coded) for some of the Guatemalan NGO's people."""

import datetime

from incluye.skills.standards import catalogue_load, demo_catalogue

DEMO_JOBS = [
    (
        "framer",
        "Armaba paredes y techos de madera, leía planos",
        "pistola de clavos, sierra circular",
        "Houston",
        "TX",
        2011,
        2019,
        ["osha10"],
        "basic",
    ),
    (
        "line cook",
        "Preparaba la línea, cocinaba a la plancha y freidora",
        "plancha, freidora, cuchillos",
        "Los Angeles",
        "CA",
        2014,
        2020,
        ["servsafe_food_handler"],
        "basic",
    ),
    (
        "montacarguista en bodega",
        "Cargaba y descargaba tráileres, acomodaba tarimas",
        "montacargas, escáner",
        "Dallas",
        "TX",
        2016,
        2022,
        ["forklift"],
        "intermediate",
    ),
    (
        "hacía drywall",
        "Colgaba tablaroca y ponía masilla",
        "pistola de tornillos, llana",
        "Atlanta",
        "GA",
        2010,
        2018,
        ["osha10"],
        "basic",
    ),
    (
        "yardero",
        "Cortaba zacate, podaba y plantaba",
        "podadora, orilladora, sopladora",
        "Charlotte",
        "NC",
        2013,
        2021,
        [],
        "none",
    ),
    (
        "roofero",
        "Ponía shingles y tela asfáltica en techos",
        "pistola de clavos, arnés",
        "Denver",
        "CO",
        2012,
        2017,
        ["osha10"],
        "basic",
    ),
    (
        "hojalatero y pintor de carros",
        "Enderezaba golpes y pintaba carros en un body shop",
        "martillo, lijadora, pistola de pintura",
        "Phoenix",
        "AZ",
        2015,
        2021,
        [],
        "basic",
    ),
]


def demo_skills(organizations, countries) -> int:
    """Idempotent: catalogues are upserted; work histories are added once."""
    from incluye.accounts.models import Membership
    from incluye.people.models import Person
    from incluye.skills import services
    from incluye.skills.coding import get_coder

    for code in countries:
        catalogue = demo_catalogue(code)
        if catalogue:
            catalogue_load(body=organizations[(code, "institute")], standards=catalogue["standards"])
    ngo = organizations[("GT", "ngo")]
    caseworker = Membership.objects.filter(organization=ngo, role="caseworker", read_only=False).first()
    people = list(Person.objects.filter(organization=ngo).order_by("name_key")[: len(DEMO_JOBS)])
    if caseworker is None or any(p.work_history.exists() for p in people):
        return 0
    coder = get_coder()
    added = 0
    for person, (title, tasks, tools, city, state, start, end, licences, english) in zip(
        people, DEMO_JOBS, strict=False
    ):
        job = services.work_add(
            membership=caseworker,
            person=person,
            job_title=title,
            tasks=tasks,
            tools=tools,
            city=city,
            region=state,
            country="US",
            started_on=datetime.date(start, 1, 1),
            started_precision="year",
            ended_on=datetime.date(end, 1, 1),
            ended_precision="year",
            licences=licences,
            english_level=english,
        )
        added += 1
        matches = coder.code_job(title, f"{tasks}, {tools}")
        # Half are coded; the others (and a job naming several trades) wait for the counsellor.
        if matches and added % 2 and not coder.code_jobs(title):
            from incluye.skills.models import Occupation

            occupation = Occupation.objects.get(pk=matches[0].occupation_id)
            services.work_code(
                membership=caseworker, experience=job, occupation=occupation, confidence=matches[0].confidence
            )
    # One profile is signed, so the certification demo has a candidate to enrol.
    first = people[0] if people else None
    if first is not None and first.work_history.filter(occupation__isnull=False).exists():
        profile = services.profile_start(membership=caseworker, person=first)
        services.profile_sign(membership=caseworker, profile=profile)
    return added
