from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from .components import DeadlinesPanel
from .deadlines import DeadlineKind, has_desk
from .guide import GUIDE_MENU_NAME, editors_guide_view
from .reminders import REMINDER_LOG_ACTION
from .views import DeadlineReportView, ReminderLogView, SendReminderView


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [
        path(
            "frister/", DeadlineReportView.as_view(), name="klynge_editorial_deadlines"
        ),
        path(
            "frister/results/",
            DeadlineReportView.as_view(results_only=True),
            name="klynge_editorial_deadlines_results",
        ),
        path(
            "frister/paamindelse/<int:meeting_id>/<str:kind>/",
            SendReminderView.as_view(),
            name="klynge_editorial_send_reminder",
        ),
        path(
            "frister/paamindelser/",
            ReminderLogView.as_view(),
            name="klynge_editorial_reminders",
        ),
        path(
            "frister/paamindelser/results/",
            ReminderLogView.as_view(results_only=True),
            name="klynge_editorial_reminders_results",
        ),
        path("vejledning/", editors_guide_view, name="klynge_editorial_guide"),
    ]


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return has_desk(request.user)


@hooks.register("register_reports_menu_item")
def register_deadline_report_menu_item():
    return DeskMenuItem(
        _("Frister"),
        reverse("klynge_editorial_deadlines"),
        name="frister",
        icon_name="date",
        order=50,
    )


@hooks.register("register_reports_menu_item")
def register_reminder_log_menu_item():
    return DeskMenuItem(
        _("Påmindelser"),
        reverse("klynge_editorial_reminders"),
        name="paamindelser",
        icon_name="mail",
        order=51,
    )


@hooks.register("construct_homepage_panels")
def add_deadlines_panel(request, panels):
    panel = DeadlinesPanel(request.user)
    if panel.rows:
        panels.append(panel)


@hooks.register("construct_homepage_panels")
def remove_wagtails_english_guide_banner(request, panels):
    # "What's new in Wagtail" links to Wagtail's English guide (see below).
    panels[:] = [
        panel
        for panel in panels
        if getattr(panel, "name", "") != "whats_new_in_wagtail_version"
    ]


@hooks.register("insert_global_admin_css")
def desk_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("klynge_editorial/css/desk.css")
    )


@hooks.register("register_log_actions")
def register_reminder_log_action(actions):
    @actions.register_action(REMINDER_LOG_ACTION)
    class ReminderFormatter(LogFormatter):
        label = _("Påmindelse om frist sendt")

        def format_message(self, log_entry):
            data = log_entry.data
            kind = DeadlineKind.LABELS.get(data.get("kind"), "")
            return _("Påmindelse om %(kind)s sendt til %(recipients)s") % {
                "kind": str(kind).lower(),
                "recipients": ", ".join(data.get("recipients", [])),
            }


# --- Help: the Danish editor's guide in place of Wagtail's English links -------


@hooks.register("register_help_menu_item")
def register_editors_guide_menu_item():
    return MenuItem(
        _("Redaktørvejledning"),
        reverse("klynge_editorial_guide"),
        name=GUIDE_MENU_NAME,
        icon_name="help",
        order=900,
    )


# Wagtail's help menu links to its English user guide and release notes on
# wagtail.org; editors here read Danish.
WAGTAIL_ENGLISH_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def remove_wagtails_english_help(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if not item.name.startswith(WAGTAIL_ENGLISH_HELP_ITEMS)
    ]
