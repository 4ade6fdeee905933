"""Reusable records managed as Wagtail snippets: organisations, people,
meeting places, and who signs minutes off for which organisation.

People and places belong to a cluster (`cluster`): that cluster's editors
may change them, the secretariat may change all. Who signs for which
organisation (`Signatory`) is the secretariat's alone, since it decides whose
name stands under "Godkendt af …" on the public minutes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from ..forms import ClusterRegisterForm


class Organisation(index.Indexed, models.Model):
    """A party to the health agreement: a municipality, the region, the GP
    association (PLO), a hospital, or another body."""

    class Kind(models.TextChoices):
        KOMMUNE = "kommune", _("Kommune")
        REGION = "region", _("Region")
        ALMEN_PRAKSIS = "almen_praksis", _("Almen praksis (PLO)")
        HOSPITAL = "hospital", _("Hospital")
        OTHER = "andet", _("Anden")

    name = models.CharField(_("navn"), max_length=255, unique=True)
    short_name = models.CharField(
        _("kort navn"),
        max_length=64,
        blank=True,
        help_text=_("Fx “Aalborg” eller “PLO”. Bruges i oversigter."),
    )
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("hjemmeside"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("logo"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_name"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class Person(index.Indexed, models.Model):
    """Someone who takes part in meetings. Shown publicly only as name, title
    and organisation."""

    name = models.CharField(_("navn"), max_length=255)
    title = models.CharField(
        _("titel/stilling"), max_length=255, blank=True, help_text=_("Fx “direktør”.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )

    cluster = models.ForeignKey(
        "klynge_pages.ClusterPage",
        verbose_name=_("klynge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Klyngens redaktører må rette personen. Tom: kun sekretariatet."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("organisation"),
        FieldPanel("cluster"),
    ]
    base_form_class = ClusterRegisterForm
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("title"),
        index.RelatedFields("organisation", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "organisation"], name="unique_person_per_organisation"
            )
        ]
        permissions = [("change_any_person", _("Kan rette alle personer"))]

    def __str__(self):
        return self.public_label

    @property
    def public_label(self):
        """“Name – title, organisation”, as minutes list participants."""
        details = ", ".join(
            part
            for part in (self.title, getattr(self.organisation, "name", ""))
            if part
        )
        return f"{self.name} – {details}" if details else self.name


class Location(index.Indexed, models.Model):
    """A place where meetings are held."""

    name = models.CharField(
        _("navn"), max_length=255, help_text=_("Fx “Regionshuset”.")
    )
    address = models.TextField(
        _("adresse"),
        blank=True,
        help_text=_("Fx “Niels Bohrs Vej 30, 9220 Aalborg Øst”."),
    )

    cluster = models.ForeignKey(
        "klynge_pages.ClusterPage",
        verbose_name=_("klynge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Klyngens redaktører må rette mødestedet. Tom: kun sekretariatet."),
    )

    panels = [FieldPanel("name"), FieldPanel("address"), FieldPanel("cluster")]
    base_form_class = ClusterRegisterForm
    search_fields = [index.SearchField("name"), index.SearchField("address")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("mødested")
        verbose_name_plural = _("mødesteder")
        permissions = [("change_any_location", _("Kan rette alle mødesteder"))]

    def __str__(self):
        return f"{self.name}, {self.address}" if self.address else self.name


class Signatory(models.Model):
    """A user account that signs minutes off, and the member organisation it
    signs for. Kept by the secretariat: an approver cannot choose the
    organisation they sign for, nor the name the public reads."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("brugerkonto"),
        on_delete=models.CASCADE,
        related_name="klynge_signatory",
    )
    name = models.CharField(
        _("navn"),
        max_length=255,
        help_text=_("Navnet, der står i “Godkendt af …” på referaterne."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("godkender for"),
        on_delete=models.PROTECT,
        related_name="signatories",
    )

    panels = [FieldPanel("user"), FieldPanel("name"), FieldPanel("organisation")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("underskriftsret")
        verbose_name_plural = _("underskriftsret")

    def __str__(self):
        return f"{self.name} ({self.organisation})"
