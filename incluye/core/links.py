"""Links that leave Incluye (e-mails, short messages, credentials, QR codes) are absolute:
the site's public address (`SITE_URL`) followed by the page's path."""

from django.conf import settings
from django.urls import reverse


def site_url(path: str = "") -> str:
    """The site's address without a trailing slash, followed by `path` (which starts with "/")."""
    return settings.SITE_URL.rstrip("/") + path


def absolute_url(viewname: str, *args) -> str:
    """The absolute address of a named page: `absolute_url("cases:detail", case.pk)`."""
    return site_url(reverse(viewname, args=args))
