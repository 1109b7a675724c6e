"""Receivers of allauth's signals."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator


def second_factor_activated(sender, request, user, authenticator, **kwargs):
    """Activating a TOTP app proves the code in the same session: that session passed the second
    factor (otherwise the session that set it up would be ended at the next page)."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", type=authenticator.type, id=authenticator.pk)
