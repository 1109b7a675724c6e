import pytest
from django.urls import reverse

from incluye.accounts.models import Membership, User
from incluye.core.models import ActionLogEntry
from incluye.core.testing import enable_totp

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_member_and_the_log_says_who_did_it(personas):
    response = personas.client("admin").post(
        reverse("accounts:members"),
        {
            "email": "Nueva.Gestora@Ejemplo.org",
            "first_name": "Lucía",
            "last_name": "Ajú Coc",
            "role": "caseworker",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nueva.gestora@ejemplo.org")
    assert (membership.organization, membership.role) == (personas.org, "caseworker")
    entry = ActionLogEntry.objects.get(action="incluye.membership.added")
    assert (entry.actor, entry.organization, entry.object) == (personas.admin.user, personas.org, membership)


def test_a_bad_member_form_keeps_what_was_typed_and_says_what_is_wrong(personas):
    response = personas.client("admin").post(
        reverse("accounts:members"), {"email": "no-es-un-correo", "first_name": "Lucía", "role": "caseworker"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="no-es-un-correo"' in page
    assert 'value="Lucía"' in page
    assert "Introduzca una dirección de correo electrónico válida." in page
    assert 'aria-describedby="id_email_error"' in page
    assert not User.objects.filter(email="no-es-un-correo").exists()


def test_changing_a_role_is_logged_with_the_old_and_new_values(personas):
    response = personas.client("admin").post(
        reverse("accounts:member_edit", args=[personas.staff.pk]),
        {"role": "caseworker", "is_active": "on", "version": 1},
    )
    assert response.status_code == 302
    personas.staff.refresh_from_db()
    assert personas.staff.role == "caseworker"
    entry = ActionLogEntry.objects.get(action="incluye.membership.changed")
    assert entry.data["changes"] == {"role": ["reception_officer", "caseworker"]}
    assert (entry.data["version"], entry.data["fields"]) == (2, ["role"])


def test_saving_a_membership_unchanged_writes_nothing_to_the_log(personas):
    personas.client("admin").post(
        reverse("accounts:member_edit", args=[personas.staff.pk]),
        {"role": "reception_officer", "is_active": "on", "version": 1},
    )
    assert not ActionLogEntry.objects.filter(action="incluye.membership.changed").exists()


def test_a_user_of_two_organizations_switches_the_one_they_work_as(personas):
    second = Membership.objects.create(
        user=personas.staff.user, organization=personas.employer_org, role="employer"
    )
    client = personas.client("staff")
    response = client.post(reverse("accounts:switch"), {"membership": second.pk}, follow=True)
    assert "Constructora Ejemplo" in response.content.decode()
    assert client.get(reverse("people:list")).status_code == 403  # an employer now
    assert ActionLogEntry.objects.filter(
        action="incluye.membership.switched", actor=personas.staff.user
    ).exists()


def test_nobody_can_switch_into_someone_elses_membership(personas):
    response = personas.client("staff").post(reverse("accounts:switch"), {"membership": personas.outsider.pk})
    assert response.status_code == 404


def test_the_action_log_page_filters_by_action_and_is_in_spanish(personas):
    admin = personas.client("admin")
    admin.post(
        reverse("accounts:member_edit", args=[personas.staff.pk]),
        {"role": "caseworker", "is_active": "on", "version": 1},
    )
    page = admin.get(
        reverse("accounts:action_log"), {"action": "incluye.membership.changed"}
    ).content.decode()
    assert "Cambió el rol o el acceso de un miembro" in page
    assert page.count("<tr>") == 2  # header + one entry


def test_the_action_log_of_one_organization_is_not_shown_to_another(personas):
    personas.client("admin").post(
        reverse("accounts:member_edit", args=[personas.staff.pk]),
        {"role": "caseworker", "is_active": "on", "version": 1},
    )
    page = personas.client("outsider_admin").get(reverse("accounts:action_log")).content.decode()
    assert "Ninguna entrada coincide" in page
    assert "<td>Cambió el rol" not in page


def test_without_a_choice_a_user_works_as_the_membership_that_can_change_records(personas):
    Membership.objects.create(
        user=personas.employer.user, organization=personas.org, role="caseworker", read_only=True
    )
    enable_totp(personas.employer.user)  # a caseworker membership, even read only, needs a second factor
    client = personas.client("employer")
    session = client.session
    del session["incluye_membership_id"]
    session.save()
    page = client.get(reverse("home")).content.decode()
    assert "Está trabajando como Persona empleadora" in page


def test_a_role_is_named_in_the_grammatical_gender_the_person_chose(personas):
    admin = personas.client("admin")
    page = admin.get(reverse("accounts:members")).content.decode()
    assert "Persona gestora de casos" in page  # nothing said: the neutral form
    response = admin.post(
        reverse("accounts:member_edit", args=[personas.caseworker.pk]),
        {
            "role": "caseworker",
            "grammatical_gender": "feminine",
            "is_active": "on",
            "version": personas.caseworker.version,
        },
    )
    assert response.status_code == 302
    page = admin.get(reverse("accounts:members")).content.decode()
    assert "<td>Gestora de casos</td>" in page
    home = personas.client("caseworker").get(reverse("home")).content.decode()
    assert "Está trabajando como Gestora de casos" in home
    entry = ActionLogEntry.objects.filter(action="incluye.membership.changed").latest("pk")
    assert entry.data["changes"]["grammatical_gender"] == ["", "feminine"]


def test_an_administrator_names_the_psychosocial_lead(personas):
    from incluye.accounts.roles import Role
    from incluye.core.testing import make_member

    psychologist = make_member(personas.org, Role.PSYCHOSOCIAL)
    client = personas.client("admin")
    url = reverse("accounts:member_edit", args=[psychologist.pk])
    data = {"role": Role.PSYCHOSOCIAL, "is_active": "on", "is_psychosocial_lead": "on", "version": 1}
    assert client.post(url, data).status_code == 302
    psychologist.refresh_from_db()
    assert psychologist.is_psychosocial_lead
    # Only a psychosocial professional can be the lead.
    refused = client.post(
        reverse("accounts:member_edit", args=[personas.caseworker.pk]),
        {"role": Role.CASEWORKER, "is_active": "on", "is_psychosocial_lead": "on", "version": 1},
    )
    assert refused.status_code == 400
    assert "Solo un profesional psicosocial puede ser responsable psicosocial." in refused.content.decode()
    personas.caseworker.refresh_from_db()
    assert not personas.caseworker.is_psychosocial_lead
