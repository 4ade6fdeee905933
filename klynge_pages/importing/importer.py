"""Parsed minutes to draft pages: a MeetingPage (time, place, participants,
agenda) with a MinutesPage under it (attendance, decisions, minute-taker,
and the text that was not recognised), both unpublished. One transaction
per document: a document either gives both pages or nothing.

People and organisations are matched to the register's snippets by name
(case-insensitive, whitespace collapsed; an organisation also by its short
name). An unknown participant becomes a new Person (reported); an unknown
organisation is never created (the register is curated), only reported and
kept in the import notes.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..dates import danish_date, danish_meeting_time, local
from ..models import (
    AgendaItem,
    Attendance,
    Location,
    MeetingPage,
    MeetingParticipant,
    MinutesAttendance,
    MinutesDecision,
    MinutesPage,
    Organisation,
    ParticipantRole,
    Person,
)
from .parser import (
    AD_HOC,
    APOLOGIES,
    PRESENT,
    TIME_ZONE,
    ParseError,
    known_names,
    parse_minutes,
)
from .reading import ImportFileError, read_text
from .text import normalise_name, rich_text

logger = logging.getLogger(__name__)

ATTENDANCE = {
    PRESENT: Attendance.PRESENT,
    APOLOGIES: Attendance.APOLOGIES,
    AD_HOC: Attendance.AD_HOC,
}


class ImportRefused(ValueError):
    """The document parsed but cannot become pages; the message is Danish."""


@dataclass
class ImportReport:
    """What one document gave: the pages, what was recognised, what was
    not. `error` is set (Danish) when nothing was created."""

    filename: str
    error: str = ""
    dry_run: bool = False  # nothing was written
    meeting: MeetingPage | None = None
    minutes: MinutesPage | None = None
    recognised: list = field(default_factory=list)  # Danish sentences
    missing: list = field(default_factory=list)  # what was not found, warnings
    unrecognised: list = field(default_factory=list)  # lines as written
    created_people: list = field(default_factory=list)
    created_locations: list = field(default_factory=list)
    unknown_organisations: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.error

    def lines(self):
        """The report as text lines (the command prints them)."""
        out = [f"{self.filename}:"]
        if self.error:
            out.append("  " + _("FEJL: %(error)s") % {"error": self.error})
            out.append("  " + _("Intet er oprettet."))
            return out
        if self.dry_run:
            message = _(
                "Prøvekørsel, intet er gemt: mødet „%(meeting)s“ og referatet "
                "„%(minutes)s“ ville blive oprettet som kladder."
            )
        else:
            message = _(
                "Oprettet som kladder: mødet „%(meeting)s“ og referatet „%(minutes)s“."
            )
        out.append(
            "  "
            + message % {"meeting": self.meeting.title, "minutes": self.minutes.title}
        )
        out.append("  " + _("Genkendt:"))
        out += [f"    - {line}" for line in self.recognised]
        for heading, entries in (
            (_("Nye personer oprettet:"), self.created_people),
            (_("Nye mødesteder oprettet:"), self.created_locations),
            (
                _("Organisationer, der ikke findes i registret (ikke oprettet):"),
                self.unknown_organisations,
            ),
            (_("Ikke fundet / kontrollér:"), self.missing),
            (
                _("Ikke genkendt tekst (gemt i referatets importnoter):"),
                self.unrecognised,
            ),
        ):
            if entries:
                out.append("  " + heading)
                out += [f"    - {entry}" for entry in entries]
        return out


def import_file(data, filename, cluster, user=None, dry_run=False):
    """Import one file's bytes into `cluster`; never raises for bad input:
    the report carries the error, and nothing is written. With `dry_run`
    the import runs in full (the same checks, the same report) and is rolled
    back."""
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        text = read_text(data, filename)
        organisations = list(Organisation.objects.all())
        parsed = parse_minutes(text, known_names(organisations))
        with transaction.atomic():
            _create_pages(parsed, cluster, organisations, user, report)
            if dry_run:
                transaction.set_rollback(True)
    except (ImportFileError, ParseError, ImportRefused) as exc:
        _failed(report, str(exc))
    except ValidationError as exc:
        _failed(
            report,
            _("Siderne kunne ikke gemmes: %(errors)s")
            % {"errors": "; ".join(exc.messages)},
        )
    return report


def _failed(report, message):
    report.error = message
    report.meeting = report.minutes = None
    report.recognised, report.created_people = [], []
    report.created_locations, report.unknown_organisations = [], []


def _same_day_meeting(cluster, start):
    day = timezone.localtime(start, TIME_ZONE).date()
    begin = datetime.combine(day, time(0, 0), TIME_ZONE)
    return (
        MeetingPage.objects.child_of(cluster)
        .filter(start__gte=begin, start__lt=begin + timedelta(days=1))
        .first()
    )


class _Register:
    """Organisations and people of the register, matched by name."""

    def __init__(self, organisations, report, cluster):
        self.report = report
        self.cluster = cluster
        self.organisations = {}
        for organisation in organisations:
            for name in (organisation.name, organisation.short_name):
                if name:
                    self.organisations.setdefault(normalise_name(name), organisation)
        self.people = defaultdict(list)
        for person in Person.objects.select_related("organisation"):
            self.people[normalise_name(person.name)].append(person)
        self.resolved = {}

    def organisation(self, text):
        if not text:
            return None
        organisation = self.organisations.get(normalise_name(text))
        if organisation is None and text not in self.report.unknown_organisations:
            self.report.unknown_organisations.append(text)
        return organisation

    def person(self, parsed):
        key = normalise_name(parsed.name)
        organisation = self.organisation(parsed.organisation)
        if key in self.resolved and (
            organisation is None
            or self.resolved[key].organisation_id == organisation.pk
        ):
            return self.resolved[key]
        candidates = self.people[key]
        if organisation is not None:
            match = next(
                (p for p in candidates if p.organisation_id == organisation.pk), None
            )
        else:
            match = candidates[0] if len(candidates) == 1 else None
            if len(candidates) > 1:
                self.report.missing.append(
                    _(
                        "„%(name)s“ findes flere gange i registret; vælg den rigtige "
                        "person i mødet."
                    )
                    % {"name": parsed.name}
                )
                match = candidates[0]
        if match is None:
            match = Person.objects.create(
                name=parsed.name,
                title=parsed.title,
                organisation=organisation,
                cluster=self.cluster,
            )
            self.people[key].append(match)
            self.report.created_people.append(match.public_label)
        self.resolved[key] = match
        return match


def _location(parsed, report, cluster):
    if not parsed.location:
        return None
    name, address = parsed.location_name, parsed.location_address
    wanted = normalise_name(name)
    for location in Location.objects.all():
        if normalise_name(location.name) == wanted and (
            not address or normalise_name(location.address) == normalise_name(address)
        ):
            return location
    location = Location.objects.create(
        name=name[:255], address=address, cluster=cluster
    )
    report.created_locations.append(str(location))
    return location


def _people_rows(parsed, register, model):
    rows, seen = [], set()
    chair_key = normalise_name(parsed.chair.name) if parsed.chair else None
    people = list(parsed.people)
    if parsed.chair and chair_key not in {normalise_name(p.name) for p in people}:
        people.insert(0, parsed.chair)
    for parsed_person in people:
        person = register.person(parsed_person)
        if person.pk in seen:
            continue
        seen.add(person.pk)
        role = ParticipantRole.MEMBER
        if normalise_name(parsed_person.name) == chair_key:
            role = ParticipantRole.CHAIR
        elif parsed_person.attendance == AD_HOC:
            role = ParticipantRole.GUEST
        rows.append(
            model(
                person=person,
                role=role,
                attendance=ATTENDANCE[parsed_person.attendance],
                sort_order=len(rows),
            )
        )
    return rows


def _create_pages(parsed, cluster, organisations, user, report):
    if not parsed.items:
        raise ImportRefused(
            _(
                "Der blev ikke fundet nogen nummererede dagsordenspunkter (fx "
                "„Punkt 1: …“, „1. …“ eller „Ad 1“)."
            )
        )
    existing = _same_day_meeting(cluster, parsed.start)
    if existing is not None:
        raise ImportRefused(
            _("„%(cluster)s“ har allerede et møde den %(date)s: „%(title)s“.")
            % {
                "cluster": cluster.title,
                "date": danish_date(local(existing.start, TIME_ZONE)),
                "title": existing.title,
            }
        )
    register = _Register(organisations, report, cluster)
    location = _location(parsed, report, cluster)
    # The host chairs the meeting ("værtskabet leder mødet").
    host = None
    if parsed.chair:
        chair = next(
            (
                person
                for person in parsed.people
                if normalise_name(person.name) == normalise_name(parsed.chair.name)
            ),
            parsed.chair,
        )
        host = register.organisation(chair.organisation or parsed.chair.organisation)

    title = parsed.meeting_title or _("Møde i %(cluster)s") % {"cluster": cluster.title}
    meeting = MeetingPage(
        title=title[:255],
        slug=cluster.meeting_slug(parsed.start),
        live=False,
        start=parsed.start,
        end=parsed.end,
        location=location,
        room=parsed.room,
        host=host,
    )
    meeting.participants = _people_rows(parsed, register, MeetingParticipant)
    meeting.agenda_items = [
        AgendaItem(
            number=item.number,
            title=item.title or _("Punkt %(number)d") % {"number": item.number},
            description=rich_text(item.description),
            recommendation=rich_text(item.recommendation),
            closed=item.closed,
            sort_order=position,
        )
        for position, item in enumerate(parsed.items)
    ]
    cluster.add_child(instance=meeting)
    meeting.save_revision(user=user, log_action=True)

    saved_items = {item.number: item for item in meeting.agenda_items.all()}
    minute_taker = register.person(parsed.minute_taker) if parsed.minute_taker else None
    minutes = MinutesPage(
        title=(parsed.heading or _("Referat fra %(title)s") % {"title": title})[:255],
        slug="referat",
        live=False,
        minute_taker=minute_taker,
        import_notes=_import_notes(parsed, report),
    )
    minutes.attendance = _people_rows(parsed, register, MinutesAttendance)
    minutes.decisions = [
        MinutesDecision(
            agenda_item=saved_items[item.number],
            decision=rich_text(item.decision),
            sort_order=position,
        )
        for position, item in enumerate(parsed.items)
        if item.decision
    ]
    meeting.add_child(instance=minutes)
    minutes.save_revision(user=user, log_action=True)
    report.meeting, report.minutes = meeting, minutes
    _describe(parsed, report, cluster)


def _import_notes(parsed, report):
    """The editor's view of what the import could not place."""
    parts = []
    if parsed.unrecognised:
        parts.append("\n".join(parsed.unrecognised))
    attachments = [
        f"Punkt {item.number}: {', '.join(item.attachments)}"
        for item in parsed.items
        if item.attachments
    ]
    if attachments:
        parts.append(
            _("Bilag nævnt i referatet (tilknyt dokumenterne i mødet):")
            + "\n"
            + "\n".join(attachments)
        )
    cases = [
        (_("Mødet") if number is None else _("Punkt %(number)d") % {"number": number})
        + f": {case.line or case.number}"
        for number, case in parsed.all_case_numbers()
    ]
    if cases:
        parts.append(_("Sagsnumre i referatet:") + "\n" + "\n".join(cases))
    times = [
        _("Punkt %(number)d: kl. %(start)s–%(end)s")
        % {
            "number": item.number,
            "start": item.start_time.strftime("%H.%M"),
            "end": item.end_time.strftime("%H.%M"),
        }
        for item in parsed.items
        if item.start_time and item.end_time
    ]
    if times:
        parts.append(_("Tidspunkter for punkterne:") + "\n" + "\n".join(times))
    if report.unknown_organisations:
        parts.append(
            _("Organisationer, der ikke findes i registret:")
            + "\n"
            + "\n".join(report.unknown_organisations)
        )
    return "\n\n".join(parts)


def _describe(parsed, report, cluster):
    recognised, missing = report.recognised, report.missing
    recognised.append(_("Møde: %(title)s") % {"title": report.meeting.title})
    if parsed.body:
        recognised.append(_("Organ: %(body)s") % {"body": parsed.body})
        body, title = normalise_name(parsed.body), normalise_name(cluster.title)
        if body not in title and title not in body:
            missing.append(
                _("Referatet er fra „%(body)s“, men er importeret i „%(cluster)s“.")
                % {"body": parsed.body, "cluster": cluster.title}
            )
    else:
        missing.append(_("Mødets overskrift/organ blev ikke fundet."))
    recognised.append(
        _("Dato og tid: %(when)s")
        % {
            "when": danish_meeting_time(
                local(parsed.start, TIME_ZONE),
                local(parsed.end, TIME_ZONE) if parsed.end_found else None,
            )
        }
    )
    if not parsed.time_found:
        missing.append(
            _("Klokkeslæt blev ikke fundet: mødet er sat til kl. 00.00–23.59.")
        )
    elif not parsed.end_found:
        missing.append(
            _("Sluttidspunkt blev ikke fundet: sat til to timer efter start.")
        )
    if parsed.location:
        recognised.append(_("Sted: %(place)s") % {"place": parsed.location})
    else:
        missing.append(_("Mødested blev ikke fundet."))
    if parsed.room:
        recognised.append(_("Lokale: %(room)s") % {"room": parsed.room})
    counts = (
        (PRESENT, _("Deltagere: %(count)d")),
        (APOLOGIES, _("Afbud: %(count)d")),
        (AD_HOC, _("Ad hoc/gæster: %(count)d")),
    )
    for attendance, label in counts:
        people = parsed.people_with(attendance)
        if people:
            recognised.append(
                label % {"count": len(people)}
                + " ("
                + ", ".join(person.name for person in people)
                + ")"
            )
    if not parsed.people_with(PRESENT):
        missing.append(_("Ingen deltagere blev fundet."))
    if parsed.chair:
        recognised.append(_("Mødeleder: %(name)s") % {"name": parsed.chair.name})
    if parsed.minute_taker:
        recognised.append(_("Referent: %(name)s") % {"name": parsed.minute_taker.name})
    else:
        missing.append(_("Referent blev ikke fundet."))
    decisions = sum(1 for item in parsed.items if item.decision)
    recognised.append(
        _("Dagsordenspunkter: %(count)d, heraf %(decisions)d med beslutning")
        % {"count": len(parsed.items), "decisions": decisions}
    )
    cases = [case for number, case in parsed.all_case_numbers() if number is None]
    if cases:
        recognised.append(
            _("Sagsnumre: %(numbers)s")
            % {"numbers": ", ".join(case.number for case in cases)}
        )
    for item in parsed.items:
        parts = [
            label
            for label, present in (
                (_("sagsfremstilling"), item.description),
                (_("indstilling"), item.recommendation),
                (_("beslutning"), item.decision),
                (_("lukket"), item.closed),
                (_("kun i indholdsfortegnelsen, ingen tekst"), not item.has_text),
            )
            if present
        ] + item.attachments
        if item.start_time and item.end_time:
            parts.insert(
                0,
                _("kl. %(start)s–%(end)s")
                % {
                    "start": item.start_time.strftime("%H.%M"),
                    "end": item.end_time.strftime("%H.%M"),
                },
            )
        parts += [
            _("sagsnr. %(number)s") % {"number": c.number} for c in item.case_numbers
        ]
        recognised.append(
            f"Punkt {item.number}: {item.title}"
            + (f" ({', '.join(parts)})" if parts else "")
        )
        if not item.decision and item.has_text:
            missing.append(
                _("Punkt %(number)d har ingen beslutning.") % {"number": item.number}
            )
    listed_only = [str(item.number) for item in parsed.items if not item.has_text]
    if listed_only:
        missing.append(
            _("Kun titlen, ingen tekst i referatet: punkt %(numbers)s.")
            % {"numbers": ", ".join(listed_only)}
        )
    numbers = [item.number for item in parsed.items]
    if numbers != list(range(1, len(numbers) + 1)):
        missing.append(
            _("Punkterne er ikke nummereret 1, 2, 3 …: %(numbers)s")
            % {"numbers": ", ".join(str(n) for n in numbers)}
        )
    if any(item.attachments for item in parsed.items):
        missing.append(
            _("Bilag er nævnt, men ikke tilknyttet: upload dem og tilknyt dem i mødet.")
        )
    report.unrecognised = list(parsed.unrecognised)
