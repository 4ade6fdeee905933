"""The export endpoints. Each answers 404 for anything not published and
public (see public.py) and is rate limited per client: the PDFs and ZIPs by
EXPORT_RATE_LIMIT (they cost rendering and disk), the calendars and feeds by
FEED_RATE_LIMIT (calendar clients poll)."""

import hashlib
from urllib.parse import unquote

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from klynge_pages.conf import public_template_context
from klynge_pages.models.pages import group_by_attendance
from klynge_pages.slugs import ascii_slug
from klynge_security.ratelimit import rate_limited

from . import calendar
from .archive import TooLarge, build_archive
from .feeds import MeetingsAndMinutesAtomFeed, MeetingsAndMinutesFeed
from .pdf import cached_pdf, render_pdf
from .public import (
    published_cluster,
    published_meeting,
    published_minutes,
    published_minutes_of,
)

EXPORT_MESSAGE = gettext_lazy(
    "Du har hentet mange filer på kort tid. Vent et minut, og prøv så igen."
)
FEED_MESSAGE = gettext_lazy(
    "Der er hentet kalender eller nyheder mange gange på kort tid fra din "
    "adresse. Vent et minut, og prøv så igen."
)
CALENDAR_PAST_DAYS = 400


def exports(view):
    return require_safe(
        rate_limited("export", "EXPORT_RATE_LIMIT", EXPORT_MESSAGE)(view)
    )


def subscriptions(view):
    return require_safe(rate_limited("feed", "FEED_RATE_LIMIT", FEED_MESSAGE)(view))


def _conditional(request, response, max_age):
    """An ETag from the body, a 304 when the client has it already."""
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=max_age)
    return get_conditional_response(request, etag=etag, response=response)


def _filename(stem, page, extension):
    return f"{stem}-{ascii_slug(page.slug) or page.pk}.{extension}"


def _agenda_pdf(request, meeting):
    # Once the minutes are out, the agenda shows the decisions too.
    minutes = published_minutes_of(meeting)

    def build():
        context = {
            "meeting": meeting,
            "cluster": meeting.cluster,
            "agenda_items": meeting.agenda_with_decisions(minutes),
            "participant_groups": group_by_attendance(
                meeting.participants.select_related("person__organisation")
            ),
            # As people read it: "møde", not "m%C3%B8de".
            "page_url": unquote(request.build_absolute_uri(meeting.url)),
        }
        return render_pdf(
            "klynge_exports/agenda.html", context, request.build_absolute_uri("/")
        )

    return cached_pdf("agenda", [meeting, minutes] if minutes else [meeting], build)


def _pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@exports
def agenda_pdf(request, pk):
    meeting = published_meeting(pk)
    return _pdf_response(
        _agenda_pdf(request, meeting), _filename("dagsorden", meeting, "pdf")
    )


@exports
def minutes_pdf(request, pk):
    minutes = published_minutes(pk)
    meeting = minutes.meeting

    def build():
        context = {
            **minutes.public_context(),
            "minutes": minutes,
            "cluster": meeting.cluster,
            "page_url": unquote(request.build_absolute_uri(minutes.url)),
            "pdf": True,
        }
        return render_pdf(
            "klynge_exports/minutes.html", context, request.build_absolute_uri("/")
        )

    pdf = cached_pdf("minutes", [minutes, meeting], build)
    return _pdf_response(pdf, _filename("referat", minutes, "pdf"))


@exports
def attachments_zip(request, pk):
    meeting = published_meeting(pk)
    try:
        archive = build_archive(meeting, _agenda_pdf(request, meeting))
    except TooLarge:
        return render(
            request,
            "klynge_exports/too_large.html",
            public_template_context(meeting=meeting),
            status=413,
        )
    return FileResponse(
        archive,
        as_attachment=True,
        filename=_filename("bilag", meeting, "zip"),
        content_type="application/zip",
    )


def _ics_response(request, body, filename, attachment=False):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return _conditional(request, response, max_age=900)


@subscriptions
def calendar_all(request):
    meetings = calendar.meetings_for(past_days=CALENDAR_PAST_DAYS)
    body = calendar.build_calendar(
        meetings, _("Møder i sundhedsaftalens klynger"), request
    )
    return _ics_response(request, body, "klyngemoeder.ics")


@subscriptions
def calendar_cluster(request, slug):
    cluster = published_cluster(slug)
    meetings = calendar.meetings_for(cluster, past_days=CALENDAR_PAST_DAYS)
    body = calendar.build_calendar(
        meetings,
        _("Møder: %(cluster)s") % {"cluster": cluster.title},
        request,
        clusters={meeting.pk: cluster.title for meeting in meetings},
    )
    name = ascii_slug(cluster.slug) or cluster.pk
    return _ics_response(request, body, f"moeder-{name}.ics")


@subscriptions
def calendar_meeting(request, pk):
    meeting = published_meeting(pk)
    body = calendar.build_calendar([meeting], meeting.title, request)
    return _ics_response(
        request, body, _filename("moede", meeting, "ics"), attachment=True
    )


def _feed(feed_class):
    feed = feed_class()

    @subscriptions
    def view(request, slug=None):
        response = feed(request, slug=slug) if slug else feed(request)
        return _conditional(request, response, max_age=900)

    return view


rss = _feed(MeetingsAndMinutesFeed)
atom = _feed(MeetingsAndMinutesAtomFeed)
