"""The person's own door (/me/): thin views over `services` and `selectors`. No JavaScript; every
page is small (a minimal base template and stylesheet) and works at 320 px."""

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.versioning import StaleRecord, posted_version
from incluye.participants import access, selectors, services
from incluye.participants.forms import CodeForm, PhoneForm

APP = "incluye.participants"


def _limited(request, action: str, key: str, *, dry_run: bool = False) -> bool:
    """Counts one attempt (allauth's limiter, the shared cache); True when over the limit."""
    usage = ratelimit.consume(
        request,
        app=APP,
        action=action,
        config=settings.INCLUYE_PARTICIPANT_RATE_LIMITS,
        key=key,
        dry_run=dry_run,
    )
    return usage is None


# Signing in -----------------------------------------------------------------------------------


@access.refuse_staff
def sign_in(request):
    if access.current_account(request) is not None:
        return redirect("me:home")
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            if _limited(request, "participant_code_send", phone):
                form.add_error(None, _("Too many codes were asked for. Wait a few minutes and try again."))
                status = 429
            else:
                services.sign_in_code_send(phone=phone)
                # The same answer whether or not the phone was invited: nothing to learn here.
                request.session[access.PHONE_KEY] = phone
                return redirect("me:code")
        else:
            status = 400
    return render(request, "participants/sign_in.html", {"form": form}, status=status)


@access.refuse_staff
def code(request):
    phone = request.session.get(access.PHONE_KEY)
    if not phone:
        return redirect("me:sign_in")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif _limited(request, "participant_login_failed", phone, dry_run=True):
            form.add_error(None, _("Too many wrong codes. Wait a few minutes, then ask for a new code."))
            status = 429
        else:
            account = services.sign_in_code_check(phone=phone, code=form.cleaned_data["code"])
            if account is not None:
                access.sign_in(request, account)
                return redirect("me:home")
            _limited(request, "participant_login_failed", phone)
            form.add_error(
                "code", _("This code is not right, or it expired. Check it, or ask for a new one.")
            )
            status = 400
    return render(
        request,
        "participants/code.html",
        {"form": form, "phone_end": phone[-4:], "minutes": settings.INCLUYE_PARTICIPANT_CODE_MINUTES},
        status=status,
    )


@access.refuse_staff
@require_POST
def code_again(request):
    phone = request.session.get(access.PHONE_KEY)
    if not phone:
        return redirect("me:sign_in")
    if _limited(request, "participant_code_send", phone):
        messages.error(request, _("Too many codes were asked for. Wait a few minutes and try again."))
    else:
        services.sign_in_code_send(phone=phone)
        messages.success(request, _("We sent you a new code."))
    return redirect("me:code")


@access.refuse_staff
@require_POST
def sign_out(request):
    access.sign_out(request)
    return redirect("me:sign_in")


# My pathway -----------------------------------------------------------------------------------


@access.participant_required("own.pathway.view")
def home(request):
    context = selectors.pathway(account=request.participant)
    context["invitations"] = [
        a for a in selectors.applications(account=request.participant) if a.status == "invited"
    ]
    return render(request, "participants/home.html", context)


# My consents ----------------------------------------------------------------------------------

EFFECTS = {
    "case_management": lambda: _(
        "The organizations working with you will no longer follow your case without talking to you first."
    ),
    "alliance_sharing": lambda: _(
        "The other organizations of the alliance stop seeing your record at once; they no longer find you."
    ),
    "employer_profile": lambda: _(
        "Employers stop seeing your anonymous profile at once, and you will not receive new invitations."
    ),
    "stories": lambda: _("Your story is no longer shown in the alliance's communications."),
}


@access.participant_required("own.consents.view")
def consents(request):
    rows = selectors.consents(account=request.participant)
    for row in rows:
        row["effect"] = EFFECTS[row["purpose"]]()
    return render(request, "participants/consents.html", {"rows": rows})


@access.participant_required("own.consents.withdraw")
def consent_withdraw(request, purpose):
    rows = {row["purpose"]: row for row in selectors.consents(account=request.participant)}
    if purpose not in rows:
        raise Http404
    row = rows[purpose]
    if request.method == "POST":
        if row["given"]:
            services.consent_withdraw(account=request.participant, purpose=purpose)
        messages.success(request, _("Your consent is withdrawn. It counts from now on, everywhere."))
        return redirect("me:consents")
    row["effect"] = EFFECTS[purpose]()
    return render(request, "participants/consent_withdraw.html", {"row": row})


# My data --------------------------------------------------------------------------------------


@access.participant_required("own.access_report.view")
def my_data(request):
    return render(
        request,
        "participants/data.html",
        {
            "entries": selectors.who_saw(account=request.participant),
            "copy_request": selectors.open_copy_request(account=request.participant),
        },
    )


@access.participant_required("own.data.request_copy")
@require_POST
def copy_request(request):
    services.copy_request(account=request.participant)
    messages.success(
        request,
        _("We received your request. The organization that registered you will give you the copy."),
    )
    return redirect("me:data")


# My job opportunities -------------------------------------------------------------------------


@access.participant_required("own.invitations.answer")
def jobs(request):
    return render(
        request,
        "participants/jobs.html",
        {"applications": selectors.applications(account=request.participant)},
    )


@access.participant_required("own.invitations.answer")
def job(request, pk):
    application = selectors.application_or_404(account=request.participant, pk=pk)
    return render(request, "participants/job.html", {"application": application})


@access.participant_required("own.invitations.answer")
@require_POST
def job_answer(request, pk):
    application = selectors.application_or_404(account=request.participant, pk=pk)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        return HttpResponseBadRequest()
    try:
        services.invitation_answer(
            account=request.participant,
            application=application,
            accept=answer == "accept",
            expected_version=posted_version(request.POST),
        )
    except StaleRecord as error:
        messages.error(request, error.message)
    except (TransitionNotAllowed, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    else:
        messages.success(
            request,
            _("You accepted. The employer now sees your name and will contact you.")
            if answer == "accept"
            else _("You declined the invitation. The employer does not learn who you are."),
        )
    return redirect("me:job", pk=application.pk)


# My certificates ------------------------------------------------------------------------------


@access.participant_required("own.certificates.view")
def certificates(request):
    from incluye.certification.pdf import qr_data_uri, qr_payload

    items = [
        {"certificate": c, "verify_url": qr_payload(c), "qr": qr_data_uri(qr_payload(c))}
        for c in selectors.certificates(account=request.participant)
    ]
    return render(request, "participants/certificates.html", {"items": items})


@access.participant_required("own.certificates.view")
def certificate_pdf(request, pk):
    from incluye.certification.pdf import render_certificate_pdf

    certificate = selectors.certificate_or_404(account=request.participant, pk=pk)
    language = request.GET.get("lang", translation.get_language()[:2])
    language = language if language in {"es", "en"} else "es"
    services.certificate_opened(account=request.participant, certificate=certificate, what="pdf")
    response = HttpResponse(
        render_certificate_pdf(certificate, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}-{language}.pdf"'
    return response


@access.participant_required("own.certificates.view")
def certificate_credential(request, pk):
    certificate = selectors.certificate_or_404(account=request.participant, pk=pk)
    services.certificate_opened(account=request.participant, certificate=certificate, what="credential")
    response = HttpResponse(certificate.credential, content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.jwt"'
    return response


# Staff: the person's door, from the person's page ---------------------------------------------


def _person_for_staff(request, pk):
    from incluye.people.selectors import people_visible_to

    return get_scoped_or_404(people_visible_to(membership=request.membership), pk=pk)


@membership_required()
def staff_person(request, pk):
    person = _person_for_staff(request, pk)
    if not request.membership.can("participants.invite") and not request.membership.can("people.export"):
        raise PermissionDenied
    return render(
        request,
        "participants/staff_person.html",
        {
            "person": person,
            "account": selectors.account_of(person=person),
            "copy_requests": selectors.copy_requests_of(person=person),
        },
    )


@membership_required()
@require_POST
def staff_invite(request, pk):
    person = _person_for_staff(request, pk)
    if not request.membership.can("participants.invite"):
        raise PermissionDenied
    try:
        services.participant_invite(membership=request.membership, person=person)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The invitation was sent by text message to the person's phone."))
    return redirect(request.POST.get("next") or reverse("participants:person", args=[person.pk]))


@membership_required()
@require_POST
def staff_revoke(request, pk):
    person = _person_for_staff(request, pk)
    if not request.membership.can("participants.invite"):
        raise PermissionDenied
    account = selectors.account_of(person=person)
    if account is None:
        raise Http404
    services.participant_revoke(membership=request.membership, account=account)
    messages.success(request, _("The person's access was withdrawn."))
    return redirect("participants:person", pk=person.pk)


@membership_required()
@require_POST
def staff_copy_delivered(request, pk):
    copy_request = get_scoped_or_404(selectors.copy_requests_waiting(membership=request.membership), pk=pk)
    services.copy_request_deliver(membership=request.membership, copy_request=copy_request)
    messages.success(request, _("The request is marked as delivered."))
    return redirect("participants:person", pk=copy_request.person_id)
