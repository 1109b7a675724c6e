import pytest
from django.core.management import call_command

from incluye.accounts.models import Membership, Organization
from incluye.accounts.roles import Role
from incluye.core.phones import clean_phone
from incluye.people.models import IdentityDocument, Person
from incluye.workspace.pathway_demo import ARRIVALS

pytestmark = pytest.mark.django_db


def test_the_demo_builds_four_alliances_one_user_per_role_and_participants(capsys):
    call_command("demo", people=200)
    output = capsys.readouterr().out
    assert set(Organization.objects.values_list("country_id", flat=True)) == {"GT", "SV", "HN", "CR"}
    for country in ("GT", "SV", "HN", "CR"):
        kinds = set(Organization.objects.filter(country_id=country).values_list("kind", flat=True))
        assert {"reception_center", "ngo", "ministry", "certifying_body", "employer"} <= kinds
        assert Organization.objects.filter(country_id=country, kind="employer").count() == 3
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for email in Membership.objects.values_list("user__email", flat=True):
        assert email in output
    assert "Incluye-Demo-2026" in output
    # The generated participants, the named arrivals the pathway's demo puts on the day's lists,
    # and a few participants registered a second time at the Guatemalan center.
    from incluye.people.demo import SECOND_REGISTRATIONS
    from incluye.people.models import DuplicateCluster

    arrivals = sum(len(people) for people in ARRIVALS.values())
    assert Person.objects.filter(organization__kind="reception_center").count() == 200 + arrivals + len(
        SECOND_REGISTRATIONS
    )
    groups = DuplicateCluster.objects.filter(
        organization__country_id="GT", organization__kind="reception_center"
    )
    assert sorted(groups.values_list("size", flat=True)) == [2, 2, 3]


def test_the_demo_ngo_has_cases_at_several_stages_and_the_directory_has_services():
    from incluye.cases.models import Case
    from incluye.referrals.models import Service

    call_command("demo", people=0, quiet_accounts=True)
    # The NGO's own participants (the pathway's demo adds a case of a person handed off to it).
    stages = sorted(
        Case.objects.filter(
            organization__name="Asociación Caminos de Retorno",
            person__organization__name="Asociación Caminos de Retorno",
        ).values_list("status", flat=True)
    )
    assert stages == sorted(
        ["reception", "psychosocial", "documents", "documents", "competencies", "employment"] * 2
    )
    assert Service.objects.filter(organization__country_id="SV").count() == 4
    assert Service.objects.filter(organization__country_id="SV", kind="mh_emergency").count() == 1


def test_demo_participants_have_valid_ids_phones_and_two_surnames_mostly():
    call_command("demo", people=400, quiet_accounts=True)
    for document in IdentityDocument.objects.select_related("document_type__country"):
        assert document.document_type.clean_number(document.number) == document.number
    for person in Person.objects.exclude(phone="").select_related("nationality")[:100]:
        assert clean_phone(person.phone, region=person.nationality.phone_region) == person.phone
    people = Person.objects.all()
    with_two = people.exclude(second_surname="").count()
    assert with_two / people.count() > 0.85
    assert people.filter(residence__isnull=False).count() == people.count()


def test_guatemalan_demo_participants_include_maya_surnames():
    from incluye.people.generate import NAMES

    call_command("demo", people=400, quiet_accounts=True)
    maya = {name for name, _ in NAMES["surnames"]["maya"]}
    gt = Person.objects.filter(nationality_id="GT")
    assert gt.filter(first_surname__in=maya).count() > 0.15 * gt.count()


def test_demo_participants_speak_spanish_and_the_languages_their_countrys_desks_ask_about():
    from incluye.core.models import Country
    from incluye.people.generate import NAMES
    from incluye.people.models import Language

    call_command("demo", people=400, quiet_accounts=True)
    generated = Person.objects.filter(organization__kind="reception_center").exclude(languages=[])
    assert generated.count() >= 400
    for person in generated.select_related("nationality"):
        assert person.languages[0] == "es"
        assert set(person.languages) <= set(Language.asked_in(person.nationality))
    guatemalans = list(generated.filter(nationality_id="GT"))
    maya = {name for name, _ in NAMES["surnames"]["maya"]}
    speaks_maya = [len(set(p.languages) - {"es", "en"}) > 0 for p in guatemalans]
    share = sum(speaks_maya) / len(guatemalans)
    with_maya_surname = [s for p, s in zip(guatemalans, speaks_maya, strict=True) if p.first_surname in maya]
    assert 0.05 < share < 0.5
    assert sum(with_maya_surname) / len(with_maya_surname) > share
    assert any("en" in p.languages for p in guatemalans)
    preferring = [p for p in guatemalans if p.preferred_language]
    assert preferring and all(p.preferred_language in p.languages[1:] for p in preferring)
    assert Country.objects.get(pk="GT").languages  # the list the check reads


def test_running_the_demo_again_creates_nothing_twice():
    call_command("demo", people=100, quiet_accounts=True)
    counts = (Organization.objects.count(), Membership.objects.count(), Person.objects.count())
    call_command("demo", people=100, quiet_accounts=True)
    assert (Organization.objects.count(), Membership.objects.count(), Person.objects.count()) == counts


def test_every_demo_account_lands_on_an_inbox_with_work_in_it(settings):
    from django.test import Client
    from django.urls import reverse

    settings.INCLUYE_REQUIRE_MFA = False  # the second factor has its own tests
    call_command("demo", people=0, quiet_accounts=True)
    emails = sorted(
        set(
            Membership.objects.filter(user__email__endswith="@demo.incluye.org").values_list(
                "user__email", flat=True
            )
        )
    )
    assert len(emails) >= 13
    for email in emails:
        client = Client()
        client.force_login(Membership.objects.filter(user__email=email).first().user)
        response = client.get(reverse("home"))
        assert response.status_code == 200, email
        assert response.context["sections"], f"{email} lands on an empty inbox"


def test_the_demo_spreads_people_along_the_pathway_across_organizations():
    from incluye.cases.models import AlertStatus, RiskAlert
    from incluye.jobs.models import Application, RetentionFollowUp
    from incluye.referrals.models import AccessRequest, ActStatus, Handoff

    call_command("demo", people=0, quiet_accounts=True)
    statuses = sorted(Handoff.objects.filter(person__nationality_id="GT").values_list("status", flat=True))
    assert statuses == sorted([ActStatus.SENT, ActStatus.SENT, ActStatus.DECLINED, ActStatus.ACCEPTED])
    assert RiskAlert.objects.filter(status=AlertStatus.OPEN).count() == 1
    assert AccessRequest.objects.filter(status=ActStatus.SENT).count() == 1
    assert Application.objects.filter(status="invited").count() == 1
    # It waits for the demo participant, who answers it themselves at /me/.
    assert (
        Application.objects.filter(status="invited", person__participant_account__isnull=False).count() == 1
    )
    assert RetentionFollowUp.objects.filter(months=1, done_at__isnull=True).count() == 1
    # Running it again adds nothing.
    call_command("demo", people=0, quiet_accounts=True)
    assert Handoff.objects.count() == 4


def test_the_demo_participant_signs_in_at_their_own_page_with_a_certificate_and_an_invitation(
    capsys, settings, django_capture_on_commit_callbacks
):
    import re

    from django.test import Client
    from django.urls import reverse

    from incluye.core import notify
    from incluye.workspace.participant_demo import DEMO_PHONE

    settings.INCLUYE_SMS_BACKEND = "incluye.core.notify.LocmemSMSBackend"
    call_command("demo", people=50)
    assert DEMO_PHONE in capsys.readouterr().out
    notify.outbox.clear()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("me:sign_in"), {"country": "GT", "phone": DEMO_PHONE})
    code = re.search(r"\b(\d{6})\b", notify.outbox[-1].body).group(1)
    assert client.post(reverse("me:code"), {"code": code})["Location"] == reverse("me:home")
    assert "Aceptar" in client.get(reverse("me:job", args=[_invited(DEMO_PHONE)])).content.decode()
    assert "Descargar el certificado" in client.get(reverse("me:certificates")).content.decode()


def _invited(phone):
    from incluye.jobs.models import Application

    return Application.objects.filter(person__phone=phone, status="invited").first().pk
