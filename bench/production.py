"""The production topology under load: the meeting page with 30 agenda items
through the caching proxy (cached and uncached) and straight from one app
server, at 1 and 16 concurrent clients, side by side in one run.

    scripts/production.sh up
    .venv/bin/python -m bench.production [--seconds 10]

Runs with the topology's environment (var/production/env) against its
database: it adds a cluster with the meeting of bench/pages.py (30 items,
each with an attachment and two tags, 30 participants, minutes with 30
decisions) and removes it at the end.

- proxy, cached: nginx -> Varnish, which holds the page (every answer is
  checked to be a HIT);
- proxy, uncached: the same page with a query string that changes on every
  request, which Varnish passes to the app servers (PASS): what a miss costs,
  through nginx, Varnish and either app server;
- app server: one gunicorn (2 processes of 4 threads) on its own port.

Each client is a thread with one kept-alive connection, requesting the page
in a loop for --seconds after a warm-up; requests per second over all
clients, and the 50th and 95th percentile of the response times. The
clients run on the same 2 cores as the servers, so the cached figures are
bounded by the client.

Also the SQL queries of one uncached request, in this process with the
production settings.
"""

import argparse
import http.client
import json
import os
import platform
import statistics
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = REPO_ROOT / "var" / "production" / "env"
TOPOLOGY = REPO_ROOT / "var" / "production" / "topology.json"


def load_environment():
    if not ENV_FILE.exists():
        sys.exit("The production topology is not set up: scripts/production.sh up")
    for line in ENV_FILE.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name not in ("HOME",):
            os.environ[name] = value


load_environment()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.pages import cpu_model  # noqa: E402


def build_content():
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from klynge_pages.models import AgendaItemAttachment, MeetingPage
    from tests.factories import (
        OrganisationFactory,
        local,
        make_cluster,
        make_meeting,
        make_minutes,
        publish,
    )

    token = uuid.uuid4().hex[:8]
    members = [OrganisationFactory(name=f"Kommune {n} {token}") for n in range(4)]
    cluster = make_cluster(title=f"Benchmarkklynge {token}", members=members)
    meeting = make_meeting(
        cluster, start=local(2025, 11, 6, 16, 30), items=30, participants=30
    )
    document = Document.objects.create(
        title="Bilag", file=ContentFile(b"%PDF-1.4 bench", name="bilag.pdf")
    )
    for item in meeting.agenda_items.all():
        item.attachments = [
            AgendaItemAttachment(document=document, label=f"Bilag {item.number}")
        ]
        item.tags.add("sundhedsaftale", "psykiatri")
        item.save()
    publish(MeetingPage.objects.get(pk=meeting.pk))
    make_minutes(meeting)
    return cluster, MeetingPage.objects.get(pk=meeting.pk), members, document


def remove_content(cluster, members, document):
    from django.contrib.auth.models import Group
    from wagtail.models import Page

    Page.objects.get(pk=cluster.pk).delete()
    Group.objects.filter(name__startswith=cluster.title).delete()
    for organisation in members:
        organisation.delete()
    document.delete()


class Load:
    """`clients` threads requesting `path(n)` from `base_url` for `seconds`."""

    def __init__(self, base_url, path, clients, seconds, expect_cache=None):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.path, self.clients, self.seconds = path, clients, seconds
        self.expect_cache = expect_cache
        self.timings, self.failures = [], []
        self.lock = threading.Lock()
        self.counter = 0

    def next_path(self):
        with self.lock:
            self.counter += 1
            return self.path(self.counter)

    def connect(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def client(self, deadline, warmup_until):
        connection = self.connect()
        timings = []
        while True:
            now = time.perf_counter()
            if now > deadline:
                break
            path = self.next_path()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                self.failures.append(repr(error))
                connection.close()
                connection = self.connect()
                continue
            elapsed = time.perf_counter() - now
            status = response.status
            cache = response.getheader("X-Cache-Status")
            if status != 200 or (self.expect_cache and cache != self.expect_cache):
                self.failures.append(f"{path}: {status} {cache}")
            if now >= warmup_until:
                timings.append(elapsed)
        connection.close()
        with self.lock:
            self.timings.extend(timings)

    def run(self, warmup=1.0):
        start = time.perf_counter()
        warmup_until = start + warmup
        deadline = warmup_until + self.seconds
        threads = [
            threading.Thread(target=self.client, args=(deadline, warmup_until))
            for _ in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        timings = sorted(self.timings)
        return {
            "requests": len(timings),
            "rps": len(timings) / self.seconds,
            "p50_ms": statistics.median(timings) * 1000,
            "p95_ms": timings[max(0, round(0.95 * len(timings)) - 1)] * 1000,
            "failures": len(self.failures),
            "failure_examples": self.failures[:3],
        }


def queries_of_one_uncached_request(url):
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(url)  # the site's root paths, the footer's cached URL
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", default="1,16")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    topology = json.loads(TOPOLOGY.read_text())
    concurrency = [int(n) for n in args.clients.split(",")]

    cluster, meeting, members, document = build_content()
    try:
        url = meeting.url
        proxy, app = topology["proxy"], topology["app_servers"][0]
        # Into the cache.
        Load(proxy, lambda n: url, 1, 0.5).run(warmup=0)
        modes = [
            ("proxy, cached", proxy, lambda n: url, "HIT"),
            ("proxy, uncached", proxy, lambda n: f"{url}?n={n}", "PASS"),
            ("app server", app, lambda n: url, None),
        ]
        results = {}
        for clients in concurrency:
            for name, base, path, expect in modes:
                results[(name, clients)] = Load(
                    base, path, clients, args.seconds, expect
                ).run()
        queries = queries_of_one_uncached_request(url)
    finally:
        remove_content(cluster, members, document)

    load = os.getloadavg()
    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {cpu_model()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}, "
        f"{args.seconds:g} s per run"
    )
    print(f"meeting page, 30 items: {url} ({queries} SQL queries uncached)")
    print()
    print("| clients | path | requests/s | p50 ms | p95 ms | requests | failures |")
    print("|---|---|---|---|---|---|---|")
    for clients in concurrency:
        for name, *_rest in modes:
            r = results[(name, clients)]
            print(
                f"| {clients} | {name} | {r['rps']:.1f} | {r['p50_ms']:.1f} "
                f"| {r['p95_ms']:.1f} | {r['requests']} | {r['failures']} |"
            )
    print()
    for clients in concurrency:
        cached = results[("proxy, cached", clients)]["rps"]
        uncached = results[("proxy, uncached", clients)]["rps"]
        print(f"cached / uncached at {clients} client(s): {cached / uncached:.1f}×")
    failures = [
        (key, r["failure_examples"]) for key, r in results.items() if r["failures"]
    ]
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "queries": queries,
                    "results": {f"{k[0]} @{k[1]}": v for k, v in results.items()},
                },
                indent=2,
            )
        )
    if failures:
        print(f"FAILURES: {failures}")
        sys.exit(1)


if __name__ == "__main__":
    main()
