import datetime

import pytest
from django.urls import reverse

from incluye.core.models import ActionLogEntry, IdDocumentType
from incluye.core.testing import page_text
from incluye.people.deduplication import group_key
from incluye.people.models import DuplicateCandidate, DuplicateCluster, Person, PersonMerge, ReturnEvent
from incluye.people.services import consent_record, person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(personas):
    dpi = IdDocumentType.objects.get(country_id="GT", code="DPI")
    a = person_register(
        membership=personas.staff,
        given_names="José",
        first_surname="López",
        second_surname="Pérez",
        birth_date=datetime.date(1990, 4, 12),
        nationality_id="GT",
        return_event={"arrived_on": datetime.date(2025, 3, 1)},
    )
    b = person_register(
        membership=personas.staff,
        given_names="Jose",
        first_surname="Lopez",
        second_surname="Perez",
        birth_date=datetime.date(1990, 12, 4),
        phone="+50255551234",
        nationality_id="GT",
        documents=[(dpi, "2746138590901")],
        return_event={"arrived_on": datetime.date(2026, 11, 20)},
    )
    consent_record(
        membership=personas.staff, person=b, purpose="case_management", given=True, method="signed_form"
    )
    group = DuplicateCluster.objects.create(
        key=group_key([str(a.pk), str(b.pk)]),
        country_id="GT",
        organization=personas.org,
        size=2,
        score=0.97,
        reasons=["same given names"],
    )
    group.members.add(a, b)
    DuplicateCandidate.objects.create(
        person_a=min(a, b, key=lambda p: str(p.pk)),
        person_b=max(a, b, key=lambda p: str(p.pk)),
        organization=personas.org,
        match_weight=12.0,
        match_probability=0.97,
        cluster=group,
    )
    return a, b, group


def merge_form(a, b, **fields):
    """The review form: `a` stays, both are the same person, and each field named takes the
    value of the record given ("a" or "b")."""
    data = {"decision": "merge", "keep": str(a.pk), "same": [str(a.pk), str(b.pk)]}
    for name, which in fields.items():
        data[f"field_{name}"] = str((a if which == "a" else b).pk)
    return data


def test_the_review_screen_shows_both_records_side_by_side(personas, pair):
    _a, _b, candidate = pair
    page = personas.client("staff").get(reverse("people:duplicate", args=[candidate.pk])).content.decode()
    assert "José" in page and "Jose" in page
    assert "+502 5555\xa01234" in page  # the phone as people write it, the number never split


def test_the_review_screen_shows_dates_the_local_way(personas, pair):
    page = personas.client("staff").get(reverse("people:duplicate", args=[pair[2].pk])).content.decode()
    assert "12/04/1990" in page and "04/12/1990" in page
    assert "1990-04-12" not in page and "1990-12-04" not in page


def test_merging_keeps_the_chosen_values_and_moves_returns_documents_and_consents(personas, pair):
    a, b, candidate = pair
    response = personas.client("staff").post(
        reverse("people:duplicate", args=[candidate.pk]),
        merge_form(a, b, given_names="a", first_surname="a", second_surname="a", birth_date="a", phone="b"),
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.given_names, a.phone, a.birth_date) == ("José", "+50255551234", datetime.date(1990, 4, 12))
    assert b.merged_into == a
    assert a.returns.count() == 2
    assert a.documents.get().number == "2746138590901"
    assert a.consents.count() == 1
    candidate.refresh_from_db()
    assert candidate.status == "merged"
    assert candidate.pairs.get().status == "merged"
    assert ActionLogEntry.objects.filter(action="incluye.person.merged", object_id=str(a.pk)).exists()
    assert ActionLogEntry.objects.filter(
        action="incluye.duplicates.group_merged", object_id=str(a.pk)
    ).exists()


def test_a_merged_record_disappears_from_lists_and_its_page(personas, pair):
    a, b, candidate = pair
    client = personas.client("staff")
    client.post(reverse("people:duplicate", args=[candidate.pk]), merge_form(a, b))
    assert client.get(reverse("people:detail", args=[b.pk])).status_code == 404
    assert "Lopez" not in page_text(client.get(reverse("people:list")))


def test_an_administrator_undoes_a_merge_exactly(personas, pair):
    a, b, candidate = pair
    personas.client("staff").post(
        reverse("people:duplicate", args=[candidate.pk]), merge_form(a, b, given_names="b", phone="b")
    )
    merge = PersonMerge.objects.get()
    assert personas.client("staff").post(reverse("people:unmerge", args=[merge.pk])).status_code == 403
    response = personas.client("admin").post(reverse("people:unmerge", args=[merge.pk]))
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.given_names, a.phone, b.merged_into) == ("José", "", None)
    assert [r.arrived_on for r in ReturnEvent.objects.filter(person=b)] == [datetime.date(2026, 11, 20)]
    assert b.documents.count() == 1 and a.documents.count() == 0
    assert b.consents.count() == 1
    candidate.refresh_from_db()
    assert candidate.status == "pending"
    assert candidate.pairs.get().status == "pending"
    assert ActionLogEntry.objects.filter(action="incluye.person.unmerged").exists()


def test_the_merged_records_case_follows_the_surviving_record_and_comes_back_on_undo(personas, pair):
    from incluye.cases.selectors import cases_visible_to
    from incluye.cases.services import case_open

    a, b, group = pair
    case = case_open(membership=personas.caseworker, person=b)
    personas.client("staff").post(reverse("people:duplicate", args=[group.pk]), merge_form(a, b))
    case.refresh_from_db()
    assert case.person_id == a.pk
    assert list(cases_visible_to(membership=personas.caseworker)) == [case]
    personas.client("admin").post(reverse("people:unmerge", args=[PersonMerge.objects.get().pk]))
    case.refresh_from_db()
    assert case.person_id == b.pk


def test_marking_a_pair_as_different_people_closes_it(personas, pair):
    _a, _b, candidate = pair
    personas.client("staff").post(reverse("people:duplicate", args=[candidate.pk]), {"decision": "distinct"})
    candidate.refresh_from_db()
    assert candidate.status == "distinct"
    assert candidate.pairs.get().status == "distinct"
    assert Person.objects.filter(merged_into__isnull=False).count() == 0


def test_another_organization_cannot_review_or_undo(personas, pair):
    a, b, candidate = pair
    personas.client("staff").post(reverse("people:duplicate", args=[candidate.pk]), merge_form(a, b))
    merge = PersonMerge.objects.get()
    outsider = personas.client("outsider_admin")
    assert outsider.get(reverse("people:duplicate", args=[candidate.pk])).status_code == 404
    assert outsider.post(reverse("people:unmerge", args=[merge.pk])).status_code == 404
