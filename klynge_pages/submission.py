"""What an editor sees after sending minutes or an agenda to their workflow.

Once sent, the page is locked (minutes for everyone, signoff.SignOffLock; an
agenda for all but the reviewers, Wagtail's WorkflowLock), so the editor has
nothing left to do on its edit view. Every submission, from the create view
or the edit view, first or again after changes were asked for, lands on the
listing of the page's parent, where the page shows its status, with a message
that says where the page is and what happens next. On the locked edit view
the primary action is the lock itself, not "Annullér arbejdsgang".
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages as admin_messages
from wagtail.admin.action_menu import PageLockedMenuItem
from wagtail.admin.utils import get_valid_next_url_from_request

from .models import MeetingPage, MinutesPage

SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


def fresh(page):
    """`page` as the database has it now: the edit view's copy carries the
    workflow states read before the submission."""
    return page.specific_class.objects.get(pk=page.pk)


def sent_to_workflow(request, page):
    """Whether this request sent `page` to its workflow, and it is there."""
    return (
        request.method == "POST"
        and any(request.POST.get(action) for action in SUBMIT_ACTIONS)
        and fresh(page).workflow_in_progress
    )


def submitted_message(page):
    page = fresh(page)
    state = page.current_workflow_state
    task = page.current_workflow_task
    values = {
        "title": page.get_admin_display_title(),
        "workflow": state.workflow.name if state else "",
        "task": task.name if task else "",
    }
    if isinstance(page, MinutesPage):
        return (
            _(
                "Referatet „%(title)s“ er sendt til %(workflow)s og afventer nu "
                "„%(task)s“. Det er låst, mens det godkendes, og kommer på "
                "hjemmesiden, når godkendelsen er afsluttet. Bliver der bedt om "
                "rettelser, får du referatet tilbage med en kommentar."
            )
            % values
        )
    if isinstance(page, MeetingPage):
        return (
            _(
                "Mødet „%(title)s“ er sendt til %(workflow)s og afventer nu "
                "„%(task)s“. Hjemmesiden viser mødet, som det var, indtil "
                "dagsordenen er godkendt; bliver der bedt om rettelser, får du "
                "mødet tilbage med en kommentar."
            )
            % values
        )
    return _("„%(title)s“ er sendt til %(workflow)s og afventer nu „%(task)s“.") % (
        values
    )


def land_after_submission(request, page):
    """The response after `page` was sent to its workflow: Wagtail's own
    confirmation replaced by ours (with a link to the draft), and a redirect
    to where the editor was going (`next`) or else to the parent's listing,
    never back to the page's locked edit view."""
    storage = messages.get_messages(request)
    kept = [message for message in storage if message.level != messages.SUCCESS]
    for message in kept:
        storage.add(message.level, message.message, message.extra_tags)
    admin_messages.success(
        request,
        submitted_message(page),
        buttons=[
            admin_messages.button(
                reverse("wagtailadmin_pages:view_draft", args=(page.pk,)),
                _("Vis kladde"),
                new_window=False,
            )
        ],
    )
    next_url = get_valid_next_url_from_request(request)
    own_edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    if next_url and not next_url.startswith(own_edit_url):
        return redirect(next_url)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


def lock_first(menu_items, context):
    """On the edit view of a page locked in its workflow, the lock is the
    primary action and "Annullér arbejdsgang" waits in the menu: cancelling
    the round is the one thing left to do there, and never the default."""
    if context.get("view") != "edit" or not context.get("locked_for_user"):
        return
    page = context.get("page")
    if page is None or not page.workflow_in_progress:
        return
    locked = [item for item in menu_items if isinstance(item, PageLockedMenuItem)]
    if not locked or menu_items[0] is locked[0]:
        return
    menu_items.remove(locked[0])
    menu_items.insert(0, locked[0])
