from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .importing.views import clusters_for, import_minutes_view
from .models import ClusterPage, Location, MinutesPage, Organisation, Person


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisationer")
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("Personer")
    list_display = ["name", "title", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "title"]


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    menu_label = _("Mødesteder")
    list_display = ["name", "address"]
    search_fields = ["name", "address"]


class KlyngeViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, PersonViewSet, LocationViewSet)
    menu_icon = "group"
    menu_label = _("Klyngeregister")
    menu_name = "klyngeregister"


register_snippet(KlyngeViewSetGroup)


@hooks.register("register_log_actions")
def register_signoff_log_action(actions):
    @actions.register_action("klynge_pages.sign_off")
    class SignOffFormatter(LogFormatter):
        label = _("Referat: godkendt for en organisation")

        def format_message(self, log_entry):
            organisation = log_entry.data.get("organisation")
            if organisation:
                return _("Godkendt for %(organisation)s") % {
                    "organisation": organisation
                }
            return _("Godkendt")

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")


@hooks.register("register_log_actions")
def register_publish_override_log_action(actions):
    actions.register_action(
        "klynge_pages.publish_override",
        _("Referat udgivet uden om godkendelsen"),
        _("Referatet blev udgivet af en superbruger uden om referatgodkendelsen"),
    )


# New minutes are submitted from the create view like any page with a
# workflow. Wagtail decides that by the parent's workflow, and the meeting's
# (the agenda's) is another or none; the minutes' is "Referatgodkendelse".


def _creating_minutes(request, context):
    match = getattr(request, "resolver_match", None)
    return (
        context.get("view") == "create"
        and match is not None
        and match.kwargs.get("content_type_app_name") == "klynge_pages"
        and match.kwargs.get("content_type_model_name") == "minutespage"
    )


class SubmitNewMinutesMenuItem(SubmitForModerationMenuItem):
    def is_shown(self, context):
        return True

    def get_context_data(self, parent_context):
        context = super(SubmitForModerationMenuItem, self).get_context_data(
            parent_context
        )
        context["label"] = _("Send til %(workflow_name)s") % {
            "workflow_name": self.workflow.name
        }
        return context


@hooks.register("construct_page_action_menu")
def submit_new_minutes_to_their_workflow(menu_items, request, context):
    if not _creating_minutes(request, context):
        return
    workflow = MinutesPage().get_workflow()
    menu_items[:] = [item for item in menu_items if item.name != "action-submit"]
    if workflow is not None:
        item = SubmitNewMinutesMenuItem(order=100)
        item.workflow = workflow
        menu_items.append(item)


@hooks.register("after_create_page")
def start_the_workflow_of_new_minutes(request, page):
    if not request.POST.get("action-submit") or not isinstance(
        page.specific, MinutesPage
    ):
        return
    page = page.specific
    workflow = page.get_workflow()
    if workflow is not None and not page.workflow_in_progress:
        workflow.start(page, request.user)


# Importing minutes (klynge_pages.importing): an upload form in the admin,
# reached from the menu and from a cluster's page header.


@hooks.register("register_admin_urls")
def register_import_minutes_url():
    return [
        path(
            "klynger/importer-referat/",
            import_minutes_view,
            name="klynge_pages_import_minutes",
        )
    ]


class ImportMinutesMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(clusters_for(request.user))


@hooks.register("register_admin_menu_item")
def register_import_minutes_menu_item():
    return ImportMinutesMenuItem(
        _("Importér referat"),
        reverse("klynge_pages_import_minutes"),
        icon_name="upload",
        order=260,
    )


@hooks.register("register_page_header_buttons")
def import_minutes_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, ClusterPage) and (
        page.permissions_for_user(user).can_add_subpage()
    ):
        yield Button(
            _("Importér referat"),
            reverse("klynge_pages_import_minutes") + f"?cluster={page.pk}",
            icon_name="upload",
            priority=40,
        )
