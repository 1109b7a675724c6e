"""Background work of the accounts app (Django tasks, run by `manage.py db_worker`)."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from incluye.accounts.models import Organization, User
from incluye.core.links import site_url


@task()
def send_welcome_email(*, user_id: int, organization_id: int) -> None:
    """Tell a new member they have an account, in their language, with a link to set a password.

    The link is a one-time password-reset key: no password travels by e-mail.
    """
    user = User.objects.get(pk=user_id)
    organization = Organization.objects.get(pk=organization_id)
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    context = {"user": user, "organization": organization, "link": site_url(path)}
    with translation.override(user.preferred_language):
        subject = render_to_string("accounts/email/welcome_subject.txt", context).strip()
        body = render_to_string("accounts/email/welcome_body.txt", context)
    send_mail(subject, body, None, [user.email])
