"""Reusable records managed as Wagtail snippets: organisations, people and
meeting places."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


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

    # An approver signs minutes off for the organisation of their person.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("brugerkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="klynge_person",
        help_text=_("Kontoen, personen godkender referater med."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("organisation"),
        FieldPanel("user"),
    ]
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

    panels = [FieldPanel("name"), FieldPanel("address")]
    search_fields = [index.SearchField("name"), index.SearchField("address")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("mødested")
        verbose_name_plural = _("mødesteder")

    def __str__(self):
        return f"{self.name}, {self.address}" if self.address else self.name
