import pytest
from django.utils import translation


@pytest.fixture
def personas(db):
    from incluye.core.testing import make_personas

    return make_personas()


@pytest.fixture(autouse=True)
def _spanish_by_default():
    """Every test starts in the product's default language, Spanish."""
    with translation.override("es"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached values must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_search_index():
    """The search index lives in the process: each test starts from its own database."""
    from incluye.people import searching

    searching.reset_index()
    yield
    searching.reset_index()


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"


@pytest.fixture
def costa_rica(db, time_machine):
    """A Costa Rican NGO (every role) and employer, on 2 March 2026: see incluye.people.testing."""
    from incluye.core.testing import local_moment
    from incluye.people.testing import make_costa_rica

    time_machine.move_to(local_moment("2026-03-02 10:00"))
    return make_costa_rica()
