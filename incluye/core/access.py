"""Access in one place. Every view and API endpoint that shows records goes through these:

- `membership_required(permission)` makes sure the user works for an organization (the active
  membership) whose role allows `permission` — otherwise 403. Views of one object use it without
  a permission and look the object up first, so that what another organization asks for is a
  404 before any 403 can tell it exists;
- selectors return querysets already scoped to what that membership may see, and
  `get_scoped_or_404` fetches one object from such a queryset, so a record of another
  organization answers 404, exactly as a record that does not exist.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect


def membership_required(permission: str | None = None):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if membership is None:
                return redirect("accounts:no_membership")
            if permission and not membership.can(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_scoped_or_404(queryset, **lookup):
    """One object of a scoped queryset; a foreign or malformed id is a 404, never a leak."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
