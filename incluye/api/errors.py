"""Structured API errors: every failure answers

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"field": ["…"]}}}

with a translated message, never an HTML page or a 500 for bad input."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    400: lambda: _("Some of the data sent is not valid."),
    401: lambda: _("Sign in or send a valid token."),
    403: lambda: _("You do not have permission to do this."),
    404: lambda: _("Not found."),
    405: lambda: _("This method is not allowed here."),
    429: lambda: _("Too many requests: wait a moment and try again."),
}


def exception_handler(exc, context):
    from incluye.core.versioning import StaleRecord

    if isinstance(exc, StaleRecord):
        # A change made on an old copy: 409, saying what changed since and what is stored now.
        return Response({"error": exc.as_api_error()}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = status.HTTP_400_BAD_REQUEST if response.status_code == 400 else response.status_code
    body = {"status": code, "code": getattr(exc, "default_code", "error")}
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        body["message"] = str(MESSAGES[400]())
        if isinstance(detail, dict):
            body["fields"] = {k: v if isinstance(v, list) else [v] for k, v in detail.items()}
        else:
            body["fields"] = {"non_field_errors": detail if isinstance(detail, list) else [detail]}
    else:
        message = detail.get("detail") if isinstance(detail, dict) else None
        body["message"] = str(message or MESSAGES.get(code, lambda: _("Error."))())
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        if isinstance(codes, str):
            body["code"] = codes
    headers = {k: response[k] for k in ("WWW-Authenticate", "Retry-After", "Allow") if response.has_header(k)}
    return Response({"error": body}, status=response.status_code, headers=headers)


def form_errors(form) -> exceptions.ValidationError:
    """A Django form's errors as the API's structured 400 (the web forms' rules and messages)."""
    return exceptions.ValidationError(
        {("non_field_errors" if k == "__all__" else k): [str(m) for m in v] for k, v in form.errors.items()}
    )


def error_response(message: str, code: str, http_status: int = 400) -> Response:
    """A refusal that is not about a field (a transition not allowed, a stale version…)."""
    return Response({"error": {"status": http_status, "code": code, "message": message}}, status=http_status)


def require_version(request) -> int:
    """The version the client read (`version` in the body, or `If-Match`): every change of a stored
    record must say which version it changes, or it is a 400."""
    from incluye.core.versioning import version_from

    version = version_from(request.data, request.headers)
    if version is None:
        raise exceptions.ValidationError(
            {"version": [_("Send the version you read (the record's `version`, or an If-Match header).")]}
        )
    return version
