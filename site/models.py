from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from klynge_pages.forms import ClusterDocumentsPageForm
from klynge_pages.models import (
    ClusterIndexPage,
    ClusterPage,
    MeetingPage,
    MinutesPage,
)


class HomePage(Page):
    """The front page of the portal: search, the next meetings, the latest
    minutes and the clusters by kind. Each list is short and links to the
    full one (the meetings archive, the minutes list, the cluster index),
    and the page costs the same few queries however much there is."""

    intro = RichTextField(_("indledning"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "klynge_pages.ClusterIndexPage",
        "klyngeportal_site.AccessibilityStatementPage",
    ]
    max_count = 1
    # Documents only from collections of no cluster (cluster_documents.py).
    base_form_class = ClusterDocumentsPageForm

    # How many of each list the page shows.
    UPCOMING_MEETINGS = 5
    LATEST_MINUTES = 5
    CLUSTERS_PER_KIND = 6

    class Meta:
        verbose_name = _("forside")
        verbose_name_plural = _("forsider")

    def upcoming_meetings(self):
        return (
            MeetingPage.objects.descendant_of(self)
            .visible()
            .upcoming()
            .for_listing()[: self.UPCOMING_MEETINGS]
        )

    def latest_minutes(self):
        return (
            MinutesPage.objects.descendant_of(self)
            .visible()
            .newest_first()
            .for_listing()[: self.LATEST_MINUTES]
        )

    def cluster_groups(self):
        """[(kind, label, [clusters], number of that kind)], in the order of
        ClusterPage.Kind."""
        groups = {}
        for cluster in (
            ClusterPage.objects.descendant_of(self)
            .visible()
            .only("pk", "title", "url_path", "kind", "area", "depth", "path")
            .first_of_each_kind(self.CLUSTERS_PER_KIND)
        ):
            groups.setdefault(cluster.kind, []).append(cluster)
        return [
            (
                kind.value,
                kind.label,
                groups[kind.value],
                groups[kind.value][0].kind_total,
            )
            for kind in ClusterPage.Kind
            if kind.value in groups
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = ClusterIndexPage.objects.child_of(self).live().public().first()
        context["cluster_index"] = index
        if index is None or not self.pk:
            return context
        index_url = index.get_url(request)
        context.update(
            upcoming_meetings=list(self.upcoming_meetings()),
            latest_minutes=list(self.latest_minutes()),
            cluster_groups=self.cluster_groups(),
            index_url=index_url,
            archive_url=index_url + index.reverse_subpage("meetings"),
            minutes_url=index_url + index.reverse_subpage("minutes"),
        )
        return context


class AccessibilityStatementPage(Page):
    """The accessibility statement ("Tilgængelighedserklæring") that Danish
    law requires of public-sector websites; linked from every page's footer."""

    body = RichTextField(_("erklæring"))
    contact_email = models.EmailField(
        _("kontakt om tilgængelighed"),
        blank=True,
        help_text=_("Hvor brugere kan henvende sig om manglende tilgængelighed."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("body"),
        FieldPanel("contact_email"),
    ]

    parent_page_types = ["klyngeportal_site.HomePage"]
    subpage_types = []
    max_count = 1
    base_form_class = ClusterDocumentsPageForm

    class Meta:
        verbose_name = _("tilgængelighedserklæring")
        verbose_name_plural = _("tilgængelighedserklæringer")
