"""Who may do what to cluster A's meeting and minutes, as data.

Every cell is checked through the real admin views over HTTP, and by its
effect: an allowed action must change the page, a denied one must leave it
as it was, whatever status the view answers with.

Cluster A publishes its agendas without the secretariat's review (the
default) and signs minutes off with one approval (the default); the
review of agendas and the per-organisation sign-off have tests of their own
(test_sharing.py, test_signoff.py).
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, TaskState

from klynge_pages.models import (
    Location,
    MeetingPage,
    MinutesPage,
    Organisation,
    Person,
    Signatory,
)

from .admin_forms import PUBLISH, SUBMIT, meeting_form, minutes_form
from .factories import local, make_cluster, make_meeting, make_minutes

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "editor_a",
    "editor_b",
    "approver_a",
    "approver_b",
    "secretariat",
    "superuser",
]

# (page, action) -> the roles allowed; every other role is denied.
MATRIX = {
    ("meeting", "view_draft"): {"editor_a", "approver_a", "secretariat", "superuser"},
    ("meeting", "edit"): {"editor_a", "approver_a", "secretariat", "superuser"},
    ("meeting", "publish"): {"editor_a", "approver_a", "secretariat", "superuser"},
    ("meeting", "unpublish"): {"editor_a", "approver_a", "secretariat", "superuser"},
    ("meeting", "delete"): {"editor_a", "approver_a", "secretariat", "superuser"},
    # To cluster B: only who may add pages there.
    ("meeting", "move"): {"secretariat", "superuser"},
    ("minutes", "view_draft"): {"editor_a", "approver_a", "secretariat", "superuser"},
    ("minutes", "edit"): {"editor_a", "approver_a", "secretariat", "superuser"},
    ("minutes", "submit"): {"editor_a", "approver_a", "secretariat", "superuser"},
    # At the cluster's sign-off, after the secretariat's review.
    ("minutes", "approve"): {"approver_a", "superuser"},
    ("minutes", "reject"): {"approver_a", "superuser"},
    # Minutes go live through the workflow only; a superuser may override.
    ("minutes", "publish"): {"superuser"},
    # Live minutes: withdrawn, deleted or moved by the secretariat only.
    ("minutes", "unpublish"): {"secretariat", "superuser"},
    ("minutes", "delete"): {"secretariat", "superuser"},
    ("minutes", "move"): {"secretariat", "superuser"},
    # Hiding a meeting or minutes behind a login or password is hiding
    # approved minutes: the secretariat's, like unpublishing them.
    ("meeting", "restrict"): {"secretariat", "superuser"},
    ("minutes", "restrict"): {"secretariat", "superuser"},
    # Once the secretariat has reviewed them and the sign-off runs, nobody
    # changes the minutes, by the edit form or by reverting a revision
    # through the admin API: approvers approve or reject.
    ("minutes", "edit_in_signoff"): set(),
    ("minutes", "api_revert_in_signoff"): set(),
    # The register: people of cluster A are changed by A's groups and the
    # secretariat; who signs for which organisation is the secretariat's.
    ("person", "edit"): {"editor_a", "approver_a", "secretariat", "superuser"},
    ("location", "edit"): {"editor_a", "approver_a", "secretariat", "superuser"},
    ("signatory", "edit"): {"secretariat", "superuser"},
}

CELLS = [
    pytest.param(page, action, role, role in allowed, id=f"{page}-{action}-{role}")
    for (page, action), allowed in MATRIX.items()
    for role in ROLES
]


class World:
    """Clusters A and B, a live meeting of A without minutes, and a live
    meeting of A with draft minutes, plus one user per role."""

    def __init__(self):
        self.cluster_a = make_cluster(title="Klynge A")
        self.cluster_b = make_cluster(title="Klynge B")
        self.cluster_a.refresh_from_db()
        self.cluster_b.refresh_from_db()
        self.meeting = make_meeting(
            self.cluster_a, start=local(2019, 11, 6, 16, 30), title="Mødet", items=0
        )
        self.minutes_meeting = make_meeting(
            self.cluster_a, start=local(2019, 12, 4, 16, 30), items=2
        )
        self.other_meeting = make_meeting(
            self.cluster_a, start=local(2020, 1, 8, 16, 30), items=1
        )
        self.minutes = make_minutes(self.minutes_meeting, live=False)
        secretariat = Group.objects.get(name="Sekretariat")
        groups = {
            "editor_a": [self.cluster_a.editors_group],
            "editor_b": [self.cluster_b.editors_group],
            "approver_a": [self.cluster_a.approvers_group],
            "approver_b": [self.cluster_b.approvers_group],
            "secretariat": [secretariat],
        }
        self.users = {"anonymous": None}
        for role, role_groups in groups.items():
            user = get_user_model().objects.create_user(username=role, password="x")
            user.groups.add(*role_groups)
            self.users[role] = user
        self.users["superuser"] = get_user_model().objects.create_superuser(
            username="superuser", password="x"
        )
        self.organisation = Organisation.objects.create(
            name="Aalborg Kommune", kind=Organisation.Kind.KOMMUNE
        )
        self.region = Organisation.objects.create(
            name="Region Nordjylland", kind=Organisation.Kind.REGION
        )
        self.person = Person.objects.create(
            name="Mette Jensen", organisation=self.organisation, cluster=self.cluster_a
        )
        self.location = Location.objects.create(name="Rådhuset", cluster=self.cluster_a)
        self.signatory = Signatory.objects.create(
            user=self.users["approver_a"],
            name="Godkender A",
            organisation=self.organisation,
        )

    def reload(self, page):
        return type(page).objects.filter(pk=page.pk).first()


FORMS = {"meeting": meeting_form, "minutes": minutes_form}


def admin(name, *args):
    return reverse(f"wagtailadmin_pages:{name}", args=args)


def to_signoff(world):
    """Submit the minutes and let the secretariat review them."""
    minutes = world.reload(world.minutes)
    minutes.save_revision(user=world.users["editor_a"])
    minutes.get_workflow().start(minutes, world.users["editor_a"])
    state = TaskState.objects.get(
        workflow_state__object_id=str(minutes.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    state.specific.task.specific.on_action(
        state.specific, world.users["secretariat"], "approve"
    )
    return TaskState.objects.get(
        workflow_state__object_id=str(minutes.pk), status=TaskState.STATUS_IN_PROGRESS
    )


def make_live(world, page):
    page = world.reload(page)
    page.save_revision().publish()
    return world.reload(page)


# Each action: (prepare the world and act as `client`) -> whether it happened.


def view_draft(client, world, page):
    response = client.get(admin("view_draft", page.pk))
    return response.status_code == 200 and page.title in response.text


def edit(client, world, page):
    client.post(admin("edit", page.pk), FORMS[kind(page)](page.slug, "Rettet titel"))
    latest = world.reload(page).get_latest_revision_as_object()
    return latest.title == "Rettet titel"


def submit(client, world, page):
    client.post(
        admin("edit", page.pk),
        FORMS[kind(page)](page.slug, page.title, **SUBMIT),
    )
    return world.reload(page).workflow_in_progress


def approve(client, world, page):
    state = to_signoff(world)
    client.post(admin("workflow_action", page.pk, "approve", state.pk))
    return world.reload(page).live


def reject(client, world, page):
    state = to_signoff(world)
    client.post(
        admin("workflow_action", page.pk, "reject", state.pk), {"comment": "Nej"}
    )
    state.refresh_from_db()
    return state.status == TaskState.STATUS_REJECTED


def publish(client, world, page):
    client.post(
        admin("edit", page.pk),
        FORMS[kind(page)](page.slug, "Udgivet titel", **PUBLISH),
    )
    live = world.reload(page)
    return live.live and live.title == "Udgivet titel"


def unpublish(client, world, page):
    page = make_live(world, page)
    client.post(admin("unpublish", page.pk))
    return not world.reload(page).live


def delete(client, world, page):
    page = make_live(world, page)
    client.post(admin("delete", page.pk))
    return world.reload(page) is None


def move(client, world, page):
    page = make_live(world, page)
    destination = world.cluster_b if kind(page) == "meeting" else world.other_meeting
    client.post(admin("move_confirm", page.pk, destination.pk))
    return Page.objects.get(pk=page.pk).get_parent().pk == destination.pk


def restrict(client, world, page):
    page = make_live(world, page)
    client.post(admin("set_privacy", page.pk), {"restriction_type": "login"})
    return PageViewRestriction.objects.filter(page=page).exists()


def edit_in_signoff(client, world, page):
    to_signoff(world)
    client.post(admin("edit", page.pk), FORMS[kind(page)](page.slug, "Rettet titel"))
    return world.reload(page).get_latest_revision_as_object().title == "Rettet titel"


def api_revert_in_signoff(client, world, page):
    page = world.reload(page)
    page.title = "Tidlig kladde"
    earlier = page.save_revision()
    to_signoff(world)
    client.post(
        f"/admin/api/main/pages/{page.pk}/action/revert_to_page_revision/",
        data=json.dumps({"revision_id": earlier.pk}),
        content_type="application/json",
    )
    return world.reload(page).get_latest_revision_as_object().title == "Tidlig kladde"


def snippet_edit(model, fields):
    def action(client, world, page):
        instance = getattr(world, model._meta.model_name)
        url = reverse(
            f"wagtailsnippets_klynge_pages_{model._meta.model_name}:edit",
            args=(instance.pk,),
        )
        client.post(url, fields(world))
        return model.objects.get(pk=instance.pk).name == "Ændret navn"

    return action


ACTIONS = {
    "restrict": restrict,
    "edit_in_signoff": edit_in_signoff,
    "api_revert_in_signoff": api_revert_in_signoff,
    "edit_person": snippet_edit(
        Person,
        lambda world: {
            "name": "Ændret navn",
            "title": "",
            "organisation": world.organisation.pk,
            "cluster": world.cluster_a.pk,
        },
    ),
    "edit_location": snippet_edit(
        Location,
        lambda world: {
            "name": "Ændret navn",
            "address": "",
            "cluster": world.cluster_a.pk,
        },
    ),
    "edit_signatory": snippet_edit(
        Signatory,
        lambda world: {
            "user": world.users["approver_a"].pk,
            "name": "Ændret navn",
            "organisation": world.region.pk,
        },
    ),
    "view_draft": view_draft,
    "edit": edit,
    "submit": submit,
    "approve": approve,
    "reject": reject,
    "publish": publish,
    "unpublish": unpublish,
    "delete": delete,
    "move": move,
}


def kind(page):
    return "meeting" if isinstance(page, MeetingPage) else "minutes"


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """One world for the module's cells: each test runs in a transaction of
    its own inside this one and is rolled back, so every cell starts from
    the same state without building it a hundred times."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield World()
        transaction.set_rollback(True)
    cache.clear()  # e.g. Wagtail's site root paths, cached for this world


@pytest.mark.parametrize(("page_name", "action", "role", "allowed"), CELLS)
def test_permission_matrix(client, module_world, page_name, action, role, allowed):
    world = module_world
    page = {"meeting": world.meeting, "minutes": world.minutes}.get(page_name)
    user = world.users[role]
    if user is not None:
        client.force_login(user)

    if page is None:  # a register record
        happened = ACTIONS[f"{action}_{page_name}"](client, world, page)
    else:
        happened = ACTIONS[action](client, world, page)

    assert happened == allowed, (
        f"{role} {'should' if allowed else 'must not'} be able to {action} "
        f"cluster A's {page_name}"
    )


def test_the_matrix_covers_every_role_and_action():
    pages = {"meeting", "minutes"}
    assert {
        action if page in pages else f"{action}_{page}" for page, action in MATRIX
    } == set(ACTIONS)
    assert all(allowed <= set(ROLES) for allowed in MATRIX.values())


def test_minutes_stay_minutes_after_the_matrix_world_is_built(module_world):
    # The world's draft minutes are not live: every "allowed" above is an
    # effect of the action, not of the set-up.
    world = module_world
    assert not MinutesPage.objects.get(pk=world.minutes.pk).live
    assert MeetingPage.objects.get(pk=world.meeting.pk).live


# --- Documents --------------------------------------------------------------
#
# Cluster A's document lives in A's collection and is used by no published
# page, so it is not public. Each cell is checked by its effect: the document
# in a collection, the title in the chooser, the reference on a page, the
# bytes of the file.

DOCUMENT_TITLE = "Bilag A-7e1c"
DOCUMENT_BYTES = b"%PDF-1.4 bilag fra klynge A"

DOCUMENT_MATRIX = {
    # Upload into cluster A's collection.
    "upload": {"editor_a", "approver_a", "secretariat", "superuser"},
    # See A's document in the document chooser (and its search).
    "choose": {"editor_a", "approver_a", "secretariat", "superuser"},
    # Attach A's document to an agenda item of A's meeting.
    "attach": {"editor_a", "approver_a", "secretariat", "superuser"},
    # Attach it, or link it from rich text, on cluster B's meeting: nobody,
    # not even who may edit both clusters.
    "attach_elsewhere": set(),
    "link_elsewhere": set(),
    # Download it while no public page uses it.
    "download": {"editor_a", "approver_a", "secretariat", "superuser"},
}

DOCUMENT_CELLS = [
    pytest.param(action, role, role in allowed, id=f"document-{action}-{role}")
    for action, allowed in DOCUMENT_MATRIX.items()
    for role in ROLES
]


def a_document(world):
    from wagtail.documents.models import Document

    return Document.objects.get(title=DOCUMENT_TITLE)


def doc_upload(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents.models import Document

    client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Nyt bilag",
            "file": SimpleUploadedFile("nyt.pdf", b"%PDF-1.4 nyt"),
            "collection": world.cluster_a.collection_id,
        },
    )
    return Document.objects.filter(
        title="Nyt bilag", collection_id=world.cluster_a.collection_id
    ).exists()


def doc_choose(client, world):
    found = []
    for url in (
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtaildocs_chooser:choose_results") + "?q=Bilag",
    ):
        response = client.get(url)
        found.append(response.status_code == 200 and DOCUMENT_TITLE in response.text)
    assert found[0] == found[1], "the chooser and its search disagree"
    return found[0]


def _attach(client, world, meeting, intro=""):
    from wagtail.test.utils.form_data import inline_formset, rich_text

    document = a_document(world)
    attachments = [] if intro else [{"document": document.pk, "label": "Bilag 1"}]
    item = {
        "number": 1,
        "title": "Punkt med bilag",
        "description": rich_text(""),
        "recommendation": rich_text(""),
        "closed": False,
        "tags": "",
        "attachments": inline_formset(attachments),
    }
    client.post(
        admin("edit", meeting.pk),
        meeting_form(
            meeting.slug,
            meeting.title,
            agenda_items=inline_formset([item]),
            intro=rich_text(intro, features=["link", "document-link"]),
        ),
    )
    latest = world.reload(meeting).get_latest_revision_as_object()
    used = [
        attachment.document_id
        for item in latest.agenda_items.all()
        for attachment in item.attachments.all()
    ]
    return document.pk in used or f'id="{document.pk}"' in latest.intro


def doc_attach(client, world):
    return _attach(client, world, world.meeting)


def doc_attach_elsewhere(client, world):
    return _attach(client, world, world.meeting_b)


def doc_link_elsewhere(client, world):
    document = a_document(world)
    return _attach(
        client,
        world,
        world.meeting_b,
        intro=f'<p><a linktype="document" id="{document.pk}">bilaget</a></p>',
    )


def doc_download(client, world):
    response = client.get(a_document(world).url)
    if response.status_code != 200:
        return False
    return b"".join(response.streaming_content) == DOCUMENT_BYTES


DOCUMENT_ACTIONS = {
    "upload": doc_upload,
    "choose": doc_choose,
    "attach": doc_attach,
    "attach_elsewhere": doc_attach_elsewhere,
    "link_elsewhere": doc_link_elsewhere,
    "download": doc_download,
}


@pytest.fixture(scope="module")
def document_world(module_world, django_db_blocker):
    """The module's world with a meeting of cluster B and cluster A's
    document, in a savepoint of the world's transaction."""
    from .factories import make_document

    world = module_world
    with django_db_blocker.unblock(), transaction.atomic():
        world.cluster_a.refresh_from_db()
        world.meeting_b = make_meeting(
            world.cluster_b, start=local(2019, 11, 7, 16, 30), title="Mødet B", items=0
        )
        make_document(
            DOCUMENT_TITLE, DOCUMENT_BYTES, "bilag-a.pdf", cluster=world.cluster_a
        )
        yield world
        transaction.set_rollback(True)


@pytest.mark.parametrize(("action", "role", "allowed"), DOCUMENT_CELLS)
def test_document_permission_matrix(client, document_world, action, role, allowed):
    user = document_world.users[role]
    if user is not None:
        client.force_login(user)

    happened = DOCUMENT_ACTIONS[action](client, document_world)

    assert happened == allowed, (
        f"{role} {'should' if allowed else 'must not'} be able to {action} "
        "cluster A's document"
    )


def test_the_document_matrix_covers_every_action():
    assert set(DOCUMENT_MATRIX) == set(DOCUMENT_ACTIONS)
