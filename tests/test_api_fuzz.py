"""Schemathesis walks every operation of the OpenAPI schema with generated input, valid and not:
the API may refuse (400, 401, 403, 404, 405, 409) but never answers a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Calls go straight to the WSGI application, whose request signals close database
    connections: inside a test that would close the test's own transaction (as Django's test
    client knows, and avoids the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(personas):
    from incluye.core.testing import make_token

    return make_token(personas.admin)


# The schema view reads no database: it can be loaded when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_answers_a_server_error(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])
