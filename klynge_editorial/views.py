"""The secretariat's desk in the admin: the deadline report ("Rapporter →
Frister") with its filters and exports, "Send påmindelse", and the log of
the reminders sent ("Rapporter → Påmindelser")."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from klynge_pages.models import ClusterPage, MeetingPage

from . import reminders
from .deadlines import (
    Badge,
    DeadlineKind,
    Status,
    build_overview,
    has_desk,
    visible_clusters,
)
from .models import DeadlineReminder
from .spreadsheets import DanishSpreadsheetExportMixin


def _visible_clusters_choice(request):
    return visible_clusters(request.user).order_by("title")


class DeadlineFilterSet(WagtailFilterSet):
    # Radio buttons, as Wagtail's own filters: a <select> does not fit the
    # filter menu.
    cluster = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Klynge"),
        empty_label=gettext_lazy("Alle klynger"),
        method="filter_cluster",
        queryset=_visible_clusters_choice,
        widget=forms.RadioSelect,
    )
    # The state of a row is computed, not stored: the view filters the rows.
    # The choices are the words of the badges (Status), nothing else.
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        empty_label=gettext_lazy("Alle"),
        choices=Status.CHOICES,
        method="filter_state",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ClusterPage
        fields = []

    def filter_cluster(self, queryset, name, value):
        return queryset.filter(pk=value.pk)

    def filter_state(self, queryset, name, value):
        return queryset


class DeadlineReportView(DanishSpreadsheetExportMixin, ReportView):
    page_title = gettext_lazy("Frister")
    header_icon = "date"
    results_template_name = "klynge_editorial/reports/deadlines_results.html"
    index_url_name = "klynge_editorial_deadlines"
    index_results_url_name = "klynge_editorial_deadlines_results"
    filterset_class = DeadlineFilterSet
    verbose_name_plural = gettext_lazy("klynger")
    paginate_by = 50

    list_export = [
        "cluster_title",
        "states_text",
        "next_meeting_title",
        "next_meeting_start",
        "agenda_due",
        "agenda_state",
        "minutes_due",
        "minutes_state",
        "open_minutes_count",
        "signoff_text",
        "meetings_this_year",
        "min_meetings_text",
        "below_minimum_text",
        "suggested_host_name",
        "editor_emails_text",
    ]
    export_headings = {
        "cluster_title": gettext_lazy("Klynge"),
        "states_text": gettext_lazy("Status"),
        "next_meeting_title": gettext_lazy("Næste møde"),
        "next_meeting_start": gettext_lazy("Mødet starter"),
        "agenda_due": gettext_lazy("Frist for dagsorden"),
        "agenda_state": gettext_lazy("Dagsorden"),
        "minutes_due": gettext_lazy("Frist for referat"),
        "minutes_state": gettext_lazy("Referat"),
        "open_minutes_count": gettext_lazy("Referater, der mangler"),
        "signoff_text": gettext_lazy("Afventer godkendelse fra"),
        "meetings_this_year": gettext_lazy("Møder i år"),
        "min_meetings_text": gettext_lazy("Mindste antal møder om året"),
        "below_minimum_text": gettext_lazy("For få møder"),
        "suggested_host_name": gettext_lazy("Foreslået næste vært"),
        "editor_emails_text": gettext_lazy("Redaktører med e-mail"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not has_desk(request.user):
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

    def decorate_paginated_queryset(self, object_list):
        senders = set(
            reminders.clusters_for_sender(self.request.user).values_list(
                "pk", flat=True
            )
        )
        for row in object_list:
            row.can_remind = row.cluster.pk in senders
        return object_list

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["today"] = self.today
        # Where "Send påmindelse" returns to: this report with its filters
        # (also when the rows came from the filters' results view).
        params = self.request.GET.copy()
        for name in ("_w_filter_fragment", "export"):
            params.pop(name, None)
        query = params.urlencode()
        context["report_url"] = self.index_url + (f"?{query}" if query else "")
        return context


# --- "Send påmindelse" ---------------------------------------------------------


class SendReminderView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm (GET) and send (POST) a reminder to a cluster's editors about
    one open deadline. Who may send for which cluster is
    `reminders.clusters_for_sender`; anyone else is refused before anything
    is read or sent."""

    template_name = "klynge_editorial/send_reminder.html"
    page_title = gettext_lazy("Send påmindelse")
    header_icon = "mail"

    def dispatch(self, request, meeting_id, kind):
        # The same refusal for a meeting that does not exist and one of
        # another cluster: the answer says nothing about other clusters.
        meeting = MeetingPage.objects.filter(pk=meeting_id).first()
        if meeting is None or kind not in DeadlineKind.LABELS:
            raise PermissionDenied
        self.meeting = meeting
        self.kind = kind
        self.reminder = reminders.manual_reminder(request.user, meeting, kind)
        return super().dispatch(request, meeting_id, kind)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("klynge_editorial_deadlines"), "label": _("Frister")},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def next_url(self):
        url = self.request.POST.get("next") or self.request.GET.get("next")
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}
        ):
            return url
        return reverse("klynge_editorial_deadlines")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reminder = self.reminder
        preview = None
        if reminder is not None and reminder.recipients:
            preview = reminders.build_messages(
                reminders.Reminder(
                    reminder.deadline,
                    reminder.stage,
                    recipients=reminder.recipients[:1],
                    sent_by=reminder.sent_by,
                )
            )[0]
        context.update(
            meeting=self.meeting,
            kind_label=DeadlineKind.LABELS[self.kind],
            reminder=reminder,
            preview=preview,
            earlier=DeadlineReminder.objects.filter(
                meeting=self.meeting, kind=self.kind
            ).select_related("sent_by")[:10],
            next_url=self.next_url,
            email_badge=Badge(Status.NO_EDITOR_EMAIL),
            log_url=reverse("klynge_editorial_reminders")
            + f"?meeting={self.meeting.pk}",
        )
        return context

    def post(self, request, *args, **kwargs):
        reminder = self.reminder
        if reminder is None:
            messages.error(
                request,
                _(
                    "Fristen er ikke åben længere (dagsordenen eller referatet er "
                    "udsendt, eller mødet er aflyst). Der er ikke sendt nogen "
                    "påmindelse."
                ),
            )
            return redirect(self.next_url)
        if not reminder.recipients:
            messages.error(
                request,
                _(
                    "%(cluster)s har ingen aktiv redaktør med en e-mailadresse. "
                    "Der er ikke sendt nogen påmindelse."
                )
                % {"cluster": reminder.cluster.title},
            )
            return redirect(self.next_url)
        try:
            reminders.send(reminder, connection=reminders.open_connection())
        except OSError as exc:  # smtplib's errors are OSErrors
            messages.error(
                request,
                _("Påmindelsen kunne ikke sendes, og intet er registreret: %(error)s")
                % {"error": exc},
            )
            return redirect(self.next_url)
        messages.success(
            request,
            _("Påmindelse sendt til %(recipients)s.")
            % {"recipients": ", ".join(user.email for user in reminder.recipients)},
        )
        return redirect(self.next_url)


# --- the reminder log ------------------------------------------------------------


def reminders_visible_to(user):
    return DeadlineReminder.objects.filter(
        cluster__in=visible_clusters(user).values("pk")
    )


class ReminderFilterSet(WagtailFilterSet):
    cluster = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Klynge"),
        empty_label=gettext_lazy("Alle klynger"),
        queryset=_visible_clusters_choice,
        widget=forms.RadioSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Frist for"),
        empty_label=gettext_lazy("Alle"),
        choices=DeadlineReminder.Kind.choices,
        widget=forms.RadioSelect,
    )
    stage = django_filters.ChoiceFilter(
        label=gettext_lazy("Påmindelse"),
        empty_label=gettext_lazy("Alle"),
        choices=DeadlineReminder.Stage.choices,
        widget=forms.RadioSelect,
    )
    meeting = django_filters.NumberFilter(widget=forms.HiddenInput)

    class Meta:
        model = DeadlineReminder
        fields = []


class ReminderLogView(DanishSpreadsheetExportMixin, ReportView):
    page_title = gettext_lazy("Påmindelser")
    header_icon = "mail"
    results_template_name = "klynge_editorial/reports/reminders_results.html"
    index_url_name = "klynge_editorial_reminders"
    index_results_url_name = "klynge_editorial_reminders_results"
    filterset_class = ReminderFilterSet
    verbose_name_plural = gettext_lazy("påmindelser")
    paginate_by = 50

    list_export = [
        "sent_at",
        "sender_name",
        "cluster.title",
        "meeting.title",
        "kind_label",
        "deadline",
        "stage_label",
        "recipients_text",
    ]
    export_headings = {
        "sent_at": gettext_lazy("Sendt"),
        "sender_name": gettext_lazy("Sendt af"),
        "cluster.title": gettext_lazy("Klynge"),
        "meeting.title": gettext_lazy("Møde"),
        "kind_label": gettext_lazy("Frist for"),
        "deadline": gettext_lazy("Frist"),
        "stage_label": gettext_lazy("Påmindelse"),
        "recipients_text": gettext_lazy("Modtagere"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not has_desk(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.queryset = reminders_visible_to(self.request.user).select_related(
            "cluster", "meeting", "sent_by"
        )
        return super().get_queryset()

    def get_filename(self):
        return f"paamindelser-{timezone.localdate():%Y-%m-%d}"
