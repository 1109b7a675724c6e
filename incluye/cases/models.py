import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incluye.core.crypto import EncryptedTextField, scans_storage
from incluye.core.pipeline import Pipeline


class CaseStatus(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    DOCUMENTS = "documents", _("Documents")
    COMPETENCIES = "competencies", _("Certification of competencies")
    EMPLOYMENT = "employment", _("Employment")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


S = CaseStatus
# The pathway, as data: where a case may go from each stage. Any open stage may close (with a
# reason); a closed case is reopened by `case_reopen`, to the stage it had.
CASE_PIPELINE = Pipeline(
    transitions={
        S.RECEPTION: {S.PSYCHOSOCIAL, S.DOCUMENTS, S.CLOSED},
        S.PSYCHOSOCIAL: {S.DOCUMENTS, S.COMPETENCIES, S.CLOSED},
        S.DOCUMENTS: {S.PSYCHOSOCIAL, S.COMPETENCIES, S.EMPLOYMENT, S.ENTREPRENEURSHIP, S.CLOSED},
        S.COMPETENCIES: {S.DOCUMENTS, S.EMPLOYMENT, S.ENTREPRENEURSHIP, S.CLOSED},
        S.EMPLOYMENT: {S.ENTREPRENEURSHIP, S.FOLLOW_UP, S.CLOSED},
        S.ENTREPRENEURSHIP: {S.EMPLOYMENT, S.FOLLOW_UP, S.CLOSED},
        S.FOLLOW_UP: {S.PSYCHOSOCIAL, S.EMPLOYMENT, S.ENTREPRENEURSHIP, S.CLOSED},
        S.CLOSED: set(),
    },
    labels=dict(CaseStatus.choices),
    refusal=_("A case cannot go from “%(current)s” to “%(new)s”."),
)


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    EMPLOYED = "employed", _("Employed or running a business")
    WITHDREW = "withdrew", _("The person withdrew")
    UNREACHABLE = "unreachable", _("Could not be reached")
    MIGRATED_AGAIN = "migrated_again", _("Migrated again")
    TRANSFERRED = "transferred", _("Transferred to another organization")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Case(models.Model):
    """One person's pathway, owned by one organization and one caseworker."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="cases")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    status = models.CharField(
        _("stage"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEPTION
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_outcome = models.TextField(_("outcome"), blank=True)
    # Optimistic locking: a change made on an old copy of the case is refused, never silently lost.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"],
                condition=~models.Q(status="closed"),
                name="case_one_open_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["caseworker", "status"]),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseStageChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class Sensitivity(models.TextChoices):
    GENERAL = "general", _("General: the case team")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial: psychosocial professionals only")
    # About a migration status (a card to renew): the roles with `protection.view` only.
    PROTECTION = "protection", _("Protection: the roles that see migration status")


class CaseNote(models.Model):
    """A note on a case. A psychosocial note's text is read only by the psychosocial professionals
    of the owning organization; everyone else sees that it exists."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sensitivity = models.CharField(_("who may read it"), max_length=16, choices=Sensitivity.choices)
    text = EncryptedTextField(_("note"))  # encrypted at rest
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_sensitivity_display()} · {self.created_at:%Y-%m-%d}"


class Task(models.Model):
    """Something someone must do for a case, by a date: the "my work" page lists them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due on"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # A psychosocial task (e.g. after a positive screening) is seen only by psychosocial staff:
    # even its title tells something about the person's mental health.
    sensitivity = models.CharField(max_length=16, choices=Sensitivity.choices, default=Sensitivity.GENERAL)
    # What made the task, when a daily job did (e.g. "document:<id>:<expiry date>"): one task per
    # key and case, however often the job runs.
    key = models.CharField(max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["assigned_to", "done_at", "due_on"])]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.done_at is None and self.due_on < timezone.localdate()


class DocumentStatus(models.TextChoices):
    MISSING = "missing", _("Missing")
    REQUESTED = "requested", _("Requested")
    APPOINTMENT = "appointment", _("Appointment set")
    OBTAINED = "obtained", _("Obtained")
    NOT_OBTAINABLE = "not_obtainable", _("Cannot be obtained")


D = DocumentStatus
DOCUMENT_PIPELINE = Pipeline(
    transitions={
        D.MISSING: {D.REQUESTED, D.APPOINTMENT, D.OBTAINED, D.NOT_OBTAINABLE},
        D.REQUESTED: {D.MISSING, D.APPOINTMENT, D.OBTAINED, D.NOT_OBTAINABLE},
        D.APPOINTMENT: {D.REQUESTED, D.OBTAINED, D.NOT_OBTAINABLE},
        D.OBTAINED: {D.MISSING},
        D.NOT_OBTAINABLE: {D.REQUESTED},
    },
    labels=dict(DocumentStatus.choices),
    refusal=_("A document cannot go from “%(current)s” to “%(new)s”."),
)


def document_checklist(country_code: str, status: str | None = None) -> list[dict]:
    """The checklist items of a country, from data (cases/data/document_checklists.json): for a
    returned national (`status` None), or for someone who arrived, by migration status ("unknown"
    when none is recorded): what every country asks, then the country's documents for foreigners of
    that status (item code "doc:<type code>")."""
    import json
    from pathlib import Path

    from incluye.core.models import IdDocumentType

    data = json.loads(
        (Path(__file__).parent / "data" / "document_checklists.json").read_text(encoding="utf-8")
    )
    if status is None:
        return data.get(country_code, []) + data["common"]
    items = list(data["by_status"].get(status, data["by_status"]["unknown"]))
    for document_type in IdDocumentType.objects.filter(country_id=country_code, for_foreigners=True).order_by(
        "pk"
    ):
        if status in document_type.statuses:
            items.append({"code": f"doc:{document_type.code}", "name": document_type.names})
    return items


class CaseDocument(models.Model):
    """One item of the case's document checklist."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=40)
    name = models.JSONField()
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.MISSING
    )
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_place = models.CharField(_("place"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="casedocument_unique_code")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        from incluye.core.text import pick_language

        return pick_language(self.name)


class DocumentScan(models.Model):
    """A scan of a document, in private storage: served only by a view that checks access."""

    document = models.ForeignKey(CaseDocument, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField(upload_to="scans/%Y/%m/", storage=scans_storage)  # encrypted on disk
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name


class Screening(models.Model):
    """A psychosocial screening (RHS-15, WHO-5, PHQ-9, GAD-7): the answers and what they scored.
    Read only by the psychosocial professionals of the owning organization."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    instrument = models.CharField(max_length=20)
    version = models.CharField(max_length=10)
    answers = models.JSONField()
    total = models.IntegerField()
    band = models.CharField(max_length=40)
    positive = models.BooleanField()
    urgent = models.BooleanField(default=False)
    suggested_level = models.CharField(max_length=24)
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.instrument} {self.created_at:%Y-%m-%d}"

    def result(self):
        """The result in the reader's language, recomputed from the stored answers."""
        from incluye.cases.instruments import load_instrument, score

        return score(load_instrument(self.instrument), self.answers)


FOLLOW_UP_MONTHS = (3, 6, 12)


class FollowUp(models.Model):
    """A reintegration follow-up due 3, 6 or 12 months after the return, and its scores."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the return"))
    due_on = models.DateField(_("due on"))
    task = models.OneToOneField(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    survey_version = models.CharField(max_length=10, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    conducted_at = models.DateTimeField(null=True, blank=True)
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["case", "months"], name="followup_unique_months")]

    def __str__(self):
        return f"{self.months} m · {self.due_on}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    """A goal of the person's plan, with a due date and an owner."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged: safety plan in progress")
    RESOLVED = "resolved", _("Safety plan completed")


class RiskAlert(models.Model):
    """Answers of a screening that signal risk (rules in the instrument's data). Psychosocial
    staff acknowledge it and keep its safety plan (a checklist kept as data, per country); an alert
    nobody acknowledged in time escalates. Everyone else on the case sees only that the person
    needs psychosocial attention, never the answers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    screening = models.OneToOneField(Screening, on_delete=models.CASCADE, related_name="alert")
    rules = models.JSONField(default=list)  # codes of the instrument's alert rules that fired
    status = models.CharField(
        _("status"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("safety plan completed"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The safety plan: {item code: {"done": bool, "at": ISO time, "by": user id}} and a note.
    plan_items = models.JSONField(default=dict, blank=True)
    plan_note = EncryptedTextField(_("notes of the safety plan"), blank=True)  # encrypted at rest
    plan_country = models.CharField(max_length=2, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("risk alert")
        verbose_name_plural = _("risk alerts")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["status", "raised_at"])]

    def __str__(self):
        return f"{self.case_id} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status != AlertStatus.RESOLVED


def safety_plan_checklist(country_code: str) -> list[dict]:
    """The safety plan's checklist for a country, from data (cases/data/safety_plans.json): the
    common items, then the country's own."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parent / "data" / "safety_plans.json").read_text(encoding="utf-8"))
    return data["common"] + data.get(country_code, [])
