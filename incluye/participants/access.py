"""Who is signed in at /me/. A participant's session holds their account's id under its own key,
never a Django user: staff pages, the API and the admin see an anonymous visitor. /me/ in turn
refuses staff sessions (404), so one browser never mixes the two doors. Sessions are short: they
end after `INCLUYE_PARTICIPANT_SESSION_MINUTES` without activity, and when the browser closes."""

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect

from incluye.accounts.roles import participant_can

SESSION_KEY = "incluye_participant_account"
PHONE_KEY = "incluye_participant_phone"


def sign_in(request, account) -> None:
    request.session.cycle_key()  # a new session id: nothing from before the sign-in carries over
    request.session.pop(PHONE_KEY, None)
    request.session[SESSION_KEY] = account.pk
    request.session.set_expiry(settings.INCLUYE_PARTICIPANT_SESSION_MINUTES * 60)


def sign_out(request) -> None:
    request.session.flush()


def current_account(request):
    from incluye.participants.selectors import active_account

    if not hasattr(request, "_participant_account"):
        request._participant_account = active_account(request.session.get(SESSION_KEY))
    return request._participant_account


def refuse_staff(view):
    """Staff (a signed-in user) never use /me/: the person's door is the person's."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def participant_required(permission: str):
    """A signed-in participant whose role allows `permission` (on their own record); otherwise
    the sign-in page. Staff get 404."""

    def decorator(view):
        @wraps(view)
        @refuse_staff
        def wrapped(request, *args, **kwargs):
            account = current_account(request)
            if account is None:
                if SESSION_KEY in request.session:
                    request.session.flush()  # access withdrawn meanwhile
                return redirect("me:sign_in")
            if not participant_can(permission):
                raise Http404
            request.participant = account
            # Each page seen keeps the short session alive for another period, no longer.
            request.session.set_expiry(settings.INCLUYE_PARTICIPANT_SESSION_MINUTES * 60)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
