"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's live server.

Playwright's sync API keeps an event loop running in the test thread, so Django's guard against
ORM calls from async code is relaxed while the browser fixture is alive.
"""

import os
import re
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEFAULT_VIEWPORT = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e is an `e2e` test (deselect them with `-m "not e2e"`)."""
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (rep_setup, rep_call, rep_teardown) for the fixtures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("INCLUYE_BROWSER", "/usr/bin/chromium")
    if not Path(executable).exists():
        reason = (
            f"No browser at {executable}: install Debian's chromium (apt-get install chromium) "
            "or point INCLUYE_BROWSER at a Chromium executable."
        )
        if os.environ.get("INCLUYE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    # Only while a browser runs: the rest of the suite keeps Django's guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, request):
    """Open a page in a fresh browser context (own cookies, Spanish locale); call it as often as needed.

    When the test fails, every page it opened is saved as a full-page screenshot under
    test-results/.
    """
    contexts = []
    pages = []

    def open_page(*, viewport=None, locale="es-GT"):
        context = browser.new_context(locale=locale, viewport=viewport or DEFAULT_VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield open_page

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        results = Path(request.config.rootpath) / "test-results"
        results.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for number, page in enumerate(pages):
            suffix = "" if number == 0 else f"-{number + 1}"
            try:
                page.screenshot(path=str(results / f"{name}{suffix}.png"), full_page=True)
            except Exception as error:  # a closed or crashed page must not hide the test's own failure
                print(f"Could not save a screenshot of {page.url}: {error}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
