import datetime

import pytest

from incluye.core.models import Country, Division, IdDocumentType
from incluye.people.services import consent_record, person_register
from incluye.skills.models import Occupation, System
from incluye.skills.services import profile_sign, profile_start, work_add, work_code

DRYWALL = "47-2081.00"
CARPENTER = "47-2031.00"
COOK = "35-2014.00"


@pytest.fixture(autouse=True)
def _fresh_matching_index():
    """The matching index lives in the process: each test starts from its own database."""
    from incluye.jobs.index import reset_index

    reset_index()
    yield
    reset_index()


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    from incluye.core import notify

    settings.INCLUYE_SMS_BACKEND = "incluye.core.notify.LocmemSMSBackend"
    notify.outbox.clear()
    yield notify.outbox
    notify.outbox.clear()


def municipality(index=0, country="GT"):
    divisions = Division.objects.filter(country_id=country)
    deepest = max(divisions.values_list("level", flat=True))
    return divisions.filter(level=deepest).order_by("code")[index]


def make_candidate(
    personas,
    *,
    given_names="José Manuel",
    first_surname="Tzul",
    occupation=DRYWALL,
    years=(2012, 2019),
    licences=("osha10",),
    english="basic",
    consent=True,
    residence=None,
    phone="+50255501234",
    sign=True,
):
    """A person of `personas.org` with a coded job abroad, a signed skills profile and (by default)
    consent to show the profile to employers."""
    person = person_register(
        membership=personas.caseworker,
        given_names=given_names,
        first_surname=first_surname,
        second_surname="Pérez",
        nationality=Country.objects.get(code="GT"),
        phone=phone,
        email="persona@example.org",
        residence=residence or municipality(0),
        documents=[(IdDocumentType.objects.get(country_id="GT", code="DPI"), "2746 13859 0901")],
        return_event={"arrived_on": datetime.date(2026, 1, 10), "reception_point": "La Aurora"},
    )
    job = work_add(
        membership=personas.caseworker,
        person=person,
        job_title="drywall",
        started_on=datetime.date(years[0], 1, 1),
        ended_on=datetime.date(years[1], 1, 1),
        licences=list(licences),
        english_level=english,
    )
    work_code(
        membership=personas.caseworker,
        experience=job,
        occupation=Occupation.objects.get(system=System.ONET, code=occupation),
    )
    if sign:
        profile_sign(
            membership=personas.caseworker,
            profile=profile_start(membership=personas.caseworker, person=person),
        )
    if consent:
        consent_record(
            membership=personas.caseworker,
            person=person,
            purpose="employer_profile",
            given=True,
            method="signed_form",
        )
    return person


def make_vacancy(personas, *, occupation=DRYWALL, where=None, **fields):
    from incluye.jobs.services import vacancy_create

    return vacancy_create(
        membership=personas.employer,
        title=fields.pop("title", "Instalador de tablayeso"),
        occupation=Occupation.objects.get(system=System.ONET, code=occupation),
        municipality=where or municipality(0),
        **fields,
    )


@pytest.fixture
def candidate(personas):
    return make_candidate(personas)


@pytest.fixture
def vacancy(personas):
    return make_vacancy(personas, min_years=3, required_licences=["osha10"])
