"""The deadline overview (dashboard panel and report), its exports, and the
reminders sent by `manage.py send_reminders`."""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from klynge_editorial.deadlines import (
    DeadlineKind,
    Status,
    build_overview,
    overview_for_user,
    visible_clusters,
)
from klynge_editorial.models import DeadlineReminder
from klynge_pages.models import (
    ClusterPage,
    MeetingPage,
    MinutesPage,
    MinutesSignOff,
    SignOffMode,
)
from klynge_pages.rules import DeadlineState

from .factories import (
    OrganisationFactory,
    local,
    make_cluster,
    make_meeting,
    make_minutes,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def make_user(username, *groups, email=None, **fields):
    user = User.objects.create_user(
        username=username,
        password="x",
        email=f"{username}@example.dk" if email is None else email,
        first_name=username.title(),
        **fields,
    )
    user.groups.add(*groups)
    return user


def cluster(title, **fields):
    page = make_cluster(title=title, **fields)
    return ClusterPage.objects.get(pk=page.pk)


def set_published(page, when):
    """Pretend the page first went out at `when` (publishing uses the clock)."""
    type(page).objects.filter(pk=page.pk).update(first_published_at=when)


def row_for(rows, page):
    return next(row for row in rows if row.cluster.pk == page.pk)


def overview(page, today):
    return row_for(build_overview(ClusterPage.objects.filter(pk=page.pk), today), page)


# --- the states ------------------------------------------------------------


@pytest.fixture
def midt():
    return cluster("Klynge Midt")


class TestAgendaDeadline:
    """The agenda goes out one week before: a meeting on Tuesday 17 March
    2026 needs it by Tuesday 10 March."""

    @pytest.fixture
    def meeting(self, midt):
        return make_meeting(midt, start=local(2026, 3, 17, 10, 0), live=False)

    def test_pending_up_to_and_on_the_due_day(self, midt, meeting):
        for today in (date(2026, 3, 1), date(2026, 3, 10)):
            row = overview(midt, today)
            assert row.next_meeting.pk == meeting.pk
            assert row.agenda.due == date(2026, 3, 10)
            assert row.agenda.state == DeadlineState.PENDING
        assert overview(midt, date(2026, 3, 10)).agenda.days_left == 0
        assert Status.PENDING in overview(midt, date(2026, 3, 10)).states

    def test_overdue_the_day_after(self, midt, meeting):
        row = overview(midt, date(2026, 3, 11))
        assert row.agenda.state == DeadlineState.OVERDUE
        assert row.most_urgent.kind == DeadlineKind.AGENDA
        assert Status.OVERDUE in row.states

    def test_met_when_published_late_on_the_due_day(self, midt, meeting):
        set_published(meeting, local(2026, 3, 10, 23, 30))
        row = overview(midt, date(2026, 3, 12))
        assert row.agenda.state == DeadlineState.MET
        assert row.open_deadlines == []

    def test_late_when_published_after_the_due_day(self, midt, meeting):
        set_published(meeting, local(2026, 3, 11, 0, 30))
        assert overview(midt, date(2026, 3, 12)).agenda.state == DeadlineState.LATE

    def test_a_meeting_that_has_taken_place_has_no_open_agenda(self, midt, meeting):
        row = overview(midt, date(2026, 3, 18))
        assert row.next_meeting is None
        assert [d.kind for d in row.open_deadlines] == [DeadlineKind.MINUTES]

    def test_meeting_on_a_monday_across_the_change_to_summer_time(self, midt):
        # Summer time starts Sunday 29 March 2026; 1 a.m. Danish time on
        # Monday 30 March is still 29 March in UTC.
        make_meeting(midt, start=local(2026, 3, 30, 1, 0), live=False)
        row = overview(midt, date(2026, 3, 23))
        assert row.agenda.due == date(2026, 3, 23)
        assert row.agenda.state == DeadlineState.PENDING


class TestMinutesDeadline:
    """The minutes go out at most one week after: a meeting ending on Monday
    2 March 2026 needs them by Monday 9 March."""

    @pytest.fixture
    def meeting(self, midt):
        return make_meeting(
            midt, start=local(2026, 3, 2, 10, 0), end=local(2026, 3, 2, 12, 0)
        )

    def test_pending_until_the_due_day(self, midt, meeting):
        for today in (date(2026, 3, 2), date(2026, 3, 9)):
            row = overview(midt, today)
            assert row.minutes.meeting.pk == meeting.pk
            assert row.minutes.due == date(2026, 3, 9)
            assert row.minutes.state == DeadlineState.PENDING

    def test_overdue_after_the_due_day(self, midt, meeting):
        row = overview(midt, date(2026, 3, 10))
        assert row.minutes.state == DeadlineState.OVERDUE
        assert row.minutes.days_left == -1
        assert row.urgency[0] == 0

    def test_draft_minutes_do_not_meet_the_deadline(self, midt, meeting):
        make_minutes(meeting, live=False)
        assert overview(midt, date(2026, 3, 10)).minutes.is_overdue

    def test_published_minutes_meet_it(self, midt, meeting):
        make_user("redaktoer", midt.editors_group)  # someone to remind
        minutes = make_minutes(meeting)
        set_published(minutes, local(2026, 3, 9, 15, 0))
        row = overview(midt, date(2026, 3, 20))
        assert row.minutes.state == DeadlineState.MET
        assert row.open_deadlines == []
        assert not row.needs_attention

    def test_meeting_running_past_midnight_counts_from_its_end(self, midt):
        make_meeting(midt, start=local(2026, 4, 1, 20, 0), end=local(2026, 4, 2, 1, 0))
        assert overview(midt, date(2026, 4, 5)).minutes.due == date(2026, 4, 9)

    def test_the_oldest_open_minutes_come_first(self, midt, meeting):
        make_meeting(midt, start=local(2026, 3, 5, 10, 0), title="Andet møde")
        row = overview(midt, date(2026, 3, 20))
        assert row.open_minutes_count == 2
        assert row.minutes.meeting.pk == meeting.pk


def test_minimum_meetings_and_next_host(midt):
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    region = OrganisationFactory(name="Region Nordjylland", kind="region")
    page = cluster(
        "Politisk klynge Midt", members=[aalborg, region], min_meetings_per_year=2
    )
    make_meeting(page, start=local(2025, 5, 1, 10, 0), host=region)
    make_meeting(page, start=local(2026, 2, 1, 10, 0), host=aalborg)
    row = overview(page, date(2026, 6, 1))
    assert row.meetings_this_year == 1
    assert row.below_minimum
    assert Status.BELOW_MINIMUM in row.states
    # Region hosted least recently.
    assert row.suggested_host == region
    assert (
        row.suggested_host == ClusterPage.objects.get(pk=page.pk).suggested_next_host()
    )
    make_meeting(page, start=local(2026, 9, 1, 10, 0), live=False)
    assert not overview(page, date(2026, 6, 1)).below_minimum


def test_minutes_awaiting_sign_off_name_the_organisations_still_to_sign():
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    jammerbugt = OrganisationFactory(name="Jammerbugt Kommune")
    region = OrganisationFactory(name="Region Nordjylland", kind="region")
    page = cluster(
        "Klyngestyregruppe Midt",
        members=[aalborg, jammerbugt, region],
        signoff_mode=SignOffMode.PER_ORGANISATION,
    )
    secretary = make_user("sekretaer", Group.objects.get(name="Sekretariat"))
    meeting = make_meeting(page, start=local(2026, 3, 2, 10, 0), items=2)
    minutes = make_minutes(meeting, live=False)
    minutes = MinutesPage.objects.get(pk=minutes.pk)
    minutes.save_revision(user=secretary)
    minutes.get_workflow().start(minutes, secretary)

    row = overview(page, date(2026, 3, 5))
    [wait] = row.signoffs
    assert wait.task_name == "Sekretariatets gennemsyn"
    assert not wait.is_cluster_signoff
    assert Status.SIGNOFF in row.states

    TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS).approve(user=secretary)
    task_state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    MinutesSignOff.objects.create(
        page=minutes,
        task_state=task_state,
        organisation=jammerbugt,
        approver_name="Jammerbugt",
        approved_at=timezone.now(),
    )
    [wait] = overview(page, date(2026, 3, 5)).signoffs
    assert wait.is_cluster_signoff
    assert wait.pending_organisations == [aalborg, region]
    assert wait.waiting_for == "Aalborg Kommune, Region Nordjylland"
    assert "Aalborg Kommune" in overview(page, date(2026, 3, 5)).signoff_text


# --- who sees what ---------------------------------------------------------


@pytest.fixture
def two_clusters():
    """Klynge A with an overdue agenda (the real clock), Klynge B with none."""
    a = cluster("Klynge A")
    b = cluster("Klynge B")
    soon = timezone.now() + timedelta(days=2)
    make_meeting(a, start=soon, live=False, title="Møde i A")
    users = {
        "editor_a": make_user("redaktoer_a", a.editors_group),
        "approver_b": make_user("godkender_b", b.approvers_group),
        "secretary": make_user("sekretaer", Group.objects.get(name="Sekretariat")),
        "admin": make_user("admin", is_superuser=True),
        "nobody": make_user("ingen"),
    }
    return a, b, users


def titles(rows):
    return {row.cluster.title for row in rows}


def test_editors_and_approvers_see_their_own_clusters(two_clusters):
    a, b, users = two_clusters
    assert titles(overview_for_user(users["editor_a"])) == {"Klynge A"}
    assert titles(overview_for_user(users["approver_b"])) == {"Klynge B"}


def test_secretariat_and_superusers_see_all(two_clusters):
    a, b, users = two_clusters
    assert titles(overview_for_user(users["secretary"])) == {"Klynge A", "Klynge B"}
    assert titles(overview_for_user(users["admin"])) == {"Klynge A", "Klynge B"}


def test_others_see_nothing(two_clusters):
    a, b, users = two_clusters
    assert overview_for_user(users["nobody"]) == []
    users["editor_a"].is_active = False
    assert not visible_clusters(users["editor_a"]).exists()


# --- the admin, in Danish ----------------------------------------------------


def test_dashboard_panel_for_an_editor(client, two_clusters):
    a, b, users = two_clusters
    client.force_login(users["editor_a"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Frister i dine klynger" in html
    assert "Klynge A" in html
    assert "Møde i A" in html
    assert "Overskredet" in html
    assert "Klynge B" not in html
    assert reverse("klynge_editorial_deadlines") in html
    assert "Se alle frister" in html


def test_no_panel_for_a_user_without_clusters(client, two_clusters):
    a, b, users = two_clusters
    users["nobody"].user_permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    client.force_login(users["nobody"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "Frister i dine klynger" not in response.content.decode()
    # Wagtail answers a PermissionDenied in its admin with a redirect home.
    response = client.get(reverse("klynge_editorial_deadlines"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_report_for_an_editor(client, two_clusters):
    a, b, users = two_clusters
    client.force_login(users["editor_a"])
    response = client.get(reverse("klynge_editorial_deadlines"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Frister", "Næste møde", "Foreslået næste vært", "Klynge A"):
        assert text in html
    assert "Klynge B" not in html


def test_report_is_in_the_reports_menu_for_users_with_clusters(rf, two_clusters):
    from wagtail.admin.menu import reports_menu

    a, b, users = two_clusters

    def report_items(user):
        request = rf.get("/admin/")
        request.user = user
        return [
            item.url
            for item in reports_menu.menu_items_for_request(request)
            if item.name == "frister"
        ]

    assert report_items(users["editor_a"]) == [reverse("klynge_editorial_deadlines")]
    assert report_items(users["secretary"]) == [reverse("klynge_editorial_deadlines")]
    assert report_items(users["nobody"]) == []


def test_report_filters_by_state_and_cluster(client, two_clusters):
    a, b, users = two_clusters
    client.force_login(users["secretary"])
    url = reverse("klynge_editorial_deadlines_results")
    html = client.get(url, {"state": Status.OVERDUE}).content.decode()
    assert "Klynge A" in html
    assert "Klynge B" not in html
    html = client.get(url, {"cluster": b.pk}).content.decode()
    assert "Klynge B" in html
    assert "Klynge A" not in html
    # Another user's cluster is not a valid choice for an editor.
    client.force_login(users["editor_a"])
    html = client.get(url, {"cluster": b.pk}).content.decode()
    assert "Klynge B" not in html


def export_rows(response):
    if response.get("Content-Type", "").startswith("text/csv"):
        data = b"".join(response.streaming_content)
        # What Danish Excel needs: a byte order mark and semicolons.
        assert data.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [
        ["" if value is None else value for value in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_exports_hold_the_users_rows(client, two_clusters, export):
    a, b, users = two_clusters
    url = reverse("klynge_editorial_deadlines")

    client.force_login(users["secretary"])
    response = client.get(url, {"export": export})
    assert response.status_code == 200
    assert (
        f"frister-{timezone.localdate():%Y-%m-%d}.{export}"
        in (response["Content-Disposition"])
    )
    heading, *rows = export_rows(response)
    assert heading[:4] == ["Klynge", "Status", "Næste møde", "Mødet starter"]
    assert "Foreslået næste vært" in heading
    by_cluster = {row[0]: row for row in rows}
    assert set(by_cluster) == {"Klynge A", "Klynge B"}
    assert by_cluster["Klynge A"][heading.index("Næste møde")] == "Møde i A"
    assert by_cluster["Klynge A"][heading.index("Dagsorden")] == "Overskredet"

    client.force_login(users["editor_a"])
    heading, *rows = export_rows(client.get(url, {"export": export}))
    assert [row[0] for row in rows] == ["Klynge A"]

    client.force_login(users["secretary"])
    response = client.get(url, {"export": export, "cluster": b.pk})
    heading, *rows = export_rows(response)
    assert [row[0] for row in rows] == ["Klynge B"]


# --- query counts --------------------------------------------------------------


def test_overview_queries_do_not_grow_with_meetings(
    two_clusters, django_assert_max_num_queries
):
    a, b, users = two_clusters
    start = local(2022, 1, 3, 10, 0)
    host = OrganisationFactory(name="Thisted Kommune")
    for n in range(250):
        make_meeting(
            b,
            start=start + timedelta(days=7 * n),
            items=0,
            live=False,
            host=host if n % 3 else None,
        )
    meeting = MeetingPage.objects.child_of(b).first()
    make_minutes(meeting, live=False)
    with django_assert_max_num_queries(8):
        rows = overview_for_user(users["secretary"], today=date(2026, 11, 23))
    row_b = row_for(rows, b)
    assert row_b.open_minutes_count == 250
    assert row_b.meetings_this_year == sum(
        (start + timedelta(days=7 * n)).year == 2026 for n in range(250)
    )
    assert row_b.meetings_this_year > 30


def test_report_queries_are_bounded(
    client, two_clusters, django_assert_max_num_queries
):
    a, b, users = two_clusters
    client.force_login(users["secretary"])
    url = reverse("klynge_editorial_deadlines")
    client.get(url)  # warm up caches (content types, site)
    for n in range(100):
        make_meeting(b, start=local(2024, 1, 1, 10, 0) + timedelta(days=n), items=0)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(url, {"export": "csv"}).status_code == 200


# --- reminders -----------------------------------------------------------------


def test_a_cancelled_meeting_has_no_deadlines_and_counts_for_nothing(midt):
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    region = OrganisationFactory(name="Region Nordjylland", kind="region")
    page = cluster("Klynge Syd", members=[aalborg, region], min_meetings_per_year=1)
    make_meeting(page, start=local(2025, 5, 1, 10, 0), host=region)
    make_meeting(
        page, start=local(2026, 2, 1, 10, 0), host=aalborg, live=False, cancelled=True
    )
    make_meeting(page, start=local(2026, 7, 1, 10, 0), live=False, cancelled=True)

    row = overview(page, date(2026, 6, 1))

    assert row.meetings_this_year == 0
    assert row.below_minimum
    assert row.next_meeting is None
    assert {d.meeting.start.year for d in row.open_deadlines} == {2025}
    # Aalborg's cancelled meeting hosted nothing: Aalborg is next in turn.
    assert row.suggested_host == aalborg
    page = ClusterPage.objects.get(pk=page.pk)
    assert page.suggested_next_host() == aalborg
    assert page.meetings_in_year(2026) == 0


@pytest.fixture
def reminder_setup():
    page = cluster("Klynge Nord")
    today = timezone.localdate()
    editors = [
        make_user("redaktoer", page.editors_group),
        make_user("uden_mail", page.editors_group, email=""),
        make_user("tidligere", page.editors_group, is_active=False),
    ]
    make_user("godkender", page.approvers_group)
    return page, today, editors


def meeting_on(page, day, **fields):
    start = local(day.year, day.month, day.day, 10, 0)
    return make_meeting(page, start=start, live=False, **fields)


def test_reminder_before_the_agenda_deadline_is_sent_once(reminder_setup, mailoutbox):
    page, today, editors = reminder_setup
    meeting = meeting_on(page, today + timedelta(days=10), title="Nordmødet")
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["redaktoer@example.dk"]
    assert message.subject == "Påmindelse: dagsorden til Nordmødet (Klynge Nord)"
    assert "senest én uge før mødet" in message.body
    assert "om 3 dage" in message.body
    assert reverse("wagtailadmin_pages:edit", args=(meeting.pk,)) in message.body
    [record] = DeadlineReminder.objects.all()
    assert (record.kind, record.stage) == ("dagsorden", "foer")
    assert record.deadline == today + timedelta(days=3)
    assert record.recipients == "redaktoer@example.dk"
    assert record.cluster_id == page.pk

    call_command("send_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    assert DeadlineReminder.objects.count() == 1


def test_no_reminder_outside_the_window(reminder_setup, mailoutbox):
    page, today, editors = reminder_setup
    meeting_on(page, today + timedelta(days=12))  # agenda due in 5 days
    call_command("send_reminders", stdout=io.StringIO())
    assert mailoutbox == []
    call_command("send_reminders", "--days", "5", stdout=io.StringIO())
    assert len(mailoutbox) == 1


def test_dry_run_sends_and_records_nothing(reminder_setup, mailoutbox):
    page, today, editors = reminder_setup
    meeting_on(page, today + timedelta(days=8), title="Nordmødet")
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert mailoutbox == []
    assert not DeadlineReminder.objects.exists()
    assert "Ville sende til redaktoer@example.dk" in out.getvalue()
    assert "Nordmødet" in out.getvalue()


def test_overdue_minutes_get_a_reminder_of_their_own(reminder_setup, mailoutbox):
    page, today, editors = reminder_setup
    meeting = meeting_on(page, today - timedelta(days=9), title="Sidste møde")
    call_command("send_reminders", stdout=io.StringIO())
    [message] = mailoutbox
    assert message.subject == (
        "Fristen er overskredet: referat fra Sidste møde (Klynge Nord)"
    )
    assert "overskredet med 2 dage" in message.body
    html = message.alternatives[0][0]
    assert "Fristen var" in html
    assert reverse("wagtailadmin_explore", args=(meeting.pk,)) in html
    record = DeadlineReminder.objects.get()
    assert (record.kind, record.stage) == ("referat", "overskredet")

    call_command("send_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 1


def test_upcoming_then_overdue_are_two_reminders(reminder_setup, mailoutbox):
    page, today, editors = reminder_setup
    meeting_on(page, today - timedelta(days=5))  # minutes due in 2 days
    call_command("send_reminders", stdout=io.StringIO())
    call_command(
        "send_reminders",
        "--today",
        str(today + timedelta(days=3)),
        stdout=io.StringIO(),
    )
    call_command(
        "send_reminders",
        "--today",
        str(today + timedelta(days=4)),
        stdout=io.StringIO(),
    )
    assert [m.subject.split(":")[0] for m in mailoutbox] == [
        "Påmindelse",
        "Fristen er overskredet",
    ]
    assert DeadlineReminder.objects.count() == 2


def test_old_overdue_deadlines_are_not_reminded(reminder_setup, mailoutbox):
    page, today, editors = reminder_setup
    meeting_on(page, today - timedelta(days=100))
    call_command("send_reminders", stdout=io.StringIO())
    assert mailoutbox == []


def test_a_cancelled_meeting_gets_no_reminder(reminder_setup, mailoutbox):
    page, today, _editors = reminder_setup
    meeting_on(page, today + timedelta(days=10), cancelled=True)
    meeting_on(page, today - timedelta(days=9), cancelled=True)

    call_command("send_reminders", stdout=io.StringIO())

    assert mailoutbox == []
    assert not DeadlineReminder.objects.exists()


def test_published_agenda_and_minutes_need_no_reminder(reminder_setup, mailoutbox):
    page, today, editors = reminder_setup
    meeting = make_meeting(
        page,
        start=timezone.now() - timedelta(days=9),
        end=timezone.now() - timedelta(days=9, hours=-2),
    )
    make_minutes(meeting)
    make_meeting(page, start=timezone.now() + timedelta(days=9))
    call_command("send_reminders", stdout=io.StringIO())
    assert mailoutbox == []


def test_a_cluster_without_editors_gets_nothing_until_it_has_one(mailoutbox):
    page = cluster("Klynge Vest")
    make_user("uden_mail", page.editors_group, email="")
    meeting_on(page, timezone.localdate() + timedelta(days=9))
    err = io.StringIO()
    call_command("send_reminders", stdout=io.StringIO(), stderr=err)
    assert mailoutbox == []
    assert not DeadlineReminder.objects.exists()
    assert "Ingen redaktør med e-mailadresse, ikke sendt" in err.getvalue()

    make_user("vest", page.editors_group)
    call_command("send_reminders", stdout=io.StringIO())
    assert [m.to for m in mailoutbox] == [["vest@example.dk"]]


def test_a_cluster_whose_editors_group_is_gone(mailoutbox):
    page = cluster("Klynge Syd")
    editors = page.editors_group
    meeting_on(page, timezone.localdate() + timedelta(days=9))
    ClusterPage.objects.filter(pk=page.pk).update(editors_group=None)
    editors.delete()
    call_command("send_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    assert mailoutbox == []


def test_each_editor_gets_an_own_mail(reminder_setup, mailoutbox):
    page, today, editors = reminder_setup
    make_user("anden", page.editors_group)
    meeting_on(page, today + timedelta(days=10))
    call_command("send_reminders", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mailoutbox) == [
        "anden@example.dk",
        "redaktoer@example.dk",
    ]
    assert DeadlineReminder.objects.get().recipients.split("\n") == [
        "anden@example.dk",
        "redaktoer@example.dk",
    ]


def test_a_failed_send_is_not_recorded(reminder_setup, mailoutbox, settings):
    page, today, editors = reminder_setup
    meeting_on(page, today + timedelta(days=10))
    settings.EMAIL_BACKEND = "tests.test_deadlines.FailingBackend"
    with pytest.raises(Exception, match="kunne ikke sendes"):
        call_command("send_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    assert not DeadlineReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", stdout=io.StringIO())
    assert DeadlineReminder.objects.count() == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")

    def open(self):
        pass

    def close(self):
        pass


def test_bad_arguments_are_clear_errors():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--days"):
        call_command("send_reminders", "--days", "-1")


def test_a_meeting_without_an_end_counts_from_its_start(midt):
    """The database requires an end; a row without one (a raw import, a
    hand-made fix) must still give deadlines, not an error."""
    from klynge_editorial.deadlines import ClusterDeadlines, _add_meeting

    row = ClusterDeadlines(midt, date(2026, 3, 20))
    meeting = MeetingPage(title="Uden slut", start=local(2026, 3, 2, 10, 0), end=None)
    meeting.path = midt.path + "0001"
    _add_meeting(row, meeting, {}, date(2026, 3, 20))
    assert row.meetings_this_year == 1
    [deadline] = row.open_deadlines
    assert deadline.kind == DeadlineKind.MINUTES
    assert deadline.due == date(2026, 3, 9)
    assert deadline.is_overdue
