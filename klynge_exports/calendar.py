"""Meetings as iCalendar (RFC 5545), for subscribing from Outlook, Google
Calendar or Apple Calendar, and for adding one meeting to a calendar.

- UID: the meeting page's translation key, which survives moves, renames
  and republishing, so a subscriber's calendar updates the event it has.
- SEQUENCE: how many times the meeting was published before this version
  (Wagtail's log of "wagtail.publish"), so every republish is an update.
- A meeting its editors mark "Aflyst" stays in the feed with
  STATUS:CANCELLED; an unpublished or deleted meeting leaves it, and the
  clients drop the event at their next refresh.
- Times are Europe/Copenhagen with a VTIMEZONE, text is Danish.
- DTSTAMP is the time the meeting was last published (RFC 5545 3.8.7.2:
  without a METHOD, the last revision in the calendar store); so the same
  content gives the same bytes, and the feed can answer 304.

Only published, public meetings appear; a closed agenda item with its title
only.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from wagtail.models import PageLogEntry

from klynge_pages.models import AgendaItem, ClusterPage, MeetingPage

from .public import only_published

ZONE = ZoneInfo("Europe/Copenhagen")
PRODID = "-//Region Nordjylland//Klyngeportal//DA"


def publish_counts(meeting_ids):
    return dict(
        PageLogEntry.objects.filter(action="wagtail.publish", page_id__in=meeting_ids)
        .values("page_id")
        .annotate(count=Count("pk"))
        .values_list("page_id", "count")
    )


def agenda_titles(meeting_ids):
    titles = {}
    rows = (
        AgendaItem.objects.filter(page_id__in=meeting_ids)
        .order_by("page_id", "sort_order", "number")
        .values_list("page_id", "number", "title", "closed")
    )
    for page_id, number, title, closed in rows:
        line = f"{number}. {title}"
        if closed:
            line += " " + _("(lukket punkt)")
        titles.setdefault(page_id, []).append(line)
    return titles


def meetings_for(cluster=None, past_days=None):
    """The published, public meetings of one cluster or all, oldest first;
    from `past_days` ago on if given."""
    meetings = MeetingPage.objects.select_related("location", "host").order_by(
        "start", "pk"
    )
    if cluster is not None:
        meetings = meetings.child_of(cluster)
    if past_days is not None:
        meetings = meetings.filter(end__gte=timezone.now() - timedelta(days=past_days))
    return only_published(meetings)


def build_calendar(meetings, name, request, clusters=None):
    """The VCALENDAR of `meetings` as bytes. `clusters` maps a meeting's pk
    to its cluster's title (looked up when not given)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    calendar.add("x-published-ttl", "PT1H")
    calendar.add(
        "refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"}
    )

    ids = [meeting.pk for meeting in meetings]
    counts = publish_counts(ids)
    titles = agenda_titles(ids)
    if clusters is None:
        clusters = cluster_titles(meetings)
    for meeting in meetings:
        calendar.add_component(
            meeting_event(
                meeting,
                request,
                sequence=max(counts.get(meeting.pk, 0) - 1, 0),
                agenda=titles.get(meeting.pk, []),
                cluster=clusters.get(meeting.pk, ""),
            )
        )
    if meetings:
        calendar.add_missing_timezones(
            first_date=min(m.start for m in meetings).date() - timedelta(days=366),
            last_date=max(m.end for m in meetings).date() + timedelta(days=366),
        )
    return calendar.to_ical()


def cluster_titles(meetings):
    """{meeting pk: the title of its cluster (the parent page)}."""
    steplen = MeetingPage.steplen
    parents = {meeting.path[:-steplen] for meeting in meetings}
    by_path = dict(
        ClusterPage.objects.filter(path__in=parents).values_list("path", "title")
    )
    return {
        meeting.pk: by_path.get(meeting.path[:-steplen], "") for meeting in meetings
    }


def meeting_event(meeting, request, sequence, agenda, cluster):
    event = Event()
    uid = f"{meeting.translation_key}@klyngeportal"
    url = request.build_absolute_uri(meeting.url) if meeting.url else ""
    summary = meeting.title
    if meeting.cancelled:
        summary = _("Aflyst: %(title)s") % {"title": summary}
    event.add("uid", uid)
    event.add(
        "dtstamp",
        meeting.last_published_at
        or meeting.latest_revision_created_at
        or timezone.now(),
    )
    event.add("dtstart", meeting.start.astimezone(ZONE))
    event.add("dtend", meeting.end.astimezone(ZONE))
    event.add("summary", summary)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if meeting.cancelled else "OPAQUE")
    if meeting.first_published_at:
        event.add("created", meeting.first_published_at)
    if meeting.last_published_at:
        event.add("last-modified", meeting.last_published_at)
    if location := meeting.place:
        event.add("location", location)
    if url:
        event.add("url", url)
    lines = []
    if meeting.cancelled:
        lines += [_("Mødet er aflyst."), ""]
    if cluster:
        lines.append(_("Klynge: %(cluster)s") % {"cluster": cluster})
    if meeting.host:
        lines.append(_("Vært og mødeleder: %(host)s") % {"host": meeting.host.name})
    if agenda:
        lines += ["", _("Dagsorden:"), *agenda]
    if url:
        lines += ["", _("Dagsorden, bilag og referat: %(url)s") % {"url": url}]
    event.add("description", "\n".join(lines).strip())
    event.add("class", "PUBLIC")
    return event
