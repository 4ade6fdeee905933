"""The editor's week, counted: the next meeting started from the last one
with "Opret næste møde" and its agenda published, in clicks and typed
fields, next to the same meeting made from nothing (the figures are in
docs/editors-journey.md)."""

import re

import pytest
from playwright.sync_api import expect

from klynge_pages.models import AgendaItemAttachment, Attendance, MeetingPage

from ..factories import attach_and_tag, make_meeting
from .test_journeys import log_in, world  # noqa: F401 - world is a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Counted:
    """The page, counting what the editor does: each click (or check) and
    each field typed into."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.fields = 0

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def fill(self, locator, value):
        self.fields += 1
        locator.fill(value)


def test_the_next_meeting_from_the_last_one(page, world):  # noqa: F811
    cluster = world["cluster"]
    last = make_meeting(cluster, items=4, participants=3, title="Klyngemøde")
    last = attach_and_tag(last, cluster)
    log_in(page, world["editor"])
    page.goto(f"/admin/pages/{last.pk}/edit/")
    editor = Counted(page)

    editor.click(page.locator("header").get_by_role("button", name="Handlinger"))
    editor.click(page.get_by_role("link", name="Opret næste møde"))
    expect(page.locator("h1")).to_contain_text("Opret næste møde")
    editor.fill(page.locator("#id_start"), "2019-12-04 16:30")
    page.keyboard.press("Escape")
    editor.fill(page.locator("#id_end"), "2019-12-04 18:00")
    page.keyboard.press("Escape")
    editor.click(page.get_by_label("Kopiér bilagene til de åbne punkter"))
    editor.click(page.get_by_role("button", name="Opret kladde"))
    expect(page.locator(".messages")).to_contain_text("Næste møde er oprettet")
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    footer = page.locator("footer.footer")
    publish = footer.get_by_role("button", name="Udgiv", exact=True)
    if not publish.is_visible():
        editor.click(footer.get_by_role("button", name="Flere handlinger"))
    editor.click(publish)
    expect(page.locator(".messages")).to_contain_text("udgivet")

    new = MeetingPage.objects.child_of(cluster).exclude(pk=last.pk).get()
    assert new.live and new.slug == "2019-12-04"
    assert new.agenda_items.count() == 4
    assert AgendaItemAttachment.objects.filter(item__page=new).count() == 1
    assert set(new.participants.values_list("attendance", flat=True)) == {
        Attendance.INVITED
    }
    page.goto(new.url)
    expect(page.locator("main")).to_contain_text("Indkaldt")
    # From nothing, the same meeting took 39 clicks and 20 typed fields.
    assert (editor.clicks, editor.fields) == (6, 2)
