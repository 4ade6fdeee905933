"""Hostile input at the public pages and the admin forms that exist today:
XSS payloads, awkward Unicode, over-long values, malformed dates and numbers,
repeated parameters. Stored payloads must render inert, every refusal must
say why, and nothing may answer with a 5xx.

(Search and the open-data API get their own cases with those endpoints; the
exports' paths are here, their content cases in test_exports.py.)
"""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from klynge_pages.models import MeetingPage, Organisation, Person

from .factories import local, make_cluster, make_meeting, make_minutes
from .signoff_world import to_signoff
from .test_deadlines import make_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src="x" onerror="alert(1)">'
NFD_AA = "a\u030a"  # "å" as a + combining ring
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
RTL_OVERRIDE = "\u202e"

# Markup that must never reach a page unescaped.
LIVE_MARKUP = ["<script>alert", 'onerror="', 'href="javascript:', '<img src="x"']


def assert_inert(html):
    for markup in LIVE_MARKUP:
        assert markup not in html, markup


@pytest.fixture
def cluster():
    cluster = make_cluster(title="Klynge Midt")
    cluster.refresh_from_db()
    return cluster


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return client


def meeting_data(
    title="Møde", start="2019-11-06 16:30", end="2019-11-06 18:00", **extra
):
    item = {
        "number": extra.pop("number", 1),
        "title": extra.pop("item_title", "Et punkt"),
        "description": rich_text(extra.pop("description", "<p>Sag.</p>")),
        "recommendation": rich_text("<p>Det indstilles.</p>"),
        "closed": False,
        "tags": extra.pop("tags", ""),
        "attachments": inline_formset([]),
    }
    data = {
        "title": title,
        "slug": extra.pop("slug", "moede"),
        "start": start,
        "end": end,
        "room": extra.pop("room", ""),
        "intro": rich_text(extra.pop("intro", "")),
        "participants": inline_formset([]),
        "agenda_items": inline_formset([item]),
        "action-publish": "action-publish",
    }
    data.update(extra)
    return nested_form_data(data)


def add_meeting(client, cluster, **fields):
    url = reverse(
        "wagtailadmin_pages:add", args=("klynge_pages", "meetingpage", cluster.pk)
    )
    return client.post(url, meeting_data(**fields))


def errors_of(response):
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    messages = [str(e) for errors in form.errors.values() for e in errors]
    for formset in form.formsets.values():
        for subform in formset.forms:
            messages += [str(e) for errors in subform.errors.values() for e in errors]
    return " ".join(messages)


# --- Stored XSS ---------------------------------------------------------------


def test_xss_payloads_in_every_text_field_of_a_meeting_render_inert(
    client, editor, cluster
):
    response = add_meeting(
        editor,
        cluster,
        title=f"Møde {SCRIPT}",
        room=f"Lokale {IMG}",
        item_title=f"Punkt {SCRIPT}{IMG}",
        description=(
            '<p><a href="javascript:alert(1)">Klik</a> '
            '<a href="JaVaScRiPt:alert(2)">her</a></p><img src="x" onerror="alert(1)"/>'
        ),
        intro='<p><a href="javascript:alert(3)">Om mødet</a></p>',
        tags=f'"{SCRIPT}"',
    )
    assert response.status_code == 302
    meeting = MeetingPage.objects.get(slug="moede")
    item = meeting.agenda_items.get()

    # Wagtail's rich text converter keeps the text and drops the scripts.
    assert "javascript" not in item.description.lower()
    assert "onerror" not in item.description
    assert "javascript" not in meeting.intro.lower()
    client.logout()
    for page in (meeting, cluster):
        html = client.get(page.url).content.decode()
        assert_inert(html)
    html = client.get(meeting.url).content.decode()
    assert "Møde &lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html
    assert "Klik" in html
    # The feeds carry the payloads as text: escaped for HTML, which readers
    # render, inside the XML.
    for feed in ("/feeds/rss/", "/feeds/atom/"):
        body = client.get(feed).content.decode()
        assert "<script>" not in body and "&amp;lt;script&amp;gt;" in body
        assert "&lt;img" not in body.replace("&amp;lt;img", "")


@pytest.mark.parametrize(
    "path", ["/feeds/rss/", "/feeds/atom/", "/kalender/moeder.ics"]
)
@pytest.mark.parametrize(
    "query", ["?a=1&a=2", "?q=%00", "?page=1e9", "?x=" + "å" * 5000]
)
def test_feeds_and_calendars_ignore_hostile_query_strings(
    client, published, path, query
):
    assert client.get(path + query).status_code == 200


def test_xss_payloads_render_inert_in_the_admin_listings(editor, cluster):
    meeting = make_meeting(cluster, title=f"Møde {SCRIPT}")
    meeting.agenda_items.update(title=f"Punkt {IMG}")
    make_minutes(meeting, title=f"Referat {IMG}")
    Person.objects.create(name=f"Person {SCRIPT}", title=IMG)
    Organisation.objects.create(name=f"Kommune {IMG}", kind="kommune")

    urls = [
        reverse("wagtailadmin_explore", args=(cluster.pk,)),
        reverse("wagtailadmin_explore", args=(meeting.pk,)),
        reverse("wagtailadmin_pages:edit", args=(meeting.pk,)),
        reverse("wagtailadmin_pages:history", args=(meeting.pk,)),
        reverse("wagtailadmin_pages:search_results") + "?q=Møde",
        reverse("wagtailadmin_home"),
        reverse("wagtailsnippets_klynge_pages_person:list"),
        reverse("wagtailsnippets_klynge_pages_organisation:list"),
        reverse("wagtailadmin_choose_page_child", args=(cluster.pk,)),
    ]
    for url in urls:
        response = editor.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


def test_a_javascript_url_is_refused_as_an_organisations_website(editor):
    response = editor.post(
        reverse("wagtailsnippets_klynge_pages_organisation:add"),
        {
            "name": "Kommune",
            "short_name": "",
            "kind": "kommune",
            "website": "javascript:alert(1)",
        },
    )

    assert response.status_code == 200
    assert "Indtast en gyldig URL." in response.content.decode()
    assert not Organisation.objects.exists()


# --- Unicode ------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        f"Møde i {NFD_AA}rhus",
        f"Mø{ZERO_WIDTH}de",
        f"Møde {RTL_OVERRIDE}fdp.exe",
        "😀 Møde i Ærø 🇩🇰",
    ],
)
def test_awkward_unicode_in_titles_is_stored_and_shown(client, editor, cluster, title):
    response = add_meeting(editor, cluster, title=title, item_title=title)

    assert response.status_code == 302
    meeting = MeetingPage.objects.get(slug="moede")
    assert meeting.title == title
    client.logout()
    response = client.get(meeting.url)
    assert response.status_code == 200
    assert title in response.content.decode()


@pytest.mark.parametrize("field", ["title", "room", "item_title"])
def test_a_nul_character_is_refused_with_a_message(editor, cluster, field):
    response = add_meeting(editor, cluster, **{field: "Møde\x00med NUL"})

    assert "Null-tegn er ikke tilladte." in errors_of(response)
    assert not MeetingPage.objects.filter(slug="moede").exists()


def test_a_nul_character_in_rich_text_is_refused(editor, cluster):
    response = add_meeting(editor, cluster, description="<p>Sag\x00</p>")

    assert "Null-tegn er ikke tilladte." in errors_of(response)
    assert not MeetingPage.objects.filter(slug="moede").exists()


def test_a_unicode_slug_in_nfd_is_served(client, editor, cluster):
    response = add_meeting(editor, cluster, slug=f"m{NFD_AA}de")

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert errors_of(response)
    else:
        meeting = MeetingPage.objects.get(title="Møde")
        client.logout()
        assert client.get(meeting.url).status_code == 200


# --- Over-long values ---------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "length", "limit"),
    [("title", 300, 255), ("room", 300, 255), ("item_title", 600, 500)],
)
def test_over_long_values_are_refused_with_a_message(
    editor, cluster, field, length, limit
):
    response = add_meeting(editor, cluster, **{field: "x" * length})

    assert f"Denne værdi må højst have {limit} tegn (den har {length})." in errors_of(
        response
    )
    assert not MeetingPage.objects.filter(slug="moede").exists()


def test_a_very_long_rich_text_is_stored_without_error(editor, cluster):
    text = "<p>" + "Meget lang sagsfremstilling. " * 20_000 + "</p>"

    response = add_meeting(editor, cluster, description=text)

    assert response.status_code == 302


# --- Malformed dates and numbers ----------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        "2019-02-30 10:00",
        "2019-13-01 10:00",
        "06.11.2019 25:61",
        "i morgen",
        "9" * 40,
        "",
    ],
)
def test_malformed_dates_are_refused_with_a_message(editor, cluster, start):
    response = add_meeting(editor, cluster, start=start)

    assert errors_of(response)
    assert not MeetingPage.objects.filter(slug="moede").exists()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("-1", "Denne værdi skal være større end eller lig 0."),
        ("0", "Punktets nummer skal være mellem 1 og 999."),
        # PostgreSQL's smallint range is checked first there; SQLite has none.
        (
            "99999999999",
            (
                "Punktets nummer skal være mellem 1 og 999.",
                "Denne værdi skal være mindre end eller lig 32767.",
            ),
        ),
        ("1e3", "Indtast et heltal."),
        ("NaN", "Indtast et heltal."),
        ("٣x", "Indtast et heltal."),
        # An empty number is the next one (tests/test_admin_forms.py).
    ],
)
def test_malformed_item_numbers_are_refused_with_a_message(
    editor, cluster, number, message
):
    response = add_meeting(editor, cluster, number=number)

    errors = errors_of(response)
    messages = message if isinstance(message, tuple) else (message,)
    assert any(text in errors for text in messages), errors
    assert not MeetingPage.objects.filter(slug="moede").exists()


def test_a_huge_number_of_seats_is_refused(editor, cluster):
    url = reverse("wagtailadmin_pages:edit", args=(cluster.pk,))
    response = editor.get(url)
    assert response.status_code == 200
    organisation = Organisation.objects.create(name="Aalborg Kommune", kind="kommune")
    data = nested_form_data(
        {
            "title": cluster.title,
            "slug": cluster.slug,
            "kind": cluster.kind,
            "area": cluster.area,
            "intro": rich_text(""),
            "memberships": inline_formset(
                [
                    {
                        "organisation": organisation.pk,
                        "seats_min": "1",
                        "seats_max": "10" * 10,
                        "note": "",
                    }
                ]
            ),
            "chair": "",
            "secretariat": "",
            "terms_of_reference": "[]",
            "terms_of_reference-count": "0",
            "terms_approved_by": "x",
            "terms_approved_on": "2019-02-31",
            "min_meetings_per_year": "-3",
            "signoff_mode": cluster.signoff_mode,
        }
    )

    response = editor.post(url, data)

    assert response.status_code == 200
    assert not cluster.memberships.exists()


# --- Public pages: hostile paths and parameters -------------------------------


@pytest.fixture
def published(cluster):
    meeting = make_meeting(cluster)
    make_minutes(meeting)
    return meeting


@pytest.mark.parametrize(
    "query",
    [
        "?a=1&a=2&a=3",
        "?page=-1&page=abc",
        "?q=%00",
        "?q=%ff%fe",
        "?q=" + "å" * 5000,
        "?%3Cscript%3E=%3Cscript%3E",
        "?year=99999999999999999999",
        "?klynge=%00&side=99999999999999999999",
        "?klynge=%3Cscript%3E&side=-1&side=abc",
        "?klynge=" + "å" * 5000 + "&side=" + "9" * 5000,
    ],
)
def test_public_pages_ignore_hostile_query_strings(client, published, query):
    index = published.get_parent().get_parent()
    cluster = published.get_parent()
    for url in [
        "/",
        index.url,
        cluster.url,
        published.url,
        index.url + "moeder/",
        index.url + "moeder/2019/",
        index.url + "referater/",
        cluster.url + "moeder/2019/",
    ]:
        response = client.get(url + query)
        assert response.status_code == 200, (url, query)
        assert "<script>" not in response.content.decode().split("</header>", 1)[1]


@pytest.mark.parametrize(
    "path",
    [
        "/klynger/%00/",
        "/klynger/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/klynger/" + "a" * 3000 + "/",
        "/klynger/%ff%fe/",
        "/klynger/..%2f..%2fetc%2fpasswd",
        "/klynger/moeder/0000/",
        "/klynger/moeder/99999999999999999999/",
        "/klynger/moeder/%00/",
        "/klynger/moeder/2019/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        f"/klynger/{RTL_OVERRIDE}{ZERO_WIDTH}/",
        "/dokumenter/99999999999999999999/bilag.pdf",
        "/dokumenter/1/..%2f..%2fsettings.py",
        "/dokumenter/1/%00.pdf",
        "/admin/pages/99999999999999999999/edit/",
        "/admin/documents/chooser/chosen/99999999999999999999/",
        "/admin/documents/chooser/chosen/abc/",
        "/admin/api/main/pages/99999999999999999999/",
        "/eksport/moede/99999999999999999999/dagsorden.pdf",
        "/eksport/moede/-1/bilag.zip",
        "/eksport/referat/abc/referat.pdf",
        "/eksport/moede/1/dagsorden.pdf%00",
        "/kalender/moede/99999999999999999999.ics",
        "/kalender/klynge/%00.ics",
        "/feeds/klynge/%00/atom/",
        "/kalender/klynge/" + "a" * 3000 + ".ics",
        "/kalender/klynge/..%2f..%2fetc%2fpasswd.ics",
        "/feeds/klynge/%3Cscript%3Ealert(1)%3C%2Fscript%3E/rss/",
        "/feeds/klynge/%ff%fe/atom/",
        f"/feeds/klynge/{RTL_OVERRIDE}{ZERO_WIDTH}/rss/",
    ],
)
def test_hostile_paths_are_not_found_never_a_server_error(
    client, editor, published, path
):
    response = client.get(path)

    assert response.status_code in (301, 302, 400, 404), (path, response.status_code)
    assert "<script>alert(1)</script>" not in response.content.decode(errors="replace")


@pytest.mark.parametrize(
    "query",
    ["?q=%00", "?q=" + "x" * 10_000, "?q=%3Cscript%3E&q=2", "?q=%ff", "?p=-1&p=abc"],
)
def test_admin_searches_answer_hostile_queries(editor, published, query):
    for name in [
        "wagtailadmin_pages:search_results",
        "wagtaildocs_chooser:choose_results",
        "wagtailsnippets_klynge_pages_person:list_results",
    ]:
        response = editor.get(reverse(name) + query)
        # A page number that is not one is "not found"; anything else answers.
        expected = (200, 404) if "p=" in query else (200,)
        assert response.status_code in expected, (name, query)
        assert "<script>" not in response.content.decode()


def test_a_repeated_form_field_takes_one_value_and_saves_cleanly(editor, cluster):
    data = meeting_data()
    url = reverse(
        "wagtailadmin_pages:add", args=("klynge_pages", "meetingpage", cluster.pk)
    )
    body = (
        "&".join(f"{key}={value}" for key, value in data.items())
        + "&title=Andet+m%C3%B8de&agenda_items-0-number=2"
    )

    response = editor.post(url, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        meeting = MeetingPage.objects.get(slug="moede")
        assert meeting.title == "Andet møde"
        assert meeting.agenda_items.get().number == 2


# --- Plain-text e-mails -----------------------------------------------------

MARKUP_TITLE = 'Møde <script>x</script> & "Sundhed" \'s'


def test_the_sign_off_mail_is_plain_text_without_html_escapes(
    client,
    signoff_setup,
    mailoutbox,
):
    minutes, users = signoff_setup
    meeting = minutes.get_parent().specific
    meeting.title = MARKUP_TITLE
    meeting.save_revision().publish()
    for user in users.values():
        user.email = f"{user.username}@example.dk"
        user.save()

    to_signoff(client, minutes, users)

    [mail, *_] = [m for m in mailoutbox if "afventer din godkendelse" in m.subject]
    assert mail.subject == f"Referat afventer din godkendelse: {MARKUP_TITLE}"
    assert MARKUP_TITLE in mail.body
    assert "&lt;" not in mail.body and "&amp;" not in mail.body
    assert "&#x27;" not in mail.body and "&quot;" not in mail.body


def test_the_deadline_reminder_is_plain_text_without_html_escapes(mailoutbox):
    cluster = make_cluster(title="Klynge <Nord> & Co")
    cluster.refresh_from_db()
    make_user("redaktoer", cluster.editors_group)
    day = timezone.localdate() + timedelta(days=10)
    make_meeting(
        cluster,
        start=local(day.year, day.month, day.day, 10),
        live=False,
        title=MARKUP_TITLE,
    )

    call_command("send_reminders", stdout=io.StringIO())

    [mail] = mailoutbox
    assert MARKUP_TITLE in mail.subject and "Klynge <Nord> & Co" in mail.subject
    assert MARKUP_TITLE in mail.body
    assert "&lt;" not in mail.body and "&amp;" not in mail.body


def test_every_plain_text_template_turns_html_escaping_off():
    """Plain text is not HTML: a new .txt template must not escape either."""
    root = Path(__file__).resolve().parent.parent
    templates = [
        path
        for app in (
            "klynge_pages",
            "klynge_editorial",
            "klynge_exports",
            "oparl",
            "search",
            "klynge_security",
            "site",
            "templates",
        )
        for path in (root / app).rglob("*.txt")
        if "templates" in path.parts
    ]
    assert templates
    for path in templates:
        text = path.read_text()
        assert "{% autoescape off %}" in text and text.rstrip().endswith(
            "{% endautoescape %}"
        ), path


# --- ZIP entry names ----------------------------------------------------------


def test_zip_entry_names_carry_no_bidi_or_invisible_characters(client, cluster):
    import unicodedata

    from .factories import make_document
    from .test_exports import attach, open_zip, zip_url

    labels = [
        f"Referat{RTL_OVERRIDE}fdp.exe",
        "Bilag\u2066skjult\u2069\u200f",
        f"Bi{ZERO_WIDTH}lag",
        "Linje\u2028skift",
    ]
    meeting = attach(
        make_meeting(cluster, items=1),
        1,
        *[(label, make_document("Dok", b"x", "dok.pdf", cluster)) for label in labels],
    )

    names = open_zip(client.get(zip_url(meeting))).namelist()

    assert len(names) == len(labels) + 1
    for name in names:
        assert not any(unicodedata.category(c) in ("Cf", "Zl", "Zp") for c in name)
    assert "Punkt 01 - Referatfdp.exe - Dok.pdf" in names
