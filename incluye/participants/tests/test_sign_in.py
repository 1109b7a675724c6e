"""Signing in at /me/ with the invited phone and a one-time code."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from incluye.core.models import ActionLogEntry
from incluye.participants.models import SignInCode
from incluye.participants.testing import last_code

pytestmark = pytest.mark.django_db


def ask_code(client, phone="5550 1234", country="GT"):
    return client.post(reverse("me:sign_in"), {"country": country, "phone": phone})


def test_the_invitation_reaches_the_registered_phone_with_the_sign_in_link(account, sms):
    assert sms[-1].to == "+50255501234"
    assert "/me/sign-in/" in sms[-1].body
    assert ActionLogEntry.objects.filter(
        action="incluye.participant.invited", person_id=account.person_id
    ).exists()


def test_an_invited_person_signs_in_with_the_code_sent_to_their_phone(
    account, sms, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_code(client)
    assert response.status_code == 302 and response["Location"] == reverse("me:code")
    code = last_code(sms, "+50255501234")
    response = client.post(reverse("me:code"), {"code": code})
    assert response["Location"] == reverse("me:home")
    page = client.get(reverse("me:home"))
    assert page.status_code == 200
    assert "María José" in page.content.decode()
    account.refresh_from_db()
    assert account.status == "active" and account.activated_at is not None
    # Stored as a keyed hash only, and spent.
    stored = SignInCode.objects.get(account=account)
    assert code not in stored.code_hash and stored.used_at is not None


def test_a_code_works_only_once(account, sms, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client)
    code = last_code(sms, "+50255501234")
    assert client.post(reverse("me:code"), {"code": code}).status_code == 302
    client.post(reverse("me:sign_out"))
    again = Client()
    session = again.session
    session["incluye_participant_phone"] = "+50255501234"
    session.save()
    assert again.post(reverse("me:code"), {"code": code}).status_code == 400


def test_an_expired_code_is_refused(account, sms, time_machine, django_capture_on_commit_callbacks):
    from incluye.core.testing import local_moment

    time_machine.move_to(local_moment("2026-12-31 22:00"))
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client)
    code = last_code(sms, "+50255501234")
    time_machine.move_to(local_moment("2026-12-31 22:00") + datetime.timedelta(minutes=11))
    response = client.post(reverse("me:code"), {"code": code})
    assert response.status_code == 400
    assert "expiró" in response.content.decode()


def test_a_phone_nobody_invited_gets_no_code_and_the_page_says_the_same(
    account, sms, django_capture_on_commit_callbacks
):
    client = Client()
    before = len(sms)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_code(client, phone="5550 9999")
    assert response.status_code == 302 and response["Location"] == reverse("me:code")
    assert len(sms) == before
    assert client.post(reverse("me:code"), {"code": "123456"}).status_code == 400


def test_wrong_codes_lock_the_phone_out_even_with_the_right_code(
    account, sms, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client)
    code = last_code(sms, "+50255501234")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert client.post(reverse("me:code"), {"code": wrong}).status_code == 400
    response = client.post(reverse("me:code"), {"code": code})
    assert response.status_code == 429
    assert client.get(reverse("me:home")).status_code == 302


def test_asking_for_codes_again_and_again_is_limited(account, sms, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert ask_code(client).status_code == 302
        assert ask_code(client).status_code == 429
    assert len([m for m in sms if m.to == "+50255501234"]) == 1 + 3  # the invitation, three codes


def test_the_session_is_short(account, sms, settings, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client)
    client.post(reverse("me:code"), {"code": last_code(sms, "+50255501234")})
    assert client.session.get_expiry_age() == settings.INCLUYE_PARTICIPANT_SESSION_MINUTES * 60
    assert client.session.get_expiry_age() <= 30 * 60


def test_a_withdrawn_access_ends_the_session_and_sends_no_more_codes(
    personas, account, me, sms, django_capture_on_commit_callbacks
):
    from incluye.participants.services import participant_revoke

    assert me.get(reverse("me:home")).status_code == 200
    participant_revoke(membership=personas.caseworker, account=account)
    assert me.get(reverse("me:home")).status_code == 302
    before = len(sms)
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(Client())
    assert len(sms) == before


def test_one_phone_opens_one_persons_record(personas, account):
    from django.core.exceptions import ValidationError

    from incluye.participants.services import participant_invite
    from incluye.people.services import person_register

    sibling = person_register(
        membership=personas.caseworker,
        given_names="Juan",
        first_surname="Ixcoy",
        nationality_id="GT",
        phone="+50255501234",
    )
    with pytest.raises(ValidationError):
        participant_invite(membership=personas.caseworker, person=sibling)


def test_only_a_person_with_a_registered_phone_can_be_invited(personas):
    from django.core.exceptions import ValidationError

    from incluye.participants.services import participant_invite
    from incluye.people.services import person_register

    nophone = person_register(
        membership=personas.caseworker, given_names="Ana", first_surname="Coc", nationality_id="GT"
    )
    with pytest.raises(ValidationError):
        participant_invite(membership=personas.caseworker, person=nophone)


def test_another_organization_cannot_invite_the_person(personas, person):
    from django.core.exceptions import PermissionDenied

    from incluye.participants.services import participant_invite

    with pytest.raises(PermissionDenied):
        participant_invite(membership=personas.outsider_admin, person=person)
    with pytest.raises(PermissionDenied):
        participant_invite(membership=personas.employer, person=person)


def test_staff_invite_from_the_person_page_and_see_that_the_invitation_is_sent(
    personas, person, sms, django_capture_on_commit_callbacks
):
    client = personas.client("caseworker")
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("participants:person", args=[person.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participants:invite", args=[person.pk]))
    assert response.status_code == 302
    assert sms[-1].to == "+50255501234"
    response = client.get(reverse("participants:person", args=[person.pk]))
    assert "Invitación enviada: todavía no ha entrado" in response.content.decode()
    assert response.context["account"].status == "invited"


def test_erasing_the_person_closes_their_door_and_a_copy_never_carries_a_code(personas, account, me):
    from incluye.participants.models import ParticipantAccount
    from incluye.people.rights import person_erase, person_export

    SignInCode.objects.create(
        account=account, code_hash="x" * 64, created_at=account.invited_at, expires_at=account.invited_at
    )
    copy = person_export(account.person, membership=personas.admin)
    assert all("code_hash" not in item for item in copy["records"]["participants.SignInCode"])
    person_erase(person=account.person, reason="request")
    assert not ParticipantAccount.objects.filter(pk=account.pk).exists()
    assert me.get(reverse("me:home")).status_code == 302


def test_a_phone_corrected_after_the_invitation_tells_staff_to_invite_again_which_moves_the_access(
    personas, account, sms, django_capture_on_commit_callbacks
):
    from incluye.people.services import person_correct

    person = account.person
    client = personas.client("caseworker")
    page = client.get(reverse("participants:person", args=[person.pk])).content.decode()
    assert 'data-testid="door-phone-changed"' not in page
    person_correct(
        membership=personas.caseworker, person=person, expected_version=person.version, phone="+50255509999"
    )
    page = client.get(reverse("participants:person", args=[person.pk])).content.decode()
    assert 'data-testid="door-phone-changed"' in page
    assert "+502 5550\xa01234" in page  # the phone invited, as people read it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participants:invite", args=[person.pk]))
    assert sms[-1].to == "+50255509999"
    account.refresh_from_db()
    assert account.phone == "+50255509999"
    page = client.get(reverse("participants:person", args=[person.pk])).content.decode()
    assert 'data-testid="door-phone-changed"' not in page
