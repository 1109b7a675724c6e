from django.core.management.base import BaseCommand

from incluye.cases.services import alerts_escalate


class Command(BaseCommand):
    help = (
        "Escalate the risk alerts nobody acknowledged within INCLUYE_ALERT_ESCALATION_HOURS to the "
        "organization's administrators and psychosocial staff (run every few minutes, e.g. from cron)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{alerts_escalate()} alerts escalated.")
