"""The demo participant (issue 19): a Guatemalan returnee of the NGO, with a signed skills profile,
invited to their own page (/me/) on their phone, holding a certificate from INTECAP and an
employer's invitation waiting for their answer. Idempotent. In development the sign-in code is
printed on the server's console (the console SMS backend)."""

import datetime

from django.utils import timezone

DEMO_PHONE = "+50255500019"


def demo_participant(organizations) -> dict | None:
    from incluye.accounts.models import Membership
    from incluye.certification import services as certification
    from incluye.certification.models import Certificate
    from incluye.certification.selectors import profile_standards
    from incluye.jobs import services as jobs
    from incluye.jobs.models import Vacancy
    from incluye.participants.models import ParticipantAccount
    from incluye.participants.services import participant_invite
    from incluye.people.models import Person
    from incluye.people.services import consent_record
    from incluye.skills.models import CompetencyStandard, ProfileStatus, SkillsProfile

    existing = ParticipantAccount.objects.filter(phone=DEMO_PHONE).first()
    if existing is not None:
        return {"phone": DEMO_PHONE, "person": existing.person.full_name}
    ngo, intecap = organizations.get(("GT", "ngo")), organizations.get(("GT", "institute"))
    employer_org = organizations.get(("GT", "employer1"))
    if ngo is None or intecap is None or employer_org is None:
        return None

    def member(organization, role):
        return Membership.objects.filter(organization=organization, role=role, read_only=False).first()

    caseworker, assessor, employer = (
        member(ngo, "caseworker"),
        member(intecap, "assessor"),
        member(employer_org, "employer"),
    )
    profile = (
        SkillsProfile.objects.filter(organization=ngo, status=ProfileStatus.SIGNED)
        .select_related("person")
        .order_by("signed_at")
        .first()
    )
    if None in (caseworker, assessor, employer) or profile is None:
        return None
    person = profile.person
    Person.objects.filter(pk=person.pk).update(phone=DEMO_PHONE)
    person.refresh_from_db()
    for purpose in ("alliance_sharing", "employer_profile", "case_management"):
        consent_record(
            membership=caseworker, person=person, purpose=purpose, given=True, method="signed_form"
        )

    # A certificate: an assessment session held today, competent in every unit.
    label = intecap.short_name or intecap.name
    codes = [code for code, body in profile_standards(profile) if body == label]
    standard = CompetencyStandard.objects.filter(body=intecap, code__in=codes, active=True).first()
    if standard is not None and not Certificate.objects.filter(person=person).exists():
        session = certification.session_create(
            membership=assessor,
            standard=standard,
            date=timezone.localdate(),
            place="INTECAP, Centro de Capacitación Zona 6, Ciudad de Guatemala",
            capacity=12,
            assessors=[assessor.user],
        )
        enrollment = certification.enrollment_create(membership=caseworker, session=session, profile=profile)
        certification.enrollment_attendance(membership=assessor, enrollment=enrollment, attendance="present")
        certification.results_record(
            membership=assessor,
            enrollment=enrollment,
            results={
                unit.pk: {"outcome": "competent", "evidence": "Demostración práctica"}
                for unit in standard.units.all()
            },
        )
        certification.certificate_issue(membership=assessor, enrollment=enrollment)

    # An employer's invitation waiting for the person's own answer.
    vacancy = (
        Vacancy.objects.filter(employer=employer_org, status="open")
        .exclude(applications__person=person)
        .first()
    )
    waiting = person.job_applications.filter(status="invited").exists()  # the pathway demo may have made one
    if vacancy is not None and not waiting:
        jobs.candidate_invite(membership=employer, vacancy=vacancy, person=person, score=77.0)

    account = participant_invite(membership=caseworker, person=person)
    ParticipantAccount.objects.filter(pk=account.pk).update(
        invited_at=timezone.now() - datetime.timedelta(days=1)
    )
    return {"phone": DEMO_PHONE, "person": person.full_name}
