"""The indicator engine on hand-built records: each figure counted by hand."""

import calendar
import datetime

import pytest
from django.utils import timezone

from incluye.cases.models import Case, CaseDocument, CaseStageChange, Screening
from incluye.core.models import Division
from incluye.core.testing import local_moment, make_organization
from incluye.impact import indicators
from incluye.impact.filters import IndicatorFilter
from incluye.people.models import Person, ReturnEvent

pytestmark = pytest.mark.django_db


def municipality(country="GT", index=0):
    deepest = max(Division.objects.filter(country_id=country).values_list("level", flat=True))
    return Division.objects.filter(country_id=country, level=deepest).order_by("code")[index]


def make_person(
    org, *, sex="M", born=(1990, 6, 15), arrived=(2025, 3, 10), household=3, residence=None, case_org=None
):
    person = Person.objects.create(
        organization=org,
        given_names="Persona",
        first_surname="Prueba",
        sex=sex,
        birth_date=datetime.date(*born) if born else None,
        nationality_id=org.country_id,
        residence=residence or municipality(org.country_id),
        household_size=household,
    )
    if arrived:
        ReturnEvent.objects.create(person=person, organization=org, arrived_on=datetime.date(*arrived))
    if case_org:
        Case.objects.create(person=person, organization=case_org)
    return person


@pytest.fixture
def orgs(db):
    from incluye.core.services import country_load

    country_load(code="GT")
    return {
        "reception": make_organization("Centro de Recepción", kind="reception_center", sector="public"),
        "ngo": make_organization("ONG Retorno"),
    }


def gt(**kwargs):
    return IndicatorFilter(country="GT", **kwargs)


def test_people_directly_reached_are_unique_people_with_a_service(orgs):
    make_person(orgs["reception"])
    make_person(orgs["reception"], case_org=orgs["ngo"])  # a return and a case: counted once
    make_person(orgs["reception"], arrived=None)  # registered, never served: not reached
    make_person(orgs["reception"], arrived=None, case_org=orgs["ngo"])  # a case only: reached
    assert indicators.total("people_reached_direct", gt())[0] == 3


def test_people_are_counted_in_the_month_of_their_first_service(orgs):
    make_person(orgs["reception"], arrived=(2024, 11, 3))
    person = make_person(orgs["reception"], arrived=(2025, 2, 1))
    ReturnEvent.objects.create(
        person=person, organization=orgs["reception"], arrived_on=datetime.date(2025, 8, 1)
    )
    result = indicators.compute("people_reached_direct", gt(), ("month",))
    assert result == {(datetime.date(2024, 11, 1),): (1, 1), (datetime.date(2025, 2, 1),): (1, 1)}
    assert (
        indicators.total(
            "people_reached_direct", gt(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31))
        )[0]
        == 1
    )


def test_indirect_reach_counts_the_other_household_members(orgs, settings):
    make_person(orgs["reception"], household=4)
    make_person(orgs["reception"], household=1)
    make_person(orgs["reception"], household=None)
    assert indicators.total("people_reached_indirect", gt())[0] == 3
    settings.INCLUYE_DEFAULT_HOUSEHOLD_SIZE = 5  # unknown households assumed of five
    assert indicators.total("people_reached_indirect", gt())[0] == 7


def test_sex_age_group_and_department_are_computed_in_sql(orgs):
    other_department = next(
        d
        for d in Division.objects.filter(country_id="GT", level=2).order_by("code")
        if d.parent_id != municipality().parent_id
    )
    make_person(
        orgs["reception"], sex="F", born=(2008, 3, 11), arrived=(2025, 3, 10)
    )  # 16 the day before: 0-17
    make_person(orgs["reception"], sex="F", born=(2007, 3, 10), arrived=(2025, 3, 10))  # 18 that very day
    make_person(
        orgs["reception"], sex="M", born=(1980, 1, 1), arrived=(2025, 3, 10), residence=other_department
    )
    make_person(orgs["reception"], sex="M", born=None)
    by = indicators.compute("people_reached_direct", gt(), ("sex", "age_group"))
    assert by == {
        ("F", "0-17"): (1, 1),
        ("F", "18-24"): (1, 1),
        ("M", "45-59"): (1, 1),
        ("M", "unknown"): (1, 1),
    }
    departments = indicators.compute("people_reached_direct", gt(), ("department",))
    assert departments == {(municipality().parent_id,): (3, 3), (other_department.parent_id,): (1, 1)}
    assert indicators.total("people_reached_direct", gt(sex="F", age_group="18-24"))[0] == 1
    assert indicators.total("people_reached_direct", gt(department=other_department.parent_id))[0] == 1


def test_the_country_and_organization_filters_scope_the_records(orgs):
    from incluye.core.services import country_load

    country_load(code="SV")
    sv = make_organization("Recepción SV", country="SV", kind="reception_center", sector="public")
    make_person(orgs["reception"])
    make_person(orgs["ngo"])
    make_person(sv)
    assert indicators.total("people_reached_direct", gt())[0] == 2
    assert indicators.total("people_reached_direct", gt(organization=orgs["ngo"].pk))[0] == 1
    assert indicators.total("people_reached_direct", IndicatorFilter(country="SV"))[0] == 1


def test_pathway_documents_screenings_and_referrals(orgs):
    person = make_person(orgs["reception"], case_org=orgs["ngo"])
    case = person.cases.get()
    for status in ("reception", "documents", "psychosocial", "documents"):
        CaseStageChange.objects.create(case=case, to_status=status)
    CaseDocument.objects.create(case=case, code="dpi", name={"es": "DPI"}, status="obtained")
    CaseDocument.objects.create(case=case, code="birth", name={"es": "Partida"}, status="requested")
    Screening.objects.create(
        case=case,
        instrument="rhs-15",
        version="1",
        answers={},
        total=3,
        band="",
        positive=False,
        suggested_level="",
    )
    stages = indicators.compute("pathway_entries", gt(), ("category",))
    assert stages == {
        ("reception",): (1, 1),
        ("documents",): (1, 1),
        ("psychosocial",): (1, 1),
    }  # once per stage
    assert indicators.total("documents_obtained", gt())[0] == 1
    assert indicators.total("screenings", gt())[0] == 1

    from incluye.referrals.models import Referral, Service

    registry = make_organization("RENAP", kind="registry", sector="public")
    service = Service.objects.create(organization=registry, name="DPI", kind="documents")
    Referral.objects.create(
        case=case,
        from_organization=orgs["ngo"],
        service=service,
        to_organization=registry,
        reason="DPI",
        outcome_due_on=timezone.localdate(),
    )
    assert indicators.compute("referrals", gt(), ("category",)) == {("documents",): (1, 1)}


def test_follow_up_scores_are_a_mean_with_the_number_behind_it(orgs):
    from incluye.cases.models import FollowUp

    for score in (0.5, 0.7):
        person = make_person(orgs["reception"], case_org=orgs["ngo"])
        FollowUp.objects.create(
            case=person.cases.get(),
            months=3,
            due_on=timezone.localdate(),
            conducted_at=timezone.now(),
            scores={"composite": score},
        )
    value, n = indicators.total("reintegration_score", gt())
    assert n == 2 and value == pytest.approx(1.2)
    table = indicators.table("reintegration_score", gt(), suppress=False)
    assert table.shown(table.total, table.means["total"]) == 0.6
    assert indicators.table("reintegration_score", gt()).total.shown(5) == "<5"  # two people: hidden


def test_stocks_programs_and_alliance_members(orgs):
    from incluye.alliance.models import AllianceMember, Council
    from incluye.skills.models import CompetencyStandard

    institute = make_organization("INTECAP", kind="certifying_body", sector="public")
    for i, route in enumerate([True, True, False]):
        CompetencyStandard.objects.create(
            body=institute, code=f"S{i}", title_es="x", isco="7000", migrant_route=route
        )
    council = Council.objects.create(country_id="GT", name="Mesa")
    for org in (orgs["reception"], orgs["ngo"], institute):
        AllianceMember.objects.create(council=council, organization=org, joined_on=datetime.date(2020, 1, 1))
    AllianceMember.objects.filter(organization=institute).update(left_on=datetime.date(2024, 1, 1))
    assert (
        indicators.total("programs_institutionalized", gt(start=datetime.date(2030, 1, 1)))[0] == 2
    )  # a stock
    assert indicators.compute("alliance_members", gt(), ("category",)) == {
        ("public",): (1, 1),
        ("civil_society",): (1, 1),
    }


def test_employment_indicators_count_placements_retention_vacancies_and_businesses(orgs):
    from incluye.jobs.models import (
        Application,
        Business,
        BusinessStatusChange,
        Placement,
        RetentionFollowUp,
        Vacancy,
    )
    from incluye.skills.models import Occupation

    employer = make_organization("Constructora", kind="employer", sector="private")
    hired, kept, left = (make_person(orgs["reception"], sex=s) for s in ("M", "F", "M"))
    occupation = Occupation.objects.filter(system="onet").first()
    vacancy = Vacancy.objects.create(
        employer=employer, title="Carpintero", occupation=occupation, positions=3, municipality=municipality()
    )

    def hire(person, started_on):
        application = Application.objects.create(vacancy=vacancy, person=person, status="hired")
        return Placement.objects.create(
            application=application,
            person=person,
            employer=employer,
            started_on=started_on,
            pathway="local_program",
        )

    for person, employed in ((kept, True), (left, False)):
        placement = hire(person, datetime.date(2025, 1, 6))
        for months in (1, 3, 6):
            RetentionFollowUp.objects.create(
                placement=placement,
                months=months,
                due_on=datetime.date(2025, 1, 6),
                done_at=timezone.now(),
                still_employed=employed or months == 1,
            )
    hire(hired, datetime.date(2025, 2, 1))
    business = Business.objects.create(
        person=hired, organization=orgs["ngo"], name="Taller", idea="Soldadura"
    )
    BusinessStatusChange.objects.create(business=business, status="planning", on=datetime.date(2025, 3, 1))
    assert indicators.total("businesses_started", gt())[0] == 0  # a plan is not a business yet
    BusinessStatusChange.objects.create(business=business, status="starting", on=datetime.date(2025, 4, 1))
    BusinessStatusChange.objects.create(business=business, status="operating", on=datetime.date(2025, 6, 1))

    assert indicators.total("placements", gt())[0] == 3
    assert indicators.compute("placements", gt(), ("sex",)) == {("M",): (2, 2), ("F",): (1, 1)}
    assert indicators.total("retention_3m", gt())[0] == 1
    assert indicators.total("retention_6m", gt())[0] == 1
    assert indicators.total("vacancies", gt())[0] == 1
    assert indicators.compute("businesses_started", gt(), ("month",)) == {
        (datetime.date(2025, 4, 1),): (1, 1)
    }


def test_a_compute_function_is_wired_by_registering_it(orgs):
    from incluye.impact import registry
    from incluye.impact.computations import grouped

    previous = registry.COMPUTE["certificates"]
    try:

        @registry.register_indicator("certificates")
        def certificates(flt, group_by):
            return grouped(
                Person.objects.all(), flt, group_by, date=None, person="", organization="organization"
            )

        make_person(orgs["reception"])
        assert indicators.total("certificates", gt())[0] == 1
    finally:
        registry.COMPUTE["certificates"] = previous


def test_the_summary_table_gives_the_same_answers_as_the_records(orgs):
    for i in range(12):
        make_person(
            orgs["reception"],
            sex="FM"[i % 2],
            born=(1970 + 3 * i, 5, 5),
            arrived=(2020 + i % 5, 1 + i % 12, 2),
            household=1 + i % 4,
            case_org=orgs["ngo"] if i % 3 == 0 else None,
        )
    assert not indicators.has_summary("GT")
    indicators.refresh_summary("GT")
    assert indicators.has_summary("GT")
    for flt in (gt(), gt(start=datetime.date(2021, 1, 1), end=datetime.date(2022, 12, 31)), gt(sex="F")):
        for code in ("people_reached_direct", "people_reached_indirect", "pathway_entries"):
            for group_by in ((), ("sex",), ("age_group",), ("month",)):
                live = indicators.compute(code, flt, group_by)
                assert indicators.from_summary(code, flt, group_by) == {
                    k: (float(v), n) for k, (v, n) in live.items()
                }, (code, flt, group_by)


def test_a_table_suppresses_small_cells_with_secondary_suppression(orgs):
    for i in range(14):
        make_person(
            orgs["reception"], sex="F" if i < 2 else "M", born=(1990, 1, 1) if i % 2 else (1960, 1, 1)
        )
    table = indicators.table("people_reached_direct", gt(), "age_group", "sex")
    grid = {label: (cells, total) for label, cells, total in table.grid()}
    assert table.col_keys == ["F", "M"]
    # 35-44: F 1, M 6 ; 60+: F 1, M 6  → both F cells "<5", and the F total (2) too.
    assert grid["35-44"][0][0] == "<5" and grid["60+"][0][0] == "<5"
    assert table.totals_row()[0][0] == "<5"
    assert table.totals_row()[1] == 14
    unsuppressed = indicators.table("people_reached_direct", gt(), "age_group", "sex", suppress=False)
    assert [row[1] for row in unsuppressed.grid()] == [[1, 6], [1, 6]]


@pytest.mark.parametrize(
    ("born", "arrived", "group"),
    [
        ((2008, 2, 29), (2026, 2, 28), "0-17"),  # no 29 February in 2026: 18 only on 1 March
        ((2008, 2, 29), (2026, 3, 1), "18-24"),
        ((2008, 2, 29), (2028, 2, 29), "18-24"),
        ((2008, 12, 31), (2026, 12, 30), "0-17"),
        ((2008, 12, 31), (2026, 12, 31), "18-24"),
        ((2002, 1, 1), (2026, 12, 31), "18-24"),
        ((2002, 1, 1), (2027, 1, 1), "25-34"),
    ],
)
def test_the_age_group_is_the_age_on_the_day_of_the_event(orgs, born, arrived, group):
    make_person(orgs["reception"], born=born, arrived=arrived)
    assert indicators.compute("people_reached_direct", gt(), ("age_group",)) == {(group,): (1, 1)}


@pytest.mark.parametrize(
    ("moment", "month"),
    [
        ("2027-01-31 23:30", datetime.date(2027, 1, 1)),  # 05:30 on 1 February in UTC
        ("2026-12-31 22:00", datetime.date(2026, 12, 1)),  # already 2027 in UTC
        ("2028-02-29 23:59", datetime.date(2028, 2, 1)),
        ("2027-03-01 00:01", datetime.date(2027, 3, 1)),
    ],
)
def test_events_count_in_the_local_month_they_happened(orgs, time_machine, moment, month):
    time_machine.move_to(local_moment(moment), tick=False)
    make_person(orgs["reception"], arrived=None, case_org=orgs["ngo"])
    assert indicators.compute("people_reached_direct", gt(), ("month",)) == {(month,): (1, 1)}
    last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    assert indicators.total("people_reached_direct", gt(start=month, end=last_day))[0] == 1
    assert indicators.total("people_reached_direct", gt(start=last_day + datetime.timedelta(days=1)))[0] == 0
