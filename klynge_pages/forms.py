"""Admin forms of the meeting and minutes pages: checks across the inline
rows that no single row can make on its own."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from .cluster_documents import ClusterDocumentsFormMixin


def live_forms(formset):
    """The formset's forms that will be saved (not deleted, not empty).

    The page form is cleaned before its formsets, so this cleans them first.
    """
    formset.is_valid()
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or not form.cleaned_data:
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        yield form


MAX_ITEM_NUMBER = 999


class ClusterDocumentsPageForm(ClusterDocumentsFormMixin, WagtailAdminPageForm):
    """Pages whose only rule is whose documents they may use (see
    cluster_documents.py)."""


class MeetingPageForm(ClusterDocumentsFormMixin, WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        seen = {}
        for form in live_forms(self.formsets["agenda_items"]):
            number = form.cleaned_data.get("number")
            if number is None:
                continue
            if not 1 <= number <= MAX_ITEM_NUMBER:
                # Also keeps the value inside every database's small integer.
                form.add_error(
                    "number",
                    _("Punktets nummer skal være mellem 1 og %(max)s.")
                    % {"max": MAX_ITEM_NUMBER},
                )
            elif number in seen:
                form.add_error(
                    "number",
                    _("Punkt %(number)s findes allerede på dagsordenen.")
                    % {"number": number},
                )
            seen[number] = form
        return cleaned_data


class MinutesPageForm(ClusterDocumentsFormMixin, WagtailAdminPageForm):
    """New minutes start with one row per agenda item and the meeting's
    participants; decisions can only refer to this meeting's items."""

    def __init__(self, *args, instance=None, parent_page=None, **kwargs):
        meeting = self._meeting(instance, parent_page)
        if (
            meeting is not None
            and instance is not None
            and instance.pk is None
            and not kwargs.get("data")
            and not (args and args[0])
        ):
            self._prefill(instance, meeting)
        super().__init__(*args, instance=instance, parent_page=parent_page, **kwargs)
        self.meeting = meeting
        if meeting is not None:
            self._restrict_agenda_items(meeting)

    def defer_required_fields(self):
        """A draft may leave decisions empty, but minutes sent to sign-off
        must be complete. Wagtail's create view saves a draft (deferring the
        required fields) when the parent, the meeting, has no workflow of its
        own, and our hook then starts "Referatgodkendelse"; so here "Send til
        Referatgodkendelse" validates everything, as the edit view does."""
        if self.data.get("action-submit"):
            return
        super().defer_required_fields()

    @staticmethod
    def _meeting(instance, parent_page):
        from .models import MeetingPage

        parent = parent_page
        if parent is None and instance is not None and instance.pk:
            parent = instance.get_parent()
        if parent is None:
            return None
        parent = parent.specific
        return parent if isinstance(parent, MeetingPage) else None

    @staticmethod
    def _prefill(instance, meeting):
        from .models import MinutesAttendance, MinutesDecision

        if not instance.decisions.all():
            instance.decisions = [
                MinutesDecision(agenda_item=item, decision="")
                for item in meeting.agenda_items.all()
            ]
        if not instance.attendance.all():
            instance.attendance = [
                MinutesAttendance(
                    person=participant.person,
                    role=participant.role,
                    attendance=participant.attendance,
                )
                for participant in meeting.participants.all()
            ]

    def _restrict_agenda_items(self, meeting):
        items = meeting.agenda_items.all()
        formset = self.formsets["decisions"]
        for form in formset.forms:
            form.fields["agenda_item"].queryset = items
        base = type(formset)

        # Rows added in the browser are built from `empty_form`.
        class MeetingDecisionFormSet(base):
            @property
            def empty_form(self):
                form = super().empty_form
                form.fields["agenda_item"].queryset = items
                return form

        formset.__class__ = MeetingDecisionFormSet

    def clean(self):
        cleaned_data = super().clean()
        if self.meeting is None:
            return cleaned_data
        seen = set()
        for form in live_forms(self.formsets["decisions"]):
            item = form.cleaned_data.get("agenda_item")
            if item is None:
                continue
            if item.page_id != self.meeting.pk:
                form.add_error("agenda_item", _("Punktet hører ikke til dette møde."))
            elif item.pk in seen:
                form.add_error(
                    "agenda_item",
                    _("Der er allerede et referat af dette punkt."),
                )
            seen.add(item.pk)
        return cleaned_data
