"""The deadline panel on the admin's dashboard."""

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .deadlines import overview_for_user

PANEL_ROWS = 5


class DeadlinesPanel(Component):
    name = "klynge_deadlines"
    template_name = "klynge_editorial/panels/deadlines_panel.html"
    order = 50

    def __init__(self, user, today=None):
        self.today = today or timezone.localdate()
        self.rows = overview_for_user(user, today=self.today)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        urgent = [row for row in self.rows if row.needs_attention]
        context.update(
            rows=urgent[:PANEL_ROWS],
            more=max(len(urgent) - PANEL_ROWS, 0),
            clusters=len(self.rows),
            today=self.today,
            report_url=reverse("klynge_editorial_deadlines"),
        )
        return context
