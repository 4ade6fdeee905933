"""An agenda goes public with each number once, whatever publishes it: the
edit form marks the row (test_admin_forms.py); the paths without a form
(publishing a revision, scheduled publishing, a workflow's approval) are
refused by the page itself."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from klynge_pages.models import AgendaItem, MeetingPage

from .factories import local, make_cluster, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return make_meeting(make_cluster(), start=local(2019, 11, 6, 16, 30), items=3)


def revision_repeating_item_2(meeting, **fields):
    """A revision whose agenda has a second item 2 ("Personsag"), as no form
    would let through."""
    draft = meeting.get_latest_revision_as_object()
    draft.agenda_items = [
        *draft.agenda_items.all(),
        AgendaItem(number=2, title="Personsag", sort_order=4),
    ]
    for name, value in fields.items():
        setattr(draft, name, value)
    return draft.save_revision()


def numbers(meeting):
    rows = AgendaItem.objects.filter(page_id=meeting.pk)
    return sorted(rows.values_list("number", flat=True))


def public_text(meeting):
    response = Client().get(MeetingPage.objects.get(pk=meeting.pk).url)
    assert response.status_code == 200
    return response.text


def test_publishing_a_revision_with_a_repeated_number_is_refused(meeting):
    revision = revision_repeating_item_2(meeting)

    with pytest.raises(ValidationError) as refused:
        revision.publish()

    assert refused.value.messages == [
        "Dagsordenen kan ikke udgives: punkt 2 står der mere end én gang. "
        "Giv hvert punkt sit eget nummer."
    ]
    assert numbers(meeting) == [1, 2, 3]
    assert "Personsag" not in public_text(meeting)
    assert MeetingPage.objects.get(pk=meeting.pk).live_revision_id != revision.pk


def test_scheduled_publishing_does_not_publish_a_repeated_number(meeting):
    revision = revision_repeating_item_2(meeting)
    revision.approved_go_live_at = timezone.now() - timezone.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])

    with pytest.raises(ValidationError):
        call_command("publish_scheduled", verbosity=0)

    assert numbers(meeting) == [1, 2, 3]
    assert "Personsag" not in public_text(meeting)


def test_agenda_with_distinct_numbers_publishes(meeting):
    draft = meeting.get_latest_revision_as_object()
    draft.agenda_items = [
        *draft.agenda_items.all(),
        AgendaItem(number=4, title="Personsag", sort_order=4),
    ]
    draft.save_revision().publish()

    assert public_text(meeting).count("Personsag") == 1
