"""Figure (issue 14): a caseworker's inbox with 500 open items, at 1 000 000 people, renders in under
300 ms on PostgreSQL.

    DEBUG=1 scripts/with-postgres.sh .venv/bin/python bench/inbox.py --people 1000000
    DEBUG=1 .venv/bin/python bench/inbox.py --people 20000        # SQLite, a quick look

Loads the demo (`demo_load`: four alliances, the demo accounts, N generated people over the four
reception centers, the pathway's demo records), then gives the Guatemalan NGO's caseworker
(gestora@) 500 open items of every kind her inbox shows: new cases given to her, tasks due this
week, handoffs received from the reception center, employers' invitations waiting for the
person's answer, retention follow-ups due (cases at other stages, with their follow-up tasks months
ahead, come with them). Then requests her home page (the inbox: every section counted in one query,
the first items of each, the navigation's counts, the page) through Django's test client, after
three warm-up requests, and prints the median and p95 over `--requests` requests, with the number of
queries each request made.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("INCLUYE_REQUIRE_MFA", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = "sqlite:////tmp/incluye-bench-inbox.sqlite3"
    Path("/tmp/incluye-bench-inbox.sqlite3").unlink(missing_ok=True)

ITEMS = {"new_cases": 150, "tasks": 150, "handoffs": 70, "invitations": 70, "follow_ups": 60}


def give_work(caseworker, officer, employer):
    """ITEMS[...] open items of each kind in the caseworker's inbox."""
    from django.db import transaction
    from django.utils import timezone

    from incluye.cases import services as cases
    from incluye.jobs.models import Application, ApplicationStatus, Placement, RetentionFollowUp, Vacancy
    from incluye.people.generate import PeopleGenerator
    from incluye.people.models import Person
    from incluye.people.services import consent_record
    from incluye.referrals import services as acts

    ngo = caseworker.organization
    today = timezone.localdate()
    wanted = ITEMS["new_cases"] + ITEMS["tasks"] // 3 + ITEMS["invitations"] + ITEMS["follow_ups"]
    PeopleGenerator(seed=14).create(organization=ngo, count=wanted)
    people = iter(Person.objects.filter(organization=ngo, cases__isnull=True, job_applications__isnull=True))
    with transaction.atomic():
        for _ in range(ITEMS["new_cases"]):
            cases.case_open(membership=caseworker, person=next(people))
        for n in range(ITEMS["tasks"] // 3):
            case = cases.case_open(membership=caseworker, person=next(people))
            cases.case_move(
                membership=caseworker, case=case, to_status="documents", expected_version=case.version
            )
            for k in range(3):
                cases.task_create(
                    membership=caseworker,
                    case=case,
                    title=f"Llamar a la familia ({k + 1})",
                    due_on=today + datetime.timedelta(days=(n + k) % 9 - 2),
                )
        reception_people = Person.objects.filter(organization=officer.organization)[: ITEMS["handoffs"]]
        for person in reception_people:
            consent_record(
                membership=officer,
                person=person,
                purpose="alliance_sharing",
                given=True,
                method="signed_form",
            )
            acts.handoff_send(membership=officer, person=person, to_organization=ngo)
        vacancy = Vacancy.objects.filter(employer=employer.organization).first()
        for n in range(ITEMS["invitations"]):
            Application.objects.create(
                vacancy=Vacancy.objects.create(
                    employer=employer.organization,
                    title=f"{vacancy.title} {n}",
                    occupation=vacancy.occupation,
                    municipality=vacancy.municipality,
                ),
                person=next(people),
                status=ApplicationStatus.INVITED,
                answer_due_on=today + datetime.timedelta(days=n % 10 - 3),
            )
        for n in range(ITEMS["follow_ups"]):
            person = next(people)
            hired = Application.objects.create(
                vacancy=Vacancy.objects.create(
                    employer=employer.organization,
                    title=f"{vacancy.title} contratación {n}",
                    occupation=vacancy.occupation,
                    municipality=vacancy.municipality,
                ),
                person=person,
                status=ApplicationStatus.HIRED,
            )
            placement = Placement.objects.create(
                application=hired,
                person=person,
                employer=employer.organization,
                started_on=today - datetime.timedelta(days=30),
                pathway="local_program",
            )
            RetentionFollowUp.objects.create(
                placement=placement, months=1, due_on=today + datetime.timedelta(days=n % 7 - 3)
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from incluye.accounts.models import Membership
    from incluye.people.models import Person
    from incluye.workspace.demo import demo_load

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    demo_load(people=args.people, progress=lambda n: n % 200_000 == 0 and print(f"  {n} people", flush=True))
    print(
        f"demo: {Person.objects.count()} people in {time.monotonic() - started:.0f} s ({connection.vendor})",
        flush=True,
    )
    caseworker = Membership.objects.get(user__email="gestora@demo.incluye.org", role="caseworker")
    officer = Membership.objects.get(user__email="recepcion@demo.incluye.org", role="reception_officer")
    employer = Membership.objects.get(user__email="empleador@demo.incluye.org", role="employer")
    started = time.monotonic()
    give_work(caseworker, officer, employer)
    print(f"work for the caseworker: {time.monotonic() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    client = Client()
    client.force_login(caseworker.user)
    url = reverse("home")
    from incluye.workspace.inbox import inbox_for

    sections = inbox_for(membership=caseworker)
    total = sum(s.count for s in sections)
    print(f"inbox of {caseworker.user.email}: {total} open items")
    for section in sections:
        print(f"  {section.key:<22} {section.count:>5} ({section.overdue} overdue)")
    assert total >= 500, total
    for _ in range(2):
        client.get(url)
    timings, queries = [], set()
    for _ in range(args.requests):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        queries.add(len(captured))
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(
        f"home (inbox), {args.requests} requests: median {statistics.median(timings):.0f} ms, "
        f"p95 {p95:.0f} ms, max {timings[-1]:.0f} ms; queries per request {sorted(queries)}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
