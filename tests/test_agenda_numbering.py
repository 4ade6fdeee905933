"""Agenda numbers follow the agenda's order: what the editor's script does
when items move (meeting_editor.js), the form demands of every post, so the
public page never shows "Punkt 3" above "Punkt 2"."""

import re

import pytest
from django.urls import reverse

from klynge_pages.models import MeetingPage

from .admin_forms import PUBLISH, agenda_row, meeting_edit_form
from .factories import make_cluster, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def edit_post(meeting, rows, **extra):
    """The edit form of `meeting` with its agenda items as `rows`, in the
    order given: (existing item or None, number, title)."""
    return meeting_edit_form(
        meeting,
        [agenda_row(item, number, title) for item, number, title in rows],
        **extra,
    )


def public_agenda(client, meeting):
    html = client.get(MeetingPage.objects.get(pk=meeting.pk).url).text
    return re.findall(r"<h3>\s*(Punkt \d+: [^<]+?)\s*</h3>", html)


def edit(client, meeting, rows):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(meeting.pk,)),
        edit_post(meeting, rows, **PUBLISH),
    )


@pytest.fixture
def meeting():
    return make_meeting(make_cluster(), items=3)


def items_of(meeting):
    return {item.number: item for item in meeting.agenda_items.all()}


def test_an_item_moved_without_renumbering_is_refused_and_the_agenda_stays(
    client, editor_client, meeting
):
    """A client without the script moves item 3 above item 2."""
    items = items_of(meeting)

    response = edit(
        editor_client,
        meeting,
        [
            (items[1], 1, items[1].title),
            (items[3], 3, items[3].title),
            (items[2], 2, items[2].title),
        ],
    )

    assert response.status_code == 200
    assert (
        "Punkt 2 står efter punkt 3. Numrene skal stige ned gennem dagsordenen: "
        "ret nummeret, eller flyt punktet."
    ) in response.text
    client.logout()
    assert public_agenda(client, meeting) == [
        "Punkt 1: Punkt nummer 1",
        "Punkt 2: Punkt nummer 2",
        "Punkt 3: Punkt nummer 3",
    ]


def test_a_moved_item_renumbered_as_the_editor_does_is_published(
    client, editor_client, meeting
):
    items = items_of(meeting)

    response = edit(
        editor_client,
        meeting,
        [
            (items[1], 1, items[1].title),
            (items[3], 2, items[3].title),
            (items[2], 3, items[2].title),
        ],
    )

    assert response.status_code == 302
    client.logout()
    assert public_agenda(client, meeting) == [
        "Punkt 1: Punkt nummer 1",
        "Punkt 2: Punkt nummer 3",
        "Punkt 3: Punkt nummer 2",
    ]


@pytest.mark.parametrize(
    ("numbers", "shown"),
    [((5, 6, 7), [5, 6, 7]), ((1, 2, 4), [1, 2, 4]), ((5, "", ""), [5, 6, 7])],
    ids=["begun-at-5", "a-gap", "blanks-after-5"],
)
def test_numbers_rising_down_the_agenda_are_kept(
    client, editor_client, meeting, numbers, shown
):
    items = items_of(meeting)

    response = edit(
        editor_client,
        meeting,
        [
            (items[position], number, items[position].title)
            for position, number in zip((1, 2, 3), numbers, strict=True)
        ],
    )

    assert response.status_code == 302
    client.logout()
    assert public_agenda(client, meeting) == [
        f"Punkt {number}: Punkt nummer {position}"
        for position, number in zip((1, 2, 3), shown, strict=True)
    ]


def test_a_blank_number_does_not_slip_below_a_later_one(editor_client, meeting):
    """[4, blank, 3]: the blank becomes 5, and 3 after 5 is refused."""
    items = items_of(meeting)

    response = edit(
        editor_client,
        meeting,
        [(items[1], 4, "A"), (items[2], "", "B"), (items[3], 3, "C")],
    )

    assert response.status_code == 200
    assert "Punkt 3 står efter punkt 5." in response.text
    assert sorted(
        MeetingPage.objects.get(pk=meeting.pk).agenda_items.values_list(
            "number", flat=True
        )
    ) == [1, 2, 3]


def test_a_repeated_number_is_still_called_a_duplicate(editor_client, meeting):
    items = items_of(meeting)

    response = edit(
        editor_client,
        meeting,
        [(items[1], 1, "A"), (items[2], 2, "B"), (items[3], 2, "C")],
    )

    assert response.status_code == 200
    assert "Punkt 2 findes allerede på dagsordenen." in response.text
    assert "står efter" not in response.text


def test_the_rule_holds_for_a_draft_too(editor_client, meeting):
    """Saving a draft (and Wagtail's autosave, which posts the same form)
    goes through the same check."""
    items = items_of(meeting)

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=(meeting.pk,)),
        edit_post(
            meeting,
            [(items[2], 2, "B"), (items[1], 1, "A"), (items[3], 3, "C")],
        ),
    )

    assert response.status_code == 200
    assert "Punkt 1 står efter punkt 2." in response.text
    page = MeetingPage.objects.get(pk=meeting.pk)
    assert not page.has_unpublished_changes
