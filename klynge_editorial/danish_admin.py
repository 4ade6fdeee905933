"""The last English words of Wagtail's admin that the message catalogues
cannot reach: form fields declared without a label, which Django names after
the field ("Password", "Email address", "Subject").

The labels are set on the form classes once, at start-up (the app's
`ready()`); every form instance copies them. tests/test_translation.py
renders each of these forms and fails on an English label, so a Wagtail
upgrade that renames a field shows up there.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.forms.choosers import (
    AnchorLinkChooserForm,
    EmailLinkChooserForm,
    ExternalLinkChooserForm,
    PhoneLinkChooserForm,
)

FORM_LABELS = {
    LoginForm: {"password": _("Adgangskode")},
    ExternalLinkChooserForm: {"link_text": _("Linktekst")},
    AnchorLinkChooserForm: {"link_text": _("Linktekst")},
    EmailLinkChooserForm: {
        "email_address": _("E-mailadresse"),
        "link_text": _("Linktekst"),
        "subject": _("Emne"),
        "body": _("Tekst"),
    },
    PhoneLinkChooserForm: {
        "phone_number": _("Telefonnummer"),
        "link_text": _("Linktekst"),
    },
}


def label_wagtail_forms():
    for form_class, labels in FORM_LABELS.items():
        for name, label in labels.items():
            field = form_class.base_fields.get(name)
            if field is not None:
                field.label = label
