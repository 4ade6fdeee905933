from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from klynge_pages.forms import ClusterDocumentsPageForm
from klynge_pages.models import ClusterIndexPage


class HomePage(Page):
    """The front page of the portal: what the clusters are and where to start."""

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

    class Meta:
        verbose_name = _("forside")
        verbose_name_plural = _("forsider")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = ClusterIndexPage.objects.child_of(self).live().public().first()
        context.update(
            cluster_index=index,
            clusters=index.clusters() if index else [],
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
