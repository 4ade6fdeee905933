"""The editor's save status says one thing: after an autosave refused for an
error in the content, and the error undone or fixed, the header's indicator
and the footer's message agree."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import make_meeting
from .test_journeys import log_in, world  # noqa: F401 - world is a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Wagtail takes the form as loaded (what "unsaved" compares with) a moment
# after the page appears, once per setting it reads; an edit before the last
# of these would count as loaded. Quiet for a second after the last one.
FORM_WATCHED = """() => {
    const watched = window.__watched || [];
    return watched.length > 0 && performance.now() - watched.at(-1) > 1000;
}"""


def states(page):
    indicator = page.locator("#w-autosave-indicator")
    footer = page.locator('[data-controller~="w-messages"]').filter(
        has=page.locator(".footer__save-warning")
    )
    return indicator, footer


@pytest.mark.parametrize("fix", ["3", "4"], ids=["undone", "fixed"])
def test_header_and_footer_agree_once_an_error_is_gone(
    page,
    world,  # noqa: F811
    settings,
    fix,
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 500  # Wagtail's default
    meeting = make_meeting(world["cluster"], items=3, live=False)
    meeting.save_revision()
    log_in(page, world["editor"])
    page.add_init_script(
        """window.__watched = [];
        document.addEventListener("w-unsaved:watch-edits",
            () => window.__watched.push(performance.now()));"""
    )
    page.goto(f"/admin/pages/{meeting.pk}/edit/")
    page.wait_for_function(FORM_WATCHED)
    indicator, footer = states(page)
    number = page.locator("#id_agenda_items-2-number")

    number.fill("2")  # item 2 twice: autosave refuses the content
    expect(indicator).to_have_attribute("data-w-autosave-state-value", "paused")
    expect(footer).to_contain_text("pause")

    number.fill(fix)
    expect(footer).to_have_class(re.compile("footer__container--hidden"))
    expect(indicator).to_have_attribute("data-w-autosave-state-value", "saved")
    expect(footer.locator(".footer__save-warning")).to_be_empty()
    meeting.refresh_from_db()
    latest = meeting.get_latest_revision_as_object()
    assert sorted(item.number for item in latest.agenda_items.all()) == sorted(
        [1, 2, int(fix)]
    )
