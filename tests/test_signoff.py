"""Sign-off of minutes through the workflow "Referatgodkendelse": the
secretariat reviews, then the cluster's approvers sign off, one approval
per member organisation where the cluster asks for it."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset

from klynge_pages.models import MinutesPage, MinutesSignOff, SignOffMode

from .admin_forms import PUBLISH, SUBMIT, minutes_form
from .factories import make_meeting
from .signoff_world import (
    act,
    assert_denied,
    current_task_state,
    is_live,
    to_signoff,
)

pytestmark = pytest.mark.django_db


def test_minutes_use_the_referatgodkendelse_workflow(signoff_setup):
    minutes, _ = signoff_setup

    assert minutes.get_workflow().name == "Referatgodkendelse"
    assert [t.name for t in minutes.get_workflow().tasks] == [
        "Sekretariatets gennemsyn",
        "Klyngens godkendelse",
    ]


def test_partial_approvals_do_not_publish_and_the_last_one_does(client, signoff_setup):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)

    act(client, users["aalborg"], minutes, "approve")
    act(client, users["jammerbugt"], minutes, "approve", comment="Fint referat.")
    assert not is_live(minutes)

    act(client, users["region"], minutes, "approve")

    assert is_live(minutes)
    signoffs = MinutesSignOff.objects.filter(page=minutes).order_by("approved_at")
    assert [s.organisation.name for s in signoffs] == [
        "Aalborg Kommune",
        "Jammerbugt Kommune",
        "Region Nordjylland",
    ]
    assert signoffs[1].comment == "Fint referat."
    assert signoffs[0].approver_name == "Aalborg"
    html = client.get(MinutesPage.objects.get(pk=minutes.pk).url).content.decode()
    assert "Godkendt af Jammerbugt (Jammerbugt Kommune)" in html


def test_an_organisation_approves_once_and_not_for_another(client, signoff_setup):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    act(client, users["aalborg"], minutes, "approve")

    again = act(client, users["aalborg"], minutes, "approve")

    assert_denied(again)
    assert MinutesSignOff.objects.filter(page=minutes).count() == 1


def test_an_approver_of_another_cluster_cannot_act(client, signoff_setup):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)

    for action in ("approve", "reject"):
        assert_denied(act(client, users["outsider"], minutes, action))

    assert not MinutesSignOff.objects.exists()
    assert current_task_state(minutes).status == TaskState.STATUS_IN_PROGRESS


def test_editors_cannot_approve_their_own_minutes(client, signoff_setup):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)

    assert_denied(act(client, users["editor"], minutes, "approve"))


def test_rejection_returns_the_minutes_with_the_comment_and_a_new_round(
    client, signoff_setup
):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    act(client, users["aalborg"], minutes, "approve")

    act(client, users["jammerbugt"], minutes, "reject", comment="Ret punkt 2.")

    state = WorkflowState.objects.get(object_id=str(minutes.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not is_live(minutes)
    rejected = TaskState.objects.get(status=TaskState.STATUS_REJECTED)
    assert rejected.comment == "Ret punkt 2."
    # Aalborg's approval stays on record, but counts for nothing any more.
    assert MinutesSignOff.objects.filter(page=minutes).count() == 1

    # The editor resubmits unchanged: a new round needs every organisation.
    state.resume(users["editor"])
    act(client, users["aalborg"], minutes, "approve")
    act(client, users["jammerbugt"], minutes, "approve")
    assert not is_live(minutes)
    act(client, users["region"], minutes, "approve")
    assert is_live(minutes)
    live = MinutesPage.objects.get(pk=minutes.pk)
    assert [s.organisation_name for s in live.standing_signoffs()] == [
        "Aalborg Kommune",
        "Jammerbugt Kommune",
        "Region Nordjylland",
    ]


def test_single_mode_needs_one_approval(client, signoff_setup):
    minutes, users = signoff_setup
    cluster = minutes.get_parent().get_parent().specific
    cluster.signoff_mode = SignOffMode.SINGLE
    cluster.save()
    to_signoff(client, minutes, users)

    act(client, users["region"], minutes, "approve")

    assert is_live(minutes)


def test_approvers_cannot_publish_around_the_workflow(client, signoff_setup):
    minutes, users = signoff_setup
    client.force_login(users["aalborg"])

    client.post(
        reverse("wagtailadmin_pages:edit", args=(minutes.pk,)),
        minutes_form(minutes.slug, "Referat", **PUBLISH),
    )

    assert not is_live(minutes)


def test_each_sign_off_is_in_the_page_history(client, signoff_setup):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)

    act(client, users["aalborg"], minutes, "approve", comment="OK")

    entry = PageLogEntry.objects.get(page=minutes, action="klynge_pages.sign_off")
    assert entry.user == users["aalborg"]
    assert entry.data["organisation"] == "Aalborg Kommune"
    assert str(entry.message) == "Godkendt for Aalborg Kommune"


def test_approvers_get_a_danish_mail_when_minutes_await_them(
    client, signoff_setup, mailoutbox
):
    minutes, users = signoff_setup
    for user in users.values():
        user.email = f"{user.username}@example.dk"
        user.save()

    to_signoff(client, minutes, users)

    signoff_mails = [m for m in mailoutbox if "afventer din godkendelse" in m.subject]
    recipients = sorted(address for m in signoff_mails for address in m.to)
    assert recipients == [
        "aalborg@example.dk",
        "jammerbugt@example.dk",
        "region@example.dk",
    ]
    mail = signoff_mails[0]
    assert mail.subject == "Referat afventer din godkendelse: Møde 06.11.2019"
    assert (
        "Der mangler godkendelse fra: Aalborg Kommune, Jammerbugt Kommune" in mail.body
    )
    assert f"/admin/klynger/referat/{minutes.pk}/godkendelse/" in mail.body


def test_the_dashboard_lists_minutes_only_to_their_own_approvers(signoff_setup, client):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    task = current_task_state(minutes).task.specific

    assert task.get_task_states_user_can_moderate(users["aalborg"]).count() == 1
    assert not task.get_task_states_user_can_moderate(users["outsider"]).exists()
    assert not task.get_task_states_user_can_moderate(users["editor"]).exists()


def test_new_minutes_are_submitted_to_referatgodkendelse_from_the_create_view(
    client, signoff_setup
):
    minutes, users = signoff_setup
    meeting = make_meeting(minutes.get_parent().specific.cluster, items=1)
    url = reverse(
        "wagtailadmin_pages:add", args=("klynge_pages", "minutespage", meeting.pk)
    )
    client.force_login(users["editor"])

    form = client.get(url)
    assert "Send til Referatgodkendelse" in form.text
    client.post(
        url,
        minutes_form("nyt-referat", "Referat", **SUBMIT),
    )

    new = MinutesPage.objects.get(slug="nyt-referat")
    assert not new.live
    assert new.current_workflow_task.name == "Sekretariatets gennemsyn"


def test_new_minutes_with_an_empty_decision_are_not_sent_to_sign_off(
    client, signoff_setup
):
    minutes, users = signoff_setup
    meeting = make_meeting(minutes.get_parent().specific.cluster, items=1)
    item = meeting.agenda_items.get()
    url = reverse(
        "wagtailadmin_pages:add", args=("klynge_pages", "minutespage", meeting.pk)
    )
    client.force_login(users["editor"])
    # An empty Draftail editor posts "null".
    decisions = inline_formset([{"agenda_item": item.pk, "decision": "null"}])

    response = client.post(
        url, minutes_form("tomt-referat", "Referat", decisions=decisions, **SUBMIT)
    )

    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.text
    assert not MinutesPage.objects.filter(slug="tomt-referat").exists()

    # As a draft the same minutes may wait for their decisions.
    client.post(url, minutes_form("tomt-referat", "Referat", decisions=decisions))
    draft = MinutesPage.objects.get(slug="tomt-referat")
    assert not draft.live and not draft.workflow_in_progress
