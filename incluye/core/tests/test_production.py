"""Production refuses to start without its keys and its e-mail configuration; a mail server that
is down never turns a page into a server error."""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from incluye.core import crypto

pytestmark = pytest.mark.django_db

FERNET = "dGVzdC1rZXktbm90LWZvci1wcm9kdWN0aW9uLTEyMzQ="


@pytest.fixture
def production(settings, tmp_path):
    settings.DEBUG = False
    settings.INCLUYE_FIELD_KEYS = ""
    settings.INCLUYE_SEARCH_KEY = ""
    settings.INCLUYE_KEYS_FILE = str(tmp_path / "no-such.keys")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {}}}
    settings.DEFAULT_FROM_EMAIL = "Incluye <no-reply@incluye.invalid>"
    crypto.reset()
    yield settings
    crypto.reset()


def _deploy_errors():
    with pytest.raises(SystemCheckError) as error:
        call_command("check", deploy=True, fail_level="ERROR")
    return str(error.value)


def test_check_deploy_refuses_a_deployment_without_keys_or_email(production):
    errors = _deploy_errors()
    assert "incluye.E001" in errors and "INCLUYE_FIELD_KEYS is not set" in errors
    assert "INCLUYE_SEARCH_KEY is not set" in errors
    assert "incluye.E002" in errors and "incluye.E003" in errors


def test_check_deploy_refuses_a_key_that_is_not_a_fernet_key(production):
    production.INCLUYE_FIELD_KEYS = "not-a-key"
    production.INCLUYE_SEARCH_KEY = "a-long-enough-search-key"
    errors = _deploy_errors()
    assert "field key number 1 is not a Fernet key" in errors
    assert "INCLUYE_SEARCH_KEY is" not in errors


def test_the_keys_file_is_an_alternative_to_the_variables(production, tmp_path):
    keys = tmp_path / "incluye.keys"
    keys.write_text(f"field={FERNET}\nsearch=a-long-enough-search-key\n")
    production.INCLUYE_KEYS_FILE = str(keys)
    production.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "smtp.incluye.example"},
        }
    }
    production.DEFAULT_FROM_EMAIL = "Incluye <no-reply@incluye.example>"
    from incluye.core.checks import check_email, check_field_keys

    assert check_field_keys() == []
    assert check_email() == []


def test_mail_that_reaches_nobody_is_refused_in_production(production):
    production.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    assert "E-mail goes to console" in _deploy_errors()


def _production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INCLUYE_", "EMAIL_", "DEFAULT_FROM"))}
    env.update(
        DEBUG="0",
        SECRET_KEY="production-like-secret-key-with-enough-length-and-entropy-0123456789",
        ALLOWED_HOSTS="incluye.example",
        INCLUYE_KEYS_FILE="/nonexistent/incluye.keys",
        **overrides,
    )
    return env


def _start_wsgi(env):
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_server_does_not_start_without_keys_and_email():
    started = _start_wsgi(_production_env())
    assert started.returncode != 0
    assert "Incluye refuses to start" in started.stderr
    assert "incluye.E001" in started.stderr and "incluye.E002" in started.stderr


def test_the_server_starts_with_keys_and_email():
    started = _start_wsgi(
        _production_env(
            INCLUYE_FIELD_KEYS=FERNET,
            INCLUYE_SEARCH_KEY="a-long-enough-search-key",
            EMAIL_OPTIONS='{"host": "smtp.incluye.example"}',
            DEFAULT_FROM_EMAIL="Incluye <no-reply@incluye.example>",
        )
    )
    assert started.returncode == 0, started.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_password_reset_answers_normally_when_the_mail_server_is_down(personas, settings, caplog):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2},
        }
    }
    from django.test import Client

    response = Client().post(reverse("account_reset_password"), {"email": personas.staff.user.email})
    assert response.status_code == 302
    assert any("Could not send the e-mail" in r.getMessage() for r in caplog.records)
    assert personas.staff.user.email not in caplog.text
