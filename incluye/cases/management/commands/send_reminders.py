from django.core.management.base import BaseCommand

from incluye.cases.reminders import send_task_reminders


class Command(BaseCommand):
    help = "E-mail each person whose tasks are due today or overdue (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_task_reminders()} reminders sent.")
