"""The page tree: a cluster index, clusters (bodies), their meetings with
agendas, and each meeting's minutes.

    ClusterIndexPage ("Klynger")
    └── ClusterPage (a political cluster, steering group or forum)
        └── MeetingPage (time, place, host, participants, agenda items)
            └── MinutesPage (decisions, attendance, minute-taker, sign-off)

The minutes are a page of their own so that they are approved and published
separately from the agenda.
"""

import uuid
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.locks import WorkflowLock
from wagtail.models import (
    Orderable,
    Page,
    PageManager,
    PageViewRestriction,
    TaskState,
    Workflow,
)
from wagtail.search import index

from .. import registry, rules, signoff
from ..blocks import TermsSectionBlock
from ..conf import public_template_context
from ..constants import (
    AGENDA_WORKFLOW,
    MINUTES_WORKFLOW,
    Attendance,
    ParticipantRole,
    SignOffMode,
)
from ..forms import ClusterDocumentsPageForm, MeetingPageForm, MinutesPageForm
from ..locks import AgendaReviewLock
from ..panels import AttachmentsPanel, ParticipantsPanel
from ..permissions import (
    ClusterPagePermissionTester,
    MeetingPagePermissionTester,
    MinutesPagePermissionTester,
)
from .archive import MeetingsArchiveMixin, MinutesListMixin
from .querysets import (
    ClusterPageQuerySet,
    MeetingPageQuerySet,
    MinutesPageQuerySet,
    VisiblePageQuerySet,
)
from .snippets import Organisation, Person

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


def group_by_attendance(rows):
    """[(attendance label, rows)] in the order minutes list them: those who
    took part, ad hoc guests, then apologies ("afbud")."""
    rows = list(rows)
    order = [
        Attendance.PRESENT,
        Attendance.INVITED,
        Attendance.AD_HOC,
        Attendance.APOLOGIES,
    ]
    return [
        (attendance.label, group)
        for attendance in order
        if (group := [row for row in rows if row.attendance == attendance])
    ]


class PublicPageMixin:
    """The public template extends the site's layout, KLYNGE_BASE_TEMPLATE
    (`klynge_base_template` in the context), so that the pages fit into any
    Wagtail site."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(public_template_context())
        return context


class TypedChildrenRouteMixin:
    """Routing through a page whose children are all of one type (its
    `subpage_types`) loads the child as that type in one query, where
    Wagtail's own routing takes two (the page, then its specific type)."""

    def route(self, request, path_components):
        models_ = self.allowed_subpage_models()
        if not path_components or len(models_) != 1:
            return super().route(request, path_components)
        try:
            subpage = models_[0].objects.child_of(self).get(slug=path_components[0])
        except models_[0].DoesNotExist:
            # Not there, or a page of another type: Wagtail decides.
            return super().route(request, path_components)
        # As Wagtail's routing does: treebeard's get_parent() uses it.
        subpage._cached_parent_obj = self
        return subpage.route(request, path_components[1:])


class NotUnderDraftsMixin:
    """A page under an unpublished cluster or meeting is not public either.

    Wagtail serves a live page whatever the state of its ancestors, so
    minutes published under a meeting that was later unpublished would still
    be reachable by their URL. This is `VisiblePageQuerySet.visible()`'s rule
    (querysets.py) for the page being served, answered from the pages that
    routing loaded; Wagtail's `serve` checks the view restrictions.

    Serving a page asks about its ancestors three times (this check, the view
    restrictions, the breadcrumbs). Routing has just loaded each of them (as
    the next page's cached parent), so those are used rather than read again.
    """

    def route(self, request, path_components):
        if not path_components:
            # This is the page being served: its parents come from routing.
            self._klynge_routed = True
        return super().route(request, path_components)

    def routed_ancestors(self):
        """The pages above this one, without the tree's root, as routing
        loaded them for this request; None if this instance did not come
        through routing from a site root just below the tree's root."""
        if not getattr(self, "_klynge_routed", False):
            return None
        chain, page = [], self
        while (parent := getattr(page, "_cached_parent_obj", None)) is not None:
            if parent.depth > 1:
                chain.append(parent)
            page = parent
        chain.reverse()
        return chain if len(chain) == self.depth - 2 else None

    def ancestor_paths(self, inclusive=True):
        """The tree paths of the pages above this one (and of this one)."""
        end = len(self.path) + (self.steplen if inclusive else 0)
        return [self.path[:n] for n in range(self.steplen, end, self.steplen)]

    def get_view_restrictions(self):
        """Wagtail's rule (restrictions on this page or any above it) in one
        query, by the pages' paths, instead of reading the ancestors first.
        An alias takes its source's restrictions: Wagtail's own code."""
        if self.alias_of_id:
            return super().get_view_restrictions()
        return PageViewRestriction.objects.filter(page__path__in=self.ancestor_paths())

    def serve(self, request, *args, **kwargs):
        ancestors = self.routed_ancestors()
        if ancestors is not None:
            under_draft = any(not page.live for page in ancestors)
        else:
            under_draft = self.get_ancestors().filter(live=False).exists()
        if under_draft:
            raise Http404
        return super().serve(request, *args, **kwargs)


# --- Cluster index ---------------------------------------------------------


class ClusterIndexPage(
    PublicPageMixin,
    MeetingsArchiveMixin,
    MinutesListMixin,
    TypedChildrenRouteMixin,
    Page,
):
    """ "Klynger": every body, grouped by kind; at moeder/ the meetings of
    all of them (the archive, see archive.py), at referater/ the latest
    minutes."""

    intro = RichTextField(_("indledning"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    subpage_types = ["klynge_pages.ClusterPage"]
    max_count = 1
    base_form_class = ClusterDocumentsPageForm

    objects = PageManager.from_queryset(VisiblePageQuerySet)()

    class Meta:
        verbose_name = _("klyngeoversigt")
        verbose_name_plural = _("klyngeoversigter")

    def clusters(self):
        return (
            ClusterPage.objects.child_of(self)
            .live()
            .public()
            .select_related("parent_body")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=ClusterMembership.objects.select_related("organisation"),
                )
            )
            .order_by("kind", "area", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        groups = defaultdict(list)
        for cluster in self.clusters():
            groups[cluster.kind].append(cluster)
        context["cluster_groups"] = [
            (kind.label, groups[kind.value], kind.value)
            for kind in ClusterPage.Kind
            if groups[kind.value]
        ]
        url = self.get_url(request)
        if url:  # not in the preview of a new page
            context["archive_url"] = url + self.reverse_subpage("meetings")
            context["minutes_url"] = url + self.reverse_subpage("minutes")
        return context

    def archive_meetings(self):
        return MeetingPage.objects.descendant_of(self)

    def archive_clusters(self):
        return ClusterPage.objects.child_of(self).visible().in_listing_order()

    def listed_minutes(self):
        return MinutesPage.objects.descendant_of(self)


# --- Cluster ---------------------------------------------------------------


class ClusterPage(
    PublicPageMixin,
    NotUnderDraftsMixin,
    MeetingsArchiveMixin,
    TypedChildrenRouteMixin,
    Page,
):
    """A body of the health agreement: a political cluster, a cluster steering
    group, a collaboration forum, or another body, with its kommissorium
    (terms of reference) and members."""

    class Kind(models.TextChoices):
        POLITICAL = "politisk_klynge", _("Politisk klynge")
        STEERING = "klyngestyregruppe", _("Klyngestyregruppe")
        FORUM = "samarbejdsforum", _("Samarbejdsforum")
        OTHER = "andet", _("Andet forum")

    class Area(models.TextChoices):
        NORD = "nord", _("Nord")
        MIDT = "midt", _("Midt")
        SYD = "syd", _("Syd")
        VEST = "vest", _("Vest")
        REGION = "region", _("Hele regionen")

    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    area = models.CharField(_("område"), max_length=16, choices=Area.choices)
    intro = RichTextField(_("kort om klyngen"), blank=True, features=RICH_TEXT_FEATURES)
    parent_body = models.ForeignKey(
        "self",
        verbose_name=_("hører under"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sub_bodies",
        help_text=_(
            "Fx klyngestyregruppen for et samarbejdsforum, eller den politiske "
            "klynge for en klyngestyregruppe."
        ),
    )
    chair = models.CharField(
        _("formandskab"),
        max_length=255,
        blank=True,
        help_text=_("Fx “Værtskabet leder mødet”."),
    )
    secretariat = models.CharField(
        _("sekretariat"), max_length=255, blank=True, help_text=_("Fx “Fælles”.")
    )
    terms_of_reference = StreamField(
        [("section", TermsSectionBlock())],
        verbose_name=_("kommissorium"),
        blank=True,
    )
    terms_approved_by = models.CharField(
        _("kommissoriet er godkendt af"),
        max_length=255,
        blank=True,
        default="Sundhedskoordinationsudvalget",
    )
    terms_approved_on = models.DateField(
        _("kommissoriet er godkendt den"), null=True, blank=True
    )
    min_meetings_per_year = models.PositiveSmallIntegerField(
        _("mindste antal møder om året"),
        default=1,
        validators=[MinValueValidator(0)],
    )
    signoff_mode = models.CharField(
        _("godkendelse af referater"),
        max_length=32,
        choices=SignOffMode.choices,
        default=SignOffMode.SINGLE,
    )
    agenda_review = models.BooleanField(
        _("sekretariatet godkender dagsordener"),
        default=False,
        help_text=_(
            "Slået til: redaktørerne sender dagsordenen til sekretariatets "
            "godkendelse, før den udgives. Slået fra: redaktørerne udgiver selv."
        ),
    )
    # The cluster's own groups (see sharing.py); kept by the cluster so that a
    # renamed cluster renames them. PROTECT would block deleting a group in
    # the admin; SET_NULL lets sharing.py recreate it on the next save.
    editors_group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approvers_group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The cluster's own Wagtail collection of documents and images (see
    # sharing.py and cluster_documents.py): its groups work there only, and
    # its pages may use only what it holds.
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("area")]),
        FieldPanel("intro"),
        FieldPanel("parent_body"),
        InlinePanel("memberships", heading=_("Medlemmer"), label=_("Medlem")),
        MultiFieldPanel(
            [
                FieldPanel("chair"),
                FieldPanel("secretariat"),
                FieldPanel("terms_of_reference"),
                FieldRowPanel(
                    [FieldPanel("terms_approved_by"), FieldPanel("terms_approved_on")]
                ),
            ],
            heading=_("Kommissorium"),
        ),
        FieldPanel("min_meetings_per_year"),
        FieldRowPanel([FieldPanel("signoff_mode"), FieldPanel("agenda_review")]),
        HelpPanel(
            template="klynge_pages/panels/cluster_rules_panel.html",
            heading=_("Regler fra kommissoriet"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("terms_of_reference"),
        index.FilterField("kind"),
        index.FilterField("area"),
    ]

    parent_page_types = ["klynge_pages.ClusterIndexPage"]
    subpage_types = ["klynge_pages.MeetingPage"]
    base_form_class = ClusterDocumentsPageForm
    # A copy is a new cluster with groups of its own.
    exclude_fields_in_copy = ["editors_group", "approvers_group", "collection"]

    objects = PageManager.from_queryset(ClusterPageQuerySet)()

    class Meta:
        verbose_name = _("klynge")
        verbose_name_plural = _("klynger")

    def permissions_for_user(self, user):
        return ClusterPagePermissionTester(user, self)

    def with_content_json(self, content):
        # The collection is the cluster's, not a revision's: publishing or
        # reverting to a revision from before it existed keeps it.
        obj = super().with_content_json(content)
        obj.collection_id = self.collection_id
        return obj

    def member_organisations(self):
        return [membership.organisation for membership in self.memberships.all()]

    def meetings(self):
        """Published, public meetings of this body, oldest first."""
        return (
            MeetingPage.objects.child_of(self)
            .live()
            .public()
            .select_related("host", "location")
            .order_by("start")
        )

    @cached_property
    def published_meetings(self):
        return list(self.meetings())

    def next_meeting(self, now=None):
        now = now or timezone.now()
        return next((m for m in self.published_meetings if m.end >= now), None)

    def past_meetings_by_year(self, now=None):
        """[(year, [meetings, newest first])], newest year first."""
        now = now or timezone.now()
        by_year = defaultdict(list)
        for meeting in reversed(self.published_meetings):
            if meeting.end < now:
                by_year[rules.local_date(meeting.start).year].append(meeting)
        return sorted(by_year.items(), reverse=True)

    def latest_minutes(self):
        """The newest published minutes of a published meeting."""
        meeting_paths = [meeting.path for meeting in self.published_meetings]
        parent_path_length = len(self.path) + MeetingPage.steplen
        return (
            MinutesPage.objects.descendant_of(self)
            .live()
            .public()
            .annotate(meeting_path=Substr("path", 1, parent_path_length))
            .filter(meeting_path__in=meeting_paths)
            .order_by("-first_published_at")
            .first()
        )

    def meetings_in_year(self, year):
        """All meetings of the year, published or not, but not cancelled: the
        rule is about the meetings the body holds, and editors plan them as
        drafts."""
        return (
            MeetingPage.objects.child_of(self)
            .filter(start__year=year, cancelled=False)
            .count()
        )

    def is_below_minimum(self, year=None):
        year = year or timezone.localdate().year
        return rules.below_minimum(
            self.meetings_in_year(year), self.min_meetings_per_year
        )

    def meeting_slug(self, start):
        """A free slug for a meeting of this cluster starting at `start`: its
        Danish date ("2019-11-06"), numbered when the day has one already."""
        slug = timezone.localtime(start).strftime("%Y-%m-%d")
        taken = set(
            self.get_children()
            .filter(slug__startswith=slug)
            .values_list("slug", flat=True)
        )
        candidate, number = slug, 2
        while candidate in taken:
            candidate, number = f"{slug}-{number}", number + 1
        return candidate

    def suggested_next_host(self):
        """The member organisation that hosted least recently."""
        last_hosted = dict(
            MeetingPage.objects.child_of(self)
            .filter(host__isnull=False, cancelled=False)
            .values("host")
            .annotate(last=models.Max("start"))
            .values_list("host", "last")
        )
        return rules.suggest_next_host(self.member_organisations(), last_hosted)

    def recent_location_ids(self, limit=5):
        """The places this body's meetings used most recently, each once,
        newest first: one query."""
        if not self.pk:
            return []
        return list(
            MeetingPage.objects.child_of(self)
            .filter(location__isnull=False)
            .values("location")
            .annotate(last=models.Max("start"))
            .order_by("-last", "location")
            .values_list("location", flat=True)[:limit]
        )

    def archive_meetings(self):
        return MeetingPage.objects.child_of(self)

    def archive_url(self, request=None):
        url = self.get_url(request)
        return url + self.reverse_subpage("meetings") if url else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.pk:  # a new page's preview has its members in memory only
            # One query for the members and their organisations, shared by
            # the member table and suggested_next_host().
            models.prefetch_related_objects(
                [self],
                Prefetch(
                    "memberships",
                    queryset=ClusterMembership.objects.select_related("organisation"),
                ),
            )
        if not self.pk:
            # The preview of a new cluster: nothing below it exists yet.
            context.update(
                memberships=self.memberships.all(),
                past_meetings_by_year=[],
                sub_bodies=[],
                suggested_next_host=rules.suggest_next_host(
                    self.member_organisations(), {}
                ),
            )
            return context
        context.update(
            archive_url=self.archive_url(request),
            memberships=self.memberships.all(),
            next_meeting=self.next_meeting(),
            past_meetings_by_year=self.past_meetings_by_year(),
            latest_minutes=self.latest_minutes(),
            sub_bodies=self.sub_bodies.live().public().order_by("title"),
            below_minimum=self.is_below_minimum(),
            suggested_next_host=self.suggested_next_host(),
        )
        return context


class ClusterMembership(Orderable):
    """A member organisation of a body and the seats it holds."""

    page = ParentalKey(
        ClusterPage, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    seats_min = models.PositiveSmallIntegerField(
        _("pladser, mindst"), null=True, blank=True
    )
    seats_max = models.PositiveSmallIntegerField(
        _("pladser, højst"), null=True, blank=True
    )
    note = models.CharField(
        _("bemærkning"),
        max_length=255,
        blank=True,
        help_text=_("Fx “afhængigt af den konkrete dagsorden”."),
    )

    panels = [
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("seats_min"), FieldPanel("seats_max")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")

    def clean(self):
        super().clean()
        if (
            self.seats_min is not None
            and self.seats_max is not None
            and self.seats_min > self.seats_max
        ):
            raise ValidationError(
                {"seats_max": _("Højst kan ikke være mindre end mindst.")}
            )

    @property
    def seats_label(self):
        if self.seats_min and self.seats_max and self.seats_min != self.seats_max:
            return f"{self.seats_min}–{self.seats_max}"
        return str(self.seats_max or self.seats_min or "")


# --- Meeting ---------------------------------------------------------------


class MeetingPage(PublicPageMixin, NotUnderDraftsMixin, TypedChildrenRouteMixin, Page):
    """A meeting of a body, with its agenda. Publishing the page sends out
    the agenda."""

    start = models.DateTimeField(_("starter"))
    end = models.DateTimeField(_("slutter"))
    location = models.ForeignKey(
        "klynge_pages.Location",
        verbose_name=_("mødested"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    room = models.CharField(
        _("lokale"), max_length=255, blank=True, help_text=_("Fx “Mødelokale D”.")
    )
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("vært"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_meetings",
        help_text=_("Værten leder mødet. Værtskabet går på skift blandt medlemmerne."),
    )
    intro = RichTextField(_("om mødet"), blank=True, features=RICH_TEXT_FEATURES)
    # A cancelled meeting stays published, marked as cancelled, so that links
    # and calendar subscriptions learn of it (STATUS:CANCELLED in iCalendar).
    # It counts for no deadline, yearly minimum or host rotation.
    cancelled = models.BooleanField(
        _("aflyst"),
        default=False,
        help_text=_(
            "Mødet bliver stående på hjemmesiden og i kalenderne, markeret som "
            "aflyst. Udgiv siden igen, når du har sat mærket."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("cancelled"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("location"), FieldPanel("room")]),
        FieldPanel("host"),
        FieldPanel("intro"),
        ParticipantsPanel("participants", heading=_("Deltagere"), label=_("Deltager")),
        InlinePanel("agenda_items", heading=_("Dagsorden"), label=_("Punkt")),
        HelpPanel(
            template="klynge_pages/panels/meeting_rules_panel.html",
            heading=_("Frister"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.FilterField("start"),
    ]

    base_form_class = MeetingPageForm
    parent_page_types = ["klynge_pages.ClusterPage"]
    subpage_types = ["klynge_pages.MinutesPage"]

    objects = PageManager.from_queryset(MeetingPageQuerySet)()

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["start"]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError(
                {"end": _("Mødet skal slutte efter, det er begyndt.")}
            )

    @property
    def cluster(self):
        return self.get_parent().specific

    def permissions_for_user(self, user):
        return MeetingPagePermissionTester(user, self)

    _loaded_live = None

    @classmethod
    def from_db(cls, db, field_names, values):
        page = super().from_db(db, field_names, values)
        # Whether the page was live when read (see save()).
        page._loaded_live = page.__dict__.get("live")
        return page

    def save(self, *args, clean=True, **kwargs):
        """Every write of a meeting, whatever path makes it (the edit form,
        autosave, publishing a revision, revert, scheduled publishing, the
        API), holds the page's row lock from before its agenda is read until
        its transaction ends. modelcluster writes the agenda by reading the
        rows there are and deleting those no longer in the new set: two
        overlapping writes that each read the old set would each insert their
        own new item, and the agenda would show it twice. Serialised, the
        later write replaces the earlier one's rows. (On SQLite the lock is
        the database's: the settings begin every transaction IMMEDIATE.)"""
        if self.pk is None:
            return super().save(*args, clean=clean, **kwargs)
        with transaction.atomic():
            row = (
                Page.objects.select_for_update()
                .filter(pk=self.pk)
                .values("live")
                .first()
            )
            if row and row["live"] and not self.live and self._loaded_live is False:
                # A draft read before someone published the meeting: saved,
                # it would take the page off the site again. Wagtail's edit
                # view answers PermissionDenied as "a newer version exists"
                # (autosave's conflict message, or an error on the page).
                raise PermissionDenied(
                    gettext(
                        "Mødet er blevet udgivet, mens du redigerede. Genindlæs "
                        "siden for at fortsætte fra den udgivne version."
                    )
                )
            result = super().save(*args, clean=clean, **kwargs)
            if clean and self.live and kwargs.get("update_fields") is None:
                self._refuse_repeated_numbers()
            return result

    def _refuse_repeated_numbers(self):
        """The agenda going public numbers each item once, whatever path
        publishes it (the edit form checks this too, with the row marked).
        Read from the rows just written, so nothing published is left out;
        raising rolls the write back."""
        repeated = list(
            AgendaItem.objects.filter(page_id=self.pk)
            .values("number")
            .annotate(rows=Count("pk"))
            .filter(rows__gt=1)
            .order_by("number")
            .values_list("number", flat=True)
        )
        if not repeated:
            return
        numbers = ", ".join(str(number) for number in repeated)
        raise ValidationError(
            ngettext(
                "Dagsordenen kan ikke udgives: punkt %(numbers)s står der mere "
                "end én gang. Giv hvert punkt sit eget nummer.",
                "Dagsordenen kan ikke udgives: punkterne %(numbers)s står der "
                "mere end én gang. Giv hvert punkt sit eget nummer.",
                len(repeated),
            )
            % {"numbers": numbers}
        )

    def with_content_json(self, content):
        """A revision's agenda items keep the identities of this page's rows
        only. Wagtail copies the revisions with a page, remapping the items'
        primary keys but not their `uuid`s, nor the keys of the attachments
        and tags nested in them: left alone, editing or publishing the copy
        would take over the original's uuids (IntegrityError) and its
        attachments (moved to the copy). Such items get the copy's own."""
        obj = super().with_content_json(content)
        obj._loaded_live = self._loaded_live
        items = list(obj.agenda_items.all())
        if not items:
            return obj
        own = {
            row["pk"]: row
            for row in AgendaItem.objects.filter(page_id=self.pk).values("pk", "uuid")
        }
        taken = set(
            AgendaItem.objects.filter(uuid__in=[item.uuid for item in items])
            .exclude(page_id=self.pk)
            .values_list("uuid", flat=True)
        )
        own_attachments = set(
            AgendaItemAttachment.objects.filter(item__page_id=self.pk).values_list(
                "pk", flat=True
            )
        )
        own_tags = set(
            AgendaItemTag.objects.filter(content_object__page_id=self.pk).values_list(
                "pk", flat=True
            )
        )
        for item in items:
            if item.pk in own:
                item.uuid = own[item.pk]["uuid"]
            else:
                item.pk = None  # never another page's row
                if item.uuid in taken:
                    item.uuid = uuid.uuid4()
            attachments = list(item.attachments.all())
            for attachment in attachments:
                if attachment.pk not in own_attachments:
                    attachment.pk = None
            tagged = list(item.tagged_items.all())
            for row in tagged:
                if row.pk not in own_tags:
                    row.pk = None
            # Reassigned so the changes stay in memory (modelcluster re-reads
            # an unchanged relation from the database).
            item.attachments = attachments
            item.tagged_items = tagged
        obj.agenda_items = items
        return obj

    def get_workflow(self):
        """The agenda goes through "Dagsordensgodkendelse" where the cluster
        asks for it (see sharing.py); otherwise the editors publish it."""
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return None
        cluster = ClusterPage.objects.ancestor_of(self).first()
        if cluster is None or not cluster.agenda_review:
            return None
        return Workflow.objects.filter(name=AGENDA_WORKFLOW, active=True).first()

    @property
    def has_workflow(self):
        return self.get_workflow() is not None

    def get_lock(self):
        lock = super().get_lock()
        if type(lock) is WorkflowLock:
            return AgendaReviewLock(lock.object, lock.task)
        return lock

    @property
    def agenda_due(self):
        return rules.agenda_due(self.start)

    @property
    def minutes_due(self):
        return rules.minutes_due(self.end)

    def agenda_state(self, today=None):
        return rules.deadline_state(self.agenda_due, self.first_published_at, today)

    @property
    def place(self):
        """“Mødelokale D, Regionshuset, Niels Bohrs Vej 30, 9220 Aalborg Øst”:
        room, place and address, as far as they are known."""
        parts = [self.room]
        if self.location:
            parts += [self.location.name, self.location.address]
        return ", ".join(part for part in parts if part)

    def agenda_with_decisions(self, minutes):
        """The agenda (see `agenda()`) as a list, each item with the decision
        of `minutes` (`item.decision`, None without minutes)."""
        items = list(self.agenda())
        decisions = {}
        if minutes:
            decisions = {d.agenda_item_id: d for d in minutes.decisions.all()}
        for item in items:
            item.decision = decisions.get(item.pk)
        return items

    def published_minutes(self):
        """The live, public minutes of this meeting, or None."""
        return MinutesPage.objects.child_of(self).live().public().first()

    def public_minutes_for_page(self):
        """`published_minutes()` in one query: Wagtail's `public()` reads
        every view restriction of the site first, where only those on the
        minutes and the pages above them matter."""
        restricted = PageViewRestriction.objects.filter(
            Q(page__path__in=self.ancestor_paths()) | Q(page=OuterRef("pk"))
        )
        return (
            MinutesPage.objects.child_of(self)
            .live()
            .filter(~Exists(restricted))
            .first()
        )

    def minutes_state(self, today=None):
        minutes = self.pk and MinutesPage.objects.child_of(self).live().first()
        done_at = minutes.first_published_at if minutes else None
        return rules.deadline_state(self.minutes_due, done_at, today)

    def agenda(self):
        """Agenda items with everything the page shows, in a fixed number of
        queries however long the agenda."""
        return self.agenda_items.prefetch_related(
            Prefetch(
                "attachments",
                queryset=AgendaItemAttachment.objects.select_related("document"),
            ),
            "tags",
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if not self.pk:
            # The preview of a new meeting: its rows are in memory only.
            context.update(
                agenda_items=list(self.agenda_items.all()),
                participant_groups=group_by_attendance(self.participants.all()),
                minutes=None,
            )
            return context
        minutes = self.public_minutes_for_page()
        if minutes is not None:
            # Once the minutes are public, the attendance they record.
            participants = minutes.attendance.all()
        else:
            participants = self.participants.select_related("person__organisation")
        context.update(
            agenda_items=self.agenda_with_decisions(minutes),
            participant_groups=group_by_attendance(participants),
            attendance_from_minutes=minutes is not None,
            minutes=minutes,
        )
        return context


class AttendanceRow(Orderable):
    """A person at a meeting, with role and attendance: as invited on the
    meeting, as it actually was on the minutes."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("rolle"),
        max_length=16,
        choices=ParticipantRole.choices,
        default=ParticipantRole.MEMBER,
    )
    attendance = models.CharField(
        _("deltagelse"),
        max_length=16,
        choices=Attendance.choices,
        default=Attendance.PRESENT,
    )

    panels = [
        FieldPanel("person"),
        FieldRowPanel([FieldPanel("role"), FieldPanel("attendance")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    @property
    def public_label(self):
        """“Name – title, organisation”, as the page shows the person."""
        return self.person.public_label


class MeetingParticipant(AttendanceRow):
    """Someone invited to a meeting, with their role and (expected)
    attendance."""

    page = ParentalKey(
        MeetingPage, on_delete=models.CASCADE, related_name="participants"
    )
    # Invited until the minutes say who came: a meeting's page never claims
    # in advance that someone attended.
    attendance = models.CharField(
        _("deltagelse"),
        max_length=16,
        choices=Attendance.choices,
        default=Attendance.INVITED,
    )

    class Meta(AttendanceRow.Meta):
        verbose_name = _("deltager")
        verbose_name_plural = _("deltagere")


class AgendaItemTag(TaggedItemBase):
    content_object = ParentalKey(
        "klynge_pages.AgendaItem", on_delete=models.CASCADE, related_name="tagged_items"
    )


class AgendaItem(ClusterableModel, Orderable):
    """A numbered item on a meeting's agenda ("Punkt 1: …").

    `uuid` is its stable identity for links, search hits and the API: it
    survives renumbering, reordering and revisions. A closed item ("lukket
    punkt") shows its title only; its content never reaches a public page,
    feed or index.
    """

    page = ParentalKey(
        MeetingPage, on_delete=models.CASCADE, related_name="agenda_items"
    )
    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=500)
    description = RichTextField(
        _("sagsfremstilling"), blank=True, features=RICH_TEXT_FEATURES
    )
    recommendation = RichTextField(
        _("indstilling"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("“Det indstilles, at …”"),
    )
    closed = models.BooleanField(
        _("lukket punkt"),
        default=False,
        help_text=_("Kun titlen vises offentligt. Indholdet vises aldrig."),
    )
    tags = ClusterTaggableManager(
        through=AgendaItemTag, blank=True, verbose_name=_("emneord")
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("closed")]),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("recommendation"),
        FieldPanel("tags"),
        AttachmentsPanel("attachments", heading=_("Bilag"), label=_("Bilag")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("dagsordenspunkt")
        verbose_name_plural = _("dagsordenspunkter")

    def __str__(self):
        return f"Punkt {self.number}: {self.title}"

    def copy_cluster(self, exclude_fields=None):
        """A copy is another item: every path that copies a meeting (Wagtail's
        copy view, copy for translation, the admin API, "Opret næste møde")
        copies its items through here, so the copy gets an identity of its
        own instead of failing on the unique `uuid`."""
        copy, child_object_map = super().copy_cluster(exclude_fields)
        copy.uuid = uuid.uuid4()
        return copy, child_object_map

    @property
    def anchor(self):
        """The fragment that links to this item on its meeting page."""
        return f"punkt-{self.uuid}"


class AgendaItemAttachment(Orderable):
    """A document attached to an agenda item ("Bilag 5")."""

    item = ParentalKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("dokument"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(
        _("betegnelse"), max_length=255, blank=True, help_text=_("Fx “Bilag 5”.")
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")

    @property
    def display_label(self):
        """“Bilag 3 – Psykiatri”: the label (the attachment's number on this
        meeting) and the document's title, as every public place names the
        attachment (meeting page, agenda PDF, search, OParl)."""
        return self.joined_label(" – ")

    def joined_label(self, separator):
        title = self.document.title
        if not self.label:
            return title
        # An older label may carry the title already ("Bilag 5 – Notat").
        if not title or self.label.casefold().endswith(title.casefold()):
            return self.label
        return f"{self.label}{separator}{title}"


# --- Minutes ---------------------------------------------------------------


class MinutesPage(PublicPageMixin, NotUnderDraftsMixin, Page):
    """The minutes ("referat") of a meeting: the decision per agenda item,
    attendance as it actually was, the minute-taker and the sign-off record.
    Published separately from the meeting, after approval."""

    minute_taker = models.ForeignKey(
        Person,
        verbose_name=_("referent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = RichTextField(_("indledning"), blank=True, features=RICH_TEXT_FEATURES)
    # Written by the minutes importer (klynge_pages.importing): the text it
    # could not place, for the editor to move where it belongs. Never shown
    # on the public site.
    import_notes = models.TextField(
        _("ikke genkendt tekst fra importen"),
        blank=True,
        help_text=_(
            "Tekst fra det importerede dokument, som ikke kunne placeres. Flyt "
            "den, hvor den hører til, og tøm feltet."
        ),
    )
    # The minute-taker as the minutes name them, kept with each revision
    # (see take_snapshot): renaming the person later does not change signed
    # minutes.
    minute_taker_label = models.CharField(
        _("referent, som referatet nævner"),
        max_length=600,
        blank=True,
        editable=False,
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        InlinePanel("attendance", heading=_("Fremmøde"), label=_("Deltager")),
        InlinePanel("decisions", heading=_("Referat pr. punkt"), label=_("Punkt")),
        FieldPanel("minute_taker"),
        MultiFieldPanel(
            [FieldPanel("import_notes")],
            heading=_("Ikke genkendt tekst fra importen"),
            classname="collapsed",
        ),
    ]
    # "Udgivet": the date of the public record, which the deadline line and
    # every listing use. Wagtail sets it at the first publication and keeps a
    # revision's own value, so historic and imported minutes keep theirs; only
    # the secretariat may set it (MinutesPageForm).
    settings_panels = Page.settings_panels + [
        FieldPanel(
            "first_published_at",
            heading=_("Udgivet"),
            help_text=_(
                "Datoen, referatet blev offentliggjort. Tom: datoen, det "
                "udgives her. Udfyldes for historiske og importerede referater."
            ),
        )
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    base_form_class = MinutesPageForm
    parent_page_types = ["klynge_pages.MeetingPage"]
    subpage_types = []

    objects = PageManager.from_queryset(MinutesPageQuerySet)()

    class Meta:
        verbose_name = _("referat")
        verbose_name_plural = _("referater")

    @classmethod
    def can_create_at(cls, parent):
        """One set of minutes per meeting, and only once it has an agenda."""
        if not super().can_create_at(parent):
            return False
        meeting = parent.specific
        return (
            isinstance(meeting, MeetingPage)
            and meeting.agenda_items.exists()
            and not MinutesPage.objects.child_of(parent).exists()
        )

    @property
    def meeting(self):
        return self.get_parent().specific

    def permissions_for_user(self, user):
        return MinutesPagePermissionTester(user, self)

    def get_workflow(self):
        """Minutes always go through "Referatgodkendelse" (see sharing.py),
        whatever workflow the rest of the tree has."""
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return None
        workflow = (
            registry.model("MinutesWorkflow")
            .objects.filter(name=MINUTES_WORKFLOW, active=True)
            .first()
        )
        return workflow or super().get_workflow()

    @property
    def has_workflow(self):
        return self.get_workflow() is not None

    # --- what approvers sign (see signoff.py) --------------------------------

    def take_snapshot(self):
        """Copy into the minutes what they show of other records: each
        decided item's number, title, recommendation and closed flag (from
        the meeting's agenda), and the people's names and titles. Runs on
        every revision, so a revision holds everything its approvers saw."""
        # Reassigned below so the changes stay in memory for the revision
        # (modelcluster re-reads an unchanged relation from the database).
        decisions = list(self.decisions.all())
        attendance = list(self.attendance.all())
        items = AgendaItem.objects.in_bulk(
            {d.agenda_item_id for d in decisions if d.agenda_item_id}
        )
        for decision in decisions:
            item = items.get(decision.agenda_item_id)
            if item is None:
                continue  # the item was removed: keep it as it was signed
            decision.item_number = item.number
            decision.item_title = item.title
            decision.item_recommendation = item.recommendation
            decision.item_closed = item.closed
        people = Person.objects.select_related("organisation").in_bulk(
            {row.person_id for row in attendance if row.person_id}
            | ({self.minute_taker_id} if self.minute_taker_id else set())
        )
        for row in attendance:
            if person := people.get(row.person_id):
                row.person_label = person.public_label
        taker = people.get(self.minute_taker_id)
        self.minute_taker_label = taker.public_label if taker else ""
        self.decisions = decisions
        self.attendance = attendance

    def public_record(self):
        """What the public reads in these minutes, as plain data; its digest
        is what approvers sign (signoff.digest_of)."""
        decisions = sorted(self.decisions.all(), key=lambda d: d.sort_order or 0)
        attendance = sorted(self.attendance.all(), key=lambda r: r.sort_order or 0)
        texts = [self.summary] + [
            text
            for decision in decisions
            for text in (decision.decision, decision.item_recommendation)
        ]
        documents = get_document_model().objects.filter(
            pk__in=signoff.document_ids(*texts)
        )
        return {
            "version": signoff.RECORD_VERSION,
            "page": self.pk,
            "meeting": self.get_parent().pk if self.pk else None,
            "title": self.title,
            "summary": self.summary,
            "decisions": [
                {
                    "item": decision.agenda_item_id,
                    "number": decision.item_number,
                    "title": decision.item_title,
                    "recommendation": decision.item_recommendation,
                    "closed": decision.item_closed,
                    "decision": decision.decision,
                }
                for decision in decisions
            ],
            "attendance": [
                {
                    "person": row.person_label,
                    "role": row.role,
                    "attendance": row.attendance,
                }
                for row in attendance
            ],
            "minute_taker": self.minute_taker_label,
            "documents": sorted(
                [document.pk, signoff.file_sha256(document)] for document in documents
            ),
        }

    def digest(self):
        return signoff.digest_of(self.public_record())

    def save_revision(self, *args, **kwargs):
        """Refuse any change while the minutes are being signed off: the
        round signs the revision that was sent, and completing it publishes
        exactly that one. Every path that changes a page's content (edit
        form, autosave, revert, the admin API's actions) saves a revision,
        so this is the one place the rule lives."""
        if self.pk and self.workflow_in_progress:
            raise signoff.SignOffInProgress
        self.take_snapshot()
        return super().save_revision(*args, **kwargs)

    def signed_revision(self, workflow_state):
        """The revision the round of `workflow_state` approved: the revision
        of its last approved step, checked against every approval of that
        step (same revision, same digest). Refuses rather than publish what
        nobody signed; the freeze in save_revision keeps that from happening
        in the admin."""
        last = (
            TaskState.objects.filter(
                workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
            )
            .select_related("revision")
            .order_by("-finished_at", "-pk")
            .first()
        )
        if last is None or last.revision is None:
            raise signoff.SignedContentChanged
        revision = last.revision
        approvals = list(MinutesSignOff.objects.filter(task_state=last))
        if approvals:
            digest = revision.as_object().digest()
            if any(
                approval.revision_id != revision.pk or approval.digest != digest
                for approval in approvals
            ):
                raise signoff.SignedContentChanged
        return revision

    def get_lock(self):
        if self.approved_schedule:
            return super().get_lock()
        if self.pk and self.workflow_in_progress:
            return signoff.SignOffLock(self)
        return super().get_lock()

    def standing_signoffs(self):
        """The approvals shown with the live minutes: those of the live
        revision's completed round. A new round on a later revision shows
        nothing until it completes and its revision goes live."""
        if not self.live_revision_id:
            return MinutesSignOff.objects.none()
        return MinutesSignOff.objects.filter(
            page=self,
            revision_id=self.live_revision_id,
            task_state__status=TaskState.STATUS_APPROVED,
        ).order_by("approved_at", "pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            # A preview shows what approvers would sign: the snapshot as it
            # would be taken now, no sign-offs.
            self.take_snapshot()
        if not self.pk:
            # The preview of new minutes: rows in memory, no sign-off yet.
            context.update(
                meeting=self.get_parent().specific,
                decisions=self.decisions.all(),
                attendance_groups=group_by_attendance(self.attendance.all()),
                signoffs=[],
            )
            return context
        context.update(self.public_context())
        if getattr(request, "is_preview", False):
            context.update(signoffs=[], signed_digest="")
        return context

    def public_context(self):
        """What the public page and the PDF show of saved minutes: the
        meeting, decisions, attendance, and the standing approvals with the
        digest they signed."""
        signoffs = list(self.standing_signoffs())
        return {
            "meeting": self.meeting,
            "decisions": self.decisions.select_related("agenda_item"),
            "attendance_groups": group_by_attendance(self.attendance.all()),
            "signoffs": signoffs,
            "signed_digest": signoffs[-1].digest if signoffs else "",
            "minutes_deadline": self.deadline(),
        }

    def deadline(self):
        """The one-week deadline of the terms of reference, and whether these
        minutes met it: {"due": date, "state": DeadlineState}."""
        meeting = self.meeting
        if not meeting.end:
            return None
        due = rules.minutes_due(meeting.end)
        return {"due": due, "state": rules.deadline_state(due, self.first_published_at)}


class MinutesAttendance(AttendanceRow):
    """Who took part, as it actually was."""

    page = ParentalKey(MinutesPage, on_delete=models.CASCADE, related_name="attendance")
    # The person as the minutes name them (see MinutesPage.take_snapshot).
    person_label = models.CharField(
        _("personen, som referatet nævner"),
        max_length=600,
        blank=True,
        editable=False,
    )

    class Meta(AttendanceRow.Meta):
        verbose_name = _("fremmøde")
        verbose_name_plural = _("fremmøde")

    @property
    def public_label(self):
        return self.person_label


class MinutesDecision(Orderable):
    """What was decided ("Referat"/"Beslutning") on one agenda item."""

    page = ParentalKey(MinutesPage, on_delete=models.CASCADE, related_name="decisions")
    # SET_NULL, not CASCADE: the item lives on another page (the meeting), and
    # editing that page must never delete text from the minutes.
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("dagsordenspunkt"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    decision = RichTextField(_("referat/beslutning"), features=RICH_TEXT_FEATURES)
    # The item as the minutes show it, kept with each revision (see
    # MinutesPage.take_snapshot): approvers sign the item as it stood, and
    # later edits of the meeting's agenda do not change approved minutes.
    item_number = models.PositiveSmallIntegerField(
        _("punktets nummer"), null=True, blank=True, editable=False
    )
    item_title = models.CharField(
        _("punktets titel"), max_length=500, blank=True, editable=False
    )
    item_recommendation = RichTextField(
        _("punktets indstilling"), blank=True, editable=False
    )
    item_closed = models.BooleanField(_("lukket punkt"), default=False, editable=False)

    panels = [FieldPanel("agenda_item"), FieldPanel("decision")]

    class Meta(Orderable.Meta):
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")

    @property
    def closed(self):
        """Closed when signed, or closed since: confidentiality can be added
        to approved minutes, never taken away."""
        return self.item_closed or bool(self.agenda_item and self.agenda_item.closed)


class MinutesSignOff(models.Model):
    """One approval of the minutes: who, for which organisation, when, with
    what comment, and exactly what: the revision and the digest of its public
    record (see signoff.py). Written by the approval workflow, shown on the
    public minutes as “Godkendt af … den …” while its revision is live.
    Rows are never deleted with a new round: they are the history of what
    was approved."""

    page = models.ForeignKey(
        MinutesPage, on_delete=models.CASCADE, related_name="signoffs"
    )
    # PROTECT: the revision an approval names must outlive purge_revisions.
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    digest = models.CharField(_("kontrolsum"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The round of sign-off (the workflow task) this approval belongs to.
    task_state = models.ForeignKey(
        "wagtailcore.TaskState",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The organisation's name as it was when signed: renaming it later does
    # not change the record.
    organisation_name = models.CharField(
        _("organisationens navn"), max_length=255, blank=True
    )
    approver_name = models.CharField(_("godkendt af"), max_length=255)
    approved_at = models.DateTimeField(_("godkendt den"))
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        ordering = ["approved_at"]
        verbose_name = _("godkendelse")
        verbose_name_plural = _("godkendelser")

    def __str__(self):
        return f"{self.approver_name} ({self.approved_at:%Y-%m-%d})"

    @property
    def short_digest(self):
        return signoff.short_digest(self.digest)
