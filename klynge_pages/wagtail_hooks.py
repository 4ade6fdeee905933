from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from . import approval, submission
from .attachment_upload import upload_attachments_view
from .cluster_members import cluster_members_view
from .importing.views import clusters_for, import_minutes_view
from .meeting_listing import MeetingListingViewSet
from .models import (
    ClusterPage,
    Location,
    MeetingPage,
    MinutesPage,
    Organisation,
    Person,
    Signatory,
)
from .next_meeting import may_create_next, next_meeting_view
from .permissions import ClusterRegisterPolicy

# Before any view asks for them (Wagtail falls back to model permissions).
register_permission_policy(Person, ClusterRegisterPolicy(Person))
register_permission_policy(Location, ClusterRegisterPolicy(Location))


class ClusterRegisterEditView(EditView):
    """Changing a person or place is checked on the record itself: a
    cluster's groups change their own cluster's only (ClusterRegisterPolicy)."""

    def user_has_permission(self, permission):
        if permission in ("change", "delete") and getattr(self, "object", None):
            return self.user_has_permission_for_instance(permission, self.object)
        return super().user_has_permission(permission)


class ClusterRegisterIndexView(IndexView):
    def get_edit_url(self, instance):
        if self.user_has_permission_for_instance("change", instance):
            return super().get_edit_url(instance)
        return None


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
    list_display = ["name", "title", "organisation", "cluster"]
    list_filter = ["organisation", "cluster"]
    search_fields = ["name", "title"]
    index_view_class = ClusterRegisterIndexView
    edit_view_class = ClusterRegisterEditView


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    menu_label = _("Mødesteder")
    list_display = ["name", "address", "cluster"]
    list_filter = ["cluster"]
    search_fields = ["name", "address"]
    index_view_class = ClusterRegisterIndexView
    edit_view_class = ClusterRegisterEditView


class SignatoryViewSet(SnippetViewSet):
    """Who signs minutes off for which organisation: the secretariat's (only
    its group holds the permissions)."""

    model = Signatory
    icon = "key"
    menu_label = _("Underskriftsret")
    list_display = ["name", "organisation", "user"]
    list_filter = ["organisation"]
    search_fields = ["name"]


class KlyngeViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, PersonViewSet, LocationViewSet, SignatoryViewSet)
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
        return submission.land_after_submission(request, page)


# After a submission the editor lands where the page's status shows, not on
# its locked edit view (klynge_pages.submission).


@hooks.register("after_edit_page")
def land_after_submission(request, page):
    if submission.sent_to_workflow(request, page):
        return submission.land_after_submission(request, page)
    return None


@hooks.register("construct_page_action_menu")
def the_lock_before_cancelling_the_workflow(menu_items, request, context):
    submission.lock_first(menu_items, context)


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


# "Tilføj klyngens medlemmer" on a meeting's participants panel
# (klynge_pages.cluster_members).


@hooks.register("register_admin_urls")
def register_cluster_members_url():
    return [
        path(
            "klynger/<int:cluster_id>/medlemmer/",
            cluster_members_view,
            name="klynge_pages_cluster_members",
        )
    ]


# "Opret næste møde" (klynge_pages.next_meeting): on a meeting's header and
# in the page listings' "more" menu.


@hooks.register("register_admin_viewset")
def register_meeting_listing():
    return MeetingListingViewSet()


@hooks.register("register_admin_urls")
def register_next_meeting_url():
    return [
        path(
            "klynger/moede/<int:page_id>/naeste/",
            next_meeting_view,
            name="klynge_pages_next_meeting",
        )
    ]


def next_meeting_button(page, user, priority):
    if isinstance(page.specific_deferred, MeetingPage) and may_create_next(
        user, page.specific
    ):
        yield Button(
            _("Opret næste møde"),
            reverse("klynge_pages_next_meeting", args=(page.pk,)),
            icon_name="copy",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def next_meeting_header_button(page, user, view_name, next_url=None):
    yield from next_meeting_button(page, user, priority=25)


@hooks.register("register_page_listing_more_buttons")
def next_meeting_listing_button(page, user, next_url=None):
    yield from next_meeting_button(page, user, priority=15)


# Attachments dropped onto an agenda item in the meeting editor
# (klynge_pages.attachment_upload, panels.AttachmentsPanel).


@hooks.register("register_admin_urls")
def register_attachment_upload_url():
    return [
        path(
            "klynger/moede/<int:page_id>/bilag/",
            upload_attachments_view,
            name="klynge_pages_attachment_upload",
        )
    ]


# Signing minutes off (klynge_pages.approval): the approval screen, the
# receipt after an action from the dashboard, and the secretariat's record of
# approved versions.


@hooks.register("register_admin_urls")
def register_signoff_urls():
    return [
        path(
            "klynger/referat/<int:page_id>/godkendelse/",
            approval.approve_view,
            name="klynge_pages_signoff_approve",
        ),
        path(
            "klynger/referat/<int:page_id>/godkendelse/<int:task_state_id>/",
            approval.receipt_view,
            name="klynge_pages_signoff_receipt",
        ),
        path(
            "klynger/referat/<int:page_id>/godkendte-versioner/",
            approval.history_view,
            name="klynge_pages_signoff_history",
        ),
    ]


@hooks.register("register_page_header_buttons")
def signoff_buttons(page, user, view_name, next_url=None):
    if not isinstance(page.specific_deferred, MinutesPage):
        return
    task = page.current_workflow_task
    if task is not None and task.get_actions(page, user):
        yield Button(
            _("Godkend eller afvis"),
            reverse("klynge_pages_signoff_approve", args=(page.pk,)),
            icon_name="tick",
            priority=10,
        )
    if page.permissions_for_user(user).publishes_above_cluster():
        yield Button(
            _("Godkendte versioner"),
            reverse("klynge_pages_signoff_history", args=(page.pk,)),
            icon_name="history",
            priority=45,
        )


@hooks.register("insert_editor_js")
def autosave_status_js():
    """The footer's autosave message follows the header's indicator (see the
    script)."""
    return format_html(
        '<script src="{}"></script>', static("klynge_pages/js/autosave-status.js")
    )
