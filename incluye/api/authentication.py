"""`Authorization: Token …` for the REST API: the personal tokens users create on their security
page (incluye.accounts.models.ApiToken). A token works only while it is neither expired nor revoked,
while its account still has a second factor, and as the membership it was created for."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from incluye.accounts.selectors import api_token_by_key, has_second_factor
from incluye.accounts.services import api_token_used


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Token <key>”."))
        key = header[1].decode("utf-8", errors="replace")
        token = api_token_by_key(key)
        now = timezone.now()
        if token is None or not token.is_usable(now):
            raise exceptions.AuthenticationFailed(_("This token is not valid, has expired or was revoked."))
        membership, user = token.membership, token.user
        if not (user.is_active and membership.is_active and membership.organization.is_active):
            raise exceptions.AuthenticationFailed(_("This token is not valid, has expired or was revoked."))
        if not has_second_factor(user):
            raise exceptions.AuthenticationFailed(
                _("API tokens work only for accounts with a second factor.")
            )
        request._request.membership = membership
        api_token_used(token=token, now=now)
        return user, token

    def authenticate_header(self, request):
        return self.keyword
