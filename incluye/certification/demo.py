"""Demo data of the certification app: a signing key for each country's vocational institute and,
when the Guatemalan NGO has a signed skills profile that leads to one of INTECAP's standards, an
assessment session at INTECAP in five days with that person enrolled (with their consent): it is in
the assessor's inbox."""

import datetime

from django.utils import timezone


def demo_certification(organizations, countries) -> dict:
    """Idempotent: keys are made once per institute; the session is scheduled once."""
    from incluye.accounts.models import Membership
    from incluye.certification import services
    from incluye.certification.models import AssessmentSession
    from incluye.certification.selectors import profile_standards, sharing_consent
    from incluye.people.services import consent_record
    from incluye.skills.models import CompetencyStandard, ProfileStatus, SkillsProfile

    keys = 0
    for code in countries:
        institute = organizations.get((code, "institute"))
        if institute is not None and not institute.signing_keys.exists():
            services.signing_key_rotate(body=institute)
            keys += 1
    intecap = organizations.get(("GT", "institute"))
    ngo = organizations.get(("GT", "ngo"))
    if intecap is None or ngo is None or AssessmentSession.objects.filter(body=intecap).exists():
        return {"keys": keys, "sessions": 0, "enrolled": 0}
    assessor = Membership.objects.filter(organization=intecap, role="assessor", read_only=False).first()
    caseworker = Membership.objects.filter(organization=ngo, role="caseworker", read_only=False).first()
    if assessor is None or caseworker is None:
        return {"keys": keys, "sessions": 0, "enrolled": 0}
    label = intecap.short_name or intecap.name
    for profile in SkillsProfile.objects.filter(organization=ngo, status=ProfileStatus.SIGNED).select_related(
        "person", "organization"
    ):
        codes = [c for c, body in profile_standards(profile) if body == label]
        standard = CompetencyStandard.objects.filter(body=intecap, code__in=codes, active=True).first()
        if standard is None:
            continue
        session = services.session_create(
            membership=assessor,
            standard=standard,
            date=timezone.localdate() + datetime.timedelta(days=5),
            place="INTECAP, Centro de Capacitación Zona 6, Ciudad de Guatemala",
            capacity=12,
            assessors=[assessor.user],
        )
        if sharing_consent(profile.person) is None:
            consent_record(
                membership=caseworker,
                person=profile.person,
                purpose="alliance_sharing",
                given=True,
                method="signed_form",
            )
        services.enrollment_create(membership=caseworker, session=session, profile=profile)
        return {"keys": keys, "sessions": 1, "enrolled": 1}
    return {"keys": keys, "sessions": 0, "enrolled": 0}
