"""Figure (issue 8): the dashboards at 1 000 000+ people, p50/p95 per dashboard over varied filters.

    DEBUG=1 scripts/with-postgres.sh .venv/bin/python bench/dashboard.py --scale 1      # 1 647 000 people
    DEBUG=1 .venv/bin/python bench/dashboard.py --scale 0.01                           # SQLite, quick

Builds the source text's "Impact in Numbers" (incluye.impact.seed: 1 647 000 people at scale 1, each
with a return, 40 % with a case moving along the pathway, documents, screenings, referrals and
follow-ups in proportion), checks that the engine recomputes the seed's totals, rebuilds the
indicator summary (timed), then requests each dashboard (the coordinator's country dashboard,
suppressed; an administrator's organization dashboard; the public page) end to end through
Django's test client (view, queries, template, SVG) with `--requests` varied filters each.
"""

import argparse
import os
import random
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
    os.environ["DATABASE_URL"] = "sqlite:////tmp/incluye-bench-dashboard.sqlite3"
    Path("/tmp/incluye-bench-dashboard.sqlite3").unlink(missing_ok=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=24)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    from incluye.accounts.models import Membership, Organization, User
    from incluye.core.models import Division
    from incluye.impact import indicators
    from incluye.impact.management.commands.seed_impact import check_seed
    from incluye.impact.seed import seed_impact
    from incluye.people.models import Person

    started = time.monotonic()
    expected = seed_impact(
        scale=args.scale, progress=lambda n: n % 200_000 == 0 and print(f"  {n} people", flush=True)
    )
    print(
        f"seed: {Person.objects.count()} people in {time.monotonic() - started:.0f} s ({connection.vendor})",
        flush=True,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    started = time.monotonic()
    checks = check_seed(expected)
    print(f"live recomputation of the seed's totals: {time.monotonic() - started:.1f} s")
    for label, want, got in checks:
        print(
            f"  {label:<45} expected {want!s:>10} computed {got!s:>10} {'ok' if want == got else 'DIFFERENT'}"
        )
    for code in expected["people_by_country"]:
        started = time.monotonic()
        cells = indicators.refresh_summary(code)
        print(f"summary {code}: {cells} cells in {time.monotonic() - started:.1f} s", flush=True)

    gt = Organization.objects.get(country_id="GT", kind="ministry", short_name="MINTRAB")
    reception = Organization.objects.get(country_id="GT", kind="reception_center")
    clients = {}
    for name, org, role in (("coordinator", gt, "coordinator"), ("organization", reception, "administrator")):
        user = User.objects.create_user(email=f"bench-{name}@bench.invalid", password="x")
        membership = Membership.objects.create(user=user, organization=org, role=role)
        client = Client()
        client.force_login(user)
        session = client.session
        from incluye.accounts.middleware import SESSION_KEY

        session[SESSION_KEY] = membership.pk
        session.save()
        clients[name] = client
    clients["public"] = Client()
    rng = random.Random(8)
    departments = list(Division.objects.filter(country_id="GT", level=1).values_list("pk", flat=True))
    periods = ["", "2019", "2023", "2021-06", "2017-01/2020-12", "2024-03", "2016/2025", "2025"]

    def params(i):
        p = {"period": periods[i % len(periods)]}
        if i % 3 == 1:
            p["department"] = rng.choice(departments)
        if i % 4 == 2:
            p["sex"] = rng.choice("FM")
        if i % 5 == 3:
            p["age_group"] = rng.choice(["18-24", "25-34", "35-44"])
        return p

    pages = {
        "coordinator": (reverse("impact:dashboard"), params),
        "organization": (reverse("impact:dashboard"), params),
        "public": (
            reverse("impact:public"),
            lambda i: {"country": "GTSVHNCR"[2 * (i % 4) : 2 * (i % 4) + 2], "lang": "es" if i % 2 else "en"},
        ),
    }
    print(f"\n{'dashboard':<14} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for name, (url, make) in pages.items():
        client = clients[name]
        client.get(url)  # warm the connection and templates
        times, queries = [], 0
        for i in range(args.requests):
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(url, make(i))
                times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            queries = max(queries, len(captured))
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            f"{name:<14} {len(times):>3} {statistics.median(times):>8.0f} {p95:>8.0f} {times[-1]:>8.0f} {queries:>8}"
        )
    print(f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
