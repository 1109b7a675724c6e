from django.db.models import Prefetch

from incluye.core.access import get_scoped_or_404
from incluye.people.selectors import people_visible_to
from incluye.skills.models import (
    CompetencyStandard,
    CompetencyUnit,
    ProfileOccupation,
    SkillsProfile,
    WorkExperience,
)


def person_for_skills(*, membership, pk):
    """The person, if the membership sees them and may see work histories; else 404."""
    people = people_visible_to(membership=membership) if membership.can("skills.view") else None
    if people is None:
        from django.http import Http404

        raise Http404
    return get_scoped_or_404(people.select_related("nationality", "organization"), pk=pk)


def work_history_visible_to(*, membership):
    if membership is None or not membership.can("skills.view"):
        return WorkExperience.objects.none()
    return WorkExperience.objects.filter(person__in=people_visible_to(membership=membership))


def profiles_visible_to(*, membership):
    if membership is None or not membership.can("skills.view"):
        return SkillsProfile.objects.none()
    return SkillsProfile.objects.filter(person__in=people_visible_to(membership=membership))


def work_history_of(*, person):
    return person.work_history.select_related("occupation").order_by("-started_on", "created_at")


def profile_for_page(*, membership, pk):
    return get_scoped_or_404(
        profiles_visible_to(membership=membership)
        .select_related("person__nationality", "organization", "signed_by")
        .prefetch_related(
            Prefetch("occupations", queryset=ProfileOccupation.objects.select_related("occupation"))
        ),
        pk=pk,
    )


def standards_catalogue(*, country_id=None, body_id=None, query: str = ""):
    qs = CompetencyStandard.objects.filter(active=True).select_related("body")
    if country_id:
        qs = qs.filter(body__country_id=country_id)
    if body_id:
        qs = qs.filter(body_id=body_id)
    for term in query.split():
        qs = qs.filter(title_es__icontains=term) | qs.filter(code__icontains=term)
    return qs.order_by("body__name", "code")


def standard_for_page(*, membership, pk):
    """A standard of the membership's country (each country's alliance has its own catalogue)."""
    return get_scoped_or_404(
        CompetencyStandard.objects.filter(active=True, body__country_id=membership.organization.country_id)
        .select_related("body")
        .prefetch_related(Prefetch("units", queryset=CompetencyUnit.objects.prefetch_related("criteria"))),
        pk=pk,
    )


def qualifications_visible_to(*, membership):
    from incluye.skills.models import ForeignQualification

    if membership is None or not membership.can("skills.view"):
        return ForeignQualification.objects.none()
    return ForeignQualification.objects.filter(
        person__in=people_visible_to(membership=membership)
    ).select_related("organization__country", "country")


def qualifications_of(*, person):
    from incluye.skills.models import ForeignQualification

    return ForeignQualification.objects.filter(person=person).select_related(
        "organization__country", "country"
    )
