"""Faults on the production topology (scripts/production.sh): an
Elasticsearch node, an app server and the task worker die or restart while
people use the site; the rate limits hold across both app servers; the
caching proxy shows a published change at once and never keeps what is not
public. Run by `scripts/production.sh test` (a stage of `.ci/run`)."""

import itertools
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from elasticsearch.helpers import scan
from wagtail.models import Page

from klynge_pages.models import AgendaItemAttachment, MeetingPage
from klynge_search import connection, indices
from klynge_search.attachments import attachment_text
from klynge_search.documents import all_documents
from klynge_search.models import PendingChange
from klynge_search.outbox import replay_pending
from tests.factories import make_cluster, make_document, make_meeting, publish

from .conftest import kill_hard, production_sh, wait_until
from .webclient import Client

pytestmark = pytest.mark.production


# --- Helpers ----------------------------------------------------------------


class Citizens(threading.Thread):
    """Citizens searching through the proxy until stopped, each request from
    one of several addresses (so that the rate limit of one client does not
    answer for them): every status is counted."""

    def __init__(self, base_url, queries, network="127.0.1", addresses=200):
        super().__init__(daemon=True)
        # Enough addresses that none reaches its limit in a window, however
        # fast the machine answers: each test its own network, so that no
        # test spends another's budget.
        self.clients = clients_from(base_url, network, addresses)
        self.queries = queries
        self.statuses = Counter()
        self.fallbacks = 0
        self.errors = []
        self.stopping = threading.Event()

    def run(self):
        for client, query in zip(
            itertools.cycle(self.clients), itertools.cycle(self.queries), strict=False
        ):
            if self.stopping.is_set():
                return
            try:
                response = client.get(f"/soeg/?q={quote(query)}")
            except Exception as error:  # noqa: BLE001 - every failure counts
                self.errors.append(repr(error))
                continue
            self.statuses[response.status] += 1
            if "Den fulde søgning er ikke tilgængelig" in response.text:
                self.fallbacks += 1

    def stop(self):
        self.stopping.set()
        self.join(timeout=30)


def clients_from(base_url, network, addresses):
    return [Client(base_url, source=f"{network}.{n}") for n in range(1, addresses + 1)]


def es_client():
    return connection.get_client()


def index_and_database():
    """({id: source} the database says the index should hold, {id: source}
    the index holds), both through the client's JSON serializer."""
    client = es_client()
    alias = indices.alias_name()
    client.indices.refresh(index=alias)
    serializer = client.transport.serializers.get_serializer("application/json")
    expected = {}
    for _owner, docs in all_documents(extract=attachment_text):
        for doc in docs:
            source = {key: value for key, value in doc.items() if key != "_id"}
            expected[doc["_id"]] = serializer.loads(serializer.dumps(source))
    actual = {
        hit["_id"]: hit["_source"]
        for hit in scan(client, index=alias, query={"query": {"match_all": {}}})
    }
    return expected, actual


def outbox_empty():
    return not PendingChange.objects.exists()


def tasks_done(since):
    return not DBTaskResult.objects.filter(
        enqueued_at__gte=since, status__in=["READY", "RUNNING"]
    ).exists()


def node_holding_primary():
    """The node (1-3) that holds the primary shard of the search index."""
    client = es_client()
    index = indices.current_index(client)
    shards = client.cat.shards(index=index, format="json", h="prirep,node")
    node = next(shard["node"] for shard in shards if shard["prirep"] == "p")
    return int(node.rsplit("-", 1)[1])


def cluster_health(**params):
    return es_client().cluster.health(**params)


# --- Elasticsearch ----------------------------------------------------------


def test_an_elasticsearch_node_dies_while_editors_publish_and_citizens_search(
    topology, cluster, editor_client, token, figures
):
    # 50 meetings, each to be published with a new title by the editor.
    pages = [
        make_meeting(cluster, items=1, title=f"Møde {n} før", live=False)
        for n in range(50)
    ]
    citizens = Citizens(topology["proxy"], ["møde", "klynge", "sundhed", token])
    citizens.start()
    victim = node_holding_primary()
    killed_at = 15
    started = time.monotonic()
    try:
        for n, page in enumerate(pages):
            if n == killed_at:
                kill_hard(topology, f"es-{victim}")
            editor_client.publish(page.pk, {"title": f"Møde {n} {token}{n}"})
        published = time.monotonic() - started
        # Searching goes on while the node is down.
        time.sleep(3)
    finally:
        citizens.stop()
        restarted = time.monotonic()
        production_sh("start", f"es-{victim}")
    figures(
        f"50 publishes through the admin in {published:.0f} s, node {victim} "
        f"(the primary's) killed after {killed_at}; searches: "
        f"{dict(citizens.statuses)}, {citizens.fallbacks} answered by the "
        f"database fallback; node back in {time.monotonic() - restarted:.0f} s"
    )

    # No search failed: Elasticsearch or the database's fallback answered.
    assert citizens.errors == []
    assert sum(citizens.statuses.values()) > 20
    assert all(status < 500 for status in citizens.statuses), citizens.statuses
    assert set(citizens.statuses) == {200}, citizens.statuses
    # Every publish went through (publish() raises otherwise), and is live.
    assert (
        MeetingPage.objects.filter(pk__in=[p.pk for p in pages], live=True).count()
        == 50
    )

    # The node is back in the cluster, and the index has every change.
    wait_until(
        lambda: cluster_health(wait_for_nodes=3, timeout="1s")["number_of_nodes"] == 3,
        120,
        message="three nodes",
    )
    caught_up = time.monotonic()
    wait_until(outbox_empty, 90, message="an empty outbox")
    cluster_health(wait_for_status="green", timeout="60s")
    expected, actual = index_and_database()
    figures(
        f"outbox empty and cluster green {time.monotonic() - caught_up:.0f} s "
        f"after the node was back; {len(actual)} documents compared"
    )
    assert set(actual) == set(expected)
    assert actual == expected
    for n in range(50):
        hits = es_client().search(
            index=indices.alias_name(), query={"match": {"title": f"{token}{n}"}}
        )["hits"]["hits"]
        assert hits, f"change {n} is not searchable"


# --- App servers --------------------------------------------------------------


def test_the_proxy_keeps_serving_when_an_app_server_dies(
    topology, meetings, token, figures
):
    client = Client(topology["proxy"], source="127.0.0.50")
    # Searches from many addresses: the rate limit is not what is tested.
    searchers = itertools.cycle(clients_from(topology["proxy"], "127.0.2", 200))
    cached = meetings[0].url
    client.get(cached)
    statuses = Counter()

    def ask(n):
        # Uncached requests (a query string) reach the app servers; cached
        # ones only Varnish.
        for path in (f"{meetings[1].url}?n={n}", cached):
            statuses[(path.split("?")[0], client.get(path).status)] += 1
        statuses[("/soeg/", next(searchers).get(f"/soeg/?q={token}").status)] += 1

    try:
        for n in range(5):
            ask(n)
        kill_hard(topology, "app-1")
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < 8:
            ask(n)
            n += 1
    finally:
        production_sh("start", "app-1")

    figures(f"app-1 killed; through the proxy: {dict(statuses)}")
    assert {status for (_path, status) in statuses} == {200}, statuses
    # Both serve again once it is back.
    wait_until(
        lambda: served_by_both(topology, client, f"{meetings[2].url}?probe={token}"),
        30,
        message="both app servers serving",
    )


def served_by_both(topology, client, path):
    for _ in range(6):
        assert client.get(path).status == 200
    logs = [Path(topology["log_dir"]) / f"app-{n}.log" for n in (1, 2)]
    return all(path.split("?")[1] in log.read_text() for log in logs)


def test_rate_limits_hold_across_both_app_servers(topology, token, figures):
    limit = settings.KLYNGE_SEARCH_RATE_LIMIT
    assert limit > 0
    # One window of the limit (a minute, klynge_security/ratelimit.py).
    if time.time() % 60 > 40:
        time.sleep(61 - time.time() % 60)
    client = Client(topology["proxy"], source="127.0.3.1")
    statuses = Counter(
        client.get(f"/soeg/?q={token}&n={n}").status for n in range(limit + 20)
    )

    figures(f"{limit + 20} searches from one client: {dict(statuses)}")
    assert statuses == {200: limit, 429: 20}
    # Both app servers answered this client.
    for n in (1, 2):
        log = (Path(topology["log_dir"]) / f"app-{n}.log").read_text()
        assert f"q={token}" in log, f"app-{n} saw none of the searches"


# --- The task worker ----------------------------------------------------------


def test_restarting_the_worker_mid_queue_loses_nothing_and_repeats_nothing(
    topology, meetings, token, figures
):
    since = timezone.now()
    # The worker alone replays the outbox here: the scheduler's
    # `search_index sync` would take rows too (each change still applied
    # once, but not counted by the tasks).
    production_sh("stop", "scheduler")
    production_sh("stop", "worker")
    rows_before = PendingChange.objects.count()
    for n, meeting in enumerate(meetings * 3):
        page = MeetingPage.objects.get(pk=meeting.pk)
        page.title = f"Møde {token} {n}"
        publish(page)
    # More work than one replay: a queue the restart lands in the middle of.
    for _ in range(40):
        replay_pending.enqueue()
    rows = PendingChange.objects.count() - rows_before
    ours = DBTaskResult.objects.filter(enqueued_at__gte=since)
    assert ours.filter(status="READY").count() >= 49

    try:
        production_sh("start", "worker")
        wait_until(
            lambda: ours.filter(status="SUCCESSFUL").exists(), 30, 0.05, "a first task"
        )
        production_sh("stop", "worker")  # SIGTERM: the task in hand finishes
        waiting = ours.filter(status="READY").count()
        production_sh("start", "worker")
        wait_until(lambda: tasks_done(since), 120, message="the queue done")
    finally:
        production_sh("start", "worker")
        production_sh("start", "scheduler")

    figures(f"{ours.count()} tasks queued; the worker restarted with {waiting} waiting")
    assert waiting > 0, "the restart did not land mid-queue"
    results = list(ours.filter(task_path__endswith="replay_pending"))
    assert {result.status for result in results} == {"SUCCESSFUL"}
    # Each task was claimed by one worker only, and ran once.
    assert all(len(result.worker_ids) == 1 for result in results)
    # Each change applied once, none lost.
    applied = sum(result.return_value["applied"] for result in results)
    figures(f"{rows} outbox rows, {applied} applied by the worker's tasks")
    assert applied == rows
    assert outbox_empty()
    last = meetings[-1]
    hits = es_client().search(
        index=indices.alias_name(),
        query={"match": {"title": token}},
        post_filter={"term": {"page_id": last.pk}},
    )["hits"]["hits"]
    assert (
        hits
        and hits[0]["_source"]["title"] == MeetingPage.objects.get(pk=last.pk).title
    )


# --- The caching proxy --------------------------------------------------------


def cached(client, path):
    """Whether the proxy holds `path`, without filling it (only-if-cached)."""
    return client.get(path, headers={"Cache-Control": "only-if-cached"}).status == 200


def test_a_published_change_shows_through_the_proxy_within_two_seconds(
    proxy, cluster, meetings, editor_client, token, figures
):
    meeting = meetings[0]
    feed = f"/feeds/klynge/{cluster.slug}/rss/"
    for path in (meeting.url, cluster.url, "/", feed):
        proxy.get(path)
        assert cached(proxy, path), path

    new_title = f"Nyt møde {token}"
    editor_client.publish(meeting.pk, {"title": new_title})
    published_at = time.monotonic()

    def shows_everywhere():
        return all(
            new_title in proxy.get(path).text
            for path in (meeting.url, cluster.url, feed)
        )

    wait_until(shows_everywhere, 2, 0.05, "the new title through the proxy")
    seconds = time.monotonic() - published_at
    figures(f"the change showed on the meeting, cluster and feed in {seconds:.2f} s")
    assert seconds <= 2
    assert cached(proxy, meeting.url)  # cached again, the new version


def test_unpublishing_and_privacy_take_a_page_out_of_the_proxy_at_once(
    proxy, meetings, editor_client, token
):
    private, unpublished = meetings[0], meetings[1]
    for page in (private, unpublished):
        assert proxy.get(page.url).status == 200
        assert cached(proxy, page.url)

    # Login required ("Privatliv" in the admin).
    response = editor_client.post(
        f"/admin/pages/{private.pk}/privacy/",
        {
            "restriction_type": "login",
            "csrfmiddlewaretoken": editor_client.csrf_token(),
        },
        headers={"X-CSRFToken": editor_client.csrf_token()},
    )
    assert response.status == 200, response.text[:500]
    page = editor_client.get(f"/admin/pages/{unpublished.pk}/unpublish/")
    response = editor_client.post(
        f"/admin/pages/{unpublished.pk}/unpublish/",
        {"csrfmiddlewaretoken": editor_client.csrf_token()},
    )
    assert page.status == 200 and response.status == 302

    anonymous = proxy.get(private.url)
    assert anonymous.status == 302 and "/login" in anonymous.header("location", "")
    assert proxy.get(unpublished.url).status == 404
    for page in (private, unpublished):
        assert not cached(proxy, page.url)


def test_drafts_previews_and_logged_in_pages_never_enter_the_proxy(
    proxy, cluster, meetings, editor_client, token
):
    draft = make_meeting(cluster, items=1, title=f"Kladde {token}", live=False)
    live = meetings[0]
    revision = MeetingPage.objects.get(pk=live.pk)
    unpublished_title = f"Ikke udgivet {token}"
    revision.title = unpublished_title
    revision.save_revision()

    # The editor sees both drafts and the live page with the userbar; a draft
    # has no public address even for the editor.
    for path in (
        f"/admin/pages/{draft.pk}/view_draft/",
        f"/admin/pages/{live.pk}/view_draft/",
        live.url,
    ):
        response = editor_client.get(path)
        assert response.status == 200, path
        assert "wagtail-userbar" in response.text or "view_draft" in path
    assert editor_client.get(draft.url).status == 404
    assert proxy.get(draft.url).status == 404
    public = proxy.get(live.url)
    assert public.status == 200
    assert unpublished_title not in public.text
    assert "wagtail-userbar" not in public.text

    for path in (draft.url, f"/admin/pages/{draft.pk}/view_draft/"):
        assert not cached(proxy, path), path
    stored = proxy.get(live.url, headers={"Cache-Control": "only-if-cached"})
    assert unpublished_title not in stored.text
    assert "wagtail-userbar" not in stored.text


# --- Documents ------------------------------------------------------------------


def test_documents_come_only_through_the_check(proxy, topology, cluster, token):
    # In the cluster's collection: only its own pages may publish them.
    open_doc = make_document(
        f"Åbent bilag {token}", b"%PDF-1.4 open " + token.encode(), cluster=cluster
    )
    closed_doc = make_document(
        f"Lukket bilag {token}", b"%PDF-1.4 closed " + token.encode(), cluster=cluster
    )
    meeting = make_meeting(cluster, items=2, closed=[2], live=False)
    items = list(meeting.agenda_items.all())
    items[0].attachments = [AgendaItemAttachment(document=open_doc)]
    items[1].attachments = [AgendaItemAttachment(document=closed_doc)]
    for item in items:
        item.save()
    publish(MeetingPage.objects.get(pk=meeting.pk))

    response = proxy.get(open_doc.url)
    assert response.status == 200
    assert response.body == b"%PDF-1.4 open " + token.encode()
    assert response.header("x-accel-redirect") is None
    assert proxy.get(closed_doc.url).status == 404
    # The files themselves have no public address.
    for name in (open_doc.file.name, closed_doc.file.name):
        assert proxy.get(f"/media/{name}").status == 404
        assert proxy.get(f"/_beskyttet/{name}").status == 404


# --- The scheduler --------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def scheduled_meeting(topology):
    """A meeting scheduled to go live a few seconds from the start of the
    run: the scheduler's publish_scheduled (every minute, deploy/crontab)
    publishes it while the other tests run; the last test checks."""
    token = "planlagt" + uuid.uuid4().hex[:10]
    cluster = make_cluster(title=f"Klynge {token}")
    meeting = make_meeting(cluster, items=1, title=f"Planlagt {token}", live=False)
    page = MeetingPage.objects.get(pk=meeting.pk)
    page.go_live_at = timezone.now() + timedelta(seconds=5)
    page.save_revision(approved_go_live_at=page.go_live_at)
    # The cluster page in the proxy's cache, without the meeting.
    Client(topology["proxy"]).get(cluster.url)
    yield cluster, meeting, page.go_live_at, f"Planlagt {token}"
    Page.objects.get(pk=cluster.pk).delete()
    Group.objects.filter(name__startswith=f"Klynge {token}").delete()


def test_scheduled_publishing_happens_and_reaches_the_proxy(
    proxy, scheduled_meeting, figures
):
    cluster, meeting, go_live_at, title = scheduled_meeting
    # At most a minute and a bit after its time, whenever this test runs.
    wait_until(
        lambda: Page.objects.get(pk=meeting.pk).live, 75, 1, "the scheduled publish"
    )
    published_at = Page.objects.get(pk=meeting.pk).last_published_at
    figures(
        "published by the scheduler "
        f"{(published_at - go_live_at).total_seconds():.0f} s after its time"
    )
    assert title in proxy.get(cluster.url).text
    assert proxy.get(meeting.url).status == 200
