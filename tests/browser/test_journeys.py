"""The people the site is for, in a real browser: an editor publishes an
agenda and writes the minutes in the Danish admin, the secretariat and the
cluster's approver sign them off, and a citizen finds them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.models import TaskState

from klynge_pages.dates import danish_day
from klynge_pages.models import MeetingPage, MinutesPage, Signatory, SignOffMode

from ..factories import OrganisationFactory, make_cluster, make_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Klynge-hemmelig-2026"  # noqa: S105 - the test users' password
CLOSED_TEXT = "Fortrolig sagsfremstilling om en navngiven medarbejder"
CLOSED_DECISION = "Fortrolig beslutning om medarbejderen"
DECISION = "Klyngen godkendte planen for udskrivninger fra hospitalerne."
# %PDF header and body: what the upload checks accept as a PDF.
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def make_user(username, *groups, first_name="", last_name=""):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(*groups)
    return user


@pytest.fixture
def world(settings):
    # Wagtail's autosave posts the form in the background every half second
    # of idle time; a slow machine's click on "Udgiv" can then race the
    # autosave that creates the page (a second create with the same slug).
    # The journeys are about the editor's explicit actions.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    make_home()
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    midt = make_cluster(
        title="Klyngestyregruppe Midt",
        members=[aalborg],
        signoff_mode=SignOffMode.PER_ORGANISATION,
    )
    nord = make_cluster(title="Politisk klynge Nord", area="nord")
    midt.refresh_from_db()
    nord.refresh_from_db()
    approver = make_user(
        "godkender", midt.approvers_group, first_name="B.", last_name="G."
    )
    # The secretariat decides who signs for which organisation, and the name.
    Signatory.objects.create(user=approver, name="Bente Gravesen", organisation=aalborg)
    return {
        "cluster": midt,
        "editor": make_user("redaktoer", midt.editors_group),
        "secretary": make_user(
            "sekretaer", Group.objects.get(name="Sekretariat"), first_name="Sekretær"
        ),
        "approver": approver,
        "outsider": make_user("nordgodkender", nord.approvers_group),
    }


def log_in(page, user):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def rich_text(container, index, text):
    """Types into the `index`-th rich text editor (Draftail) of `container`."""
    editor = container.locator("[role=textbox][contenteditable=true]").nth(index)
    editor.click()
    editor.press_sequentially(text)
    expect(editor).to_contain_text(text)
    # Draftail writes its hidden input a moment after the last change.
    expect(container.locator("input[data-draftail-input]").nth(index)).to_have_value(
        re.compile(re.escape(text[:20]))
    )


def footer_action(page, name):
    """Clicks an action of the editor's footer menu (behind "Flere
    handlinger" unless it is the first)."""
    footer = page.locator("footer.footer")
    button = footer.get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        footer.get_by_role("button", name="Flere handlinger").click()
    button.click()


def add_agenda_item(page, index, number, title, description, closed=False):
    page.get_by_role("button", name="Tilføj Punkt").click()
    item = page.locator(f"#inline_child_agenda_items-{index}")
    expect(item).to_be_visible()
    page.locator(f"#id_agenda_items-{index}-number").fill(str(number))
    page.locator(f"#id_agenda_items-{index}-title").fill(title)
    if closed:
        page.locator(f"#id_agenda_items-{index}-closed").check()
    rich_text(item, 0, description)
    return item


def attach_pdf(page, item, tmp_path):
    """Uploads a PDF through the document chooser of an agenda item."""
    item.get_by_role("button", name="Tilføj Bilag").click()
    item.get_by_role("button", name=re.compile("Vælg et dokument")).first.click()
    modal = page.locator(".modal-dialog, [role=dialog]").filter(
        has=page.locator("input[type=file]")
    )
    modal.get_by_role("tab", name="Upload").click()
    pdf = tmp_path / "udskrivningsaftale.pdf"
    pdf.write_bytes(PDF)
    modal.locator("input[type=file]").set_input_files(str(pdf))
    modal.locator("input[name$=title]").fill("Udskrivningsaftale")
    modal.locator("form").filter(has=page.locator("input[type=file]")).locator(
        "button[type=submit]"
    ).click()
    expect(item).to_contain_text("Udskrivningsaftale")


def test_editor_publishes_agenda_and_minutes_are_signed_off(page, world, tmp_path):
    cluster = world["cluster"]

    # 1. The editor creates the meeting with its agenda and publishes it.
    log_in(page, world["editor"])
    page.goto(f"/admin/pages/add/klynge_pages/meetingpage/{cluster.pk}/")
    page.locator("#id_title").fill("Møde om udskrivning")
    page.locator("#id_start").fill("2026-12-01 16:30")
    page.locator("#id_end").fill("2026-12-01 18:00")
    page.keyboard.press("Escape")
    first = add_agenda_item(
        page, 0, 1, "Udskrivning fra hospitalerne", "Status på udskrivningsaftalen."
    )
    attach_pdf(page, first, tmp_path)
    add_agenda_item(page, 1, 2, "Personalesag", CLOSED_TEXT, closed=True)
    add_agenda_item(page, 2, 3, "Eventuelt", "Intet at bemærke.")
    footer_action(page, "Udgiv")
    expect(page.locator(".messages")).to_contain_text("udgivet")

    meeting = MeetingPage.objects.get(title="Møde om udskrivning")
    assert meeting.live
    items = {item.number: item for item in meeting.agenda_items.all()}
    assert sorted(items) == [1, 2, 3]
    assert items[2].closed
    assert items[1].attachments.count() == 1

    page.goto(meeting.url)
    expect(page.locator("h1")).to_have_text("Møde om udskrivning")
    expect(page.locator(f"#{items[1].anchor}")).to_contain_text("Udskrivningsaftale")
    expect(page.locator(f"#{items[2].anchor}")).to_contain_text("Lukket punkt")
    expect(page.locator("main")).not_to_contain_text(CLOSED_TEXT)

    # 2. The editor writes the minutes and sends them to sign-off.
    page.goto(f"/admin/pages/add/klynge_pages/minutespage/{meeting.pk}/")
    page.locator("#id_title").fill("Referat af mødet om udskrivning")
    # One decision per agenda item, in the agenda's order.
    for index, text in enumerate([DECISION, CLOSED_DECISION, "Ingen bemærkninger."]):
        rich_text(page.locator(f"#inline_child_decisions-{index}"), 0, text)
    footer_action(page, "Send til Referatgodkendelse")
    expect(page.locator(".messages")).to_contain_text("Referatgodkendelse")
    minutes = MinutesPage.objects.get(title="Referat af mødet om udskrivning")
    assert minutes.workflow_in_progress and not minutes.live

    # 4. Before sign-off the citizen sees no minutes.
    page.context.clear_cookies()
    page.goto(meeting.url)
    expect(page.locator("main")).not_to_contain_text(DECISION)
    expect(page.locator("main")).not_to_contain_text(minutes.title)
    page.goto("/soeg/?q=udskrivninger")
    expect(page.locator("main")).not_to_contain_text(DECISION)
    json = page.goto("/soeg/?q=udskrivninger&format=json").text()
    assert "godkendte planen" not in json
    assert page.goto(minutes.url).status == 404
    # Nor do the feeds, the calendars or the exports show them.
    cluster_feed = f"/feeds/klynge/{cluster.slug}/rss/"
    feed_entry = f"Referat: {cluster.title}, {danish_day(meeting.start)}"
    for url in ("/feeds/rss/", "/feeds/atom/", cluster_feed, "/kalender/moeder.ics"):
        body = page.request.get(url).text()
        assert feed_entry not in body and DECISION not in body, url
    assert page.request.get(f"/eksport/referat/{minutes.pk}/referat.pdf").status == 404
    agenda_pdf = page.request.get(f"/eksport/moede/{meeting.pk}/dagsorden.pdf")
    assert agenda_pdf.headers["content-type"] == "application/pdf"

    # An approver of another cluster can neither see nor act on them.
    log_in(page, world["outsider"])
    page.goto(f"/admin/pages/{minutes.pk}/edit/")
    expect(page.get_by_role("button", name="Godkend", exact=True)).to_have_count(0)
    assert MinutesPage.objects.get(pk=minutes.pk).workflow_in_progress

    # The secretariat reviews, then the cluster's approver signs off. The
    # minutes are locked for both: each goes from the editor's lock message to
    # the approval screen, which says what is signed and for whom, and whose
    # button says what it does.
    for reviewer, action, task, said in [
        (
            world["secretary"],
            "Godkend",
            "Sekretariatets gennemsyn",
            "går videre til klyngens godkendelse",
        ),
        (
            world["approver"],
            "Godkend og udgiv",
            "Klyngens godkendelse",
            "Godkendt for Aalborg Kommune – referatet er udgivet.",
        ),
    ]:
        log_in(page, reviewer)
        queue = page.locator("main")
        expect(queue).to_contain_text("Afventer din godkendelse")
        expect(queue).to_contain_text(minutes.title)
        page.goto(f"/admin/pages/{minutes.pk}/edit/")
        expect(page.locator("main")).to_contain_text("kan ikke ændres")
        page.get_by_role("link", name="Gå til godkendelsen").first.click()
        panel = page.locator("[data-signoff-panel]")
        expect(panel).to_contain_text(task)
        expect(panel).to_contain_text("kontrolsummen")
        if task == "Klyngens godkendelse":
            expect(panel).to_contain_text("Du godkender for Aalborg Kommune.")
        page.get_by_role("button", name=action, exact=True).click()
        expect(page.locator(".messages")).to_contain_text(said)
        assert TaskState.objects.get(task__name=task).status == "approved"
        # Signed: the minutes have left this reviewer's queue.
        expect(page.locator("main")).not_to_contain_text(minutes.title)

    minutes = MinutesPage.objects.get(pk=minutes.pk)
    assert minutes.live

    # The minutes are public, with the sign-off line; the closed item's
    # decision is not.
    page.context.clear_cookies()
    page.goto(minutes.url)
    expect(page.locator("main")).to_contain_text(DECISION)
    expect(page.get_by_role("region", name="Godkendelse")).to_contain_text(
        "Godkendt af Bente Gravesen"
    )
    expect(page.locator("main")).not_to_contain_text(CLOSED_DECISION)
    expect(page.locator("main")).not_to_contain_text(CLOSED_TEXT)
    pdf_link = page.get_by_role("link", name="Referat som PDF")
    assert page.request.get(pdf_link.get_attribute("href")).status == 200
    feed = page.request.get(cluster_feed).text()
    assert feed_entry in feed
    assert CLOSED_DECISION not in feed and CLOSED_TEXT not in feed
    page.goto(meeting.url)
    expect(page.locator("main")).to_contain_text(DECISION)
    expect(page.locator("main")).not_to_contain_text(CLOSED_DECISION)
    for word in ("medarbejder", "fortrolig"):
        page.goto(f"/soeg/?q={word}")
        expect(page.locator("main")).not_to_contain_text(CLOSED_TEXT)
        expect(page.locator("main")).not_to_contain_text(CLOSED_DECISION)
