"""Employment and entrepreneurship: employers' vacancies and their commitment to inclusive hiring,
the person's availability, applications through a pipeline, placements with retention follow-ups,
and the business track."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incluye.core.pipeline import Pipeline
from incluye.skills.models import EnglishLevel


class Schedule(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")
    SHIFTS = "shifts", _("Shifts (including nights or weekends)")
    SEASONAL = "seasonal", _("Seasonal or by project")


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Commitment(models.Model):
    """An employer's commitment to inclusive hiring of returnees (one per employer, renewable)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="hiring_commitment"
    )
    statement = models.TextField(_("commitment"))
    positions_per_year = models.PositiveIntegerField(_("positions offered per year"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"))
    signed_by_name = models.CharField(_("signed by"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inclusive hiring commitment")
        verbose_name_plural = _("inclusive hiring commitments")

    def __str__(self):
        return str(self.organization)


class Vacancy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+"
    )
    min_years = models.PositiveSmallIntegerField(_("years of experience asked"), default=0)
    required_skills = models.ManyToManyField(
        "skills.Skill", verbose_name=_("required skills"), blank=True, related_name="+"
    )
    desired_skills = models.ManyToManyField(
        "skills.Skill",
        verbose_name=_("desired skills"),
        blank=True,
        related_name="+",
        db_table="jobs_vacancy_desired_skills",
    )
    required_standards = models.ManyToManyField(
        "skills.CompetencyStandard", verbose_name=_("required standards"), blank=True, related_name="+"
    )
    desired_standards = models.ManyToManyField(
        "skills.CompetencyStandard",
        verbose_name=_("desired standards"),
        blank=True,
        related_name="+",
        db_table="jobs_vacancy_desired_standards",
    )
    required_licences = models.JSONField(_("required licences"), default=list, blank=True)
    desired_licences = models.JSONField(_("desired licences"), default=list, blank=True)
    english_level = models.CharField(
        _("English needed"), max_length=12, choices=EnglishLevel.choices, default=EnglishLevel.NONE
    )
    municipality = models.ForeignKey(
        "core.Division", verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    pay_min = models.DecimalField(
        _("pay from (monthly)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    pay_max = models.DecimalField(
        _("pay up to (monthly)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    schedule = models.CharField(
        _("schedule"), max_length=12, choices=Schedule.choices, default=Schedule.FULL_TIME
    )
    positions = models.PositiveSmallIntegerField(_("positions"), default=1)
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["employer", "status"])]

    def __str__(self):
        return self.title


class Availability(models.Model):
    """When and how the person can work: recorded by the caseworker, read by the matching engine."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="job_availability")
    available_from = models.DateField(_("available from"), null=True, blank=True)
    schedules = models.JSONField(_("schedules the person can work"), default=list, blank=True)
    looking_for_work = models.BooleanField(_("looking for work"), default=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")

    def __str__(self):
        return str(self.person_id)


class ApplicationStatus(models.TextChoices):
    INVITED = "invited", _("Invited by the employer")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    REFERRED = "referred", _("Referred to the employer")
    INTERVIEW = "interview", _("Interview")
    HIRED = "hired", _("Hired")
    NOT_HIRED = "not_hired", _("Not hired")
    DECLINED = "declined", _("Declined by the person")
    WITHDRAWN = "withdrawn", _("Withdrawn")


A = ApplicationStatus
APPLICATION_PIPELINE = Pipeline(
    transitions={
        A.INVITED: {A.REFERRED, A.DECLINED},
        A.SHORTLISTED: {A.REFERRED, A.WITHDRAWN},
        A.REFERRED: {A.INTERVIEW, A.NOT_HIRED, A.WITHDRAWN},
        A.INTERVIEW: {A.HIRED, A.NOT_HIRED, A.WITHDRAWN},
        A.HIRED: set(),
        A.NOT_HIRED: set(),
        A.DECLINED: set(),
        A.WITHDRAWN: set(),
    },
    labels=dict(ApplicationStatus.choices),
    refusal=_("An application cannot go from “%(current)s” to “%(new)s”."),
)
EMPLOYER_SIDE, PERSON_SIDE = "employer", "person"
# Who takes each step: the person (through their caseworker) accepts, declines or withdraws; the
# employer records the interview and the outcome.
STEP_SIDE = {
    A.REFERRED: PERSON_SIDE,
    A.DECLINED: PERSON_SIDE,
    A.WITHDRAWN: PERSON_SIDE,
    A.INTERVIEW: EMPLOYER_SIDE,
    A.HIRED: EMPLOYER_SIDE,
    A.NOT_HIRED: EMPLOYER_SIDE,
}
# The person accepted: from here the employer sees the person's name and contact.
DISCLOSED_STATUSES = (A.REFERRED, A.INTERVIEW, A.HIRED, A.NOT_HIRED)


class NotHiredReason(models.TextChoices):
    PROFILE = "profile", _("The profile did not fit")
    POSITION_FILLED = "position_filled", _("The position was filled")
    NO_SHOW = "no_show", _("Did not come to the interview")
    OFFER_DECLINED = "offer_declined", _("The person declined the offer")
    OTHER = "other", _("Other")


class Pathway(models.TextChoices):
    LOCAL_PROGRAM = "local_program", _("Local program")
    NATIONAL_PROGRAM = "national_program", _("National program")
    CERTIFICATION = "certification", _("Professional certification")


class Application(models.Model):
    """A person and a vacancy: from an employer's invitation or a caseworker's shortlist, to the
    outcome. Until the person accepts, the employer knows the person only by a pseudonym."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="job_applications")
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices)
    score = models.FloatField(_("match score"), default=0)
    reasons = models.JSONField(_("reasons of the match"), default=list, blank=True)
    pathway = models.CharField(
        _("pathway"), max_length=20, choices=Pathway.choices, default=Pathway.LOCAL_PROGRAM
    )
    interview_at = models.DateTimeField(_("interview"), null=True, blank=True)
    not_hired_reason = models.CharField(
        _("reason not hired"), max_length=16, choices=NotHiredReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # An employer's invitation waits for the person's answer (through their caseworker) until then.
    answer_due_on = models.DateField(_("answer due on"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "person"], name="application_one_per_vacancy")
        ]

    def __str__(self):
        return f"{self.vacancy_id} · {self.get_status_display()}"

    @property
    def disclosed(self) -> bool:
        return self.status in DISCLOSED_STATUSES


class ApplicationStep(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class Placement(models.Model):
    """A hire, with its pathway and follow-ups at 1, 3 and 6 months."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="placement")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="placements")
    employer = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on"]

    def __str__(self):
        return f"{self.person_id} @ {self.employer_id}"


RETENTION_MONTHS = (1, 3, 6)


class RetentionFollowUp(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the start"))
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("retention follow-up")
        verbose_name_plural = _("retention follow-ups")
        ordering = ["placement", "months"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "months"], name="retention_one_per_month")
        ]

    def __str__(self):
        return f"{self.placement_id} +{self.months}"


# --- Entrepreneurship ----------------------------------------------------------------------------


class BusinessStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNING = "planning", _("Business plan")
    STARTING = "starting", _("Starting")
    OPERATING = "operating", _("Operating")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class FundingKind(models.TextChoices):
    SEED_CAPITAL = "seed_capital", _("Seed capital")
    CREDIT = "credit", _("Credit")
    OWN = "own", _("Own savings")


class Business(models.Model):
    """A person's business, from the idea on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="businesses")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    idea = models.TextField(_("business idea"))
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    municipality = models.ForeignKey(
        "core.Division",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    training = models.JSONField(_("training taken"), default=list, blank=True)
    plan_done_on = models.DateField(_("business plan finished on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BusinessStatus.choices, default=BusinessStatus.IDEA
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class BusinessStatusChange(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=10, choices=BusinessStatus.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on} {self.status}"


class Funding(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="funding")
    kind = models.CharField(_("kind"), max_length=14, choices=FundingKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    source = models.CharField(_("source"), max_length=200)
    obtained_on = models.DateField(_("obtained on"))

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        ordering = ["obtained_on", "id"]

    def __str__(self):
        return f"{self.amount} {self.currency}"
