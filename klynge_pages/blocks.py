from django.utils.translation import gettext_lazy as _
from wagtail import blocks

# The sections every kommissorium (terms of reference) has, in their order.
TERMS_SECTIONS = [
    ("formaal", _("Formål")),
    ("struktur", _("Struktur")),
    ("sammensaetning", _("Sammensætning")),
    ("moedefrekvens", _("Mødefrekvens og form")),
    ("moedeindhold", _("Mødeindhold")),
    ("sekretariat", _("Sekretariatsbetjening")),
    ("andet", _("Andet afsnit")),
]


class TermsSectionBlock(blocks.StructBlock):
    """One section of a kommissorium (terms of reference)."""

    section = blocks.ChoiceBlock(choices=TERMS_SECTIONS, label=_("afsnit"))
    heading = blocks.CharBlock(
        required=False,
        label=_("egen overskrift"),
        help_text=_("Kun hvis afsnittet skal hedde noget andet end sin type."),
    )
    body = blocks.RichTextBlock(
        features=["bold", "italic", "ol", "ul", "link", "document-link"],
        label=_("tekst"),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["section_label"] = dict(TERMS_SECTIONS).get(value["section"], "")
        return context

    class Meta:
        icon = "doc-full"
        label = _("Afsnit")
        template = "blocks/terms_section_block.html"
