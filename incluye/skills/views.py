from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.accounts.models import OrganizationKind
from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.versioning import StaleRecord, posted_version
from incluye.skills import selectors, services
from incluye.skills.coding import explained, get_coder, suggest
from incluye.skills.forms import (
    CatalogueUploadForm,
    CodeForm,
    CoderSearchForm,
    ProfileForm,
    QualificationForm,
    RecognitionStepForm,
    SplitForm,
    WorkExperienceForm,
)
from incluye.skills.models import Occupation, ProfileStatus, Skill, System
from incluye.skills.pdf import render_profile_pdf
from incluye.skills.profile import profile_document, qualifications_document
from incluye.skills.standards import TEMPLATE
from incluye.skills.standards import catalogue_import as import_catalogue


def _work_page(request, person, form=None, status=200, qualification_form=None):
    jobs = list(selectors.work_history_of(person=person))
    qualifications = list(selectors.qualifications_of(person=person))
    suggestions = {
        job.pk: suggest(job.job_title, details=", ".join(filter(None, [job.tasks, job.tools])))
        for job in jobs
        if job.occupation_id is None
    }
    return render(
        request,
        "skills/work_history.html",
        {
            "person": person,
            "jobs": [(job, suggestions.get(job.pk)) for job in jobs],
            "form": form or WorkExperienceForm(),
            "profiles": person.skills_profiles.select_related("signed_by"),
            "can_record": request.membership.can("skills.record"),
            # Several forms on one page: each has its prefix so that their ids stay unique.
            "qualifications": [
                (q, RecognitionStepForm(qualification=q, prefix=f"step{q.pk}")) for q in qualifications
            ],
            "qualification_form": qualification_form
            or QualificationForm(organization=request.membership.organization, prefix="qualification"),
        },
        status=status,
    )


@membership_required("skills.view")
@require_POST
def qualification_add(request, pk):
    person = selectors.person_for_skills(membership=request.membership, pk=pk)
    _require(request, "skills.record")
    form = QualificationForm(
        request.POST, organization=request.membership.organization, prefix="qualification"
    )
    if not form.is_valid():
        return _work_page(request, person, status=400, qualification_form=form)
    services.qualification_add(membership=request.membership, person=person, **form.cleaned_data)
    messages.success(request, _("The qualification was recorded."))
    return redirect(f"{reverse('skills:work_history', args=[person.pk])}#qualifications")


@membership_required("skills.view")
@require_POST
def qualification_step(request, pk):
    qualification = get_scoped_or_404(
        selectors.qualifications_visible_to(membership=request.membership), pk=pk
    )
    _require(request, "skills.record")
    form = RecognitionStepForm(request.POST, qualification=qualification, prefix=f"step{qualification.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose the next step of the recognition."))
    else:
        try:
            services.qualification_progress(
                membership=request.membership,
                qualification=qualification,
                expected_version=form.cleaned_data["version"],
                **{k: v for k, v in form.cleaned_data.items() if k != "version"},
            )
        except StaleRecord as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The recognition was updated."))
    return redirect(f"{reverse('skills:work_history', args=[qualification.person_id])}#qualifications")


@membership_required("skills.view")
def work_history(request, pk):
    person = selectors.person_for_skills(membership=request.membership, pk=pk)
    if request.method == "POST":
        if not request.membership.can("skills.record"):
            raise PermissionDenied
        form = WorkExperienceForm(request.POST)
        if not form.is_valid():
            return _work_page(request, person, form, status=400)
        services.work_add(membership=request.membership, person=person, **form.experience_fields())
        messages.success(request, _("The job was added. Confirm its occupation below."))
        return redirect("skills:work_history", pk=person.pk)
    return _work_page(request, person)


def _require(request, permission):
    if not request.membership.can(permission):
        raise PermissionDenied


def _job(request, pk, permission="skills.record"):
    """A job of the work history in scope (else 404), then the role's permission (else 403)."""
    job = get_scoped_or_404(
        selectors.work_history_visible_to(membership=request.membership).select_related("person"), pk=pk
    )
    _require(request, permission)
    return job


@membership_required()
def work_edit(request, pk):
    job = _job(request, pk)
    form = WorkExperienceForm(request.POST or None, experience=job)
    update = partial(services.work_update, membership=request.membership, experience=job)
    if request.method == "POST" and form.is_valid() and form.save_with(update, **form.experience_fields()):
        messages.success(request, _("The job was updated."))
        return redirect("skills:work_history", pk=job.person_id)
    return render(
        request, "skills/work_edit.html", {"job": job, "form": form}, status=400 if form.is_bound else 200
    )


@membership_required()
@require_POST
def work_remove(request, pk):
    job = _job(request, pk)
    person_id = job.person_id
    services.work_remove(membership=request.membership, experience=job)
    messages.success(request, _("The job was removed from the work history."))
    return redirect("skills:work_history", pk=person_id)


def _coding(request, pk, form_class):
    """A job in scope, a valid coding form for it (else 404), and the O*NET occupation it names."""
    job = _job(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        raise Http404
    occupation = get_scoped_or_404(
        Occupation.objects.filter(system=System.ONET), code=form.cleaned_data["occupation"]
    )
    return job, form.cleaned_data, occupation


@membership_required()
@require_POST
def work_code(request, pk):
    job, data, occupation = _coding(request, pk, CodeForm)
    try:
        services.work_code(
            membership=request.membership,
            experience=job,
            occupation=occupation,
            confidence=data.get("confidence"),
            expected_version=posted_version(request.POST),
        )
    except StaleRecord as error:
        messages.error(request, error.message)
        return redirect("skills:work_history", pk=job.person_id)
    messages.success(request, _("Occupation confirmed: %(occupation)s.") % {"occupation": occupation.title})
    return redirect("skills:work_history", pk=job.person_id)


@membership_required()
@require_POST
def work_split(request, pk):
    """One of several jobs a description named becomes a job of its own, coded."""
    job, data, occupation = _coding(request, pk, SplitForm)
    services.work_split(
        membership=request.membership,
        experience=job,
        job_title=data["job_title"],
        occupation=occupation,
        confidence=data.get("confidence"),
    )
    messages.success(
        request,
        _("Added as another job: %(job)s (%(occupation)s).")
        % {"job": data["job_title"], "occupation": occupation.title},
    )
    return redirect("skills:work_history", pk=job.person_id)


@membership_required()
def work_suggestions(request, pk):
    """The coder's answer for another description of the job (htmx fragment, or a full page)."""
    job = _job(request, pk)
    form = CoderSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    suggestions = suggest(query) if query else None
    return render(
        request,
        "skills/_suggestions.html" if request.htmx else "skills/suggestions.html",
        {"job": job, "suggestions": suggestions, "query": query},
    )


@membership_required()
@require_POST
def profile_start(request, pk):
    person = selectors.person_for_skills(membership=request.membership, pk=pk)
    _require(request, "skills.record")
    profile = services.profile_start(membership=request.membership, person=person)
    return redirect("skills:profile", pk=profile.pk)


@membership_required("skills.view")
def profile_detail(request, pk):
    profile = selectors.profile_for_page(membership=request.membership, pk=pk)
    form = None
    if profile.status == ProfileStatus.DRAFT:
        form = ProfileForm(request.POST or None, profile=profile, initial={"summary": profile.summary})
        if request.method == "POST":
            if not request.membership.can("skills.record"):
                raise PermissionDenied
            update = partial(services.profile_update, membership=request.membership, profile=profile)
            if form.is_valid() and form.save_with(
                update, summary=form.cleaned_data["summary"], years=form.years(), remove=form.removed()
            ):
                messages.success(request, _("The profile was saved."))
                return redirect("skills:profile", pk=profile.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "skills/profile.html",
        {
            "profile": profile,
            "document": profile_document(profile),
            "qualifications": qualifications_document(profile.person),
            "form": form,
            "language": translation.get_language()[:2],
            "search": CoderSearchForm(request.GET or None),
            "matches": explained(get_coder().code(request.GET["q"])) if request.GET.get("q") else None,
            "removed_skills": Skill.objects.filter(code__in=profile.removed_skills or []).order_by(
                "label_es"
            ),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@membership_required()
@require_POST
def profile_skill_remove(request, pk):
    """Remove a skill from a draft profile (or, with restore=1, put it back)."""
    profile = selectors.profile_for_page(membership=request.membership, pk=pk)
    _require(request, "skills.record")
    skill = get_scoped_or_404(Skill.objects.all(), code=request.POST.get("skill", ""))
    restore = request.POST.get("restore") == "1"
    try:
        services.profile_skill_remove(
            membership=request.membership,
            profile=profile,
            skill_code=skill.code,
            restore=restore,
            expected_version=posted_version(request.POST),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("skills:profile", pk=profile.pk)
    except StaleRecord as error:
        messages.error(request, error.message)
        return redirect("skills:profile", pk=profile.pk)
    if restore:
        messages.success(request, _("“%(skill)s” is back in the profile.") % {"skill": skill.label})
    else:
        messages.success(request, _("“%(skill)s” was removed from the profile.") % {"skill": skill.label})
    return redirect("skills:profile", pk=profile.pk)


@membership_required()
@require_POST
def profile_add_occupation(request, pk):
    profile = selectors.profile_for_page(membership=request.membership, pk=pk)
    _require(request, "skills.record")
    occupation = get_scoped_or_404(
        Occupation.objects.filter(system=System.ONET), code=request.POST.get("occupation", "")
    )
    try:
        services.profile_add_occupation(
            membership=request.membership,
            profile=profile,
            occupation=occupation,
            expected_version=posted_version(request.POST),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except StaleRecord as error:
        messages.error(request, error.message)
    return redirect("skills:profile", pk=profile.pk)


@membership_required()
@require_POST
def profile_sign(request, pk):
    profile = selectors.profile_for_page(membership=request.membership, pk=pk)
    _require(request, "profiles.sign")
    try:
        services.profile_sign(
            membership=request.membership, profile=profile, expected_version=posted_version(request.POST)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except StaleRecord as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The profile was signed. It can now be printed."))
    return redirect("skills:profile", pk=profile.pk)


@membership_required("skills.view")
def profile_pdf(request, pk):
    profile = selectors.profile_for_page(membership=request.membership, pk=pk)
    language = request.GET.get("lang", translation.get_language()[:2])
    language = language if language in {"es", "en"} else "es"
    services.profile_printed(membership=request.membership, profile=profile, language=language)
    pdf = render_profile_pdf(profile, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="perfil-{profile.pk}.pdf"'
    return response


@membership_required("standards.view")
def standards(request):
    query = request.GET.get("q", "").strip()
    catalogue = selectors.standards_catalogue(
        country_id=request.membership.organization.country_id, query=query
    )
    page = Paginator(catalogue, 50).get_page(request.GET.get("page"))
    can_import = (
        request.membership.can("standards.manage")
        and request.membership.organization.kind == OrganizationKind.CERTIFYING_BODY
    )
    return render(request, "skills/standards.html", {"page": page, "query": query, "can_import": can_import})


@membership_required("standards.view")
def standard_detail(request, pk):
    return render(
        request,
        "skills/standard.html",
        {"standard": selectors.standard_for_page(membership=request.membership, pk=pk)},
    )


@membership_required("standards.manage")
def catalogue_import(request):
    if request.membership.organization.kind != OrganizationKind.CERTIFYING_BODY:
        raise PermissionDenied
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_catalogue(membership=request.membership, name=upload.name, content=upload.read())
        if report.ok:
            messages.success(
                request,
                _("Catalogue imported: %(standards)s standards, %(units)s units, %(criteria)s criteria.")
                % report.counts,
            )
            return redirect("skills:standards")
    status = 400 if form.is_bound and (form.errors or (report and not report.ok)) else 200
    return render(request, "skills/catalogue_import.html", {"form": form, "report": report}, status=status)


@membership_required("standards.view")
def catalogue_template(request):
    return FileResponse(TEMPLATE.open("rb"), as_attachment=True, filename="catalogo-estandares.csv")
