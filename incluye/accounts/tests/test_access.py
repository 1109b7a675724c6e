"""Role by role, organization by organization: who sees what. A record of another organization
answers 404, exactly like one that does not exist."""

import importlib
import importlib.util
import uuid

import pytest
from django.urls import reverse

from incluye.core.models import Country, IdDocumentType
from incluye.core.testing import tiny_pdf
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db

# Each later app lists its own records and object URLs in <app>/tests/access.py:
# `make_records(personas, person) -> dict` and `urls(personas, records) -> [(method, url)]`.
APP_ACCESS = [
    importlib.import_module(f"incluye.{app}.tests.access")
    for app in ("people", "skills", "certification", "jobs", "alliance", "impact", "participants")
    if importlib.util.find_spec(f"incluye.{app}.tests.access")
]


@pytest.fixture
def person(personas):
    return person_register(
        membership=personas.staff,
        given_names="José Manuel",
        first_surname="Tzul",
        second_surname="Pérez",
        nationality=Country.objects.get(code="GT"),
        documents=[(IdDocumentType.objects.get(country_id="GT", code="DPI"), "2746 13859 0901")],
    )


@pytest.fixture
def records(personas, person):
    """One record of each kind that has its own URL, all belonging to `personas.org`."""
    from django.core.files.base import ContentFile

    from incluye.people.models import (
        DuplicateCandidate,
        DuplicateCluster,
        IntakeDraft,
        ManifestImport,
        PersonMerge,
    )

    other = person_register(
        membership=personas.staff, given_names="Jose", first_surname="Tzul", nationality_id="GT"
    )
    third = person_register(
        membership=personas.staff, given_names="Ana", first_surname="Coc", nationality_id="GT"
    )
    manifest = ManifestImport.objects.create(
        organization=personas.org,
        reference="TA-1",
        arrived_on="2026-11-20",
        file_name="m.csv",
        file_sha256="0",
        file=ContentFile(b"nombres,primer_apellido\nAna,Coc\n", name="m.csv"),
        status="invalid",
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incluye.cases.services import case_open, goal_set, scan_upload, task_create

    case = case_open(membership=personas.caseworker, person=third)
    document = case.documents.first()
    scan = scan_upload(
        membership=personas.caseworker, document=document, upload=SimpleUploadedFile("s.pdf", tiny_pdf("x"))
    )
    from incluye.core.testing import make_organization
    from incluye.people.services import consent_record
    from incluye.referrals.models import Service
    from incluye.referrals.services import referral_send

    consent_record(
        membership=personas.staff, person=third, purpose="alliance_sharing", given=True, method="signed_form"
    )
    partner = make_organization("Fundación Puentes", country="GT")
    referral = referral_send(
        membership=personas.caseworker,
        case=case,
        service=Service.objects.create(organization=partner, name="Albergue", kind="shelter"),
        shared_fields=["given_names"],
        reason="Albergue temporal",
    )
    from incluye.accounts.models import ApiToken
    from incluye.accounts.services import membership_add
    from incluye.core.testing import make_token

    make_token(personas.admin)
    records = {
        "api_token": ApiToken.objects.get(user=personas.admin.user),
        "grant": membership_add(
            actor=personas.admin.user, organization=personas.org, email="psi@ejemplo.org", role="psychosocial"
        ),
        "referral": referral,
        **_pathway_records(personas, partner, person, third, case),
        "service": Service.objects.create(organization=personas.org, name="Trámite de DPI", kind="documents"),
        "goal": goal_set(membership=personas.caseworker, case=case, title="DPI", due_on="2026-12-01"),
        "document": document,
        "scan": scan,
        "case": case,
        "task": task_create(membership=personas.caseworker, case=case, title="Cita", due_on="2026-12-01"),
        "person": person,
        "manifest": manifest,
        "draft": IntakeDraft.objects.create(
            organization=personas.org, created_by=personas.staff.user, data={}
        ),
        "candidate": DuplicateCandidate.objects.create(
            person_a=person, person_b=other, organization=personas.org, match_weight=1, match_probability=0.9
        ),
        "group": DuplicateCluster.objects.create(
            key="access-test", country_id="GT", organization=personas.org, size=2, score=0.9
        ),
        "merge": PersonMerge.objects.create(survivor=person, merged=third, organization=personas.org),
    }
    records["group"].members.add(person, other)
    for module in APP_ACCESS:
        records.update(module.make_records(personas, person))
    return records


def owner_memberships(personas, records, *, by_method=False) -> dict:
    """{url: membership} (with `by_method`, {(method, url): membership}): an app whose records
    belong to another organization (a certifying body, an employer) names the membership that
    opens each of its URLs with `owner(personas, records, url, method)`; every other URL is opened
    in `personas.org`. A URL's methods may belong to different organizations (the body reads an
    enrolment; the person's organization withdraws it): without `by_method`, its GET's owner."""
    owners = {}
    for module in APP_ACCESS:
        if hasattr(module, "owner"):
            for method, url in module.urls(personas, records):
                membership = module.owner(personas, records, url, method)
                if membership is not None and (by_method or method == "get" or url not in owners):
                    owners[(method, url) if by_method else url] = membership
    return owners


def participant_accounts(personas, records) -> dict:
    """{url: participant account}: the person's own pages (/me/) are opened by the participant
    whose record they name (`participant(personas, records, url)` of an app), never by staff."""
    accounts = {}
    for module in APP_ACCESS:
        if hasattr(module, "participant"):
            for _method, url in module.urls(personas, records):
                account = module.participant(personas, records, url)
                if account is not None:
                    accounts[url] = account
    return accounts


def _pathway_records(personas, partner, person, third, case):
    """A handoff, a transfer and an access request sent by `personas.org`, and a risk alert on its
    case: records of the pathway across organizations."""
    from incluye.accounts.roles import Role
    from incluye.cases.services import screening_record
    from incluye.core.testing import make_member
    from incluye.people.services import consent_record
    from incluye.referrals import services as acts

    partner_caseworker = make_member(partner, Role.CASEWORKER)
    consent_record(
        membership=personas.staff, person=person, purpose="alliance_sharing", given=True, method="signed_form"
    )
    theirs = person_register(
        membership=partner_caseworker, given_names="Lesbia", first_surname="Ajcot", nationality_id="GT"
    )
    consent_record(
        membership=partner_caseworker,
        person=theirs,
        purpose="alliance_sharing",
        given=True,
        method="signed_form",
    )
    psychologist = make_member(personas.org, Role.PSYCHOSOCIAL)
    screening = screening_record(
        membership=psychologist,
        case=case,
        instrument_code="PHQ-9",
        answers={"1": 1, "2": 1, "3": 0, "4": 0, "5": 0, "6": 0, "7": 0, "8": 0, "9": 1},
    )
    return {
        "handoff": acts.handoff_send(membership=personas.staff, person=person, to_organization=partner),
        "transfer": acts.transfer_send(
            membership=personas.caseworker, case=case, to_organization=partner, note="Se muda a Xela"
        ),
        "access": acts.access_request_send(membership=personas.caseworker, person=theirs, note="Documentos"),
        "alert": screening.alert,
    }


def object_urls(personas, records):
    """Every URL that names one object, with an object of `personas.org`: (method, url)."""
    person, manifest = records["person"].pk, records["manifest"].pk
    return [
        *_core_urls(personas, records, person, manifest),
        *(u for m in APP_ACCESS for u in m.urls(personas, records)),
    ]


def _core_urls(personas, records, person, manifest):
    return [
        ("get", reverse("people:detail", args=[person])),
        ("get", reverse("people:correct", args=[person])),
        ("post", reverse("people:consent_add", args=[person])),
        ("get", reverse("people:access_report", args=[person])),
        ("get", reverse("people:export_json", args=[person])),
        ("get", reverse("people:export_pdf", args=[person])),
        ("get", reverse("people:erase", args=[person])),
        ("post", reverse("people:draft_discard", args=[records["draft"].pk])),
        ("get", reverse("people:manifest", args=[manifest])),
        ("get", reverse("people:manifest_progress", args=[manifest])),
        ("get", reverse("people:manifest_mapping", args=[manifest])),
        ("post", reverse("people:manifest_import", args=[manifest])),
        ("get", reverse("people:manifest_errors", args=[manifest])),
        ("get", reverse("people:duplicate", args=[records["group"].pk])),
        ("post", reverse("people:duplicate", args=[records["group"].pk])),
        ("post", reverse("people:unmerge", args=[records["merge"].pk])),
        ("get", reverse("cases:detail", args=[records["case"].pk])),
        ("post", reverse("cases:open", args=[person])),
        ("post", reverse("cases:move", args=[records["case"].pk])),
        ("get", reverse("cases:close", args=[records["case"].pk])),
        ("post", reverse("cases:close", args=[records["case"].pk])),
        ("post", reverse("cases:reopen", args=[records["case"].pk])),
        ("post", reverse("cases:note_add", args=[records["case"].pk])),
        ("get", reverse("cases:screening_new", args=[records["case"].pk, "phq-9"])),
        ("post", reverse("cases:task_add", args=[records["case"].pk])),
        ("post", reverse("cases:task_done", args=[records["task"].pk])),
        ("post", reverse("cases:document_update", args=[records["document"].pk])),
        ("post", reverse("cases:scan_upload", args=[records["document"].pk])),
        ("get", reverse("cases:scan_download", args=[records["scan"].pk])),
        ("get", reverse("cases:follow_up", args=[records["case"].follow_ups.first().pk])),
        ("get", reverse("api:referral", args=[records["referral"].pk])),
        ("post", reverse("api:referral_step", args=[records["referral"].pk])),
        ("get", reverse("referrals:new", args=[records["case"].pk])),
        ("get", reverse("referrals:detail", args=[records["referral"].pk])),
        ("post", reverse("referrals:accept", args=[records["referral"].pk])),
        ("post", reverse("referrals:decline", args=[records["referral"].pk])),
        ("post", reverse("referrals:complete", args=[records["referral"].pk])),
        ("post", reverse("referrals:cancel", args=[records["referral"].pk])),
        ("get", reverse("referrals:service_edit", args=[records["service"].pk])),
        ("post", reverse("cases:goal_add", args=[records["case"].pk])),
        ("post", reverse("cases:goal_status", args=[records["goal"].pk])),
        *(
            (method, reverse(f"referrals:{kind}{suffix}", args=[records[kind].pk]))
            for kind in ("handoff", "transfer", "access")
            for method, suffix in (
                ("get", ""),
                ("post", "_accept"),
                ("post", "_decline"),
                ("post", "_cancel"),
                ("post", "_close"),
            )
        ),
        ("get", reverse("referrals:handoff_person", args=[person])),
        ("get", reverse("referrals:transfer_new", args=[records["case"].pk])),
        ("get", reverse("cases:alert", args=[records["alert"].pk])),
        ("post", reverse("cases:alert_acknowledge", args=[records["alert"].pk])),
        ("post", reverse("cases:alert_plan", args=[records["alert"].pk])),
        ("get", reverse("accounts:organization", args=[personas.org.pk])),
        ("get", reverse("accounts:member_edit", args=[personas.staff.pk])),
        ("post", reverse("accounts:api_token_revoke", args=[records["api_token"].pk])),
        ("post", reverse("accounts:role_grant_decide", args=[records["grant"].pk, "approve"])),
        ("get", reverse("api:person", args=[person])),
        ("get", reverse("api:person_returns", args=[person])),
        ("get", reverse("api:person_consents", args=[person])),
        ("get", reverse("api:manifest", args=[manifest])),
        ("post", reverse("api:manifest_import", args=[manifest])),
        ("get", reverse("api:organization", args=[personas.org.pk])),
        ("get", reverse("api:case", args=[records["case"].pk])),
        ("post", reverse("api:case_change", args=[records["case"].pk])),
        ("get", reverse("api:case_notes", args=[records["case"].pk])),
        ("get", reverse("api:case_tasks", args=[records["case"].pk])),
        ("get", reverse("api:case_screenings", args=[records["case"].pk])),
        ("patch", reverse("api:case_document", args=[records["document"].pk])),
    ]


def test_an_outsider_organization_gets_404_on_every_object_url(personas, records):
    outsider_admin = personas.client("outsider_admin")
    outsider = personas.client("outsider")
    for method, url in object_urls(personas, records):
        assert getattr(outsider_admin, method)(url).status_code == 404, url
        assert getattr(outsider, method)(url).status_code == 404, url


def test_the_object_url_list_covers_every_url_with_an_object_id(personas, records):
    """A new object URL must be added to `object_urls`, or this test fails."""
    from django.urls import get_resolver, resolve

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                ns = f"{p.namespace}:" if p.namespace else ""
                yield from walk(p.url_patterns, prefix + ns)
            elif p.name:
                yield prefix + p.name, p.pattern

    covered = {resolve(url).view_name for _method, url in object_urls(personas, records)}
    with_ids = {
        name
        for name, pattern in walk(get_resolver().url_patterns)
        if ("<int:" in str(pattern) or "<uuid:" in str(pattern)) and not name.startswith("admin:")
    }
    # Public by design (published keys, status lists): an app lists them in PUBLIC_URL_NAMES.
    public = {name for m in APP_ACCESS for name in getattr(m, "PUBLIC_URL_NAMES", ())}
    assert with_ids - public == covered


def test_another_participant_gets_404_on_every_own_page_and_sign_in_on_every_staff_page(personas, records):
    from incluye.participants.testing import participant_client

    stranger = participant_client(records["other_participant_account"])
    own_pages = participant_accounts(personas, records)
    assert own_pages
    for method, url in object_urls(personas, records):
        response = getattr(stranger, method)(url)
        if url in own_pages:
            assert response.status_code == 404, url
        else:  # a participant is nobody on staff pages and the API: the sign-in, or refused
            assert response.status_code in (302, 401, 403), (url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("account_login")), url


def test_the_owning_organization_opens_the_same_pages(personas, records):
    from incluye.accounts.roles import Role
    from incluye.core.testing import client_for, make_member
    from incluye.participants.testing import participant_client

    admin = personas.client("admin")
    psychologist = client_for(make_member(personas.org, Role.PSYCHOSOCIAL))
    owners = {url: client_for(m) for url, m in owner_memberships(personas, records).items()}
    owners |= {url: participant_client(a) for url, a in participant_accounts(personas, records).items()}
    for method, url in object_urls(personas, records):
        if method == "get":
            # screenings and risk alerts: psychosocial staff only
            client = psychologist if "screenings/" in url or "/alerts/" in url else owners.get(url, admin)
            assert client.get(url).status_code == 200, url


def test_a_malformed_or_unknown_id_is_a_404_not_a_500(personas):
    staff = personas.client("staff")
    assert staff.get(f"/people/{uuid.uuid4()}/").status_code == 404
    assert staff.get("/api/v1/people/not-a-uuid/").status_code == 404
    assert staff.get(reverse("accounts:organization", args=[999999])).status_code == 404


def test_an_employer_cannot_see_the_registry_of_people(personas, person):
    employer = personas.client("employer")
    assert employer.get(reverse("people:list")).status_code == 403
    assert employer.get(reverse("api:people")).status_code == 403
    # One person's page: the employer cannot even learn that the record exists.
    assert employer.get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert employer.get(reverse("api:person", args=[person.pk])).status_code == 404


def test_people_lists_show_only_the_organizations_own_people(personas, person):
    outsider_person = person_register(
        membership=personas.outsider, given_names="Karla", first_surname="Argueta", nationality_id="SV"
    )
    page = personas.client("staff").get(reverse("people:list")).content.decode()
    assert "Tzul" in page
    assert "Argueta" not in page
    api = personas.client("outsider").get(reverse("api:people")).json()
    assert [p["id"] for p in api["results"]] == [str(outsider_person.pk)]


def test_a_read_only_member_sees_people_but_cannot_add_members(personas, person):
    readonly = personas.client("readonly")
    assert readonly.get(reverse("people:detail", args=[person.pk])).status_code == 200
    assert readonly.get(reverse("accounts:members")).status_code == 403
    assert readonly.get(reverse("accounts:member_edit", args=[personas.staff.pk])).status_code == 403


def test_only_administrators_read_the_action_log(personas):
    assert personas.client("admin").get(reverse("accounts:action_log")).status_code == 200
    for name in ("staff", "caseworker", "readonly", "employer"):
        assert personas.client(name).get(reverse("accounts:action_log")).status_code == 403, name


def test_anonymous_visitors_are_sent_to_sign_in(db):
    from django.test import Client

    response = Client().get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Client().get(reverse("api:people")).status_code in (401, 403)


def test_a_user_without_organization_is_told_to_ask_for_one(db):
    from django.test import Client

    from incluye.accounts.models import User

    user = User.objects.create_user(email="nadie@test.incluye.org", password="Una-Clave-Larga-2026")
    client = Client()
    client.force_login(user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:no_membership")
    assert "todavía no pertenece" in response.content.decode().lower()
