from django.core.management.base import BaseCommand

from incluye.core.notify import send_digest


class Command(BaseCommand):
    help = (
        "Send each user who chose a daily digest one message with the notifications kept for them "
        "(run daily, e.g. from cron)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_digest()} digests sent.")
