from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from incluye.accounts.models import Organization
from incluye.certification.services import signing_key_rotate


class Command(BaseCommand):
    help = (
        "Give a certifying body a new active ES256 (ECDSA P-256) signing key. The previous keys stay published, "
        "so certificates they signed remain verifiable."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--body", type=int, required=True, help="id of the certifying body (organization)"
        )

    def handle(self, *args, body, **options):
        organization = Organization.objects.filter(pk=body).first()
        if organization is None:
            raise CommandError(f"No organization with id {body}.")
        try:
            key = signing_key_rotate(body=organization)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        self.stdout.write(f"{organization}: new active key {key.kid}")
