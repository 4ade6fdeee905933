"""Uploads are checked by content and size, and documents are served only
to those who may see them (klynge_security)."""

import io
import json
import random
import struct
import zipfile
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents.models import Document
from wagtail.images.models import Image as WagtailImage

from klynge_pages.models import AgendaItemAttachment, MeetingPage

from .factories import collection_of, local, make_cluster, make_meeting, publish
from .test_sharing import user_in

pytestmark = pytest.mark.django_db


# --- Files built in memory ----------------------------------------------------


def png(width=40, height=30, noise=False):
    image = Image.new("RGB", (width, height), "white")
    if noise:  # incompressible, so the file has the size of its pixels
        image.frombytes(random.Random(9).randbytes(width * height * 3))  # noqa: S311
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_claiming(width, height, size=40_000):
    """A real PNG of about `size` bytes whose header claims width × height."""
    data = bytearray(png(120, 120, noise=True))
    assert len(data) >= size * 0.8
    # Signature (8) + length (4) + "IHDR" (4), then width and height.
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)


def gif(frames):
    images = [
        Image.new("RGB", (12, 12), (n % 256, 255 - n % 256, 0)) for n in range(frames)
    ]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=40)
    return out.getvalue()


def zip_bytes(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX = zip_bytes(
    {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}
)
XLSX = zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
PPTX = zip_bytes(
    {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<presentation/>"}
)
ODT = zip_bytes(
    {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}
)
HTML = (
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
)


# --- Images -------------------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def add_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Billede",
            "file": SimpleUploadedFile(name, content),
            "collection": 1,
        },
    )


def form_errors(response):
    return " ".join(response.context["form"].errors.get("file", []))


def test_a_small_png_is_accepted(admin_client):
    response = add_image(admin_client, "logo.png", png())

    assert response.status_code == 302
    assert WagtailImage.objects.get().width == 40


def test_a_40_kb_png_claiming_50000_by_50000_pixels_is_refused_in_danish(
    admin_client,
):
    content = png_claiming(50_000, 50_000)
    assert 30_000 < len(content) < 50_000

    response = add_image(admin_client, "bombe.png", content)

    assert response.status_code == 200
    assert (
        "Billedet er for stort: filen angiver 50.000 × 50.000 punkter "
        "(2500,0 megapixel). Højst 40,0 megapixel er tilladt."
    ) in form_errors(response)
    assert not WagtailImage.objects.exists()


def test_a_many_frame_gif_is_refused(admin_client):
    response = add_image(admin_client, "animation.gif", gif(60))

    assert "animerede billeder med mange billeder kan ikke bruges" in form_errors(
        response
    )
    assert not WagtailImage.objects.exists()


def test_a_gif_with_a_few_frames_is_accepted(admin_client):
    assert add_image(admin_client, "blink.gif", gif(3)).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "tegning.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Filtypen er ikke tilladt for billeder. Tilladte formater: JPG, JPEG, "
            "PNG, GIF, WEBP.",
        ),
        ("side.png", HTML, "Filen er ikke et gyldigt .png-billede."),
        ("foto.jpg", png(), "Filen er ikke et gyldigt .jpg-billede."),
        ("tom.png", b"", "Den indsendte fil er tom."),
    ],
)
def test_other_files_are_refused_as_images(admin_client, name, content, message):
    response = add_image(admin_client, name, content)

    assert message in form_errors(response)
    assert not WagtailImage.objects.exists()


def test_an_image_over_the_size_limit_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000

    response = add_image(admin_client, "stor.png", png(120, 120, noise=True))

    assert "Billeder må højst fylde 1000\xa0bytes" in form_errors(response)


def test_the_multiple_uploader_refuses_the_same_files(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("bombe.png", png_claiming(50_000, 50_000))},
    )

    data = json.loads(response.content)
    assert data["success"] is False
    assert "Billedet er for stort" in data["error_message"]
    assert not WagtailImage.objects.exists()


# --- Documents: content checked against the extension ------------------------


def add_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "Bilag", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notat.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        ("notat.docx", DOCX),
        ("budget.xlsx", XLSX),
        ("oplaeg.pptx", PPTX),
        ("notat.odt", ODT),
        ("liste.txt", "Mødedeltagere: Åse, Søren og Ærø Kommune\n".encode()),
        ("data.csv", "kommune;antal\nHjørring;12\n".encode("cp1252")),
    ],
)
def test_documents_of_the_allowed_types_are_accepted(admin_client, name, content):
    response = add_document(admin_client, name, content)

    assert response.status_code == 302, form_errors(response)
    assert Document.objects.get().file_extension == name.rsplit(".", 1)[1]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bilag.pdf",
            HTML,
            "Filens indhold passer ikke til filtypen .pdf: den er ikke en PDF-fil.",
        ),
        ("bilag.docx", b"%PDF-1.4 x", "den er ikke en Word (DOCX)-fil"),
        (
            "bilag.docx",
            zip_bytes({"noget.txt": "x"}),
            "den er ikke en Word (DOCX)-fil",
        ),
        ("bilag.xlsx", DOCX, "den er ikke en Excel (XLSX)-fil"),
        (
            "bilag.odt",
            zip_bytes({"mimetype": "application/x-shellscript"}),
            "den er ikke en OpenDocument-tekst (ODT)-fil",
        ),
        ("noter.txt", b"tekst\x00med NUL", "den er ikke en tekst (TXT)-fil"),
        ("noter.txt", HTML, "den er ikke en tekst (TXT)-fil"),
        ("noter.txt", b"%PDF-1.7\n1 0 obj", "den er ikke en tekst (TXT)-fil"),
        (
            "makro.docx",
            zip_bytes(
                {
                    "[Content_Types].xml": "<Types/>",
                    "word/document.xml": "<w:document/>",
                    "word/vbaProject.bin": "makro",
                }
            ),
            "Filen indeholder makroer",
        ),
        ("side.html", HTML, "Filtypen .html er ikke tilladt. Tilladte filtyper: DOCX"),
        ("program.exe", b"MZ\x90\x00", "Filtypen .exe er ikke tilladt."),
        ("tegning.svg", b"<svg/>", "Filtypen .svg er ikke tilladt."),
    ],
)
def test_documents_whose_content_is_not_their_type_are_refused(
    admin_client, name, content, message
):
    response = add_document(admin_client, name, content)

    assert response.status_code == 200
    assert message in form_errors(response)
    assert not Document.objects.exists()


def test_a_document_over_the_size_limit_is_refused_in_danish(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 10

    response = add_document(admin_client, "notat.pdf", b"%PDF-1.4 for langt")

    assert "Dokumenter må højst fylde 10\xa0bytes" in form_errors(response)


def test_the_document_chooser_upload_refuses_a_renamed_html_file(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "Bilag",
            "document-chooser-upload-file": SimpleUploadedFile("bilag.pdf", HTML),
            "document-chooser-upload-collection": 1,
        },
    )

    assert "den er ikke en PDF-fil" in response.content.decode()
    assert not Document.objects.exists()


# --- Documents: who may download them ----------------------------------------


def make_document(title, name="bilag.pdf", cluster=None):
    document = Document(title=title, file=ContentFile(b"%PDF-1.4 bilag", name=name))
    if cluster is not None:
        document.collection = collection_of(cluster)
    document._set_document_file_metadata()
    document.save()
    return document


@pytest.fixture
def midt():
    cluster = make_cluster(title="Klynge Midt")
    cluster.refresh_from_db()
    return cluster


def attach(meeting, number, document, publish_after=True):
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    items = list(meeting.agenda_items.all())
    item = next(item for item in items if item.number == number)
    item.attachments.add(AgendaItemAttachment(document=document, label="Bilag"))
    meeting.agenda_items = items
    revision = meeting.save_revision()
    if publish_after:
        revision.publish()
    return MeetingPage.objects.get(pk=meeting.pk)


def download(client, document):
    response = client.get(document.url)
    if response.status_code == 200:
        b"".join(response.streaming_content)
    return response


def test_an_attachment_of_an_open_item_is_served_as_an_attachment(client, midt):
    document = make_document("Åbent bilag", cluster=midt)
    attach(make_meeting(midt, items=2), 1, document)

    response = download(client, document)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_an_attachment_of_a_closed_item_is_not_found_by_url_guessing(client, midt):
    document = make_document("Lukket bilag", cluster=midt)
    attach(make_meeting(midt, items=2, closed=(2,)), 2, document)

    assert download(client, document).status_code == 404


def test_a_document_closed_in_one_place_stays_closed_everywhere(client, midt):
    document = make_document("Bilag brugt to steder", cluster=midt)
    attach(make_meeting(midt, items=2, closed=(2,)), 2, document)
    attach(make_meeting(midt, start=local(2020, 1, 6, 10), items=1), 1, document)

    assert download(client, document).status_code == 404


def test_an_attachment_of_an_unpublished_meeting_is_not_found(client, midt):
    document = make_document("Kladdebilag", cluster=midt)
    meeting = make_meeting(midt, items=1, live=False)
    attach(meeting, 1, document, publish_after=False)
    # The draft's rows as an editor added them.
    item = meeting.agenda_items.get()
    AgendaItemAttachment.objects.create(item=item, document=document)

    assert download(client, document).status_code == 404


def test_an_attachment_only_in_a_draft_revision_is_not_found(client, midt):
    document = make_document("Kommende bilag", cluster=midt)
    attach(make_meeting(midt, items=1), 1, document, publish_after=False)

    assert download(client, document).status_code == 404


def test_an_attachment_under_an_unpublished_cluster_is_not_found(client, midt):
    document = make_document("Bilag", cluster=midt)
    attach(make_meeting(midt, items=1), 1, document)
    midt.unpublish()

    assert download(client, document).status_code == 404


def test_a_document_used_nowhere_is_not_found(client):
    assert download(client, make_document("Løst bilag")).status_code == 404


def test_a_document_linked_from_published_rich_text_is_served(client, midt):
    document = make_document("Kommissorium", cluster=midt)
    midt.intro = (
        f'<p>Se <a linktype="document" id="{document.pk}">kommissoriet</a>.</p>'
    )
    publish(midt)

    assert download(client, document).status_code == 200


def test_editors_of_the_cluster_download_a_closed_attachment_privately(client, midt):
    document = make_document("Lukket bilag", cluster=midt)
    attach(make_meeting(midt, items=2, closed=(2,)), 2, document)
    client.force_login(user_in(midt.editors_group, username="midt-redaktoer"))

    response = download(client, document)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_editors_of_another_cluster_cannot_download_a_closed_attachment(client, midt):
    nord = make_cluster(title="Klynge Nord", area="nord")
    nord.refresh_from_db()
    document = make_document("Lukket bilag", cluster=midt)
    attach(make_meeting(midt, items=2, closed=(2,)), 2, document)
    client.force_login(user_in(nord.editors_group, username="nord-redaktoer"))

    assert download(client, document).status_code == 404


def test_the_uploader_downloads_their_own_unused_document(client, midt):
    user = user_in(midt.editors_group, username="midt-redaktoer")
    document = make_document("Mit bilag", cluster=midt)
    document.uploaded_by_user = user
    document.save()
    client.force_login(user)

    assert download(client, document).status_code == 200


def test_another_clusters_document_on_a_published_page_is_not_served(client, midt):
    """An editor of Nord puts Midt's unpublished document on his own meeting
    (by id, around the form) and publishes it: nobody gets the bytes, not
    the public and not him."""
    nord = make_cluster(title="Klynge Nord", area="nord")
    nord.refresh_from_db()
    document = make_document("Midts udkast", cluster=midt)
    secret = b"".join(document.file.open("rb"))
    document.file.close()
    attach(make_meeting(nord, items=1), 1, document)
    nord_meeting = MeetingPage.objects.child_of(nord).get()
    nord_meeting.intro = f'<p><a linktype="document" id="{document.pk}">x</a></p>'
    nord_meeting.save_revision().publish()

    anonymous = download(client, document)
    client.force_login(user_in(nord.editors_group, username="nord-redaktoer"))
    editor = download(client, document)

    for response in (anonymous, editor):
        assert response.status_code == 404
        assert secret not in response.content


def test_a_cluster_page_may_not_use_a_document_of_no_cluster(client, midt):
    # A document in the root collection is the site's own: Midt's pages may
    # not publish it either.
    document = make_document("Sitets bilag")
    attach(make_meeting(midt, items=1), 1, document)

    assert download(client, document).status_code == 404


@pytest.fixture
def debug_urls(settings):
    """The URLs as the development server (DEBUG) has them."""
    import importlib

    from django.urls import clear_url_caches

    from klyngeportal_site import urls

    settings.DEBUG = True
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(urls)
    clear_url_caches()


def test_documents_are_never_served_from_media_even_on_the_development_server(
    client, midt, debug_urls
):
    document = make_document("Lukket bilag", cluster=midt)
    attach(make_meeting(midt, items=2, closed=(2,)), 2, document)
    media = f"/media/{document.file.name}"
    image = WagtailImage.objects.create(
        title="Logo", file=ContentFile(png(), name="logo.png")
    )

    for url in (
        media,
        media.replace("documents/", "documents//"),
        f"/media/original_images/../{document.file.name}",
        f"/media/images/..%2F{document.file.name}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [])), url
    # Images are public: the development server still shows them.
    assert client.get(f"/media/{image.file.name}").status_code == 200


def test_the_page_form_refuses_another_clusters_document_in_danish(client, midt):
    from wagtail.test.utils.form_data import inline_formset, rich_text

    from .admin_forms import meeting_form

    nord = make_cluster(title="Klynge Nord", area="nord")
    nord.refresh_from_db()
    document = make_document("Midts hemmelige udkast", cluster=midt)
    meeting = make_meeting(nord, items=0)
    client.force_login(user_in(nord.editors_group, username="nord-redaktoer"))
    item = {
        "number": 1,
        "title": "Punkt",
        "description": rich_text(""),
        "recommendation": rich_text(""),
        "closed": False,
        "tags": "",
        "attachments": inline_formset([{"document": document.pk, "label": "B"}]),
    }

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(meeting.pk,)),
        meeting_form(
            meeting.slug,
            meeting.title,
            agenda_items=inline_formset([item]),
            intro=rich_text(
                f'<p>Se <a linktype="document" id="{document.pk}">bilaget</a>.</p>',
                features=["link", "document-link"],
            ),
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Dokumentet findes ikke i klyngens dokumentsamling" in html
    # The form shown again names neither the document nor its file.
    assert "Midts hemmelige udkast" not in html
    assert document.file.name.rsplit("/", 1)[-1] not in html
    assert (
        not MeetingPage.objects.get(pk=meeting.pk)
        .revisions.filter(
            content__agenda_items__0__attachments__0__document=document.pk
        )
        .exists()
    )
