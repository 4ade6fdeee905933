"""Panels of the page editor that Wagtail does not have."""

from django.urls import reverse
from wagtail.admin.panels import InlinePanel

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
