"""Writes of the accounts app. Each one logs what it did."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from incluye.accounts.models import Membership, Organization, User
from incluye.accounts.tasks import send_welcome_email
from incluye.core.actionlog import log_action


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
) -> Membership:
    """Add a user (created if new, by e-mail) to an organization with a role."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name
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


@transaction.atomic
def membership_update(
    *, actor_membership, membership: Membership, role: str, read_only: bool, is_active: bool
):
    if membership.organization_id != actor_membership.organization_id:
        raise PermissionDenied
    changes = {
        field: [getattr(membership, field), value]
        for field, value in (("role", role), ("read_only", read_only), ("is_active", is_active))
        if getattr(membership, field) != value
    }
    if not changes:
        return membership
    membership.role, membership.read_only, membership.is_active = role, read_only, is_active
    membership.save(update_fields=["role", "read_only", "is_active"])
    log_action(
        actor=actor_membership.user,
        organization=membership.organization,
        action="incluye.membership.changed",
        obj=membership,
        data={"changes": changes},
    )
    return membership


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
