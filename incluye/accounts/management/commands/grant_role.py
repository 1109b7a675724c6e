"""The deployment's operator gives a role directly (for example the first administrator of a new
organization, who has no other administrator to approve them). Logged with no actor: it is done
from the server, not from an account."""

from django.core.management.base import BaseCommand, CommandError

from incluye.accounts.models import Organization
from incluye.accounts.roles import Role
from incluye.accounts.services import membership_add


class Command(BaseCommand):
    help = "Give a user a role in an organization (the operator's bootstrap; no approval step)."

    def add_arguments(self, parser):
        parser.add_argument("--organization", type=int, required=True, help="the organization's id")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--read-only", action="store_true")

    def handle(self, *args, organization, email, role, read_only, **options):
        try:
            org = Organization.objects.get(pk=organization)
        except Organization.DoesNotExist as error:
            raise CommandError(f"No organization with id {organization}") from error
        membership = membership_add(actor=None, organization=org, email=email, role=role, read_only=read_only)
        self.stdout.write(f"{membership}")
