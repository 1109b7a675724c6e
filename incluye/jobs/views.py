import csv
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.accounts.models import OrganizationKind
from incluye.core.access import membership_required
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.spreadsheets import safe_row
from incluye.core.versioning import StaleRecord, posted_version
from incluye.jobs import selectors, services
from incluye.jobs.forms import (
    AvailabilityForm,
    BusinessForm,
    BusinessStatusForm,
    CommitmentForm,
    FollowUpForm,
    FundingForm,
    StepForm,
    VacancyForm,
)
from incluye.jobs.models import APPLICATION_PIPELINE, ApplicationStatus, Availability, Commitment


def _require(request, permission):
    if not request.membership.can(permission):
        raise PermissionDenied


def _is_employer(membership) -> bool:
    return membership.organization.kind == OrganizationKind.EMPLOYER


@membership_required("vacancies.view")
def home(request):
    """Employers: their vacancies. The rest of the alliance: the country's open vacancies and the
    invitations waiting for their people's answer."""
    membership = request.membership
    if _is_employer(membership):
        vacancies = selectors.own_vacancies(membership=membership).select_related(
            "occupation", "municipality"
        )
    else:
        vacancies = selectors.vacancy_list(membership=membership)
    page = Paginator(vacancies.order_by("-created_at"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/home.html",
        {
            "page": page,
            "is_employer": _is_employer(membership),
            "can_manage": _is_employer(membership) and membership.can("vacancies.manage"),
            "invitations": list(selectors.invitations_for(membership=membership)[:50]),
            "commitment": Commitment.objects.filter(organization=membership.organization).first(),
        },
    )


@membership_required("vacancies.manage")
def vacancy_new(request):
    if not _is_employer(request.membership):
        raise PermissionDenied
    org = request.membership.organization
    if "refresh" in request.POST:
        form = VacancyForm.refreshed(request.POST, organization=org)
        return render(request, "jobs/vacancy_form.html", {"form": form})
    form = VacancyForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        vacancy = services.vacancy_create(membership=request.membership, **form.vacancy_fields())
        messages.success(request, _("The vacancy was posted."))
        return redirect("jobs:vacancy", pk=vacancy.pk)
    return render(request, "jobs/vacancy_form.html", {"form": form}, status=400 if form.is_bound else 200)


@membership_required()
def vacancy_edit(request, pk):
    vacancy = selectors.vacancy_for_page(membership=request.membership, pk=pk)
    if vacancy.employer_id != request.membership.organization_id:
        raise Http404
    _require(request, "vacancies.manage")
    if "refresh" in request.POST:
        form = VacancyForm.refreshed(
            request.POST, organization=request.membership.organization, vacancy=vacancy
        )
        return render(request, "jobs/vacancy_form.html", {"form": form, "vacancy": vacancy})
    form = VacancyForm(request.POST or None, organization=request.membership.organization, vacancy=vacancy)
    update = partial(services.vacancy_update, membership=request.membership, vacancy=vacancy)
    if request.method == "POST" and form.is_valid() and form.save_with(update, **form.vacancy_fields()):
        messages.success(request, _("The vacancy was saved."))
        return redirect("jobs:vacancy", pk=vacancy.pk)
    return render(
        request,
        "jobs/vacancy_form.html",
        {"form": form, "vacancy": vacancy},
        status=400 if form.is_bound else 200,
    )


@membership_required("vacancies.manage")
def occupation_skills(request):
    """The skills of the occupation picked on the vacancy form (?occupation=code), as the form's
    skills section (htmx swaps it in; the choices already made are kept)."""
    form = VacancyForm(request.GET, organization=request.membership.organization)
    return render(request, "jobs/_vacancy_skills.html", {"form": form})


@membership_required()
def vacancy_detail(request, pk):
    """The vacancy; for its employer also the matched candidates (anonymized) and applications."""
    vacancy = selectors.vacancy_for_page(membership=request.membership, pk=pk)
    owner = vacancy.employer_id == request.membership.organization_id and request.membership.can(
        "candidates.view"
    )
    context = {"vacancy": vacancy, "owner": owner}
    if owner:
        context["candidates"] = selectors.matched_candidates(vacancy=vacancy)
        context["applications"] = selectors.vacancy_applications(vacancy=vacancy)
        context["can_invite"] = request.membership.can("hiring.record")
    return render(request, "jobs/vacancy_detail.html", context)


CSV_COLUMNS = [
    "candidate",
    "score",
    "occupations",
    "skills",
    "licences",
    "english",
    "department",
    "authorized_to_work",
    "reasons",
]


@membership_required()
def vacancy_candidates_csv(request, pk):
    vacancy = selectors.vacancy_of_employer(membership=request.membership, pk=pk)
    cards = selectors.matched_candidates(vacancy=vacancy)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="candidatos-{vacancy.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        writer.writerow(
            safe_row(
                [
                    card.pseudonym,
                    card.score,
                    "; ".join(f"{o['title']} ({o['years']})" for o in card.occupations),
                    "; ".join(sorted({s for o in card.occupations for s in o["skills"]})),
                    "; ".join(card.licences),
                    card.english_label,
                    card.department,
                    _("yes") if card.authorized_to_work else _("no"),
                    "; ".join(r["text"] for r in card.reasons),
                ]
            )
        )
    services.candidates_exported(membership=request.membership, vacancy=vacancy, count=len(cards))
    return response


@membership_required()
@require_POST
def vacancy_invite(request, pk):
    vacancy = selectors.vacancy_of_employer(membership=request.membership, pk=pk)
    _require(request, "hiring.record")
    person, match = selectors.candidate_by_pseudonym(vacancy=vacancy, name=request.POST.get("candidate", ""))
    if person is None:
        messages.error(request, _("This candidate is no longer available."))
        return redirect("jobs:vacancy", pk=vacancy.pk)
    from incluye.jobs.index import get_index

    try:
        services.candidate_invite(
            membership=request.membership,
            vacancy=vacancy,
            person=person,
            score=round(match.score, 1),
            reasons=selectors.reason_texts(get_index().describe(match.reasons)),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The candidate was invited. Their caseworker will give the answer."))
    return redirect("jobs:vacancy", pk=vacancy.pk)


@membership_required()
def application_detail(request, pk):
    application = selectors.application_for_page(membership=request.membership, pk=pk)
    card = selectors.application_card(membership=request.membership, application=application)
    return render(
        request,
        "jobs/application_detail.html",
        {
            "application": application,
            "card": card,
            "steps": services.steps_for(request.membership, application),
            "labels": dict(ApplicationStatus.choices),
            "form": StepForm(),
            "history": application.steps.select_related("changed_by", "organization"),
        },
    )


@membership_required()
@require_POST
def application_step(request, pk):
    application = selectors.application_for_page(membership=request.membership, pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the data of the step."))
        return redirect("jobs:application", pk=application.pk)
    d = form.cleaned_data
    try:
        services.application_step(
            membership=request.membership,
            application=application,
            to_status=d["to_status"],
            interview_at=d.get("interview_at"),
            reason=d.get("reason") or "",
            note=d.get("note") or "",
            pathway=d.get("pathway") or None,
            started_on=d.get("started_on"),
            expected_version=posted_version(request.POST),
        )
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    except StaleRecord as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Saved: %(status)s.") % {"status": APPLICATION_PIPELINE.labels[d["to_status"]]}
        )
    return redirect("jobs:application", pk=application.pk)


@membership_required("vacancies.manage")
def commitment(request):
    if not _is_employer(request.membership):
        raise PermissionDenied
    current = Commitment.objects.filter(organization=request.membership.organization).first()
    initial = (
        {
            "statement": current.statement,
            "positions_per_year": current.positions_per_year,
            "signed_on": current.signed_on,
            "signed_by_name": current.signed_by_name,
        }
        if current
        else {"signed_on": timezone.localdate()}
    )
    form = CommitmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.commitment_save(membership=request.membership, **form.cleaned_data)
        messages.success(request, _("The commitment was saved."))
        return redirect("jobs:home")
    return render(request, "jobs/commitment.html", {"form": form}, status=400 if form.is_bound else 200)


# The person's side ---------------------------------------------------------------------------


@membership_required()
def person_jobs(request, pk):
    person = selectors.person_for_jobs(membership=request.membership, pk=pk)
    can_manage = request.membership.can("applications.manage")
    availability = Availability.objects.filter(person=person).first()
    form = AvailabilityForm(
        request.POST or None,
        initial={
            "looking_for_work": availability.looking_for_work,
            "available_from": availability.available_from,
            "schedules": availability.schedules,
        }
        if availability
        else None,
        record=availability,
    )
    if request.method == "POST":
        _require(request, "applications.manage")
        update = partial(services.availability_set, membership=request.membership, person=person)
        if form.is_valid() and form.save_with(update):
            messages.success(request, _("Availability saved."))
            return redirect("jobs:person", pk=person.pk)
    applications = list(selectors.person_applications(person=person))
    applied = {a.vacancy_id for a in applications}
    return render(
        request,
        "jobs/person.html",
        {
            "person": person,
            "availability_form": form,
            "consent": services.has_employer_consent(person),
            "matches": [m for m in selectors.matched_vacancies(person=person) if m.vacancy.pk not in applied],
            "applications": [(a, services.steps_for(request.membership, a)) for a in applications],
            "labels": dict(ApplicationStatus.choices),
            "placements": person.placements.select_related("employer").prefetch_related("follow_ups"),
            "businesses": person.businesses.all(),
            "can_manage": can_manage,
            "can_business": request.membership.can("businesses.manage"),
            "business_form": BusinessForm(),
            "step_form": StepForm(),
            "follow_up_form": FollowUpForm(),
            "today": timezone.localdate(),
        },
    )


@membership_required()
@require_POST
def person_shortlist(request, pk):
    person = selectors.person_for_jobs(membership=request.membership, pk=pk)
    _require(request, "applications.manage")
    vacancy = selectors.vacancy_for_page(membership=request.membership, pk=request.POST.get("vacancy"))
    match = next(
        (m for m in selectors.matched_vacancies(person=person, k=100) if m.vacancy.pk == vacancy.pk), None
    )
    try:
        services.vacancy_shortlist(
            membership=request.membership,
            person=person,
            vacancy=vacancy,
            score=match.score if match else 0,
            reasons=match.reasons if match else [],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The vacancy is on the person's list."))
    return redirect("jobs:person", pk=person.pk)


@membership_required()
@require_POST
def follow_up(request, pk):
    item = selectors.follow_up_for_page(membership=request.membership, pk=pk)
    _require(request, "applications.manage")
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_record(
                membership=request.membership,
                follow_up=item,
                expected_version=posted_version(request.POST),
                **form.cleaned_data,
            )
        except StaleRecord as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Follow-up recorded."))
    else:
        messages.error(request, _("Say whether the person is still employed."))
    return redirect("jobs:person", pk=item.placement.person_id)


@membership_required()
@require_POST
def business_new(request, pk):
    person = selectors.person_for_jobs(membership=request.membership, pk=pk)
    _require(request, "businesses.manage")
    form = BusinessForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the name and the idea of the business."))
        return redirect("jobs:person", pk=person.pk)
    business = services.business_create(membership=request.membership, person=person, **form.cleaned_data)
    return redirect("jobs:business", pk=business.pk)


@membership_required()
def business_detail(request, pk):
    business = selectors.business_for_page(membership=request.membership, pk=pk)
    status_form = BusinessStatusForm(initial={"status": business.status, "on": timezone.localdate()})
    funding_form = FundingForm(initial={"obtained_on": timezone.localdate()})
    details_form = BusinessForm(
        initial={
            "name": business.name,
            "idea": business.idea,
            "sector": business.sector,
            "training": "\n".join(business.training),
            "plan_done_on": business.plan_done_on,
        }
    )
    status = 200
    if request.method == "POST":
        _require(request, "businesses.manage")
        action = request.POST.get("action")
        try:
            if action == "status":
                status_form = BusinessStatusForm(request.POST)
                if status_form.is_valid():
                    services.business_update(
                        membership=request.membership,
                        business=business,
                        expected_version=posted_version(request.POST),
                        **status_form.cleaned_data,
                    )
                    return redirect("jobs:business", pk=business.pk)
            elif action == "funding":
                funding_form = FundingForm(request.POST)
                if funding_form.is_valid():
                    services.funding_add(
                        membership=request.membership,
                        business=business,
                        currency=business.person.organization.country.currency,
                        **funding_form.cleaned_data,
                    )
                    return redirect("jobs:business", pk=business.pk)
            else:
                details_form = BusinessForm(request.POST)
                if details_form.is_valid():
                    services.business_update(
                        membership=request.membership,
                        business=business,
                        expected_version=posted_version(request.POST),
                        **details_form.cleaned_data,
                    )
                    return redirect("jobs:business", pk=business.pk)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        except StaleRecord as error:
            # The typed values stay in their form; saving again keeps them on purpose.
            messages.error(request, error.message)
            business.version = error.current
        status = 400
    return render(
        request,
        "jobs/business.html",
        {
            "business": business,
            "status_form": status_form,
            "funding_form": funding_form,
            "details_form": details_form,
            "can_manage": request.membership.can("businesses.manage"),
        },
        status=status,
    )
