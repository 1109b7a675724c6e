"""System checks of a production deployment. `manage.py check --deploy` reports them, and the WSGI
and ASGI entry points run them when DEBUG is off: production refuses to start without its keys and
its e-mail configuration, instead of failing on the first sensitive record or the first e-mail."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# Backends that never deliver a message to anybody: fine on a laptop, never in production.
UNDELIVERED = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@checks.register(checks.Tags.security, deploy=True)
def check_field_keys(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    from incluye.core.crypto import key_problems

    return [
        checks.Error(
            f"The keys that encrypt sensitive data are missing or unusable: {problem}.",
            hint="Set INCLUYE_FIELD_KEYS and INCLUYE_SEARCH_KEY, or INCLUYE_KEYS_FILE with lines field=… "
            "and search=…; `manage.py rotate_field_keys --new-key` prints a new field key.",
            id="incluye.E001",
        )
        for problem in key_problems()
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_email(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    mailer = settings.MAILERS.get("default", {})
    backend, options = mailer.get("BACKEND", ""), mailer.get("OPTIONS") or {}
    errors = []
    if backend in UNDELIVERED:
        errors.append(
            checks.Error(
                f"E-mail goes to {backend.rsplit('.', 2)[-2]}: nobody receives the welcome, the password "
                "reset or any notification.",
                hint="Set EMAIL_BACKEND to an SMTP or provider backend and EMAIL_OPTIONS.",
                id="incluye.E002",
            )
        )
    elif backend == SMTP and not options.get("host"):
        errors.append(
            checks.Error(
                "E-mail is sent by SMTP but EMAIL_OPTIONS names no host.",
                hint='Set EMAIL_OPTIONS, e.g. {"host": "smtp.example.org", "port": 587, "username": …, '
                '"password": …, "use_tls": true}.',
                id="incluye.E002",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.rstrip(">").endswith(".invalid"):
        errors.append(
            checks.Error(
                "DEFAULT_FROM_EMAIL is the placeholder address: replies and bounces go nowhere.",
                hint="Set DEFAULT_FROM_EMAIL to the deployment's own address.",
                id="incluye.E003",
            )
        )
    return errors


def refuse_to_start_if_misconfigured() -> None:
    """Called by the WSGI and ASGI entry points: with DEBUG off, every error-level deployment
    check (ours and Django's) stops the server before it answers anyone."""
    if settings.DEBUG or getattr(settings, "TESTING", False):
        return
    serious = [m for m in checks.run_checks(include_deployment_checks=True) if m.is_serious()]
    if serious:
        raise ImproperlyConfigured(
            "Incluye refuses to start:\n" + "\n".join(f"{m.id}: {m.msg} {m.hint or ''}" for m in serious)
        )
