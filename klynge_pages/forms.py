"""Admin forms of the meeting and minutes pages: checks across the inline
rows that no single row can make on its own."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from . import registry, rules
from .cluster_documents import ClusterDocumentsFormMixin
from .constants import Attendance
from .permissions import ClusterRegisterPolicy, clusters_of


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


def adjust_field(formset, name, adjust):
    """`adjust(field)` on the field `name` of every row of `formset`, and of
    the rows added in the browser later (they are built from `empty_form`)."""
    for form in formset.forms:
        adjust(form.fields[name])

    class AdjustedFormSet(type(formset)):
        @property
        def empty_form(self):
            form = super().empty_form
            adjust(form.fields[name])
            return form

    formset.__class__ = AdjustedFormSet


MAX_ITEM_NUMBER = 999


def may_hide_minutes(form):
    """Only those who may unpublish approved minutes (the secretariat, a
    superuser) may schedule them off the site, directly or by letting their
    meeting expire."""
    user = getattr(form, "for_user", None)
    if user is None:
        return True
    page = form.instance if form.instance.pk else form.parent_page.specific
    return page.permissions_for_user(user).publishes_above_cluster()


class ClusterDocumentsPageForm(ClusterDocumentsFormMixin, WagtailAdminPageForm):
    """Pages whose only rule is whose documents they may use (see
    cluster_documents.py)."""


def location_choices(cluster, places):
    """The places (`places`, every Location) as grouped choices for a
    meeting of `cluster`: the places its meetings used most recently, newest
    first; then the cluster's own places; then the rest. Returns (choices,
    the most recent place or None). One query besides reading `places`."""
    recent_ids = cluster.recent_location_ids()
    by_pk = {place.pk: place for place in places}
    recent = [by_pk[pk] for pk in recent_ids if pk in by_pk]
    taken = set(recent_ids)
    own = [p for p in places if p.cluster_id == cluster.pk and p.pk not in taken]
    rest = [p for p in places if p.cluster_id != cluster.pk and p.pk not in taken]
    choices = [("", "---------")]
    for label, group in (
        (_("Klyngens seneste mødesteder"), recent),
        (_("Klyngens mødesteder"), own),
        (_("Andre mødesteder"), rest),
    ):
        if group:
            choices.append((label, [(place.pk, str(place)) for place in group]))
    return choices, (recent[0] if recent else None)


class MeetingPageForm(ClusterDocumentsFormMixin, WagtailAdminPageForm):
    class Media:
        # Agenda numbers that follow the order; "Tilføj klyngens medlemmer";
        # the drop zone of the agenda items' attachments (panels.py).
        js = ["klynge_pages/js/meeting_editor.js", "klynge_pages/js/attachment_drop.js"]
        css = {"all": ["klynge_pages/css/attachment_drop.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page or (
            self.instance.get_parent() if self.instance.pk else None
        )
        self.cluster = parent.specific if parent is not None else None
        self._hosts_of_the_cluster()
        self._places_of_the_cluster()
        self._numbers_optional()

    def _numbers_optional(self):
        """An agenda item left without a number gets the next one (see
        _number_items): the editor types numbers only to start elsewhere or skip."""
        formset = self.formsets.get("agenda_items")
        if formset is None:
            return

        def optional(field):
            field.required = False

        adjust_field(formset, "number", optional)

    def _hosts_of_the_cluster(self):
        """The host is one of the cluster's members ("værtskabet går på
        skift blandt medlemmerne"), a short list rather than a chooser of
        every organisation; a new meeting starts with the next by rotation.
        A cluster without members keeps the chooser."""
        field = self.fields.get("host")
        cluster = self.cluster
        if field is None or not hasattr(cluster, "member_organisations"):
            return
        members = cluster.member_organisations()
        if not members:
            return
        allowed = {organisation.pk for organisation in members}
        if self.instance.host_id:
            allowed.add(self.instance.host_id)  # as it was, even if no longer
        field.queryset = field.queryset.filter(pk__in=allowed)
        field.widget = forms.Select(choices=field.choices)
        if not self.instance.pk and not self.is_bound:
            suggested = cluster.suggested_next_host()
            self.initial["host"] = suggested.pk if suggested else None

    def _places_of_the_cluster(self):
        """The place is chosen from a list that starts with where this
        cluster met lately (see location_choices), rather than from a chooser
        of every place in the region; a new meeting starts at the place of
        the cluster's latest meeting. Every place stays choosable, as in the
        chooser, and a new one is added in the register (linked below)."""
        field = self.fields.get("location")
        cluster = self.cluster
        if field is None or not hasattr(cluster, "recent_location_ids"):
            return
        choices, latest = location_choices(cluster, list(field.queryset))
        field.widget = forms.Select(choices=choices)
        field.help_text = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
            _("Mangler stedet?"),
            reverse("wagtailsnippets_klynge_pages_location:add"),
            _(
                "Opret det i Klyngeregister › Mødesteder (åbner i en ny fane); "
                "det kan vælges her, når siden er genindlæst."
            ),
        )
        if (
            not self.instance.pk
            and not self.is_bound
            and not self.instance.location_id
            and latest is not None
        ):
            self.initial["location"] = latest.pk

    def clean(self):
        cleaned_data = super().clean()
        self._date_slug(cleaned_data)
        if (
            cleaned_data.get("expire_at")
            and self.instance.pk
            and self.instance.get_children().type(self._minutes_model()).live().exists()
            and not may_hide_minutes(self)
        ):
            self.add_error(
                "expire_at",
                _(
                    "Mødet har et godkendt referat og kan ikke sættes til at "
                    "udløbe. Kontakt sekretariatet."
                ),
            )
        seen, previous = set(), 0
        for form in self._number_items():
            number = form.cleaned_data.get("number")
            if not 1 <= number <= MAX_ITEM_NUMBER:
                # Also keeps the value inside every database's small integer.
                form.add_error(
                    "number",
                    _("Punktets nummer skal være mellem 1 og %(max)s.")
                    % {"max": MAX_ITEM_NUMBER},
                )
                continue
            if number in seen:
                form.add_error(
                    "number",
                    _("Punkt %(number)s findes allerede på dagsordenen.")
                    % {"number": number},
                )
            elif number < previous:
                form.add_error(
                    "number",
                    _(
                        "Punkt %(number)s står efter punkt %(previous)s. Numrene "
                        "skal stige ned gennem dagsordenen: ret nummeret, eller "
                        "flyt punktet."
                    )
                    % {"number": number, "previous": previous},
                )
            seen.add(number)
            previous = max(number, previous)
        return cleaned_data

    def _number_items(self):
        """The agenda's rows in their order, each without a number given the
        one after the row above it (1 for the first).

        The numbers follow the order: clean() accepts only numbers that rise
        down the agenda (gaps allowed, e.g. 5, 6, 8), so the public page never
        shows "Punkt 3" above "Punkt 2". The server fills in blanks but never
        rewrites a number it was sent; renumbering after a move, an added or a
        deleted item is the editor's script (meeting_editor.js), which numbers
        the items on from the first item's number."""
        forms = list(live_forms(self.formsets["agenda_items"]))
        forms.sort(
            key=lambda form: (
                form.cleaned_data.get("ORDER") is None,
                form.cleaned_data.get("ORDER") or 0,
            )
        )
        last = 0
        for form in forms:
            number = form.cleaned_data.get("number")
            if number is None:
                number = last + 1
                form.cleaned_data["number"] = form.instance.number = number
            last = number
        return forms

    def _date_slug(self, cleaned_data):
        """A new meeting's address is its date ("/2019-11-06/", numbered on
        a day that has a meeting already), unless the editor wrote another
        than the one Wagtail fills in from the title."""
        start = cleaned_data.get("start")
        cluster = self.parent_page.specific if self.parent_page else None
        if self.instance.pk or not start or not hasattr(cluster, "meeting_slug"):
            return
        title = cleaned_data.get("title") or ""
        posted = (self.data.get("slug") or "").strip()
        if posted not in {"", slugify(title, allow_unicode=True), slugify(title)}:
            return
        cleaned_data["slug"] = cluster.meeting_slug(start)
        # Wagtail's "already in use" was about the title's slug.
        self._errors.pop("slug", None)

    @staticmethod
    def _minutes_model():
        return registry.model("MinutesPage")


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
        if "first_published_at" in self.fields and not may_hide_minutes(self):
            # The date the deadline line judges: not the editor's to choose.
            self.fields["first_published_at"].disabled = True

    def defer_required_fields(self):
        """A draft may leave decisions empty, but minutes sent to sign-off
        must be complete. Wagtail's create view saves a draft (deferring the
        required fields) when the parent, the meeting, has no workflow of its
        own, and our hook then starts "Referatgodkendelse"; so here "Send til
        Referatgodkendelse" validates everything, as the edit view does."""
        if self.data.get("action-submit"):
            return
        super().defer_required_fields()

    def _sends_out(self):
        """Whether this post sends the minutes for sign-off or publishes them
        (the buttons of Wagtail's page editor), rather than saving a draft."""
        return any(
            self.data.get(action)
            for action in ("action-submit", "action-restart-workflow", "action-publish")
        )

    @staticmethod
    def _meeting(instance, parent_page):
        parent = parent_page
        if parent is None and instance is not None and instance.pk:
            parent = instance.get_parent()
        if parent is None:
            return None
        parent = parent.specific
        return parent if isinstance(parent, registry.model("MeetingPage")) else None

    @staticmethod
    def _prefill(instance, meeting):
        if not instance.decisions.all():
            instance.decisions = [
                registry.model("MinutesDecision")(agenda_item=item, decision="")
                for item in meeting.agenda_items.all()
            ]
        if not instance.attendance.all():
            instance.attendance = [
                registry.model("MinutesAttendance")(
                    person=participant.person,
                    role=participant.role,
                    # The minutes record who came: the invited, by default.
                    attendance=(
                        Attendance.PRESENT
                        if participant.attendance == Attendance.INVITED
                        else participant.attendance
                    ),
                )
                for participant in meeting.participants.all()
            ]

    def _restrict_agenda_items(self, meeting):
        items = meeting.agenda_items.all()

        def this_meetings_items(field):
            field.queryset = items

        adjust_field(self.formsets["decisions"], "agenda_item", this_meetings_items)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("expire_at") and not may_hide_minutes(self):
            self.add_error(
                "expire_at",
                _(
                    "Et referat udløber ikke. Skal det fjernes fra hjemmesiden, "
                    "så kontakt sekretariatet."
                ),
            )
        if self.meeting is None:
            return cleaned_data
        published = cleaned_data.get("first_published_at")
        if published and published > timezone.now():
            self.add_error(
                "first_published_at", _("Udgivelsesdatoen kan ikke ligge i fremtiden.")
            )
        elif published and not rules.meeting_has_begun(self.meeting.start, published):
            self.add_error(
                "first_published_at",
                _("Et referat kan ikke være udgivet, før mødet begyndte."),
            )
        if self._sends_out() and not rules.meeting_has_begun(self.meeting.start):
            raise ValidationError(
                rules.minutes_before_meeting_message(self.meeting.start)
            )
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


class ClusterRegisterForm(WagtailAdminModelForm):
    """A person or meeting place: a cluster's editors add them to their own
    cluster (preselected when they have one), the secretariat to any cluster
    or to none (then only the secretariat may change them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields.get("cluster")
        if user is None or field is None:
            return
        if ClusterRegisterPolicy(self._meta.model).manages_all(user):
            return
        own = clusters_of(user)
        field.queryset = field.queryset.filter(pk__in=own)
        field.required = True
        if len(own) == 1 and not self.instance.pk:
            field.initial = next(iter(own))
