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
def _fresh_cache(settings):
    """Rate-limit counters and cached values must not leak from one test to the next. The cache is
    the project's own (the database's shared cache, as in production): each test gets its own key
    prefix, and the rows it wrote roll back with its transaction."""
    import uuid

    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
        for alias, config in settings.CACHES.items()
    }


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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The longest tests start first among those that need real transactions. pytest-django runs
    those tests after the others (their flush would empty the tables the others expect), and the
    browser tests are among them: the page audit's parts (minutes each) and the browser journeys go
    to the head of that block, so the two workers share them out instead of one worker running an
    audit alone at the end."""

    def transactional(item):
        marker = item.get_closest_marker("django_db")
        return bool({"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))) or bool(
            marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
        )

    start = next((i for i, item in enumerate(items) if transactional(item)), len(items))
    end = start
    while end < len(items) and transactional(items[end]):
        end += 1
    block = items[start:end]
    block.sort(
        key=lambda item: (item.get_closest_marker("audit") is None, item.get_closest_marker("e2e") is None)
    )
    items[start:end] = block
