"""Exports of published content: agenda and minutes as PDF, "Hent alle
bilag" as ZIP, iCalendar feeds and RSS/Atom feeds (klynge_exports)."""

import io
import threading
import zipfile
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from klynge_pages.models import (
    AgendaItemAttachment,
    MeetingPage,
    MinutesPage,
)

from .factories import (
    CLOSED_SECRETS,
    OrganisationFactory,
    PersonFactory,
    approve_minutes,
    closed_item_meeting,
    local,
    make_cluster,
    make_document,
    make_meeting,
    make_minutes,
    publish,
    seed_minutes_meeting,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def midt():
    return make_cluster(
        title="Politisk klynge Midt",
        members=[OrganisationFactory(name="Aalborg Kommune")],
    )


def pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response)))
    # Words as they read, whatever line breaks the layout put between them.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return reader, text


def agenda_url(meeting):
    return reverse("klynge_exports:agenda_pdf", args=[meeting.pk])


def minutes_url(minutes):
    return reverse("klynge_exports:minutes_pdf", args=[minutes.pk])


def zip_url(meeting):
    return reverse("klynge_exports:attachments_zip", args=[meeting.pk])


def future(days, hour=16, minute=30):
    day = timezone.localdate() + timedelta(days=days)
    return local(day.year, day.month, day.day, hour, minute)


# --- PDF ---------------------------------------------------------------------


def test_agenda_pdf_in_danish_with_items_and_without_closed_content(client, midt):
    meeting = closed_item_meeting(midt, title="Møde i Klynge Midt")

    reader, text = pdf_text(client.get(agenda_url(meeting)))

    assert "Dagsorden: Møde i Klynge Midt" in text
    assert "onsdag den 6. november 2019 kl. 16.30–18.00" in text
    assert "Punkt 1: Punkt nummer 1" in text
    assert "Det indstilles, at punkt 1 drøftes." in text
    # The published minutes' decision is on the agenda too, as on the page.
    assert "Godkendt." in text
    assert "Lukket sag om en medarbejder" in text
    assert "Lukket punkt" in text
    for secret in CLOSED_SECRETS.values():
        assert secret not in text
    assert "Bilag 9" not in text
    assert "Side 1 af" in text
    assert "http://testserver/klynger/politisk-klynge-midt/møde-i-klynge-midt/" in text
    assert reader.metadata.title == "Dagsorden: Møde i Klynge Midt"
    # Tagged PDF (PDF/UA) in Danish, for screen readers.
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "da"


def test_download_names_keep_the_danish_letters_as_ascii(client):
    cluster = make_cluster(title="Klynge Åbybro", slug="klynge-åbybro-æblegård")
    meeting = make_meeting(cluster, items=1, title="Møde", slug="møde-i-øster-å")

    pdf = client.get(agenda_url(meeting))
    ics = client.get(reverse("klynge_exports:calendar_cluster", args=[cluster.slug]))

    assert pdf.status_code == 200 and ics.status_code == 200
    assert 'filename="dagsorden-moede-i-oester-aa.pdf"' in pdf["Content-Disposition"]
    assert (
        'filename="moeder-klynge-aabybro-aeblegaard.ics"' in ics["Content-Disposition"]
    )


def test_minutes_pdf_has_the_signoff_line_and_referent(client, midt):
    meeting = closed_item_meeting(midt)
    minutes = MinutesPage.objects.child_of(meeting).get()
    minutes.minute_taker = PersonFactory(name="Jane Pedersen", title="fuldmægtig")
    minutes.save_revision()
    minutes = approve_minutes(
        minutes,
        [("Mette Sørensen", OrganisationFactory(name="Jammerbugt Kommune"))],
        at=local(2019, 11, 12, 10, 0),
    )

    _reader, text = pdf_text(client.get(minutes_url(minutes)))

    assert "Beslutning" in text
    assert "Godkendt." in text
    assert "Godkendt af Mette Sørensen (Jammerbugt Kommune) tirsdag den 12." in text
    # The digest of the approved version, as on the page.
    assert minutes.standing_signoffs()[0].digest in text.replace("\n", "")
    assert "Referent:" in text and "Jane Pedersen" in text
    assert "Lukket sag om en medarbejder" in text
    for secret in CLOSED_SECRETS.values():
        assert secret not in text


def test_pdf_follows_republishing(client, midt):
    meeting = make_meeting(midt, title="Første titel")
    assert "Første titel" in pdf_text(client.get(agenda_url(meeting)))[1]

    meeting.title = "Ny titel efter rettelse"
    publish(meeting)

    text = pdf_text(client.get(agenda_url(meeting)))[1]
    assert "Ny titel efter rettelse" in text
    assert "Første titel" not in text


def unpublished_cases(cluster):
    """(name, url) of exports of content no citizen may see."""
    draft = make_meeting(cluster, live=False)
    published = make_meeting(cluster, title="Offentligt møde")
    unapproved = make_minutes(published, live=False)
    private = make_meeting(cluster, title="Privat møde")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    hidden_cluster = make_cluster(title="Ikke udgivet klynge")
    orphan = make_meeting(hidden_cluster)
    orphan_minutes = make_minutes(orphan)
    hidden_cluster.unpublish()
    return [
        ("draft agenda", agenda_url(draft)),
        ("draft zip", zip_url(draft)),
        ("draft ics", reverse("klynge_exports:calendar_meeting", args=[draft.pk])),
        ("unapproved minutes", minutes_url(unapproved)),
        ("private agenda", agenda_url(private)),
        ("private zip", zip_url(private)),
        ("meeting under an unpublished cluster", agenda_url(orphan)),
        ("minutes under an unpublished cluster", minutes_url(orphan_minutes)),
        ("minutes id as a meeting", agenda_url(orphan_minutes)),
        ("meeting id as minutes", minutes_url(published)),
        ("cluster id as a meeting", agenda_url(cluster)),
        ("unknown id", "/eksport/moede/987654/dagsorden.pdf"),
        ("id beyond any integer", "/eksport/moede/99999999999999999999999/bilag.zip"),
        (
            "unpublished cluster's calendar",
            reverse("klynge_exports:calendar_cluster", args=[hidden_cluster.slug]),
        ),
        ("unknown cluster's calendar", "/kalender/klynge/findes-ikke.ics"),
        (
            "unpublished cluster's feed",
            reverse("klynge_exports:rss_cluster", args=[hidden_cluster.slug]),
        ),
        ("unknown cluster's feed", "/feeds/klynge/findes-ikke/atom/"),
    ]


def test_exports_of_unpublished_content_are_not_found(client, midt):
    for name, url in unpublished_cases(midt):
        response = client.get(url)
        assert response.status_code == 404, name


def test_exports_answer_get_and_head_only(client, midt):
    meeting = make_meeting(midt)
    for url in (agenda_url(meeting), "/kalender/moeder.ics", "/feeds/rss/"):
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200


def test_pdf_rendering_fetches_nothing(client, midt):
    """Rich text may hold any link or, from an old import, an image; the
    renderer must not make the server open connections (SSRF)."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    address = f"http://127.0.0.1:{server.server_port}"
    try:
        meeting = make_meeting(midt, items=1)
        item = meeting.agenda_items.get()
        item.description = (
            f'<p>Se <a href="{address}/link">linket</a>.</p>'
            f'<img src="{address}/billede.png" alt="">'
            f'<link rel="stylesheet" href="{address}/stil.css">'
            f"<style>@import url({address}/import.css);</style>"
        )
        item.save()
        publish(MeetingPage.objects.get(pk=meeting.pk))

        _reader, text = pdf_text(client.get(agenda_url(meeting)))
    finally:
        server.shutdown()
        server.server_close()

    assert "linket" in text
    assert requests == []


def test_hostile_titles_are_text_in_the_pdf(client, midt):
    title = 'Møde <script>alert(1)</script> "; } @page { size: 1mm } /*'
    meeting = make_meeting(midt, title=title)
    midt.title = 'Klynge"; content: "x'
    publish(midt)

    reader, text = pdf_text(client.get(agenda_url(meeting)))

    assert "<script>alert(1)</script>" in text
    assert 'Klynge"; content: "x' in text
    # The page size is still A4 (595 × 842 points).
    assert round(float(reader.pages[0].mediabox.width)) == 595


def test_long_agenda_runs_over_several_pages(client, midt):
    meeting = make_meeting(midt, items=60)

    reader, text = pdf_text(client.get(agenda_url(meeting)))

    assert len(reader.pages) > 3
    assert "Punkt 60: Punkt nummer 60" in text
    assert f"Side {len(reader.pages)} af {len(reader.pages)}" in text


# --- ZIP -----------------------------------------------------------------------


def attach(meeting, number, *documents):
    item = meeting.agenda_items.get(number=number)
    item.attachments = [
        AgendaItemAttachment(document=document, label=label, sort_order=n)
        for n, (label, document) in enumerate(documents)
    ]
    item.save()
    return publish(MeetingPage.objects.get(pk=meeting.pk))


def open_zip(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_zip_has_the_agenda_and_the_open_items_attachments(client, midt):
    meeting = closed_item_meeting(midt)
    budget = make_document("Budget 2020", b"%PDF-1.4 budget", "budget.pdf", midt)
    plan = make_document("Plan", b"PK plan", "plan.docx", midt)
    meeting = attach(meeting, 1, ("Bilag 1", budget), ("Bilag 2", plan))

    archive = open_zip(client.get(zip_url(meeting)))

    assert archive.namelist() == [
        "Dagsorden.pdf",
        "Punkt 01 - Bilag 1 - Budget 2020.pdf",
        "Punkt 01 - Bilag 2 - Plan.docx",
    ]
    assert archive.read("Punkt 01 - Bilag 1 - Budget 2020.pdf") == b"%PDF-1.4 budget"
    assert archive.read("Dagsorden.pdf").startswith(b"%PDF")
    assert archive.testzip() is None
    # Formats that are compressed already are stored, not deflated again.
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}


def test_zip_names_are_safe_and_unique(client, midt):
    meeting = make_meeting(midt, items=1)
    labels = [
        "../../etc/passwd",
        "a/b\\c:d*e?f",
        "kontrol\x01tegn\x1b",
        "x" * 255,
        "Bilag",
        "bilag",
        "...",
    ]
    meeting = attach(
        meeting,
        1,
        *[
            (label, make_document("Dok", b"indhold", "dok.pdf", midt))
            for label in labels
        ],
    )

    names = open_zip(client.get(zip_url(meeting))).namelist()

    assert len(names) == len(labels) + 1
    assert len({name.lower() for name in names}) == len(names)
    for name in names:
        assert "/" not in name and "\\" not in name and ".." not in name
        assert not any(ord(char) < 32 for char in name)
        assert len(name) <= 120


def test_zip_over_the_size_limit_is_refused_in_danish(client, midt, settings):
    settings.KLYNGE_EXPORT_ZIP_MAX_BYTES = 10
    meeting = attach(
        make_meeting(midt, items=1), 1, ("B", make_document("Dok", cluster=midt))
    )

    response = client.get(zip_url(meeting))

    assert response.status_code == 413
    assert "fylder for meget" in response.content.decode()


def test_zip_names_an_attachment_whose_file_is_gone(client, midt):
    document = make_document("Forsvundet", b"data", "forsvundet.pdf", midt)
    meeting = attach(make_meeting(midt, items=1), 1, ("Bilag 3", document))
    document.file.storage.delete(document.file.name)

    archive = open_zip(client.get(zip_url(meeting)))

    assert "Bilag der mangler.txt" in archive.namelist()
    assert (
        "Punkt 01 - Bilag 3 - Forsvundet.pdf"
        in archive.read("Bilag der mangler.txt").decode()
    )


# --- iCalendar -----------------------------------------------------------------


def get_calendar(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    # RFC 5545 3.1: CRLF line breaks, lines folded at 75 octets.
    lines = body.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in body.replace(b"\r\n", b"")
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    timezones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event, required
        for key in ("DTSTART", "DTEND"):
            assert event[key].params["TZID"] in timezones
    return response, calendar


def events(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_calendar_lists_published_public_meetings_only(client, midt):
    make_meeting(midt, title="Kommende møde", start=future(10))
    make_meeting(midt, title="Kladde", start=future(11), live=False)
    private = make_meeting(midt, title="Privat", start=future(12))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    other = make_cluster(title="Klynge Nord")
    make_meeting(other, title="Nords møde", start=future(13))
    hidden = make_cluster(title="Skjult klynge")
    make_meeting(hidden, title="Skjult møde", start=future(14))
    hidden.unpublish()
    make_meeting(midt, title="Gammelt møde", start=local(2019, 11, 6, 16, 30))

    _response, calendar = get_calendar(client, "/kalender/moeder.ics")
    assert set(events(calendar)) == {"Kommende møde", "Nords møde"}
    assert "Møder i sundhedsaftalens klynger" == str(calendar["X-WR-CALNAME"])

    url = reverse("klynge_exports:calendar_cluster", args=[midt.slug])
    _response, calendar = get_calendar(client, url)
    assert set(events(calendar)) == {"Kommende møde"}


def test_calendar_event_in_danish_and_copenhagen_time(client, midt):
    # Summer time: 16:30 in Copenhagen is 14:30 UTC.
    day = timezone.localdate() + timedelta(days=30)
    summer_year = day.year + 1
    meeting = closed_item_meeting(
        midt,
        title="Sommermøde",
        start=local(summer_year, 6, 15, 16, 30),
        end=local(summer_year, 6, 15, 18, 0),
    )
    meeting.host = OrganisationFactory(name="Aalborg Kommune")
    publish(meeting)

    _response, calendar = get_calendar(client, "/kalender/moeder.ics")
    event = events(calendar)["Sommermøde"]

    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Copenhagen"
    assert start.utcoffset() == timedelta(hours=2)
    assert (start.hour, start.minute) == (16, 30)
    assert event["STATUS"] == "CONFIRMED"
    description = str(event["DESCRIPTION"])
    assert "Klynge: Politisk klynge Midt" in description
    assert "Vært og mødeleder: Aalborg Kommune" in description
    assert "2. Lukket sag om en medarbejder (lukket punkt)" in description
    assert "http://testserver" + meeting.url in description
    for secret in CLOSED_SECRETS.values():
        assert secret not in description


def test_calendar_uid_is_stable_and_sequence_counts_updates(client, midt):
    meeting = make_meeting(midt, title="Mødet", start=future(20))
    _r, calendar = get_calendar(client, "/kalender/moeder.ics")
    first = events(calendar)["Mødet"]
    assert first["SEQUENCE"] == 0

    meeting.start, meeting.end = future(21, 9), future(21, 11)
    meeting.slug = "flyttet-moede"
    publish(meeting)
    _r, calendar = get_calendar(client, "/kalender/moeder.ics")
    moved = events(calendar)["Mødet"]
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART").hour == 9

    meeting.cancelled = True
    publish(meeting)
    _r, calendar = get_calendar(client, "/kalender/moeder.ics")
    cancelled = events(calendar)["Aflyst: Mødet"]
    assert cancelled["UID"] == first["UID"]
    assert cancelled["SEQUENCE"] == 2
    assert cancelled["STATUS"] == "CANCELLED"
    assert "Mødet er aflyst." in str(cancelled["DESCRIPTION"])


def test_calendar_answers_304_when_unchanged(client, midt):
    make_meeting(midt, start=future(5))
    response, _calendar = get_calendar(client, "/kalender/moeder.ics")

    again = client.get("/kalender/moeder.ics", HTTP_IF_NONE_MATCH=response["ETag"])

    assert again.status_code == 304
    assert "max-age=900" in response["Cache-Control"]


def test_single_meeting_calendar_file(client, midt):
    meeting = make_meeting(midt, title="Et møde", start=local(2019, 11, 6, 16, 30))
    url = reverse("klynge_exports:calendar_meeting", args=[meeting.pk])

    response, calendar = get_calendar(client, url)

    assert "attachment" in response["Content-Disposition"]
    assert list(events(calendar)) == ["Et møde"]
    start = events(calendar)["Et møde"].decoded("DTSTART")
    # Winter time: UTC+1.
    assert start.utcoffset() == timedelta(hours=1)


def test_empty_calendar_is_valid(client, midt):
    _response, calendar = get_calendar(client, "/kalender/moeder.ics")
    assert events(calendar) == {}


# --- RSS and Atom --------------------------------------------------------------


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "da"
    return {item.findtext("title"): item for item in channel.iter("item")}


def test_feeds_show_published_agendas_and_minutes_only(client, midt):
    meeting = make_meeting(midt, title="Mødet 6. november")
    make_minutes(meeting, title="Referat 6. november")
    pending = make_meeting(
        midt, title="Mødet 4. december", start=local(2019, 12, 4, 16, 30)
    )
    make_minutes(pending, live=False, title="Referat der venter på godkendelse")
    make_meeting(midt, title="Kladdemødet", live=False)
    private = make_meeting(midt, title="Privat møde", start=local(2019, 12, 5, 16, 30))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    hidden = make_cluster(title="Skjult klynge")
    make_minutes(make_meeting(hidden, title="Skjult møde"), title="Skjult referat")
    hidden.unpublish()
    make_meeting(make_cluster(title="Klynge Nord"), title="Nords møde")

    items = rss_items(client, "/feeds/rss/")
    assert set(items) == {
        "Dagsorden: Politisk klynge Midt, 6. november 2019",
        "Referat: Politisk klynge Midt, 6. november 2019",
        "Dagsorden: Politisk klynge Midt, 4. december 2019",
        "Dagsorden: Klynge Nord, 6. november 2019",
    }
    cluster_items = rss_items(
        client, reverse("klynge_exports:rss_cluster", args=[midt.slug])
    )
    assert "Dagsorden: Klynge Nord, 6. november 2019" not in cluster_items
    assert len(cluster_items) == 3


def test_feed_entry_shows_closed_item_title_only_and_escapes_text(client, midt):
    meeting = closed_item_meeting(midt, title="Møde <script>alert(1)</script>")

    items = rss_items(client, "/feeds/rss/")
    description = items["Dagsorden: Politisk klynge Midt, 6. november 2019"].findtext(
        "description"
    )

    assert "Lukket sag om en medarbejder (lukket punkt)" in description
    for secret in CLOSED_SECRETS.values():
        assert secret not in description
    minutes = items["Referat: Politisk klynge Midt, 6. november 2019"]
    assert minutes.findtext("link").endswith(meeting.get_children().get().url)


def test_feed_descriptions_escape_html(client, midt):
    meeting = make_meeting(midt, items=1)
    item = meeting.agenda_items.get()
    item.title = "<img src=x onerror=alert(1)>"
    item.save()
    publish(MeetingPage.objects.get(pk=meeting.pk))

    response = client.get("/feeds/rss/")
    description = (
        ElementTree.fromstring(response.content).find("channel/item/description").text
    )

    # Readers render the description as HTML: the title is text in it.
    assert "&lt;img src=x onerror=alert(1)&gt;" in description
    assert "<img" not in description


def test_atom_feed(client, midt):
    meeting = make_meeting(midt, title="Mødet")
    url = reverse("klynge_exports:atom_cluster", args=[midt.slug])

    response = client.get(url)

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert (
        entry.findtext(f"{ATOM}title")
        == "Dagsorden: Politisk klynge Midt, 6. november 2019"
    )
    assert entry.findtext(f"{ATOM}id") == f"{meeting.translation_key}@klyngeportal"
    assert entry.findtext(f"{ATOM}updated")


def test_feed_lists_the_newest_thirty(client, midt):
    for number in range(35):
        make_meeting(
            midt, start=local(2019, 1, 1, 10) + timedelta(days=number), items=1
        )

    items = rss_items(client, "/feeds/rss/")

    assert len(items) == 30
    assert "Dagsorden: Politisk klynge Midt, 4. februar 2019" in items
    assert "Dagsorden: Politisk klynge Midt, 5. januar 2019" not in items


def test_feed_titles_read_as_people_name_the_meeting(client):
    """Not “Referat: Referat fra Møde i Klyngestyregruppe MIDT”."""
    meeting = seed_minutes_meeting()
    meeting.cancelled = True
    publish(meeting)

    titles = set(rss_items(client, "/feeds/rss/"))

    assert titles == {
        "Referat: Klyngestyregruppe Midt, 6. november 2019",
        "Dagsorden: Klyngestyregruppe Midt, 6. november 2019 (aflyst)",
    }


# --- Links and rate limits -------------------------------------------------------


def test_pages_link_to_their_exports(client, midt):
    meeting = make_meeting(midt)
    minutes = make_minutes(meeting)

    meeting_html = client.get(meeting.url).content.decode()
    assert agenda_url(meeting) in meeting_html
    assert zip_url(meeting) in meeting_html
    assert reverse("klynge_exports:calendar_meeting", args=[meeting.pk]) in (
        meeting_html
    )
    assert minutes_url(minutes) in client.get(minutes.url).content.decode()
    cluster_html = client.get(midt.url).content.decode()
    assert reverse("klynge_exports:calendar_cluster", args=[midt.slug]) in (
        cluster_html
    )
    assert reverse("klynge_exports:rss_cluster", args=[midt.slug]) in cluster_html
    assert f"webcal://testserver/kalender/klynge/{midt.slug}.ics" in cluster_html
    assert (
        '<link rel="alternate" type="application/atom+xml"' in cluster_html
        and reverse("klynge_exports:atom_cluster", args=[midt.slug]) in cluster_html
    )
    index_html = client.get(midt.get_parent().url).content.decode()
    assert "webcal://testserver/kalender/moeder.ics" in index_html
    assert "/feeds/atom/" in index_html


def test_cancelled_meeting_is_marked_on_its_page_and_counts_for_nothing(client, midt):
    meeting = make_meeting(midt, title="Aflyst møde")
    meeting.cancelled = True
    publish(meeting)

    assert "Mødet er aflyst." in client.get(meeting.url).content.decode()
    assert midt.meetings_in_year(2019) == 0


@pytest.mark.parametrize(
    ("setting", "url", "message"),
    [
        ("EXPORT_RATE_LIMIT", "pdf", "hentet mange filer"),
        ("FEED_RATE_LIMIT", "/kalender/moeder.ics", "kalender eller nyheder"),
        ("FEED_RATE_LIMIT", "/feeds/atom/", "kalender eller nyheder"),
    ],
)
def test_exports_are_rate_limited_per_client(
    client, midt, settings, setting, url, message
):
    setattr(settings, f"KLYNGE_{setting}", 2)
    if url == "pdf":
        url = agenda_url(make_meeting(midt, items=1))

    statuses = [client.get(url).status_code for _ in range(3)]
    other = client.get(url, REMOTE_ADDR="10.0.0.9")

    assert statuses == [200, 200, 429]
    assert other.status_code == 200
    response = client.get(url)
    assert response["Retry-After"] == "60"
    assert message in response.content.decode()


def test_the_admin_offers_the_exports_of_published_pages(client, midt, admin_user):
    meeting = make_meeting(midt)
    minutes = make_minutes(meeting)
    draft = make_meeting(midt, title="Kladde", live=False)
    client.force_login(admin_user)

    def header(page):
        return client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).text

    assert agenda_url(meeting) in header(meeting)
    assert zip_url(meeting) in header(meeting)
    assert minutes_url(minutes) in header(minutes)
    assert agenda_url(draft) not in header(draft)
    assert "Dagsorden som PDF" not in header(draft)
