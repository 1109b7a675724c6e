"""Verification is public: each client address gets a number of look-ups per minute (Django's cache),
so certificates cannot be harvested by trying numbers."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 60


def verification_allowed(request) -> bool:
    """Counts this request; False once the address went over the limit in the current minute."""
    limit = getattr(settings, "INCLUYE_VERIFY_RATE_PER_MINUTE", 30)
    address = request.META.get("REMOTE_ADDR", "")
    bucket = int(time.time() // WINDOW)
    key = f"certification:verify:{hashlib.sha256(address.encode()).hexdigest()[:32]}:{bucket}"
    cache.add(key, 0, WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW * 2)
        count = 1
    return count <= limit


def retry_after() -> int:
    return WINDOW - int(time.time() % WINDOW) or 1
