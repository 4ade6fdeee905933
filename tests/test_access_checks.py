"""Access checks beyond the permission matrix: an editor or approver of one
cluster gets a refusal, never the content, from every admin view that
could show another cluster's unpublished pages, revisions, workflow or
attachments. Each view is asked through HTTP, as a browser would.

Wagtail answers most refusals in its admin with a redirect to the dashboard
and a message; those count as refusals here, and the body is checked too.
Views found open in Wagtail 8.0 and closed by klynge_security: the move
confirmation, the document chooser and its "chosen" step, the admin API's
documents, the page chooser and the page types report.
"""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Page, TaskState

from klynge_pages.models import AgendaItemAttachment, MeetingPage, MinutesPage

from .factories import local, make_cluster, make_meeting, make_minutes
from .test_sharing import user_in

pytestmark = pytest.mark.django_db

# Appears only in cluster Midt's unpublished content: a draft meeting, the
# next revision of a live meeting, minutes in their workflow, and an
# attachment of a closed agenda item.
SECRET = "Fortroligt-midt-7f3a"  # noqa: S105 - a marker, not a password


@pytest.fixture
def world():
    nord = make_cluster(title="Klynge Nord", area="nord")
    midt = make_cluster(title="Klynge Midt", area="midt")
    nord.refresh_from_db()
    midt.refresh_from_db()
    meeting = make_meeting(
        midt, start=local(2020, 1, 6, 10), title="Offentligt møde", closed=(2,)
    )
    make_meeting(
        midt, start=local(2020, 3, 6, 10), title=f"Kladde {SECRET}", live=False
    )
    document = Document.objects.create(
        title=f"Bilag {SECRET}",
        file=ContentFile(b"%PDF-1.4 x", name="bilag.pdf"),
        collection=midt.collection,
    )
    AgendaItemAttachment.objects.create(
        item=meeting.agenda_items.get(number=2), document=document
    )
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    meeting.title = meeting.draft_title = f"Møde {SECRET}"
    meeting.save_revision()
    secretariat = user_in(Group.objects.get(name="Sekretariat"), username="sek")
    minutes = make_minutes(meeting, live=False, title=f"Referat {SECRET}")
    minutes = MinutesPage.objects.get(pk=minutes.pk)
    minutes.save_revision(user=secretariat)
    minutes.get_workflow().start(minutes, secretariat)
    return {
        "nord": nord,
        "midt": midt,
        "meeting": meeting,
        "minutes": minutes,
        "document": document,
        "users": {
            "nord-editor": user_in(nord.editors_group, username="nord-red"),
            "nord-approver": user_in(nord.approvers_group, username="nord-godk"),
        },
        "midt-editor": user_in(midt.editors_group, username="midt-red"),
    }


def object_urls(world):
    """Views of one page, revision, workflow or document of cluster Midt."""
    meeting, minutes = world["meeting"], world["minutes"]
    revisions = list(meeting.revisions.order_by("pk").values_list("pk", flat=True))
    task_state = TaskState.objects.filter(workflow_state__object_id=str(minutes.pk))
    task_state = task_state.get()
    pages = "wagtailadmin_pages"
    return {
        "preview": reverse(f"{pages}:preview_on_edit", args=(meeting.pk,)),
        "revisions compare": reverse(
            f"{pages}:revisions_compare", args=(meeting.pk, "earliest", "latest")
        ),
        "revisions compare by id": reverse(
            f"{pages}:revisions_compare",
            args=(meeting.pk, revisions[0], revisions[-1]),
        ),
        "revision view": reverse(
            f"{pages}:revisions_view", args=(meeting.pk, revisions[-1])
        ),
        "history": reverse(f"{pages}:history", args=(meeting.pk,)),
        "history results": reverse(f"{pages}:history_results", args=(meeting.pk,)),
        "copy": reverse(f"{pages}:copy", args=(meeting.pk,)),
        "move": reverse(f"{pages}:move", args=(meeting.pk,)),
        "move confirm": reverse(
            f"{pages}:move_confirm", args=(meeting.pk, world["nord"].pk)
        ),
        "view draft": reverse(f"{pages}:view_draft", args=(meeting.pk,)),
        "usage": reverse(f"{pages}:usage", args=(meeting.pk,)),
        "edit": reverse(f"{pages}:edit", args=(minutes.pk,)),
        "workflow history": reverse(f"{pages}:workflow_history", args=(minutes.pk,)),
        "workflow history detail": reverse(
            f"{pages}:workflow_history_detail",
            args=(minutes.pk, task_state.workflow_state_id),
        ),
        "workflow preview": reverse(
            f"{pages}:workflow_preview", args=(minutes.pk, task_state.task_id)
        ),
        "pages API detail": reverse(
            "wagtailadmin_api:pages:detail", args=(meeting.pk,)
        ),
        "documents API detail": reverse(
            "wagtailadmin_api:documents:detail", args=(world["document"].pk,)
        ),
        "document chooser chosen": reverse(
            "wagtaildocs_chooser:chosen", args=(world["document"].pk,)
        ),
        "document usage": reverse(
            "wagtaildocs:document_usage", args=(world["document"].pk,)
        ),
        "document edit": reverse("wagtaildocs:edit", args=(world["document"].pk,)),
        "document download": world["document"].url,
        "page types report": reverse("wagtailadmin_reports:page_types_usage"),
    }


def listing_urls(world):
    """Views that list many things: they may answer, without Midt's drafts."""
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore", args=(world["midt"].pk,)),
        "pages API listing": reverse("wagtailadmin_api:pages:listing"),
        "pages API search": reverse("wagtailadmin_api:pages:listing")
        + "?search=Fortroligt",
        "documents API listing": reverse("wagtailadmin_api:documents:listing"),
        "document chooser": reverse("wagtaildocs_chooser:choose"),
        "document chooser search": reverse("wagtaildocs_chooser:choose_results")
        + "?q=Fortroligt",
        "document index": reverse("wagtaildocs:index"),
        "image chooser": reverse("wagtailimages_chooser:choose"),
        "page chooser": reverse(
            "wagtailadmin_choose_page_child", args=(world["midt"].pk,)
        ),
        "page chooser search": reverse("wagtailadmin_choose_page_search")
        + "?q=Fortroligt",
        "page search": reverse("wagtailadmin_pages:search_results") + "?q=Fortroligt",
        "page type usage": reverse(
            "wagtailadmin_pages:type_use", args=("klynge_pages", "meetingpage")
        ),
        "workflow report": reverse("wagtailadmin_reports:workflow"),
        "workflow tasks report": reverse("wagtailadmin_reports:workflow_tasks"),
        "site history report": reverse("wagtailadmin_reports:site_history"),
        "aging pages report": reverse("wagtailadmin_reports:aging_pages"),
        "locked pages report": reverse("wagtailadmin_reports:locked_pages"),
    }


ROLES = ["nord-editor", "nord-approver"]


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def assert_refused(response):
    dashboard = reverse("wagtailadmin_home")
    assert response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == dashboard
    ), f"{response.status_code} {response.get('Location', '')}"
    assert SECRET not in body(response)


@pytest.mark.parametrize("role", ROLES)
def test_another_clusters_pages_revisions_workflow_and_attachments_are_refused(
    client, world, role
):
    client.force_login(world["users"][role])

    for name, url in object_urls(world).items():
        response = client.get(url)
        try:
            assert_refused(response)
        except AssertionError as error:
            raise AssertionError(f"{name} ({url}): {error}") from None


@pytest.mark.parametrize("role", ROLES)
def test_listings_never_show_another_clusters_unpublished_content(client, world, role):
    client.force_login(world["users"][role])

    for name, url in listing_urls(world).items():
        response = client.get(url, follow=True)
        assert response.status_code in (200, 403), f"{name}: {response}"
        assert SECRET not in body(response), f"{name} ({url}) shows {SECRET}"


def test_the_clusters_own_editor_sees_what_the_others_are_refused(client, world):
    """The checks above can fail: the same views show the content to Midt's
    own editor."""
    client.force_login(world["midt-editor"])
    urls = object_urls(world) | listing_urls(world)

    for name in ["history", "revisions compare", "workflow history", "view draft"]:
        response = client.get(urls[name])
        assert response.status_code == 200, name
        assert SECRET in body(response), name
    for name in ["document chooser", "documents API listing", "page chooser"]:
        assert SECRET in body(client.get(urls[name])), name
    assert client.get(world["document"].url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_actions_on_another_clusters_pages_change_nothing(client, world, role):
    client.force_login(world["users"][role])
    meeting, nord = world["meeting"], world["nord"]
    first_revision = meeting.revisions.order_by("pk").first()
    pages = "wagtailadmin_pages"
    forms = {
        reverse(f"{pages}:copy", args=(meeting.pk,)): {
            "new_title": "Kopi",
            "new_slug": "kopi",
            "new_parent_page": nord.pk,
            "copy_subpages": "on",
        },
        reverse(f"{pages}:move_confirm", args=(meeting.pk, nord.pk)): {},
        reverse(f"{pages}:preview_on_edit", args=(meeting.pk,)): {"title": "x"},
        reverse(f"{pages}:revisions_revert", args=(meeting.pk, first_revision.pk)): {},
        reverse(f"{pages}:lock", args=(meeting.pk,)): {},
        reverse(f"{pages}:unpublish", args=(meeting.pk,)): {},
        reverse(f"{pages}:delete", args=(meeting.pk,)): {},
    }
    for url, data in forms.items():
        assert_refused(client.post(url, data))
    for action, data in {
        "copy": {"destination_page_id": nord.pk, "slug": "kopi"},
        "move": {"destination_page_id": nord.pk},
        "publish": {},
        "unpublish": {},
        "delete": {},
        "lock": {},
        "revert_to_page_revision": {"revision_id": first_revision.pk},
    }.items():
        url = reverse("wagtailadmin_api:pages:action", args=(meeting.pk, action))
        response = client.post(url, json.dumps(data), content_type="application/json")
        assert response.status_code in (403, 404), action

    meeting = MeetingPage.objects.get(pk=meeting.pk)
    assert meeting.get_parent().pk == world["midt"].pk
    assert meeting.live and not meeting.locked
    assert meeting.title == "Offentligt møde"
    assert not Page.objects.filter(slug="kopi").exists()


def chosen_and_preview_urls(world):
    """The choosers' "chosen" steps for several ids, and the workflow preview
    of any page with any task: each named the draft titles of other
    clusters' pages and documents (or a 500 for a non-numeric id)."""
    draft = MeetingPage.objects.get(title__startswith="Kladde")
    minutes, document = world["minutes"], world["document"]
    task_state = TaskState.objects.get(workflow_state__object_id=str(minutes.pk))
    pages = reverse("wagtailadmin_choose_page_chosen_multiple")
    documents = reverse("wagtaildocs_chooser:chosen_multiple")
    preview = "wagtailadmin_pages:workflow_preview"
    return {
        "pages chosen-multiple": f"{pages}?id={draft.pk}&id={world['meeting'].pk}",
        "pages chosen-multiple, own and other": (
            f"{pages}?id={world['nord'].pk}&id={minutes.pk}"
        ),
        "pages chosen-multiple, not a number": f"{pages}?id=abc",
        "documents chosen-multiple": f"{documents}?id={document.pk}",
        "documents chosen-multiple, not a number": f"{documents}?id=1x",
        "workflow preview, another task": reverse(
            preview, args=(draft.pk, task_state.task_id)
        ),
        "workflow preview, the minutes' task": reverse(
            preview, args=(minutes.pk, task_state.task_id)
        ),
    }


@pytest.mark.parametrize("role", ROLES)
def test_chosen_steps_and_the_workflow_preview_name_no_other_clusters_drafts(
    client, world, role
):
    client.force_login(world["users"][role])

    for name, url in chosen_and_preview_urls(world).items():
        response = client.get(url, follow=True)
        assert response.status_code in (200, 403, 404), f"{name}: {response}"
        assert SECRET not in body(response), f"{name} ({url}) shows {SECRET}"


def test_the_clusters_own_editor_gets_the_chosen_steps(client, world):
    client.force_login(world["midt-editor"])
    draft = MeetingPage.objects.get(title__startswith="Kladde")
    pages = reverse("wagtailadmin_choose_page_chosen_multiple")
    documents = reverse("wagtaildocs_chooser:chosen_multiple")

    response = client.get(f"{pages}?id={draft.pk}")
    assert response.status_code == 200 and SECRET in body(response)
    response = client.get(f"{documents}?id={world['document'].pk}")
    assert response.status_code == 200 and SECRET in body(response)
