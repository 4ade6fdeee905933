"""The Danish editor's guide, in the admin's "Hjælp" menu: how to create a
meeting, write the minutes, send them to sign-off and sign them off, and
what the deadline report's words mean. It ships with the app as a template,
in place of Wagtail's English user guide on wagtail.org."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .deadlines import Badge, Status
from .models import DeadlineReminder

# The name of the menu item (Wagtail remembers dismissed items by name).
GUIDE_MENU_NAME = "klynge-redaktoervejledning"


class EditorsGuideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "klynge_editorial/guide.html"
    page_title = _("Redaktørvejledning")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["badges"] = [Badge(status) for status in Status.ORDER]
        context["reminder_stages"] = DeadlineReminder.Stage
        return context


editors_guide_view = EditorsGuideView.as_view()
