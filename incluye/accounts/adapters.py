from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by each organization's administrator: nobody signs up alone."""

    def is_open_for_signup(self, request):
        return False
