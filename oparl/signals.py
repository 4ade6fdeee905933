"""Content changes that the API's records must follow (see records.py).

Publishing, unpublishing, deleting and moving pages, and making them private
or public again, can show or hide many objects at once (a whole cluster's
meetings), so each schedules one `records.sync()` after the transaction
commits, however many signals it sends. Edited snippets and documents are
touched as well: nothing on a page tells that they changed.
"""

import threading
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from klynge_pages.models import (
    AgendaItemAttachment,
    ClusterIndexPage,
    ClusterPage,
    Location,
    MeetingPage,
    MeetingParticipant,
    MinutesPage,
    Organisation,
    Person,
)

from . import records

DISPATCH = "oparl_records"
_state = threading.local()


def _sync_once():
    # Of the callbacks one transaction registered, the first syncs for all.
    if getattr(_state, "pending", False):
        _state.pending = False
        records.sync()


def schedule_sync(**kwargs):
    if kwargs.get("raw"):
        return
    _state.pending = True
    transaction.on_commit(_sync_once, robust=True)


def schedule_touch(kind, pks):
    # After the sync, so that an object shown for the first time has its
    # record to touch.
    transaction.on_commit(partial(records.touch, kind, pks), robust=True)


def person_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    schedule_sync()
    schedule_touch("person", [instance.pk])
    # A membership names the organisation its person sits for.
    schedule_touch(
        "membership",
        MeetingParticipant.objects.filter(person=instance).values_list("pk", flat=True),
    )


def organisation_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    schedule_sync()
    schedule_touch("organisation", [instance.pk])


def location_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    schedule_sync()
    schedule_touch("location", [instance.pk])
    # Meetings carry their place inside them.
    schedule_touch(
        "meeting",
        MeetingPage.objects.filter(location=instance).values_list("pk", flat=True),
    )


def document_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    schedule_touch(
        "file",
        AgendaItemAttachment.objects.filter(document=instance).values_list(
            "pk", flat=True
        ),
    )


PAGE_MODELS = (ClusterIndexPage, ClusterPage, MeetingPage, MinutesPage)


def connect():
    page_published.connect(schedule_sync, dispatch_uid=f"{DISPATCH}_published")
    page_unpublished.connect(schedule_sync, dispatch_uid=f"{DISPATCH}_unpublished")
    post_page_move.connect(schedule_sync, dispatch_uid=f"{DISPATCH}_moved")
    # Deleting any page above them deletes these too, one signal each.
    for model in (*PAGE_MODELS, Person, Organisation, Location):
        post_delete.connect(
            schedule_sync, sender=model, dispatch_uid=f"{DISPATCH}_{model.__name__}"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            schedule_sync,
            sender=PageViewRestriction,
            dispatch_uid=f"{DISPATCH}_restriction_{signal is post_save}",
        )
    post_save.connect(person_saved, sender=Person, dispatch_uid=f"{DISPATCH}_person")
    post_save.connect(
        organisation_saved,
        sender=Organisation,
        dispatch_uid=f"{DISPATCH}_organisation",
    )
    post_save.connect(
        location_saved, sender=Location, dispatch_uid=f"{DISPATCH}_location"
    )
    post_save.connect(
        document_saved,
        sender=get_document_model(),
        dispatch_uid=f"{DISPATCH}_document",
    )
