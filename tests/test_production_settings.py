"""What production adds, tested without the topology (tests/production/ has
the fault tests on it): the client's address behind proxies, documents
handed to nginx, which responses the caching proxy may keep, what a change
purges, the purge backend, the health view and the deploy checks."""

import http.server
import importlib.util
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import task_backends
from wagtail.models import Page, PageViewRestriction
from wagtail.utils import sendfile as wagtail_sendfile

from klynge_pages.models import (
    AgendaItemAttachment,
    MeetingPage,
    MinutesSignOff,
)
from klynge_security.clients import client_address
from klyngeportal_site.frontend_cache import HTTPPurgeBackend
from klyngeportal_site.models import AccessibilityStatementPage

from .factories import (
    LocationFactory,
    OrganisationFactory,
    local,
    make_cluster,
    make_cluster_index,
    make_document,
    make_home,
    make_meeting,
    make_minutes,
    publish,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


# --- The client's address ------------------------------------------------------


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.KLYNGE_TRUSTED_PROXY_COUNT = 0

    assert client_address(request_from("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_behind_proxies_the_client_is_counted_from_the_right(settings):
    settings.KLYNGE_TRUSTED_PROXY_COUNT = 2
    # nginx appends the client, Varnish appends nginx.
    request = request_from("127.0.0.1", "6.6.6.6, 203.0.113.7, 127.0.0.1")

    # 6.6.6.6 was written by the client itself: not trusted.
    assert client_address(request) == "203.0.113.7"


def test_a_request_that_skipped_the_proxies_counts_as_its_connection(settings):
    settings.KLYNGE_TRUSTED_PROXY_COUNT = 2

    assert client_address(request_from("10.0.0.5")) == "10.0.0.5"
    assert client_address(request_from("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


def test_rate_limits_count_each_client_behind_the_proxies(client, settings):
    settings.KLYNGE_TRUSTED_PROXY_COUNT = 2
    settings.KLYNGE_SEARCH_RATE_LIMIT = 2

    def search(client_ip, spoofed="9.9.9.9"):
        return client.get(
            "/soeg/",
            {"q": "møde"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{spoofed}, {client_ip}, 127.0.0.1",
        ).status_code

    # A client that writes a new address of its own each time is still one.
    first = [search("203.0.113.7", spoofed=f"9.9.9.{n}") for n in range(3)]
    other = search("203.0.113.8")

    assert first == [200, 200, 429]
    assert other == 200


# --- Documents through nginx (X-Accel-Redirect) ---------------------------------------


@pytest.fixture
def accel(settings):
    settings.SENDFILE_BACKEND = "klynge_security.sendfile"
    settings.KLYNGE_SENDFILE_URL = "/_beskyttet/"
    # Wagtail remembers the backend it loaded first.
    wagtail_sendfile._get_sendfile.clear()
    yield
    wagtail_sendfile._get_sendfile.clear()


def attached(cluster, closed=False):
    document = make_document(
        "Bilag", content=b"%PDF-1.4 bilag", name="bilag æø.pdf", cluster=cluster
    )
    meeting = make_meeting(cluster, items=1, closed=[1] if closed else [], live=False)
    item = meeting.agenda_items.first()
    item.attachments = [AgendaItemAttachment(document=document)]
    item.save()
    publish(MeetingPage.objects.get(pk=meeting.pk))
    return document


def test_a_public_document_is_handed_to_nginx_after_the_check(client, accel):
    document = attached(make_cluster())

    response = client.get(document.url)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_beskyttet/" + quote(document.file.name)
    assert "%C3%A6%C3%B8" in response["X-Accel-Redirect"]
    assert response.content == b""
    assert response["Content-Length"] == "0"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_closed_document_is_not_handed_to_nginx(client, accel):
    document = attached(make_cluster(), closed=True)

    response = client.get(document.url)

    assert response.status_code == 404
    assert not response.has_header("X-Accel-Redirect")


def test_only_files_under_media_root_are_handed_over(accel):
    from django.http import Http404

    from klynge_security.sendfile import sendfile

    with pytest.raises(Http404):
        sendfile(RequestFactory().get("/"), "/etc/passwd")


# --- What the caching proxy may keep -------------------------------------------------


@pytest.fixture
def proxy_caching(settings):
    settings.PROXY_CACHE_SECONDS = 300


def is_shared(response):
    value = response.get("Cache-Control", "")
    return "public" in value and "s-maxage=300" in value


def test_a_public_page_for_an_anonymous_visitor_is_marked_for_the_proxy(
    client, proxy_caching
):
    meeting = make_meeting(make_cluster())

    response = client.get(meeting.url)

    assert response.status_code == 200
    assert is_shared(response)
    assert "max-age=0" in response["Cache-Control"]


def test_nothing_is_marked_when_proxy_caching_is_off(client, settings):
    settings.PROXY_CACHE_SECONDS = 0
    meeting = make_meeting(make_cluster())

    assert not client.get(meeting.url).has_header("Cache-Control")


def test_pages_for_logged_in_users_and_sessions_are_not_marked(
    client, proxy_caching, admin_user
):
    meeting = make_meeting(make_cluster())
    client.cookies["sessionid"] = "any-session"
    with_session = client.get(meeting.url)
    client.force_login(admin_user)
    logged_in = client.get(meeting.url)

    assert with_session.status_code == logged_in.status_code == 200
    assert not is_shared(with_session)
    assert not is_shared(logged_in)


def test_private_pages_are_never_marked(client, proxy_caching):
    cluster = make_cluster()
    login_only = make_meeting(cluster)
    with_password = make_meeting(cluster, start=local(2020, 1, 1, 10, 0))
    PageViewRestriction.objects.create(page=login_only, restriction_type="login")
    PageViewRestriction.objects.create(
        page=cluster, restriction_type="password", password="hemmelig"
    )

    for page in (login_only, with_password, cluster):
        response = client.get(page.url)
        assert not is_shared(response), page.url
        assert response.status_code in (200, 302)
        if response.status_code == 200:  # Wagtail's password form
            assert "no-store" in response["Cache-Control"]


def test_searches_documents_feeds_admin_and_previews_are_not_marked_as_pages(
    client, proxy_caching, admin_user
):
    meeting = make_meeting(make_cluster())
    for url in ("/soeg/?q=møde", "/sundhed/", "/oparl/v1.1/"):
        assert not is_shared(client.get(url)), url
    client.force_login(admin_user)
    for url in (
        "/admin/",
        f"/admin/pages/{meeting.pk}/edit/",
        f"/admin/pages/{meeting.pk}/view_draft/",
    ):
        assert not is_shared(client.get(url)), url


def test_a_draft_under_an_unpublished_cluster_is_not_marked(client, proxy_caching):
    cluster = make_cluster()
    meeting = make_meeting(cluster)
    Page.objects.get(pk=cluster.pk).unpublish()

    response = client.get(meeting.url)

    assert response.status_code == 404
    assert not is_shared(response)


# --- What a change purges -------------------------------------------------------------

PURGED = []


class RecordingBackend:
    """A frontend cache backend that records what it is asked to purge."""

    def __init__(self, params):
        self.hostnames = ["*"]

    def invalidates_hostname(self, hostname):
        return True

    def purge(self, url):
        PURGED.append(url)

    def purge_batch(self, urls):
        PURGED.extend(urls)


@pytest.fixture
def purged(settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.test_production_settings.RecordingBackend"}
    }
    PURGED.clear()

    class Recorder:
        def __call__(self, action):
            PURGED.clear()
            with django_capture_on_commit_callbacks(execute=True):
                action()
            return {url.removeprefix("http://localhost") for url in PURGED}

    return Recorder()


@pytest.fixture
def tree():
    home = make_home()
    index = make_cluster_index(home)
    cluster = make_cluster(title="Klynge Midt")
    meeting = make_meeting(cluster, items=1)
    minutes = make_minutes(meeting)
    return home, index, cluster, meeting, minutes


FEEDS = {"/feeds/rss/", "/feeds/atom/", "/kalender/moeder.ics"}


def cluster_feeds(cluster):
    return {
        f"/feeds/klynge/{cluster.slug}/rss/",
        f"/feeds/klynge/{cluster.slug}/atom/",
        f"/kalender/klynge/{cluster.slug}.ics",
    }


def test_publishing_a_meeting_purges_it_its_minutes_what_lists_it_and_the_feeds(
    purged, tree
):
    home, index, cluster, meeting, minutes = tree

    urls = purged(lambda: publish(MeetingPage.objects.get(pk=meeting.pk)))

    assert urls == {
        home.url,
        index.url,
        cluster.url,
        meeting.url,
        minutes.url,
        f"/kalender/moede/{meeting.pk}.ics",
        *FEEDS,
        *cluster_feeds(cluster),
    }


def test_unpublishing_purges_the_same(purged, tree):
    home, index, cluster, meeting, minutes = tree

    urls = purged(lambda: Page.objects.get(pk=meeting.pk).unpublish())

    assert {meeting.url, minutes.url, cluster.url, index.url, home.url} <= urls


def test_a_privacy_change_purges_the_page_and_those_below_it(purged, tree):
    _home, _index, cluster, meeting, minutes = tree

    urls = purged(
        lambda: PageViewRestriction.objects.create(
            page=meeting, restriction_type="login"
        )
    )

    assert {meeting.url, minutes.url, cluster.url} <= urls


def test_a_move_purges_the_old_and_the_new_addresses(purged, tree):
    _home, _index, cluster, meeting, minutes = tree
    other = make_cluster(title="Klynge Nord", area="nord")
    old = {meeting.url, minutes.url}

    urls = purged(lambda: Page.objects.get(pk=meeting.pk).move(other, "last-child"))

    moved = MeetingPage.objects.get(pk=meeting.pk)
    assert old <= urls
    assert {moved.url, cluster.url, other.url, *cluster_feeds(other)} <= urls
    assert moved.url not in old


def test_a_new_slug_purges_the_old_addresses(purged, tree):
    _home, _index, cluster, meeting, minutes = tree
    old = {meeting.url, minutes.url}

    def rename():
        page = MeetingPage.objects.get(pk=meeting.pk)
        page.slug = "nyt-navn"
        publish(page)

    urls = purged(rename)

    assert old <= urls
    assert f"{cluster.url}nyt-navn/" in urls


def test_a_sign_off_on_published_minutes_purges_them(purged, tree):
    _home, _index, cluster, meeting, minutes = tree

    urls = purged(
        lambda: MinutesSignOff.objects.create(
            page=minutes,
            approver_name="Formand",
            approved_at=timezone.now(),
        )
    )

    assert {minutes.url, meeting.url, cluster.url} <= urls


def test_renaming_an_organisation_purges_the_pages_that_show_it(purged):
    organisation = OrganisationFactory(name="Aalborg Kommune")
    cluster = make_cluster(title="Klynge Midt", members=[organisation])
    hosted = make_meeting(cluster, host=organisation, location=LocationFactory())
    elsewhere = make_meeting(make_cluster(title="Klynge Nord", area="nord"))

    def rename():
        organisation.name = "Aalborg Kommune (ny)"
        organisation.save()

    urls = purged(rename)

    assert {cluster.url, hosted.url} <= urls
    assert elsewhere.url not in urls


def test_publishing_the_accessibility_statement_purges_every_page(purged, tree):
    home, _index, _cluster, meeting, minutes = tree
    statement = home.add_child(
        instance=AccessibilityStatementPage(
            title="Tilgængelighedserklæring", body="<p>Erklæring.</p>", live=False
        )
    )

    urls = purged(lambda: publish(statement))

    assert {meeting.url, minutes.url, statement.url} <= urls


def test_nothing_is_computed_without_a_frontend_cache(settings, tree):
    settings.WAGTAILFRONTENDCACHE = {}
    meeting = MeetingPage.objects.get(pk=tree[3].pk)
    revision = meeting.save_revision()

    with CaptureQueriesContext(connection) as with_purging_off:
        revision.publish()

    # The same publish, counted: no query reads ancestors or descendants for
    # purging (compare with purging on below).
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.test_production_settings.RecordingBackend"}
    }
    revision = MeetingPage.objects.get(pk=meeting.pk).save_revision()
    with CaptureQueriesContext(connection) as with_purging_on:
        revision.publish()
    assert len(with_purging_off) < len(with_purging_on)


def test_the_purge_is_repeated_by_the_worker_when_it_can_wait(settings, purged, tree):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "worker": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    # django-tasks reads TASKS again when the setting changes.
    backend = task_backends["worker"]
    meeting = tree[3]
    urls = purged(lambda: publish(MeetingPage.objects.get(pk=meeting.pk)))

    repeats = [
        result
        for result in backend.results
        if result.task.name == "purge_urls_from_cache_task"
    ]
    assert len(repeats) == 1
    assert {url.removeprefix("http://localhost") for url in repeats[0].args[0]} == urls
    assert repeats[0].task.run_after is not None


# --- The purge backend ----------------------------------------------------------------


class PurgeServer(http.server.ThreadingHTTPServer):
    """A proxy stand-in: records PURGE requests and connections."""

    def __init__(self, status=200, delay=0):
        self.requests, self.connections = [], 0
        self.status, self.delay = status, delay

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(handler):
                super().setup()
                self.connections += 1

            def do_PURGE(handler):  # noqa: N802 - the HTTP method's name
                time.sleep(self.delay)
                self.requests.append((handler.path, handler.headers["Host"]))
                handler.send_response(self.status)
                handler.send_header("Content-Length", "0")
                handler.end_headers()

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def location(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


def test_the_purge_backend_sends_a_batch_over_one_connection():
    server = PurgeServer(status=404)  # 404: was not cached; not an error
    backend = HTTPPurgeBackend({"LOCATION": server.location})
    try:
        backend.purge_batch(
            [
                "https://klynger.example.dk/klynger/m%C3%B8de/",
                "https://klynger.example.dk/feeds/rss/",
            ]
        )
    finally:
        server.shutdown()

    assert server.requests == [
        ("/klynger/m%C3%B8de/", "klynger.example.dk"),
        ("/feeds/rss/", "klynger.example.dk"),
    ]
    assert server.connections == 1


def test_a_slow_or_missing_proxy_does_not_hold_publishing_up(caplog):
    slow = PurgeServer(delay=3)
    try:
        started = time.monotonic()
        HTTPPurgeBackend({"LOCATION": slow.location, "TIMEOUT": 0.5}).purge(
            "http://localhost/a/"
        )
        assert time.monotonic() - started < 2.5
    finally:
        slow.shutdown()
    # Port 9 (discard) on loopback: nothing listens there.
    HTTPPurgeBackend({"LOCATION": "http://127.0.0.1:9"}).purge("http://localhost/b/")

    assert "Could not purge http://localhost/a/" in caplog.text
    assert "Could not purge http://localhost/b/" in caplog.text


def test_a_refused_purge_is_logged(caplog):
    server = PurgeServer(status=405)
    try:
        HTTPPurgeBackend({"LOCATION": server.location}).purge("http://localhost/c/")
    finally:
        server.shutdown()

    assert "HTTP 405" in caplog.text


# --- The meeting page's queries, the footer --------------------------------------


def test_the_meeting_page_with_30_items_takes_at_most_15_queries(client):
    cluster = make_cluster()
    meeting = make_meeting(cluster, items=30, participants=30)
    make_minutes(meeting)
    home = make_home()
    publish(
        home.add_child(
            instance=AccessibilityStatementPage(
                title="Tilgængelighedserklæring", body="<p>E.</p>", live=False
            )
        )
    )
    client.get(meeting.url)  # the site's root paths, the statement's URL

    with CaptureQueriesContext(connection) as queries:
        response = client.get(meeting.url)

    assert response.status_code == 200
    assert "Tilgængelighedserklæring" in response.text
    assert len(queries) <= 15, "\n".join(q["sql"][:120] for q in queries)


def test_the_footer_forgets_the_statement_once_it_is_unpublished(client):
    meeting = make_meeting(make_cluster())
    statement = publish(
        make_home().add_child(
            instance=AccessibilityStatementPage(
                title="Tilgængelighedserklæring", body="<p>E.</p>", live=False
            )
        )
    )
    assert statement.url in client.get(meeting.url).text

    Page.objects.get(pk=statement.pk).unpublish()

    assert statement.url not in client.get(meeting.url).text


def test_a_page_served_without_routing_still_checks_its_ancestors(rf):
    cluster = make_cluster()
    meeting = make_meeting(cluster)
    Page.objects.get(pk=cluster.pk).unpublish()
    page = MeetingPage.objects.get(pk=meeting.pk)
    request = rf.get(page.url)
    request.user = get_user_model()()

    from django.http import Http404

    with pytest.raises(Http404):
        page.serve(request)


# --- Health, checks, the scheduler --------------------------------------------------


def test_the_health_view_answers_without_caching(client):
    response = client.get("/sundhed/")

    assert response.status_code == 200
    assert response.content == b"OK\n"
    assert "no-cache" in response["Cache-Control"]


def check_ids(settings_changes, settings):
    for name, value in settings_changes.items():
        setattr(settings, name, value)
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_a_per_process_cache_is_a_deploy_warning(settings):
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }

    assert "klyngeportal.W001" in check_ids({"CACHES": locmem}, settings)
    assert "klyngeportal.W001" not in check_ids({"CACHES": redis}, settings)


def test_proxy_caching_without_purging_is_a_deploy_warning(settings):
    assert "klyngeportal.W002" in check_ids(
        {"PROXY_CACHE_SECONDS": 300, "WAGTAILFRONTENDCACHE": {}}, settings
    )
    assert "klyngeportal.W002" not in check_ids(
        {
            "PROXY_CACHE_SECONDS": 300,
            "WAGTAILFRONTENDCACHE": {"p": {"BACKEND": "x", "LOCATION": "y"}},
        },
        settings,
    )


def load_scheduler():
    spec = importlib.util.spec_from_file_location(
        "scheduler", REPO_ROOT / "scripts" / "scheduler.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_scheduler_reads_the_crontab_that_operators_install():
    scheduler = load_scheduler()

    variables, jobs = scheduler.read_crontab(REPO_ROOT / "deploy" / "crontab")

    assert set(variables) == {"KLYNGE_HOME", "KLYNGE_ENV"}
    commands = [job.command for job in jobs]
    assert any("publish_scheduled" in command for command in commands)
    assert any("search_index sync" in command for command in commands)
    assert any("send_reminders" in command for command in commands)
    every_minute = datetime(2026, 12, 2, 13, 37)
    at_seven = datetime(2026, 12, 2, 7, 0)
    due = {job.command.split()[-1] for job in jobs if job.matches(every_minute)}
    assert due == {"publish_scheduled", "--no-progress"}
    assert any("send_reminders" in job.command for job in jobs if job.matches(at_seven))


@pytest.mark.parametrize(
    "field,low,high,expected",
    [
        ("*/15", 0, 59, {0, 15, 30, 45}),
        ("1-5", 0, 7, {1, 2, 3, 4, 5}),
        ("0,30", 0, 59, {0, 30}),
        ("10-20/5", 0, 59, {10, 15, 20}),
    ],
)
def test_the_scheduler_understands_crontab_fields(field, low, high, expected):
    assert load_scheduler().parse_field(field, low, high) == expected


@pytest.mark.parametrize("field", ["60", "*/0", "a", "5-1", ""])
def test_the_scheduler_refuses_a_bad_field(field):
    scheduler = load_scheduler()

    with pytest.raises(scheduler.CrontabError):
        scheduler.parse_field(field, 0, 59)
