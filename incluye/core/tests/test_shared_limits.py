"""Rate limits and lockouts hold across processes: two `manage.py` processes (as two gunicorn
workers would be) share one database, and with it the shared cache. A per-process cache let the
sign-in limit of 5 allow 10 failures and the verification limit of 30 a minute allow 60."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

# The processes share a SQLite file of their own, whatever database the suite runs on: on the
# PostgreSQL run this would be the SQLite run once more (two processes, a migration: over a minute).
pytestmark = pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="runs its processes on a SQLite file of its own: once, in the SQLite run",
)

PASSWORD = "Una-Clave-Larga-2026"  # nosec B105
EMAIL = "dos.procesos@test.incluye.org"


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shared")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "INCLUYE_", "DJANGO_SETTINGS"))
    }
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{folder / 'shared.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        ALLOWED_HOSTS="testserver",
        INCLUYE_COUNTRIES="GT",
        INCLUYE_REQUIRE_MFA="0",
        INCLUYE_FIELD_KEYS="dGVzdC1rZXktbm90LWZvci1wcm9kdWN0aW9uLTEyMzQ=",
        INCLUYE_SEARCH_KEY="a-long-enough-search-key",
        INCLUYE_VERIFY_RATE_PER_MINUTE="4",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    run(
        env,
        f"from incluye.accounts.models import User; User.objects.create_user(email={EMAIL!r}, password={PASSWORD!r})",
    )
    return env


def run(env, code: str) -> str:
    """Run `code` in a new process (`manage.py shell`), with its own memory; returns what it printed."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", textwrap.dedent(code)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


SIGN_IN = """
from django.test import Client
client = Client()
for password in {passwords!r}:
    response = client.post("/accounts/login/", {{"login": {email!r}, "password": password}})
    print(response.status_code, "_auth_user_id" in client.session)
"""

VERIFY = """
from django.test import Client
client = Client()
for _ in range({times}):
    print(client.get("/certification/verify/", {{"number": "INTECAP-2026-000001", "code": "AAAA-AAAA"}}).status_code)
"""


def test_the_sign_in_limit_counts_failures_from_every_process(shared_database):
    first = run(shared_database, SIGN_IN.format(passwords=["mala"] * 3, email=EMAIL))
    assert first.splitlines() == ["200 False"] * 3
    # Another process: two more failures reach the limit of 5, then even the right password waits.
    second = run(shared_database, SIGN_IN.format(passwords=["mala", "mala", PASSWORD], email=EMAIL))
    assert second.splitlines()[-1] == "200 False"


def test_the_verification_limit_counts_look_ups_from_every_process(shared_database):
    assert run(shared_database, VERIFY.format(times=4)).splitlines() == ["200"] * 4
    assert run(shared_database, VERIFY.format(times=2)).splitlines() == ["429", "429"]
