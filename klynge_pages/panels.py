"""Panels of the page editor that Wagtail does not have."""

from django.urls import reverse
from wagtail.admin.panels import InlinePanel
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from .conf import klynge_settings
from .permissions import may_invite_members


class ParticipantsPanel(InlinePanel):
    """The meeting's participants, with "Tilføj klyngens medlemmer" next to
    the add button when the meeting's cluster is known."""

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "klynge_pages/panels/participants_panel.html"

        def cluster(self):
            form = self.form
            parent = getattr(form, "parent_page", None)
            if parent is None and self.instance is not None and self.instance.pk:
                parent = self.instance.get_parent()
            parent = parent.specific if parent is not None else None
            # Duck-typed: models/pages.py imports this module.
            return parent if hasattr(parent, "memberships") else None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            cluster = self.cluster()
            if cluster is not None and self.request is not None:
                if may_invite_members(self.request.user, cluster):
                    context["members_url"] = reverse(
                        "klynge_pages_cluster_members", args=(cluster.pk,)
                    )
            return context


def upload_target(request):
    """The page the attachment upload goes to from the editor open in
    `request`: the meeting being edited, or the cluster a new meeting is
    being created in (see attachment_upload.py); None elsewhere."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in {"edit", "add", "revisions_revert"}:
        return None
    return match.kwargs.get("page_id") or match.kwargs.get("parent_page_id")


class AttachmentsPanel(InlinePanel):
    """The attachments of an agenda item, with a drop zone (and a "Vælg
    filer" button) that uploads several files at once into the cluster's
    collection and adds a numbered row for each (attachment_upload.py)."""

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "klynge_pages/panels/attachments_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            target = upload_target(self.request)
            policy = policy_registry.get_by_type(get_document_model())
            if target is not None and policy.user_has_permission(
                self.request.user, "add"
            ):
                context["upload_url"] = reverse(
                    "klynge_pages_attachment_upload", args=(target,)
                )
                context["max_files"] = klynge_settings.ATTACHMENT_UPLOAD_MAX_FILES
            return context
