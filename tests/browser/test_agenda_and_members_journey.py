"""The meeting editor keeps the agenda numbered in its order while items are
moved, added and deleted, and "Tilføj klyngens medlemmer" invites the
cluster's members in one click; the public page shows both."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from klynge_pages.models import Attendance, MeetingPage, ParticipantRole

from ..factories import (
    OrganisationFactory,
    PersonFactory,
    make_cluster,
    make_home,
    make_meeting,
    publish,
)
from .test_journeys import footer_action, log_in, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Counted:
    """The page, counting the editor's clicks."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0

    def click(self, locator):
        self.clicks += 1
        locator.click()


@pytest.fixture
def world(settings):
    # As in test_journeys: no background autosave racing "Udgiv".
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    make_home()
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    region = OrganisationFactory(name="Region Nordjylland")
    midt = make_cluster(title="Klyngestyregruppe Midt", members=[aalborg, region])
    nord = make_cluster(title="Politisk klynge Nord", area="nord", members=[region])
    midt.refresh_from_db()
    nord.refresh_from_db()
    people = {
        name: PersonFactory(name=name, organisation=organisation, cluster=cluster)
        for name, organisation, cluster in [
            ("Bente Gravesen", aalborg, midt),
            ("Hanne Madsen", aalborg, midt),
            ("Eva Sejersdal", region, midt),
            # Region Nordjylland's member of Klynge Nord, not of Midt.
            ("Niels Nordmand", region, nord),
        ]
    }
    return {
        "cluster": midt,
        "people": people,
        "editor": make_user("redaktoer", midt.editors_group),
        "secretary": make_user("sekretaer", Group.objects.get(name="Sekretariat")),
    }


def agenda_rows(page):
    """(number, title) of the agenda's rows in the editor, top to bottom."""
    return page.evaluate(
        """() => Array.from(
            document.getElementById('id_agenda_items-FORMS').children
        ).filter((row) => !row.classList.contains('deleted')).map((row) => {
            const prefix = row.id.replace('inline_child_', '');
            return [
                document.getElementById(`id_${prefix}-number`).value,
                document.getElementById(`id_${prefix}-title`).value,
            ];
        })"""
    )


def agenda_row(page, title):
    return page.locator("#id_agenda_items-FORMS > [data-inline-panel-child]").filter(
        has=page.locator(f"input[value='{title}']")
    )


def test_renumbered_agenda_and_the_clusters_members_reach_the_public_page(page, world):
    cluster = world["cluster"]
    meeting = make_meeting(cluster, items=3, title="Klyngemøde")
    log_in(page, world["editor"])
    page.goto(f"/admin/pages/{meeting.pk}/edit/")

    # Item 3 moved above item 2: the numbers follow at once.
    agenda_row(page, "Punkt nummer 3").locator(
        "[data-inline-panel-child-move-up]"
    ).first.click()
    expect(page.locator("#id_agenda_items-2-number")).to_have_value("2")
    assert agenda_rows(page) == [
        ["1", "Punkt nummer 1"],
        ["2", "Punkt nummer 3"],
        ["3", "Punkt nummer 2"],
    ]

    # An item added at the end gets the next number.
    page.get_by_role("button", name="Tilføj Punkt").click()
    expect(page.locator("#id_agenda_items-3-number")).to_have_value("4")
    page.locator("#id_agenda_items-3-title").fill("Eventuelt")

    # One member by hand, as before: add a row, open the chooser, choose.
    by_hand = Counted(page)
    by_hand.click(page.get_by_role("button", name="Tilføj Deltager"))
    by_hand.click(
        page.locator("#inline_child_participants-0").get_by_role(
            "button", name="Vælg person"
        )
    )
    modal = page.locator(".modal-dialog")
    by_hand.click(modal.get_by_role("link", name="Bente Gravesen"))
    expect(page.locator("#id_participants-0-person-chooser")).to_contain_text(
        "Bente Gravesen"
    )

    # The rest of the cluster's members in one click; Bente is not repeated.
    with_button = Counted(page)
    button = page.get_by_role("button", name="Tilføj klyngens medlemmer")
    with_button.click(button)
    status = page.locator("[data-klynge-cluster-members-status]")
    expect(status).to_have_text("2 deltagere tilføjet fra klyngens medlemmer.")
    participants = page.locator(
        "#id_participants-FORMS > [data-inline-panel-child]:not(.deleted)"
    )
    expect(participants).to_have_count(3)
    expect(page.locator("#id_participants-FORMS")).not_to_contain_text("Niels Nordmand")
    for index in (1, 2):
        expect(page.locator(f"#id_participants-{index}-attendance")).to_have_value(
            Attendance.INVITED
        )
        expect(page.locator(f"#id_participants-{index}-role")).to_have_value(
            ParticipantRole.MEMBER
        )
    button.click()
    expect(status).to_have_text("Alle klyngens medlemmer står allerede på listen.")
    expect(participants).to_have_count(3)

    footer_action(page, "Udgiv")
    expect(page.locator(".messages")).to_contain_text("udgivet")

    meeting = MeetingPage.objects.get(pk=meeting.pk)
    page.context.clear_cookies()
    page.goto(meeting.url)
    main = page.locator("main")
    headings = main.locator("h3").filter(has_text=re.compile(r"^Punkt \d+:"))
    expect(headings).to_have_text(
        [
            "Punkt 1: Punkt nummer 1",
            "Punkt 2: Punkt nummer 3",
            "Punkt 3: Punkt nummer 2",
            "Punkt 4: Eventuelt",
        ]
    )
    for name in ("Bente Gravesen", "Hanne Madsen", "Eva Sejersdal"):
        expect(main).to_contain_text(name)
    expect(main).to_contain_text("Indkaldt")
    expect(main).not_to_contain_text("Niels Nordmand")
    # One member by hand took 3 clicks (so 3 for each); all of them, 1.
    assert (by_hand.clicks, with_button.clicks) == (3, 1)


def test_an_agenda_begun_at_5_keeps_its_start_when_items_move_or_go(page, world):
    meeting = make_meeting(world["cluster"], items=3, title="Klyngemøde")
    for item in meeting.agenda_items.all():
        item.number += 4
        item.save()
    publish(meeting)
    log_in(page, world["editor"])
    page.goto(f"/admin/pages/{meeting.pk}/edit/")

    first = agenda_row(page, "Punkt nummer 1")
    first.locator("[data-inline-panel-child-move-down]").first.click()
    expect(page.locator("#id_agenda_items-0-number")).to_have_value("6")
    assert [number for number, _ in agenda_rows(page)] == ["5", "6", "7"]

    # The first item deleted: the others start at 5.
    agenda_row(page, "Punkt nummer 2").locator("[id$='-DELETE-button']").first.click()
    expect(page.locator("#id_agenda_items-0-number")).to_have_value("5")
    assert agenda_rows(page) == [["5", "Punkt nummer 1"], ["6", "Punkt nummer 3"]]

    footer_action(page, "Udgiv")
    expect(page.locator(".messages")).to_contain_text("udgivet")
    page.context.clear_cookies()
    page.goto(MeetingPage.objects.get(pk=meeting.pk).url)
    expect(
        page.locator("main h3").filter(has_text=re.compile(r"^Punkt \d+:"))
    ).to_have_text(["Punkt 5: Punkt nummer 1", "Punkt 6: Punkt nummer 3"])


def drag(page, handle, target):
    """Drags `handle` by mouse onto the top of `target`, in steps, as SortableJS
    needs to see the pointer move."""
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 5, steps=20)
    page.mouse.up()


def test_a_dragged_item_is_renumbered_too(page, world):
    meeting = make_meeting(world["cluster"], items=3, title="Klyngemøde")
    log_in(page, world["editor"])
    page.goto(f"/admin/pages/{meeting.pk}/edit/")

    handle = agenda_row(page, "Punkt nummer 3").locator(
        "[data-inline-panel-child-drag]"
    )
    drag(page, handle.first, agenda_row(page, "Punkt nummer 2").first)

    # Where exactly SortableJS drops it depends on the pointer; above where
    # it was, in any case, and numbered by its new place.
    expect(page.locator("#id_agenda_items-2-number")).not_to_have_value("3")
    rows = agenda_rows(page)
    assert [number for number, _ in rows] == ["1", "2", "3"]
    assert rows[-1][1] != "Punkt nummer 3"
    # Wagtail's own order, which the server reads, agrees.
    orders = page.evaluate(
        """() => Array.from(document.getElementById('id_agenda_items-FORMS').children)
            .map((row) => row.querySelector('[name$="-ORDER"]').value)"""
    )
    assert orders == ["1", "2", "3"]
