"""After sending minutes or an agenda to their workflow the editor lands on
the parent's listing with a message saying what happens next, not on the
page's locked edit view; on that view the lock, not "Annullér arbejdsgang",
is the primary action. Driven through the admin's real views."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, rich_text

from klynge_pages.models import MeetingPage, MinutesPage

from .admin_forms import SUBMIT, meeting_form, minutes_form
from .factories import local, make_cluster, make_meeting
from .signoff_world import act, is_live, make_user

pytestmark = pytest.mark.django_db

NEW_DECISION = "Klyngen vedtog den reviderede plan."


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def explore_url(page):
    return reverse("wagtailadmin_explore", args=(page.pk,))


def minutes_post(minutes, decision, **extra):
    minutes = MinutesPage.objects.get(pk=minutes.pk)
    rows = list(minutes.decisions.all())
    decisions = inline_formset(
        [
            {
                "id": row.pk,
                "agenda_item": row.agenda_item_id,
                "decision": rich_text(
                    f"<p>{decision} (punkt {row.agenda_item.number})</p>"
                ),
            }
            for row in rows
        ],
        initial=len(rows),
    )
    return minutes_form(minutes.slug, minutes.title, decisions=decisions, **extra)


def messages_of(response):
    return " ".join(str(message) for message in response.context["messages"])


def action_menu(response):
    """(the primary action's name, the other actions' names, the menu's
    HTML) as the edit view renders its footer."""
    menu = response.context["action_menu"]
    return (
        menu.default_item.name,
        [item.name for item in menu.menu_items],
        menu.render_html(),
    )


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def first_button_text(html):
    return text_of(re.search(r"<button\b.*?</button>", html, re.S)[0])


def public_text(client, page):
    client.logout()
    response = client.get(page.url)
    return response.status_code, response.text


def test_the_second_submission_of_minutes_lands_on_the_meeting(client, signoff_setup):
    minutes, users = signoff_setup
    meeting = minutes.get_parent().specific
    client.force_login(users["editor"])

    first = client.post(
        edit_url(minutes),
        minutes_post(minutes, "Første udgave", **SUBMIT),
        follow=True,
    )
    assert first.redirect_chain == [(explore_url(meeting), 302)]
    assert "er sendt til Referatgodkendelse" in messages_of(first)
    act(client, users["secretary"], minutes, "reject", comment="Ret punkt 2.")
    assert (
        WorkflowState.objects.get(object_id=str(minutes.pk)).status
        == WorkflowState.STATUS_NEEDS_CHANGES
    )

    client.force_login(users["editor"])
    response = client.post(
        edit_url(minutes), minutes_post(minutes, NEW_DECISION, **SUBMIT), follow=True
    )

    # Where the editor lands: the meeting's listing, the minutes in it.
    assert response.redirect_chain == [(explore_url(meeting), 302)]
    said = messages_of(response)
    assert "Referatet „Referat“ er sendt til Referatgodkendelse" in said
    assert "afventer nu „Sekretariatets gennemsyn“" in said
    assert "kommer på hjemmesiden, når godkendelsen er afsluttet" in said
    listed = response.text[response.text.find(edit_url(minutes)) :]
    assert "Sidens status: til godkendelse" in text_of(listed)

    # The locked edit view: the lock first, cancelling only in the menu.
    edit = client.get(edit_url(minutes))
    primary, others, html = action_menu(edit)
    assert primary == "action-page-locked"
    assert first_button_text(html) == "Siden er låst"
    assert "action-cancel-workflow" in others
    assert "Annullér arbejdsgang" in html
    assert "Det kommer på hjemmesiden, når godkendelsen er afsluttet" in edit.text

    # The public site shows nothing of it until sign-off completes.
    status, _ = public_text(client, MinutesPage.objects.get(pk=minutes.pk))
    assert status == 404
    status, text = public_text(client, meeting)
    assert status == 200 and NEW_DECISION not in text

    act(client, users["secretary"], minutes, "approve")
    for organisation in ("aalborg", "jammerbugt"):
        act(client, users[organisation], minutes, "approve")
        assert not is_live(minutes)
    act(client, users["region"], minutes, "approve")
    status, text = public_text(client, MinutesPage.objects.get(pk=minutes.pk))
    assert status == 200 and NEW_DECISION in text


def test_new_minutes_sent_from_the_create_view_land_on_the_meeting(
    client, signoff_setup
):
    minutes, users = signoff_setup
    meeting = make_meeting(minutes.get_parent().specific.cluster, items=1)
    item = meeting.agenda_items.get()
    client.force_login(users["editor"])
    decisions = inline_formset(
        [{"agenda_item": item.pk, "decision": rich_text(f"<p>{NEW_DECISION}</p>")}]
    )

    response = client.post(
        reverse(
            "wagtailadmin_pages:add", args=("klynge_pages", "minutespage", meeting.pk)
        ),
        minutes_form("nyt-referat", "Nyt referat", decisions=decisions, **SUBMIT),
        follow=True,
    )

    new = MinutesPage.objects.get(slug="nyt-referat")
    assert new.workflow_in_progress and not new.live
    assert response.redirect_chain == [(explore_url(meeting), 302)]
    assert "Referatet „Nyt referat“ er sendt til Referatgodkendelse" in messages_of(
        response
    )


def test_a_next_address_is_kept_but_never_the_locked_edit_view(client, signoff_setup):
    minutes, users = signoff_setup
    client.force_login(users["editor"])
    listing = reverse("klynge_meetings:index")

    own = client.post(
        edit_url(minutes) + f"?next={edit_url(minutes)}",
        minutes_post(minutes, NEW_DECISION, **SUBMIT),
    )
    assert own["Location"] == explore_url(minutes.get_parent())

    act(client, users["secretary"], minutes, "reject", comment="Ret.")
    client.force_login(users["editor"])
    elsewhere = client.post(
        edit_url(minutes) + f"?next={listing}",
        minutes_post(minutes, NEW_DECISION, **SUBMIT),
    )
    assert elsewhere["Location"] == listing


@pytest.fixture
def reviewed_meeting():
    cluster = make_cluster(title="Politisk klynge Nord", area="nord")
    cluster.agenda_review = True
    cluster.save_revision().publish()
    cluster.refresh_from_db()
    meeting = make_meeting(
        cluster, start=local(2019, 11, 6, 16, 30), title="Nords møde"
    )
    editor = make_user("redaktoer", cluster.editors_group)
    secretary = make_user("sekretaer", Group.objects.get(name="Sekretariat"))
    return cluster, meeting, editor, secretary


def agenda_action(client, user, meeting, action):
    client.force_login(user)
    task_state = MeetingPage.objects.get(pk=meeting.pk).current_workflow_task_state
    return client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(meeting.pk, action, task_state.pk),
        ),
        {"comment": "Ret tidspunktet."} if action == "reject" else {},
    )


def test_the_second_submission_of_an_agenda_lands_on_the_cluster(
    client, reviewed_meeting
):
    cluster, meeting, editor, secretary = reviewed_meeting
    client.force_login(editor)
    client.post(
        edit_url(meeting), meeting_form(meeting.slug, "Første forslag", **SUBMIT)
    )
    agenda_action(client, secretary, meeting, "reject")

    client.force_login(editor)
    response = client.post(
        edit_url(meeting),
        meeting_form(meeting.slug, "Andet forslag", **SUBMIT),
        follow=True,
    )

    assert response.redirect_chain == [(explore_url(cluster), 302)]
    said = messages_of(response)
    assert "Mødet „Andet forslag“ er sendt til Dagsordensgodkendelse" in said
    assert "afventer nu „Sekretariatets gennemsyn“" in said

    edit = client.get(edit_url(meeting))
    primary, others, html = action_menu(edit)
    assert primary == "action-page-locked"
    assert first_button_text(html) == "Siden er låst"
    assert "action-cancel-workflow" in others
    assert "indtil dagsordenen er godkendt" in messages_of(edit)

    status, text = public_text(client, meeting)
    assert status == 200 and "Nords møde" in text and "Andet forslag" not in text
    agenda_action(client, secretary, meeting, "approve")
    status, text = public_text(client, meeting)
    assert "Andet forslag" in text
