"""Separation of duties: nobody gives themselves a role; a psychosocial or administrator role takes
a second administrator's approval, and the organization's administrators are told."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from incluye.accounts.models import Membership, RoleGrant
from incluye.accounts.roles import Role
from incluye.core.models import ActionLogEntry
from incluye.core.testing import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_admin(personas):
    return make_member(personas.org, Role.ADMINISTRATOR, email="segunda.admin@test.incluye.org")


def _add(client, email, role):
    return client.post(reverse("accounts:members"), {"email": email, "role": role})


def test_an_administrator_cannot_give_themselves_the_psychosocial_role(personas):
    client = personas.client("admin")
    response = _add(client, personas.admin.user.email, Role.PSYCHOSOCIAL)
    assert response.status_code == 400
    assert "Nadie se da un rol a sí mismo" in response.content.decode()
    assert not Membership.objects.filter(user=personas.admin.user, role=Role.PSYCHOSOCIAL).exists()
    assert not RoleGrant.objects.exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.PSYCHOSOCIAL, Role.ADMINISTRATOR])
def test_nobody_changes_their_own_membership(personas, role):
    response = personas.client("admin").post(
        reverse("accounts:member_edit", args=[personas.admin.pk]),
        {"role": role, "is_active": "on", "version": 1},
    )
    assert response.status_code == 400
    personas.admin.refresh_from_db()
    assert personas.admin.role == Role.ADMINISTRATOR and personas.admin.is_active


def test_a_psychosocial_role_waits_for_a_second_administrator_who_is_notified(
    personas, second_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(personas.client("admin"), "nueva.psicologa@ejemplo.org", Role.PSYCHOSOCIAL)
    assert response.status_code == 302
    assert not Membership.objects.filter(user__email="nueva.psicologa@ejemplo.org").exists()
    grant = RoleGrant.objects.get()
    assert (grant.status, grant.role, grant.requested_by) == (
        "pending",
        Role.PSYCHOSOCIAL,
        personas.admin.user,
    )
    # Every administrator of the organization hears of it; the message names no one.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.admin.user.email, second_admin.user.email]
    )
    assert all("nueva.psicologa" not in m.body + m.subject for m in mail.outbox)
    assert "Profesional psicosocial" in mail.outbox[0].body
    # Whoever asked cannot approve it.
    client = personas.client("admin")
    client.post(reverse("accounts:role_grant_decide", args=[grant.pk, "approve"]))
    grant.refresh_from_db()
    assert grant.status == "pending"
    members = client.get(reverse("accounts:members")).content.decode()
    assert "Otro administrador debe aprobarlo." in members
    # The second administrator approves: now the membership exists.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(second_admin).post(reverse("accounts:role_grant_decide", args=[grant.pk, "approve"]))
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == ("approved", second_admin.user)
    assert Membership.objects.get(user__email="nueva.psicologa@ejemplo.org").role == Role.PSYCHOSOCIAL
    assert {"incluye.role_grant.requested", "incluye.role_grant.approved", "incluye.membership.added"} <= set(
        ActionLogEntry.objects.values_list("action", flat=True)
    )
    assert any("aprob" in m.subject for m in mail.outbox)


def test_promoting_a_member_to_administrator_waits_for_approval(personas, second_admin):
    response = personas.client("admin").post(
        reverse("accounts:member_edit", args=[personas.staff.pk]),
        {"role": Role.ADMINISTRATOR, "is_active": "on", "version": 1},
    )
    assert response.status_code == 302
    personas.staff.refresh_from_db()
    assert personas.staff.role == Role.RECEPTION_OFFICER
    grant = RoleGrant.objects.get(membership=personas.staff)
    client_for(second_admin).post(reverse("accounts:role_grant_decide", args=[grant.pk, "approve"]))
    personas.staff.refresh_from_db()
    assert personas.staff.role == Role.ADMINISTRATOR


def test_the_person_who_would_receive_the_role_cannot_approve_it(personas, second_admin):
    _add(personas.client("admin"), second_admin.user.email, Role.PSYCHOSOCIAL)
    grant = RoleGrant.objects.get()
    client = client_for(second_admin)
    assert "Es para usted" in client.get(reverse("accounts:members")).content.decode()
    client.post(reverse("accounts:role_grant_decide", args=[grant.pk, "approve"]))
    grant.refresh_from_db()
    assert grant.status == "pending"
    assert not Membership.objects.filter(user=second_admin.user, role=Role.PSYCHOSOCIAL).exists()


def test_reactivating_a_psychosocial_membership_takes_a_second_administrator(personas, second_admin):
    psychologist = make_member(personas.org, Role.PSYCHOSOCIAL)
    psychologist.is_active = False
    psychologist.save()
    personas.client("admin").post(
        reverse("accounts:member_edit", args=[psychologist.pk]),
        {"role": Role.PSYCHOSOCIAL, "is_active": "on", "version": psychologist.version},
    )
    psychologist.refresh_from_db()
    assert not psychologist.is_active
    assert RoleGrant.objects.get().membership == psychologist


def test_other_roles_need_no_second_administrator(personas):
    response = _add(personas.client("admin"), "gestor.nuevo@ejemplo.org", Role.CASEWORKER)
    assert response.status_code == 302
    assert Membership.objects.get(user__email="gestor.nuevo@ejemplo.org").role == Role.CASEWORKER
    assert not RoleGrant.objects.exists()


def test_a_rejected_grant_gives_nothing_and_the_requester_may_withdraw(personas, second_admin):
    client = personas.client("admin")
    _add(client, "a@ejemplo.org", Role.PSYCHOSOCIAL)
    _add(client, "b@ejemplo.org", Role.ADMINISTRATOR)
    first, second = RoleGrant.objects.order_by("requested_at", "pk")
    client_for(second_admin).post(reverse("accounts:role_grant_decide", args=[first.pk, "reject"]))
    client.post(reverse("accounts:role_grant_decide", args=[second.pk, "reject"]))  # withdrawn
    assert set(RoleGrant.objects.values_list("status", flat=True)) == {"rejected"}
    assert not Membership.objects.filter(user__email__in=["a@ejemplo.org", "b@ejemplo.org"]).exists()


def test_a_grant_of_another_organization_is_a_404(personas):
    _add(personas.client("admin"), "c@ejemplo.org", Role.PSYCHOSOCIAL)
    grant = RoleGrant.objects.get()
    response = personas.client("outsider_admin").post(
        reverse("accounts:role_grant_decide", args=[grant.pk, "approve"])
    )
    assert response.status_code == 404


def test_the_operator_gives_the_first_administrator_from_the_server(personas):
    call_command(
        "grant_role", organization=personas.outsider_org.pk, email="primera@ejemplo.org", role="administrator"
    )
    membership = Membership.objects.get(user__email="primera@ejemplo.org")
    assert membership.role == Role.ADMINISTRATOR
    assert (
        ActionLogEntry.objects.get(action="incluye.membership.added", object_id=str(membership.pk)).actor
        is None
    )
