"""The approval screen of minutes: what is being signed, for whom, what is
missing, and the buttons that do it.

Minutes in "Referatgodkendelse" are locked for everyone (signoff.py), so the
page editor shows no workflow buttons; reviewers and approvers act here, or
from the dashboard's "Afventer din gennemgang", whose modal shows the same
panel. Whatever the path, the action is the task's own `on_action`, which
enforces who may sign for what.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.models import TaskState

from . import signoff
from .models import ClusterSignOffTask, MinutesPage, MinutesSignOff
from .models.workflow import join_names, outcome_message

SECTION_NAMES = {
    "title": gettext_lazy("titlen"),
    "summary": gettext_lazy("indledningen"),
    "attendance": gettext_lazy("fremmødet"),
    "minute_taker": gettext_lazy("referenten"),
    "documents": gettext_lazy("de linkede dokumenter"),
    "meeting": gettext_lazy("mødet"),
}


def last_approved_revision(page, before=None):
    """The revision of the newest completed round, other than `before`."""
    approvals = MinutesSignOff.objects.filter(
        page=page, task_state__status=TaskState.STATUS_APPROVED
    ).exclude(revision=None)
    if before is not None:
        approvals = approvals.exclude(revision=before)
    latest = approvals.select_related("revision").order_by("-approved_at").first()
    return latest.revision if latest else None


def changed_sections(old, new):
    """In words, what differs between two public records."""
    changes = []
    old_items = {d["item"]: d for d in old["decisions"]}
    new_items = {d["item"]: d for d in new["decisions"]}
    for key, label in SECTION_NAMES.items():
        if old.get(key) != new.get(key):
            changes.append(label)
    for item, decision in new_items.items():
        before = old_items.get(item)
        if before != decision:
            changes.append(
                _("punkt %(number)s") % {"number": decision["number"] or "?"}
            )
    removed = [d for item, d in old_items.items() if item not in new_items]
    for decision in removed:
        changes.append(
            _("punkt %(number)s (fjernet)") % {"number": decision["number"] or "?"}
        )
    return changes


def panel(page, user):
    """Everything the approval screen says to `user` about `page`; None when
    the minutes await nobody."""
    task_state = page.current_workflow_task_state
    if task_state is None:
        return None
    task = task_state.task.specific
    revision = task_state.revision
    record = revision.as_object().public_record()
    digest = signoff.digest_of(record)
    context = {
        "page": page,
        "task": task,
        "task_state": task_state,
        "revision": revision,
        "digest": digest,
        "short_digest": signoff.short_digest(digest),
        "preview_url": reverse(
            "wagtailadmin_pages:workflow_preview", args=(page.pk, task.pk)
        ),
        "actions": distinct_actions(task.get_actions(page, user)),
        "signoff_task": isinstance(task, ClusterSignOffTask),
    }
    previous = last_approved_revision(page, before=revision)
    if previous is not None:
        context["previous"] = previous
        context["compare_url"] = reverse(
            "wagtailadmin_pages:revisions_compare",
            args=(page.pk, previous.pk, revision.pk),
        )
        context["changes"] = changed_sections(
            previous.as_object().public_record(), record
        )
    if context["signoff_task"]:
        cluster = task.cluster_of(page)
        organisation = task.organisation_of(user)
        pending = task.pending_organisations(task_state, cluster)
        context.update(
            cluster=cluster,
            organisation=organisation,
            per_organisation=bool(task.required_organisations(cluster)),
            pending=join_names(o.name for o in pending),
            approvals=task.approvals(task_state).order_by("approved_at"),
            refusal=task.refusal(page, user),
        )
    elif not context["actions"]:
        context["refusal"] = _(
            "Referatet afventer %(task)s. Du kan ikke godkende dette trin."
        ) % {"task": task.name}
    return context


def distinct_actions(actions):
    """One button per action: where Wagtail offers two (“Godkend”, “Godkend
    med kommentar”), the plain one, since the screen always has a comment
    field."""
    labels = {}
    for name, label, modal in actions:
        if name not in labels or not modal:
            labels[name] = label
    return list(labels.items())


def _minutes(page_id):
    page = get_object_or_404(MinutesPage, pk=page_id)
    return page


@require_http_methods(["GET", "POST"])
def approve_view(request, page_id):
    page = _minutes(page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    context = panel(page, request.user)
    if context is None:
        messages.error(request, _("Referatet afventer ikke godkendelse."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in dict(context["actions"]):
            raise PermissionDenied
        task_state = context["task_state"]
        comment = request.POST.get("comment", "").strip()[:5000]
        context["task"].on_action(task_state, request.user, action, comment=comment)
        messages.success(request, outcome_message(page, task_state, request.user))
        return redirect("wagtailadmin_home")
    return TemplateResponse(request, "klynge_pages/signoff/approve.html", context)


def receipt_view(request, page_id, task_state_id):
    """Where an action from the dashboard lands: says what it did."""
    page = _minutes(page_id)
    task_state = get_object_or_404(
        TaskState, pk=task_state_id, workflow_state__object_id=str(page.pk)
    )
    if not (
        task_state.finished_by_id == request.user.pk
        or MinutesSignOff.objects.filter(task_state=task_state, user=request.user)
    ):
        raise Http404
    messages.success(request, outcome_message(page, task_state, request.user))
    return redirect("wagtailadmin_home")


def history_view(request, page_id):
    """Every approved version of the minutes, with its approvals and digest:
    the secretariat's record."""
    page = _minutes(page_id)
    if not page.permissions_for_user(request.user).publishes_above_cluster():
        raise PermissionDenied
    rounds = {}
    for approval in (
        MinutesSignOff.objects.filter(page=page)
        .select_related("revision", "task_state")
        .order_by("approved_at", "pk")
    ):
        round_ = rounds.setdefault(
            approval.task_state_id,
            {
                "revision": approval.revision,
                "digest": approval.digest,
                "short_digest": approval.short_digest,
                "status": approval.task_state.status if approval.task_state else "",
                "approvals": [],
            },
        )
        round_["approvals"].append(approval)
    rounds = sorted(
        rounds.values(),
        key=lambda r: r["approvals"][-1].approved_at,
        reverse=True,
    )
    return TemplateResponse(
        request,
        "klynge_pages/signoff/history.html",
        {
            "page": page,
            "rounds": rounds,
            "live_revision_id": page.live_revision_id,
            "approved": TaskState.STATUS_APPROVED,
        },
    )
