"""The person's own door: a participant account links one registered phone to one `Person`.

Staff create it by inviting the person on the phone their organization registered; only then can
that phone ask for a one-time code. Codes are stored as keyed hashes, expire within minutes and
work once. A participant is not a `User` and belongs to no organization: their session carries
the account's id under its own key (see `access.py`), so no staff page, API or admin sees them as
signed in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountStatus(models.TextChoices):
    INVITED = "invited", _("Invited: has not signed in yet")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Access withdrawn")


class ParticipantAccount(models.Model):
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="participant_account"
    )
    # The registered phone at the time of the invitation, in E.164.
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.INVITED
    )
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"))
    activated_at = models.DateTimeField(_("first sign-in"), null=True, blank=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("access withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant account")
        verbose_name_plural = _("participant accounts")
        constraints = [
            # One open door per phone: a shared family phone reaches one person's record only.
            models.UniqueConstraint(
                fields=["phone"],
                condition=~models.Q(status="revoked"),
                name="participant_one_account_per_phone",
            )
        ]

    def __str__(self):
        return f"{self.phone[:-4]}···· · {self.get_status_display()}"

    @property
    def can_sign_in(self) -> bool:
        return self.status != AccountStatus.REVOKED


class SignInCode(models.Model):
    """A one-time code sent to the account's phone: a keyed hash, short-lived, single use."""

    account = models.ForeignKey(ParticipantAccount, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self):
        return f"{self.account_id} · {self.created_at:%Y-%m-%d %H:%M}"


class DataCopyRequest(models.Model):
    """The person asked, from their own page, for a copy of their data. The organization that
    registered them is told; an administrator produces the copy (`people.rights.person_export`,
    which follows the pages' rules) and marks the request delivered."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="copy_requests")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"))
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("request for a copy of one's data")
        verbose_name_plural = _("requests for a copy of one's data")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["organization", "delivered_at", "requested_at"])]

    def __str__(self):
        return f"{self.person_id} · {self.requested_at:%Y-%m-%d}"
