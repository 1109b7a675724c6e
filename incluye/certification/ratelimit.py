"""Verification is public: each client address gets a number of look-ups per minute, counted by
allauth's rate limiter (a sliding window under a lock) in the shared cache — the same counters
for every worker process and every server, as for the sign-in's limit of failed attempts."""

from allauth.core.internal import ratelimit
from django.conf import settings

WINDOW = 60
ACTION = "incluye_verify"


def verification_allowed(request) -> bool:
    """Counts this request; False once the address went over the limit in the last minute."""
    limit = getattr(settings, "INCLUYE_VERIFY_RATE_PER_MINUTE", 30)
    usage = ratelimit.consume(
        request,
        app="incluye.certification",
        action=ACTION,
        config={ACTION: f"{limit}/{WINDOW}s/ip"},
        limit_get=True,  # verification is a GET
    )
    return usage is not None


def retry_after() -> int:
    return WINDOW
