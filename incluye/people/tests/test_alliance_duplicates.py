"""Duplicates across the organizations of a country's alliance: the nightly job finds them, the
administrators of the organizations involved review and merge them (the other organization keeps
working with the person through a shared record), either of them undoes the merge; every read of
another organization's record and every merge is in the action log and the person's report."""

import datetime

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.core.models import ActionLogEntry, IdDocumentType
from incluye.core.testing import client_for, make_member, make_organization, navigation_counted
from incluye.people.deduplication import Scope, find_duplicates, group_key
from incluye.people.merge import OWN_RULE, STAYS, moving_relations, relation_key
from incluye.people.models import (
    AccessReason,
    DuplicateCandidate,
    DuplicateCluster,
    DuplicateStatus,
    Household,
    HouseholdMember,
    ImportedSubmission,
    MigrationStatus,
    Person,
    PersonAccess,
    PersonMerge,
)
from incluye.people.selectors import people_visible_to
from incluye.people.services import consent_record, person_access_grant, person_register

pytestmark = pytest.mark.django_db
DPI = "2746 13859 0901"


@pytest.fixture
def ngo(db):
    return make_organization("Asociación Caminos de Retorno", kind="ngo")


@pytest.fixture
def ngo_admin(ngo):
    return make_member(ngo, Role.ADMINISTRATOR)


def register(membership, *, consent=True, dpi=DPI, **fields):
    defaults = {
        "given_names": "Byron Estuardo",
        "first_surname": "Xitumul",
        "second_surname": "Ajú",
        "birth_date": datetime.date(1988, 3, 14),
        "phone": "+50255509876",
        "nationality_id": "GT",
        "documents": [(IdDocumentType.objects.get(country_id="GT", code="DPI"), dpi)] if dpi else [],
    }
    person = person_register(membership=membership, **{**defaults, **fields})
    if consent is not None:
        consent_record(
            membership=membership,
            person=person,
            purpose="alliance_sharing",
            given=consent,
            method="signed_form",
        )
    return person


def cross_group(*people, country="GT"):
    group = DuplicateCluster.objects.create(
        key=group_key(str(p.pk) for p in people), country_id=country, size=len(people), score=0.97
    )
    group.members.add(*people)
    return group


@pytest.fixture
def pair(personas, ngo_admin):
    """The same person registered by the reception centre and by the NGO, both consenting."""
    ours = register(personas.staff)
    theirs = register(ngo_admin, phone="+50255501111")
    return ours, theirs, cross_group(ours, theirs)


# -- the queue ------------------------------------------------------------------------------------


def test_the_nightly_job_puts_a_group_across_organizations_in_both_administrators_queues(personas, ngo_admin):
    ours, theirs = register(personas.staff), register(ngo_admin, phone="+50255501111")
    find_duplicates(scope=Scope("GT"))
    group = DuplicateCluster.objects.get(organization__isnull=True)
    assert set(group.members.all()) == {ours, theirs}
    for client in (personas.client("admin"), client_for(ngo_admin)):
        response = client.get(reverse("people:duplicates_alliance"))
        assert response.status_code == 200
        assert [g.pk for g in response.context["groups"]] == [group.pk]


def test_the_administrator_sees_the_group_with_each_records_organization(personas, pair):
    page = personas.client("admin").get(reverse("people:duplicates_alliance")).content.decode()
    assert "Caminos de Retorno" in page
    assert "su organización" in page
    assert reverse("people:duplicate_alliance", args=[pair[2].pk]) in page


def test_the_duplicates_page_links_to_the_queue_for_administrators_only(personas, pair):
    link = reverse("people:duplicates_alliance")
    assert link in personas.client("admin").get(reverse("people:duplicates")).content.decode()
    assert link not in personas.client("staff").get(reverse("people:duplicates")).content.decode()


def test_an_uninvolved_organization_of_the_country_and_another_country_see_nothing(personas, pair):
    uninvolved = make_member(make_organization("Fundación Puentes"), Role.ADMINISTRATOR)
    group = pair[2]
    for membership in (uninvolved, personas.outsider_admin):
        client = client_for(membership)
        assert client.get(reverse("people:duplicates_alliance")).context["groups"] == []
        assert client.get(reverse("people:duplicate_alliance", args=[group.pk])).status_code == 404
        assert client.post(reverse("people:duplicate_alliance", args=[group.pk]), {}).status_code == 404


@pytest.mark.parametrize("name", ["staff", "caseworker", "readonly"])
def test_roles_other_than_administrator_are_refused(personas, pair, name):
    client = personas.client(name)
    assert client.get(reverse("people:duplicates_alliance")).status_code == 403
    assert client.get(reverse("people:duplicate_alliance", args=[pair[2].pk])).status_code == 404


@pytest.mark.parametrize("consent", [False, None], ids=["refused", "never-asked"])
def test_without_the_other_persons_consent_the_group_is_only_counted(personas, ngo_admin, consent):
    ours = register(personas.staff)
    theirs = register(ngo_admin, consent=consent)
    group = cross_group(ours, theirs)
    response = personas.client("admin").get(reverse("people:duplicates_alliance"))
    assert response.context["groups"] == []
    assert response.context["hidden"] == 1
    page = response.content.decode()
    assert "1 grupo más no se muestra" in page
    assert "Xitumul" not in page
    assert (
        personas.client("admin").get(reverse("people:duplicate_alliance", args=[group.pk])).status_code == 404
    )


def test_a_withdrawn_consent_hides_the_group(personas, ngo_admin, pair):
    _ours, theirs, group = pair
    client = personas.client("admin")
    assert client.get(reverse("people:duplicate_alliance", args=[group.pk])).status_code == 200
    consent_record(
        membership=ngo_admin, person=theirs, purpose="alliance_sharing", given=False, method="signed_form"
    )
    assert client.get(reverse("people:duplicate_alliance", args=[group.pk])).status_code == 404
    assert client.get(reverse("people:duplicates_alliance")).context["hidden"] == 1


def test_every_record_of_another_organization_shown_is_a_read_in_the_persons_report(personas, ngo, pair):
    _ours, theirs, group = pair
    personas.client("admin").get(reverse("people:duplicates_alliance"))
    personas.client("admin").get(reverse("people:duplicate_alliance", args=[group.pk]))
    reads = ActionLogEntry.objects.filter(action="incluye.duplicates.record_viewed")
    assert sorted(e.data["where"] for e in reads) == ["queue", "review"]
    assert {(e.person_id, e.organization_id) for e in reads} == {(theirs.pk, personas.org.pk)}
    report = client_for(make_member(ngo, Role.ADMINISTRATOR)).get(
        reverse("people:access_report", args=[theirs.pk])
    )
    assert "Vio una ficha de otra organización al revisar posibles duplicados" in report.content.decode()
    assert "Centro de Recepción La Aurora" in report.content.decode()


def test_the_queue_does_not_query_per_group(personas, ngo_admin):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert personas.client("admin").get(reverse("people:duplicates_alliance")).status_code == 200
        return len(captured)

    cross_group(register(personas.staff, dpi=None), register(ngo_admin, dpi=None))
    navigation_counted(personas.client("admin"))
    one = queries()
    for i in range(5):
        cross_group(
            register(personas.staff, dpi=None, given_names=f"Ana {i}"),
            register(ngo_admin, dpi=None, given_names=f"Ana {i}"),
        )
    assert queries() == one


# -- merging and undoing -----------------------------------------------------------------------------


def merge_post(client, group, keep, same):
    return client.post(
        reverse("people:duplicate_alliance", args=[group.pk]),
        {"decision": "merge", "keep": str(keep.pk), "same": [str(p.pk) for p in same]},
    )


def test_merging_keeps_one_record_the_other_organization_works_with(personas, ngo, ngo_admin, pair):
    ours, theirs, group = pair
    response = merge_post(personas.client("admin"), group, ours, [ours, theirs])
    assert response.status_code == 302
    theirs.refresh_from_db()
    group.refresh_from_db()
    assert theirs.merged_into_id == ours.pk
    assert group.status == DuplicateStatus.MERGED
    grant = PersonAccess.objects.get(person=ours, organization=ngo, revoked_at__isnull=True)
    assert grant.reason == AccessReason.MERGE
    # The NGO sees the surviving record in full, and no longer its own merged one.
    assert list(people_visible_to(membership=ngo_admin).filter(pk__in=[ours.pk, theirs.pk])) == [ours]
    assert client_for(ngo_admin).get(reverse("people:detail", args=[ours.pk])).status_code == 200
    merged = ActionLogEntry.objects.filter(action="incluye.duplicates.group_merged").get()
    assert (merged.organization_id, merged.person_id) == (personas.org.pk, ours.pk)
    assert ActionLogEntry.objects.filter(action="incluye.person.merged", data__merged=str(theirs.pk)).exists()


def test_the_other_organizations_administrators_are_told_without_personal_data(
    personas, ngo_admin, pair, django_capture_on_commit_callbacks
):
    ours, theirs, group = pair
    with django_capture_on_commit_callbacks(execute=True):
        merge_post(personas.client("admin"), group, ours, [ours, theirs])
    [message] = [m for m in mail.outbox if ngo_admin.user.email in m.to]
    assert "Centro de Recepción La Aurora" in message.subject
    assert reverse("people:duplicates") in message.body
    for personal in ("Xitumul", "Byron", "2746", "5550"):
        assert personal not in message.subject + message.body
    assert not [m for m in mail.outbox if personas.admin.user.email in m.to]


def test_the_administrator_may_keep_the_other_organizations_record(personas, pair):
    ours, theirs, group = pair
    merge_post(personas.client("admin"), group, theirs, [ours, theirs])
    ours.refresh_from_db()
    assert ours.merged_into_id == theirs.pk
    assert PersonAccess.objects.filter(
        person=theirs, organization=personas.org, reason=AccessReason.MERGE, revoked_at__isnull=True
    ).exists()
    assert personas.client("staff").get(reverse("people:detail", args=[theirs.pk])).status_code == 200


def test_both_organizations_see_the_merge_and_the_other_one_undoes_it(personas, ngo, ngo_admin, pair):
    ours, theirs, group = pair
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    merge = PersonMerge.objects.get()
    for client in (personas.client("admin"), client_for(ngo_admin)):
        actions = client.get(reverse("people:duplicates")).context["actions"]
        assert [a[0].pk for a in actions] == [merge.pk]

    response = client_for(ngo_admin).post(reverse("people:unmerge", args=[merge.pk]))
    assert response.status_code == 302
    theirs.refresh_from_db()
    group.refresh_from_db()
    assert theirs.merged_into_id is None
    assert group.status == DuplicateStatus.PENDING
    assert not PersonAccess.objects.filter(person=ours, organization=ngo, revoked_at__isnull=True).exists()
    assert people_visible_to(membership=ngo_admin).filter(pk=theirs.pk).exists()
    assert not people_visible_to(membership=ngo_admin).filter(pk=ours.pk).exists()
    undone = ActionLogEntry.objects.get(action="incluye.person.unmerged")
    assert (undone.organization_id, undone.actor_id) == (ngo.pk, ngo_admin.user_id)
    ended = ActionLogEntry.objects.get(action="incluye.person.access_ended")
    assert ended.data["why"] == "merge_undone"


def test_undoing_leaves_a_sharing_that_was_there_before_the_merge(personas, ngo, ngo_admin, pair):
    from incluye.people.services import person_access_grant

    ours, theirs, group = pair
    person_access_grant(membership=personas.admin, person=ours, organization=ngo, reason=AccessReason.HANDOFF)
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    client_for(ngo_admin).post(reverse("people:unmerge", args=[PersonMerge.objects.get().pk]))
    assert (
        PersonAccess.objects.get(person=ours, organization=ngo, revoked_at__isnull=True).reason == "handoff"
    )


def test_an_uninvolved_administrator_cannot_undo_the_merge(personas, pair):
    ours, theirs, group = pair
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    uninvolved = make_member(make_organization("Fundación Puentes"), Role.ADMINISTRATOR)
    merge = PersonMerge.objects.get()
    for membership in (uninvolved, personas.outsider_admin):
        assert client_for(membership).post(reverse("people:unmerge", args=[merge.pk])).status_code == 404
    assert personas.client("caseworker").post(reverse("people:unmerge", args=[merge.pk])).status_code == 403


def test_marking_them_as_different_people_keeps_them_apart(personas, pair):
    _ours, _theirs, group = pair
    response = personas.client("admin").post(
        reverse("people:duplicate_alliance", args=[group.pk]), {"decision": "distinct"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == DuplicateStatus.DISTINCT
    assert DuplicateCandidate.objects.get().status == DuplicateStatus.DISTINCT
    assert not PersonAccess.objects.exists()
    assert Person.objects.filter(merged_into__isnull=False).count() == 0


def test_the_other_organizations_case_follows_the_surviving_record_and_comes_back_on_undo(
    personas, ngo, ngo_admin, pair
):
    from incluye.cases.selectors import cases_visible_to
    from incluye.cases.services import case_open

    ours, theirs, group = pair
    ngo_caseworker = make_member(ngo, Role.CASEWORKER)
    case = case_open(membership=ngo_caseworker, person=theirs)
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    case.refresh_from_db()
    assert case.person_id == ours.pk
    assert list(cases_visible_to(membership=ngo_caseworker)) == [case]
    assert client_for(ngo_caseworker).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    # The case stays the NGO's: the reception centre does not see it.
    assert case not in cases_visible_to(membership=personas.caseworker)

    client_for(ngo_admin).post(reverse("people:unmerge", args=[PersonMerge.objects.get().pk]))
    case.refresh_from_db()
    assert case.person_id == theirs.pk
    assert list(cases_visible_to(membership=ngo_caseworker)) == [case]


def test_after_the_merge_the_persons_report_keeps_what_was_read_of_the_merged_record(personas, pair):
    from incluye.people.selectors import access_report

    ours, theirs, group = pair
    personas.client("admin").get(reverse("people:duplicate_alliance", args=[group.pk]))
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    actions = set(access_report(person=ours).values_list("action", flat=True))
    assert {"incluye.duplicates.record_viewed", "incluye.duplicates.group_merged"} <= actions


# -- a merge carries everything that points at the merged record ------------------------------------
# Another organization's sharing of it, the registry's own rows, the other applications' work move to
# the surviving record and come back on undo; nobody's access grows on the way.


@pytest.fixture
def third(db):
    """A third organization of the alliance, which works with the NGO's record of the person."""
    return make_organization("Fundación Puentes", kind="ngo")


def undo(client):
    return client.post(reverse("people:unmerge", args=[PersonMerge.objects.order_by("pk").first().pk]))


@pytest.fixture
def third_shares_theirs(ngo_admin, third, pair):
    """The NGO shared its record with the third organization: (the sharing, a caseworker there)."""
    grant = person_access_grant(
        membership=ngo_admin, person=pair[1], organization=third, reason=AccessReason.ACCESS_REQUEST
    )
    return grant, make_member(third, Role.CASEWORKER)


def test_a_third_organizations_access_to_the_merged_record_moves_to_the_surviving_one(
    personas, pair, third_shares_theirs
):
    ours, theirs, group = pair
    grant, third_member = third_shares_theirs
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    grant.refresh_from_db()
    assert (grant.person_id, grant.reason, grant.revoked_at) == (ours.pk, AccessReason.ACCESS_REQUEST, None)
    assert list(people_visible_to(membership=third_member).filter(pk__in=[ours.pk, theirs.pk])) == [ours]
    assert client_for(third_member).get(reverse("people:detail", args=[ours.pk])).status_code == 200


def test_the_third_organizations_access_comes_back_to_the_merged_record_on_undo(
    personas, ngo_admin, pair, third_shares_theirs
):
    ours, theirs, group = pair
    grant, third_member = third_shares_theirs
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    undo(client_for(ngo_admin))
    grant.refresh_from_db()
    assert (grant.person_id, grant.revoked_at) == (theirs.pk, None)
    assert list(people_visible_to(membership=third_member).filter(pk__in=[ours.pk, theirs.pk])) == [theirs]


def test_a_moved_access_keeps_its_expiry(personas, ngo_admin, third, pair):
    ours, theirs, group = pair
    grant = person_access_grant(
        membership=ngo_admin, person=theirs, organization=third, reason=AccessReason.HANDOFF
    )
    PersonAccess.objects.filter(pk=grant.pk).update(expires_on=datetime.date(2031, 1, 31))
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    [moved] = PersonAccess.objects.filter(person=ours, organization=third)
    assert (moved.pk, moved.expires_on) == (grant.pk, datetime.date(2031, 1, 31))


def test_an_organization_sharing_both_records_keeps_the_survivors_sharing_as_it_was(
    personas, ngo_admin, third, pair
):
    ours, theirs, group = pair
    kept = person_access_grant(
        membership=personas.admin, person=ours, organization=third, reason=AccessReason.HANDOFF
    )
    PersonAccess.objects.filter(pk=kept.pk).update(expires_on=datetime.date(2027, 6, 30))
    other = person_access_grant(
        membership=ngo_admin, person=theirs, organization=third, reason=AccessReason.TRANSFER
    )
    PersonAccess.objects.filter(pk=other.pk).update(expires_on=datetime.date(2031, 1, 31))
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    [active] = PersonAccess.objects.filter(person=ours, organization=third, revoked_at__isnull=True)
    assert (active.pk, active.reason, active.expires_on) == (
        kept.pk,
        AccessReason.HANDOFF,
        datetime.date(2027, 6, 30),
    )
    other.refresh_from_db()
    assert other.person_id == theirs.pk


def test_the_surviving_organization_gets_no_sharing_of_its_own_record(personas, ngo_admin, pair):
    ours, theirs, group = pair
    own = person_access_grant(
        membership=ngo_admin, person=theirs, organization=personas.org, reason=AccessReason.HANDOFF
    )
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    own.refresh_from_db()
    assert own.person_id == theirs.pk
    assert not PersonAccess.objects.filter(person=ours, organization=personas.org).exists()


def test_an_ended_access_stays_where_it_ended(personas, ngo_admin, third, pair):
    from incluye.people.services import person_access_end

    ours, theirs, group = pair
    person_access_grant(membership=ngo_admin, person=theirs, organization=third, reason=AccessReason.HANDOFF)
    person_access_end(membership=ngo_admin, person=theirs, organization=third, why="transferred")
    third_member = make_member(third, Role.CASEWORKER)
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    assert not PersonAccess.objects.filter(person=ours, organization=third).exists()
    assert not people_visible_to(membership=third_member).filter(pk__in=[ours.pk, theirs.pk]).exists()


def test_the_merged_records_migration_status_household_and_submissions_follow_and_come_back(
    personas, ngo, ngo_admin, pair
):
    ours, theirs, group = pair
    status = MigrationStatus.objects.create(
        person=theirs, organization=ngo, country_id="GT", kind="resident", since=datetime.date(2024, 5, 1)
    )
    household = Household.objects.create(organization=ngo)
    child = Person.objects.create(
        organization=ngo, given_names="Ana", first_surname="Xitumul", nationality_id="GT"
    )
    head = HouseholdMember.objects.create(household=household, person=theirs, relationship="head")
    listed = HouseholdMember.objects.create(
        household=household, listed_by=theirs, name="Luis", relationship="child"
    )
    member = HouseholdMember.objects.create(household=household, person=child, listed_by=theirs)
    submission = ImportedSubmission.objects.create(
        organization=ngo, key="kobo:1", fingerprint="f", person=theirs
    )
    rows = (status, head, listed, member, submission)

    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    for row in rows:
        row.refresh_from_db()
    assert status.person_id == head.person_id == submission.person_id == ours.pk
    assert listed.listed_by_id == member.listed_by_id == ours.pk
    assert member.person_id == child.pk

    undo(client_for(ngo_admin))
    for row in rows:
        row.refresh_from_db()
    assert status.person_id == head.person_id == submission.person_id == theirs.pk
    assert listed.listed_by_id == member.listed_by_id == theirs.pk
    assert member.person_id == child.pk


def test_the_merged_records_availability_follows_when_the_survivor_has_none(personas, ngo_admin, pair):
    Availability = apps.get_model("jobs", "Availability")
    ours, theirs, group = pair
    availability = Availability.objects.create(person=theirs)
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    availability.refresh_from_db()
    assert availability.person_id == ours.pk
    undo(client_for(ngo_admin))
    availability.refresh_from_db()
    assert availability.person_id == theirs.pk


def _relations_to_person():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            forward = getattr(field, "concrete", False) or (field.many_to_many and not field.auto_created)
            if forward and field.is_relation and field.related_model is Person:
                yield field


def test_every_relation_to_a_person_either_follows_a_merge_or_is_declared_to_stay():
    """A new model pointing at a person must say what a merge does with it: moved with the surviving
    record (a foreign key or a one-to-one key, which `_move_related` moves), or named in
    `merge.STAYS` with its reason."""
    moved = {relation_key(field) for field in moving_relations()}
    unhandled = []
    for field in _relations_to_person():
        key = relation_key(field)
        if key in STAYS or key in OWN_RULE:
            continue
        if not isinstance(field, models.ForeignKey) or key not in moved:
            unhandled.append(key)
    assert unhandled == []


def test_the_declared_exceptions_name_relations_that_exist():
    existing = {relation_key(field) for field in _relations_to_person()}
    assert set(STAYS) - existing == set()
    assert OWN_RULE - existing == set()
    assert {relation_key(field) for field in moving_relations()} & (set(STAYS) | OWN_RULE) == set()


def test_the_registrys_own_rows_and_the_other_applications_are_all_moved():
    moved = {relation_key(field) for field in moving_relations()}
    assert {
        "people.MigrationStatus.person",
        "people.HouseholdMember.person",
        "people.HouseholdMember.listed_by",
        "people.ImportedSubmission.person",
        "cases.Case.person",
        "jobs.Availability.person",
    } <= moved


# -- the other organization's inbox ---------------------------------------------------------------


def inbox_sections(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {s.key: s for s in response.context["sections"]}, response.content.decode()


def test_the_other_organizations_administrator_finds_the_merge_in_the_inbox_without_personal_data(
    personas, ngo_admin, pair
):
    ours, theirs, group = pair
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    sections, page = inbox_sections(client_for(ngo_admin))
    [item] = sections["alliance_merges"].items
    assert item.title == "Centro de Recepción La Aurora"
    assert item.url == reverse("people:duplicates")
    assert "Registros fusionados por otra organización" in page
    text = f"{item.title} {item.detail}"
    for personal in ("Xitumul", "Byron", "Estuardo", "2746", "5550", "1988"):
        assert personal not in text


def test_the_administrator_who_merged_gets_no_inbox_item(personas, ngo_admin, pair):
    ours, theirs, group = pair
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    assert "alliance_merges" not in inbox_sections(personas.client("admin"))[0]


def test_the_merge_also_reaches_the_inbox_when_the_other_organizations_record_survives(
    personas, ngo_admin, pair
):
    ours, theirs, group = pair
    merge_post(personas.client("admin"), group, theirs, [ours, theirs])
    assert len(inbox_sections(client_for(ngo_admin))[0]["alliance_merges"].items) == 1


def test_the_merge_leaves_the_inbox_once_undone_or_after_two_weeks(personas, ngo_admin, pair, time_machine):
    from incluye.core.testing import local_moment

    time_machine.move_to(local_moment("2026-12-31 22:00"))
    ours, theirs, group = pair
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    time_machine.move_to(local_moment("2027-01-13 09:00"))
    assert "alliance_merges" in inbox_sections(client_for(ngo_admin))[0]
    time_machine.move_to(local_moment("2027-01-15 09:00"))
    assert "alliance_merges" not in inbox_sections(client_for(ngo_admin))[0]
    time_machine.move_to(local_moment("2027-01-13 09:00"))
    client_for(ngo_admin).post(
        reverse("people:unmerge", args=[PersonMerge.objects.order_by("pk").first().pk])
    )
    assert "alliance_merges" not in inbox_sections(client_for(ngo_admin))[0]


@pytest.mark.parametrize("name", ["staff", "caseworker"])
def test_other_roles_of_the_organization_get_no_merge_in_their_inbox(personas, ngo, pair, name):
    ours, theirs, group = pair
    merge_post(personas.client("admin"), group, ours, [ours, theirs])
    member = make_member(ngo, Role.CASEWORKER if name == "caseworker" else Role.RECEPTION_OFFICER)
    assert "alliance_merges" not in inbox_sections(client_for(member))[0]
