from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from incluye.accounts.models import Organization, OrganizationKind
from incluye.certification import credentials, selectors, services
from incluye.certification.forms import (
    AttendanceForm,
    IssueForm,
    ResultsForm,
    RevokeForm,
    SessionForm,
    SessionResultsForm,
)
from incluye.certification.models import Certificate, StatusList
from incluye.certification.pdf import qr_payload, render_certificate_pdf
from incluye.certification.ratelimit import retry_after, verification_allowed
from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.middleware import public_page
from incluye.core.versioning import StaleRecord
from incluye.skills.selectors import profile_for_page


def _require(request, permission):
    if not request.membership.can(permission):
        raise PermissionDenied


def _language(request) -> str:
    language = request.GET.get("lang", translation.get_language()[:2])
    return language if language in {"es", "en"} else "es"


# --- Sessions, enrolments, results --------------------------------------------------------------


@membership_required("assessments.view")
def sessions(request):
    membership = request.membership
    if not selectors.works_for_a_body(membership):
        raise PermissionDenied
    form = None
    if membership.can("assessments.manage"):
        form = SessionForm(
            request.POST or None,
            body=membership.organization,
            assessors=services.body_assessors(membership.organization),
            initial={"assessors": [str(membership.user.pk)]},
        )
        if request.method == "POST" and form.is_valid():
            try:
                session = services.session_create(
                    membership=membership,
                    standard=form.cleaned_data["standard"],
                    date=form.cleaned_data["date"],
                    place=form.cleaned_data["place"],
                    capacity=form.cleaned_data["capacity"],
                    assessors=form.chosen_assessors(),
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, _("The session was scheduled."))
                return redirect("certification:session", pk=session.pk)
    elif request.method == "POST":
        raise PermissionDenied
    certificates = (
        selectors.certificates_visible_to(membership=membership)
        .filter(body=membership.organization)
        .select_related("standard")[:20]
    )
    return render(
        request,
        "certification/sessions.html",
        {
            "sessions": selectors.sessions_list(membership=membership),
            "certificates": certificates,
            "form": form,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@membership_required()
def session_detail(request, pk):
    """The session, its candidates and, for the body's assessors, attendance and results of every
    candidate on one form (from the day of the session on)."""
    session = selectors.session_for_page(membership=request.membership, pk=pk)
    enrollments = list(session.enrollments.all())
    rows = [(e, selectors.enrollment_progress(e)) for e in enrollments]
    for enrollment, progress in rows:
        enrollment.progress = progress
    can_manage = request.membership.can("assessments.manage")
    today = timezone.localdate()
    form = None
    if can_manage and today >= session.date:
        form = SessionResultsForm(
            request.POST if request.method == "POST" else None,
            session=session,
            enrollments=enrollments,
            units=session.standard.units.all(),
            certified={e.pk for e in enrollments if getattr(e, "certificate", None)},
            first_day=session.date,
            last_day=today,
        )
    if request.method == "POST":
        _require(request, "assessments.manage")
        if form is None:
            messages.error(request, services.not_before_session_message(session))
            return redirect("certification:session", pk=session.pk)
        if form.is_valid():
            try:
                services.session_results_record(
                    membership=request.membership, session=session, rows=form.rows()
                )
            except StaleRecord as error:
                form.stale(error)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    form.add_candidate_errors({k: v[0].messages[0] for k, v in error.error_dict.items()})
                else:
                    form.add_error(None, error.messages[0])
            else:
                messages.success(request, _("Attendance and results saved."))
                return redirect("certification:session", pk=session.pk)
    return render(
        request,
        "certification/session.html",
        {
            "session": session,
            "rows": rows,
            "form": form,
            "seats_left": max(0, session.capacity - len(enrollments)),
            "attendance_form": AttendanceForm(),
            "can_manage": can_manage,
            "not_yet": today < session.date,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


def _enrollment(request, pk, permission):
    """An enrolment of the body's sessions (else 404), then the role's permission (else 403)."""
    enrollment = selectors.enrollment_for_page(membership=request.membership, pk=pk)
    _require(request, permission)
    return enrollment


@membership_required()
@require_POST
def enrollment_attendance(request, pk):
    enrollment = _enrollment(request, pk, "assessments.manage")
    form = AttendanceForm(request.POST, record=enrollment)
    if form.is_valid():
        try:
            services.enrollment_attendance(
                membership=request.membership,
                enrollment=enrollment,
                attendance=form.cleaned_data["attendance"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        except StaleRecord as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Attendance saved."))
    return redirect("certification:session", pk=enrollment.session_id)


@membership_required()
def enrollment_detail(request, pk):
    enrollment = _enrollment(request, pk, "assessments.view")
    progress = selectors.enrollment_progress(enrollment)
    results = {row.unit.pk: row.result for row in progress.rows if row.result}
    form = ResultsForm(
        request.POST or None,
        units=[row.unit for row in progress.rows],
        results=results,
        default_date=enrollment.session.date if enrollment.session.date <= timezone.localdate() else None,
        first_day=enrollment.session.date,
        last_day=timezone.localdate(),
        record=enrollment,
    )
    if request.method == "POST":
        _require(request, "assessments.manage")
        if form.is_valid():
            try:
                services.results_record(
                    membership=request.membership,
                    enrollment=enrollment,
                    results=form.results(),
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            except StaleRecord as error:
                form.stale(error)
            else:
                messages.success(request, _("The results were saved."))
                return redirect("certification:enrollment", pk=enrollment.pk)
    certificate = Certificate.objects.filter(enrollment=enrollment).first()
    return render(
        request,
        "certification/enrollment.html",
        {
            "enrollment": enrollment,
            "progress": progress,
            "form": form,
            "issue_form": IssueForm(),
            "certificate": certificate,
            "standard_entry": next(
                (
                    s
                    for s in enrollment.profile.snapshot.get("standards", [])
                    if s.get("code") == enrollment.session.standard.code
                ),
                None,
            ),
            "language": translation.get_language()[:2],
            "can_manage": request.membership.can("assessments.manage"),
            "can_issue": request.membership.can("certificates.issue"),
        },
        status=400 if form.is_bound else 200,
    )


@membership_required()
def certificate_issue(request, pk):
    """A confirmation first (GET, or a POST without `confirm`): what will be certified, about whom,
    and what the public page will show; the certificate is issued only on the confirmed POST."""
    enrollment = _enrollment(request, pk, "certificates.issue")
    form = IssueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and request.POST.get("confirm") == "yes":
        try:
            certificate = services.certificate_issue(
                membership=request.membership,
                enrollment=enrollment,
                public_fields=form.cleaned_data["public_fields"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("certification:enrollment", pk=enrollment.pk)
        messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.number})
        return redirect("certification:certificate", pk=certificate.pk)
    if request.method == "POST" and not form.is_valid():
        form.add_error(None, _("Choose what the verification page may show about the person."))
    progress = selectors.enrollment_progress(enrollment)
    return render(
        request,
        "certification/issue_confirm.html",
        {
            "enrollment": enrollment,
            "progress": progress,
            "form": form,
            "language": translation.get_language()[:2],
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


# --- Enrolment, from the person's signed skills profile ------------------------------------------


@membership_required()
def enroll(request, pk):
    profile = profile_for_page(membership=request.membership, pk=pk)
    _require(request, "candidates.enroll")
    open_sessions = selectors.sessions_open_for(profile=profile)
    consent = selectors.sharing_consent(profile.person)
    if request.method == "POST":
        session = next((s for s in open_sessions if str(s.pk) == request.POST.get("session", "")), None)
        if session is None:
            raise Http404
        try:
            services.enrollment_create(membership=request.membership, session=session, profile=profile)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("%(name)s was enrolled in the session.") % {"name": profile.person.full_name}
            )
        return redirect("certification:enroll", pk=profile.pk)
    enrollments = list(selectors.enrollments_of_person(person=profile.person))
    certificates = list(selectors.certificates_of(membership=request.membership, person=profile.person))
    return render(
        request,
        "certification/enroll.html",
        {
            "profile": profile,
            "sessions": open_sessions,
            "consent": consent,
            "enrollments": enrollments,
            "pending": {e.pk for e in enrollments if selectors.enrollment_is_pending(e)},
            "enrolled_in": {e.session_id for e in enrollments},
            "certificates": certificates,
            "certified": {c.standard_id for c in certificates if not c.revoked},
        },
    )


@membership_required()
@require_POST
def enrollment_withdraw(request, pk):
    enrollment = selectors.enrollment_to_withdraw(membership=request.membership, pk=pk)
    try:
        services.enrollment_withdraw(membership=request.membership, enrollment=enrollment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s was withdrawn from the session of %(date)s; the seat is free.")
            % {
                "name": enrollment.person.full_name,
                "date": date_format(enrollment.session.date, "DATE_FORMAT"),
            },
        )
    return redirect("certification:enroll", pk=enrollment.profile_id)


# --- Certificates ------------------------------------------------------------------------------------


@membership_required()
def certificate_detail(request, pk):
    certificate = selectors.certificate_for_page(membership=request.membership, pk=pk)
    membership = request.membership
    is_issuer = certificate.body_id == membership.organization_id
    return render(
        request,
        "certification/certificate.html",
        {
            "certificate": certificate,
            "verification_url": qr_payload(certificate),
            "revoke_form": RevokeForm() if is_issuer and membership.can("certificates.revoke") else None,
            "is_issuer": is_issuer,
            "language": translation.get_language()[:2],
        },
    )


@membership_required()
def certificate_pdf(request, pk):
    certificate = selectors.certificate_for_page(membership=request.membership, pk=pk)
    language = _language(request)
    services.certificate_printed(membership=request.membership, certificate=certificate, language=language)
    response = HttpResponse(
        render_certificate_pdf(certificate, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.number}-{language}.pdf"'
    return response


@membership_required()
def certificate_credential(request, pk):
    certificate = selectors.certificate_for_page(membership=request.membership, pk=pk)
    services.credential_downloaded(membership=request.membership, certificate=certificate)
    response = HttpResponse(certificate.credential, content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.jwt"'
    return response


@membership_required()
@require_POST
def certificate_revoke(request, pk):
    certificate = selectors.certificate_for_page(membership=request.membership, pk=pk)
    _require(request, "certificates.revoke")
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the certificate is revoked."))
        services.certificate_revoke(
            membership=request.membership, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The certificate was revoked."))
    return redirect("certification:certificate", pk=certificate.pk)


# --- Signing keys and the indicator -------------------------------------------------------------------


@membership_required("signing_keys.manage")
def signing_keys(request):
    if not selectors.works_for_a_body(request.membership):
        raise PermissionDenied
    body = request.membership.organization
    if request.method == "POST":
        services.signing_key_rotate_by(membership=request.membership)
        messages.success(request, _("A new signing key is active. Earlier certificates remain verifiable."))
        return redirect("certification:signing_keys")
    return render(
        request,
        "certification/signing_keys.html",
        {"body": body, "keys": body.signing_keys.all(), "did": credentials.body_did(body)},
    )


@membership_required("standards.view")
def programs(request):
    country_id = request.membership.organization.country_id
    return render(
        request,
        "certification/programs.html",
        {
            "counts": selectors.migrant_routes_by_country(),
            "standards": selectors.migrant_route_standards(country_id=country_id),
            "country": request.membership.organization.country,
        },
    )


# --- Public: keys, status lists, verification ----------------------------------------------------------


def _public_json(data, content_type="application/json"):
    import json

    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _body(pk):
    return get_scoped_or_404(Organization.objects.filter(kind=OrganizationKind.CERTIFYING_BODY), pk=pk)


@require_GET
@public_page()
def jwks(request, pk):
    return _public_json(credentials.jwks(_body(pk)), "application/jwk-set+json")


@require_GET
@public_page()
def public_key(request, pk, name):
    """One public key, as the JWK itself: what a credential's `kid` dereferences to (OB 3.0 §8.2)."""
    body = _body(pk)
    key = next((k for k in body.signing_keys.all() if k.name == name), None)
    if key is None:
        raise Http404
    return _public_json(credentials.public_jwk(key), "application/jwk+json")


@require_GET
@public_page()
def did_document(request, pk):
    return _public_json(credentials.did_document(_body(pk)), "application/did+json")


@require_GET
@never_cache
def status_list(request, pk):
    """The Bitstring Status List credential, a JWT signed like the certificates' credentials (ES256,
    typ JWT, the key's URL as kid) by the body's active key."""
    status = get_scoped_or_404(StatusList.objects.select_related("body"), pk=pk)
    token = credentials.sign(
        credentials.status_list_credential(status), services.active_signing_key(status.body)
    )
    response = HttpResponse(token, content_type="application/jwt")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _too_many(request):
    response = render(
        request,
        "certification/verify.html",
        {"form": None, "too_many": _("Too many requests: wait a moment and try again.")},
        status=429,
    )
    response["Retry-After"] = str(retry_after())
    return response


@never_cache
def verify(request):
    from incluye.certification.forms import VerifyForm

    form = VerifyForm(request.GET or None)
    result = None
    if form.is_bound:
        if not verification_allowed(request):
            return _too_many(request)
        if form.is_valid():
            result = selectors.verification(
                selectors.certificate_by_number(form.cleaned_data["number"], form.cleaned_data["code"])
            )
    return render(
        request, "certification/verify.html", {"form": form, "result": result, "language": _lang_short()}
    )


@never_cache
def verify_token(request, token):
    if not verification_allowed(request):
        return _too_many(request)
    result = selectors.verification(selectors.certificate_by_token(token))
    return render(
        request, "certification/verify.html", {"form": None, "result": result, "language": _lang_short()}
    )


def _lang_short() -> str:
    return (translation.get_language() or "es")[:2]
