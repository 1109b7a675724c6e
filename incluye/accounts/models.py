from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from incluye.accounts.roles import Role, role_label
from incluye.core.versioning import Versioned


class GrammaticalGender(models.TextChoices):
    """How Spanish should speak of the person ("la gestora", "el gestor"); not their sex."""

    NEUTRAL = "", _("Not said (neutral forms)")
    FEMININE = "feminine", _("Feminine (la gestora)")
    MASCULINE = "masculine", _("Masculine (el gestor)")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("One message for each thing that arrives")
    DIGEST = "digest", _("One message a day with everything that arrived")


class User(AbstractUser):
    """Someone who works in Incluye. Signs in with an e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("es", _("Spanish")), ("en", _("English"))],
        default="es",
    )
    grammatical_gender = models.CharField(
        _("grammatical gender"),
        max_length=16,
        choices=GrammaticalGender.choices,
        default=GrammaticalGender.NEUTRAL,
        blank=True,
        help_text=_("How role names and messages address this person. Neutral forms when not said."),
    )
    # How the user hears about work that arrives (risk alerts are always sent at once).
    notification_mode = models.CharField(
        _("notifications"),
        max_length=10,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    INTERNATIONAL_COOPERATION = "international_cooperation", _("International cooperation")
    ACADEMIA = "academia", _("Academia")


class OrganizationKind(models.TextChoices):
    RECEPTION_CENTER = "reception_center", _("Reception center")
    NGO = "ngo", _("NGO")
    MINISTRY = "ministry", _("Ministry")
    REGISTRY = "registry", _("Civil registry")
    CERTIFYING_BODY = "certifying_body", _("Certifying body")
    EMPLOYER = "employer", _("Employer")
    COOPERATION_AGENCY = "cooperation_agency", _("Cooperation agency")
    UNIVERSITY = "university", _("University")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="organizations"
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["country", "name"]
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="organization_unique_name")]

    def __str__(self):
        return self.short_name or self.name


class Membership(Versioned):
    """A user's place in an organization: one role, and whether it may change records."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    read_only = models.BooleanField(
        _("read only"), default=False, help_text=_("Can see what the role allows but change nothing.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The organization's psychosocial lead is told of every risk alert and of those nobody
    # acknowledged in time. Set by an administrator; meaningful for psychosocial professionals.
    is_psychosocial_lead = models.BooleanField(
        _("psychosocial lead"),
        default=False,
        help_text=_("Receives every risk alert of the organization and those nobody acknowledged in time."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role")
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    @property
    def role_label(self) -> str:
        """The role's name for this person, in their grammatical gender ("Gestora de casos")."""
        return role_label(self.role, self.user.grammatical_gender)

    def can(self, permission: str) -> bool:
        from incluye.accounts.roles import role_can

        return role_can(self.role, permission, read_only=self.read_only)


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A personal key to the REST API (`Authorization: Token …`), created and revoked by its owner
    on their security page. Only for accounts with a second factor; bound to one membership (the
    organization and role it works as); read-only or read-write; it expires. Only a hash of the key
    is stored: the key is shown once, when it is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey(
        Membership, verbose_name=_("works as"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("What it is for, e.g. “KoboToolbox sync”."))
    scope = models.CharField(_("access"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now

    @property
    def allows_writes(self) -> bool:
        return self.scope == TokenScope.WRITE


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second administrator")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RoleGrant(models.Model):
    """A grant of a role that takes a second administrator's approval (roles.APPROVAL_ROLES): who
    asked, for whom, what, and who decided. Applied only when another administrator approves."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="role_grants")
    # The membership being changed, or None for a new member (created on approval).
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    read_only = models.BooleanField(_("read only"), default=False)
    status = models.CharField(max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.email} · {self.get_role_display()} · {self.get_status_display()}"
