"""Attachments dropped onto an agenda item: the names they get ("Bilag 3 –
Psykiatri") and the upload view behind the drop zone (attachment_upload.py),
which stores them through Wagtail's document form in the cluster's
collection, or refuses them in Danish and writes nothing."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from wagtail.documents.models import Document

from klynge_pages.attachment_names import clean_name, label_number, names_for
from klynge_pages.models import AgendaItemAttachment, MeetingPage

from .factories import collection_of, make_cluster, make_document, make_meeting
from .test_sharing import user_in
from .test_uploads import DOCX, HTML

PDF = b"%PDF-1.4 bilag"


# --- Names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "title"),
    [
        ("Bilag_3_psykiatri.pdf", "Psykiatri"),
        ("psykiatri.pdf", "Psykiatri"),
        ("bilag-12-budget_2020.xlsx", "Budget 2020"),
        ("Bilag 3 - Notat om organisering.docx", "Notat om organisering"),
        ("Bilag 3 – Notat om organisering.docx", "Notat om organisering"),
        ("Bilag3_notat.pdf", "Notat"),
        ("BILAG-03_Psykiatri.PDF", "Psykiatri"),
        ("Bilag nr. 7 – Handleplan.odt", "Handleplan"),
        ("Bilag 5a_tillæg.pdf", "Tillæg"),
        ("Bilag 3: Sundhedsaftalen.pdf", "Sundhedsaftalen"),
        ("Bilag_psykiatri.pdf", "Psykiatri"),
        ("bilagsoversigt.pdf", "Bilagsoversigt"),
        ("ørkesløs_ÆBLE-rapport.pdf", "Ørkesløs ÆBLE rapport"),
        # macOS sends "å" as "a" and a combining ring.
        ("a\u030arsrapport.pdf", "Årsrapport"),
        ("__referat--2019-11-06__.pdf", "Referat 2019-11-06"),
        ("  mødereferat   Midt .txt", "Mødereferat Midt"),
        ("rapport.endelig.pdf", "Rapport.endelig"),
        ("Bilag_3.pdf", ""),
        ("bilag.pdf", ""),
    ],
)
def test_a_file_name_becomes_a_clean_title(file_name, title):
    assert clean_name(file_name) == title


def test_a_long_file_name_is_cut_to_fit_the_title():
    assert len(clean_name("a" * 400 + ".pdf")) == 200


@pytest.mark.parametrize(
    ("label", "number"),
    [
        ("Bilag 5", 5),
        ("bilag 12", 12),
        ("Bilag nr. 3", 3),
        ("Bilag 5a", 5),
        ("Bilag", None),
        ("Samme bilag", None),
        ("", None),
    ],
)
def test_the_number_of_a_label(label, number):
    assert label_number(label) == number


def test_new_attachments_are_numbered_after_the_highest_of_the_meeting():
    assert names_for(["Bilag_3_psykiatri.pdf"], []) == [("Bilag 1", "Psykiatri")]
    assert names_for(["budget.pdf", "plan.pdf"], ["Bilag 1", "Bilag 5", "Notat"]) == [
        ("Bilag 6", "Budget"),
        ("Bilag 7", "Plan"),
    ]


def test_files_dropped_together_are_numbered_in_the_order_of_their_names():
    names = names_for(["Bilag 10 - c.pdf", "Bilag 2 - b.pdf", "Bilag 1 - a.pdf"], [])

    assert names == [("Bilag 3", "C"), ("Bilag 2", "B"), ("Bilag 1", "A")]


def test_a_file_named_only_by_its_number_is_titled_by_its_label():
    assert names_for(["Bilag_3.pdf"], ["Bilag 1"]) == [("Bilag 2", "Bilag 2")]


@pytest.mark.parametrize(
    ("label", "title", "shown"),
    [
        ("Bilag 3", "Psykiatri", "Bilag 3 – Psykiatri"),
        ("", "Psykiatri", "Psykiatri"),
        ("Bilag 2", "Bilag 2", "Bilag 2"),
        ("Bilag 5 – Notat", "Notat", "Bilag 5 – Notat"),
    ],
)
@pytest.mark.django_db
def test_an_attachment_is_shown_by_label_and_title(label, title, shown):
    attachment = AgendaItemAttachment(label=label, document=Document(title=title))

    assert attachment.display_label == shown


# --- The upload view ---------------------------------------------------------


@pytest.fixture
def midt(db):
    cluster = make_cluster(title="Klynge Midt")
    cluster.refresh_from_db()
    return cluster


@pytest.fixture
def meeting(midt):
    return make_meeting(midt, items=2)


@pytest.fixture
def editor(midt):
    return user_in(midt.editors_group)


def upload(client, page, *files, taken=()):
    return client.post(
        reverse("klynge_pages_attachment_upload", args=(page.pk,)),
        {
            "files": [SimpleUploadedFile(name, content) for name, content in files],
            "taken": list(taken),
        },
    )


@pytest.mark.django_db
def test_files_become_documents_of_the_cluster_with_the_next_numbers(
    client, meeting, editor, midt
):
    item = meeting.agenda_items.get(number=2)
    item.attachments = [
        AgendaItemAttachment(
            document=make_document("Gammelt", cluster=midt), label="Bilag 4"
        )
    ]
    item.save()
    meeting.save_revision()
    client.force_login(editor)

    response = upload(
        client,
        meeting,
        ("Bilag_3_psykiatri.pdf", PDF),
        ("notat-om_organisering.docx", DOCX),
    )

    assert response.status_code == 200
    files = response.json()["files"]
    assert [(f["ok"], f["label"], f["document"]["title"]) for f in files] == [
        (True, "Bilag 5", "Psykiatri"),
        (True, "Bilag 6", "Notat om organisering"),
    ]
    assert files[0]["display_label"] == "Bilag 5 – Psykiatri"
    documents = Document.objects.filter(pk__in=[f["document"]["id"] for f in files])
    assert {d.collection_id for d in documents} == {collection_of(midt).pk}
    assert {d.uploaded_by_user for d in documents} == {editor}
    assert all(d.file_size and d.file_hash for d in documents)
    # The rows are the editor's to save: nothing is attached yet.
    assert AgendaItemAttachment.objects.filter(item__page=meeting).count() == 1


@pytest.mark.django_db
def test_the_labels_in_the_editors_form_count_too(client, meeting, editor):
    client.force_login(editor)

    response = upload(client, meeting, ("plan.pdf", PDF), taken=["Bilag 1", "Bilag 7"])

    assert response.json()["files"][0]["label"] == "Bilag 8"


@pytest.mark.django_db
def test_a_new_meeting_uploads_to_its_cluster(client, midt, editor):
    client.force_login(editor)

    response = upload(client, midt, ("plan.pdf", PDF))

    assert response.json()["files"][0]["label"] == "Bilag 1"
    assert Document.objects.get().collection == collection_of(midt)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("side.pdf", HTML, "den er ikke en PDF-fil"),
        ("program.exe", b"MZ\x90\x00", "Filtypen .exe er ikke tilladt"),
        ("tom.pdf", b"", "Den indsendte fil er tom"),
    ],
)
def test_a_bad_file_is_refused_in_danish_and_the_others_are_kept(
    client, meeting, editor, name, content, message
):
    client.force_login(editor)

    response = upload(client, meeting, (name, content), ("plan.pdf", PDF))

    bad, good = response.json()["files"]
    assert not bad["ok"] and bad["name"] == name
    assert message in " ".join(bad["errors"])
    # The refused file took no number.
    assert good["ok"] and good["label"] == "Bilag 1"
    assert list(Document.objects.values_list("title", flat=True)) == ["Plan"]


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_in_danish(
    client, meeting, editor, settings
):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 10
    client.force_login(editor)

    response = upload(client, meeting, ("stor.pdf", b"%PDF-1.4 for stor til dette"))

    (result,) = response.json()["files"]
    assert not result["ok"]
    assert "Dokumenter må højst fylde 10\xa0bytes" in " ".join(result["errors"])
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_twenty_files_at_once_are_accepted_and_more_are_refused_whole(
    client, meeting, editor
):
    client.force_login(editor)

    response = upload(client, meeting, *[(f"bilag {n}.pdf", PDF) for n in range(21)])

    assert response.status_code == 400
    assert "højst 20 filer" in response.json()["error"]
    assert not Document.objects.exists()

    response = upload(client, meeting, *[(f"notat {n}.pdf", PDF) for n in range(20)])

    labels = [f["label"] for f in response.json()["files"]]
    assert labels == [f"Bilag {n}" for n in range(1, 21)]
    assert Document.objects.count() == 20


@pytest.mark.django_db
def test_no_files_is_refused(client, meeting, editor):
    client.force_login(editor)

    response = upload(client, meeting)

    assert response.status_code == 400
    assert "Vælg en eller flere filer" in response.json()["error"]


@pytest.mark.django_db
def test_an_editor_of_another_cluster_may_not_upload(client, meeting):
    nord = make_cluster(title="Politisk klynge Nord", area="nord")
    nord.refresh_from_db()
    client.force_login(user_in(nord.editors_group))

    response = upload(client, meeting, ("plan.pdf", PDF))

    assert response.status_code == 403
    assert "ikke ret til at ændre mødet" in response.json()["error"]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_user_without_a_role_in_the_cluster_may_not_upload(client, meeting):
    # May use the admin, and nothing more.
    group = Group.objects.create(name="Kun administration")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    client.force_login(user_in(group))

    response = upload(client, meeting, ("plan.pdf", PDF))

    assert response.status_code == 403
    assert "ikke ret til at ændre mødet" in response.json()["error"]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_an_editor_without_document_permission_in_the_collection_may_not_upload(
    client, meeting, midt
):
    # The cluster's page permissions, but not its collection's.
    group = Group.objects.create(name="Kun sider")
    group.permissions.set(midt.editors_group.permissions.all())
    for grant in midt.editors_group.page_permissions.all():
        group.page_permissions.create(page=grant.page, permission=grant.permission)
    client.force_login(user_in(group))

    response = upload(client, meeting, ("plan.pdf", PDF))

    assert response.status_code == 403
    assert "dokumentsamling" in response.json()["error"]
    assert not Document.objects.exists()
    # Nor does the editor offer them a drop zone.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)))
    assert edit.status_code == 200
    assert "data-klynge-dropzone" not in edit.content.decode()


@pytest.mark.django_db
def test_a_page_that_is_no_meeting_takes_no_attachments(client, meeting, editor):
    client.force_login(editor)
    minutes_parent = meeting.get_parent().get_parent()  # the cluster index

    response = upload(client, minutes_parent, ("plan.pdf", PDF))

    assert response.status_code in (403, 404)
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_the_upload_needs_a_login(client, meeting):
    response = upload(client, meeting, ("plan.pdf", PDF))

    assert response.status_code == 302
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_the_meeting_editor_shows_a_drop_zone_on_each_item(client, meeting, editor):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,))).content
    html = html.decode()

    upload_url = reverse("klynge_pages_attachment_upload", args=(meeting.pk,))
    assert html.count(f'data-upload-url="{upload_url}"') >= 2
    assert "Vælg filer" in html
    assert "klynge_pages/js/attachment_drop.js" in html


@pytest.mark.django_db
def test_an_uploaded_attachment_saved_with_the_page_shows_label_and_title(
    client, meeting, editor
):
    client.force_login(editor)
    result = upload(client, meeting, ("Bilag_3_psykiatri.pdf", PDF)).json()["files"][0]

    page = MeetingPage.objects.get(pk=meeting.pk)
    item = page.agenda_items.get(number=1)
    item.attachments = [
        AgendaItemAttachment(
            document_id=result["document"]["id"], label=result["label"]
        )
    ]
    item.save()
    page.save_revision().publish()

    html = client.get(page.url).content.decode()
    assert ">Bilag 1 – Psykiatri</a>" in html


@pytest.mark.django_db
def test_a_file_that_cannot_be_stored_leaves_no_row_and_no_file(
    client, meeting, editor, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)

    file_field = type(Document._meta.get_field("file"))
    write_file = file_field.pre_save

    def disk_full(self, instance, add):
        write_file(self, instance, add)  # the file is in storage now
        raise DatabaseError("disk full")

    # The row's insert fails after the file was written.
    monkeypatch.setattr(file_field, "pre_save", disk_full)
    client.force_login(editor)

    response = upload(client, meeting, ("plan.pdf", PDF))

    (result,) = response.json()["files"]
    assert not result["ok"]
    assert result["errors"] == ["Filen kunne ikke gemmes. Prøv igen."]
    assert not Document.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


@pytest.mark.django_db
def test_the_secretariat_uploads_into_the_clusters_collection_not_its_own(
    client, meeting, midt
):
    # The secretariat may add documents to the root collection and below.
    client.force_login(user_in(Group.objects.get(name="Sekretariat")))

    response = upload(client, meeting, ("plan.pdf", PDF))

    assert response.json()["files"][0]["ok"]
    assert Document.objects.get().collection == collection_of(midt)
