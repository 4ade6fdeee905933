"""Two saves of one meeting at the same moment: the editor's autosave and
"Udgiv" overlapping, each adding the same new agenda item. The meeting ends
with the item once, whichever request gets there first."""

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from wagtail import hooks

from klynge_pages.models import AgendaItem, MeetingPage

from .admin_forms import agenda_row, meeting_edit_form
from .factories import local, make_cluster, make_meeting

# Wait for the other request at most this long before failing (never to pass).
PATIENCE = 30


def edit_form(meeting, **fields):
    """The meeting's edit form as the browser holds it after the editor
    added item 4 ("Personsag") below the existing three."""
    rows = [agenda_row(item) for item in meeting.agenda_items.all()]
    rows.append(agenda_row(number=4, title="Personsag"))
    return meeting_edit_form(meeting, rows, **fields)


def lock_waiters():
    """Other database sessions of this test waiting for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


class Rendezvous:
    """Holds each request just before it writes its new agenda item until
    the other request has read the agenda as well (it stands at the same
    point) or is waiting for a lock (it cannot read before this one has
    committed). Without serialisation both requests read the old agenda."""

    def __init__(self):
        self.arrived = set()
        self.lock = threading.Lock()

    def gate(self, name):
        with self.lock:
            if name in self.arrived:
                return  # once per writer
            self.arrived.add(name)
        deadline = time.monotonic() + PATIENCE
        while not self._other_is_there(name):
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}: the other request never came")
            time.sleep(0.02)

    def _other_is_there(self, name):
        others = [other for other in self.arrived if other != name]
        return bool(others) or lock_waiters() > 0


def in_thread(target, *args):
    """Run `target` in a thread of its own (with its own database
    connection); the thread and a list that collects what it raised."""
    errors = []

    def run():
        try:
            target(*args)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        username="redaktoer", password="x", email="redaktoer@example.dk"
    )


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def public_agenda(meeting):
    """What a citizen sees of the meeting: the page, and its item 4s."""
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    response = Client().get(meeting.url) if meeting.live else None
    assert response is not None and response.status_code == 200, "not public"
    return response.text.count("Personsag")


pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_autosave_racing_publish_adds_the_new_item_once(monkeypatch, editor):
    """The publish of the editor's revision ("Udgiv") and the publish of the
    autosave's revision (e.g. by the scheduled publisher), each adding item
    4 to the published agenda, read the agenda at the same moment."""
    meeting = make_meeting(make_cluster(), start=local(2019, 11, 6, 16, 30))
    url = reverse("wagtailadmin_pages:edit", args=(meeting.pk,))
    loaded = meeting.get_latest_revision()
    autosave = logged_in(editor).post(
        url,
        edit_form(
            meeting,
            loaded_revision_id=loaded.pk,
            loaded_revision_created_at=loaded.created_at.isoformat(),
        ),
        headers={"Accept": "application/json"},
    )
    assert autosave.json()["success"] is True
    autosaved = meeting.revisions.get(pk=autosave.json()["revision_id"])

    rendezvous = Rendezvous()
    save = AgendaItem.save

    def gated_save(self, *args, **kwargs):
        if self.pk is None and self.number == 4:
            rendezvous.gate(threading.current_thread().name)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(AgendaItem, "save", gated_save)

    responses = {}

    def publish_form():
        responses["publish"] = logged_in(editor).post(
            url,
            edit_form(meeting, **{"action-publish": "action-publish"}),
        )

    threads = [
        in_thread(publish_form),
        in_thread(lambda: autosaved.publish(user=editor)),
    ]
    for thread, _errors in threads:
        thread.join()

    assert [errors for _thread, errors in threads] == [[], []]
    assert responses["publish"].status_code == 302
    assert public_agenda(meeting) == 1
    assert sorted(
        AgendaItem.objects.filter(page=meeting).values_list("number", flat=True)
    ) == [1, 2, 3, 4]


def test_autosave_read_before_publish_does_not_unpublish(editor):
    """An autosave that read the draft before "Udgiv" and saves after it is
    refused as out of date: saved, it would take the meeting off the site."""
    meeting = make_meeting(make_cluster(), start=local(2019, 11, 6, 16, 30), live=False)
    loaded = meeting.save_revision()  # the draft as the editor opened it
    url = reverse("wagtailadmin_pages:edit", args=(meeting.pk,))
    read, published = threading.Event(), threading.Event()

    def hold_autosave(request, page):
        if request.headers.get("Accept") == "application/json":
            read.set()
            assert published.wait(PATIENCE), "the publish never came"

    responses = {}

    def autosave():
        responses["autosave"] = logged_in(editor).post(
            url,
            edit_form(
                meeting,
                loaded_revision_id=loaded.pk,
                loaded_revision_created_at=loaded.created_at.isoformat(),
            ),
            headers={"Accept": "application/json"},
        )

    with hooks.register_temporarily("before_edit_page", hold_autosave):
        thread, errors = in_thread(autosave)
        assert read.wait(PATIENCE)
        publish = logged_in(editor).post(
            url, edit_form(meeting, **{"action-publish": "action-publish"})
        )
        published.set()
        thread.join()

    assert errors == []
    assert publish.status_code == 302
    assert public_agenda(meeting) == 1
    assert responses["autosave"].json() == {
        "success": False,
        "error_code": "invalid_revision",
        "error_message": "Mødet er blevet udgivet, mens du redigerede. Genindlæs "
        "siden for at fortsætte fra den udgivne version.",
    }
