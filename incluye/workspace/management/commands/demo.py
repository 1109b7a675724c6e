import time

from django.core.management.base import BaseCommand

from incluye.workspace.demo import demo_load


class Command(BaseCommand):
    help = "Load demo data: four national alliances, one user per role, and generated participants."

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, default=300, help="participants to have in total (default 300)"
        )
        parser.add_argument("--quiet-accounts", action="store_true", help="do not print the demo accounts")

    def handle(self, *args, people, quiet_accounts, **options):
        started = time.monotonic()

        def progress(done):
            if done % 50000 == 0:
                self.stdout.write(f"  … {done} people in this batch")

        result = demo_load(people=people, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result['people_created']} new participants in {elapsed:.1f} s."
            )
        )
        if not quiet_accounts:
            self.stdout.write(f"\nDemo accounts (password for all: {result['password']})")
            for account in result["accounts"]:
                flag = " (read only)" if account.get("read_only") else ""
                self.stdout.write(
                    f"  {account['email']:<34} {account['role']:<18} {account['organization']}{flag}"
                )
            participant = result.get("participant")
            if participant:
                self.stdout.write(
                    f"\nThe person's own page: /me/ — {participant['person']}, phone {participant['phone']} "
                    "(country Guatemala); the sign-in code is printed on this console."
                )
