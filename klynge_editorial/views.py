"""The full deadline report in the admin ("Rapporter → Frister"), with
filters and Wagtail's CSV/XLSX export."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView

from klynge_pages.models import ClusterPage

from .deadlines import RowState, build_overview, visible_clusters


class DeadlineFilterSet(WagtailFilterSet):
    cluster = django_filters.ModelChoiceFilter(
        label=_("Klynge"),
        empty_label=_("Alle klynger"),
        method="filter_cluster",
        queryset=lambda request: visible_clusters(request.user).order_by("title"),
    )
    # The state of a row is computed, not stored: the view filters the rows.
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        empty_label=_("Alle"),
        choices=RowState.CHOICES,
        method="filter_state",
    )

    class Meta:
        model = ClusterPage
        fields = []

    def filter_cluster(self, queryset, name, value):
        return queryset.filter(pk=value.pk)

    def filter_state(self, queryset, name, value):
        return queryset


class DeadlineReportView(ReportView):
    page_title = _("Frister")
    header_icon = "date"
    results_template_name = "klynge_editorial/reports/deadlines_results.html"
    index_url_name = "klynge_editorial_deadlines"
    index_results_url_name = "klynge_editorial_deadlines_results"
    filterset_class = DeadlineFilterSet
    verbose_name_plural = _("klynger")
    paginate_by = 50

    list_export = [
        "cluster_title",
        "next_meeting_title",
        "next_meeting_start",
        "agenda_due",
        "agenda_state",
        "minutes_due",
        "minutes_state",
        "open_minutes_count",
        "signoff_text",
        "meetings_this_year",
        "cluster.min_meetings_per_year",
        "below_minimum_text",
        "suggested_host_name",
    ]
    export_headings = {
        "cluster_title": _("Klynge"),
        "next_meeting_title": _("Næste møde"),
        "next_meeting_start": _("Mødet starter"),
        "agenda_due": _("Frist for dagsorden"),
        "agenda_state": _("Dagsorden"),
        "minutes_due": _("Frist for referat"),
        "minutes_state": _("Referat"),
        "open_minutes_count": _("Referater, der mangler"),
        "signoff_text": _("Afventer godkendelse fra"),
        "meetings_this_year": _("Møder i år"),
        "cluster.min_meetings_per_year": _("Mindste antal møder om året"),
        "below_minimum_text": _("Under mindste antal"),
        "suggested_host_name": _("Foreslået næste vært"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not visible_clusters(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_queryset(self):
        self.queryset = visible_clusters(self.request.user)
        return super().get_queryset()

    def get_filtered_queryset(self):
        rows = build_overview(super().get_filtered_queryset(), today=self.today)
        state = None
        if self.filters and self.filters.is_valid():
            state = self.filters.form.cleaned_data.get("state")
        if state:
            rows = [row for row in rows if state in row.states]
        return rows

    def get_filename(self):
        return f"frister-{self.today:%Y-%m-%d}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["today"] = self.today
        return context
