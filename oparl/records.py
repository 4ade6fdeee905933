"""Keeping `ObjectRecord` in step with what the API shows.

`sync()` compares everything the API shows now with the records: an object
shown for the first time gets a record; one no longer shown (unpublished,
deleted, made private, under an unpublished page, a closed agenda item's
attachment, a person no longer named anywhere) is marked deleted as of now;
one shown again, or whose own modification time went backwards (minutes
withdrawn), is marked modified now. It runs after each content change (see
signals.py) and from `manage.py oparl_sync`.

`touch()` marks objects modified whose content changed without any page
being published: an edited person, organisation, place or document.
"""

from django.db import transaction
from django.utils import timezone

from .catalog import KINDS, Catalog, to_second
from .models import ObjectRecord

BATCH = 500


@transaction.atomic
def sync(now=None):
    """Bring the records in step with the content; returns the number of
    records added and changed."""
    now = to_second(now or timezone.now())
    catalog = Catalog()
    shown = {}
    for kind in KINDS:
        url_keys = catalog.url_keys(kind)
        for pk, stamp in catalog.own_of(kind).items():
            shown[kind, pk] = (url_keys[pk], stamp)
    records = {
        (record.kind, record.object_id): record
        for record in ObjectRecord.objects.select_for_update()
    }
    added, changed = [], []
    for (kind, pk), (url_key, stamp) in shown.items():
        record = records.get((kind, pk))
        if record is None:
            added.append(
                ObjectRecord(
                    kind=kind,
                    object_id=pk,
                    url_key=url_key,
                    created=stamp.created,
                    own_modified=stamp.modified,
                    modified=stamp.modified,
                )
            )
        elif record.deleted:
            record.deleted = False
            record.modified = now
            record.own_modified = stamp.modified
            changed.append(record)
        elif record.own_modified != stamp.modified:
            if stamp.modified < record.own_modified:
                record.modified = now
            record.own_modified = stamp.modified
            changed.append(record)
    for key, record in records.items():
        if key not in shown and not record.deleted:
            record.deleted = True
            record.modified = now
            changed.append(record)
    ObjectRecord.objects.bulk_create(added, batch_size=BATCH, ignore_conflicts=True)
    ObjectRecord.objects.bulk_update(
        changed, ["deleted", "modified", "own_modified"], batch_size=BATCH
    )
    return len(added), len(changed)


def touch(kind, pks, now=None):
    """Mark shown objects of one kind modified now."""
    now = to_second(now or timezone.now())
    return ObjectRecord.objects.filter(
        kind=kind, object_id__in=list(pks), deleted=False
    ).update(modified=now)
