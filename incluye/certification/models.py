"""Certification of competencies: a certifying body's assessment sessions, the results per unit of
competence, and the certificates it issues (a PDF and a signed verifiable credential) that anyone can
verify, with their revocation published in a Bitstring Status List."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IssuerProfile(models.Model):
    """How a certifying body presents itself on its certificates (the Open Badges issuer "Profile")."""

    body = models.OneToOneField(
        "accounts.Organization",
        verbose_name=_("certifying body"),
        on_delete=models.CASCADE,
        related_name="issuer_profile",
    )
    logo = models.FileField(
        _("logo"),
        upload_to="certification/logos/",
        blank=True,
        help_text=_("PNG or SVG, printed on certificates."),
    )
    website = models.URLField(_("website"), blank=True)
    signatory_name = models.CharField(_("name of the signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("title of the signatory"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("issuer profile")
        verbose_name_plural = _("issuer profiles")

    def __str__(self):
        return str(self.body)


class SigningKey(models.Model):
    """A key a certifying body signs credentials with: ECDSA P-256 ("ES256", as Open Badges 3.0
    verifiers expect), or Ed25519 ("EdDSA") for the keys of certificates issued before, which are
    kept only to be verified. The private half is stored encrypted (Fernet, with a key derived from
    SECRET_KEY); the public half is published (its own URL, the body's JWKS and DID document) for as
    long as the key exists, so a rotation keeps old credentials verifiable."""

    class Algorithm(models.TextChoices):
        ES256 = "ES256", "ES256"
        EDDSA = "EdDSA", "EdDSA (Ed25519)"

    body = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("certifying body"),
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    kid = models.CharField(_("key id"), max_length=300, unique=True)
    algorithm = models.CharField(
        _("algorithm"), max_length=10, choices=Algorithm.choices, default=Algorithm.ES256
    )
    public_jwk = models.JSONField(_("public key (JWK)"))
    private_jwk_encrypted = models.TextField(editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["body", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body"], condition=Q(active=True), name="signing_key_one_active")
        ]

    def __str__(self):
        return self.kid

    @property
    def name(self) -> str:
        from incluye.certification.credentials import key_name

        return key_name(self.kid)


class AssessmentSession(models.Model):
    """A session of a certifying body where candidates are assessed against one standard."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("certifying body"),
        on_delete=models.PROTECT,
        related_name="assessment_sessions",
    )
    standard = models.ForeignKey(
        "skills.CompetencyStandard",
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="assessment_sessions",
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=10)
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assessors"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment session")
        verbose_name_plural = _("assessment sessions")
        ordering = ["-date", "place"]
        indexes = [models.Index(fields=["body", "-date"])]

    def __str__(self):
        return f"{self.standard.code} · {self.date} · {self.place}"


class Attendance(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class Enrollment(models.Model):
    """A candidate in a session, enrolled by the person's organization from a signed skills profile
    with the person's consent to share with the alliance (the certifying body sees candidates only
    through their enrolments)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(AssessmentSession, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="enrollments"
    )
    profile = models.ForeignKey(
        "skills.SkillsProfile", verbose_name=_("skills profile"), on_delete=models.PROTECT, related_name="+"
    )
    consent = models.ForeignKey(
        "people.Consent", verbose_name=_("consent"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("enrolled by"), on_delete=models.PROTECT, related_name="+"
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.EXPECTED
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "person__name_key"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="enrollment_unique_person")]

    def __str__(self):
        return f"{self.person_id} @ {self.session_id}"


class Outcome(models.TextChoices):
    COMPETENT = "competent", _("Competent")
    NOT_YET_COMPETENT = "not_yet", _("Not yet competent")


class UnitResult(models.Model):
    """The assessor's judgement on one unit of competence for one candidate."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("skills.CompetencyUnit", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("result of a unit")
        verbose_name_plural = _("results of units")
        ordering = ["enrollment", "unit__position"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "unit"], name="unit_result_unique")]

    def __str__(self):
        return f"{self.unit_id}: {self.outcome}"


class CertificateCounter(models.Model):
    """The last number a body gave in a year: certificates are numbered per body and year, gap-free."""

    body = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="certificate_counter_unique")]

    def __str__(self):
        return f"{self.body_id}/{self.year}: {self.last}"


class StatusList(models.Model):
    """A W3C Bitstring Status List of a body (purpose: revocation). Each certificate holds one bit,
    at an index drawn at random; the list is published at a stable URL as a signed credential."""

    SIZE = 131072  # bits: 16 KB, the minimum the specification asks for (herd privacy)

    body = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(max_length=12, default="revocation")
    size = models.PositiveIntegerField(default=SIZE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        ordering = ["body", "id"]

    def __str__(self):
        return f"{self.body_id}/{self.pk}"


class PublicFields(models.TextChoices):
    """What the public verification page may show about the person, as the person chose when the
    certificate was issued."""

    INITIALS = "initials", _("Initials only")
    NAME = "name", _("Full name")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Certificate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("number"), max_length=60, unique=True)
    body = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("certifying body"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT, related_name="certificate")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="certificates"
    )
    standard = models.ForeignKey(
        "skills.CompetencyStandard", verbose_name=_("standard"), on_delete=models.PROTECT, related_name="+"
    )
    # What was certified, as it was when issued: [{"code", "title": {"es", "en"}, "required"}].
    units = models.JSONField(_("units of competence"), default=list)
    holder_name = models.CharField(_("name on the certificate"), max_length=300)
    public_fields = models.CharField(
        _("shown on the public verification page"),
        max_length=10,
        choices=PublicFields.choices,
        default=PublicFields.INITIALS,
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    # The QR code points at this: random and unguessable, unlike the number.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    subject_id = models.UUIDField(default=uuid.uuid4, editable=False)
    credential = models.TextField(_("verifiable credential (JWT)"), editable=False)
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="certificates")
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="certificates")
    status_index = models.PositiveIntegerField()
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "sequence"], name="certificate_unique_sequence"),
            models.UniqueConstraint(fields=["status_list", "status_index"], name="certificate_unique_status"),
        ]

    def __str__(self):
        return self.number

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def initials(self) -> str:
        return " ".join(f"{part[0]}." for part in self.holder_name.split() if part)
