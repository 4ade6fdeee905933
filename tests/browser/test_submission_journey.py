"""The editor sends minutes to sign-off, gets them back, sends them again,
and each time lands on the meeting with a message saying what happens next;
the locked edit view offers the lock, not "Annullér arbejdsgang", first."""

import re

import pytest
from playwright.sync_api import expect

from klynge_pages.models import MinutesPage

from ..factories import make_meeting, make_minutes
from ..signoff_world import current_task_state
from .test_journeys import footer_action, log_in, world  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_second_submission_lands_on_the_meeting(page, world):  # noqa: F811
    meeting = make_meeting(world["cluster"], items=2)
    minutes = make_minutes(meeting, live=False)
    log_in(page, world["editor"])
    listing = re.compile(rf"/admin/pages/{meeting.pk}/$")

    page.goto(f"/admin/pages/{minutes.pk}/edit/")
    footer_action(page, "Send til Referatgodkendelse")
    expect(page).to_have_url(listing)
    expect(page.locator(".messages")).to_contain_text(
        "afventer nu „Sekretariatets gennemsyn“"
    )

    task_state = current_task_state(minutes)
    task_state.task.specific.on_action(
        task_state, world["secretary"], "reject", comment="Ret punkt 2."
    )

    page.goto(f"/admin/pages/{minutes.pk}/edit/")
    footer_action(page, "Send igen til Sekretariatets gennemsyn")
    expect(page).to_have_url(listing)
    expect(page.locator(".messages")).to_contain_text(
        "Referatet „Referat“ er sendt til Referatgodkendelse"
    )
    expect(page.locator("main")).to_contain_text("Referat")

    page.goto(f"/admin/pages/{minutes.pk}/edit/")
    footer = page.locator("footer.footer")
    expect(footer.get_by_role("button", name="Siden er låst")).to_be_disabled()
    cancel = footer.get_by_role("button", name="Annullér arbejdsgang")
    expect(cancel).to_be_hidden()
    footer.get_by_role("button", name="Flere handlinger").click()
    expect(cancel).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(
        "kommer på hjemmesiden, når godkendelsen er afsluttet"
    )

    page.context.clear_cookies()
    minutes = MinutesPage.objects.get(pk=minutes.pk)
    assert minutes.workflow_in_progress and not minutes.live
    assert page.goto(minutes.url).status == 404
