"""Sign-off you can prove: what the approvers signed is exactly what is
published, whatever path tries to change it, and the "Godkendt af …" lines
name only those entitled to sign, for the organisation they sign for.

Every test ends on the public page (or the command a citizen's question
would lead to), not on a status code."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import PageViewRestriction, Revision

from klynge_pages import signoff
from klynge_pages.models import (
    MeetingPage,
    MinutesDecision,
    MinutesPage,
    MinutesSignOff,
    Organisation,
    Person,
    Signatory,
)

from .admin_forms import PUBLISH, SUBMIT, meeting_form, minutes_form
from .factories import PersonFactory, make_document, publish
from .signoff_world import (
    act,
    assert_denied,
    current_task_state,
    is_live,
    public_html,
    to_signoff,
)

pytestmark = pytest.mark.django_db

SIGNED = "<p>Beslutning om punkt 1.</p>"


def first_decision(page):
    return sorted(page.decisions.all(), key=lambda d: d.sort_order)[0]


def with_first_decision(page, html):
    """The page with its first decision's text changed, in memory (as the
    edit form leaves it before saving a revision)."""
    decisions = sorted(page.decisions.all(), key=lambda d: d.sort_order)
    decisions[0].decision = html
    page.decisions = decisions
    return page


def finish(client, minutes, users):
    """The two organisations still missing after Aalborg approve."""
    act(client, users["jammerbugt"], minutes, "approve")
    act(client, users["region"], minutes, "approve")


def signed_halfway(client, minutes, users):
    """Submitted, reviewed by the secretariat, signed by Aalborg."""
    to_signoff(client, minutes, users)
    act(client, users["aalborg"], minutes, "approve")
    return MinutesPage.objects.get(pk=minutes.pk)


def earlier_draft(minutes, user):
    """A draft revision with other wording than what will be submitted."""
    draft = MinutesPage.objects.get(pk=minutes.pk)
    with_first_decision(draft, "<p>Tidligere kladde, aldrig godkendt.</p>")
    return draft.save_revision(user=user)


# --- every path that could change signed content --------------------------


def test_the_admin_api_cannot_revert_minutes_under_sign_off(client, signoff_setup):
    minutes, users = signoff_setup
    old = earlier_draft(minutes, users["editor"])
    signed_halfway(client, minutes, users)
    client.force_login(users["editor"])

    response = client.post(
        f"/admin/api/main/pages/{minutes.pk}/action/revert_to_page_revision/",
        data=json.dumps({"revision_id": old.pk}),
        content_type="application/json",
    )
    finish(client, minutes, users)

    assert response.status_code == 403
    html = public_html(client, minutes)
    assert "Tidligere kladde" not in html
    assert "Beslutning om punkt 1." in html
    assert "Godkendt af Aalborg (Aalborg Kommune)" in html


def test_the_revision_revert_view_cannot_change_minutes_under_sign_off(
    client, signoff_setup
):
    minutes, users = signoff_setup
    old = earlier_draft(minutes, users["editor"])
    signed_halfway(client, minutes, users)
    revisions = Revision.objects.filter(object_id=str(minutes.pk)).count()

    for role in ("editor", "secretary", "aalborg"):
        client.force_login(users[role])
        client.post(
            reverse("wagtailadmin_pages:revisions_revert", args=(minutes.pk, old.pk)),
            minutes_form(minutes.slug, "Referat", **SUBMIT),
        )
    finish(client, minutes, users)

    assert Revision.objects.filter(object_id=str(minutes.pk)).count() == revisions
    assert "Tidligere kladde" not in public_html(client, minutes)


@pytest.mark.parametrize("role", ["editor", "secretary", "jammerbugt", "superuser"])
def test_nobody_edits_minutes_under_sign_off(
    client, signoff_setup, role, django_user_model
):
    minutes, users = signoff_setup
    users["superuser"] = django_user_model.objects.create_superuser("root", "", "x")
    signed_halfway(client, minutes, users)
    client.force_login(users[role])

    client.post(
        reverse("wagtailadmin_pages:edit", args=(minutes.pk,)),
        minutes_form(minutes.slug, "Ændret efter godkendelse"),
    )
    # Autosave (Wagtail 8 posts the form and expects JSON).
    client.post(
        reverse("wagtailadmin_pages:edit", args=(minutes.pk,)),
        minutes_form(minutes.slug, "Autogemt efter godkendelse"),
        headers={"accept": "application/json"},
    )
    finish(client, minutes, users)

    html = public_html(client, minutes)
    assert "efter godkendelse" not in html
    assert "Referat" in html


def test_saving_a_revision_is_refused_in_the_model_while_signing(client, signoff_setup):
    minutes, users = signoff_setup
    page = signed_halfway(client, minutes, users)
    page.title = "Skrevet direkte"

    with pytest.raises(signoff.SignOffInProgress):
        page.save_revision(user=users["editor"])


def test_approvers_approve_or_reject_but_do_not_edit(client, signoff_setup):
    minutes, users = signoff_setup
    page = signed_halfway(client, minutes, users)

    lock = page.get_lock()
    assert lock is not None and lock.for_user(users["jammerbugt"])
    client.force_login(users["jammerbugt"])
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=(minutes.pk,)))
    assert "kan ikke ændres" in edit_page.text
    assert "Gå til godkendelsen" in edit_page.text


def test_editing_the_meeting_later_does_not_change_approved_minutes(
    client, signoff_setup
):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    act(client, users["aalborg"], minutes, "approve")
    finish(client, minutes, users)
    meeting = MeetingPage.objects.get(pk=minutes.get_parent().pk)
    item = meeting.agenda_items.get(number=1)
    item.title = "Omdøbt bagefter"
    item.recommendation = "<p>Ny indstilling bagefter.</p>"
    item.save()
    publish(meeting)

    html = public_html(client, minutes)
    assert "Punkt nummer 1" in html
    assert "Omdøbt bagefter" not in html
    out = StringIO()
    call_command("verify_minutes", str(minutes.pk), stdout=out)
    assert "stemmer" in out.getvalue()


def test_closing_an_item_later_hides_its_decision_but_never_the_reverse(
    client, signoff_setup
):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    act(client, users["aalborg"], minutes, "approve")
    finish(client, minutes, users)
    meeting = MeetingPage.objects.get(pk=minutes.get_parent().pk)
    item = meeting.agenda_items.get(number=1)
    item.closed = True
    item.save()

    html = public_html(client, minutes)
    assert "Beslutning om punkt 1." not in html
    assert "Lukket punkt" in html


def test_renaming_a_person_later_does_not_change_approved_minutes(
    client, signoff_setup
):
    minutes, users = signoff_setup
    taker = PersonFactory(name="Jane Pedersen", title="referent")
    page = MinutesPage.objects.get(pk=minutes.pk)
    page.minute_taker = taker
    page.save_revision(user=users["editor"])
    page.get_workflow().start(page, users["editor"])
    act(client, users["secretary"], minutes, "approve")
    for role in ("aalborg", "jammerbugt", "region"):
        act(client, users[role], minutes, "approve")
    Person.objects.filter(pk=taker.pk).update(name="Et andet navn")

    html = public_html(client, minutes)
    assert "Jane Pedersen – referent" in html
    assert "Et andet navn" not in html


def test_a_document_replaced_after_sign_off_fails_verification(client, signoff_setup):
    minutes, users = signoff_setup
    document = make_document("Bilag", content=b"%PDF-1.4 godkendt")
    page = MinutesPage.objects.get(pk=minutes.pk)
    with_first_decision(
        page, f'<p>Se <a linktype="document" id="{document.pk}">bilaget</a>.</p>'
    )
    page.save_revision(user=users["editor"])
    page.get_workflow().start(page, users["editor"])
    act(client, users["secretary"], minutes, "approve")
    for role in ("aalborg", "jammerbugt", "region"):
        act(client, users[role], minutes, "approve")
    call_command("verify_minutes", str(minutes.pk), stdout=StringIO())

    with document.file.open("wb") as handle:
        handle.write(b"%PDF-1.4 byttet ud")

    with pytest.raises(CommandError):
        call_command("verify_minutes", str(minutes.pk), stdout=StringIO())


# --- what completing the workflow publishes --------------------------------


def test_the_last_approval_publishes_exactly_the_signed_revision(client, signoff_setup):
    minutes, users = signoff_setup
    page = signed_halfway(client, minutes, users)
    signed = current_task_state(minutes).revision

    finish(client, minutes, users)

    live = MinutesPage.objects.get(pk=minutes.pk)
    assert live.live_revision_id == signed.pk
    digests = {s.digest for s in live.standing_signoffs()}
    assert digests == {signed.as_object().digest()} == {page.digest()}


def test_a_revision_changed_behind_the_workflow_is_not_published(client, signoff_setup):
    """Tampering with the signed revision in the database (no admin path can
    do it) makes the last approval refuse to publish."""
    minutes, users = signoff_setup
    signed_halfway(client, minutes, users)
    act(client, users["jammerbugt"], minutes, "approve")
    revision = current_task_state(minutes).revision
    content = revision.content
    content["decisions"][0]["decision"] = "<p>Indsmuglet tekst.</p>"
    Revision.objects.filter(pk=revision.pk).update(content=content)

    act(client, users["region"], minutes, "approve")

    assert not is_live(minutes)
    assert not MinutesSignOff.objects.filter(
        page=minutes, organisation__name="Region Nordjylland"
    ).exists()


def test_a_superusers_publish_mid_round_shows_no_approval_lines(
    client, signoff_setup, django_user_model
):
    minutes, users = signoff_setup
    signed_halfway(client, minutes, users)
    root = django_user_model.objects.create_superuser("root", "", "x")
    MinutesPage.objects.get(pk=minutes.pk).get_latest_revision().publish(user=root)

    html = public_html(client, minutes)
    assert "Beslutning om punkt 1." in html
    assert "Godkendt af" not in html


# --- the public record -------------------------------------------------------


def test_resubmitting_live_minutes_keeps_the_public_record(client, signoff_setup):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    for role in ("aalborg", "jammerbugt", "region"):
        act(client, users[role], minutes, "approve")
    first = MinutesPage.objects.get(pk=minutes.pk)
    first_digest = first.standing_signoffs()[0].digest

    # Submitted again, unchanged, and through the secretariat's review.
    to_signoff(client, minutes, users)
    act(client, users["aalborg"], minutes, "approve")

    html = public_html(client, minutes)
    assert html.count("Godkendt af") == 3
    assert signoff.short_digest(first_digest) in html


def test_the_page_and_pdf_show_the_digest_that_verify_recomputes(client, signoff_setup):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    for role in ("aalborg", "jammerbugt", "region"):
        act(client, users[role], minutes, "approve")
    live = MinutesPage.objects.get(pk=minutes.pk)
    digest = live.standing_signoffs()[0].digest

    assert digest == live.digest() == live.live_revision.as_object().digest()
    assert signoff.short_digest(digest) in public_html(client, minutes)
    pdf = client.get(reverse("klynge_exports:minutes_pdf", args=(minutes.pk,)))
    assert pdf.status_code == 200
    out = StringIO()
    call_command("verify_minutes", str(minutes.pk), stdout=out)
    assert digest in out.getvalue()


@pytest.mark.parametrize("where", ["revision", "rows"])
def test_verify_minutes_fails_on_tampering(client, signoff_setup, where):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    for role in ("aalborg", "jammerbugt", "region"):
        act(client, users[role], minutes, "approve")
    live = MinutesPage.objects.get(pk=minutes.pk)
    if where == "revision":
        revision = live.live_revision
        content = revision.content
        content["title"] = "Forfalsket titel"
        Revision.objects.filter(pk=revision.pk).update(content=content)
    else:
        MinutesDecision.objects.filter(pk=first_decision(live).pk).update(
            decision="<p>Forfalsket beslutning.</p>"
        )

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_minutes", str(minutes.pk), stdout=out)
    assert "stemmer ikke" in out.getvalue()


def test_verify_minutes_refuses_unknown_and_unapproved_pages(signoff_setup):
    minutes, _ = signoff_setup
    with pytest.raises(CommandError, match="Intet referat"):
        call_command("verify_minutes", "999999", stdout=StringIO())
    with pytest.raises(CommandError, match="ikke udgivet"):
        call_command("verify_minutes", str(minutes.pk), stdout=StringIO())
    # Published around the workflow (a superuser's override): nothing signed.
    MinutesPage.objects.get(pk=minutes.pk).save_revision().publish()
    with pytest.raises(CommandError, match="ingen godkendelse"):
        call_command("verify_minutes", str(minutes.pk), stdout=StringIO())
    out = StringIO()
    call_command("verify_minutes", "--all", stdout=out)
    assert "ikke efterprøvet" in out.getvalue()


def test_the_secretariat_sees_every_approved_version(client, signoff_setup):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    for role in ("aalborg", "jammerbugt", "region"):
        act(client, users[role], minutes, "approve")
    url = reverse("klynge_pages_signoff_history", args=(minutes.pk,))

    client.force_login(users["editor"])
    assert client.get(url).status_code in (302, 403)
    client.force_login(users["secretary"])
    page = client.get(url)
    assert "Godkendt – den udgivne version" in page.text
    assert "Aalborg (Aalborg Kommune)" in page.text


# --- who signs for which organisation -------------------------------------


def test_an_approver_cannot_change_the_organisation_they_sign_for(
    client, signoff_setup
):
    minutes, users = signoff_setup
    signatory = Signatory.objects.get(user=users["aalborg"])
    region = Organisation.objects.get(name="Region Nordjylland")
    client.force_login(users["aalborg"])

    url = reverse("wagtailsnippets_klynge_pages_signatory:edit", args=(signatory.pk,))
    response = client.post(
        url,
        {"user": users["aalborg"].pk, "name": "Aalborg", "organisation": region.pk},
    )

    assert_denied(response)
    signatory.refresh_from_db()
    assert signatory.organisation.name == "Aalborg Kommune"
    # Nor through the person register: the form has no account field.
    person_form = client.get(reverse("wagtailsnippets_klynge_pages_person:add"))
    assert 'name="user"' not in person_form.text
    assert "sekretaer" not in person_form.text


def test_the_secretariat_changes_signatories_and_old_signoffs_keep_theirs(
    client, signoff_setup
):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    for role in ("aalborg", "jammerbugt", "region"):
        act(client, users[role], minutes, "approve")
    signatory = Signatory.objects.get(user=users["aalborg"])
    jammerbugt = Organisation.objects.get(name="Jammerbugt Kommune")
    client.force_login(users["secretary"])

    client.post(
        reverse("wagtailsnippets_klynge_pages_signatory:edit", args=(signatory.pk,)),
        {"user": users["aalborg"].pk, "name": "Aalborg", "organisation": jammerbugt.pk},
    )
    Organisation.objects.filter(name="Aalborg Kommune").update(
        name="Aalborg Kommune (omdøbt)"
    )

    signatory.refresh_from_db()
    assert signatory.organisation == jammerbugt
    assert "Godkendt af Aalborg (Aalborg Kommune)" in public_html(client, minutes)


def test_an_approver_without_a_signatory_is_told_why(client, signoff_setup):
    minutes, users = signoff_setup
    Signatory.objects.filter(user=users["region"]).delete()
    to_signoff(client, minutes, users)
    client.force_login(users["region"])

    screen = client.get(reverse("klynge_pages_signoff_approve", args=(minutes.pk,)))

    assert "Din bruger er ikke knyttet til en medlemsorganisation" in screen.text
    assert 'value="approve"' not in screen.text
    assert_denied(act(client, users["region"], minutes, "approve"))


# --- the approval screen ---------------------------------------------------


def test_the_approval_screen_says_what_is_signed_and_names_its_button(
    client, signoff_setup
):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    client.force_login(users["aalborg"])
    url = reverse("klynge_pages_signoff_approve", args=(minutes.pk,))

    screen = client.get(url).text
    assert "Du godkender for Aalborg Kommune." in screen
    assert (
        "Mangler: Aalborg Kommune, Jammerbugt Kommune og Region Nordjylland" in screen
    )
    task_state = current_task_state(minutes)
    short = signoff.short_digest(task_state.revision.as_object().digest())
    assert short in screen
    assert "Godkend for Aalborg Kommune" in screen

    response = client.post(url, {"action": "approve", "comment": ""}, follow=True)
    assert (
        "Godkendt for Aalborg Kommune – mangler Jammerbugt Kommune og "
        "Region Nordjylland." in response.text
    )

    act(client, users["jammerbugt"], minutes, "approve")
    client.force_login(users["region"])
    assert "Godkend og udgiv" in client.get(url).text
    done = client.post(url, {"action": "approve"}, follow=True)
    assert "referatet er udgivet" in done.text
    assert is_live(minutes)


def test_minutes_leave_the_queue_of_those_who_signed(client, signoff_setup):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    task = current_task_state(minutes).task.specific

    act(client, users["aalborg"], minutes, "approve")

    assert not task.get_task_states_user_can_moderate(users["aalborg"]).exists()
    assert task.get_task_states_user_can_moderate(users["region"]).count() == 1


def test_the_dashboard_action_lands_on_a_message_that_says_what_happened(
    client, signoff_setup
):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)

    response = act(client, users["aalborg"], minutes, "approve")
    landed = client.get(response["Location"], follow=True)

    assert "Godkendt for Aalborg Kommune – mangler" in landed.text


def test_after_a_rejection_and_a_change_the_secretariat_reviews_again(
    client, signoff_setup
):
    minutes, users = signoff_setup
    to_signoff(client, minutes, users)
    act(client, users["aalborg"], minutes, "reject", comment="Ret punkt 1.")
    page = MinutesPage.objects.get(pk=minutes.pk)
    with_first_decision(page, "<p>Rettet efter afvisning.</p>")
    page.save_revision(user=users["editor"])

    page.current_workflow_state.resume(users["editor"])

    assert current_task_state(minutes).task.name == "Sekretariatets gennemsyn"
    act(client, users["secretary"], minutes, "approve")
    assert current_task_state(minutes).task.name == "Klyngens godkendelse"
    for role in ("aalborg", "jammerbugt", "region"):
        act(client, users[role], minutes, "approve")
    assert "Rettet efter afvisning." in public_html(client, minutes)


# --- what editors may not do to approved minutes ---------------------------


def approved(client, minutes, users):
    to_signoff(client, minutes, users)
    for role in ("aalborg", "jammerbugt", "region"):
        act(client, users[role], minutes, "approve")
    return MinutesPage.objects.get(pk=minutes.pk)


@pytest.mark.parametrize("target", ["minutes", "meeting"])
def test_an_editor_cannot_hide_approved_minutes_with_privacy(
    client, signoff_setup, target
):
    minutes, users = signoff_setup
    page = approved(client, minutes, users)
    target_page = page if target == "minutes" else page.get_parent()
    client.force_login(users["editor"])

    client.post(
        reverse("wagtailadmin_pages:set_privacy", args=(target_page.pk,)),
        {"restriction_type": "login"},
    )

    assert not PageViewRestriction.objects.exists()
    assert "Godkendt af" in public_html(client, minutes)
    assert (
        client.get(
            reverse("klynge_exports:minutes_pdf", args=(minutes.pk,))
        ).status_code
        == 200
    )


def test_an_editor_cannot_let_approved_minutes_expire(client, signoff_setup):
    minutes, users = signoff_setup
    page = approved(client, minutes, users)
    meeting = page.get_parent().specific
    client.force_login(users["editor"])

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(meeting.pk,)),
        meeting_form(
            meeting.slug, meeting.title, expire_at="2020-01-01 00:00", **PUBLISH
        ),
    )

    assert "kan ikke sættes til at udløbe" in response.text
    assert MeetingPage.objects.get(pk=meeting.pk).expire_at is None
