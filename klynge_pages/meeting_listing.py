"""“Møder” in the admin's menu: every meeting the user may work on, newest
meeting date first, with the date, the cluster, where the meeting stands
and its next deadline. Wagtail's flat page listing (PageListingViewSet),
which lists only the pages the user may explore: an editor sees their own
clusters' meetings, nobody's drafts of another cluster."""

from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import WorkflowState

from . import rules
from .dates import danish_datetime, danish_day
from .models import MeetingPage, MinutesPage


def meeting_status(meeting):
    """Where the meeting stands, in the listing's words."""
    if meeting.cancelled:
        return _("Aflyst")
    if meeting.minutes_live:
        return _("Referat udgivet")
    if meeting.minutes_in_signoff:
        return _("Referat afventer godkendelse")
    if meeting.live:
        return _("Dagsorden udgivet")
    return _("Kladde")


def next_deadline(meeting):
    """The agenda's deadline until it is out, then the minutes' until they
    are; nothing once both are, or for a cancelled meeting."""
    if meeting.cancelled or meeting.minutes_live:
        return ""
    if not meeting.live:
        due, label = meeting.agenda_due, _("Dagsorden")
    else:
        due, label = meeting.minutes_due, _("Referat")
    state = rules.deadline_state(due)
    return f"{label} {danish_day(due)} ({state.label.lower()})"


class MeetingIndexView(IndexView):
    default_ordering = "-start"

    def annotate_queryset(self, pages):
        # The minutes below each meeting, and their workflow (object_id is
        # the page's id as text).
        minutes = MinutesPage.objects.filter(path__startswith=OuterRef("path"))
        in_signoff = WorkflowState.objects.filter(
            object_id=Cast(OuterRef("pk"), CharField()),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        return (
            super()
            .annotate_queryset(pages)
            .annotate(
                minutes_live=Exists(minutes.filter(live=True)),
                minutes_in_signoff=Exists(minutes.filter(Exists(in_signoff))),
            )
        )


class MeetingListingViewSet(PageListingViewSet):
    model = MeetingPage
    index_view_class = MeetingIndexView
    icon = "date"
    menu_label = _("Møder")
    menu_order = 255
    add_to_admin_menu = True
    name = "klynge_meetings"
    url_prefix = "klynger/moeder"
    columns = [
        *[c for c in PageListingViewSet.columns if c.name in ("title", "parent")],
        Column(
            "start",
            label=_("Mødedato"),
            accessor=lambda meeting: danish_datetime(meeting.start),
            sort_key="start",
        ),
        Column("meeting_status", label=_("Status"), accessor=meeting_status),
        Column("deadline", label=_("Næste frist"), accessor=next_deadline),
    ]
