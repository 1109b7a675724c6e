import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by each organization's administrator: nobody signs up alone."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        """A mail server that is down or refuses the message must not turn a page (the password
        reset, a security notice) into a server error. The page answers as usual (it never tells
        whether an account exists); the failure is logged for the operators, without the address."""
        try:
            super().send_mail(template_prefix, email, context)
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not send the e-mail %s", template_prefix)
