"""Notifications: who gets an e-mail when a referral is sent or answered, in which language, and
what it never says; the short-message backend is chosen by a setting."""

import copy

import pytest
from django.core import mail
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.cases import services as case_services
from incluye.core import notify
from incluye.core.testing import make_member, make_organization
from incluye.people.services import consent_record, person_register
from incluye.referrals import services
from incluye.referrals.models import Service

pytestmark = pytest.mark.django_db
REASON = "Refiere pesadillas desde la detención."


@pytest.fixture
def receiver_org(db):
    return make_organization("Fundación Puentes", country="GT")


@pytest.fixture
def service(receiver_org):
    return Service.objects.create(
        organization=receiver_org, name="Acompañamiento psicosocial", kind="psychosocial"
    )


@pytest.fixture
def case(personas):
    person = person_register(
        membership=personas.staff,
        given_names="María José",
        first_surname="Pérez",
        phone="55551234",
        nationality_id="GT",
    )
    consent_record(
        membership=personas.staff, person=person, purpose="alliance_sharing", given=True, method="signed_form"
    )
    return case_services.case_open(membership=personas.caseworker, person=person)


def send(personas, case, service):
    return services.referral_send(
        membership=personas.caseworker,
        case=case,
        service=service,
        shared_fields=["given_names", "surnames", "phone"],
        reason=REASON,
    )


@pytest.fixture
def templates(settings, tmp_path):
    """A notification template of the test's own, in a template directory of its own."""
    (tmp_path / "note").mkdir()
    (tmp_path / "note" / "hello_subject.txt").write_text(
        '{% load i18n %}{% translate "Save" %} {{ service }}', encoding="utf-8"
    )
    (tmp_path / "note" / "hello_body.txt").write_text("{{ link }}", encoding="utf-8")
    (tmp_path / "note" / "hello_sms.txt").write_text(
        '{% load i18n %}{% translate "Save" %}: {{ service }} {{ link }}', encoding="utf-8"
    )
    engines = copy.deepcopy(settings.TEMPLATES)
    engines[0]["DIRS"] = [tmp_path, *engines[0]["DIRS"]]
    settings.TEMPLATES = engines
    return "note/hello"


@pytest.fixture
def sms_outbox():
    notify.outbox.clear()
    yield notify.outbox
    notify.outbox.clear()


def test_a_sent_referral_emails_the_receiving_organization_in_spanish_without_the_persons_name(
    personas, case, service, receiver_org, django_capture_on_commit_callbacks
):
    handlers = [
        make_member(receiver_org, Role.PSYCHOSOCIAL, email="psicologa@puentes.org"),
        make_member(receiver_org, Role.DOCUMENTS_OFFICER, email="documentos@puentes.org"),
    ]
    make_member(
        receiver_org, Role.RECEPTION_OFFICER, email="recepcion@puentes.org"
    )  # does not handle referrals
    make_member(receiver_org, Role.CASEWORKER, email="lectura@puentes.org", read_only=True)
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(personas, case, service)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(h.user.email for h in handlers)
    message = mail.outbox[0]
    assert message.subject == "Nueva referencia a Acompañamiento psicosocial"
    assert "Abra la referencia en Incluye" in message.body
    assert reverse("referrals:detail", args=[referral.pk]) in message.body
    for secret in ("María", "Pérez", "55551234", "pesadillas", personas.org.name):
        assert secret not in message.subject + message.body


def test_answering_a_referral_emails_the_sending_caseworker_in_their_language(
    personas, case, service, receiver_org, django_capture_on_commit_callbacks
):
    receiver = make_member(receiver_org, Role.CASEWORKER)
    referral = send(personas, case, service)
    personas.caseworker.user.preferred_language = "en"
    personas.caseworker.user.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_accept(membership=receiver, referral=referral)
    assert [m.to for m in mail.outbox] == [[personas.caseworker.user.email]]
    assert mail.outbox[0].subject == "Your referral to Acompañamiento psicosocial was accepted"
    assert "María" not in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_complete(membership=receiver, referral=referral, outcome="Recibió cinco sesiones.")
    assert mail.outbox[0].subject == "Your referral to Acompañamiento psicosocial has an outcome"
    assert "cinco sesiones" not in mail.outbox[0].body


def test_notifications_wait_for_the_change_to_be_committed(
    personas, case, service, receiver_org, django_capture_on_commit_callbacks
):
    make_member(receiver_org, Role.PSYCHOSOCIAL)
    with django_capture_on_commit_callbacks() as callbacks:
        send(personas, case, service)
    assert mail.outbox == []  # a referral rolled back would notify nobody
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_each_email_is_rendered_in_its_recipients_language(personas, templates):
    personas.admin.user.preferred_language = "en"
    sent = notify.notify(
        to_users=[personas.caseworker.user, personas.admin.user],
        template=templates,
        context={"service": "Albergue", "link": "https://incluye.example/r/1"},
    )
    assert sent == 2
    assert {m.to[0]: m.subject for m in mail.outbox} == {
        personas.caseworker.user.email: "Guardar Albergue",
        personas.admin.user.email: "Save Albergue",
    }


def test_short_messages_go_through_the_backend_of_the_setting_locmem_in_tests(
    settings, templates, sms_outbox
):
    settings.INCLUYE_SMS_BACKEND = "incluye.core.notify.LocmemSMSBackend"
    notify.notify(to_phone="+50255551234", template=templates, context={"service": "Albergue", "link": "L"})
    notify.notify(
        to_phone="+50255551234",
        template=templates,
        context={"service": "Albergue", "link": "L"},
        language="en",
    )
    assert sms_outbox == [
        notify.ShortMessage(to="+50255551234", body="Guardar: Albergue L"),
        notify.ShortMessage(to="+50255551234", body="Save: Albergue L"),
    ]
    assert mail.outbox == []


def test_the_console_backend_is_the_default_and_writes_to_standard_output(
    settings, templates, capsys, sms_outbox
):
    if hasattr(settings, "INCLUYE_SMS_BACKEND"):
        del settings.INCLUYE_SMS_BACKEND
    assert isinstance(notify.get_sms_backend(), notify.ConsoleSMSBackend)
    notify.notify(to_phone="+50255551234", template=templates, context={"service": "Albergue", "link": "L"})
    out = capsys.readouterr().out
    assert "+50255551234" in out and "Guardar: Albergue L" in out
    assert sms_outbox == []


class RecordingBackend(notify.BaseSMSBackend):
    sent: list = []

    def send_messages(self, messages):
        RecordingBackend.sent.extend(messages)
        return len(messages)


def test_any_backend_can_be_plugged_in_by_its_dotted_path(settings, templates):
    settings.INCLUYE_SMS_BACKEND = f"{__name__}.RecordingBackend"
    RecordingBackend.sent.clear()
    assert (
        notify.notify(to_phone="+50370001234", template=templates, context={"service": "S", "link": "L"}) == 1
    )
    assert [m.to for m in RecordingBackend.sent] == ["+50370001234"]
