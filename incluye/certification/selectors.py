"""Reads of the certification app, scoped to the active membership.

A certifying body sees its own sessions, the candidates enrolled in them and the certificates it
issued — never the registry of people. The person's own organization sees the person's enrolments
and certificates (read only) through its registry."""

import hmac
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from incluye.accounts.models import OrganizationKind
from incluye.certification.models import (
    AssessmentSession,
    Attendance,
    Certificate,
    Enrollment,
    Outcome,
    UnitResult,
)
from incluye.core.access import get_scoped_or_404
from incluye.people.models import ConsentPurpose
from incluye.people.selectors import consent_state, people_visible_to
from incluye.skills.models import CompetencyStandard, CompetencyUnit, ProfileStatus


def works_for_a_body(membership) -> bool:
    return membership is not None and membership.organization.kind == OrganizationKind.CERTIFYING_BODY


def sessions_visible_to(*, membership):
    if not works_for_a_body(membership) or not membership.can("assessments.view"):
        return AssessmentSession.objects.none()
    return AssessmentSession.objects.filter(body_id=membership.organization_id)


def sessions_list(*, membership):
    return (
        sessions_visible_to(membership=membership)
        .select_related("standard")
        .annotate(enrolled=Count("enrollments"))
        .order_by("-date", "place")
    )


def session_for_page(*, membership, pk):
    return get_scoped_or_404(
        sessions_visible_to(membership=membership)
        .select_related("standard", "body")
        .prefetch_related(
            "assessors",
            Prefetch(
                "enrollments",
                queryset=Enrollment.objects.select_related("person", "organization", "certificate").order_by(
                    "person__name_key"
                ),
            ),
        ),
        pk=pk,
    )


def enrollments_visible_to(*, membership):
    return Enrollment.objects.filter(session__in=sessions_visible_to(membership=membership))


def enrollment_for_page(*, membership, pk):
    return get_scoped_or_404(
        enrollments_visible_to(membership=membership).select_related(
            "session__standard__body", "person", "organization", "profile"
        ),
        pk=pk,
    )


def enrollments_made_for(*, membership):
    """Enrolments of the people the membership's organization serves, for the staff who enrol
    them (and may withdraw them)."""
    if membership is None or not membership.can("candidates.enroll"):
        return Enrollment.objects.none()
    return Enrollment.objects.filter(person__in=people_visible_to(membership=membership))


def enrollment_to_withdraw(*, membership, pk):
    return get_scoped_or_404(
        enrollments_made_for(membership=membership).select_related(
            "session__standard", "session__body", "person"
        ),
        pk=pk,
    )


def enrollment_is_pending(enrollment) -> bool:
    """The session has not begun (the deployment's date) and no attendance was recorded (results
    need the candidate present): the enrolment is a seat held, which may be given back."""
    return timezone.localdate() < enrollment.session.date and enrollment.attendance == Attendance.EXPECTED


def certificates_visible_to(*, membership):
    """The body's certificates for its assessment staff; the person's certificates for the
    organization that follows the person (read only)."""
    if membership is None:
        return Certificate.objects.none()
    scope = Q(pk__in=[])
    if works_for_a_body(membership) and membership.can("assessments.view"):
        scope |= Q(body_id=membership.organization_id)
    if membership.can("skills.view"):
        scope |= Q(person__in=people_visible_to(membership=membership))
    return Certificate.objects.filter(scope)


def certificate_for_page(*, membership, pk):
    return get_scoped_or_404(
        certificates_visible_to(membership=membership).select_related(
            "body", "standard", "person", "issued_by", "revoked_by", "enrollment__session", "signing_key"
        ),
        pk=pk,
    )


def certificates_of(*, membership, person):
    return (
        certificates_visible_to(membership=membership)
        .filter(person=person)
        .select_related("standard", "body")
    )


# --- Enrolment ------------------------------------------------------------------------------------


def profile_standards(profile) -> set[tuple[str, str]]:
    """(standard code, body) pairs the signed profile leads to."""
    document = profile.snapshot if profile.status == ProfileStatus.SIGNED else {}
    return {(s.get("code"), s.get("body")) for s in document.get("standards", [])}


def body_label(body) -> str:
    """How the skills profile names a body (see skills.profile.profile_document)."""
    return body.short_name or body.name


def profile_leads_to(profile, standard) -> bool:
    return (standard.code, body_label(standard.body)) in profile_standards(profile)


def sharing_consent(person):
    """The person's current consent to share their data with the alliance, or None."""
    consent = consent_state(person=person).get(ConsentPurpose.ALLIANCE_SHARING)
    if consent is None or not consent.given:
        return None
    if consent.expires_on and consent.expires_on < timezone.localdate():
        return None
    return consent


def sessions_open_to_enrol(*, membership):
    """Upcoming sessions of the certifying bodies of the membership's country, for organizations
    that enrol their people; nothing for anyone else."""
    if membership is None or not membership.can("skills.view"):
        return AssessmentSession.objects.none()
    return AssessmentSession.objects.filter(
        date__gte=timezone.localdate(),
        body__country_id=membership.organization.country_id,
        body__is_active=True,
    )


def sessions_open_for(*, profile):
    """Upcoming sessions, in the country of the profile's organization, of the standards the signed
    profile leads to; with the seats taken."""
    wanted = profile_standards(profile)
    if not wanted:
        return []
    sessions = (
        AssessmentSession.objects.filter(
            date__gte=timezone.localdate(),
            body__country_id=profile.organization.country_id,
            body__is_active=True,
            standard__code__in={code for code, _body in wanted},
        )
        .select_related("standard__body")
        .annotate(enrolled=Count("enrollments"))
        .order_by("date", "place")
    )
    return [s for s in sessions if (s.standard.code, body_label(s.standard.body)) in wanted]


# --- Results and eligibility ----------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: CompetencyUnit
    result: UnitResult | None
    achieved_before: UnitResult | None  # competent in an earlier enrolment for the same standard

    @property
    def achieved(self) -> bool:
        return self.achieved_before is not None or (
            self.result is not None and self.result.outcome == Outcome.COMPETENT
        )


@dataclass
class Progress:
    rows: list[UnitRow]
    upcoming: list = field(default_factory=list)

    @property
    def achieved(self) -> list[CompetencyUnit]:
        return [r.unit for r in self.rows if r.achieved]

    @property
    def missing(self) -> list[CompetencyUnit]:
        """Required units not achieved yet: the plan for the rest."""
        return [r.unit for r in self.rows if r.unit.required and not r.achieved]

    @property
    def eligible(self) -> bool:
        return bool(self.rows) and not self.missing

    @property
    def assessed(self) -> bool:
        return any(r.result for r in self.rows)


def enrollment_progress(enrollment) -> Progress:
    """Unit by unit: this enrolment's result, and the units the person achieved earlier for the same
    standard (a partial result counts towards a later session). Eligible: competent in every
    required unit."""
    standard = enrollment.session.standard
    units = list(standard.units.all())
    results = {r.unit_id: r for r in enrollment.results.select_related("assessor")}
    earlier = {}
    for result in (
        UnitResult.objects.filter(
            enrollment__person_id=enrollment.person_id,
            enrollment__session__standard=standard,
            outcome=Outcome.COMPETENT,
        )
        .exclude(enrollment=enrollment)
        .select_related("enrollment__session")
        .order_by("assessed_on")
    ):
        earlier.setdefault(result.unit_id, result)
    upcoming = list(
        AssessmentSession.objects.filter(standard=standard, date__gt=enrollment.session.date).order_by(
            "date"
        )[:3]
    )
    return Progress(
        rows=[UnitRow(u, results.get(u.pk), earlier.get(u.pk)) for u in units],
        upcoming=upcoming,
    )


# --- Public verification --------------------------------------------------------------------------


def normalize_number(number: str) -> str:
    return "".join(str(number or "").split()).upper()[:60]


def certificate_by_number(number: str, code: str):
    """The certificate with this number, only when the verification code printed beside it matches:
    numbers are sequential, so a number alone would let anyone walk through every certificate."""
    from incluye.certification.models import normalize_code

    number, code = normalize_number(number), normalize_code(code)
    if not number or not code:
        return None
    certificate = Certificate.objects.select_related("body", "standard").filter(number=number).first()
    if certificate is None or not hmac.compare_digest(certificate.verification_code, code):
        return None
    return certificate


def certificate_by_token(token: str):
    token = str(token or "")[:64]
    if not token:
        return None
    return Certificate.objects.select_related("body", "standard").filter(token=token).first()


def verification(certificate) -> dict:
    """What anyone may learn about a certificate: its status, what it certifies, and of the person
    only what they agreed to show (initials, or the full name)."""
    if certificate is None:
        return {"status": "unknown"}
    from incluye.certification.models import PublicFields

    return {
        "status": "revoked" if certificate.revoked else "valid",
        "number": certificate.number,
        "holder": certificate.holder_name
        if certificate.public_fields == PublicFields.NAME
        else certificate.initials,
        "standard_code": certificate.standard.code,
        "standard": {"es": certificate.standard.title_es, "en": certificate.standard.title_en},
        "body": certificate.body.name,
        "issued_on": timezone.localdate(certificate.issued_at),
        "revoked_on": timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
        "units": certificate.units,
    }


# --- Indicator: institutionalized recognition routes -------------------------------------------------


def migrant_routes_by_country(*, countries=None) -> list[dict]:
    """Certification programs for migrants institutionalized per country: the active standards of
    each country's certifying bodies that have a recognition route for returned migrants."""
    qs = CompetencyStandard.objects.filter(active=True, migrant_route=True, body__is_active=True)
    if countries:
        qs = qs.filter(body__country_id__in=countries)
    from incluye.core.models import Country

    counts = dict(
        qs.values_list("body__country_id").annotate(n=Count("id")).values_list("body__country_id", "n")
    )
    names = {c.code: c.name for c in Country.objects.filter(code__in=counts)}
    return [{"country": code, "name": names[code], "standards": counts[code]} for code in sorted(counts)]


def migrant_route_standards(*, country_id):
    return (
        CompetencyStandard.objects.filter(
            active=True, migrant_route=True, body__is_active=True, body__country_id=country_id
        )
        .select_related("body")
        .order_by("body__name", "code")
    )


def certified_units_by_person(person_ids=None) -> dict:
    """{person id: [unit ids]} of the units of competence each person holds a valid (not revoked)
    certificate for: the matching engine's "certified units" signal (incluye.jobs.index)."""
    from incluye.certification.models import Certificate

    certificates = Certificate.objects.filter(revoked_at__isnull=True)
    if person_ids is not None:
        certificates = certificates.filter(person_id__in=list(person_ids))
    rows = list(certificates.values_list("person_id", "standard_id", "units"))
    unit_ids = {
        (standard_id, code): pk
        for pk, standard_id, code in CompetencyUnit.objects.filter(
            standard_id__in={standard_id for _p, standard_id, _u in rows}
        ).values_list("pk", "standard_id", "code")
    }
    out: dict = {}
    for person_id, standard_id, units in rows:
        for unit in units:
            pk = unit_ids.get((standard_id, unit.get("code")))
            if pk is not None:
                out.setdefault(person_id, []).append(pk)
    return out


# --- The person's own view (/me/) ---------------------------------------------------------------


def certificates_held_by(*, person):
    """The person's own certificates, for their page (revoked ones say so)."""
    return Certificate.objects.filter(person=person).select_related("standard", "body").order_by("-issued_at")


def holds_valid_certificate(*, person, standard=None) -> bool:
    """Whether the person holds a certificate that is not revoked (their pathway is past
    certification), of `standard` when given (they are not enrolled in it again)."""
    certificates = Certificate.objects.filter(person=person, revoked_at__isnull=True)
    return (certificates if standard is None else certificates.filter(standard=standard)).exists()


def enrollments_of_person(*, person):
    """The person's assessment sessions (date, place, standard), soonest first."""
    return (
        Enrollment.objects.filter(person=person)
        .select_related("session__standard", "session__body")
        .order_by("session__date", "pk")
    )
