from django.db import models
from django.utils.translation import gettext_lazy as _

from incluye.core.pipeline import Pipeline
from incluye.core.versioning import Versioned


class Council(models.Model):
    """A country's multi-sector alliance council (one per country)."""

    country = models.OneToOneField("core.Country", on_delete=models.PROTECT, related_name="council")
    name = models.CharField(_("name"), max_length=200)
    secretariat = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("secretariat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance council")
        verbose_name_plural = _("alliance councils")
        ordering = ["country"]

    def __str__(self):
        return self.name


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARIAT = "secretariat", _("Technical secretariat")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class AllianceMember(models.Model):
    """An organization's membership in its country's alliance (the sector is the organization's)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("role in the council"), max_length=12, choices=CouncilRole.choices, default=CouncilRole.MEMBER
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        ordering = ["council", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "organization"],
                condition=models.Q(left_on=None),
                name="alliancemember_one_current",
            )
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_role_display()}"


class Agreement(models.Model):
    """A memorandum of understanding between alliance members."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField("accounts.Organization", verbose_name=_("parties"), related_name="+")
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    scope = models.TextField(_("scope"))
    file = models.FileField(_("signed document"), upload_to="agreements/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title"]

    def __str__(self):
        return self.title


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


CS = CommitmentStatus
COMMITMENT_PIPELINE = Pipeline(
    transitions={
        CS.PLANNED: {CS.IN_PROGRESS, CS.DONE, CS.CANCELLED},
        CS.IN_PROGRESS: {CS.PLANNED, CS.DONE, CS.CANCELLED},
        CS.DONE: {CS.IN_PROGRESS},
        CS.CANCELLED: {CS.PLANNED},
    },
    labels=dict(CommitmentStatus.choices),
    refusal=_("A commitment cannot go from “%(current)s” to “%(new)s”."),
)


class Commitment(Versioned):
    """One line of the council's action plan."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="commitments")
    title = models.CharField(_("commitment"), max_length=200)
    owner = models.ForeignKey(
        "accounts.Organization", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=CommitmentStatus.choices, default=CS.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class Meeting(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        "accounts.Organization", verbose_name=_("attendees"), related_name="+", blank=True
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.council} {self.held_on}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["id"]

    def __str__(self):
        return self.text[:60]
