"""Fixtures for the browser tests: one headless Chromium per module (Debian's
`/usr/bin/chromium`, never a browser downloaded by Playwright), a fresh
browser context per test against pytest-django's live server, and axe-core
injected from `node_modules/`.

A test marked `browser` needs Chromium. Like the service markers in
tests/conftest.py, it is skipped on a developer's machine without one and
fails in CI (CI=true).
"""

import os
import shutil
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Everything that would make Chromium talk to the network on its own.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-sync",
    "--disable-extensions",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pings",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--disable-dev-shm-usage",
]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    CHROMIUM_ARGS.append("--no-sandbox")  # Chromium refuses its sandbox as root

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing(reason):
    if IN_CI:
        pytest.fail(
            f"{reason} (CI=true: a missing browser is a failure)", pytrace=False
        )
    pytest.skip(reason)


def _browser_problem():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
    if not AXE_JS.is_file():
        return f"{AXE_JS.relative_to(ROOT)} is missing (run `make assets`)"
    return None


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser"):
        problem = _browser_problem()
        if problem:
            _missing(problem)


# One browser per module, not per session: while it runs, the thread counts as
# async and DJANGO_ALLOW_ASYNC_UNSAFE is set, which must not reach the tests
# that run after these (subprocesses inherit it).
@pytest.fixture(scope="module")
def browser():
    if _browser_problem():
        _missing(_browser_problem())
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test's thread.
    # Django then refuses ORM calls there ("async context") unless told
    # otherwise; the tests use the ORM only between browser steps, one thing
    # at a time, so the check guards nothing here.
    unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With a loop running, Django's connection handles live in context
    # variables, not thread locals: new handles, without the migrations' data
    # that the test database was created with (which `serialized_rollback`
    # puts back after each transactional test). Hand it to the new handles.
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    playwright = sync_playwright().start()
    for alias, contents in serialized.items():
        if contents is not None:
            connections[alias]._test_serialized_contents = contents
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()
    if unsafe is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = unsafe


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh context (no cookies), addressed relative to the
    live server, in Danish."""
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page):
    """Serious and critical WCAG 2.1 A/AA violations axe-core finds on the
    page, as readable lines (rule id, impact, the node's target)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the site's CSP (no
        # inline scripts) stays switched on for everything else.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """(tags) => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in {"serious", "critical"}:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']}"
                f" at {node['target']}: {node.get('failureSummary', '')}"
            )
    return lines


@pytest.fixture(
    params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]
)
def engine(request, settings):
    """The public search's engine for one test: the database, or the real
    Elasticsearch with an index of its own. Yields a function that makes
    what was published searchable."""
    if request.param == "database":
        settings.KLYNGE_ELASTICSEARCH_URL = ""
        yield lambda: None
    else:
        yield request.getfixturevalue("search_index")


@pytest.fixture(autouse=True)
def _search_index_of_its_own(settings):
    """Browser tests commit, so publishing really updates the public index
    (right after the commit): each test writes to indices of its own, deleted
    afterwards, never to those of another test or of the site."""
    from klynge_search import connection as search_connection

    prefix = f"klyngeportal-test-{uuid.uuid4().hex[:10]}"
    settings.KLYNGE_SEARCH_INDEX_PREFIX = prefix
    yield
    if search_connection.is_configured():
        try:
            search_connection.get_client().indices.delete(
                index=f"{prefix}-*", ignore_unavailable=True
            )
        except Exception:  # noqa: BLE001, S110 - the server may be gone
            pass
