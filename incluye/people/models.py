import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incluye.core.crypto import BlindIndexField, EncryptedTextField
from incluye.core.text import fold
from incluye.core.versioning import Versioned


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    NOT_RECORDED = "X", _("Not recorded")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact date")
    MONTH = "month", _("Month and year only")
    YEAR = "year", _("Year only")


class Language(models.TextChoices):
    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")
    KICHE = "quc", _("K'iche'")
    QEQCHI = "kek", _("Q'eqchi'")
    MAM = "mam", _("Mam")
    KAQCHIKEL = "cak", _("Kaqchikel")
    TZUTUJIL = "tzj", _("Tz'utujil")
    POQOMCHI = "poh", _("Poqomchi'")
    QANJOBAL = "kjb", _("Q'anjob'al")
    IXIL = "ixl", _("Ixil")
    CHUJ = "cac", _("Chuj")
    GARIFUNA = "cab", _("Garífuna")
    LENCA = "len", _("Lenca")
    MISKITO = "miq", _("Miskito")
    PECH = "pay", _("Pech")
    NAWAT = "ppl", _("Nawat")
    NGABERE = "gym", _("Ngäbere")
    BRIBRI = "bzd", _("Bribri")
    CABECAR = "cjp", _("Cabécar")
    # Languages of people arriving from further away (Haiti, Brazil, West and Central Africa).
    FRENCH = "fr", _("French")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    PORTUGUESE = "pt", _("Portuguese")
    OTHER = "other", _("Other")

    @classmethod
    def asked_in(cls, country) -> list[str]:
        """The codes `country`'s desks ask about, in its data file's order (`Country.languages`);
        all of them where the file lists none."""
        return [code for code in country.languages if code in cls.values] or list(cls.values)


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY_INCOMPLETE = "primary_incomplete", _("Primary, incomplete")
    PRIMARY = "primary", _("Primary")
    SECONDARY_INCOMPLETE = "secondary_incomplete", _("Secondary, incomplete")
    SECONDARY = "secondary", _("Secondary")
    TECHNICAL = "technical", _("Technical or vocational")
    UNIVERSITY = "university", _("University")
    UNKNOWN = "unknown", _("Not recorded")


class Person(Versioned):
    """A participant: someone who returned and is (or was) on the pathway.

    The record belongs to the organization that registered the person; other organizations see it
    only through what the person consents to share (later issues).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    given_names = models.CharField(_("given names"), max_length=120)
    first_surname = models.CharField(_("first surname"), max_length=80, blank=True)
    second_surname = models.CharField(_("second surname"), max_length=80, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=80, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the birth date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.NOT_RECORDED)
    nationality = models.ForeignKey(
        "core.Country", verbose_name=_("nationality"), on_delete=models.PROTECT, related_name="+"
    )
    residence = models.ForeignKey(
        "core.Division",
        verbose_name=_("municipality of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Of those, the one to speak to the person in (psychosocial support, referrals); blank where
    # nobody asked: the first recorded stands for it.
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=24, choices=Education.choices, default=Education.UNKNOWN
    )
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    # Surnames then given names, folded (no case, accents or ñ): for sorting and searching.
    name_key = models.CharField(max_length=300, editable=False, default="")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # A record merged into another stays (for unmerge), pointing at the survivor.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_records"
    )
    # Set when the person's data was erased (anonymized): on request or at the end of retention.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_key"]
        indexes = [
            models.Index(fields=["organization", "name_key"]),
            models.Index(fields=["organization", "-created_at"]),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.refresh_name_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def refresh_name_key(self) -> None:
        """Call before bulk_create, which does not call save()."""
        self.name_key = fold(f"{self.first_surname} {self.second_surname} {self.given_names}")

    @property
    def surnames(self) -> str:
        return " ".join(s for s in (self.first_surname, self.second_surname) if s)

    @property
    def full_name(self) -> str:
        return " ".join(s for s in (self.given_names, self.surnames) if s)

    @property
    def sortable_name(self) -> str:
        """Surnames first, as lists are read in Central America: “Pérez López, María José”."""
        return f"{self.surnames}, {self.given_names}" if self.surnames else self.given_names

    @property
    def spoken_to_in(self) -> str:
        """The code of the language to speak to the person in: the one they prefer, else the first
        recorded ("" where none is)."""
        return self.preferred_language or (self.languages or [""])[0]

    def language_labels(self) -> list[str]:
        """The languages recorded at registration, by name ("K'iche'", "Español")."""
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages or []]


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(
        "core.IdDocumentType", verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    # Encrypted at rest; searchable by exact value through its keyed hash.
    number = EncryptedTextField(_("number"))
    number_hash = BlindIndexField(source="number")
    # Documents for foreigners are valid from one date to another: reminders come before they lapse,
    # and some of them authorize work while valid.
    issued_on = models.DateField(_("valid from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        # One number per person and type. The same number may be in two organizations' registries
        # (each keeps its own record); within one, intake and import find it and attach to it.
        constraints = [
            models.UniqueConstraint(fields=["person", "document_type"], name="identitydocument_one_per_type")
        ]

    def __str__(self):
        return f"{self.document_type.code} {self.formatted_number}"

    @property
    def formatted_number(self) -> str:
        from incluye.core.identity import format_document_number

        return format_document_number(self.document_type.rule, self.number)


class MobilityKind(models.TextChoices):
    """A return (a national coming home) or an arrival (someone arriving in a country not their
    own: an asylum seeker, a refugee, a migrant who stays)."""

    RETURN = "return", _("Return")
    ARRIVAL = "arrival", _("Arrival")


class AccompaniedBy(models.TextChoices):
    ALONE = "alone", _("Alone")
    FAMILY = "family", _("With family")
    CHILDREN = "children", _("With their children only")
    OTHERS = "others", _("With other people, not family")
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("A minor without an adult")


class ReturnMode(models.TextChoices):
    AIR = "air", _("Air")
    LAND = "land", _("Land")
    SEA = "sea", _("Sea")


class ReturnedFrom(models.TextChoices):
    US = "US", _("United States")
    MX = "MX", _("Mexico")
    OTHER = "other", _("Other country")


class Vulnerability(models.TextChoices):
    MEDICAL = "medical", _("Needs medical care")
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unaccompanied minor")
    PROTECTION = "protection", _("Protection need")
    FAMILY_UNIT = "family_unit", _("Family unit")
    DISABILITY = "disability", _("Disability")
    INDIGENOUS = "indigenous", _("Indigenous")
    LGBTIQ = "lgbtiq", _("LGBTIQ+")
    PREGNANT = "pregnant", _("Pregnant")


# Urgent needs put the person at the top of the day's list.
URGENT_NEEDS = {Vulnerability.MEDICAL, Vulnerability.UNACCOMPANIED_MINOR, Vulnerability.PROTECTION}


class ReturnEvent(models.Model):
    """One mobility event: a return home (a person may come back more than once) or an arrival in
    the country served. Both are received at a point (an airport, a border post), are on the day's
    list and in the indicators; `returned_from` is for returns, `origin_country` and
    `accompanied_by` for arrivals."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="returns")
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=MobilityKind.choices, default=MobilityKind.RETURN, db_index=True
    )
    arrived_on = models.DateField(_("arrival date"))
    returned_from = models.CharField(
        _("returned from"), max_length=8, choices=ReturnedFrom.choices, default=ReturnedFrom.US
    )
    # An arrival: where the person comes from (protection-sensitive, like the nationality).
    origin_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country of origin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accompanied_by = models.CharField(
        _("accompanied by"), max_length=20, choices=AccompaniedBy.choices, blank=True
    )
    mode = models.CharField(_("mode"), max_length=8, choices=ReturnMode.choices, default=ReturnMode.AIR)
    reception_point = models.CharField(_("reception point"), max_length=120, blank=True)
    transport_reference = models.CharField(_("flight or bus"), max_length=40, blank=True)
    months_abroad = models.PositiveIntegerField(_("months abroad"), null=True, blank=True)
    vulnerabilities = models.JSONField(_("vulnerabilities and urgent needs"), default=list, blank=True)
    is_urgent = models.BooleanField(_("urgent"), default=False, editable=False)
    manifest = models.ForeignKey(
        "people.ManifestImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="returns"
    )
    manifest_reference = models.CharField(_("manifest"), max_length=80, blank=True)
    manifest_row = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-arrived_on", "-created_at"]
        indexes = [models.Index(fields=["organization", "arrived_on", "is_urgent"])]
        # Importing the same manifest twice creates nothing twice: see ImportedSubmission.

    def __str__(self):
        return f"{self.arrived_on} {self.get_mode_display()}"

    def save(self, *args, **kwargs):
        self.is_urgent = bool(URGENT_NEEDS & set(self.vulnerabilities))
        super().save(*args, **kwargs)

    @property
    def is_arrival(self) -> bool:
        return self.kind == MobilityKind.ARRIVAL

    def vulnerability_labels(self) -> list[str]:
        labels = dict(Vulnerability.choices)
        return [str(labels.get(v, v)) for v in self.vulnerabilities]


class AccessReason(models.TextChoices):
    HANDOFF = "handoff", _("Handoff accepted")
    TRANSFER = "transfer", _("Case transferred")
    ACCESS_REQUEST = "access_request", _("Access request granted")
    MERGE = "merge", _("Records of the same person merged")


class PersonAccess(models.Model):
    """Another organization of the alliance may see and work with a person's record: given when it
    accepts a handoff or a transfer, or when the holding organization grants its access request.

    A grant needs the person's consent to share with alliance members: it ends when that consent is
    withdrawn and lapses when the consent expires (`expires_on`, copied from the consent)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_grants")
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("why"), max_length=16, choices=AccessReason.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ended"), null=True, blank=True)
    revoked_reason = models.CharField(_("why it ended"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("access to a person's record")
        verbose_name_plural = _("accesses to people's records")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["organization", "revoked_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"],
                condition=models.Q(revoked_at__isnull=True),
                name="personaccess_one_active_per_organization",
            )
        ]

    def __str__(self):
        return f"{self.person_id} → {self.organization_id} ({self.reason})"


class StatusKind(models.TextChoices):
    """Migration status of a foreigner in the country served (a national has none)."""

    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Recognized refugee")
    RESIDENT = "resident", _("Resident")
    IRREGULAR = "irregular", _("Irregular")
    STATELESS = "stateless", _("Stateless")


class Population(models.TextChoices):
    """Whom the pathway serves, for the intake form and the indicators: derived from the person's
    nationality and current migration status, never stored."""

    RETURNEE = "returnee", _("Returnee")
    REFUGEE = "refugee", _("Refugee")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    OTHER_MIGRANT = "other_migrant", _("Other migrant")


class MigrationStatus(Versioned):
    """One period of a person's migration status in the country served, with its dates: an asylum
    claim from its application date, a recognition as refugee, a residence of a category, an
    irregular stay, a statelessness determination. A new status ends the one before.

    Protection-sensitive: read only by the roles with `protection.view`, every read logged, never
    shown to employers, published or exported outside the person's own copy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="migration_statuses")
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("status"), max_length=16, choices=StatusKind.choices)
    # A residence category of the country's data (e.g. Costa Rica: permanent, temporary, special).
    category = models.CharField(_("category"), max_length=24, blank=True)
    since = models.DateField(
        _("since"), help_text=_("For an asylum seeker, the date the application was filed.")
    )
    until = models.DateField(_("until"), null=True, blank=True)
    # The file number of the asylum claim or of the resolution: encrypted at rest.
    reference = EncryptedTextField(_("file number"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("migration status")
        verbose_name_plural = _("migration statuses")
        ordering = ["-since", "-created_at"]
        indexes = [models.Index(fields=["person", "-since"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.since}"

    def is_current(self, on) -> bool:
        return self.since <= on and (self.until is None or self.until >= on)

    @property
    def category_label(self) -> str:
        from incluye.core.text import pick_language

        for category in self.country.migration.get("resident_categories", []):
            if category["code"] == self.category:
                return pick_language(category["name"])
        return self.category


class ConsentPurpose(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    ALLIANCE_SHARING = "alliance_sharing", _("Sharing with alliance members")
    EMPLOYER_PROFILE = "employer_profile", _("Profile shown to employers")
    STORIES = "stories", _("Stories and communications")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form")
    VERBAL_WITH_WITNESS = "verbal_witness", _("Verbal, with a witness")
    DIGITAL = "digital", _("Digital (by the person)")


class Consent(models.Model):
    """One decision of the person about one purpose. Append-only: the latest per purpose counts."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"), help_text=_("Unchecked: the consent is withdrawn or refused."))
    method = models.CharField(_("how"), max_length=16, choices=ConsentMethod.choices)
    witness = models.CharField(_("witness"), max_length=120, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("when"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()}: {'✓' if self.given else '✗'}"


class IntakeDraft(models.Model):
    """An intake form saved half-way (the officer was interrupted); only its author sees it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    label = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.label or str(self.pk)


class ColumnMapping(models.Model):
    """How the columns and the values of an outside file (e.g. a KoboToolbox export) map to intake
    fields: saved per organization, and per KoboToolbox form version when the file names one."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    # {column key: target}; a target is a field name, "field:choice" (one column of a multiple
    # choice split into columns) or "ignore". Column keys are folded headers (see imports.columns).
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    # {field: {folded value in the file: code}}; for the municipality the key may be
    # "department value|municipality value" (a name resolved within its department).
    values = models.JSONField(_("values"), default=dict, blank=True)
    # The KoboToolbox form version (`__version__`) or form id the mapping was made for.
    kobo_form = models.CharField(_("KoboToolbox form"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="columnmapping_unique_name")
        ]

    def __str__(self):
        return self.name


class ManifestStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Ready to import")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


class ManifestSource(models.TextChoices):
    UPLOAD = "upload", _("Uploaded file")
    KOBO = "kobo", _("KoboToolbox server")


class ManifestImport(models.Model):
    """A flight or bus manifest (CSV, XLSX or a KoboToolbox export) being imported."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(
        _("manifest reference"),
        max_length=80,
        help_text=_("e.g. the flight number and date: TA-102 2026-11-25"),
    )
    # The arrival date of every row that does not give its own (a pull from KoboToolbox has none:
    # each submission's date is used).
    arrived_on = models.DateField(_("arrival date"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=8, choices=ReturnMode.choices, default=ReturnMode.AIR)
    returned_from = models.CharField(
        _("returned from"), max_length=8, choices=ReturnedFrom.choices, default=ReturnedFrom.US
    )
    # Whom the list holds: returnees (a flight of deportees), or foreigners arriving (a border
    # post's list of asylum seekers…) — rows may say it one by one.
    population = models.CharField(
        _("who is on the list"), max_length=16, choices=Population.choices, default=Population.RETURNEE
    )
    source = models.CharField(max_length=8, choices=ManifestSource.choices, default=ManifestSource.UPLOAD)
    kobo_source = models.ForeignKey(
        "people.KoboSource", null=True, blank=True, on_delete=models.SET_NULL, related_name="pulls"
    )
    file = models.FileField(upload_to="manifests/%Y/%m/", blank=True)
    # The rows as checked, for the import (deleted once imported).
    checked_rows = models.FileField(upload_to="manifests/checked/", blank=True)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    mapping = models.ForeignKey(ColumnMapping, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=12, choices=ManifestStatus.choices, default=ManifestStatus.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # The first problems found (capped, see imports.check.ErrorLog), how many there were in all, and
    # a summary by problem: [{"column", "message", "count", "rows"}].
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    error_summary = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    # What the check found in the file's columns: recognised, split, ignored, not recognised.
    columns_report = models.JSONField(default=dict, blank=True)
    # Submissions compared with earlier imports: counts, and the edited and deleted ones to review.
    review = models.JSONField(default=dict, blank=True)
    household_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("manifest import")
        verbose_name_plural = _("manifest imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def more_errors(self) -> int:
        return max(self.error_count - len(self.errors), 0)


class ImportedSubmission(models.Model):
    """One submission (a row of a manifest, a KoboToolbox submission) that was imported, known by
    its `_uuid` (or, for a plain list, by its content and arrival date): importing any export of
    the same project again imports only what is new, and an edited or deleted submission is
    reported. Only fingerprints are kept here, never the values themselves."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    # The KoboToolbox form (`_xform_id_string`, or the form version when the export has no id).
    form_key = models.CharField(max_length=120, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64)
    field_hashes = models.JSONField(default=dict, blank=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    return_event = models.ForeignKey(
        ReturnEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manifest = models.ForeignKey(
        ManifestImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="importedsubmission_unique_key")
        ]
        indexes = [models.Index(fields=["organization", "form_key", "submitted_at"])]

    def __str__(self):
        return self.key


class KoboSource(Versioned):
    """A KoboToolbox project an organization pulls arrivals from: its server, the asset (form) uid
    and an API token, encrypted at rest like the other secrets."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    server_url = models.URLField(
        _("server"), help_text=_("e.g. https://kf.kobotoolbox.org or your organization's own server")
    )
    asset_uid = models.CharField(
        _("project (asset) uid"),
        max_length=64,
        help_text=_("The letters and digits after /forms/ in the project's address."),
    )
    token = EncryptedTextField(_("API token"))
    mapping = models.ForeignKey(
        ColumnMapping, verbose_name=_("column mapping"), null=True, blank=True, on_delete=models.SET_NULL
    )
    mode = models.CharField(_("mode"), max_length=8, choices=ReturnMode.choices, default=ReturnMode.AIR)
    returned_from = models.CharField(
        _("returned from"), max_length=8, choices=ReturnedFrom.choices, default=ReturnedFrom.US
    )
    last_pulled_at = models.DateTimeField(_("last pull"), null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("KoboToolbox project")
        verbose_name_plural = _("KoboToolbox projects")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "asset_uid"], name="kobosource_unique_asset")
        ]

    def __str__(self):
        return self.name


class Relationship(models.TextChoices):
    HEAD = "head", _("Registered person")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Son or daughter")
    PARENT = "parent", _("Father or mother")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other relative or companion")


class Household(models.Model):
    """The people who arrived together as a family: followed together from the person's page."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return str(self.pk)


class HouseholdMember(models.Model):
    """One member of a household: a registered person (`person`), or a family member known by the
    name, relationship and birth date given when `listed_by` was registered."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="household_memberships"
    )
    listed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="listed_family"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    relationship = models.CharField(
        _("relationship"), max_length=16, choices=Relationship.choices, default=Relationship.OTHER
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    arrived_with = models.ForeignKey(
        ReturnEvent,
        verbose_name=_("arrived with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="family",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "created_at", "id"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id else self.name


class DuplicateStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    MERGED = "merged", _("Merged")
    DISTINCT = "distinct", _("Different people")


class DuplicateCluster(models.Model):
    """A group of records that may all be one person, reviewed and merged as a whole.

    Found by the duplicate search in a scope: one organization's records, or a whole country's.
    A group whose records belong to one organization is that organization's to review; a group
    spanning organizations (`organization` empty) waits for the country's review."""

    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    members = models.ManyToManyField(Person, related_name="duplicate_clusters")
    # The same records found again are the same group: a hash of their sorted primary keys.
    key = models.CharField(max_length=64, unique=True)
    size = models.PositiveSmallIntegerField(_("records"))
    score = models.FloatField(_("probability of the group"))  # its weakest link
    density = models.FloatField(_("share of pairs linked"), default=1.0)
    reasons = models.JSONField(default=list, blank=True)  # message ids, translated when shown
    status = models.CharField(max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.PENDING)
    found_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        indexes = [models.Index(fields=["organization", "status", "-score"])]

    def __str__(self):
        return f"{self.size} records ({self.score:.0%})"


class DuplicateCandidate(models.Model):
    """A pair of records that may be the same person: a link of a group (`cluster`), or a pair an
    officer reviewed as different people, which the search never joins again."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(
        DuplicateCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )
    match_weight = models.FloatField(_("match weight"))
    match_probability = models.FloatField(_("match probability"))
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.PENDING)
    found_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-match_probability"]
        constraints = [models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_unique_pair")]
        indexes = [models.Index(fields=["organization", "status", "-match_probability"])]

    def __str__(self):
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.match_probability:.0%})"


class PersonMerge(models.Model):
    """A merge of two records, kept so an administrator can undo it. Merging a group is one action
    of several such merges into one survivor, sharing a `batch`: undone together, last first."""

    survivor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    cluster = models.ForeignKey(
        DuplicateCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    field_choices = models.JSONField(default=dict)
    previous_survivor_fields = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    performed_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-performed_at"]

    def __str__(self):
        return f"{self.merged_id} → {self.survivor_id}"


class SearchStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class DuplicateSearch(models.Model):
    """One run of the duplicate search over a scope (an organization, or a whole country): the
    nightly job, or "check duplicates now" from the queue."""

    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=SearchStatus.choices, default=SearchStatus.QUEUED)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["country", "organization", "-requested_at"])]

    def __str__(self):
        return f"{self.country_id}/{self.organization_id or '*'} {self.status}"
