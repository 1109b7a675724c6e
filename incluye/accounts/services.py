"""Writes of the accounts app. Each one logs what it did."""

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
    grammatical_gender: str = "",
) -> Membership:
    """Add a user (created if new, by e-mail) to an organization with a role."""
    email = email.strip().lower()
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


@transaction.atomic
def membership_update(
    *,
    actor_membership,
    membership: Membership,
    role: str,
    read_only: bool,
    is_active: bool,
    grammatical_gender: str | None = None,
    is_psychosocial_lead: bool | None = None,
):
    if membership.organization_id != actor_membership.organization_id:
        raise PermissionDenied
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
    user = membership.user
    if grammatical_gender is not None and user.grammatical_gender != grammatical_gender:
        changes["grammatical_gender"] = [user.grammatical_gender, grammatical_gender]
        user.grammatical_gender = grammatical_gender
        user.save(update_fields=["grammatical_gender"])
    if not changes:
        return membership
    for field, value in values.items():
        setattr(membership, field, value)
    membership.save(update_fields=list(values))
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
