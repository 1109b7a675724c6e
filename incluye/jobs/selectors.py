"""Reads of the jobs app, scoped to the active membership. What an employer sees of a person goes
through `candidate_card`: a pseudonym and the work (occupations, years, skills, licences, English,
department), never a name, contact, identity number or return history — until the person accepts
an application, and then only for that application."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from incluye.accounts.models import OrganizationKind
from incluye.core.access import get_scoped_or_404
from incluye.jobs.index import EMPLOYER_SHARING, get_index
from incluye.jobs.models import (
    Application,
    ApplicationStatus,
    Business,
    Placement,
    RetentionFollowUp,
    Vacancy,
    VacancyStatus,
)
from incluye.jobs.services import pseudonym
from incluye.people.models import Consent, Person
from incluye.people.selectors import people_visible_to
from incluye.skills.models import (
    CompetencyStandard,
    EnglishLevel,
    Licence,
    Occupation,
    ProfileStatus,
    Skill,
    SkillsProfile,
)


def _pick(localized) -> str:
    if isinstance(localized, dict):
        language = (get_language() or "es")[:2]
        return localized.get(language) or localized.get("es") or ""
    return str(localized or "")


# Vacancies -----------------------------------------------------------------------------------


def vacancies_visible_to(*, membership):
    """An employer's own vacancies (any status); the open vacancies of the country for the rest of
    the alliance."""
    if membership is None or not membership.can("vacancies.view"):
        return Vacancy.objects.none()
    org = membership.organization
    return Vacancy.objects.filter(
        Q(employer_id=org.pk) | Q(status=VacancyStatus.OPEN, employer__country_id=org.country_id)
    )


def own_vacancies(*, membership):
    if membership is None or membership.organization.kind != OrganizationKind.EMPLOYER:
        return Vacancy.objects.none()
    return Vacancy.objects.filter(employer_id=membership.organization_id)


def vacancy_list(*, membership):
    return (
        vacancies_visible_to(membership=membership)
        .select_related("employer", "occupation", "municipality__parent")
        .order_by("-created_at")
    )


def vacancy_for_page(*, membership, pk):
    return get_scoped_or_404(
        vacancies_visible_to(membership=membership).select_related(
            "employer", "occupation", "municipality__parent"
        ),
        pk=pk,
    )


def vacancy_of_employer(*, membership, pk):
    """A vacancy the membership's employer owns (404 for any other), then the role (403)."""
    from django.core.exceptions import PermissionDenied

    vacancy = vacancy_for_page(membership=membership, pk=pk)
    if vacancy.employer_id != membership.organization_id:
        raise Http404
    if not membership.can("candidates.view"):
        raise PermissionDenied
    return vacancy


# Reasons -------------------------------------------------------------------------------------


def reason_texts(described: list[dict]) -> list[dict]:
    """The engine's reasons in words: [{kind, points, text, items}]."""
    occupations = {}
    skills = {}
    standards = {}
    for reason in described:
        if reason["block"] in ("occ", "yrs"):
            occupations.update(
                (o.pk, o)
                for o in Occupation.objects.filter(
                    pk__in=[i if reason["block"] == "occ" else i[0] for i in reason["items"]]
                )
            )
        elif reason["block"] == "skill":
            skills.update((s.pk, s) for s in Skill.objects.filter(pk__in=reason["items"]))
        elif reason["block"] == "std":
            standards.update((s.pk, s) for s in CompetencyStandard.objects.filter(pk__in=reason["items"]))
    licences = dict(Licence.choices)
    out = []
    for reason in described:
        block, items = reason["block"], reason["items"]
        if block == "occ":
            text = _("Same occupation: %(title)s") % {
                "title": ", ".join(occupations[i].title for i in items if i in occupations)
            }
        elif block == "yrs":
            best = max(items, key=lambda item: item[1])
            title = occupations[best[0]].title if best[0] in occupations else ""
            text = _("At least %(years)s years as %(title)s") % {"years": int(best[1]), "title": title}
            items = [best[1]]
        elif block == "isco":
            text = _("Related occupation (ISCO-08 group %(groups)s)") % {"groups": ", ".join(items)}
        elif block == "skill":
            labels = [skills[i].label for i in items if i in skills]
            text = _("%(count)s skills in common: %(skills)s") % {
                "count": len(items),
                "skills": ", ".join(labels[:6]),
            }
            items = labels
        elif block == "lic":
            text = _("Licences: %(licences)s") % {
                "licences": ", ".join(str(licences.get(i, i)) for i in items)
            }
        elif block == "std":
            text = _("National standards: %(codes)s") % {
                "codes": ", ".join(standards[i].code for i in items if i in standards)
            }
            items = [standards[i].code for i in items if i in standards]
        elif block == "unit":
            text = _("%(count)s certified units of competence") % {"count": len(items)}
        else:
            text = {
                "english": _("English as asked"),
                "location": _("Lives in the municipality"),
                "department": _("Lives in the department"),
                "availability": _("Available now"),
                "schedule": _("The schedule fits"),
            }[block]
        out.append(
            {
                "kind": block,
                "points": reason["points"],
                "text": text,
                "items": [str(i) for i in items],
            }
        )
    return out


# Candidates for an employer ------------------------------------------------------------------


@dataclass
class CandidateCard:
    """What an employer sees of a candidate: no name, contact, identity number or return history."""

    pseudonym: str
    score: float
    reasons: list
    occupations: list = field(default_factory=list)  # [{"title", "years", "skills"}]
    licences: list = field(default_factory=list)
    english_level: str = "none"
    department: str = ""
    # Whether the person may work today: all the employer learns of migration status or nationality.
    authorized_to_work: bool = False
    application: Application | None = None
    # Only once the person accepted this application:
    name: str = ""
    phone: str = ""
    email: str = ""

    @property
    def english_label(self) -> str:
        return str(dict(EnglishLevel.choices).get(self.english_level, ""))


def consenting(person_ids) -> set:
    """Of these people, those whose latest employer-sharing decision is a given, unexpired consent."""
    today = timezone.localdate()
    latest = {}
    for person_id, given, expires in (
        Consent.objects.filter(purpose=EMPLOYER_SHARING, person_id__in=list(person_ids))
        .order_by("recorded_at", "id")
        .values_list("person_id", "given", "expires_on")
    ):
        latest[person_id] = given and (expires is None or expires >= today)
    return {pk for pk, ok in latest.items() if ok}


def authorized_today(person_ids) -> set:
    """Of these people, those who may work today (re-checked in the database: the index only
    proposes)."""
    from incluye.people.authorization import authorized_on
    from incluye.people.selectors import work_periods_by_person

    today = timezone.localdate()
    return {pk for pk, periods in work_periods_by_person(person_ids).items() if authorized_on(periods, today)}


def _work_of(person_ids) -> dict:
    """The work side of each person's latest signed profile, from its snapshot (whitelisted)."""
    profiles = {}
    for profile in SkillsProfile.objects.filter(
        person_id__in=list(person_ids), status=ProfileStatus.SIGNED
    ).order_by("signed_at", "created_at"):
        profiles[profile.person_id] = profile.snapshot or {}
    work = {}
    for person_id, snapshot in profiles.items():
        work[person_id] = {
            "occupations": [
                {
                    "title": _pick(o.get("title")),
                    "code": o.get("code", ""),
                    "years": o.get("years", ""),
                    "skills": [_pick(s) for s in o.get("skills", [])],
                }
                for o in snapshot.get("occupations", [])
            ],
            "licences": [_pick(licence) for licence in snapshot.get("licences", [])],
            "english_level": snapshot.get("english_level", "none"),
        }
    return work


def _cards(vacancy, entries, *, applications=None) -> list[CandidateCard]:
    """entries: [(person_id, score, reasons)] → cards, in order."""
    applications = applications or {}
    ids = [pk for pk, _s, _r in entries]
    work = _work_of(ids)
    authorized = authorized_today(ids)
    people = Person.objects.filter(pk__in=ids).select_related("residence__parent").in_bulk()
    cards = []
    for pk, score, reasons in entries:
        person = people.get(pk)
        if person is None:
            continue
        residence = person.residence
        department = residence.parent.name if residence and residence.parent else ""
        card = CandidateCard(
            pseudonym=pseudonym(person_id=pk, vacancy_id=vacancy.pk),
            score=round(score, 1),
            reasons=reasons,
            department=department,
            authorized_to_work=pk in authorized,
            application=applications.get(pk),
            **work.get(pk, {}),
        )
        if card.application is not None and card.application.disclosed:
            card.name, card.phone, card.email = person.full_name, person.phone, person.email
        cards.append(card)
    return cards


def matched_candidates(*, vacancy, k=50) -> list[CandidateCard]:
    """The engine's best people for the vacancy, re-checked in the database (consent, not merged),
    without those who already have an application for it."""
    index = get_index()
    applied = set(vacancy.applications.values_list("person_id", flat=True))
    matches = index.people_for_vacancy(vacancy, k=k, exclude=applied)
    allowed = consenting(match.id for match in matches)
    allowed &= set(
        Person.objects.filter(pk__in=list(allowed), merged_into__isnull=True).values_list("pk", flat=True)
    )
    allowed &= authorized_today(allowed)
    entries = [
        (match.id, match.score, reason_texts(index.describe(match.reasons)))
        for match in matches
        if match.id in allowed
    ]
    return _cards(vacancy, entries)


def candidate_by_pseudonym(*, vacancy, name: str, k=200):
    """The person behind a pseudonym among the vacancy's current matches, or None."""
    for match in get_index().people_for_vacancy(
        vacancy, k=k, exclude=set(vacancy.applications.values_list("person_id", flat=True))
    ):
        if (
            pseudonym(person_id=match.id, vacancy_id=vacancy.pk) == name
            and match.id in consenting([match.id])
            and match.id in authorized_today([match.id])
        ):
            return Person.objects.filter(pk=match.id).first(), match
    return None, None


def vacancy_applications(*, vacancy) -> list[CandidateCard]:
    """The vacancy's applications as the employer sees them (named only once accepted)."""
    applications = {a.person_id: a for a in vacancy.applications.all()}
    entries = [(pk, a.score, a.reasons) for pk, a in applications.items()]
    return _cards(vacancy, entries, applications=applications)


# Applications --------------------------------------------------------------------------------


def applications_visible_to(*, membership):
    """The employer's applications (its vacancies) and those of the people the membership sees."""
    if membership is None or not membership.can("applications.view"):
        return Application.objects.none()
    return Application.objects.filter(
        Q(vacancy__employer_id=membership.organization_id)
        | Q(person__in=people_visible_to(membership=membership))
    )


def application_for_page(*, membership, pk):
    return get_scoped_or_404(
        applications_visible_to(membership=membership).select_related(
            "vacancy__employer", "vacancy__occupation", "person__residence__parent"
        ),
        pk=pk,
    )


def application_card(*, membership, application) -> CandidateCard | None:
    """The employer's view of the application's person (None for the person's own organization,
    which sees the person)."""
    if application.vacancy.employer_id != membership.organization_id:
        return None
    return _cards(
        application.vacancy,
        [(application.person_id, application.score, application.reasons)],
        applications={application.person_id: application},
    )[0]


def person_applications(*, person):
    return (
        person.job_applications.select_related("vacancy__employer", "vacancy__occupation")
        .prefetch_related("steps")
        .order_by("-updated_at")
    )


def invitations_for(*, membership):
    """Applications of the organization's people waiting for the person's answer."""
    from incluye.jobs.models import ApplicationStatus

    if not membership.can("applications.manage"):
        return Application.objects.none()
    return (
        Application.objects.filter(
            person__in=people_visible_to(membership=membership),
            status__in=[ApplicationStatus.INVITED, ApplicationStatus.SHORTLISTED],
        )
        .select_related("person", "vacancy__employer")
        .order_by("-created_at")
    )


# The person's side ---------------------------------------------------------------------------


def person_for_jobs(*, membership, pk):
    """The person, if the membership sees them and may follow applications; else 404."""
    if not membership.can("applications.view"):
        raise Http404
    return get_scoped_or_404(
        people_visible_to(membership=membership).select_related("residence__parent", "organization"), pk=pk
    )


@dataclass
class VacancyMatch:
    vacancy: Vacancy
    score: float
    reasons: list


def matched_vacancies(*, person, k=20) -> list[VacancyMatch]:
    index = get_index()
    matches = index.vacancies_for_person(person, k=k)
    country = person.organization.country_id
    vacancies = (
        Vacancy.objects.filter(
            pk__in=[m.id for m in matches], status=VacancyStatus.OPEN, employer__country_id=country
        )
        .exclude(closes_on__lt=timezone.localdate())
        .select_related("employer", "occupation", "municipality__parent")
        .in_bulk()
    )
    return [
        VacancyMatch(vacancies[m.id], round(m.score, 1), reason_texts(index.describe(m.reasons)))
        for m in matches
        if m.id in vacancies
    ]


def placements_visible_to(*, membership):
    if not membership.can("applications.view"):
        return Placement.objects.none()
    return Placement.objects.filter(
        Q(employer_id=membership.organization_id) | Q(person__in=people_visible_to(membership=membership))
    )


def follow_up_for_page(*, membership, pk):
    return get_scoped_or_404(
        RetentionFollowUp.objects.filter(
            placement__person__in=people_visible_to(membership=membership)
        ).select_related("placement__person"),
        pk=pk,
    )


def businesses_visible_to(*, membership):
    if membership is None or not membership.can("businesses.view"):
        return Business.objects.none()
    return Business.objects.filter(person__in=people_visible_to(membership=membership))


def business_for_page(*, membership, pk):
    return get_scoped_or_404(
        businesses_visible_to(membership=membership)
        .select_related("person", "municipality")
        .prefetch_related("status_changes", "funding"),
        pk=pk,
    )


def applications_of_person(*, person):
    """What employers offered the person, for their own page: invitations and what followed them
    (a vacancy a caseworker only put on the person's shortlist is the caseworker's list)."""
    return (
        Application.objects.filter(person=person)
        .exclude(status=ApplicationStatus.SHORTLISTED)
        .select_related("vacancy__employer", "vacancy__occupation", "vacancy__municipality__parent")
        .order_by("-created_at")
    )
