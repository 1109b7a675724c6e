"""The built-in indicator formulas, over the records of the people, cases, referrals, skills and
alliance apps. Each is one aggregate query (GROUP BY the requested dimensions), whatever the
number of records.

Dimensions, computed in SQL:
- month: the month of the event that the indicator counts;
- organization: the organization that recorded the event (registered the person, owns the case,
  sent the referral…);
- department: the first-level division of the person's residence (municipality → department via
  its parent; in El Salvador's three levels, the grandparent);
- sex: Person.sex;
- age_group: the person's age on the date of the event (so a figure for a past period does not
  change as people grow older), from the birth date, in AGE_GROUPS;
- category: what the indicator breaks down by itself (stage, document, kind of service, sector…).
"""

import datetime

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Least,
    TruncDate,
    TruncMonth,
)

from incluye.impact.filters import AGE_BOUNDS, IndicatorFilter
from incluye.impact.registry import NOT_AVAILABLE, register_indicator


def _age_group(date_expr: str, birth: str):
    """Case/When over the age in whole years at `date_expr` (both annotated date columns)."""
    return {
        "_ev_y": ExtractYear(date_expr),
        "_ev_m": ExtractMonth(date_expr),
        "_ev_d": ExtractDay(date_expr),
        "_b_y": ExtractYear(birth),
        "_b_m": ExtractMonth(birth),
        "_b_d": ExtractDay(birth),
    }, Case(
        When(**{f"{birth}__isnull": True}, then=Value("unknown")),
        *(When(_age__gte=low, then=Value(label)) for label, low in sorted(AGE_BOUNDS, key=lambda b: -b[1])),
        default=Value("unknown"),
        output_field=CharField(),
    )


def _age_expression():
    before_birthday = Case(
        When(Q(_ev_m__lt=F("_b_m")) | Q(_ev_m=F("_b_m"), _ev_d__lt=F("_b_d")), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return F("_ev_y") - F("_b_y") - before_birthday


def _department(residence: str):
    return Case(
        When(**{f"{residence}__level": 1}, then=F(f"{residence}_id")),
        When(**{f"{residence}__level": 2}, then=F(f"{residence}__parent_id")),
        default=F(f"{residence}__parent__parent_id"),
        output_field=IntegerField(),
    )


def grouped(
    qs,
    flt: IndicatorFilter,
    group_by: tuple,
    *,
    date: str | None,
    person: str | None,
    organization: str,
    country: str | None = None,
    category=None,
    value=None,
    n=None,
) -> dict:
    """Filter `qs` by `flt`, group it by `group_by` and aggregate: {key tuple: (value, n)}.

    `date` names a date annotation or field (the event), `person` the path to the person ("" for
    a Person queryset, None when the records have no person), `organization` the path to the
    organization, `country` the path to the country (default: the organization's)."""
    p = "" if person == "" else f"{person}__" if person else None
    annotations = {}
    if date is not None:
        annotations["_date"] = F(date)
    if p is not None:
        annotations["_department"] = _department(f"{p}residence")
        annotations["_sex"] = F(f"{p}sex")
    if category is not None:
        annotations["_category"] = Cast(category, CharField())
    annotations["_organization"] = F(f"{organization}_id" if "__" not in organization else organization)
    qs = qs.annotate(**annotations)
    needs_age = p is not None and date is not None and ("age_group" in group_by or flt.age_group)
    if needs_age:
        parts, group = _age_group("_date", f"{p}birth_date")
        qs = qs.annotate(**parts).annotate(_age=_age_expression()).annotate(_age_group=group)
    qs = qs.filter(**{country or f"{organization}__country_id": flt.country})
    if date is not None:
        if flt.start:
            qs = qs.filter(_date__gte=flt.start)
        if flt.end:
            qs = qs.filter(_date__lte=flt.end)
    if flt.organization:
        qs = qs.filter(_organization=flt.organization)
    if p is not None:
        if flt.department:
            qs = qs.filter(_department=flt.department)
        if flt.sex:
            qs = qs.filter(_sex=flt.sex)
        if flt.age_group and needs_age:
            qs = qs.filter(_age_group=flt.age_group)
    columns = []
    for dim in group_by:
        if dim == "month":
            if date is None:
                qs = qs.annotate(_month=Value(None, output_field=CharField()))
            else:
                qs = qs.annotate(_month=TruncMonth("_date"))
            columns.append("_month")
        elif dim in ("department", "sex", "age_group") and p is None:
            qs = qs.annotate(**{f"_{dim}": Value(None, output_field=CharField())})
            columns.append(f"_{dim}")
        elif dim == "category" and category is None:
            qs = qs.annotate(_category=Value("", output_field=CharField()))
            columns.append("_category")
        else:
            columns.append(f"_{dim}")
    aggregates = {
        "_value": value if value is not None else Count("pk"),
        "_n": n if n is not None else Count("pk"),
    }
    if not columns:
        row = qs.order_by().aggregate(**aggregates)
        return {(): (row["_value"] or 0, row["_n"] or 0)} if row["_n"] else {}
    rows = qs.order_by().values(*columns).annotate(**aggregates)
    result = {}
    for row in rows:
        key = tuple(_clean(dim, row[c]) for dim, c in zip(group_by, columns, strict=True))
        value_, n_ = row["_value"] or 0, row["_n"] or 0
        if key in result:  # e.g. two distinct raw values folded into one key
            old = result[key]
            value_, n_ = old[0] + value_, old[1] + n_
        result[key] = (value_, n_)
    return result


def _clean(dim, value):
    if dim == "month" and value is not None:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value[:10])
        return value.replace(day=1)
    if value is None and dim in ("sex", "age_group", "category"):
        return ""
    return value


# -- people reached ---------------------------------------------------------------------------


def _first_service(qs):
    """Annotate each person with the date of their first service: the earliest of their first
    return received and their first case opened."""
    from incluye.cases.models import Case as CaseModel
    from incluye.people.models import ReturnEvent

    first_case = Subquery(
        CaseModel.objects.filter(person=OuterRef("pk"))
        .order_by("opened_at")
        .annotate(d=TruncDate("opened_at"))
        .values("d")[:1]
    )
    first_return = Subquery(
        ReturnEvent.objects.filter(person=OuterRef("pk")).order_by("arrived_on").values("arrived_on")[:1]
    )
    qs = qs.annotate(_fc=first_case, _fr=first_return)
    return qs.annotate(_first=Least(Coalesce("_fc", "_fr"), Coalesce("_fr", "_fc"))).filter(
        _first__isnull=False
    )


def _people():
    from incluye.people.models import Person

    return _first_service(Person.objects.filter(merged_into__isnull=True))


@register_indicator("people_reached_direct")
def people_reached_direct(flt, group_by):
    return grouped(_people(), flt, group_by, date="_first", person="", organization="organization")


def default_household_size() -> int:
    return int(getattr(settings, "INCLUYE_DEFAULT_HOUSEHOLD_SIZE", 1))


@register_indicator("people_reached_indirect")
def people_reached_indirect(flt, group_by):
    return grouped(
        _people(),
        flt,
        group_by,
        date="_first",
        person="",
        organization="organization",
        value=Sum(
            Case(
                When(household_size__gt=0, then=F("household_size") - Value(1)),
                default=Value(default_household_size() - 1),
                output_field=IntegerField(),
            )
        ),
    )


# -- cases and their stages ---------------------------------------------------------------------


@register_indicator("pathway_entries")
def pathway_entries(flt, group_by):
    from incluye.cases.models import CaseStageChange

    earlier = CaseStageChange.objects.filter(
        case=OuterRef("case"), to_status=OuterRef("to_status"), changed_at__lt=OuterRef("changed_at")
    )
    qs = CaseStageChange.objects.filter(~Exists(earlier)).annotate(_d=TruncDate("changed_at"))
    return grouped(
        qs,
        flt,
        group_by,
        date="_d",
        person="case__person",
        organization="case__organization",
        category=F("to_status"),
        n=Count("case", distinct=True),
        value=Count("case", distinct=True),
    )


@register_indicator("documents_obtained")
def documents_obtained(flt, group_by):
    from incluye.cases.models import CaseDocument, DocumentStatus

    qs = CaseDocument.objects.filter(status=DocumentStatus.OBTAINED).annotate(_d=TruncDate("updated_at"))
    return grouped(
        qs,
        flt,
        group_by,
        date="_d",
        person="case__person",
        organization="case__organization",
        category=F("code"),
    )


@register_indicator("screenings")
def screenings(flt, group_by):
    from incluye.cases.models import Screening

    qs = Screening.objects.annotate(_d=TruncDate("created_at"))
    return grouped(qs, flt, group_by, date="_d", person="case__person", organization="case__organization")


@register_indicator("referrals")
def referrals(flt, group_by):
    from incluye.referrals.models import Referral

    qs = Referral.objects.annotate(_d=TruncDate("sent_at"))
    return grouped(
        qs,
        flt,
        group_by,
        date="_d",
        person="case__person",
        organization="from_organization",
        category=F("service__kind"),
    )


@register_indicator("skills_profiles")
def skills_profiles(flt, group_by):
    from incluye.skills.models import ProfileStatus, SkillsProfile

    qs = SkillsProfile.objects.filter(status=ProfileStatus.SIGNED, signed_at__isnull=False).annotate(
        _d=TruncDate("signed_at")
    )
    return grouped(qs, flt, group_by, date="_d", person="person", organization="organization")


def _followups():
    from incluye.cases.models import FollowUp

    return FollowUp.objects.filter(conducted_at__isnull=False).annotate(_d=TruncDate("conducted_at"))


@register_indicator("followups_conducted")
def followups_conducted(flt, group_by):
    return grouped(
        _followups(),
        flt,
        group_by,
        date="_d",
        person="case__person",
        organization="case__organization",
        category=F("months"),
    )


@register_indicator("reintegration_score")
def reintegration_score(flt, group_by):
    score = Cast(KT("scores__composite"), FloatField())
    qs = _followups().filter(scores__composite__isnull=False)
    return grouped(
        qs,
        flt,
        group_by,
        date="_d",
        person="case__person",
        organization="case__organization",
        category=F("months"),
        value=Sum(score),
        n=Count("pk"),
    )


# -- stocks: the alliance and its institutions --------------------------------------------------


@register_indicator("programs_institutionalized")
def programs_institutionalized(flt, group_by):
    from incluye.skills.models import CompetencyStandard

    qs = CompetencyStandard.objects.filter(active=True, migrant_route=True)
    return grouped(qs, flt, group_by, date=None, person=None, organization="body")


@register_indicator("alliance_members")
def alliance_members(flt, group_by):
    from incluye.alliance.models import AllianceMember

    qs = AllianceMember.objects.filter(left_on__isnull=True)
    return grouped(
        qs,
        flt,
        group_by,
        date=None,
        person=None,
        organization="organization",
        category=F("organization__sector"),
    )


# -- certification and employment ---------------------------------------------------------------


@register_indicator("assessments")
def assessments(flt, group_by):
    """Candidates assessed: enrolments marked present, on the session's date, at the body."""
    from incluye.certification.models import Attendance, Enrollment

    qs = Enrollment.objects.filter(attendance=Attendance.PRESENT)
    return grouped(qs, flt, group_by, date="session__date", person="person", organization="session__body")


@register_indicator("certificates")
def certificates(flt, group_by):
    """Certificates issued and not revoked, by the certifying body."""
    from incluye.certification.models import Certificate

    qs = Certificate.objects.filter(revoked_at__isnull=True).annotate(_d=TruncDate("issued_at"))
    return grouped(qs, flt, group_by, date="_d", person="person", organization="body")


@register_indicator("vacancies")
def vacancies(flt, group_by):
    """Vacancies posted by the alliance's employers."""
    from incluye.jobs.models import Vacancy

    qs = Vacancy.objects.annotate(_d=TruncDate("created_at"))
    return grouped(qs, flt, group_by, date="_d", person=None, organization="employer")


@register_indicator("placements")
def placements(flt, group_by):
    from incluye.jobs.models import Placement

    return grouped(
        Placement.objects.all(), flt, group_by, date="started_on", person="person", organization="employer"
    )


def _retention(months, flt, group_by):
    """People still employed at the follow-up `months` after the start (dated when it was done)."""
    from incluye.jobs.models import RetentionFollowUp

    qs = RetentionFollowUp.objects.filter(months=months, still_employed=True, done_at__isnull=False).annotate(
        _d=TruncDate("done_at")
    )
    return grouped(
        qs, flt, group_by, date="_d", person="placement__person", organization="placement__employer"
    )


@register_indicator("retention_3m")
def retention_3m(flt, group_by):
    return _retention(3, flt, group_by)


@register_indicator("retention_6m")
def retention_6m(flt, group_by):
    return _retention(6, flt, group_by)


@register_indicator("businesses_started")
def businesses_started(flt, group_by):
    """Businesses that reached "starting" or "operating", dated by the first such status change."""
    from incluye.jobs.models import Business, BusinessStatus, BusinessStatusChange

    first = BusinessStatusChange.objects.filter(
        business=OuterRef("pk"), status__in=[BusinessStatus.STARTING, BusinessStatus.OPERATING]
    ).order_by("on")
    qs = Business.objects.annotate(_d=Subquery(first.values("on")[:1])).filter(_d__isnull=False)
    return grouped(qs, flt, group_by, date="_d", person="person", organization="organization")


def _not_available(flt, group_by):
    """The formula of an indicator whose records this deployment does not hold."""
    return NOT_AVAILABLE


# -- the network ----------------------------------------------------------------------------------


@register_indicator("answered_within_days")
def answered_within_days(flt, group_by):
    """Requests between organizations answered within N days (N: the definition's `within_days`):
    value = answered in time, n = answered or sent at least N days ago, so that value / n is the
    share. Each kind of request is its own aggregate query; the results add up by key."""
    from django.utils import timezone

    from incluye.impact.registry import definition
    from incluye.jobs.models import Application
    from incluye.referrals.models import (
        AccessRequest,
        ActStatus,
        Handoff,
        Referral,
        ReferralStatus,
        RequestKind,
        Transfer,
    )

    within = datetime.timedelta(days=definition("answered_within_days")["within_days"])
    decided_before = timezone.now() - within

    def measure(qs, *, person, organization, kind):
        qs = qs.annotate(_d=TruncDate("_sent")).filter(
            Q(_answered__isnull=False) | Q(_sent__lte=decided_before)
        )
        in_time = Case(
            When(_answered__lte=F("_sent") + within, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return grouped(
            qs,
            flt,
            group_by,
            date="_d",
            person=person,
            organization=organization,
            category=Value(str(kind)),
            value=Sum(in_time),
            n=Count("pk"),
        )

    parts = [
        measure(
            Referral.objects.exclude(status=ReferralStatus.CANCELLED).annotate(
                _sent=F("sent_at"), _answered=Coalesce("accepted_at", "declined_at")
            ),
            person="case__person",
            organization="to_organization",
            kind=RequestKind.REFERRAL,
        ),
        measure(
            Application.objects.filter(answer_due_on__isnull=False)
            .exclude(status="withdrawn")
            .annotate(_sent=F("created_at"), _answered=F("answered_at")),
            person="person",
            organization="person__organization",
            kind=RequestKind.INVITATION,
        ),
    ]
    for model, kind in (
        (Handoff, RequestKind.HANDOFF),
        (Transfer, RequestKind.TRANSFER),
        (AccessRequest, RequestKind.ACCESS_REQUEST),
    ):
        parts.append(
            measure(
                model.objects.exclude(status=ActStatus.CANCELLED).annotate(
                    _sent=F("sent_at"), _answered=F("answered_at")
                ),
                person="person",
                organization="to_organization",
                kind=kind,
            )
        )
    result: dict = {}
    for part in parts:
        for key, (value, n) in part.items():
            old = result.get(key, (0, 0))
            result[key] = (old[0] + value, old[1] + n)
    return result


# -- populations: returnees, refugees, asylum seekers, other migrants (protection-sensitive) ------


def population_expression(person: str = ""):
    """Case/When over a Person path: refugee or asylum seeker by the migration status that holds
    today (in the country served), returnee for a national of the country served, other migrant
    for any other foreigner."""
    from django.utils import timezone

    from incluye.people.models import MigrationStatus, Population, StatusKind

    p = f"{person}__" if person else ""
    today = timezone.localdate()
    status = Subquery(
        MigrationStatus.objects.filter(
            person=OuterRef(f"{p}pk" if p else "pk"),
            since__lte=today,
            country=OuterRef(f"{p}organization__country"),
        )
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .order_by("-since", "-created_at")
        .values("kind")[:1]
    )
    return status, Case(
        When(_status=StatusKind.REFUGEE, then=Value(Population.REFUGEE)),
        When(_status=StatusKind.ASYLUM_SEEKER, then=Value(Population.ASYLUM_SEEKER)),
        When(**{f"{p}nationality_id": F(f"{p}organization__country_id")}, then=Value(Population.RETURNEE)),
        default=Value(Population.OTHER_MIGRANT),
        output_field=CharField(),
    )


@register_indicator("people_reached_by_population")
def people_reached_by_population(flt, group_by):
    status, population = population_expression()
    qs = _people().annotate(_status=status).annotate(_population=population)
    return grouped(
        qs, flt, group_by, date="_first", person="", organization="organization", category=F("_population")
    )


@register_indicator("people_reached_by_nationality")
def people_reached_by_nationality(flt, group_by):
    return grouped(
        _people(),
        flt,
        group_by,
        date="_first",
        person="",
        organization="organization",
        category=F("nationality_id"),
    )
