"""Duplicates as people: pairs grouped into groups (never joining two identity numbers, nor records
reviewed as different people), reviewed and merged as a whole in one action that an administrator
undoes at once, and "check duplicates now" in the background with the time of the last check."""

import datetime
import re

import pyarrow as pa
import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from incluye.core.models import ActionLogEntry, IdDocumentType
from incluye.people import duplicates
from incluye.people.deduplication import Group, find_duplicates, group_key, pairs_to_keep
from incluye.people.models import (
    DuplicateCandidate,
    DuplicateCluster,
    DuplicateSearch,
    DuplicateStatus,
    Person,
    PersonMerge,
    ReturnEvent,
    SearchStatus,
)
from incluye.people.services import return_event_record

pytestmark = pytest.mark.django_db


def add(org, given, first, second="", born="1990-05-17", *, sex="M", dpi=None, nationality="GT", **fields):
    person = Person.objects.create(
        organization=org,
        given_names=given,
        first_surname=first,
        second_surname=second,
        birth_date=datetime.date.fromisoformat(born),
        sex=sex,
        nationality_id=nationality,
        **fields,
    )
    if dpi:
        document_type = IdDocumentType.objects.get(country_id="GT", is_national_id=True)
        person.documents.create(document_type=document_type, number=dpi)
    return person


# -- grouping (plain) ------------------------------------------------------------------------------


def test_linked_records_become_one_group_with_its_weakest_link_as_score():
    groups = duplicates.cluster_pairs([0, 1, 5], [1, 2, 6], [0.99, 0.93, 0.97])
    assert [(g.members, round(g.score, 2)) for g in groups] == [([5, 6], 0.97), ([0, 1, 2], 0.93)]
    assert groups[1].density == pytest.approx(2 / 3)  # 0-2 is not linked directly


def test_a_group_never_holds_two_identity_numbers_nor_records_reviewed_apart():
    # 1 links 0 (number A) and 2 (number B): 2 joins nobody's group with A.
    groups = duplicates.cluster_pairs(
        [0, 1], [1, 2], [0.99, 0.98], national_ids={0: "2746138590901", 2: "1111111110101"}
    )
    assert [g.members for g in groups] == [[0, 1]]
    # A typo in the number is still one person's.
    groups = duplicates.cluster_pairs([0], [1], [0.99], national_ids={0: "2746138590901", 1: "2746138590911"})
    assert [g.members for g in groups] == [[0, 1]]
    groups = duplicates.cluster_pairs([0, 1], [1, 2], [0.99, 0.98], distinct=[(0, 2)])
    assert [g.members for g in groups] == [[0, 1]]


def test_a_record_without_a_second_surname_does_not_bridge_two_people_whose_surnames_differ():
    # "José García" is linked to "José García Monterroso" and to "José Nery García Sactic": one of
    # them, not both (the stronger link wins).
    surnames = {0: ("garcia", "monterroso"), 2: ("garcia", "sactic")}
    groups = duplicates.cluster_pairs([0, 1], [1, 2], [0.99, 0.98], own_surnames=surnames)
    assert [g.members for g in groups] == [[0, 1]]
    # Swapped, or with a typo in each, they are the same two surnames: one person.
    surnames = {0: ("tzul", "caal"), 2: ("cal", "tzl")}
    groups = duplicates.cluster_pairs([0, 1], [1, 2], [0.99, 0.98], own_surnames=surnames)
    assert [g.members for g in groups] == [[0, 1, 2]]
    # A direct link between two records with both surnames is the model's to weigh.
    surnames = {0: ("garcia", "monterroso"), 1: ("garcia", "sactic")}
    groups = duplicates.cluster_pairs([0], [1], [0.99], own_surnames=surnames)
    assert [g.members for g in groups] == [[0, 1]]


def own_given(names: str) -> tuple:
    return tuple((token, frozenset(duplicates.canonical_given(token))) for token in names.split())


def test_a_record_with_one_given_name_does_not_bridge_two_people_whose_given_names_differ():
    # "Nico Hernández" is linked to "Jesús Nicolás Hernández Xicará" and to "Nicolás Mauricio
    # Hernández": one of them, not both (the stronger link wins).
    given = {0: own_given("jesus nicolas"), 2: own_given("nicolas mauricio")}
    groups = duplicates.cluster_pairs([0, 1], [1, 2], [0.99, 0.98], own_given_names=given)
    assert [g.members for g in groups] == [[0, 1]]
    # In the other order, with a typo in each, or a nickname, they are the same two names: one person.
    given = {0: own_given("jose nicolas"), 2: own_given("nicolsa chepe")}
    groups = duplicates.cluster_pairs([0, 1], [1, 2], [0.99, 0.98], own_given_names=given)
    assert [g.members for g in groups] == [[0, 1, 2]]
    # A direct link between two records with two given names each is the model's to weigh.
    given = {0: own_given("jesus nicolas"), 1: own_given("nicolas mauricio")}
    groups = duplicates.cluster_pairs([0], [1], [0.99], own_given_names=given)
    assert [g.members for g in groups] == [[0, 1]]


def test_two_copies_each_with_a_typo_of_the_persons_number_join_the_persons_group():
    # 1 and 2 differ from 0's number by one digit each, from each other by two.
    numbers = {0: "8677058016374", 1: "8677058016347", 2: "8679058016374"}
    groups = duplicates.cluster_pairs([0, 0, 1], [1, 2, 2], [0.99, 0.99, 0.99], national_ids=numbers)
    assert [g.members for g in groups] == [[0, 1, 2]]
    # Without the number typed right, two numbers two characters apart are two people.
    groups = duplicates.cluster_pairs([1], [2], [0.99], national_ids=numbers)
    assert groups == []


def test_a_third_registration_joins_the_persons_group_through_its_links_to_the_two_others():
    # 0 and 1 are one person (a strong link); 2 is linked to each of them only weakly.
    groups = duplicates.cluster_pairs([0, 2, 2], [1, 0, 1], [0.99, 0.8, 0.6], threshold=0.97)
    assert [g.members for g in groups] == [[0, 1, 2]]
    # The two weak links corroborate each other: the chance that one of them is right.
    assert groups[0].score == pytest.approx(1 - 0.2 * 0.4)
    # Two registrations each weakly linked to the same record corroborate each other too.
    groups = duplicates.cluster_pairs([0, 5, 5], [1, 0, 1], [0.99, 0.7, 0.7], threshold=0.97)
    assert [g.members for g in groups] == [[0, 1, 5]]


def test_a_weak_link_alone_makes_no_group_and_joins_no_group():
    assert duplicates.cluster_pairs([0], [1], [0.9], threshold=0.97) == []
    groups = duplicates.cluster_pairs([0, 2], [1, 0], [0.99, 0.9], threshold=0.97)
    assert [g.members for g in groups] == [[0, 1]]
    # Without a threshold every link is a strong one, as before.
    assert [g.members for g in duplicates.cluster_pairs([0], [1], [0.9])] == [[0, 1]]


def test_a_namesake_weakly_linked_to_two_registrations_of_a_person_stays_out():
    # 2 is a namesake: another identity number, or another country with another nationality.
    groups = duplicates.cluster_pairs(
        [0, 2, 2], [1, 0, 1], [0.99, 0.8, 0.8], threshold=0.97, may_support=[True, False, False]
    )
    assert [g.members for g in groups] == [[0, 1]]
    # Corroborated weak links never join two identity numbers either.
    groups = duplicates.cluster_pairs(
        [0, 2, 2],
        [1, 0, 1],
        [0.99, 0.8, 0.8],
        threshold=0.97,
        national_ids={0: "2746138590901", 2: "1111111110101"},
    )
    assert [g.members for g in groups] == [[0, 1]]


def test_a_namesake_of_another_country_and_nationality_stays_out_however_probable_the_link():
    # 2 has 0's every name and a birth date close by, but was registered in Honduras as a Honduran
    # where 0 is a Guatemalan registered in Guatemala: what namesakes look like.
    groups = duplicates.cluster_pairs(
        [0, 2], [1, 0], [0.99, 0.995], threshold=0.97, lone_threshold=0.9, may_link=[True, False]
    )
    assert [g.members for g in groups] == [[0, 1]]
    assert (
        duplicates.cluster_pairs([0], [1], [0.95], threshold=0.97, lone_threshold=0.9, may_link=[False]) == []
    )
    # The same link between records of one country makes the group.
    assert [
        g.members for g in duplicates.cluster_pairs([0], [1], [0.99], threshold=0.97, may_link=[True])
    ] == [[0, 1]]


def test_two_weak_links_that_say_the_same_thing_do_not_corroborate_each_other():
    # 2 agrees with 0 and with 1 on exactly the same fields: 0 and 1 are alike in all they compare.
    alike = ("same given names", "another surname", "same birth year and month")
    groups = duplicates.cluster_pairs(
        [0, 2, 2], [1, 0, 1], [0.99, 0.85, 0.85], threshold=0.97, evidence=[("strong",), alike, alike]
    )
    assert [g.members for g in groups] == [[0, 1]]


def test_two_registrations_left_alone_whose_only_link_is_each_other_become_a_group():
    # A second registration with three mistakes: its one link, to its first, is below the threshold.
    groups = duplicates.cluster_pairs([0], [1], [0.93], threshold=0.97, lone_threshold=0.9)
    assert [(g.members, g.score) for g in groups] == [([0, 1], 0.93)]
    # Less probable than the lone pairs' threshold: no group.
    assert duplicates.cluster_pairs([0], [1], [0.85], threshold=0.97, lone_threshold=0.9) == []
    # Off unless asked for.
    assert duplicates.cluster_pairs([0], [1], [0.93], threshold=0.97) == []


def test_a_record_with_a_second_candidate_or_a_group_is_not_paired_alone():
    # 0 could be 1 or 2: neither weak link is the only one.
    assert duplicates.cluster_pairs([0, 0], [1, 2], [0.93, 0.6], threshold=0.97, lone_threshold=0.9) == []
    # 1 is in a group with 0: 2's weak link to 1 does not join it (a weak link to a group is as often
    # a namesake of the group's person as that person).
    groups = duplicates.cluster_pairs([0, 2], [1, 1], [0.99, 0.93], threshold=0.97, lone_threshold=0.9)
    assert [g.members for g in groups] == [[0, 1]]


def test_a_namesake_born_a_year_apart_stays_out_of_a_lone_pair():
    # Another identity number on each side (or another given name, another birth date, another
    # country with another nationality: may_pair_alone is False) keeps two lone records apart.
    numbers = {0: "2746138590901", 1: "1111111110101"}
    kept_apart = {"threshold": 0.97, "lone_threshold": 0.9}
    assert duplicates.cluster_pairs([0], [1], [0.95], national_ids=numbers, **kept_apart) == []
    assert duplicates.cluster_pairs([0], [1], [0.95], may_pair_alone=[False], **kept_apart) == []
    assert duplicates.cluster_pairs([0], [1], [0.95], distinct=[(0, 1)], **kept_apart) == []


def test_the_job_keeps_the_weak_links_inside_a_group_and_drops_the_others():
    pairs = [
        {"unique_id_l": 0, "unique_id_r": 1, "match_probability": 0.99},
        {"unique_id_l": 2, "unique_id_r": 0, "match_probability": 0.8},
        {"unique_id_l": 7, "unique_id_r": 8, "match_probability": 0.8},  # alone: no group
        {"unique_id_l": 2, "unique_id_r": 1, "match_probability": 0.6},
    ]
    clusters = duplicates.cluster_pairs(
        [p["unique_id_l"] for p in pairs],
        [p["unique_id_r"] for p in pairs],
        [p["match_probability"] for p in pairs],
        threshold=0.97,
    )
    groups = [Group(c.members, None, c.score, c.density, c.links) for c in clusters]
    kept = pairs_to_keep(pairs, groups, 0.97)
    assert [(p["unique_id_l"], p["unique_id_r"]) for p in kept] == [(0, 1), (2, 0), (2, 1)]
    assert [[(kept[i]["unique_id_l"], kept[i]["unique_id_r"]) for i in g.links] for g in groups] == [
        [(0, 1), (2, 0)]
    ]


# -- the search writes groups ---------------------------------------------------------------------


def test_a_person_registered_three_times_is_one_group_in_the_queue(personas):
    original = add(personas.org, "Francisco Javier", "Tzul", "Caal", "1985-06-30", dpi="2746138590901")
    swapped = add(personas.org, "Francisco Javier", "Caal", "Tzul", "1985-06-30")
    nickname = add(personas.org, "Pancho", "Tzul", "", "1985-06-30")
    add(personas.org, "Rosa Amelia", "Menchú", "Batz", "1979-04-19", sex="F")  # somebody else

    run = find_duplicates(organization=personas.org)

    group = DuplicateCluster.objects.get()
    assert set(group.members.values_list("pk", flat=True)) == {original.pk, swapped.pk, nickname.pk}
    assert (group.size, group.organization, group.status) == (3, personas.org, DuplicateStatus.PENDING)
    assert group.score >= duplicates.THRESHOLD
    assert run.groups_created == 1
    assert set(group.pairs.values_list("cluster_id", flat=True)) == {group.pk}
    page = personas.client("staff").get(reverse("people:duplicates")).content.decode()
    assert page.count("Revisar el grupo") == 1
    for person in (original, swapped, nickname):
        assert person.full_name in page


def test_namesakes_with_different_identity_numbers_or_nationalities_are_not_grouped(personas):
    add(personas.org, "María", "López", "García", "1990-01-15", sex="F", dpi="2746138590901")
    add(personas.org, "María", "López", "García", "1990-01-16", sex="F", dpi="1111111110101")
    add(personas.org, "José", "Pérez", "Coc", "1990-03-07", dpi="2839475610101")
    add(personas.org, "José", "Pérez", "Coc", "1990-07-03", nationality="HN", dpi="3021459870108")
    find_duplicates(organization=personas.org)
    assert not DuplicateCluster.objects.exists()


def below_the_threshold(monkeypatch, probability=0.93):
    """The model's own pairs, each scored as a second registration with three mistakes would be:
    below the threshold, above the lone pairs' one (a registry this small scores them near 1)."""
    score_pairs = duplicates.score_pairs

    def scored_lower(*args, **kwargs):
        scored = score_pairs(*args, **kwargs)
        lower = pa.array([probability] * scored.table.num_rows, pa.float64())
        scored.table = scored.table.set_column(
            scored.table.column_names.index("match_probability"), "match_probability", lower
        )
        return scored

    monkeypatch.setattr(duplicates, "score_pairs", scored_lower)


def test_a_second_registration_with_three_mistakes_and_no_other_candidate_joins_its_first(
    personas, monkeypatch
):
    below_the_threshold(monkeypatch)
    first = add(personas.org, "Walter Manuel", "Montero", "Coc", "1999-07-21", dpi="2746138590901")
    again = add(personas.org, "Waltr Manuel", "Montero", "", "1999-07-21")
    add(personas.org, "Rosa Amelia", "Menchú", "Batz", "1979-04-19", sex="F")  # somebody else

    run = find_duplicates(organization=personas.org)

    group = DuplicateCluster.objects.get()
    assert set(group.members.values_list("pk", flat=True)) == {first.pk, again.pk}
    assert group.score == pytest.approx(0.93)
    assert run.groups_created == 1 and group.pairs.count() == 1


def test_a_namesake_born_a_year_apart_or_a_record_with_two_candidates_stays_out(personas, monkeypatch):
    below_the_threshold(monkeypatch)
    # Namesakes, each with an identity number of their own.
    add(personas.org, "María", "López", "García", "1990-01-15", sex="F", dpi="2746138590901")
    add(personas.org, "María", "López", "García", "1991-01-15", sex="F", dpi="1111111110101")
    # Three registrations linked only weakly to each other: no record's link is its only one.
    for born in ("1993-11-02", "1993-11-02", "1993-11-02"):
        add(personas.org, "Wilmer", "Ajú", "Xiloj", born)

    find_duplicates(organization=personas.org)

    assert not DuplicateCluster.objects.exists()


def test_a_group_reviewed_as_different_people_is_never_grouped_again(personas):
    a = add(personas.org, "Wilmer", "Ajú", "Xiloj", "1993-11-02")
    b = add(personas.org, "Wilmer", "Xiloj", "Ajú", "1993-11-02")
    find_duplicates(organization=personas.org)
    group = DuplicateCluster.objects.get()
    response = personas.client("staff").post(
        reverse("people:duplicate", args=[group.pk]), {"decision": "distinct"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == DuplicateStatus.DISTINCT
    again = find_duplicates(organization=personas.org)
    assert again.groups_created == 0
    assert not DuplicateCluster.objects.filter(status=DuplicateStatus.PENDING).exists()
    assert DuplicateCandidate.objects.get(person_a__in=[a, b], person_b__in=[a, b]).status == "distinct"


def test_a_new_run_replaces_a_pending_group_whose_records_changed(personas):
    a = add(personas.org, "Wilmer", "Ajú", "Xiloj", "1993-11-02")
    add(personas.org, "Wilmer", "Xiloj", "Ajú", "1993-11-02")
    find_duplicates(organization=personas.org)
    first = DuplicateCluster.objects.get()
    add(personas.org, "Wilmer", "Ajú", "", "1993-11-02")  # a third registration
    run = find_duplicates(organization=personas.org)
    group = DuplicateCluster.objects.get()
    assert (run.groups_removed, run.groups_created, group.size) == (1, 1, 3)
    assert group.pk != first.pk and a in group.members.all()


# -- review and merge of a group ------------------------------------------------------------------


@pytest.fixture
def three(personas):
    """One woman registered three times, and the group the search would make of them."""
    a = add(personas.org, "Rosa Amelia", "Menchú", "Batz", "1979-04-19", sex="F", dpi="2746138590901")
    b = add(personas.org, "Rosa", "Menchú", "Batz", "1979-04-19", sex="F", phone="+50255551234")
    c = add(personas.org, "Rosa Amelia", "Menchú", "de Cumes", "1979-04-19", sex="F")
    return_event_record(membership=personas.staff, person=b, arrived_on=datetime.date(2025, 3, 1))
    return_event_record(membership=personas.staff, person=c, arrived_on=datetime.date(2026, 1, 9))
    group = DuplicateCluster.objects.create(
        key=group_key([str(p.pk) for p in (a, b, c)]),
        country_id="GT",
        organization=personas.org,
        size=3,
        score=0.95,
        reasons=["same birth date", "married name"],
    )
    group.members.add(a, b, c)
    return a, b, c, group


def test_the_review_shows_every_record_side_by_side_with_the_reasons_in_spanish(personas, three):
    _a, _b, _c, group = three
    page = personas.client("staff").get(reverse("people:duplicate", args=[group.pk])).content.decode()
    for label in ("Registro 1", "Registro 2", "Registro 3", "Registro que se conserva", "Misma persona"):
        assert label in page
    assert "de Cumes" in page and "+502 5555\xa01234" in page
    assert _("same birth date") in page and "apellido de casada" in page


def test_merging_a_group_is_one_action_that_an_administrator_undoes_at_once(personas, three):
    a, b, c, group = three
    response = personas.client("staff").post(
        reverse("people:duplicate", args=[group.pk]),
        {
            "decision": "merge",
            "keep": str(a.pk),
            "same": [str(a.pk), str(b.pk), str(c.pk)],
            "field_phone": str(b.pk),
            "field_second_surname": str(a.pk),
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.given_names, a.second_surname, a.phone) == ("Rosa Amelia", "Batz", "+50255551234")
    assert set(Person.objects.filter(merged_into=a).values_list("pk", flat=True)) == {b.pk, c.pk}
    assert a.returns.count() == 2
    merges = list(PersonMerge.objects.order_by("pk"))
    assert len(merges) == 2 and merges[0].batch == merges[1].batch is not None
    group.refresh_from_db()
    assert group.status == DuplicateStatus.MERGED
    assert ActionLogEntry.objects.filter(action="incluye.duplicates.group_merged").count() == 1
    page = personas.client("admin").get(reverse("people:duplicates")).content.decode()
    assert page.count(">Deshacer</button>") == 1  # one action, one undo

    assert personas.client("staff").post(reverse("people:unmerge", args=[merges[0].pk])).status_code == 403
    assert personas.client("admin").post(reverse("people:unmerge", args=[merges[0].pk])).status_code == 302
    for person in (a, b, c):
        person.refresh_from_db()
        assert person.merged_into is None
    assert (a.phone, a.second_surname) == ("", "Batz")
    assert list(ReturnEvent.objects.filter(person=b).values_list("arrived_on", flat=True)) == [
        datetime.date(2025, 3, 1)
    ]
    group.refresh_from_db()
    assert group.status == DuplicateStatus.PENDING
    assert PersonMerge.objects.filter(undone_at__isnull=True).count() == 0


def test_a_record_left_out_of_the_merge_is_recorded_as_another_person(personas, three):
    a, b, c, group = three
    personas.client("staff").post(
        reverse("people:duplicate", args=[group.pk]),
        {"decision": "merge", "keep": str(a.pk), "same": [str(a.pk), str(b.pk)]},
    )
    c.refresh_from_db()
    assert c.merged_into is None
    apart = DuplicateCandidate.objects.get(person_a__in=[a, c], person_b__in=[a, c])
    assert apart.status == DuplicateStatus.DISTINCT
    merge = PersonMerge.objects.get()
    personas.client("admin").post(reverse("people:unmerge", args=[merge.pk]))
    assert not DuplicateCandidate.objects.filter(pk=apart.pk).exists()  # undone with the merge


def test_a_merge_of_one_record_alone_is_refused_and_keeps_what_was_chosen(personas, three):
    _a, b, _c, group = three
    response = personas.client("staff").post(
        reverse("people:duplicate", args=[group.pk]), {"decision": "merge", "keep": str(b.pk), "same": []}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Elija al menos dos registros que sean de la misma persona." in page
    assert re.search(rf'name="keep" value="{b.pk}"[^>]* checked', page)
    assert not PersonMerge.objects.exists()


def test_another_organization_cannot_see_or_review_a_group(personas, three):
    _a, _b, _c, group = three
    for name in ("outsider", "outsider_admin"):
        assert personas.client(name).get(reverse("people:duplicate", args=[group.pk])).status_code == 404
    assert (
        personas.client("outsider_admin")
        .post(reverse("people:duplicate", args=[group.pk]), {"decision": "distinct"})
        .status_code
        == 404
    )
    group.refresh_from_db()
    assert group.status == DuplicateStatus.PENDING


# -- check duplicates now -----------------------------------------------------------------------


def test_check_now_runs_in_the_background_and_the_queue_shows_when_it_ran(
    personas, django_capture_on_commit_callbacks
):
    add(personas.org, "Wilmer", "Ajú", "Xiloj", "1993-11-02")
    add(personas.org, "Wilmer", "Xiloj", "Ajú", "1993-11-02")
    client = personas.client("staff")
    assert (
        "Todavía no ha terminado ninguna revisión."
        in client.get(reverse("people:duplicates")).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:duplicates_check"))
    assert response.status_code == 302
    search = DuplicateSearch.objects.get()
    assert (search.status, search.organization, search.requested_by) == (
        SearchStatus.DONE,
        personas.org,
        personas.staff.user,
    )
    assert search.finished_at is not None and search.counts["groups_created"] == 1
    page = client.get(reverse("people:duplicates")).content.decode()
    assert "Última revisión:" in page
    assert "Revisar el grupo 1" in page
    assert ActionLogEntry.objects.filter(action="incluye.duplicates.search_requested").exists()


def test_check_now_does_not_start_twice_and_is_for_reviewers_only(personas):
    DuplicateSearch.objects.create(country_id="GT", organization=personas.org, status=SearchStatus.QUEUED)
    client = personas.client("staff")
    response = client.post(reverse("people:duplicates_check"), follow=True)
    assert "Ya hay una revisión en curso para su organización." in response.content.decode()
    assert DuplicateSearch.objects.count() == 1
    assert personas.client("readonly").post(reverse("people:duplicates_check")).status_code == 403
    assert personas.client("employer").post(reverse("people:duplicates_check")).status_code == 403


def test_the_nightly_command_records_each_countrys_search(personas):
    from io import StringIO

    from django.core.management import call_command

    add(personas.org, "Wilmer", "Ajú", "Xiloj", "1993-11-02")
    add(personas.outsider_org, "Elmer", "Tum", "Sut", "1994-05-05")
    out = StringIO()
    call_command("find_duplicates", stdout=out)
    assert sorted(DuplicateSearch.objects.values_list("country_id", "organization_id", "status")) == [
        ("GT", None, "done"),
        ("SV", None, "done"),
    ]
    assert "GT: 1 records" in out.getvalue()
