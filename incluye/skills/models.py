"""Recognition of experience abroad: the occupational taxonomy (O*NET-SOC, ISCO-08, ESCO), national
competency standards, work history, and the skills profile a counsellor signs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incluye.core.pipeline import Pipeline
from incluye.core.text import pick_language
from incluye.core.versioning import Versioned
from incluye.people.models import DatePrecision


class System(models.TextChoices):
    ONET = "onet", _("O*NET-SOC")
    ISCO = "isco", _("ISCO-08")
    ESCO = "esco", _("ESCO")


class Source(models.TextChoices):
    BUNDLED = "bundled", _("Bundled with Incluye")
    ONET = "onet", _("O*NET database")
    ESCO = "esco", _("ESCO classification")
    ISCO = "isco", _("ISCO-08 structure")


class Occupation(models.Model):
    """One occupation of one classification: an O*NET-SOC occupation ("47-2031.01"), an ISCO-08
    group ("7115", any level) or an ESCO occupation (its URI)."""

    system = models.CharField(_("classification"), max_length=4, choices=System.choices)
    code = models.CharField(_("code"), max_length=120)
    title_es = models.CharField(_("title (Spanish)"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    # ISCO-08 unit group (4 digits) the occupation belongs to, for ESCO; the best crosswalk
    # candidate, for O*NET; the group itself, for ISCO.
    isco = models.CharField(_("ISCO-08 group"), max_length=4, blank=True, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    job_zone = models.PositiveSmallIntegerField(_("job zone"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["system", "code"]
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="occupation_unique_code")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return pick_language({"es": self.title_es, "en": self.title_en})

    @property
    def soc(self) -> str:
        """The 6-digit SOC of an O*NET-SOC occupation ("47-2031" for "47-2031.01")."""
        return self.code[:7] if self.system == System.ONET else ""


class TitleKind(models.TextChoices):
    PREFERRED = "preferred", _("Preferred title")
    ALTERNATE = "alternate", _("Alternate title")
    REPORTED = "reported", _("Reported title")
    COLLOQUIAL = "colloquial", _("As people say it")


class OccupationTitle(models.Model):
    """A name an occupation goes by: the material the occupation coder searches."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("language"), max_length=5)
    kind = models.CharField(_("kind"), max_length=10, choices=TitleKind.choices)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        verbose_name = _("occupation title")
        verbose_name_plural = _("occupation titles")
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "title", "language", "kind"], name="occupation_title_unique"
            )
        ]

    def __str__(self):
        return self.title


class OccupationTask(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="tasks")
    text = models.TextField(_("task"))
    language = models.CharField(_("language"), max_length=5)
    core = models.BooleanField(_("core task"), default=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        verbose_name = _("task of an occupation")
        verbose_name_plural = _("tasks of occupations")

    def __str__(self):
        return self.text[:80]


class ToolKind(models.TextChoices):
    TOOL = "tool", _("Tool or machine")
    TECHNOLOGY = "technology", _("Technology")


class OccupationTool(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="tools")
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ToolKind.choices, default=ToolKind.TOOL)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        verbose_name = _("tool of an occupation")
        verbose_name_plural = _("tools of occupations")

    def __str__(self):
        return self.name_es or self.name_en


class Skill(models.Model):
    """A skill or knowledge area: an ESCO skill (its URI), an O*NET element ("2.A.1.a") or one of
    the bundled skills (a key)."""

    code = models.CharField(_("code"), max_length=200, unique=True)
    label_es = models.CharField(_("label (Spanish)"), max_length=255, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=255, blank=True)
    esco_uri = models.CharField(_("ESCO URI"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=24, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return pick_language({"es": self.label_es, "en": self.label_en})


class OccupationSkill(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links")
    essential = models.BooleanField(_("essential"), default=True)
    # O*NET importance (1–5) where the source gives one.
    importance = models.FloatField(_("importance"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="occupation_skill_unique")
        ]

    def __str__(self):
        return f"{self.occupation_id} → {self.skill_id}"


class Crosswalk(models.Model):
    """A correspondence between occupations of two classifications (many-to-many, as published)."""

    source_occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="crosswalk_out")
    target_occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="crosswalk_in")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_occupation", "target_occupation"], name="crosswalk_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.source_occupation_id} → {self.target_occupation_id}"


class TaxonomyImport(models.Model):
    """One run of `import_taxonomy`: what was read and what changed."""

    kind = models.CharField(_("kind"), max_length=8, choices=Source.choices)
    path = models.CharField(_("file or folder"), max_length=500)
    version = models.CharField(_("version"), max_length=40, blank=True)
    counts = models.JSONField(_("counts"), default=dict)
    seconds = models.FloatField(_("duration (seconds)"), default=0)
    finished_at = models.DateTimeField(_("finished at"), auto_now_add=True)

    class Meta:
        verbose_name = _("taxonomy import")
        verbose_name_plural = _("taxonomy imports")
        ordering = ["-finished_at"]

    def __str__(self):
        return f"{self.kind} {self.version}"


# --- National competency standards ------------------------------------------------------------


class AssessmentEvidence(models.TextChoices):
    PHOTOS = "photos", _("Photos or videos of work done")
    REFERENCES = "references", _("References from employers or co-workers")
    PAY_STUBS = "pay_stubs", _("Pay stubs or tax forms (W-2)")
    CERTIFICATES = "certificates", _("Certificates of courses")
    LICENCES = "licences", _("Licences and cards")
    TOOLS_DEMO = "tools_demo", _("Practical demonstration")
    PORTFOLIO = "portfolio", _("Portfolio of work")


class CompetencyStandard(models.Model):
    """A national occupational competency standard of a certifying body."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("certifying body"),
        on_delete=models.PROTECT,
        related_name="standards",
    )
    code = models.CharField(_("code"), max_length=40)
    title_es = models.CharField(_("title (Spanish)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=32, blank=True)
    isco = models.CharField(_("ISCO-08 group"), max_length=4, db_index=True)
    soc = models.JSONField(_("SOC codes recognised"), default=list, blank=True)
    migrant_route = models.BooleanField(_("recognition route for returned migrants"), default=False)
    assessment_method_es = models.TextField(_("assessment method (Spanish)"), blank=True)
    assessment_method_en = models.TextField(_("assessment method (English)"), blank=True)
    evidence = models.JSONField(_("evidence to gather"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("competency standard")
        verbose_name_plural = _("competency standards")
        ordering = ["body__name", "code"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="standard_unique_code")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return pick_language({"es": self.title_es, "en": self.title_en})

    @property
    def assessment_method(self) -> str:
        return pick_language({"es": self.assessment_method_es, "en": self.assessment_method_en})


class CompetencyUnit(models.Model):
    standard = models.ForeignKey(CompetencyStandard, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("code"), max_length=20)
    title_es = models.CharField(_("title (Spanish)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Words a person uses when describing having done this: matched against the work history.
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("unit of competence")
        verbose_name_plural = _("units of competence")
        ordering = ["standard", "position"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="unit_unique_code")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return pick_language({"es": self.title_es, "en": self.title_en})


class CriterionKind(models.TextChoices):
    PERFORMANCE = "performance", _("Performance")
    PRODUCT = "product", _("Product")
    KNOWLEDGE = "knowledge", _("Knowledge")


class PerformanceCriterion(models.Model):
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=12, choices=CriterionKind.choices)
    text_es = models.TextField(_("text (Spanish)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("performance criterion")
        verbose_name_plural = _("performance criteria")
        ordering = ["unit", "position"]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"

    @property
    def text(self) -> str:
        return pick_language({"es": self.text_es, "en": self.text_en})


# --- Work history abroad and the skills profile -------------------------------------------------


# Where the work abroad was done (most returnees worked in the United States).
COUNTRIES_ABROAD = [
    ("US", _("United States")),
    ("MX", _("Mexico")),
    ("CA", _("Canada")),
    ("OT", _("Another country")),
]


class Licence(models.TextChoices):
    OSHA10 = "osha10", _("OSHA 10")
    OSHA30 = "osha30", _("OSHA 30")
    FORKLIFT = "forklift", _("Forklift operator card")
    SERVSAFE_FOOD_HANDLER = "servsafe_food_handler", _("ServSafe Food Handler")
    SERVSAFE_MANAGER = "servsafe_manager", _("ServSafe Manager")
    CDL_A = "cdl_a", _("Commercial driver's licence, class A")
    CDL_B = "cdl_b", _("Commercial driver's licence, class B")
    TWIC = "twic", _("TWIC card")
    NCCER = "nccer", _("NCCER credential")
    EPA608 = "epa608", _("EPA 608 (refrigerants)")
    FLAGGER = "flagger", _("Flagger card")
    SCAFFOLD = "scaffold", _("Scaffold user or builder")
    FIRST_AID_CPR = "first_aid_cpr", _("First aid and CPR")
    HAZWOPER = "hazwoper", _("HAZWOPER")
    WELDING_AWS = "welding_aws", _("AWS welding certification")
    DRIVERS_LICENCE = "drivers_licence", _("Driver's licence")


class EnglishLevel(models.TextChoices):
    NONE = "none", _("None")
    BASIC = "basic", _("Basic: words and phrases at work")
    INTERMEDIATE = "intermediate", _("Intermediate: holds a conversation")
    ADVANCED = "advanced", _("Advanced: fluent")


class WorkExperience(Versioned):
    """One job held abroad, as the person tells it, and the occupation the counsellor coded it to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="work_history", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    job_title = models.CharField(_("job, as the person says it"), max_length=200)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    region = models.CharField(_("state or region"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, default="US", choices=COUNTRIES_ABROAD)
    started_on = models.DateField(_("started"), null=True, blank=True)
    started_precision = models.CharField(
        _("precision of the start"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR
    )
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    ended_precision = models.CharField(
        _("precision of the end"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR
    )
    tasks = models.TextField(_("tasks"), blank=True)
    tools = models.TextField(_("tools and machines"), blank=True)
    licences = models.JSONField(_("licences and cards"), default=list, blank=True)
    english_level = models.CharField(
        _("English at this job"), max_length=12, choices=EnglishLevel.choices, default=EnglishLevel.NONE
    )
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    coder_confidence = models.FloatField(_("confidence of the coder"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("job abroad")
        verbose_name_plural = _("work history abroad")
        ordering = ["person", "-started_on", "created_at"]

    def __str__(self):
        return self.job_title

    @property
    def whole_years(self) -> int | None:
        return None if self.years is None else round(self.years)

    @property
    def licence_labels(self) -> list[str]:
        labels = dict(Licence.choices)
        return [str(labels[code]) for code in self.licences if code in labels]

    @property
    def years(self) -> float | None:
        """Years in the job, from its start and end (or today when it has no end)."""
        from django.utils import timezone

        if not self.started_on:
            return None
        end = self.ended_on or timezone.localdate()
        return max(0.0, round((end - self.started_on).days / 365.25, 1))


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class SkillsProfile(Versioned):
    """What the counsellor and the person agree the person can do. Once signed, the profile keeps a
    snapshot (occupations, skills, standards and gaps) that the printed profile reproduces."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="skills_profiles", verbose_name=_("person")
    )
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=ProfileStatus.choices, default=ProfileStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    # Skills the counsellor took out of the profile (codes): an occupation's usual skill that this
    # person does not have.
    removed_skills = models.JSONField(_("skills removed"), default=list, blank=True)
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("skills profile")
        verbose_name_plural = _("skills profiles")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.person_id} ({self.status})"


class ProfileOccupation(models.Model):
    """An occupation the counsellor confirmed for the profile, with the years of experience."""

    profile = models.ForeignKey(SkillsProfile, on_delete=models.CASCADE, related_name="occupations")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")
    years = models.DecimalField(_("years of experience"), max_digits=4, decimal_places=1, default=0)
    experiences = models.ManyToManyField(WorkExperience, blank=True, related_name="+")

    class Meta:
        ordering = ["-years", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "occupation"], name="profile_occupation_unique")
        ]

    def __str__(self):
        return f"{self.occupation_id}: {self.years}"


# --- Recognition of qualifications from abroad ------------------------------------------------------


class QualificationLevel(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    SECONDARY = "secondary", _("Secondary school")
    TECHNICAL = "technical", _("Technical or vocational title")
    TRADE = "trade", _("Trade certificate")
    UNIVERSITY = "university", _("University degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate degree")


class RecognitionStatus(models.TextChoices):
    NOT_REQUESTED = "not_requested", _("Not requested yet")
    REQUESTED = "requested", _("Requested")
    IN_REVIEW = "in_review", _("In review (documents or exams asked)")
    RECOGNIZED = "recognized", _("Recognized")
    PARTIAL = "partial", _("Partly recognized")
    REFUSED = "refused", _("Refused")


R = RecognitionStatus
# A request's course, as data: a decision can be appealed (back to review).
RECOGNITION_PIPELINE = Pipeline(
    transitions={
        R.NOT_REQUESTED: {R.REQUESTED},
        R.REQUESTED: {R.IN_REVIEW, R.RECOGNIZED, R.PARTIAL, R.REFUSED},
        R.IN_REVIEW: {R.RECOGNIZED, R.PARTIAL, R.REFUSED},
        R.RECOGNIZED: set(),
        R.PARTIAL: {R.IN_REVIEW},
        R.REFUSED: {R.IN_REVIEW},
    },
    labels=dict(RecognitionStatus.choices),
    refusal=_("A recognition cannot go from “%(current)s” to “%(new)s”."),
)
DECIDED = (R.RECOGNIZED, R.PARTIAL, R.REFUSED)


class ForeignQualification(Versioned):
    """A degree or trade title obtained in another country, and its recognition: the route beside
    the certification of competencies. The request goes to the competent body of the country served
    (its data lists them: Costa Rica's CONARE for university degrees, the MEP for school studies…)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="foreign_qualifications"
    )
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200, help_text=_("As written on the diploma."))
    level = models.CharField(_("level"), max_length=16, choices=QualificationLevel.choices)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country where it was obtained"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year obtained"), null=True, blank=True)
    body = models.CharField(_("competent body"), max_length=40, blank=True)
    status = models.CharField(
        _("recognition"),
        max_length=16,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.NOT_REQUESTED,
    )
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=300,
        blank=True,
        help_text=_("E.g. what it was recognized as, or why it was refused."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("qualification from abroad")
        verbose_name_plural = _("qualifications from abroad")
        ordering = ["-year", "title"]

    def __str__(self):
        return self.title

    @property
    def body_name(self) -> str:
        for body in self.organization.country.migration.get("qualification_bodies", []):
            if body["code"] == self.body:
                return body["name"]
        return self.body
