"""Response headers every answer carries."""

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control


def public_page(max_age: int = 300):
    """For a view whose answer holds no personal data and may be kept by browsers and proxies
    (the public impact page, published keys): without it, every answer is `no-store`. Someone
    signed in still gets `no-store` (the page's header shows who they are)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if not response.has_header("Cache-Control") and not request.user.is_authenticated:
                patch_cache_control(response, public=True, max_age=max_age)
            return response

        return wrapped

    return decorator


class PrivateByDefaultMiddleware:
    """`Cache-Control: no-store` on every page and API answer that did not choose otherwise: pages
    with personal data must never stay in a shared computer's browser cache or a proxy. Public
    pages opt out with `@public_page`; static files are answered by WhiteNoise before this runs.
    Also the Permissions-Policy: no camera, microphone, location, payment or USB for anyone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        if settings.PERMISSIONS_POLICY and not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
