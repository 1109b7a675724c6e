"""Risk alerts: answers that signal risk (rules in each instrument's data) raise an alert on the
case; the organization's psychosocial lead is told at once; psychosocial staff acknowledge it and
go through a safety plan kept as data per country; an alert nobody acknowledges in time escalates;
everyone else sees only that the person requires psychosocial attention."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.cases import services
from incluye.cases.instruments import load_instrument, score
from incluye.cases.models import AlertStatus, RiskAlert, safety_plan_checklist
from incluye.core.models import ActionLogEntry
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.testing import client_for, local_moment, make_member, page_text
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db

PHQ9_ITEM_9 = {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0, "6": 0, "7": 0, "8": 0, "9": 1}
PHQ9_QUIET = {str(i): 0 for i in range(1, 10)}


def rhs15(thermometer):
    return {**{str(i): 0 for i in range(1, 15)}, "15": thermometer}


@pytest.fixture
def psychologist(personas):
    return make_member(personas.org, Role.PSYCHOSOCIAL)


@pytest.fixture
def case(personas):
    person = person_register(
        membership=personas.staff, given_names="Marvin Alexander", first_surname="Cux", nationality_id="GT"
    )
    return services.case_open(membership=personas.caseworker, person=person)


# -- what raises an alert (data) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "answers", "alerts"),
    [
        ("PHQ-9", PHQ9_ITEM_9, ["self_harm"]),  # a low total, but item 9 above 0
        ("PHQ-9", PHQ9_QUIET, []),
        ("PHQ-9", {**{str(i): 3 for i in range(1, 9)}, "9": 0}, ["severe"]),  # 24: the severe band
        ("RHS-15", rhs15(5), ["distress"]),  # the thermometer at its cut-off
        ("RHS-15", rhs15(4), []),
        ("GAD-7", {str(i): 3 for i in range(1, 8)}, ["severe"]),
        ("GAD-7", {str(i): 1 for i in range(1, 8)}, []),
        ("WHO-5", {str(i): 1 for i in range(1, 6)}, ["severe"]),  # 20 %: likely depression
        ("WHO-5", {str(i): 4 for i in range(1, 6)}, []),
    ],
)
def test_each_instruments_alert_rules_fire_on_the_answers_that_signal_risk(code, answers, alerts):
    assert score(load_instrument(code), answers).alerts == alerts


def test_an_alert_rule_naming_a_band_the_instrument_lacks_is_refused_when_loaded():
    import json

    from incluye.cases.instruments import INSTRUMENTS_DIR, InstrumentDataError, instrument_from_dict

    data = json.loads((INSTRUMENTS_DIR / "gad7.json").read_text(encoding="utf-8"))
    data["scoring"]["alerts"] = [{"code": "x", "label": {"es": "x", "en": "x"}, "bands": ["catastrophic"]}]
    with pytest.raises(InstrumentDataError, match="bands must name some of"):
        instrument_from_dict(data)


# -- raising, telling, acknowledging -------------------------------------------------------------


def test_a_phq9_with_item_9_positive_raises_an_alert_and_tells_the_lead_at_once(
    personas, psychologist, case, django_capture_on_commit_callbacks
):
    lead = make_member(personas.org, Role.PSYCHOSOCIAL)
    lead.is_psychosocial_lead = True
    lead.save()
    lead.user.notification_mode = "digest"  # a risk alert does not wait for the digest
    lead.user.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        screening = services.screening_record(
            membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_ITEM_9
        )
    alert = RiskAlert.objects.get(screening=screening)
    assert (alert.status, alert.rules) == (AlertStatus.OPEN, ["self_harm"])
    assert [m.to for m in mail.outbox] == [[lead.user.email]]
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert "Cux" not in body and "PHQ" not in body
    assert reverse("cases:alert", args=[alert.pk]) in body


def test_without_a_lead_every_psychosocial_professional_is_told(
    personas, psychologist, case, django_capture_on_commit_callbacks
):
    other = make_member(personas.org, Role.PSYCHOSOCIAL)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.screening_record(
            membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_ITEM_9
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([psychologist.user.email, other.user.email])


def test_the_screening_page_warns_instead_of_a_green_saved_banner(personas, psychologist, case):
    data = {f"item_{k}": v for k, v in PHQ9_ITEM_9.items()}
    response = client_for(psychologist).post(
        reverse("cases:screening_new", args=[case.pk, "phq-9"]), data, follow=True
    )
    alert = RiskAlert.objects.get(case=case)
    assert response.redirect_chain[-1][0] == reverse("cases:alert", args=[alert.pk])
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages == [
        (
            "error",
            "PHQ-9: las respuestas indican riesgo. Se generó una alerta de riesgo: atiéndala e inicie el plan de "
            "seguridad.",
        )
    ]
    page = response.content.decode()
    assert "Pensamientos de muerte o de hacerse daño (ítem 9)" in page
    assert "Atender e iniciar el plan de seguridad" in page


def test_other_roles_see_only_that_the_person_requires_psychosocial_attention(personas, psychologist, case):
    services.screening_record(
        membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_ITEM_9
    )
    alert = RiskAlert.objects.get(case=case)
    for name in ("caseworker", "admin", "staff"):
        client = personas.client(name)
        page = page_text(client.get(reverse("cases:detail", args=[case.pk])))
        assert "Requiere atención psicosocial" in page
        assert "PHQ" not in page and "ítem 9" not in page and "hacerse daño" not in page
        assert client.get(reverse("cases:alert", args=[alert.pk])).status_code == 403
    caseworker_home = page_text(personas.client("caseworker").get(reverse("home")))
    assert "Requiere atención psicosocial" in caseworker_home and "PHQ" not in caseworker_home
    psych_home = page_text(client_for(psychologist).get(reverse("home")))
    assert "Alerta de riesgo del PHQ-9: atiéndala" in psych_home


def test_acknowledging_starts_the_safety_plan_of_the_countrys_checklist(personas, psychologist, case):
    services.screening_record(
        membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_ITEM_9
    )
    alert = RiskAlert.objects.get(case=case)
    client = client_for(psychologist)
    assert (
        client.post(
            reverse("cases:alert_acknowledge", args=[alert.pk]), {"version": alert.version}
        ).status_code
        == 302
    )
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, psychologist.user)
    page = client.get(reverse("cases:alert", args=[alert.pk])).content.decode()
    assert "Hospital Nacional de Salud Mental" in page  # Guatemala's own item
    assert "Reducir el acceso a medios" in page  # a common item


def test_the_safety_plan_completes_only_with_every_required_step(personas, psychologist, case):
    services.screening_record(
        membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_ITEM_9
    )
    alert = RiskAlert.objects.get(case=case)
    services.alert_acknowledge(membership=psychologist, alert=alert, expected_version=alert.version)
    required = [item["code"] for item in safety_plan_checklist("GT") if item.get("required")]
    with pytest.raises(TransitionNotAllowed):
        services.safety_plan_update(
            membership=psychologist,
            alert=alert,
            done=required[:-1],
            note="",
            expected_version=alert.version,
            complete=True,
        )
    services.safety_plan_update(
        membership=psychologist,
        alert=alert,
        done=required,
        note="Acordamos llamar el jueves",
        expected_version=alert.version,
        complete=True,
    )
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.plan_note == "Acordamos llamar el jueves"
    assert sorted(code for code, item in alert.plan_items.items() if item["done"]) == sorted(required)
    # The case no longer requires attention.
    assert (
        "Requiere atención psicosocial"
        not in personas.client("caseworker").get(reverse("cases:detail", args=[case.pk])).content.decode()
    )


def test_a_stale_safety_plan_is_refused_not_silently_overwritten(personas, psychologist, case):
    services.screening_record(
        membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_ITEM_9
    )
    alert = RiskAlert.objects.get(case=case)
    services.alert_acknowledge(membership=psychologist, alert=alert, expected_version=alert.version)
    seen = alert.version
    services.safety_plan_update(
        membership=psychologist, alert=alert, done=["contacts"], note="", expected_version=seen
    )
    with pytest.raises(services.StaleCase):
        services.safety_plan_update(
            membership=psychologist, alert=alert, done=[], note="", expected_version=seen
        )


def test_the_safety_plan_is_data_with_country_items_after_the_common_ones():
    gt, cr = safety_plan_checklist("GT"), safety_plan_checklist("CR")
    assert [i["code"] for i in gt][:-1] == [i["code"] for i in cr][:-1]
    assert gt[-1]["code"] == "gt_hospital" and cr[-1]["code"] == "cr_hospital"
    assert all(item["label"]["es"] and item["label"]["en"] for item in gt + cr)


# -- escalation --------------------------------------------------------------------------------------


def test_an_alert_nobody_acknowledges_escalates_once_after_the_configured_time(
    personas, psychologist, case, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.INCLUYE_ALERT_ESCALATION_HOURS = 4
    time_machine.move_to(local_moment("2026-11-25 09:00"))
    services.screening_record(
        membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_ITEM_9
    )
    time_machine.move_to(local_moment("2026-11-25 12:59"))
    assert services.alerts_escalate() == 0
    time_machine.move_to(local_moment("2026-11-25 13:01"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    alert = RiskAlert.objects.get(case=case)
    assert alert.escalated_at is not None
    assert personas.admin.user.email in [m.to[0] for m in mail.outbox]
    assert all("Cux" not in m.body for m in mail.outbox)
    assert services.alerts_escalate() == 0  # once
    assert ActionLogEntry.objects.filter(action="incluye.alert.escalated").count() == 1
    home = personas.client("admin").get(reverse("home")).content.decode()
    assert "Nadie atendió una alerta de riesgo en 4 horas" in home


def test_an_acknowledged_alert_never_escalates(personas, psychologist, case, time_machine):
    time_machine.move_to(local_moment("2026-11-25 09:00"))
    services.screening_record(
        membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_ITEM_9
    )
    alert = RiskAlert.objects.get(case=case)
    services.alert_acknowledge(membership=psychologist, alert=alert, expected_version=alert.version)
    time_machine.move_to(local_moment("2026-11-25 09:00") + datetime.timedelta(days=2))
    assert services.alerts_escalate() == 0


def test_only_psychosocial_staff_of_the_case_acknowledge(personas, psychologist, case):
    from django.core.exceptions import PermissionDenied

    from incluye.core.testing import make_organization

    services.screening_record(
        membership=psychologist, case=case, instrument_code="PHQ-9", answers=PHQ9_ITEM_9
    )
    alert = RiskAlert.objects.get(case=case)
    for membership in (personas.caseworker, make_member(make_organization("Otra ONG"), Role.PSYCHOSOCIAL)):
        with pytest.raises(PermissionDenied):
            services.alert_acknowledge(membership=membership, alert=alert, expected_version=alert.version)
