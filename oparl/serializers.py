"""OParl 1.1 objects from the content (schema chapter 3 of the specification).

Ids are absolute URLs, times are `yyyy-mm-ddThh:mm:ss±hh:mm` in Danish time,
and optional properties without data are left out rather than given as
`null`, `""` or `[]` (spec 2.4). Properties OParl has no name for carry the
vendor prefix `klyngeportal:` (spec 3, "Herstellerspezifische
Erweiterungen").
"""

import hashlib
import html
import re

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from klynge_pages.conf import klynge_settings
from klynge_pages.models import (
    AgendaItem,
    AgendaItemAttachment,
    ClusterIndexPage,
    ClusterPage,
    Location,
    MeetingPage,
    MinutesDecision,
    Organisation,
    ParticipantRole,
    Person,
)

from .catalog import EPOCH, OPARL_TYPES
from .models import FileDigest

SCHEMA = "https://schema.oparl.org/1.1/"
VENDOR = "klyngeportal:"
# OParl's categories for `organizationType` (schema Organization).
COMMITTEE = "Gremium"
INSTITUTION = "Institution"
# `result` of an agenda item with a decision in approved minutes.
RESULT_DECIDED = "Behandlet"

SAMPLE_ID = "987654321"
SAMPLE_UUID = "98765432-1000-4000-8000-000000000000"
BLOCK_END = re.compile(r"</(p|li|h[1-6]|div)>|<br\s*/?>", re.IGNORECASE)
POSTAL_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<code>\d{4})\s+(?P<town>.+)$")


def timestamp(value):
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def text_lines(rich_text):
    """Rich text as plain text, a line per paragraph or list item (OParl's
    texts keep the paragraphs; the search's `plain_text` joins them)."""
    if not rich_text:
        return ""
    text = BLOCK_END.sub("\n", expand_db_html(rich_text))
    lines = (html.unescape(strip_tags(line)).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def compact(data):
    """Leave out optional properties without data (spec 2.4)."""
    return {
        key: value
        for key, value in data.items()
        if value is not None and value != "" and value != []
    }


class Serializer:
    """Turns the shown objects of one request into OParl JSON objects."""

    def __init__(self, request, catalog, omit_internal=False):
        self.request = request
        self.catalog = catalog
        self.omit_internal = omit_internal
        base = klynge_settings.OPARL_BASE_URL or request.build_absolute_uri("/")
        self.base = base.rstrip("/")
        self._templates = {}

    # --- ids and common properties --------------------------------------------

    def url(self, name, *args):
        """An absolute URL; reverse() once per name (lists make thousands)."""
        if len(args) != 1:
            return self.base + reverse(f"oparl:{name}", args=args)
        template = self._templates.get(name)
        if template is None:
            sample = SAMPLE_UUID if name == "agendaitem" else SAMPLE_ID
            url = self.base + reverse(f"oparl:{name}", args=[sample])
            template = self._templates[name] = url.split(sample)
        prefix, suffix = template
        return f"{prefix}{args[0]}{suffix}"

    def id(self, kind, url_key):
        return self.url(kind, url_key)

    def web(self, page):
        return page.get_full_url(self.request) if page else None

    def head(self, kind, pk, url_key=None, own=None):
        stamp = self.catalog.stamp(kind, pk, own)
        return {
            "id": self.id(kind, url_key or pk),
            "type": SCHEMA + OPARL_TYPES[kind],
            "created": timestamp(stamp.created),
            "modified": timestamp(stamp.modified),
        }

    def tombstone(self, kind, record):
        """A deleted object (spec 2.8): id, type and created are kept."""
        return {
            "id": self.id(kind, record["url_key"]),
            "type": SCHEMA + OPARL_TYPES[kind],
            "created": timestamp(record["created"]),
            "modified": timestamp(record["modified"]),
            "deleted": True,
        }

    # --- System, Body, LegislativeTerm -----------------------------------------

    def system(self):
        stamps = [self.catalog.stamp("body", pk) for pk in self.catalog.bodies]
        created = min((stamp.created for stamp in stamps), default=EPOCH)
        modified = max((stamp.modified for stamp in stamps), default=EPOCH)
        return compact(
            {
                "id": self.url("system"),
                "type": SCHEMA + "System",
                "oparlVersion": SCHEMA,
                "name": klynge_settings.OPARL_SYSTEM_NAME or settings.WAGTAIL_SITE_NAME,
                "body": self.url("body-list"),
                "license": klynge_settings.OPARL_LICENSE,
                "contactEmail": klynge_settings.OPARL_CONTACT_EMAIL,
                "contactName": klynge_settings.OPARL_CONTACT_NAME,
                "website": self.request.build_absolute_uri("/"),
                "created": timestamp(created),
                "modified": timestamp(modified),
            }
        )

    def bodies(self, pks):
        pages = ClusterIndexPage.objects.in_bulk(pks)
        return [self.body(pages[pk]) for pk in pks]

    def body(self, page):
        lists = {
            "organization": "organization",
            "person": "person",
            "meeting": "meeting",
            "paper": "paper",
            "agendaItem": "agendaitem",
            "consultation": "consultation",
            "file": "file",
            "locationList": "location",
            "legislativeTermList": "legislativeterm",
            "membership": "membership",
        }
        data = self.head("body", page.pk)
        data.update(
            system=self.url("system"),
            name=klynge_settings.OPARL_BODY_NAME or page.title,
            shortName=klynge_settings.OPARL_BODY_SHORT_NAME,
            license=klynge_settings.OPARL_LICENSE,
            contactEmail=klynge_settings.OPARL_CONTACT_EMAIL,
            contactName=klynge_settings.OPARL_CONTACT_NAME,
            website=self.web(page.get_parent()),
            web=self.web(page),
        )
        data.update(
            {name: self.url(f"body-{path}", page.pk) for name, path in lists.items()}
        )
        data = compact(data)
        # Required, so given even when empty (spec 2.4).
        data["legislativeTerm"] = [
            self.term(term, embedded=True) for term in self.catalog.terms.values()
        ]
        return data

    def term(self, term, embedded=False, body_id=None):
        data = {
            "id": self.url("legislativeterm", term.key),
            "type": SCHEMA + "LegislativeTerm",
            "name": term.name,
            "startDate": term.start.isoformat(),
            "endDate": term.end.isoformat(),
            "created": timestamp(term.stamp.created),
            "modified": timestamp(term.stamp.modified),
        }
        if not embedded and body_id is not None:
            data["body"] = self.url("body", body_id)
        return data

    # --- Organization ------------------------------------------------------------

    def clusters(self, pks):
        pages = ClusterPage.objects.in_bulk(pks)
        return [self.cluster(pages[pk]) for pk in pks]

    def cluster(self, page):
        row = self.catalog.clusters[page.pk]
        data = self.head("cluster", page.pk)
        parent = page.parent_body_id
        data.update(
            body=self.url("body", row["body_id"]),
            name=page.title,
            organizationType=COMMITTEE,
            classification=page.get_kind_display(),
            subOrganizationOf=(
                self.url("cluster", parent) if parent in self.catalog.clusters else None
            ),
            web=self.web(page),
        )
        data[VENDOR + "memberOrganization"] = [
            self.url("organisation", pk) for pk in row["members"]
        ]
        return compact(data)

    def organisations(self, pks):
        organisations = Organisation.objects.in_bulk(pks)
        body = (
            self.url("body", next(iter(self.catalog.bodies)))
            if self.catalog.bodies
            else None
        )
        return [self.organisation(organisations[pk], body) for pk in pks]

    def organisation(self, organisation, body=None):
        data = self.head("organisation", organisation.pk)
        data.update(
            body=body,
            name=organisation.name,
            shortName=organisation.short_name,
            organizationType=INSTITUTION,
            classification=organisation.get_kind_display(),
            website=organisation.website,
        )
        return compact(data)

    # --- Person and Membership ---------------------------------------------------

    def persons(self, pks):
        people = Person.objects.in_bulk(pks)
        memberships = {}
        if not self.omit_internal:
            for pk, (
                meeting_id,
                person_id,
                role,
                organisation_id,
            ) in self.catalog.memberships.items():
                if person_id in people:
                    memberships.setdefault(person_id, []).append(
                        (pk, meeting_id, role, organisation_id)
                    )
        starts = self.meeting_dates(
            {meeting_id for rows in memberships.values() for _, meeting_id, *_ in rows}
        )
        self.catalog.preload(
            "membership", [pk for rows in memberships.values() for pk, *_ in rows]
        )
        return [self.person(people[pk], memberships.get(pk, []), starts) for pk in pks]

    def person(self, person, memberships=(), starts=None):
        body_id, _ = self.catalog.person_details.get(person.pk, (None, None))
        data = self.head("person", person.pk)
        data.update(
            body=self.url("body", body_id) if body_id else None,
            name=person.name,
            status=[person.title] if person.title else [],
        )
        if not self.omit_internal:
            data["membership"] = [
                self.membership_data(
                    pk, meeting_id, None, role, organisation_id, starts
                )
                for pk, meeting_id, role, organisation_id in memberships
            ]
        return compact(data)

    def meeting_dates(self, meeting_ids):
        return {
            pk: timezone.localtime(start).date().isoformat()
            for pk, start in MeetingPage.objects.filter(pk__in=meeting_ids).values_list(
                "pk", "start"
            )
        }

    def memberships(self, pks):
        rows = self.catalog.memberships
        starts = self.meeting_dates({rows[pk][0] for pk in pks})
        return [
            self.membership_data(
                pk, rows[pk][0], rows[pk][1], rows[pk][2], rows[pk][3], starts
            )
            for pk in pks
        ]

    def membership_data(self, pk, meeting_id, person_id, role, organisation_id, starts):
        """A person's seat at one meeting of a body: the body, the role
        there, and the organisation the person sits for."""
        meeting = self.catalog.meetings[meeting_id]
        day = starts.get(meeting_id) if starts else None
        data = self.head("membership", pk, own=meeting.stamp)
        data.update(
            person=self.url("person", person_id) if person_id else None,
            organization=self.url("cluster", meeting.cluster_id),
            role=str(ParticipantRole(role).label)
            if role in ParticipantRole.values
            else role,
            onBehalfOf=(
                self.url("organisation", organisation_id) if organisation_id else None
            ),
            startDate=day,
            endDate=day,
        )
        data[VENDOR + "meeting"] = self.url("meeting", meeting_id)
        return compact(data)

    # --- Location ---------------------------------------------------------------

    def locations(self, pks):
        places = Location.objects.in_bulk(pks)
        meetings = {}
        for meeting in self.catalog.meetings.values():
            if meeting.location_id in places:
                meetings.setdefault(meeting.location_id, []).append(meeting.pk)
        return [
            self.location(places[pk], sorted(meetings.get(pk, [])), embedded=False)
            for pk in pks
        ]

    def location(self, location, meetings=(), embedded=True):
        data = self.head("location", location.pk)
        data["description"] = str(location)
        address = " ".join(location.address.split())
        match = POSTAL_ADDRESS.match(address)
        if match:
            data.update(
                streetAddress=match["street"],
                postalCode=match["code"],
                locality=match["town"],
            )
        elif address:
            data["streetAddress"] = address
        if not embedded:
            data["meetings"] = [self.url("meeting", pk) for pk in meetings]
        return compact(data)

    # --- Meeting, AgendaItem, File ------------------------------------------------

    def item_queryset(self):
        return AgendaItem.objects.prefetch_related(
            Prefetch(
                "attachments",
                queryset=AgendaItemAttachment.objects.select_related("document"),
            ),
            "tags",
        )

    def decisions(self, item_ids):
        """{agenda item pk: decision} from the approved minutes."""
        return {
            decision.agenda_item_id: decision
            for decision in MinutesDecision.objects.filter(
                agenda_item_id__in=item_ids,
                page_id__in=self.catalog.minutes_meeting,
            ).order_by("sort_order", "pk")
        }

    def meetings(self, pks):
        pages = MeetingPage.objects.select_related("location").in_bulk(pks)
        self.catalog.preload(
            "location",
            [page.location_id for page in pages.values() if page.location_id],
        )
        items = {}
        decisions = {}
        if not self.omit_internal:
            for item in self.item_queryset().filter(page_id__in=pks):
                items.setdefault(item.page_id, []).append(item)
            decisions = self.decisions(
                [item.pk for rows in items.values() for item in rows]
            )
        attachments = [
            attachment
            for rows in items.values()
            for item in rows
            if not item.closed
            for attachment in item.attachments.all()
        ]
        files = self.file_facts(attachments)
        self.catalog.preload("file", [attachment.pk for attachment in attachments])
        self.catalog.preload(
            "agendaitem", [item.pk for rows in items.values() for item in rows]
        )
        return [
            self.meeting(pages[pk], items.get(pk, []), decisions, files) for pk in pks
        ]

    def meeting_state(self, meeting_id):
        """`held` once the minutes are approved, `invited` while the
        published agenda has items, else `scheduled`."""
        if self.catalog.meetings[meeting_id].minutes_id:
            return "held"
        if self.catalog.item_counts.get(meeting_id):
            return "invited"
        return "scheduled"

    def meeting(self, page, items, decisions, files):
        row = self.catalog.meetings[page.pk]
        web = self.web(page)
        data = self.head("meeting", page.pk)
        data.update(
            name=page.title,
            meetingState=self.meeting_state(page.pk),
            cancelled=page.cancelled,
            start=timestamp(page.start),
            end=timestamp(page.end),
            location=self.location(page.location) if page.location else None,
            organization=[self.url("cluster", row.cluster_id)],
            participant=[
                self.url("person", pk) for pk in self.catalog.participants(page.pk)
            ],
            web=web,
        )
        data[VENDOR + "room"] = page.room
        if not self.omit_internal:
            ordered = sorted(items, key=lambda item: (item.sort_order, item.pk))
            data["agendaItem"] = [
                self.agenda_item(
                    item, web, decisions.get(item.pk), files, order=order, embedded=True
                )
                for order, item in enumerate(ordered)
            ]
        return compact(data)

    def agenda_items(self, pks):
        items = self.item_queryset().in_bulk(pks)
        decisions = self.decisions(pks)
        webs = {
            page.pk: self.web(page)
            for page in Page.objects.filter(
                pk__in={item.page_id for item in items.values()}
            ).only("url_path", "locale_id")
        }
        attachments = [
            attachment
            for item in items.values()
            if not item.closed and not self.omit_internal
            for attachment in item.attachments.all()
        ]
        files = self.file_facts(attachments)
        self.catalog.preload("file", [attachment.pk for attachment in attachments])
        return [
            self.agenda_item(
                items[pk],
                webs[items[pk].page_id],
                decisions.get(pk),
                files,
                order=self.catalog.items[pk].order,
            )
            for pk in pks
        ]

    def agenda_item(self, item, meeting_web, decision, files, order, embedded=False):
        """An agenda item. A closed one ("lukket punkt") shows what the
        public meeting page shows: its number and title, nothing else."""
        stamp = self.catalog.meetings[item.page_id].stamp
        data = self.head("agendaitem", item.pk, str(item.uuid), own=stamp)
        if not embedded:
            data["meeting"] = self.url("meeting", item.page_id)
        data.update(
            number=str(item.number),
            order=order,
            name=item.title,
            public=not item.closed,
            web=f"{meeting_web}#{item.anchor}" if meeting_web else None,
        )
        if not item.closed:
            data.update(
                keyword=sorted(tag.name for tag in item.tags.all()),
                result=RESULT_DECIDED if decision else None,
                resolutionText=text_lines(decision.decision) if decision else None,
            )
            data[VENDOR + "description"] = text_lines(item.description)
            data[VENDOR + "recommendation"] = text_lines(item.recommendation)
            if not self.omit_internal:
                confidential = self.catalog.confidential_documents
                data["auxiliaryFile"] = [
                    self.file(attachment, files, own=stamp, embedded=True)
                    for attachment in item.attachments.all()
                    if attachment.document_id not in confidential
                ]
        return compact(data)

    def files(self, pks):
        attachments = AgendaItemAttachment.objects.select_related(
            "document", "item"
        ).in_bulk(pks)
        facts = self.file_facts(attachments.values())
        return [self.file(attachments[pk], facts) for pk in pks]

    def file_facts(self, attachments):
        """{document pk: (size, sha512)} for the attachments' documents;
        checksums are computed once and kept (FileDigest)."""
        documents = {a.document_id: a.document for a in attachments}
        digests = {
            digest.document_id: digest
            for digest in FileDigest.objects.filter(document_id__in=documents)
        }
        facts = {}
        for pk, document in documents.items():
            digest = digests.get(pk)
            if digest is None or digest.file_name != document.file.name:
                digest = self.digest(document, digest)
            facts[pk] = (digest.size, digest.sha512) if digest else (None, None)
        return facts

    def digest(self, document, digest):
        sha512 = hashlib.sha512()
        size = 0
        try:
            with document.file.open("rb") as handle:
                for chunk in handle.chunks():
                    sha512.update(chunk)
                    size += len(chunk)
        except (OSError, ValueError):
            return None  # the file is missing from storage: say nothing
        digest = digest or FileDigest(document=document)
        digest.file_name = document.file.name
        digest.size = size
        digest.sha512 = sha512.hexdigest()
        digest.save()
        return digest

    def file(self, attachment, facts, own=None, embedded=False):
        document = attachment.document
        size, sha512 = facts.get(document.pk, (None, None))
        data = self.head("file", attachment.pk, own=own)
        data.update(
            name=attachment.display_label,
            fileName=document.filename,
            mimeType=document.content_type,
            size=size,
            sha512Checksum=sha512,
            accessUrl=self.url("file-access", attachment.pk),
            downloadUrl=self.url("file-download", attachment.pk),
        )
        if not embedded:
            data["agendaItem"] = [self.url("agendaitem", str(attachment.item.uuid))]
        return compact(data)
