"""Records and object URLs of the certification app for the access test (accounts/tests/test_access.py).

The records belong to a certifying body (not `personas.org`): `owner()` names the membership that
opens each page. The public URLs (the body's keys, status lists) are listed in PUBLIC_URL_NAMES:
anyone may read them, so they are not walked for 404s."""

from django.urls import reverse

PUBLIC_URL_NAMES = {
    "certification:jwks",
    "certification:public_key",
    "certification:did",
    "certification:status_list",
}


def make_records(personas, person) -> dict:
    from django.utils import timezone

    from incluye.accounts.roles import Role
    from incluye.certification import services
    from incluye.certification.tests.conftest import assess
    from incluye.core.testing import make_member, make_organization
    from incluye.people.services import consent_record
    from incluye.skills.models import SkillsProfile
    from incluye.skills.standards import catalogue_load

    body = make_organization(
        "Instituto de Certificación", country="GT", kind="certifying_body", sector="public"
    )
    body.short_name = "ICERT"
    body.save()
    catalogue_load(
        body=body,
        standards=[
            {
                "code": "ICERT-1",
                "title_es": "Cocina",
                "isco": "5120",
                "units": [
                    {"code": "U1", "title_es": "Cocinar", "criteria": [{"code": "C1", "es": "Cocina."}]}
                ],
            }
        ],
    )
    standard = body.standards.get()
    profile = SkillsProfile.objects.create(
        person=person,
        organization=personas.org,
        status="signed",
        snapshot={"standards": [{"code": "ICERT-1", "body": "ICERT"}]},
    )
    consent_record(
        membership=personas.caseworker,
        person=person,
        purpose="alliance_sharing",
        given=True,
        method="signed_form",
    )
    assessor = make_member(body, Role.ASSESSOR, mfa=False)
    session = services.session_create(
        membership=assessor, standard=standard, date=timezone.localdate(), place="Sede", capacity=3
    )
    enrollment = services.enrollment_create(membership=personas.caseworker, session=session, profile=profile)
    assess(assessor, enrollment, {"U1": "competent"})
    certificate = services.certificate_issue(membership=assessor, enrollment=enrollment)
    return {
        "certification_body_admin": make_member(body, Role.ADMINISTRATOR),
        "signed_profile": profile,
        "session": session,
        "enrollment": enrollment,
        "certificate": certificate,
    }


def urls(personas, records) -> list[tuple[str, str]]:
    session, enrollment = records["session"].pk, records["enrollment"].pk
    certificate = records["certificate"].pk
    return [
        ("get", reverse("certification:session", args=[session])),
        ("post", reverse("certification:session", args=[session])),
        ("get", reverse("certification:enrollment", args=[enrollment])),
        ("post", reverse("certification:enrollment_attendance", args=[enrollment])),
        ("get", reverse("certification:certificate_issue", args=[enrollment])),
        ("post", reverse("certification:certificate_issue", args=[enrollment])),
        ("get", reverse("certification:enroll", args=[records["signed_profile"].pk])),
        ("post", reverse("certification:enrollment_withdraw", args=[enrollment])),
        ("get", reverse("certification:certificate", args=[certificate])),
        ("get", reverse("certification:certificate_pdf", args=[certificate])),
        ("get", reverse("certification:certificate_credential", args=[certificate])),
        ("post", reverse("certification:certificate_revoke", args=[certificate])),
        ("get", reverse("api:assessment_session", args=[session])),
        ("post", reverse("api:session_enroll", args=[session])),
        ("get", reverse("api:enrollment", args=[enrollment])),
        ("delete", reverse("api:enrollment", args=[enrollment])),
        ("post", reverse("api:enrollment_results", args=[enrollment])),
        ("get", reverse("api:certificate", args=[certificate])),
        ("post", reverse("api:certificate_revoke", args=[certificate])),
    ]


def owner(personas, records, url, method="get"):
    """Who opens `url` in the owning organization: the certifying body's administrator, except the
    enrolment page of a profile and the withdrawal of an enrolment (the page's and the API's
    DELETE), which belong to the person's organization (personas.org)."""
    enrollment = records["enrollment"].pk
    if url in (
        reverse("certification:enroll", args=[records["signed_profile"].pk]),
        reverse("certification:enrollment_withdraw", args=[enrollment]),
    ) or (method == "delete" and url == reverse("api:enrollment", args=[enrollment])):
        return None
    return records["certification_body_admin"]
