"""Personas for tests, reused by every app: same-organization staff, same-organization read-only,
an outsider organization, an employer and an administrator (healthchecks-style)."""

import datetime
import re
import time
import zoneinfo
from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client

from incluye.accounts.middleware import SESSION_KEY
from incluye.accounts.models import Membership, Organization, User
from incluye.accounts.roles import Role
from incluye.core.models import Country

PASSWORD = "Una-Clave-Larga-2026"  # nosec B105


def make_organization(name: str, *, country: str = "GT", kind: str = "ngo", sector: str = "civil_society"):
    return Organization.objects.create(
        name=name, country=Country.objects.get(code=country), kind=kind, sector=sector
    )


def make_member(
    organization, role: str, *, email: str | None = None, read_only: bool = False, mfa: bool = True
):
    email = email or f"{role}.{organization.pk}.{Membership.objects.count()}@test.incluye.org"
    user = User.objects.create_user(email=email, password=PASSWORD, first_name="Ana", last_name="López Pérez")
    if mfa:
        enable_totp(user)
    return Membership.objects.create(user=user, organization=organization, role=role, read_only=read_only)


def enable_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in(client: Client, user) -> Client:
    """`client.force_login`, plus what allauth's sign-in records in the session: the password and,
    for a user who has one, the second factor (a session without it is ended at the next page)."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.utils import is_mfa_enabled

    client.force_login(user)
    session = client.session
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    if is_mfa_enabled(user):
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def client_for(membership, client: Client | None = None) -> Client:
    client = sign_in(client or Client(), membership.user)
    session = client.session
    session[SESSION_KEY] = membership.pk
    session.save()
    return client


def navigation_counted(client: Client) -> Client:
    """Opens the home page, which counts the inbox: the navigation of every other page then keeps
    that count for a minute (`incluye.workspace.inbox.navigation_counts`). A test that compares the
    queries of two pages compares them after it, not a session's first page against its second."""
    answered = client.get("/").status_code
    if answered != 200:
        raise AssertionError(f"the home page answered {answered}")
    return client


@dataclass
class Personas:
    org: Organization
    outsider_org: Organization
    employer_org: Organization
    staff: Membership  # reception officer of org
    caseworker: Membership
    readonly: Membership  # reception officer, read only, of org
    admin: Membership  # administrator of org
    outsider: Membership  # reception officer of another organization
    outsider_admin: Membership
    employer: Membership

    def client(self, name: str) -> Client:
        return client_for(getattr(self, name))


def make_personas() -> Personas:
    org = make_organization("Centro de Recepción La Aurora", kind="reception_center", sector="public")
    outsider_org = make_organization("Asociación Otra", country="SV")
    employer_org = make_organization("Constructora Ejemplo, S. A.", kind="employer", sector="private")
    return Personas(
        org=org,
        outsider_org=outsider_org,
        employer_org=employer_org,
        staff=make_member(org, Role.RECEPTION_OFFICER),
        caseworker=make_member(org, Role.CASEWORKER),
        readonly=make_member(org, Role.RECEPTION_OFFICER, read_only=True),
        admin=make_member(org, Role.ADMINISTRATOR),
        outsider=make_member(outsider_org, Role.RECEPTION_OFFICER),
        outsider_admin=make_member(outsider_org, Role.ADMINISTRATOR),
        employer=make_member(employer_org, Role.EMPLOYER, mfa=False),
    )


# A CSRF token is 64 random letters and digits, masked anew in each form, and every script and style
# carries a random nonce: a page holds one word of three letters by chance about once in a thousand
# renderings, so a test that proves a word is NOT on a page reads the page without them.
_RANDOM_TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": "|nonce=")[A-Za-z0-9+/=_-]+')


def page_text(response) -> str:
    """The page a response renders, without its random CSRF tokens and nonces, for "never shows X"
    checks."""
    return _RANDOM_TOKENS.sub(r"\1", response.content.decode())


def local_moment(text: str) -> datetime.datetime:
    """An aware datetime for "2026-12-31 22:00" on the deployment's clock (its TIME_ZONE), to
    travel to with time_machine: dates are what people there see, not what UTC says."""
    naive = datetime.datetime.fromisoformat(text)
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


# Days on which calendar arithmetic goes wrong: the end of a short and a long month, the leap day,
# the last and first day of a year. Scheduling tests run on each of them.
AWKWARD_DAYS = {
    "30-november": datetime.date(2026, 11, 30),
    "31-december": datetime.date(2026, 12, 31),
    "1-january": datetime.date(2027, 1, 1),
    "31-january": datetime.date(2027, 1, 31),
    "29-february": datetime.date(2028, 2, 29),
}


def tiny_pdf(title: str = "") -> bytes:
    """A real one-page PDF (what a scan must be), with `title` in its metadata."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def tiny_image(kind: str = "PNG", size=(4, 4)) -> bytes:
    """A real raster image (PNG, JPEG or WEBP) that decodes."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


def make_token(membership, *, scope: str = "write", days: int = 30) -> str:
    """A personal API token's key for `membership` (its user must have a second factor)."""
    from incluye.accounts.services import api_token_create

    return api_token_create(membership=membership, name="pruebas", scope=scope, days=days)[1]
