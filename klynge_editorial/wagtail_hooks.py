from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .components import DeadlinesPanel
from .deadlines import visible_clusters
from .views import DeadlineReportView


@hooks.register("register_admin_urls")
def register_deadline_report_urls():
    view = DeadlineReportView.as_view()
    results = DeadlineReportView.as_view(results_only=True)
    return [
        path("frister/", view, name="klynge_editorial_deadlines"),
        path("frister/results/", results, name="klynge_editorial_deadlines_results"),
    ]


class DeadlinesMenuItem(MenuItem):
    def is_shown(self, request):
        return visible_clusters(request.user).exists()


@hooks.register("register_reports_menu_item")
def register_deadline_report_menu_item():
    return DeadlinesMenuItem(
        _("Frister"),
        reverse("klynge_editorial_deadlines"),
        name="frister",
        icon_name="date",
        order=50,
    )


@hooks.register("construct_homepage_panels")
def add_deadlines_panel(request, panels):
    panel = DeadlinesPanel(request.user)
    if panel.rows:
        panels.append(panel)
