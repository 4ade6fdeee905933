"""Upload validation for images and documents, wired in through Wagtail's
form bases (WAGTAILIMAGES_IMAGE_FORM_BASE, WAGTAILDOCS_DOCUMENT_FORM_BASE),
so every upload path (the single and the multiple uploader, the choosers)
runs it.

Images are checked from their header before anything is decoded: a small
file that claims 50,000 × 50,000 pixels, or a GIF of hundreds of frames, is
refused before Pillow or Willow spends memory on it. Documents are checked
by their content, not their name: an HTML file renamed to .pdf is refused.
"""

import os
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import FileField
from django.utils.translation import gettext_lazy as _
from PIL import Image
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from klynge_pages import filetypes
from klynge_pages.conf import klynge_settings

# --- Images ------------------------------------------------------------------

# Pillow's names of the formats behind the allowed extensions.
PIL_FORMATS = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WEBP",
}


def max_image_frames():
    return klynge_settings.MAX_IMAGE_FRAMES


def megapixels(pixels):
    return f"{pixels / 1_000_000:.1f}".replace(".", ",")


def read_image_header(fileobj, extension):
    """Pillow's image object for the file's header, or None if the file is not
    the format its extension says. Nothing is decoded, and Pillow's
    decompression-bomb refusal is left to the caller, which reports the
    claimed size in Danish instead of failing with "unknown size"."""
    pil_format = PIL_FORMATS.get(extension)
    if pil_format is None:
        return None
    Image.init()
    factory, accept = Image.OPEN[pil_format]
    fileobj.seek(0)
    prefix = fileobj.read(16)
    fileobj.seek(0)
    if accept and not accept(prefix):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return factory(fileobj)
    except Exception:  # noqa: BLE001 - any parse failure means "not this format"
        return None
    finally:
        fileobj.seek(0)


def frame_count(image, limit):
    """The number of frames, counting no further than limit + 1."""
    if not getattr(image, "is_animated", False):
        return 1
    count = 1
    try:
        while count <= limit:
            image.seek(count)
            count += 1
    except EOFError:
        pass
    return count


class SafeImageField(WagtailImageField):
    """Wagtail's image field with its checks run from the header first, and
    every refusal in Danish."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formats = self.supported_formats_text
        self.help_text = _(
            "Tilladte formater: %(formats)s. Højst %(size)s og %(megapixels)s "
            "megapixel."
        ) % {
            "formats": formats,
            "size": self.max_upload_size_text,
            "megapixels": megapixels(self.max_image_pixels),
        }
        self.error_messages.update(
            invalid_image=_(
                "Filen kan ikke læses som et billede. Tilladte formater: %(formats)s."
            )
            % {"formats": formats},
            invalid_image_extension=_(
                "Filtypen er ikke tilladt for billeder. Tilladte formater: %(formats)s."
            )
            % {"formats": formats},
            invalid_image_known_format=_(
                "Filen er ikke et gyldigt .%(extension)s-billede: indholdet er "
                "%(image_format)s."
            ),
            file_too_large=_(
                "Filen er for stor (%(file_size)s). Billeder må højst fylde "
                "%(max_filesize)s."
            ),
            file_too_many_pixels=_(
                "Billedet har for mange punkter (%(num_pixels)s). Højst "
                "%(max_pixels_count)s er tilladt."
            ),
        )

    def to_python(self, data):
        # Django's own checks first (no file, empty file, over-long name).
        if FileField.to_python(self, data) is not None and hasattr(data, "read"):
            self.check_image_header(data)
        return super().to_python(data)

    def check_image_header(self, upload):
        self.check_image_file_size(upload)
        extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
        if extension not in self.allowed_image_extensions:
            raise ValidationError(
                self.error_messages["invalid_image_extension"],
                code="invalid_image_extension",
            )
        image = read_image_header(upload, extension)
        if image is None:
            raise ValidationError(
                _(
                    "Filen er ikke et gyldigt .%(extension)s-billede. Tilladte "
                    "formater: %(formats)s."
                )
                % {"extension": extension, "formats": self.supported_formats_text},
                code="invalid_image",
            )
        width, height = image.size
        if self.max_image_pixels and width * height > self.max_image_pixels:
            raise ValidationError(
                _(
                    "Billedet er for stort: filen angiver %(width)s × %(height)s "
                    "punkter (%(megapixels)s megapixel). Højst %(max)s megapixel "
                    "er tilladt. Gør billedet mindre, og prøv igen."
                )
                % {
                    "width": f"{width:,}".replace(",", "."),
                    "height": f"{height:,}".replace(",", "."),
                    "megapixels": megapixels(width * height),
                    "max": megapixels(self.max_image_pixels),
                },
                code="file_too_many_pixels",
            )
        limit = max_image_frames()
        frames = frame_count(image, limit)
        if frames > limit:
            raise ValidationError(
                _(
                    "Billedet har for mange billeder i sig (over %(limit)s): "
                    "animerede billeder med mange billeder kan ikke bruges. "
                    "Brug et stillbillede."
                )
                % {"limit": limit},
                code="too_many_frames",
            )
        upload.seek(0)


class ImageForm(BaseImageForm):
    """WAGTAILIMAGES_IMAGE_FORM_BASE: Wagtail's image form with SafeImageField."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            field = self.fields["file"]
            self.fields["file"] = SafeImageField(
                label=field.label, required=field.required, widget=field.widget
            )


# --- Documents -----------------------------------------------------------------


def check_pdf(fileobj, head, extension):
    return filetypes.is_pdf(head)


def check_ooxml(fileobj, head, extension):
    names = filetypes.zip_names(fileobj) if filetypes.is_zip(head) else None
    if names is None:
        return False
    if filetypes.has_macros(names):
        raise ValidationError(
            _("Filen indeholder makroer og kan ikke lægges på siden."),
            code="document_macros",
        )
    return filetypes.is_ooxml(names, extension)


def check_odf(fileobj, head, extension):
    if not filetypes.is_zip(head):
        return False
    return filetypes.odf_mimetype(fileobj) == filetypes.ODF_MIMETYPES[extension]


def check_text(fileobj, head, extension):
    return filetypes.is_text(head)


SIGNATURE_CHECKS = {
    "pdf": check_pdf,
    "docx": check_ooxml,
    "xlsx": check_ooxml,
    "pptx": check_ooxml,
    "odt": check_odf,
    "ods": check_odf,
    "odp": check_odf,
    "txt": check_text,
    "csv": check_text,
}

FORMAT_NAMES = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "pptx": "PowerPoint (PPTX)",
    "odt": "OpenDocument-tekst (ODT)",
    "ods": "OpenDocument-regneark (ODS)",
    "odp": "OpenDocument-præsentation (ODP)",
    "txt": "tekst (TXT)",
    "csv": "CSV",
}


def allowed_document_extensions():
    return [
        extension.lower()
        for extension in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []
    ]


def validate_document_content(upload):
    """Refuse a document whose extension is not allowed or whose content is
    not what its extension says (checked by the file's signature)."""
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    allowed = allowed_document_extensions()
    if extension not in allowed or extension not in SIGNATURE_CHECKS:
        raise ValidationError(
            _(
                "Filtypen .%(extension)s er ikke tilladt. Tilladte filtyper: "
                "%(allowed)s."
            )
            % {
                "extension": extension or "?",
                "allowed": ", ".join(e.upper() for e in allowed),
            },
            code="document_extension",
        )
    upload.seek(0)
    head = upload.read(filetypes.HEAD_BYTES)
    upload.seek(0)
    check = SIGNATURE_CHECKS[extension]
    try:
        ok = check(upload, head, extension)
    finally:
        upload.seek(0)
    if not ok:
        raise ValidationError(
            _(
                "Filens indhold passer ikke til filtypen .%(extension)s: den er "
                "ikke en %(format)s-fil. Gem filen i det rigtige format, og prøv "
                "igen."
            )
            % {"extension": extension, "format": FORMAT_NAMES[extension]},
            code="document_content",
        )


class DocumentForm(BaseDocumentForm):
    """WAGTAILDOCS_DOCUMENT_FORM_BASE: Wagtail's document form, with the
    file's content checked against its extension."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and getattr(field, "max_upload_size", None):
            field.error_messages["file_too_large"] = _(
                "Filen er for stor (%(file_size)s). Dokumenter må højst fylde "
                "%(max_filesize)s."
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            validate_document_content(upload)
        return upload
