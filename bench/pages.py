"""Page render benchmark: the meeting page with 30 agenda items, the
cluster page, and what citizens browse: the home page, the meetings archive
and the latest minutes, over 13 clusters and 141 meetings.

    make bench            # or: .venv/bin/python -m bench.pages [--runs N]

Builds the content in a throw-away test database (SQLite in memory, or the
PostgreSQL named by DATABASE_URL), then requests each page through Django's
test client: wall time per request (median and 95th percentile over the
runs, after one warm-up request) and SQL queries per request.
"""

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klyngeportal_site.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)


def build_content():
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from klynge_pages.models import AgendaItemAttachment, ClusterPage, MeetingPage
    from tests.factories import (
        OrganisationFactory,
        local,
        make_cluster,
        make_meeting,
        make_minutes,
        publish,
    )

    members = [OrganisationFactory(name=f"Kommune {n}") for n in range(4)]
    cluster = make_cluster(members=members)
    for year in range(2015, 2025):
        make_meeting(cluster, start=local(year, 3, 1, 10, 0), items=1)
    meeting = make_meeting(
        cluster, start=local(2025, 11, 6, 16, 30), items=30, participants=30
    )
    document = Document.objects.create(
        title="Bilag",
        file=ContentFile(b"%PDF-1.4 bench", name="bilag.pdf"),
        # The cluster's own collection: only its pages may use the document.
        collection=ClusterPage.objects.get(pk=cluster.pk).collection,
    )
    for item in meeting.agenda_items.all():
        item.attachments = [
            AgendaItemAttachment(document=document, label=f"Bilag {item.number}")
        ]
        item.tags.add("sundhedsaftale", "psykiatri")
        item.save()
    publish(MeetingPage.objects.get(pk=meeting.pk))
    make_minutes(meeting)
    front_door = build_front_door()
    return {
        "meeting page, 30 items": meeting.url,
        "cluster page, 11 meetings": cluster.url,
        **front_door,
    }


def build_front_door(clusters=12, meetings_per_cluster=10):
    """Fora with a meeting a year 2015-2024 (minutes for every other one)
    and one coming meeting each."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import (
        LocationFactory,
        local,
        make_cluster,
        make_meeting,
        make_minutes,
    )

    location = LocationFactory()
    coming = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    for number in range(clusters):
        forum = make_cluster(title=f"Samarbejdsforum {number}", kind="samarbejdsforum")
        for year in range(2015, 2015 + meetings_per_cluster):
            held = make_meeting(
                forum, start=local(year, 5, number + 1, 10), items=2, location=location
            )
            if year % 2:
                make_minutes(held)
        make_meeting(
            forum, start=coming + timedelta(days=number + 7), items=2, location=location
        )
    return {
        "home page": "/",
        "archive, coming meetings": "/klynger/moeder/",
        "archive, 2019 (13 meetings)": "/klynger/moeder/2019/",
        "latest minutes, page 1 of 4": "/klynger/referater/",
    }


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def measure(client, url, runs, check=None):
    """Median and p95 time of `runs` GETs of `url`, after one warm-up request
    (site root, templates, caches), and the SQL queries of one request.
    `check(response)` may assert more than the status."""
    client.get(url)
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        if check:
            check(response)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[max(0, round(0.95 * len(timings)) - 1)],
        "queries": len(queries),
    }


def run(description, build, title, column, default_runs, check=None):
    """Build content in a throwaway test database and print a table of
    `measure()` for each of the URLs `build()` returns ({name: url}, or
    {name: (url, check)} for a check of that URL's own)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=default_runs)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        urls = build()
        client = Client()
        print(
            f"# {title}{cpu_model()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {connection.vendor}, "
            f"{args.runs} runs"
        )
        print(f"| {column} | median ms | p95 ms | SQL queries |")
        print("|---|---|---|---|")
        for name, url in urls.items():
            url, url_check = url if isinstance(url, tuple) else (url, check)
            result = measure(client, url, args.runs, url_check)
            print(
                f"| {name} | {result['median_ms']:.1f} | {result['p95_ms']:.1f} "
                f"| {result['queries']} |"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    run(__doc__, build_content, "", "page", 50)


if __name__ == "__main__":
    main()
