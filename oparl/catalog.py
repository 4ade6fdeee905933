"""What the OParl API shows, and when each object was created and changed.

Only published, public content reaches the API: a page is shown when a
citizen can open it (klynge_pages' `visible()`: live, not private, no
unpublished ancestor). People, organisations and
places are snippets without a publishing state of their own: they are shown
while published content refers to them, so a person who only signs minutes
off, or appears only in minutes awaiting approval, is never shown.

Timestamps: the content has no `created`/`modified` of its own below the
page level, so each object takes them from the page that carries it: a
meeting from its page and its approved minutes, an agenda item, its
attachments (files) and its participants (memberships) from their meeting,
people, organisations and places from the content that refers to them.
`ObjectRecord` adds what those fields cannot tell (see models.py).

The catalog reads values only (tuples, no model instances), so the largest
list costs a few queries whatever its length; the objects of one list page
are loaded by `serializers.py`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Page

from klynge_pages.cluster_documents import document_owners
from klynge_pages.conf import klynge_settings
from klynge_pages.models import (
    AgendaItem,
    AgendaItemAttachment,
    Attendance,
    ClusterIndexPage,
    ClusterMembership,
    ClusterPage,
    MeetingPage,
    MeetingParticipant,
    MinutesAttendance,
    MinutesPage,
)

from .models import ObjectRecord

STEP = Page.steplen
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# OParl object type of each kind of object the API shows.
OPARL_TYPES = {
    "body": "Body",
    "cluster": "Organization",
    "organisation": "Organization",
    "person": "Person",
    "membership": "Membership",
    "meeting": "Meeting",
    "agendaitem": "AgendaItem",
    "file": "File",
    "location": "Location",
}
KINDS = tuple(OPARL_TYPES)
RECORD = ("object_id", "url_key", "created", "modified", "deleted")


def to_second(value):
    """OParl writes times to the second; compare them at that precision too,
    so that a client's `modified_since` copied from an object includes it."""
    return value.replace(microsecond=0) if value else value


@dataclass(frozen=True)
class Stamp:
    created: datetime
    modified: datetime

    @classmethod
    def of_page(cls, row):
        first = row["first_published_at"] or row["last_published_at"] or EPOCH
        last = row["last_published_at"] or first
        return cls(to_second(first), to_second(max(first, last)))

    def widen(self, other):
        if other is None:
            return self
        return Stamp(
            min(self.created, other.created), max(self.modified, other.modified)
        )

    def touched(self, when):
        return Stamp(self.created, max(self.modified, to_second(when)))


def widen(stamps, key, stamp):
    stamps[key] = stamp.widen(stamps.get(key))


@dataclass(frozen=True)
class Term:
    """A legislative term: the four-year term of the municipal and regional
    councils whose politicians sit in the political clusters."""

    start: date
    end: date

    @property
    def key(self):
        return self.start.year

    @property
    def name(self):
        return f"Valgperiode {self.start.year}–{self.end.year}"

    @property
    def stamp(self):
        zone = ZoneInfo(settings.TIME_ZONE)
        start = datetime.combine(self.start, time.min, tzinfo=zone)
        return Stamp(start, start)


def legislative_terms(today=None):
    """Terms from KLYNGE_OPARL_FIRST_TERM (the first term's first year; Danish
    councils are elected for four years from 1 January 2018, 2022, 2026, …)
    up to the current one."""
    today = today or timezone.localdate()
    first = klynge_settings.OPARL_FIRST_TERM
    years = klynge_settings.OPARL_TERM_YEARS
    terms = []
    year = first
    while year <= today.year:
        terms.append(Term(date(year, 1, 1), date(year + years - 1, 12, 31)))
        year += years
    return terms


@dataclass(frozen=True)
class MeetingRow:
    pk: int
    body_id: int
    cluster_id: int
    location_id: int | None
    host_id: int | None
    stamp: Stamp
    minutes_id: int | None
    minutes_stamp: Stamp | None


@dataclass(frozen=True)
class ItemRow:
    pk: int
    meeting_id: int
    closed: bool
    order: int


@dataclass(frozen=True)
class Entry:
    """One object of a list: shown, or gone (`deleted`: its record)."""

    sort: tuple
    kind: str
    pk: int
    created: datetime
    modified: datetime
    deleted: dict | None = None


class Catalog:
    """Everything the API shows under one body (or under every body), with
    each object's own `created`/`modified`. One catalog serves one request."""

    def __init__(self, body_id=None, today=None):
        self.body_id = body_id
        self.today = today
        self._own = {}
        self._records = {}
        self._some_records = {}

    # --- pages --------------------------------------------------------------

    @cached_property
    def bodies(self):
        """{pk: row} of the shown cluster indexes: each is an OParl Body."""
        pages = ClusterIndexPage.objects.visible().filter(depth__gt=1)
        if self.body_id is not None:
            pages = pages.filter(pk=self.body_id)
        return {
            row["pk"]: row
            for row in pages.values(
                "pk",
                "path",
                "depth",
                "title",
                "first_published_at",
                "last_published_at",
            )
        }

    def _below_bodies(self, model, generations):
        """The pages `generations` levels below a shown body that a citizen
        can open."""
        where = Q()
        for row in self.bodies.values():
            where |= Q(path__startswith=row["path"], depth=row["depth"] + generations)
        if not where:
            return model.objects.none()
        return model.objects.visible().filter(where)

    @cached_property
    def clusters(self):
        """{pk: row} of the shown clusters, each with its body and members."""
        body_paths = {row["path"]: pk for pk, row in self.bodies.items()}
        rows = {}
        for row in self._below_bodies(ClusterPage, 1).values(
            "pk",
            "path",
            "title",
            "parent_body_id",
            "first_published_at",
            "last_published_at",
        ):
            row["body_id"] = body_paths[row["path"][:-STEP]]
            row["stamp"] = Stamp.of_page(row)
            row["members"] = []
            rows[row["pk"]] = row
        for cluster_id, organisation_id in (
            ClusterMembership.objects.filter(page_id__in=rows)
            .order_by("page_id", "sort_order", "pk")
            .values_list("page_id", "organisation_id")
        ):
            rows[cluster_id]["members"].append(organisation_id)
        return rows

    @cached_property
    def meetings(self):
        """{pk: MeetingRow} of the shown meetings, each with its approved
        (live, public) minutes if any."""
        cluster_paths = {row["path"]: row for row in self.clusters.values()}
        pages = {}
        for row in self._below_bodies(MeetingPage, 2).values(
            "pk",
            "path",
            "location_id",
            "host_id",
            "first_published_at",
            "last_published_at",
        ):
            cluster = cluster_paths.get(row["path"][:-STEP])
            if cluster is not None:
                pages[row["path"]] = (row, cluster)
        minutes = {}
        for row in (
            self._below_bodies(MinutesPage, 3)
            .order_by("pk")
            .values("pk", "path", "first_published_at", "last_published_at")
        ):
            minutes.setdefault(row["path"][:-STEP], row)
        meetings = {}
        for path, (row, cluster) in pages.items():
            stamp = Stamp.of_page(row)
            minutes_row = minutes.get(path)
            minutes_stamp = Stamp.of_page(minutes_row) if minutes_row else None
            if minutes_stamp:
                stamp = Stamp(
                    stamp.created, max(stamp.modified, minutes_stamp.modified)
                )
            meetings[row["pk"]] = MeetingRow(
                pk=row["pk"],
                body_id=cluster["body_id"],
                cluster_id=cluster["pk"],
                location_id=row["location_id"],
                host_id=row["host_id"],
                stamp=stamp,
                minutes_id=minutes_row["pk"] if minutes_row else None,
                minutes_stamp=minutes_stamp,
            )
        return meetings

    @cached_property
    def minutes_meeting(self):
        """{minutes pk: meeting pk} of the approved minutes shown."""
        return {
            row.minutes_id: pk for pk, row in self.meetings.items() if row.minutes_id
        }

    # --- rows of the meeting pages -------------------------------------------

    @cached_property
    def items(self):
        """{pk: ItemRow} of every agenda item of a shown meeting, closed ones
        included (they are shown as `public: false`)."""
        # Without the uuids: converting thousands of them costs more than
        # the query; only the page's own items need theirs.
        rows = (
            AgendaItem.objects.filter(page_id__in=self.meetings)
            .order_by("page_id", "sort_order", "pk")
            .values_list("pk", "page_id", "closed")
        )
        items = {}
        position = defaultdict(int)
        for pk, meeting_id, closed in rows:
            items[pk] = ItemRow(pk, meeting_id, closed, position[meeting_id])
            position[meeting_id] += 1
        return items

    @cached_property
    def item_counts(self):
        """{meeting pk: number of agenda items}."""
        if "items" in self.__dict__:
            counts = defaultdict(int)
            for row in self.items.values():
                counts[row.meeting_id] += 1
            return counts
        return dict(
            AgendaItem.objects.filter(page_id__in=self.meetings)
            .order_by()
            .values("page_id")
            .annotate(count=Count("pk"))
            .values_list("page_id", "count")
        )

    def item_pk(self, uuid):
        return AgendaItem.objects.filter(uuid=uuid).values_list("pk", flat=True).first()

    def url_keys(self, kind):
        """{pk: the object's key in its URL}: the uuid of an agenda item,
        else the id."""
        if kind == "agendaitem":
            return {
                pk: str(uuid)
                for pk, uuid in AgendaItem.objects.filter(
                    pk__in=self.own_of(kind)
                ).values_list("pk", "uuid")
            }
        return {pk: str(pk) for pk in self.own_of(kind)}

    @cached_property
    def files(self):
        """{attachment pk: (item pk, document pk)}: the attachments of open
        agenda items. A closed item's attachments are never shown, a
        document attached to a closed item anywhere stays confidential
        everywhere, and a document from another cluster's collection is not
        shown (the rules the site's document serving follows too)."""
        rows = list(
            AgendaItemAttachment.objects.filter(
                item__page_id__in=self.meetings, item__closed=False
            ).values_list("pk", "item_id", "document_id", "item__page_id")
        )
        # Only a document of the meeting's own cluster (its collection), the
        # rule of the site's document serving (klynge_pages.cluster_documents).
        owners = document_owners({row[2] for row in rows})
        return {
            pk: (item_id, document_id)
            for pk, item_id, document_id, meeting_id in rows
            if document_id not in self.confidential_documents
            and owners.get(document_id) is not None
            and owners[document_id]
            == self.clusters[self.meetings[meeting_id].cluster_id]["path"]
        }

    @cached_property
    def confidential_documents(self):
        """Ids of the documents attached to a closed agenda item."""
        return set(
            AgendaItemAttachment.objects.filter(item__closed=True).values_list(
                "document_id", flat=True
            )
        )

    @cached_property
    def memberships(self):
        """{participant pk: (meeting pk, person pk, role, organisation pk)}:
        a person's seat at a meeting of a body, as the meeting page lists it."""
        return {
            pk: (meeting_id, person_id, role, organisation_id)
            for pk, meeting_id, person_id, role, organisation_id in (
                MeetingParticipant.objects.filter(page_id__in=self.meetings)
                .order_by("pk")
                .values_list(
                    "pk", "page_id", "person_id", "role", "person__organisation_id"
                )
            )
        }

    @cached_property
    def attendance(self):
        """[(meeting pk, person pk, attendance, organisation pk)] from the
        approved minutes."""
        return [
            (self.minutes_meeting[minutes_id], person_id, attendance, organisation_id)
            for minutes_id, person_id, attendance, organisation_id in (
                MinutesAttendance.objects.filter(page_id__in=self.minutes_meeting)
                .order_by("page_id", "sort_order", "pk")
                .values_list(
                    "page_id", "person_id", "attendance", "person__organisation_id"
                )
            )
        ]

    def participants(self, meeting_id):
        """People who took part, by the approved minutes (OParl's
        `participant` is who was there, not who was invited)."""
        present = {Attendance.PRESENT, Attendance.AD_HOC}
        return [
            person_id
            for meeting, person_id, attendance, _ in self.attendance
            if meeting == meeting_id and attendance in present
        ]

    # --- snippets shown through the pages -------------------------------------

    @cached_property
    def persons(self):
        """{pk: Stamp} of the people named on shown meetings or approved
        minutes."""
        stamps = {}
        for meeting_id, person_id, _, _ in self.memberships.values():
            widen(stamps, person_id, self.meetings[meeting_id].stamp)
        for meeting_id, person_id, _, _ in self.attendance:
            meeting = self.meetings[meeting_id]
            widen(
                stamps,
                person_id,
                Stamp(meeting.minutes_stamp.created, meeting.stamp.modified),
            )
        return stamps

    @cached_property
    def person_details(self):
        """{person pk: (body pk, organisation pk)}."""
        details = {}
        for meeting_id, person_id, _, organisation_id in self.memberships.values():
            details.setdefault(
                person_id, (self.meetings[meeting_id].body_id, organisation_id)
            )
        for meeting_id, person_id, _, organisation_id in self.attendance:
            details.setdefault(
                person_id, (self.meetings[meeting_id].body_id, organisation_id)
            )
        return details

    @cached_property
    def organisations(self):
        """{pk: Stamp} of the organisations that are members of a shown
        cluster, host a shown meeting, or send a person shown."""
        stamps = {}
        for cluster in self.clusters.values():
            for organisation_id in cluster["members"]:
                widen(stamps, organisation_id, cluster["stamp"])
        for meeting in self.meetings.values():
            if meeting.host_id:
                widen(stamps, meeting.host_id, meeting.stamp)
        for person_id, (_, organisation_id) in self.person_details.items():
            if organisation_id:
                widen(stamps, organisation_id, self.persons[person_id])
        return stamps

    @cached_property
    def locations(self):
        """{pk: Stamp} of the places of shown meetings."""
        stamps = {}
        for meeting in self.meetings.values():
            if meeting.location_id:
                widen(stamps, meeting.location_id, meeting.stamp)
        return stamps

    @cached_property
    def terms(self):
        return {term.key: term for term in legislative_terms(self.today)}

    # --- every kind alike ----------------------------------------------------

    def body_stamp(self, row):
        stamp = Stamp.of_page(row)
        terms = list(self.terms.values())
        # The body lists the terms: a new term changes it.
        return stamp.touched(terms[-1].stamp.modified) if terms else stamp

    def own(self, kind):
        """{pk: own Stamp} of the shown objects of one kind."""
        if kind == "body":
            return {pk: self.body_stamp(row) for pk, row in self.bodies.items()}
        if kind == "cluster":
            return {pk: row["stamp"] for pk, row in self.clusters.items()}
        if kind == "meeting":
            return {pk: row.stamp for pk, row in self.meetings.items()}
        if kind == "agendaitem":
            return {
                pk: self.meetings[row.meeting_id].stamp
                for pk, row in self.items.items()
            }
        if kind == "file":
            items = self.items
            return {
                pk: self.meetings[items[item_id].meeting_id].stamp
                for pk, (item_id, _) in self.files.items()
            }
        if kind == "membership":
            return {
                pk: self.meetings[meeting_id].stamp
                for pk, (meeting_id, *_) in self.memberships.items()
            }
        return dict(
            {
                "person": self.persons,
                "organisation": self.organisations,
                "location": self.locations,
            }[kind]
        )

    def own_of(self, kind):
        if kind not in self._own:
            self._own[kind] = self.own(kind)
        return self._own[kind]

    def records(self, kind):
        """{object pk: ObjectRecord values} of one kind, all of them."""
        if kind not in self._records:
            self._records[kind] = {
                row["object_id"]: row
                for row in ObjectRecord.objects.filter(kind=kind).values(*RECORD)
            }
        return self._records[kind]

    def preload(self, kind, pks):
        """Fetch the records of some objects of one kind in one query (for
        objects given inside others: only those on the page)."""
        if kind in self._records:
            return
        known = self._some_records.setdefault(kind, {})
        missing = [pk for pk in pks if pk not in known]
        if not missing:
            return
        known.update(dict.fromkeys(missing))
        for row in ObjectRecord.objects.filter(kind=kind, object_id__in=missing).values(
            *RECORD
        ):
            known[row["object_id"]] = row

    def record(self, kind, pk):
        if kind in self._records:
            return self._records[kind].get(pk)
        known = self._some_records.get(kind, {})
        if pk not in known:
            self.preload(kind, [pk])
        return self._some_records[kind][pk]

    def shows(self, kind, pk):
        return pk in self.own_of(kind)

    def stamp(self, kind, pk, own=None):
        """The `created`/`modified` the API gives a shown object: its own
        (`own`, or else looked up), with the record's `created` (it never
        moves) and later changes."""
        if own is None:
            own = self.own_of(kind)[pk]
        record = self.record(kind, pk)
        if record is None:
            return own
        return Stamp(record["created"], max(own.modified, record["modified"]))

    def entries(self, kind, rank=0, with_deleted=False):
        """The list of one kind: shown objects, and with `with_deleted` the
        records of those no longer shown (soft delete), ordered by id."""
        shown = self.own_of(kind)
        records = self.records(kind)
        entries = []
        for pk, own in shown.items():
            stamp = self.stamp(kind, pk, own)
            entries.append(Entry((rank, pk), kind, pk, stamp.created, stamp.modified))
        if with_deleted:
            for pk, record in records.items():
                if pk not in shown:
                    entries.append(
                        Entry(
                            (rank, pk),
                            kind,
                            pk,
                            record["created"],
                            record["modified"],
                            deleted=record,
                        )
                    )
        entries.sort(key=lambda entry: entry.sort)
        return entries

    def gone(self, kind, url_key):
        """The record of an object no longer shown, by the key in its URL,
        or None."""
        record = (
            ObjectRecord.objects.filter(kind=kind, url_key=url_key)
            .values(*RECORD)
            .first()
        )
        if record is None or self.shows(kind, record["object_id"]):
            return None
        return record
