"""Minutes of a meeting that has not begun may be drafted, but not sent to
"Referatgodkendelse" nor published, by any path: the create and edit views,
a restarted workflow, the admin API, bulk publishing, or code that starts
the workflow itself. Each test asserts the effect on the public site."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, rich_text

from klynge_pages import rules
from klynge_pages.dates import danish_datetime
from klynge_pages.models import MeetingPage, MinutesPage

from .admin_forms import PUBLISH, SUBMIT, minutes_form
from .factories import make_meeting, make_minutes
from .signoff_world import is_live

pytestmark = pytest.mark.django_db

REFUSAL = "Referatet kan først sendes til godkendelse og udgives, når mødet er begyndt"


@pytest.fixture
def future_meeting(signoff_setup):
    minutes, users = signoff_setup
    cluster = minutes.get_parent().specific.cluster
    start = timezone.now() + timedelta(days=10)
    meeting = make_meeting(cluster, start=start, items=1, title="Kommende møde")
    return meeting, users


def workflows_of(page):
    return WorkflowState.objects.filter(object_id=str(page.pk)).count()


def decided_form(meeting, slug, **actions):
    item = meeting.agenda_items.get()
    decisions = inline_formset([{"agenda_item": item.pk, "decision": rich_text("Ok.")}])
    return minutes_form(slug, "Referat", decisions=decisions, **actions)


def test_the_rule_is_the_meeting_start():
    now = timezone.now()
    assert rules.meeting_has_begun(now - timedelta(seconds=1), now)
    assert rules.meeting_has_begun(now, now)
    assert not rules.meeting_has_begun(now + timedelta(seconds=1), now)


@pytest.mark.parametrize("action", ["submit", "publish"])
def test_minutes_of_a_future_meeting_are_not_sent_from_the_create_view(
    client, future_meeting, action
):
    meeting, users = future_meeting
    url = reverse(
        "wagtailadmin_pages:add", args=("klynge_pages", "minutespage", meeting.pk)
    )
    if action == "submit":
        client.force_login(users["editor"])
    else:
        client.force_login(
            get_user_model().objects.create_superuser("chef", password="x")
        )
    actions = SUBMIT if action == "submit" else PUBLISH

    response = client.post(url, decided_form(meeting, "for-tidligt", **actions))

    assert response.status_code == 200
    assert REFUSAL in response.text
    assert danish_datetime(meeting.start) in response.text  # when it begins
    assert not MinutesPage.objects.filter(slug="for-tidligt").exists()
    # Drafting ahead is fine, and sends nothing.
    client.post(url, decided_form(meeting, "for-tidligt"))
    draft = MinutesPage.objects.get(slug="for-tidligt")
    assert not draft.live and workflows_of(draft) == 0


@pytest.mark.parametrize("action", ["submit", "publish"])
def test_minutes_of_a_future_meeting_are_not_sent_from_the_edit_view(
    client, future_meeting, action
):
    meeting, users = future_meeting
    minutes = make_minutes(meeting, live=False)
    superuser = get_user_model().objects.create_superuser("chef", password="x")
    client.force_login(users["editor"] if action == "submit" else superuser)
    actions = SUBMIT if action == "submit" else PUBLISH

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(minutes.pk,)),
        decided_form(meeting, minutes.slug, **actions),
    )

    assert response.status_code == 200
    assert REFUSAL in response.text
    assert workflows_of(minutes) == 0
    assert not is_live(minutes)
    client.logout()
    assert client.get(meeting.url + minutes.slug + "/").status_code == 404


def test_no_code_path_starts_the_sign_off_early(future_meeting):
    meeting, users = future_meeting
    minutes = make_minutes(meeting, live=False)
    minutes.save_revision(user=users["editor"])

    with pytest.raises(rules.MinutesBeforeMeeting):
        minutes.get_workflow().start(minutes, users["editor"])

    assert workflows_of(minutes) == 0
    assert not is_live(minutes)


def test_a_superuser_cannot_publish_them_through_the_api_or_bulk_actions(
    client, future_meeting
):
    meeting, _users = future_meeting
    minutes = make_minutes(meeting, live=False)
    minutes.save_revision()
    superuser = get_user_model().objects.create_superuser("chef", password="x")
    client.force_login(superuser)

    assert not minutes.permissions_for_user(superuser).can_publish()
    api = client.post(
        f"/admin/api/main/pages/{minutes.pk}/action/publish/",
        content_type="application/json",
    )
    assert api.status_code == 403
    bulk = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    client.post(f"{bulk}?id={minutes.pk}", {})
    assert not is_live(minutes)


def test_once_the_meeting_has_begun_they_go_to_sign_off(client, future_meeting):
    meeting, users = future_meeting
    minutes = make_minutes(meeting, live=False)
    # The meeting is moved to an hour ago: it has begun.
    MeetingPage.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - timedelta(hours=1),
        end=timezone.now() - timedelta(minutes=1),
    )
    client.force_login(users["editor"])

    client.post(
        reverse("wagtailadmin_pages:edit", args=(minutes.pk,)),
        decided_form(meeting, minutes.slug, **SUBMIT),
    )

    minutes = MinutesPage.objects.get(pk=minutes.pk)
    assert minutes.workflow_in_progress
    assert minutes.current_workflow_task.name == "Sekretariatets gennemsyn"
