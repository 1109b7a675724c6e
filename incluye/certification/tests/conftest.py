import datetime

import pytest
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.certification import services
from incluye.core.testing import make_member, make_organization
from incluye.people.services import consent_record, person_register
from incluye.skills import services as skills_services
from incluye.skills.models import Occupation
from incluye.skills.standards import catalogue_load
from incluye.skills.tests.conftest import DRYWALL


@pytest.fixture
def institute(db):
    body = make_organization(
        "Instituto Técnico de Capacitación y Productividad", kind="certifying_body", sector="public"
    )
    body.short_name = "INTECAP"
    body.save()
    catalogue_load(body=body, standards=[DRYWALL])
    return body


@pytest.fixture
def standard(institute):
    return institute.standards.get(code=DRYWALL["code"])


@pytest.fixture
def assessor(institute):
    return make_member(institute, Role.ASSESSOR, mfa=False)


@pytest.fixture
def body_admin(institute):
    return make_member(institute, Role.ADMINISTRATOR)


@pytest.fixture
def person(personas):
    return person_register(
        membership=personas.staff,
        given_names="José Ángel",
        first_surname="Ordóñez",
        second_surname="Muñoz",
        nationality_id="GT",
    )


def signed_profile(membership, person):
    job = skills_services.work_add(
        membership=membership,
        person=person,
        job_title="hacía drywall",
        tasks="colgaba tablaroca y ponía masilla",
        started_on=datetime.date(2012, 1, 1),
        ended_on=datetime.date(2018, 1, 1),
    )
    skills_services.work_code(
        membership=membership,
        experience=job,
        occupation=Occupation.objects.get(system="onet", code="47-2081.00"),
    )
    profile = skills_services.profile_start(membership=membership, person=person)
    return skills_services.profile_sign(membership=membership, profile=profile)


@pytest.fixture
def profile(personas, person, institute):
    return signed_profile(personas.caseworker, person)


@pytest.fixture
def consent(personas, person):
    return consent_record(
        membership=personas.caseworker,
        person=person,
        purpose="alliance_sharing",
        given=True,
        method="signed_form",
    )


@pytest.fixture
def session(assessor, standard):
    return services.session_create(
        membership=assessor,
        standard=standard,
        date=timezone.localdate(),
        place="Centro de Capacitación Zona 6",
        capacity=5,
        assessors=[assessor.user],
    )


def enrol_new_person(personas, session, given_names="Ana", first_surname="Coc", **fields):
    """Register another person (with `fields`, e.g. a phone), record their consent to share, and
    enrol them from a signed profile."""
    person = person_register(
        membership=personas.staff,
        given_names=given_names,
        first_surname=first_surname,
        nationality_id="GT",
        **fields,
    )
    consent_record(
        membership=personas.caseworker,
        person=person,
        purpose="alliance_sharing",
        given=True,
        method="signed_form",
    )
    return services.enrollment_create(
        membership=personas.caseworker, session=session, profile=signed_profile(personas.caseworker, person)
    )


@pytest.fixture
def enrollment(personas, session, profile, consent):
    return services.enrollment_create(membership=personas.caseworker, session=session, profile=profile)


def assess(assessor, enrollment, outcomes: dict):
    """outcomes: {unit code: "competent" | "not_yet"}; marks the candidate present first."""
    services.enrollment_attendance(membership=assessor, enrollment=enrollment, attendance="present")
    units = {u.code: u.pk for u in enrollment.session.standard.units.all()}
    services.results_record(
        membership=assessor,
        enrollment=enrollment,
        results={
            units[code]: {"outcome": outcome, "evidence": "Observación"} for code, outcome in outcomes.items()
        },
    )
    return enrollment


@pytest.fixture
def certificate(assessor, enrollment):
    assess(assessor, enrollment, {"U1": "competent", "U2": "competent"})
    return services.certificate_issue(membership=assessor, enrollment=enrollment, public_fields="initials")


def make_legacy(certificate):
    """Turn a freshly issued certificate into one issued before the move to ES256: signed with a
    retired Ed25519 key whose kid is a did:web URL, with the header the old code wrote."""
    import datetime as dt
    import warnings

    from joserfc import jwt
    from joserfc.jwk import OKPKey

    from incluye.certification import credentials
    from incluye.certification.models import SigningKey

    key = OKPKey.generate_key("Ed25519", private=True)
    body = certificate.body
    legacy = SigningKey.objects.create(
        body=body,
        kid=f"{credentials.body_did(body)}#key-20260101-legacy",
        algorithm="EdDSA",
        public_jwk=key.as_dict(private=False),
        private_jwk_encrypted=credentials.encrypt_private_key(key),
        active=False,
        retired_at=timezone.now(),
    )
    SigningKey.objects.filter(pk=legacy.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    header = {"alg": "EdDSA", "typ": "vc+jwt", "kid": legacy.kid}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        certificate.credential = jwt.encode(
            header, credentials.certificate_credential(certificate), key, algorithms=["EdDSA"]
        )
    certificate.signing_key = legacy
    certificate.save(update_fields=["credential", "signing_key"])
    return legacy
