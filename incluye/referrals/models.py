"""Acts across the alliance: a service directory, and the ways a person moves between the
organizations of one country.

- a **referral** (from a case of one organization to a service of another) gives access to a
  service without ownership;
- a **handoff** gives an arrival to a case-management organization (reception → NGO): accepted,
  a case opens there;
- a **transfer** moves a case's ownership to another organization;
- an **access request** asks the organization that holds a record to share it.

Each waits for the other organization's answer by an expected date (`answer_due_on`): overdue, it
shows in both organizations' inboxes. All of them need the person's consent to share with alliance
members, checked when they are sent and when they are answered.

A referral carries a snapshot of the few fields the sender chose to share (from an allow-list),
stored on the referral itself: the receiving organization never reads the person's record or the
case. The snapshot is shown to the receiver only while the person's consent to share with
alliance members stands (checked when the referral is read, see selectors)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incluye.core.pipeline import Pipeline
from incluye.people.models import Language


class ServiceKind(models.TextChoices):
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    DOCUMENTS = "documents", _("Documents")
    HEALTH = "health", _("Health")
    MENTAL_HEALTH_EMERGENCY = "mh_emergency", _("Mental health emergencies")
    SHELTER = "shelter", _("Shelter")
    LEGAL = "legal", _("Legal aid")
    TRAINING = "training", _("Training and certification")
    EMPLOYMENT = "employment", _("Employment")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship")
    OTHER = "other", _("Other")


DEFAULT_OUTCOME_DUE_DAYS = 14
DEFAULT_ANSWER_DUE_DAYS = 3


class Service(models.Model):
    """Something an organization offers that others may refer people to."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind of service"), max_length=20, choices=ServiceKind.choices)
    municipality = models.ForeignKey(
        "core.Division",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    audience = models.CharField(_("who it is for"), max_length=300, blank=True)
    outcome_due_days = models.PositiveSmallIntegerField(
        _("days to report the outcome"),
        default=DEFAULT_OUTCOME_DUE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A referral to this service is overdue if it has no outcome after this many days."),
    )
    answer_due_days = models.PositiveSmallIntegerField(
        _("days to answer a referral"),
        default=DEFAULT_ANSWER_DUE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "A referral to this service is overdue if nobody accepts or declines it after this many days."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["organization", "is_active"]),
            models.Index(fields=["kind", "is_active"]),
        ]

    def __str__(self):
        return self.name


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


RS = ReferralStatus
REFERRAL_PIPELINE = Pipeline(
    transitions={
        RS.SENT: {RS.ACCEPTED, RS.DECLINED, RS.CANCELLED},
        RS.ACCEPTED: {RS.COMPLETED},
        RS.DECLINED: set(),
        RS.COMPLETED: set(),
        RS.CANCELLED: set(),
    },
    labels=dict(ReferralStatus.choices),
    refusal=_("A referral cannot go from “%(current)s” to “%(new)s”."),
)
# Waiting for the receiving organization: these can be overdue.
OPEN_STATUSES = (RS.SENT, RS.ACCEPTED)

SENDER, RECEIVER = "sender", "receiver"
# Which side takes each step: the receiving organization answers and reports the outcome; the
# sender may only withdraw a referral nobody has answered yet.
STEP_SIDE = {RS.ACCEPTED: RECEIVER, RS.DECLINED: RECEIVER, RS.COMPLETED: RECEIVER, RS.CANCELLED: SENDER}

# What a sender may share with the receiving service, and nothing else. The reason for the
# referral, written by the sender, is always part of the snapshot.
SHAREABLE_FIELDS = {
    "given_names": _("Given names"),
    "surnames": _("Surnames"),
    "phone": _("Phone"),
    "municipality": _("Municipality"),
    "preferred_language": _("Preferred language"),
}
SNAPSHOT_FIELDS = (*SHAREABLE_FIELDS, "reason")


class Referral(models.Model):
    """A referral of a person from a case of one organization to another organization's service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The sending side. The receiving side never follows `case`.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    from_organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("referred by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The receiving side (`to_organization` is the service's organization, kept for scoping).
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="referrals"
    )
    to_organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("referred to"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices, default=RS.SENT)

    # The snapshot: only the fields in `shared_fields` are filled.
    shared_fields = models.JSONField(_("shared fields"), default=list)
    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    surnames = models.CharField(_("surnames"), max_length=170, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        "core.Division",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, blank=True
    )
    reason = models.TextField(_("reason for the referral"))

    decline_reason = models.TextField(_("reason for declining"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answer_due_on = models.DateField(_("answer due on"), null=True, blank=True)
    outcome_due_on = models.DateField(_("outcome due on"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by the selectors: True when the receiver may no longer see the snapshot.
    snapshot_hidden = False

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["from_organization", "-sent_at"]),
            models.Index(fields=["to_organization", "-sent_at"]),
            models.Index(fields=["status", "outcome_due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_organization=models.F("to_organization")),
                name="referral_between_two_organizations",
            )
        ]

    def __str__(self):
        return f"{self.service} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        today = timezone.localdate()
        if self.status == RS.SENT and self.answer_due_on and self.answer_due_on < today:
            return True
        return self.is_open and self.outcome_due_on < today

    @property
    def answered_at(self):
        return self.accepted_at or self.declined_at

    def snapshot_items(self) -> list[tuple[str, str]]:
        """(label, value) of each shared field, in the allow-list's order."""
        values = {
            "given_names": self.given_names,
            "surnames": self.surnames,
            "phone": self.phone,
            "municipality": str(self.municipality) if self.municipality_id else "",
            "preferred_language": self.get_preferred_language_display() if self.preferred_language else "",
        }
        return [
            (str(label), values[key]) for key, label in SHAREABLE_FIELDS.items() if key in self.shared_fields
        ]

    def hide_snapshot(self) -> None:
        """Blank the snapshot on this instance, so that not even a template mistake can show it."""
        self.snapshot_hidden = True
        self.given_names = self.surnames = self.phone = self.preferred_language = self.reason = ""
        self.municipality = None


# Handoffs, transfers and access requests ----------------------------------------------------------


class RequestKind(models.TextChoices):
    """Every kind of request between organizations that waits for an answer (for the network
    indicator: the share answered in time)."""

    REFERRAL = "referral", _("Referral")
    HANDOFF = "handoff", _("Handoff")
    TRANSFER = "transfer", _("Transfer")
    ACCESS_REQUEST = "access_request", _("Access request")
    INVITATION = "invitation", _("Employer's invitation")


class ActStatus(models.TextChoices):
    SENT = "sent", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


ACT_PIPELINE = Pipeline(
    transitions={
        ActStatus.SENT: {ActStatus.ACCEPTED, ActStatus.DECLINED, ActStatus.CANCELLED},
        ActStatus.ACCEPTED: set(),
        ActStatus.DECLINED: set(),
        ActStatus.CANCELLED: set(),
    },
    labels=dict(ActStatus.choices),
    refusal=_("It cannot go from “%(current)s” to “%(new)s”: someone already answered."),
)


class CrossOrganizationAct(models.Model):
    """What handoffs, transfers and access requests share: two organizations of one country, an
    expected answer date, the answer (with the reason when declined, which goes back to the
    sender), and a version so that two people answering at once cannot both succeed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    from_organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=ActStatus.choices, default=ActStatus.SENT)
    note = models.TextField(_("message for the other organization"), blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answer_due_on = models.DateField(_("answer due on"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # The sender saw a declined one and dealt with it: it leaves the sender's inbox.
    sender_closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-sent_at"]

    @property
    def is_open(self) -> bool:
        return self.status == ActStatus.SENT

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.answer_due_on < timezone.localdate()


def _act_indexes():
    """Each side's inbox reads its open acts by answer date."""
    return [
        models.Index(fields=["to_organization", "status", "answer_due_on"]),
        models.Index(fields=["from_organization", "status", "answer_due_on"]),
    ]


def _act_constraints(name: str, *, one_open_per: list[str]):
    return [
        models.UniqueConstraint(
            fields=one_open_per, condition=models.Q(status="sent"), name=f"{name}_one_open"
        ),
        models.CheckConstraint(
            condition=~models.Q(from_organization=models.F("to_organization")),
            name=f"{name}_between_two_organizations",
        ),
    ]


class Handoff(CrossOrganizationAct):
    """An arrival given by the organization that received the person (a reception center) to a
    case-management organization. Accepted, a case opens there for the caseworker chosen and the
    record is shared with it."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="handoffs")
    return_event = models.ForeignKey(
        "people.ReturnEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(CrossOrganizationAct.Meta):
        verbose_name = _("handoff")
        verbose_name_plural = _("handoffs")
        indexes = _act_indexes()
        constraints = _act_constraints("handoff", one_open_per=["person", "to_organization"])

    def __str__(self):
        return f"{self.from_organization_id} → {self.to_organization_id} · {self.get_status_display()}"


class Transfer(CrossOrganizationAct):
    """A case's ownership moves to another organization (a referral only gives access to a
    service; a transfer gives the case itself). Until it is accepted the case stays where it is."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transfers")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(CrossOrganizationAct.Meta):
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = _act_indexes()
        constraints = _act_constraints("transfer", one_open_per=["case"])

    def __str__(self):
        return f"{self.case_id} → {self.to_organization_id} · {self.get_status_display()}"


class AccessRequest(CrossOrganizationAct):
    """A member of the alliance found a person's stub and asks the organization that holds the
    record (`to_organization`) to share it with it (`from_organization`)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta(CrossOrganizationAct.Meta):
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        indexes = _act_indexes()
        constraints = _act_constraints("accessrequest", one_open_per=["person", "from_organization"])

    def __str__(self):
        return f"{self.from_organization_id} asks {self.to_organization_id} · {self.get_status_display()}"
