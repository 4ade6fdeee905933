from ..constants import Attendance, ParticipantRole, SignOffMode
from .pages import (
    AgendaItem,
    AgendaItemAttachment,
    AgendaItemTag,
    ClusterIndexPage,
    ClusterMembership,
    ClusterPage,
    MeetingPage,
    MeetingParticipant,
    MinutesAttendance,
    MinutesDecision,
    MinutesPage,
    MinutesSignOff,
)
from .querysets import public_page_ids, public_pages, visible_pages
from .snippets import Location, Organisation, Person, Signatory
from .workflow import ClusterSignOffTask, MinutesWorkflow

__all__ = [
    "ClusterSignOffTask",
    "MinutesWorkflow",
    "SignOffMode",
    "AgendaItem",
    "AgendaItemAttachment",
    "AgendaItemTag",
    "Attendance",
    "ClusterIndexPage",
    "ClusterMembership",
    "ClusterPage",
    "Location",
    "MeetingPage",
    "MeetingParticipant",
    "MinutesAttendance",
    "MinutesDecision",
    "MinutesPage",
    "MinutesSignOff",
    "Organisation",
    "ParticipantRole",
    "Person",
    "public_page_ids",
    "public_pages",
    "visible_pages",
    "Signatory",
]
