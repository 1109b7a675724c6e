"""Writes of the accounts app. Each one logs what it did."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from incluye.accounts.models import GrantStatus, Membership, Organization, User
from incluye.accounts.roles import APPROVAL_ROLES, Role
from incluye.accounts.tasks import send_welcome_email
from incluye.core.actionlog import log_action
from incluye.core.links import absolute_url
from incluye.core.versioning import check_current, save_versioned


@transaction.atomic
def organization_create(
    *, actor, name: str, country, sector: str, kind: str, short_name: str = ""
) -> Organization:
    organization = Organization.objects.create(
        name=name, short_name=short_name, country=country, sector=sector, kind=kind
    )
    log_action(
        actor=actor, organization=organization, action="incluye.organization.created", obj=organization
    )
    return organization


def _refuse_self_grant(actor, user) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if actor is not None and user is not None and actor.pk == user.pk:
        raise ValidationError(
            _("Nobody gives themselves a role or changes their own access: ask another administrator.")
        )


def _administrators(organization):
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role=Role.ADMINISTRATOR,
        memberships__is_active=True,
        is_active=True,
    ).distinct()


def _notify_organization(grant, template: str) -> None:
    """The organization's administrators hear of a grant (no name or address in the message: the
    role, the organization and where to look)."""

    from incluye.core.notify import notify_on_commit

    notify_on_commit(
        to_users=list(_administrators(grant.organization)),
        template=template,
        context={
            "organization": str(grant.organization),
            "role": str(grant.get_role_display()),
            "status": grant.status,
            "link": absolute_url("accounts:members"),
        },
    )


def _request_grant(
    *, actor, organization, membership=None, email, role, read_only, first_name="", last_name=""
):
    from incluye.accounts.models import RoleGrant

    existing = RoleGrant.objects.filter(
        organization=organization, email=email, role=role, status=GrantStatus.PENDING
    ).first()
    if existing:
        return existing
    grant = RoleGrant.objects.create(
        organization=organization,
        membership=membership,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        read_only=read_only,
        requested_by=actor,
    )
    log_action(
        actor=actor,
        organization=organization,
        action="incluye.role_grant.requested",
        obj=grant,
        data={"role": role, "membership": getattr(membership, "pk", None)},
    )
    _notify_organization(grant, "accounts/email/role_grant_requested")
    return grant


@transaction.atomic
def membership_add(
    *,
    actor,
    organization,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    read_only: bool = False,
    password: str | None = None,
    grammatical_gender: str = "",
):
    """Add a user (created if new, by e-mail) to an organization with a role. Nobody adds
    themselves; a psychosocial or administrator role becomes a pending grant (a RoleGrant, returned
    instead of the membership) until another administrator approves it. `actor=None` is the
    deployment's operator (the demo, `manage.py grant_role`)."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    _refuse_self_grant(actor, user)
    if actor is not None and role in APPROVAL_ROLES:
        existing = (
            Membership.objects.filter(user=user, organization=organization, role=role).first()
            if user
            else None
        )
        if not (existing and existing.is_active and (existing.read_only or not read_only)):
            return _request_grant(
                actor=actor,
                organization=organization,
                membership=existing,
                email=email,
                role=role,
                read_only=read_only,
                first_name=first_name,
                last_name=last_name,
            )
    return _membership_apply(
        actor=actor,
        organization=organization,
        email=email,
        role=role,
        read_only=read_only,
        first_name=first_name,
        last_name=last_name,
        password=password,
        grammatical_gender=grammatical_gender,
    )


def _membership_apply(
    *,
    actor,
    organization,
    email,
    role,
    read_only,
    first_name="",
    last_name="",
    password=None,
    grammatical_gender="",
):
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            grammatical_gender=grammatical_gender,
        )
        if password is None:
            # A new account without a password: the person chooses one from the welcome e-mail.
            transaction.on_commit(
                lambda: send_welcome_email.enqueue(user_id=user.pk, organization_id=organization.pk)
            )
    membership, _ = Membership.objects.update_or_create(
        user=user, organization=organization, role=role, defaults={"read_only": read_only, "is_active": True}
    )
    log_action(
        actor=actor,
        organization=organization,
        action="incluye.membership.added",
        obj=membership,
        data={"role": role, "read_only": read_only},
    )
    return membership


def grants_role(membership: Membership, *, role: str, read_only: bool, is_active: bool) -> bool:
    """True when the change gives a role that takes a second administrator's approval: the role is
    new to this membership, or the membership comes back to life, or may now change records."""
    if role not in APPROVAL_ROLES or not is_active:
        return False
    return role != membership.role or not membership.is_active or (membership.read_only and not read_only)


@transaction.atomic
def membership_update(
    *,
    actor_membership,
    membership: Membership,
    role: str,
    read_only: bool,
    is_active: bool,
    expected_version=None,
    grammatical_gender: str | None = None,
    is_psychosocial_lead: bool | None = None,
):
    """Change a member's role or access. Nobody changes their own; a change that grants a
    psychosocial or administrator role becomes a pending grant (returned) for another administrator."""
    if membership.organization_id != actor_membership.organization_id:
        raise PermissionDenied
    _refuse_self_grant(actor_membership.user, membership.user)
    # Checked before a grant is asked for, too: the request must be about what the user saw.
    check_current(membership, expected_version)
    # How Spanish speaks of the person is theirs, not a grant: it changes at once.
    gender = {}
    user = membership.user
    if grammatical_gender is not None and user.grammatical_gender != grammatical_gender:
        gender = {"grammatical_gender": [user.grammatical_gender, grammatical_gender]}
        user.grammatical_gender = grammatical_gender
        user.save(update_fields=["grammatical_gender"])
    if grants_role(membership, role=role, read_only=read_only, is_active=is_active):
        if gender:
            log_action(
                actor=actor_membership.user,
                organization=membership.organization,
                action="incluye.membership.changed",
                obj=membership,
                data={"changes": gender},
            )
        return _request_grant(
            actor=actor_membership.user,
            organization=membership.organization,
            membership=membership,
            email=membership.user.email,
            role=role,
            read_only=read_only,
        )
    return _membership_change(
        actor=actor_membership.user,
        membership=membership,
        role=role,
        read_only=read_only,
        is_active=is_active,
        is_psychosocial_lead=is_psychosocial_lead,
        expected_version=expected_version,
        extra_changes=gender,
    )


def _membership_change(
    *,
    actor,
    membership,
    role,
    read_only,
    is_active,
    is_psychosocial_lead=None,
    expected_version=None,
    extra_changes=None,
):
    if is_psychosocial_lead is None:
        is_psychosocial_lead = membership.is_psychosocial_lead
    values = {
        "role": role,
        "read_only": read_only,
        "is_active": is_active,
        "is_psychosocial_lead": is_psychosocial_lead,
    }
    changes = {
        field: [getattr(membership, field), value]
        for field, value in values.items()
        if getattr(membership, field) != value
    }
    changes.update(extra_changes or {})
    if not changes:
        return membership
    for field, value in values.items():
        setattr(membership, field, value)
    saved = save_versioned(
        membership,
        expected_version=membership.version if expected_version is None else expected_version,
        fields=list(values),
    )
    log_action(
        actor=actor,
        organization=membership.organization,
        action="incluye.membership.changed",
        obj=membership,
        data={"changes": changes, **saved},
    )
    return membership


def _decide(*, actor_membership, grant):
    """Checks common to approving and rejecting: an administrator of the grant's organization who
    neither asked for it nor receives it."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if grant.organization_id != actor_membership.organization_id or not actor_membership.can(
        "members.manage"
    ):
        raise PermissionDenied
    if grant.status != GrantStatus.PENDING:
        raise ValidationError(_("This role change was already decided."))
    if actor_membership.user_id == grant.requested_by_id:
        raise ValidationError(_("Another administrator must approve the role change you asked for."))
    _refuse_self_grant(actor_membership.user, User.objects.filter(email__iexact=grant.email).first())


@transaction.atomic
def role_grant_approve(*, actor_membership, grant):
    from django.utils import timezone

    from incluye.accounts.models import RoleGrant

    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    _decide(actor_membership=actor_membership, grant=grant)
    actor = actor_membership.user
    if grant.membership is not None:
        membership = _membership_change(
            actor=actor,
            membership=grant.membership,
            role=grant.role,
            read_only=grant.read_only,
            is_active=True,
        )
    else:
        membership = _membership_apply(
            actor=actor,
            organization=grant.organization,
            email=grant.email,
            role=grant.role,
            read_only=grant.read_only,
            first_name=grant.first_name,
            last_name=grant.last_name,
        )
    grant.status, grant.decided_by, grant.decided_at = GrantStatus.APPROVED, actor, timezone.now()
    grant.membership = membership
    grant.save(update_fields=["status", "decided_by", "decided_at", "membership"])
    log_action(
        actor=actor,
        organization=grant.organization,
        action="incluye.role_grant.approved",
        obj=grant,
        data={"role": grant.role, "requested_by": grant.requested_by_id},
    )
    _notify_organization(grant, "accounts/email/role_grant_decided")
    return membership


@transaction.atomic
def role_grant_reject(*, actor_membership, grant):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from incluye.accounts.models import RoleGrant

    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    try:
        _decide(actor_membership=actor_membership, grant=grant)
    except ValidationError:
        # Whoever asked may withdraw their own request; the other checks stand.
        if actor_membership.user_id != grant.requested_by_id or grant.status != GrantStatus.PENDING:
            raise
    grant.status, grant.decided_by, grant.decided_at = (
        GrantStatus.REJECTED,
        actor_membership.user,
        timezone.now(),
    )
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    log_action(
        actor=actor_membership.user,
        organization=grant.organization,
        action="incluye.role_grant.rejected",
        obj=grant,
        data={"role": grant.role},
    )
    _notify_organization(grant, "accounts/email/role_grant_decided")
    return grant


def membership_switch(*, request, membership: Membership) -> None:
    """Make `membership` the one the user works as (it must be theirs and active)."""
    from incluye.accounts.middleware import SESSION_KEY

    if membership.user_id != request.user.pk or not membership.is_active:
        raise PermissionDenied
    request.session[SESSION_KEY] = membership.pk
    log_action(
        actor=request.user,
        organization=membership.organization,
        action="incluye.membership.switched",
        obj=membership,
    )


# --- API tokens: created and revoked by their owner on the security page ---------------------------

TOKEN_LIFETIMES = (30, 90, 365)  # days


@transaction.atomic
def api_token_create(*, membership, name: str, scope: str, days: int):
    """A new token working as `membership` (the user's own). Returns (token, key): the key is shown
    once and never stored. Refused to an account without a second factor: a token must not be a way
    around it."""
    from allauth.mfa.utils import is_mfa_enabled
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from incluye.accounts.models import ApiToken, TokenScope
    from incluye.accounts.tokens import key_hash, key_prefix, new_key

    user = membership.user
    if not membership.is_active or not user.is_active:
        raise PermissionDenied
    if not is_mfa_enabled(user):
        raise ValidationError(_("Activate a second factor before you create an API token."))
    if days not in TOKEN_LIFETIMES or scope not in TokenScope.values:
        raise ValidationError(_("Choose one of the offered lifetimes and kinds of access."))
    key = new_key()
    token = ApiToken.objects.create(
        user=user,
        membership=membership,
        name=name.strip()[:80],
        scope=scope,
        prefix=key_prefix(key),
        key_hash=key_hash(key),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    log_action(
        actor=user,
        organization=membership.organization,
        action="incluye.api_token.created",
        obj=token,
        data={"scope": scope, "days": days},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user, token):
    from django.utils import timezone

    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(
            actor=user,
            organization=token.membership.organization,
            action="incluye.api_token.revoked",
            obj=token,
        )
    return token


def api_token_used(*, token, now) -> None:
    """Remember when a token was last used (at most one write every five minutes per token)."""

    from incluye.accounts.models import ApiToken

    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def user_notifications_set(*, user, notification_mode: str) -> None:
    """The user chooses immediate messages or a daily digest."""
    if user.notification_mode == notification_mode:
        return
    previous = user.notification_mode
    user.notification_mode = notification_mode
    user.save(update_fields=["notification_mode"])
    log_action(
        actor=user,
        organization=None,
        action="incluye.user.notifications_changed",
        obj=user,
        data={"from": previous, "to": notification_mode},
    )
