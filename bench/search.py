"""Search benchmark: indexing throughput and query latency at 100,000 items.

    make bench                      # or: .venv/bin/python -m bench.search
    make bench BENCH_ITEMS=10000    # a smaller run

Generates a seeded (`--seed`), deterministic corpus of Danish agenda content
(clusters, meetings with numbered agenda items, minutes with a decision per
item, a share of closed items, tags) with words and phrases taken from the
kommissorium of the political clusters and the minutes of Klyngestyregruppe
Midt. It lives in a database of its own: the SQLite file
`var/bench-search.sqlite3`, or the database `klyngeportal_bench` on the
PostgreSQL server named by DATABASE_URL; and in indices of its own
(prefix `klyngeportal-bench`), deleted at the end. Never the developer's data.

Then it measures:
- the rebuild (`klynge_search.indexer.rebuild`): documents/s and agenda items/s;
- a fixed set of Danish queries through the public search view (`/soeg/`,
  full middleware, URL routing and template rendering, through Django's test
  client in this process) at concurrency 1 and 16, next to Elasticsearch's
  own `took` for the very same requests;
- the same queries through the database engine (the embedded default).

Needs ELASTICSEARCH_URL.
"""

import argparse
import logging
import os
import platform
import queue
import random
import statistics
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klyngeportal_site.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from bench.pages import cpu_model  # noqa: E402
from klynge_pages.dates import DANISH_MONTHS  # noqa: E402

INDEX_PREFIX = "klyngeportal-bench"
SQLITE_FILE = settings.BASE_DIR / "var" / "bench-search.sqlite3"
POSTGRES_NAME = "klyngeportal_bench"
CPH = ZoneInfo("Europe/Copenhagen")
# Minutes exist for meetings held before this date (a fixed date, so that
# the corpus does not depend on the day of the run).
MINUTES_BEFORE = datetime(2026, 11, 1, tzinfo=CPH)
CLOSED_SHARE = 0.05

# --- Vocabulary (from the kommissorium and the 2019 minutes) ---------------

AREAS = {
    "nord": (
        "Nord",
        ["Hjørring", "Brønderslev", "Frederikshavn", "Læsø"],
    ),
    "midt": ("Midt", ["Aalborg", "Jammerbugt"]),
    "syd": ("Syd", ["Vesthimmerland", "Rebild", "Mariagerfjord"]),
    "vest": ("Vest", ["Morsø", "Thisted"]),
}
FORA = [
    "somatik voksne",
    "psykiatri voksne",
    "børn og unge somatik",
    "børn og unge psykiatri",
]
PLACES = [
    "Regionshuset, Niels Bohrs Vej 30, 9220 Aalborg Øst",
    "Rådhuset, mødelokale D",
    "Sundhedshuset, mødelokale 2",
    "Aalborg Universitetshospital, auditoriet",
    "Virtuelt møde på Teams",
]
# (topic as it stands in a title, tags it carries)
TOPICS = [
    ("klyngestyregruppens opgaver", ["organisering"]),
    ("kommissorium for klyngestyregruppen", ["kommissorium"]),
    ("mødekadence og procedure for udsendelse af dagsorden og referat", []),
    ("den underliggende organisering", ["organisering"]),
    ("sammenhæng til den politiske klynge", ["organisering"]),
    ("samarbejdet med hospitalerne og PLO", ["hospitaler", "almen praksis"]),
    ("implementeringsplanen for Sundhedsaftalen", ["sundhedsaftale"]),
    ("Sundhedsaftalens pejlemærker og bærende principper", ["sundhedsaftale"]),
    ("de tværsektorielle samarbejdsaftaler", ["samarbejdsaftaler"]),
    ("den tværsektorielle grundaftale", ["samarbejdsaftaler"]),
    ("Dash Board for ledelsesinformation", ["ledelsesinformation"]),
    ("organisationsdiagram for klyngen", ["organisering"]),
    ("samarbejdsforum for somatik voksne", ["somatik"]),
    ("samarbejdsforum for psykiatri voksne", ["psykiatri"]),
    ("samarbejdsforum for børn og unge psykiatri", ["psykiatri", "børn og unge"]),
    ("samarbejdsforum for børn og unge somatik", ["somatik", "børn og unge"]),
    ("det nære og sammenhængende sundhedsvæsen", ["sundhedsaftale"]),
    ("lokale sundhedspolitiske problemstillinger", []),
    ("særlige lokale initiativer", []),
    ("repræsentation på funktionslederniveau", ["organisering"]),
    ("sekretariatsbetjening af klyngerne", []),
    ("status fra sundhedsstyregrupperne", ["hospitaler"]),
    ("opfølgning på Sundhedsaftalen i et lokalt perspektiv", ["sundhedsaftale"]),
    ("udkast til kommissorier for de klyngebaserede fora", ["kommissorium"]),
    ("invitation af BI-enhed og Ledelsesinformationsgruppen", ["ledelsesinformation"]),
    ("mødeafholdelse og værtskab", []),
    ("de lokale politikker og strategier", []),
    ("psykiatriske patienters forløb på tværs af sektorer", ["psykiatri"]),
    ("udskrivelse fra hospitalet til kommunen", ["hospitaler"]),
    ("genoptræning efter udskrivelse", ["hospitaler", "somatik"]),
    ("forebyggelse og sundhedsfremme", ["forebyggelse"]),
    ("almen praksis og lægedækning", ["almen praksis"]),
]
TITLE_FORMS = [
    "{topic}",
    "Orientering om {topic}",
    "Drøftelse af {topic}",
    "Godkendelse af {topic}",
    "Opfølgning på {topic}",
    "Status på {topic}",
    "Beslutning om {topic}",
]
BODIES = [
    "Klyngestyregruppen",
    "Den politiske klynge",
    "Samarbejdsforummet",
    "Sekretariatet",
    "Sundhedskoordinationsudvalget",
    "Strategisk Sundhedsforum",
    "Koordineringsgruppen for Sundhedsaftalen",
    "Parterne",
    "Sundhedsstyregruppen",
]
CASE_SENTENCES = [
    "Formålet er at samarbejde om udvikling af det nære og sammenhængende "
    "sundhedsvæsen.",
    "{body} skal omsætte Den Politiske Sundhedsaftales politiske pejlemærker og "
    "bærende principper til handling.",
    "Dette tager udgangspunkt i den implementeringsplan, som "
    "Sundhedskoordinationsudvalget har vedtaget.",
    "Der ønskes en drøftelse af {topic}.",
    "Af kommissoriet fremgår det, at {topic} besluttes og styres af "
    "klyngestyregruppen.",
    "{org} Kommune har fremsendt et skriftligt notat om {topic}, der vedlægges "
    "i bilag {n}.",
    "Hospitalerne og PLO er ikke repræsenteret fast, men har en ad hoc-status.",
    "Parterne fremlægger deres overvejelser vedrørende {topic}.",
    "Der er i regi af Strategisk Sundhedsforum besluttet, at klyngestyregrupperne "
    "inden udgangen af {q}. kvartal skal tage stilling til {topic}.",
    "Sekretariatet udarbejder udkast til kommissorier for de klyngebaserede fora "
    "og tilpasser organisationsdiagrammet.",
    "Spørgsmål, som der er behov for at drøfte med øverste ledelse, rettes ind i "
    "sundhedsstyregrupperne for kommunerne.",
    "Der er etableret samarbejdsfora både på det somatiske og det psykiatriske område.",
    "Repræsentationen i disse fora er på funktionslederniveau, således at den "
    "rette beslutningskraft er til stede.",
    "Sekretariatsbetjeningen varetages i fællesskab af sekretariatet for "
    "klyngestyregrupperne og Koordineringsgruppen for Sundhedsaftalen.",
    "Der vil være fokus på samspillet mellem de lokale politikker og strategier "
    "og Sundhedsaftalen.",
    "Klyngestyregrupperne bedes drøfte Dash Board for ledelsesinformation på "
    "næstkommende møde.",
    "Samarbejdet med hospitalerne og PLO sker gennem Sundhedsstyregruppe {org}.",
    "Til gengæld er hospitalerne og PLO repræsenterede i sundhedsstyregrupperne.",
    "Den underliggende organisering besluttes og styres af klyngestyregruppen.",
    "Som led i organiseringen er der nedsat politiske klynger, der er rammen for "
    "det lokale politiske samarbejde.",
    "Sundhedskoordinationsudvalget kan dagsordenssætte temaer, som ønskes drøftet "
    "i en lokalpolitisk kontekst.",
    "Kommissoriet for de politiske klynger er vedlagt i bilag {n}.",
]
RECOMMENDATIONS = [
    "Det indstilles, at {body} drøfter {topic}.",
    "Det indstilles, at {body} drøfter og beslutter {topic}.",
    "Det indstilles, at {body} godkender {topic}.",
    "Det indstilles, at {body} tager orienteringen om {topic} til efterretning.",
    "Det indstilles, at {body} drøfter, hvordan man vil arbejde med {topic}.",
]
DECISIONS = [
    "Der var enighed om, at {topic} godkendes.",
    "{body} drøftede {topic}, og sekretariatet udarbejder et udkast til næste møde.",
    "Orienteringen blev taget til efterretning.",
    "Der var enighed om at holde {n} møder om året – forud for møderne i den "
    "politiske klynge.",
    "Sekretariatet laver udkast til dagsorden, som godkendes pr. mail.",
    "Punktet blev udsat til næste møde.",
    "Der kan indkaldes til ekstra møder, hvis der skønnes behov for det.",
    "Der var enighed om, at repræsentationen er på funktionslederniveau, så den "
    "rette beslutningskraft er til stede.",
    "Samarbejdet med hospitalerne og PLO sker gennem sundhedsstyregrupperne.",
    "{body} besluttede, at drøftelsen afvikles på sekretariatets initiativ med "
    "inddragelse af relevante repræsentanter.",
]

# The queries: single words, inflected forms, compounds and their parts, two
# words, an old spelling, and some with a facet filter. `{midt}` becomes the
# page id of Klynge Midt.
QUERIES = [
    {"q": "psykiatri"},
    {"q": "kommissorium"},
    {"q": "ledelsesinformation"},
    {"q": "organisering"},
    {"q": "genoptræning"},
    {"q": "hospitalerne"},
    {"q": "hospitalet"},
    {"q": "møderne"},
    {"q": "samarbejdet"},
    {"q": "sundhedsaftalens"},
    {"q": "styregruppe"},
    {"q": "aftale"},
    {"q": "samarbejdsforum"},
    {"q": "klyngestyregruppens"},
    {"q": "sundhedsstyregruppe"},
    {"q": "psykiatri voksne"},
    {"q": "børn unge"},
    {"q": "underliggende organisering"},
    {"q": "politiske klynge"},
    {"q": "bærende principper"},
    {"q": "udskrivelse kommunen"},
    {"q": "Aalborg"},
    {"q": "Ålborg"},
    {"q": "psykiatri", "type": "punkt"},
    {"q": "organisering", "aar": "2023"},
    {"q": "hospitalerne", "emneord": "psykiatri"},
    {"q": "samarbejde", "klynge": "{midt}"},
    {"q": "ledelsesinformation", "organisation": "Aalborg Kommune"},
    {"q": "sundhedsaftale", "type": "punkt", "aar": "2020"},
    {"q": "forebyggelse", "sortering": "nyeste"},
]


# --- Generating the corpus --------------------------------------------------


def capitalise(text):
    return text[:1].upper() + text[1:]


def paragraph(sentences):
    return "".join(f"<p>{sentence}</p>" for sentence in sentences)


def add_live_children(parent, pages, published_at):
    """Save `pages` as live children of `parent`, without revisions.

    The same rows a publish leaves (live, first and last published, url_path
    from the parent's, a treebeard path), written without `add_child` and a
    revision per page: `add_child` reads the last child and updates the
    parent for every page, and a revision stores the page again as JSON. The
    pages are therefore live with no history in the admin, which this
    throw-away database never shows; and no `page_published` signal queues
    them for the search index, which the benchmark then rebuilds in full.
    Wagtail's own post-save handlers (its database search index, the
    reference index) still run.
    """
    depth = parent.depth + 1
    for position, (page, when) in enumerate(zip(pages, published_at, strict=True), 1):
        page.depth = depth
        page.path = parent._get_path(parent.path, depth, position)
        page._cached_parent_obj = parent  # for set_url_path in save()
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = when
        page.draft_title = page.title
        page.locale_id = parent.locale_id
        page.save(clean=False, log_action=None)
    type(parent).objects.filter(pk=parent.pk).update(numchild=len(pages))
    parent.numchild = len(pages)


class Corpus:
    """The seeded generator."""

    def __init__(self, seed, items):
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible corpus
        self.items = items
        self.counts = {}

    def text(self, templates, count, topic, members):
        rng = self.rng
        return [
            template.format(
                body=rng.choice(BODIES),
                topic=topic,
                org=rng.choice(members),
                n=rng.randint(1, 12),
                q=rng.randint(1, 4),
            )
            for template in rng.sample(templates, count)
        ]

    def build(self):
        from taggit.models import Tag

        from klynge_pages.models import ClusterPage, Organisation
        from tests.factories import make_cluster_index

        rng = self.rng
        index = make_cluster_index()
        region = Organisation.objects.create(
            name="Region Nordjylland", kind=Organisation.Kind.REGION
        )
        plo = Organisation.objects.create(
            name="PLO-Nordjylland",
            short_name="PLO",
            kind=Organisation.Kind.ALMEN_PRAKSIS,
        )
        clusters = []
        for area, (label, towns) in AREAS.items():
            members = [
                Organisation.objects.create(
                    name=f"{town} Kommune",
                    short_name=town,
                    kind=Organisation.Kind.KOMMUNE,
                )
                for town in towns
            ] + [region, plo]
            bodies = [
                (f"Klynge {label}", ClusterPage.Kind.POLITICAL),
                (f"Klyngestyregruppe {label}", ClusterPage.Kind.STEERING),
            ] + [
                (f"Samarbejdsforum for {forum}, {label}", ClusterPage.Kind.FORUM)
                for forum in FORA
            ]
            for title, kind in bodies:
                clusters.append((title, kind, area, members, towns))
        pages = []
        for title, kind, area, members, _towns in clusters:
            page = ClusterPage(
                title=title,
                slug=title.lower()
                .replace(" ", "-")
                .replace(",", "")
                .replace("ø", "oe")
                .replace("æ", "ae")
                .replace("å", "aa"),
                kind=kind,
                area=area,
                intro=paragraph(
                    [
                        "Formålet er at skabe et lokalpolitisk forum for dialog, "
                        "inspiration, udvikling og opfølgning på Sundhedsaftalen.",
                        "Medlemmer: "
                        + ", ".join(member.name for member in members)
                        + ".",
                    ]
                ),
            )
            pages.append(page)
        start = datetime(2015, 1, 1, tzinfo=CPH)
        add_live_children(index, pages, [start] * len(pages))
        from klynge_pages.models import ClusterMembership

        ClusterMembership.objects.bulk_create(
            ClusterMembership(page=page, organisation=member, sort_order=position)
            for page, (_t, _k, _a, members, _w) in zip(pages, clusters, strict=True)
            for position, member in enumerate(members)
        )
        self.counts["clusters"] = len(pages)

        tags = {
            name: Tag.objects.get_or_create(name=name)[0]
            for _topic, names in TOPICS
            for name in names
        }

        # Meetings: 4-36 items each (about 20), at random dates 2015-2026,
        # until the items add up to exactly `self.items`.
        plan = []
        left = self.items
        first_day = datetime(2015, 1, 5, tzinfo=CPH)
        days = (datetime(2026, 12, 18, tzinfo=CPH) - first_day).days
        while left > 0:
            count = min(left, rng.randint(4, 36))
            left -= count
            cluster = rng.randrange(len(pages))
            day = first_day + timedelta(days=rng.randrange(days))
            if day.weekday() >= 5:
                day -= timedelta(days=day.weekday() - 4)
            start_at = day.replace(hour=rng.choice([9, 10, 13, 14, 16]))
            plan.append((cluster, start_at, count))
        plan.sort(key=lambda entry: (entry[0], entry[1]))
        meetings_by_cluster = {n: [] for n in range(len(pages))}
        for entry in plan:
            meetings_by_cluster[entry[0]].append(entry)
        meetings = []
        for cluster_no, entries in meetings_by_cluster.items():
            self._meetings(pages[cluster_no], clusters[cluster_no], entries, meetings)
        self.counts["meetings"] = len(meetings)
        self._agenda(meetings, tags)

    def _meetings(self, cluster, info, entries, meetings):
        from klynge_pages.models import MeetingPage

        _title, _kind, _area, members, _towns = info
        new = []
        for number, (_c, start_at, count) in enumerate(entries, 1):
            host = members[number % len(members)]
            local = start_at.astimezone(CPH)
            page = MeetingPage(
                title=(
                    f"Møde i {cluster.title} {local.day}. "
                    f"{DANISH_MONTHS[local.month - 1]} {local.year}"
                ),
                slug=f"moede-{local:%Y-%m-%d}-{number}",
                start=start_at,
                end=start_at + timedelta(minutes=self.rng.choice([90, 120, 150])),
                host=host,
                intro=paragraph(
                    [
                        f"Mødet holdes i {self.rng.choice(PLACES)}. "
                        f"Vært og mødeleder: {host.name}."
                    ]
                ),
            )
            new.append((page, count))
        # Published a week before the meeting, like the agenda.
        add_live_children(
            cluster,
            [page for page, _count in new],
            [page.start - timedelta(days=7) for page, _count in new],
        )
        meetings.extend((page, count, info) for page, count in new)

    def _agenda(self, meetings, tags):
        from klynge_pages.models import (
            AgendaItem,
            AgendaItemTag,
            MinutesDecision,
            MinutesPage,
        )

        rng = self.rng
        items = []
        item_tags = []
        decisions = []  # (meeting index, item index, html)
        minutes_for = []
        for meeting_no, (meeting, count, info) in enumerate(meetings):
            members = info[4]
            has_minutes = meeting.start < MINUTES_BEFORE and rng.random() < 0.95
            if has_minutes:
                minutes_for.append(meeting_no)
            for number in range(1, count + 1):
                topic, topic_tags = rng.choice(TOPICS)
                last = number == count
                title = (
                    "Eventuelt – herunder planlægning af næste møde"
                    if last and count > 3
                    else capitalise(rng.choice(TITLE_FORMS).format(topic=topic))
                )
                item = AgendaItem(
                    page=meeting,
                    uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                    number=number,
                    sort_order=number,
                    title=title,
                    description=paragraph(
                        self.text(CASE_SENTENCES, rng.randint(2, 5), topic, members)
                    ),
                    recommendation=paragraph(
                        self.text(RECOMMENDATIONS, 1, topic, members)
                    ),
                    closed=rng.random() < CLOSED_SHARE,
                )
                items.append(item)
                item_tags.append(
                    [tags[name] for name in topic_tags if rng.random() < 0.8]
                )
                if has_minutes:
                    decisions.append(
                        (
                            meeting_no,
                            len(items) - 1,
                            paragraph(
                                self.text(DECISIONS, rng.randint(1, 2), topic, members)
                            ),
                        )
                    )
        AgendaItem.objects.bulk_create(items, batch_size=2000)
        if any(item.pk is None for item in items):
            raise SystemExit("bulk_create returned no primary keys")
        AgendaItemTag.objects.bulk_create(
            (
                AgendaItemTag(tag=tag, content_object_id=item.pk)
                for item, its_tags in zip(items, item_tags, strict=True)
                for tag in its_tags
            ),
            batch_size=5000,
        )
        self.counts["agenda items"] = len(items)
        self.counts["closed items"] = sum(item.closed for item in items)

        minutes_pages = {}
        for meeting_no in minutes_for:
            meeting = meetings[meeting_no][0]
            page = MinutesPage(
                title="Referat",
                slug="referat",
                summary=paragraph(
                    [f"Referat fra {meeting.title[0].lower()}{meeting.title[1:]}."]
                ),
            )
            # Published within the week after the meeting.
            add_live_children(meeting, [page], [meeting.end + timedelta(days=5)])
            minutes_pages[meeting_no] = page
        MinutesDecision.objects.bulk_create(
            (
                MinutesDecision(
                    page=minutes_pages[meeting_no],
                    agenda_item=items[item_no],
                    decision=html,
                    sort_order=items[item_no].number,
                )
                for meeting_no, item_no, html in decisions
            ),
            batch_size=5000,
        )
        self.counts["minutes"] = len(minutes_pages)
        self.counts["decisions"] = len(decisions)


# --- Measuring --------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


class Probe:
    """Records what the engine answered for the request in this thread:
    Elasticsearch's `took`, the engine, the number of hits."""

    local = threading.local()

    def install(self):
        from klynge_search import engines

        original = engines.search

        def search(params):
            results = original(params)
            self.local.took = results.took_ms
            self.local.engine = results.engine
            self.local.total = results.total
            return results

        engines.search = search

    def reset(self):
        self.local.took = self.local.engine = self.local.total = None


def run_requests(urls, concurrency, probe):
    """Request every URL through the view from `concurrency` threads, each
    with its own client and database connection. Returns the samples
    (url, ms, took, engine, total) and the wall time."""
    work = queue.Queue()
    for url in urls:
        work.put(url)
    samples = []
    lock = threading.Lock()
    errors = []

    def worker():
        client = Client()
        try:
            while True:
                try:
                    url = work.get_nowait()
                except queue.Empty:
                    return
                probe.reset()
                started = time.perf_counter()
                response = client.get(url)
                ms = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    errors.append((url, response.status_code))
                    continue
                with lock:
                    samples.append(
                        (
                            url,
                            ms,
                            probe.local.took,
                            probe.local.engine,
                            probe.local.total,
                        )
                    )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"Requests failed: {errors[:5]}")
    return samples, wall


def query_urls():
    from klynge_pages.models import ClusterPage

    midt = ClusterPage.objects.get(title="Klynge Midt").pk
    urls = []
    for query in QUERIES:
        values = {
            key: value.format(midt=midt) if key == "klynge" else value
            for key, value in query.items()
        }
        urls.append("/soeg/?" + urlencode(values))
    return urls


def summary(samples):
    ms = [sample[1] for sample in samples]
    took = [sample[2] for sample in samples if sample[2] is not None]
    ratios = [sample[1] / max(sample[2], 1) for sample in samples if sample[2]]
    return {
        "n": len(samples),
        "p50": percentile(ms, 0.5),
        "p95": percentile(ms, 0.95),
        "took_p50": percentile(took, 0.5) if took else None,
        "took_p95": percentile(took, 0.95) if took else None,
        "ratio": statistics.median(ratios) if ratios else None,
        "fallbacks": sum(1 for sample in samples if sample[3] != "elasticsearch"),
    }


def fmt(value, digits=1):
    return "–" if value is None else f"{value:.{digits}f}"


def split_rebuild(client):
    from klynge_search import indices
    from klynge_search.attachments import attachment_text
    from klynge_search.documents import all_documents

    started = time.perf_counter()
    built = [doc for _owner, docs in all_documents(attachment_text) for doc in docs]
    building = time.perf_counter() - started
    # The same index settings and bulk requests as the rebuild.
    scratch = indices.create_index(
        client, f"{INDEX_PREFIX}-ingest", **indices.BULK_SETTINGS
    )
    actions = (
        {
            "_index": scratch,
            "_id": doc["_id"],
            "_source": {key: value for key, value in doc.items() if key != "_id"},
        }
        for doc in built
    )
    started = time.perf_counter()
    indices.bulk_in_threads(client, actions)
    client.indices.put_settings(index=scratch, settings=indices.search_settings())
    client.indices.refresh(index=scratch)
    writing = time.perf_counter() - started
    client.indices.delete(index=scratch)
    return [
        (
            "building the documents only (no Elasticsearch, warm caches)",
            f"{building:.1f} s, {len(built) / building:,.0f} documents/s",
        ),
        (
            "writing the built documents only (Elasticsearch's share)",
            f"{writing:.1f} s, {len(built) / writing:,.0f} documents/s",
        ),
    ]


def setup_database(keepdb):
    """A database of the benchmark's own: Django's test-database machinery
    with a fixed name, so that the threads share it."""
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        test["NAME"] = str(SQLITE_FILE)
    else:
        test["NAME"] = POSTGRES_NAME
    return connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=keepdb
    )


def delete_indices(client):
    names = list(client.indices.get(index=f"{INDEX_PREFIX}-*").body)
    if names:
        client.indices.delete(index=",".join(names))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument(
        "--runs", type=int, default=10, help="requests per query and concurrency"
    )
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument(
        "--db-queries",
        type=int,
        default=len(QUERIES),
        help="how many of the queries to send through the database engine",
    )
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="keep the database, and reuse it (content included) next time",
    )
    args = parser.parse_args()

    if not settings.KLYNGE_ELASTICSEARCH_URL:
        sys.exit(
            "bench.search needs Elasticsearch: set ELASTICSEARCH_URL "
            "(e.g. http://127.0.0.1:9200; `scripts/elasticsearch.sh start` "
            "runs one), or use `make bench`, which does both."
        )
    settings.KLYNGE_SEARCH_INDEX_PREFIX = INDEX_PREFIX

    from elasticsearch import Elasticsearch
    from elasticsearch import TransportError as ESTransportError

    from klynge_pages.models import AgendaItem, MeetingPage
    from klynge_search import connection as search_connection
    from klynge_search import indexer
    from klynge_search.engines import elasticsearch as elasticsearch_engine

    client = search_connection.get_client()
    try:
        es_version = search_connection.server_version(client)
    except (ESTransportError, OSError) as error:
        sys.exit(
            f"Elasticsearch at {settings.KLYNGE_ELASTICSEARCH_URL} does not answer: "
            f"{error}"
        )
    assert isinstance(client, Elasticsearch)

    old_name = setup_database(args.keepdb)
    try:
        rows = []
        reused = args.keepdb and AgendaItem.objects.exists()
        if reused:
            print(f"Reusing the content in {connection.settings_dict['NAME']}")
        else:
            corpus = Corpus(args.seed, args.items)
            started = time.perf_counter()
            # Wagtail logs every page it creates.
            logging.getLogger("wagtail").setLevel(logging.WARNING)
            with transaction.atomic():
                corpus.build()
            generation = time.perf_counter() - started
            print(
                "Generated "
                + ", ".join(f"{n:,} {name}" for name, n in corpus.counts.items())
                + f" in {generation:.1f} s"
            )
            rows.append(
                (
                    "generation",
                    f"{generation:.1f} s ("
                    + ", ".join(f"{n:,} {name}" for name, n in corpus.counts.items())
                    + ")",
                )
            )
        items = AgendaItem.objects.filter(page__live=True).count()
        meetings = MeetingPage.objects.filter(live=True).count()

        # Indexing: the whole rebuild, as `manage.py search_index rebuild`.
        started = time.perf_counter()
        _name, documents = indexer.rebuild(client)
        rebuild = time.perf_counter() - started
        print(f"Rebuilt the index: {documents:,} documents in {rebuild:.1f} s")
        rows.append(
            (
                "rebuild",
                f"{rebuild:.1f} s: {documents:,} documents ({items:,} agenda items, "
                f"{meetings:,} meetings), {documents / rebuild:,.0f} documents/s, "
                f"{items / rebuild:,.0f} agenda items/s",
            )
        )
        # The two halves of the rebuild apart: the same documents built again
        # without Elasticsearch (the compound splitter's caches warm now), and
        # then written into a scratch index from memory (Elasticsearch alone).
        rows += split_rebuild(client)

        probe = Probe()
        probe.install()
        urls = query_urls()
        # Warm-up: every query once (templates, the compound lexicon,
        # Elasticsearch's caches).
        run_requests(urls, 1, probe)

        per_query = {url: {} for url in urls}
        results = {}
        # Every query is repeated, which a real audience does far less: the
        # measured runs bypass Elasticsearch's request cache (which would
        # answer the repeated count and facets), and one more run at
        # concurrency 1 shows what the cache gives.
        elasticsearch_engine.REQUEST_CACHE = False
        for concurrency in args.concurrency:
            batch = urls * args.runs
            random.Random(concurrency).shuffle(batch)  # noqa: S311
            samples, wall = run_requests(batch, concurrency, probe)
            results[concurrency] = (summary(samples), len(samples) / wall)
            for sample in samples:
                per_query[sample[0]].setdefault(concurrency, []).append(sample)
        elasticsearch_engine.REQUEST_CACHE = True
        batch = urls * args.runs
        random.Random(1).shuffle(batch)  # noqa: S311
        samples, wall = run_requests(batch, 1, probe)
        results["1, request cache"] = (summary(samples), len(samples) / wall)

        db_urls = urls[: args.db_queries]
        with override_settings(KLYNGE_ELASTICSEARCH_URL=""):
            db_samples, _wall = run_requests(db_urls, 1, probe)
        db = summary(db_samples) if db_samples else None
        for sample in db_samples:
            per_query[sample[0]]["db"] = sample
    finally:
        try:
            delete_indices(client)
        finally:
            connection.creation.destroy_test_db(
                old_name, verbosity=0, keepdb=args.keepdb
            )

    print()
    print(
        f"# {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {connection.vendor}, "
        f"Elasticsearch {es_version}, seed {args.seed}, {args.runs} runs per query"
    )
    print()
    print("| step | figure |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print()
    print(
        "| through the view | requests | p50 ms | p95 ms | `took` p50 ms "
        "| `took` p95 ms | view / `took` (median) | requests/s | fell back to DB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for concurrency, (stats, rate) in results.items():
        print(
            f"| Elasticsearch, concurrency {concurrency} | {stats['n']} "
            f"| {fmt(stats['p50'])} | {fmt(stats['p95'])} "
            f"| {fmt(stats['took_p50'], 0)} | {fmt(stats['took_p95'], 0)} "
            f"| {fmt(stats['ratio'], 2)}× | {rate:.1f} | {stats['fallbacks']} |"
        )
    if db:
        print(
            f"| database engine, concurrency 1 | {db['n']} | {fmt(db['p50'])} "
            f"| {fmt(db['p95'])} | – | – | – | – | – |"
        )
    print()
    head = " | ".join(f"c={c} p50 ms | `took` p50" for c in args.concurrency)
    print(f"| query | hits (ES) | {head} | hits (DB) | DB ms |")
    print("|---|---|" + "---|---|" * len(args.concurrency) + "---|---|")
    for url in urls:
        entry = per_query[url]
        cells = []
        for concurrency in args.concurrency:
            samples = entry.get(concurrency, [])
            cells.append(fmt(statistics.median(s[1] for s in samples)))
            tooks = [s[2] for s in samples if s[2] is not None]
            cells.append(fmt(statistics.median(tooks), 0) if tooks else "–")
        hits = entry[args.concurrency[0]][0][4]
        db_sample = entry.get("db")
        query = url.split("?", 1)[1]
        db_cells = (
            f"{db_sample[4]:,} | {fmt(db_sample[1], 0)}" if db_sample else "– | –"
        )
        print(f"| `{query}` | {hits:,} | " + " | ".join(cells) + f" | {db_cells} |")


if __name__ == "__main__":
    main()
