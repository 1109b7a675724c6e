"""Referrals across the alliance: the service directory, sending a referral with the person's
consent and only the fields the sender chose, the receiving organization's side (the snapshot,
never the case or the person), the pipeline each side may move, consent withdrawn or expired,
overdue referrals first, and lists whose cost does not grow with their length."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.cases import services as case_services
from incluye.core.models import ActionLogEntry, Division
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.testing import client_for, make_member, make_organization, navigation_counted
from incluye.people.models import Consent
from incluye.people.services import consent_record, person_register
from incluye.referrals import services
from incluye.referrals.models import Referral, Service

pytestmark = pytest.mark.django_db
REASON = "Refiere pesadillas desde la detención; necesita acompañamiento psicosocial."


@pytest.fixture
def receiver_org(db):
    return make_organization("Fundación Puentes", country="GT")


@pytest.fixture
def receiver(receiver_org):
    return make_member(receiver_org, Role.PSYCHOSOCIAL)


@pytest.fixture
def service(receiver_org):
    return Service.objects.create(
        organization=receiver_org, name="Acompañamiento psicosocial", kind="psychosocial"
    )


@pytest.fixture
def municipality(db):
    return Division.objects.filter(country_id="GT", level=2).order_by("code").first()


def register(personas, given_names="María José", *, municipality=None):
    return person_register(
        membership=personas.staff,
        given_names=given_names,
        first_surname="Pérez",
        second_surname="Xitumul",
        phone="55551234",
        nationality_id="GT",
        residence=municipality,
        languages=["quc", "es"],
    )


def consent(personas, person, *, given=True, expires_on=None):
    return consent_record(
        membership=personas.staff,
        person=person,
        purpose="alliance_sharing",
        given=given,
        method="signed_form",
        expires_on=expires_on,
    )


def open_case(personas, person):
    return case_services.case_open(membership=personas.caseworker, person=person)


@pytest.fixture
def person(personas, municipality):
    person = register(personas, municipality=municipality)
    consent(personas, person)
    return person


@pytest.fixture
def case(personas, person):
    return open_case(personas, person)


def send(personas, case, service, fields=("given_names", "phone"), reason=REASON):
    return services.referral_send(
        membership=personas.caseworker, case=case, service=service, shared_fields=list(fields), reason=reason
    )


@pytest.fixture
def referral(personas, case, service):
    return send(personas, case, service)


# Sending ---------------------------------------------------------------------------------------


def test_sending_without_consent_is_refused_with_a_clear_message(personas, service):
    person = register(personas, "Sin Consentimiento")
    case = open_case(personas, person)
    client = personas.client("caseworker")
    url = reverse("referrals:new", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="consent-missing"' in page.content.decode()
    response = client.post(url, {"service": service.pk, "shared_fields": ["given_names"], "reason": REASON})
    assert response.status_code == 400
    assert not Referral.objects.exists()
    with pytest.raises(services.ReferralRefused) as refused:
        send(personas, case, service)
    assert refused.value.message == services.consent_missing_message()


def test_a_refused_consent_counts_as_no_consent(personas, service):
    person = register(personas, "Rechazó")
    consent(personas, person, given=False)
    with pytest.raises(services.ReferralRefused):
        send(personas, open_case(personas, person), service)


def test_sending_with_consent_creates_a_referral_with_only_the_chosen_fields(personas, case, service):
    response = personas.client("caseworker").post(
        reverse("referrals:new", args=[case.pk]),
        {"service": service.pk, "shared_fields": ["given_names", "phone"], "reason": REASON},
    )
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.shared_fields == ["given_names", "phone"]
    assert (referral.given_names, referral.phone, referral.reason) == ("María José", "55551234", REASON)
    assert (referral.surnames, referral.municipality, referral.preferred_language) == ("", None, "")
    assert (referral.from_organization, referral.to_organization) == (personas.org, service.organization)
    assert (referral.status, referral.sent_by) == ("sent", personas.caseworker.user)
    entry = ActionLogEntry.objects.get(action="incluye.referral.sent")
    assert entry.data == {
        "service": service.pk,
        "to_organization": service.organization_id,
        "fields": ["given_names", "phone"],
    }
    logged = json.dumps(list(ActionLogEntry.objects.values("data")), ensure_ascii=False)
    assert "María" not in logged and "55551234" not in logged and "pesadillas" not in logged


def test_every_shareable_field_can_be_shared(personas, case, service, municipality):
    referral = send(
        personas,
        case,
        service,
        fields=["given_names", "surnames", "phone", "municipality", "preferred_language"],
    )
    assert (referral.surnames, referral.municipality, referral.preferred_language) == (
        "Pérez Xitumul",
        municipality,
        "quc",
    )


def test_a_referral_tells_the_service_the_language_the_person_prefers_not_the_first_recorded(
    personas, service
):
    person = register(personas, "Rosa Elvira")
    person.languages, person.preferred_language = ["es", "quc"], "quc"
    person.save()
    consent(personas, person)
    case = open_case(personas, person)
    form = personas.client("caseworker").get(reverse("referrals:new", args=[case.pk])).content.decode()
    assert "Idioma preferido: K&#x27;iche&#x27;" in form
    referral = send(personas, case, service, fields=["given_names", "preferred_language"])
    assert referral.preferred_language == "quc"
    page = personas.client("caseworker").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Español, K&#x27;iche&#x27; · prefiere K&#x27;iche&#x27;" in page


def test_a_field_outside_the_allow_list_is_never_shared(personas, case, service):
    with pytest.raises(ValueError):
        send(personas, case, service, fields=["given_names", "birth_date"])
    response = personas.client("caseworker").post(
        reverse("referrals:new", args=[case.pk]),
        {"service": service.pk, "shared_fields": ["birth_date"], "reason": REASON},
    )
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_the_refer_form_offers_only_active_services_of_other_organizations_of_the_country(
    personas, case, service
):
    own = Service.objects.create(organization=personas.org, name="Nuestro albergue", kind="shelter")
    abroad = Service.objects.create(organization=personas.outsider_org, name="Albergue SV", kind="shelter")
    closed = Service.objects.create(
        organization=service.organization, name="Cerrado", kind="health", is_active=False
    )
    client = personas.client("caseworker")
    url = reverse("referrals:new", args=[case.pk])
    offered = list(client.get(url).context["form"].fields["service"].queryset)
    assert offered == [service]
    for other in (own, abroad, closed):
        response = client.post(url, {"service": other.pk, "shared_fields": ["given_names"], "reason": REASON})
        assert response.status_code == 400
        with pytest.raises(services.ReferralRefused):
            send(personas, case, other)
    assert not Referral.objects.exists()


def test_only_caseworkers_and_administrators_send_referrals(personas, case, service):
    url = reverse("referrals:new", args=[case.pk])
    assert personas.client("staff").get(url).status_code == 403
    assert personas.client("admin").get(url).status_code == 200
    # A case of another organization is a 404, whatever the role.
    assert personas.client("outsider_admin").get(url).status_code == 404


def test_the_outcome_is_due_fourteen_days_after_sending_or_after_the_services_own_delay(
    personas, case, service, receiver_org
):
    today = timezone.localdate()
    assert send(personas, case, service).outcome_due_on == today + timedelta(days=14)
    slow = Service.objects.create(
        organization=receiver_org, name="Asesoría legal", kind="legal", outcome_due_days=30
    )
    assert send(personas, case, slow).outcome_due_on == today + timedelta(days=30)


# The receiving side ------------------------------------------------------------------------------


def test_the_receiving_organization_sees_the_snapshot_but_gets_404_on_the_case_and_the_person(
    personas, referral, receiver
):
    client = client_for(receiver)
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "María José" in html and "55551234" in html and "pesadillas" in html
    assert "Xitumul" not in html  # the surnames were not shared
    assert reverse("cases:detail", args=[referral.case_id]) not in html
    assert client.get(reverse("cases:detail", args=[referral.case_id])).status_code == 404
    assert client.get(reverse("people:detail", args=[referral.case.person_id])).status_code == 404
    listed = client.get(reverse("referrals:list") + "?tab=received").content.decode()
    assert "María José" in listed
    assert ActionLogEntry.objects.filter(
        action="incluye.referral.viewed", organization=receiver.organization
    ).exists()


def test_a_third_organization_gets_404_on_the_referral(personas, referral):
    third = make_member(make_organization("Otra ONG de Guatemala", country="GT"), Role.ADMINISTRATOR)
    for member in (third, personas.outsider_admin):
        client = client_for(member)
        assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
        for action in ("accept", "decline", "complete", "cancel"):
            response = client.post(
                reverse(f"referrals:{action}", args=[referral.pk]), {"reason": "x", "outcome": "x"}
            )
            assert response.status_code == 404
        assert "María" not in client.get(reverse("referrals:list") + "?tab=received").content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_only_the_receiver_can_accept_decline_and_complete_and_only_along_the_pipeline(
    personas, referral, receiver
):
    sender, receiving = personas.client("caseworker"), client_for(receiver)
    url = lambda action: reverse(f"referrals:{action}", args=[referral.pk])  # noqa: E731

    def seen(**data):  # what the page sent back: the data typed and the version it showed
        return {**data, "version": Referral.objects.get(pk=referral.pk).version}

    assert sender.post(url("accept"), seen()).status_code == 403
    assert sender.post(url("complete"), seen(outcome="Atendida")).status_code == 403
    # Completing before accepting is not along the pipeline.
    response = receiving.post(url("complete"), seen(outcome="Atendida"))
    assert response.status_code == 400
    assert "Una referencia no puede pasar de “Enviada” a “Completada”." in response.content.decode()
    assert receiving.post(url("accept"), seen()).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.accepted_at is not None) == ("accepted", True)
    assert receiving.post(url("decline"), seen(reason="Sin cupo")).status_code == 400
    assert sender.post(url("cancel"), seen()).status_code == 400  # the sender may cancel only while "sent"
    assert receiving.post(url("complete"), seen(outcome="")).status_code == 400  # an outcome is required
    assert receiving.post(url("complete"), seen(outcome="Recibió cinco sesiones.")).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "Recibió cinco sesiones.")
    assert (
        "Recibió cinco sesiones."
        in sender.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    )
    logged = [
        (
            action,
            {
                k: v
                for k, v in data.items()
                if k not in ("record", "version") and (k != "fields" or "service" in data)
            },
        )
        for action, data in ActionLogEntry.objects.filter(action__startswith="incluye.referral.")
        .exclude(action="incluye.referral.viewed")
        .order_by("pk")
        .values_list("action", "data")
    ]
    assert logged == [
        (
            "incluye.referral.sent",
            {
                "service": referral.service_id,
                "to_organization": referral.to_organization_id,
                "fields": ["given_names", "phone"],
            },
        ),
        ("incluye.referral.accepted", {"from": "sent", "to": "accepted"}),
        ("incluye.referral.completed", {"from": "accepted", "to": "completed"}),
    ]


def test_the_receiver_declines_with_a_reason(personas, referral, receiver):
    client = client_for(receiver)
    version = referral.version
    decline = reverse("referrals:decline", args=[referral.pk])
    assert client.post(decline, {"reason": "", "version": version}).status_code == 400
    client.post(decline, {"reason": "Sin cupo este mes.", "version": version})
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "Sin cupo este mes.")
    with pytest.raises(TransitionNotAllowed):
        services.referral_accept(membership=receiver, referral=referral)


def test_the_sender_may_cancel_only_while_the_referral_is_sent(personas, case, service, receiver):
    first, second = send(personas, case, service), send(personas, case, service)
    client = personas.client("caseworker")
    assert (
        client_for(receiver).post(reverse("referrals:cancel", args=[first.pk]), {"version": 1}).status_code
        == 403
    )
    assert client.post(reverse("referrals:cancel", args=[first.pk]), {"version": 1}).status_code == 302
    first.refresh_from_db()
    assert first.status == "cancelled"
    services.referral_accept(membership=receiver, referral=second)
    assert client.post(reverse("referrals:cancel", args=[second.pk]), {"version": 2}).status_code == 400
    second.refresh_from_db()
    assert second.status == "accepted"


def test_the_buttons_shown_are_those_of_each_side(personas, referral, receiver):
    sender_page = (
        personas.client("caseworker").get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    )
    receiver_page = client_for(receiver).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert reverse("referrals:cancel", args=[referral.pk]) in sender_page
    assert reverse("referrals:accept", args=[referral.pk]) not in sender_page
    assert reverse("referrals:accept", args=[referral.pk]) in receiver_page
    assert reverse("referrals:decline", args=[referral.pk]) in receiver_page
    assert reverse("referrals:cancel", args=[referral.pk]) not in receiver_page
    read_only = make_member(receiver.organization, Role.CASEWORKER, read_only=True)
    read_only_page = (
        client_for(read_only).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    )
    assert reverse("referrals:accept", args=[referral.pk]) not in read_only_page
    assert client_for(read_only).post(reverse("referrals:accept", args=[referral.pk])).status_code == 403


# Consent withdrawn or expired -------------------------------------------------------------------


def test_withdrawing_consent_hides_the_snapshot_from_the_receiver_from_that_moment_and_blocks_new_referrals(
    personas, person, case, referral, service, receiver
):
    receiving = client_for(receiver)
    detail = reverse("referrals:detail", args=[referral.pk])
    assert "María José" in receiving.get(detail).content.decode()
    consent(personas, person, given=False)

    html = receiving.get(detail).content.decode()
    assert "María José" not in html and "55551234" not in html and "pesadillas" not in html
    assert 'data-testid="status"' in html and "Enviada" in html  # status and dates stay
    listed = receiving.get(reverse("referrals:list") + "?tab=received").content.decode()
    assert "María José" not in listed
    assert services.steps_for(membership=receiver, referral=referral) == ["accepted", "declined"]
    # The sender still sees what it shared, and is told the receiver no longer does.
    assert "María José" in personas.client("caseworker").get(detail).content.decode()
    # No new referral.
    with pytest.raises(services.ReferralRefused):
        send(personas, case, service)
    response = personas.client("caseworker").post(
        reverse("referrals:new", args=[case.pk]),
        {"service": service.pk, "shared_fields": ["given_names"], "reason": REASON},
    )
    assert response.status_code == 400
    assert Referral.objects.count() == 1
    # Consent given again: sharing resumes.
    consent(personas, person)
    assert "María José" in receiving.get(detail).content.decode()


def test_an_expired_consent_counts_as_no_consent(personas, person, case, referral, service, receiver):
    latest = Consent.objects.filter(person=person).first()
    # Time passes: the consent reaches its expiry date.
    Consent.objects.filter(pk=latest.pk).update(expires_on=timezone.localdate())
    assert (
        "María José"
        not in client_for(receiver).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    )
    with pytest.raises(services.ReferralRefused):
        send(personas, case, service)
    other = register(personas, "Vence Mañana")
    consent(personas, other, expires_on=timezone.localdate() + timedelta(days=1))
    assert send(personas, open_case(personas, other), service).given_names == "Vence Mañana"


# Lists ------------------------------------------------------------------------------------------


def _referral_for(personas, service, name):
    person = register(personas, name)
    consent(personas, person)
    return send(personas, open_case(personas, person), service)


def test_overdue_referrals_are_listed_first_on_both_sides(personas, service, receiver):
    overdue = _referral_for(personas, service, "Atrasada")
    done_late = _referral_for(personas, service, "Completada")
    recent = _referral_for(personas, service, "Reciente")
    yesterday = timezone.localdate() - timedelta(days=1)
    Referral.objects.filter(pk__in=[overdue.pk, done_late.pk]).update(outcome_due_on=yesterday)
    services.referral_accept(membership=receiver, referral=done_late)
    services.referral_complete(membership=receiver, referral=done_late, outcome="Listo")
    for client, tab in ((personas.client("caseworker"), "sent"), (client_for(receiver), "received")):
        response = client.get(reverse("referrals:list") + f"?tab={tab}")
        listed = [r.pk for r in response.context["page"]]
        assert listed == [overdue.pk, recent.pk, done_late.pk]
        assert response.context["overdue"][tab] == 1
        assert 'class="urgent"' in response.content.decode()


def test_the_lists_issue_a_constant_number_of_queries_whatever_their_length(personas, service, receiver):
    def count(client, tab):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("referrals:list") + f"?tab={tab}").status_code == 200
        return len(queries)

    sender, receiving = (
        navigation_counted(personas.client("caseworker")),
        navigation_counted(client_for(receiver)),
    )
    for i in range(2):
        _referral_for(personas, service, f"Persona {i}")
    short = {tab: count(client, tab) for client, tab in ((sender, "sent"), (receiving, "received"))}
    for i in range(2, 8):
        _referral_for(personas, service, f"Persona {i}")
    Referral.objects.filter(given_names="Persona 3").update(
        municipality=Division.objects.filter(level=2).first()
    )
    long = {tab: count(client, tab) for client, tab in ((sender, "sent"), (receiving, "received"))}
    assert long == short


def test_roles_without_referrals_do_not_see_the_lists(personas):
    assert personas.client("staff").get(reverse("referrals:list")).status_code == 403
    assert personas.client("employer").get(reverse("referrals:list")).status_code == 403


# Service directory ------------------------------------------------------------------------------


def test_the_directory_shows_the_countrys_active_services_filtered_by_kind_and_municipality(
    personas, service, municipality
):
    Service.objects.create(
        organization=personas.org, name="Trámite de DPI", kind="documents", municipality=municipality
    )
    Service.objects.create(
        organization=personas.org, name="Servicio cerrado", kind="documents", is_active=False
    )
    Service.objects.create(
        organization=personas.outsider_org, name="Servicio de El Salvador", kind="documents"
    )
    client = personas.client("staff")
    url = reverse("referrals:directory")
    names = lambda response: [s.name for s in response.context["services"]]  # noqa: E731
    assert names(client.get(url)) == ["Acompañamiento psicosocial", "Trámite de DPI"]
    assert names(client.get(url, {"kind": "documents"})) == ["Trámite de DPI"]
    assert names(client.get(url, {"municipality": municipality.code})) == ["Trámite de DPI"]
    assert names(personas.client("employer").get(url)) == ["Acompañamiento psicosocial", "Trámite de DPI"]
    assert names(personas.client("outsider").get(url)) == ["Servicio de El Salvador"]


def test_an_administrator_manages_the_organizations_services_and_every_change_is_logged(
    personas, service, municipality
):
    admin = personas.client("admin")
    response = admin.post(
        reverse("referrals:service_new"),
        {
            "name": "Certificación en construcción",
            "kind": "training",
            "municipality": municipality.code,
            "audience": "Personas mayores de 18 años",
            "outcome_due_days": 30,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Service.objects.get(name="Certificación en construcción")
    assert (created.organization, created.municipality, created.outcome_due_days) == (
        personas.org,
        municipality,
        30,
    )
    edit = reverse("referrals:service_edit", args=[created.pk])
    admin.post(
        edit, {"name": created.name, "kind": "training", "outcome_due_days": 21, "version": created.version}
    )
    created.refresh_from_db()
    assert (created.outcome_due_days, created.is_active, created.municipality) == (21, False, None)
    assert [
        (action, data.get("kind") or sorted(data["fields"]))
        for action, data in ActionLogEntry.objects.filter(action__startswith="incluye.service.")
        .order_by("pk")
        .values_list("action", "data")
    ] == [
        ("incluye.service.created", "training"),
        ("incluye.service.changed", ["audience", "is_active", "municipality", "outcome_due_days"]),
    ]
    # Another organization's service is a 404; a role that does not manage services, a 403.
    assert admin.get(reverse("referrals:service_edit", args=[service.pk])).status_code == 404
    assert personas.client("caseworker").get(edit).status_code == 403
    assert personas.client("caseworker").get(reverse("referrals:service_new")).status_code == 403


def test_a_case_lists_its_own_referrals_for_the_sending_organization_only(personas, case, referral, receiver):
    from incluye.referrals.selectors import referrals_of_case

    assert list(referrals_of_case(membership=personas.caseworker, case=case)) == [referral]
    assert list(referrals_of_case(membership=receiver, case=case)) == []
    assert list(referrals_of_case(membership=personas.staff, case=case)) == []  # no referrals.view
