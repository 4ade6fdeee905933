"""“Opret næste møde”: the next meeting of a body, started from its last one.

The editor gives the new date and time; the draft gets the meeting's place,
room and introduction, its participants (invited: nobody has attended yet),
and its agenda items with their numbers, titles, texts and tags. Not copied:
the minutes and their decisions, attendance, the contents of closed items
(only their titles and the mark), and the attachments unless asked for. The
host is the one the rotation names (rules.suggest_next_host), the slug the
date. Every copied row is new (new uuids), so nothing is shared with the
meeting it came from.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.log_actions import log

from .dates import danish_date
from .models import (
    AgendaItem,
    AgendaItemAttachment,
    Attendance,
    MeetingPage,
    MeetingParticipant,
)


class NextMeetingForm(forms.Form):
    start = forms.DateTimeField(
        label=gettext_lazy("Starter"), widget=AdminDateTimeInput
    )
    end = forms.DateTimeField(label=gettext_lazy("Slutter"), widget=AdminDateTimeInput)
    attachments = forms.BooleanField(
        label=gettext_lazy("Kopiér bilagene til de åbne punkter"),
        required=False,
    )

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Mødet skal slutte efter, det er begyndt."))
        return cleaned_data


def may_create_next(user, meeting):
    """Whether `user` may start a new meeting from `meeting`: they may add a
    meeting to its cluster and work on this one."""
    cluster = meeting.get_parent()
    return (
        MeetingPage.can_create_at(cluster)
        and cluster.permissions_for_user(user).can_add_subpage()
        and meeting.permissions_for_user(user).can_edit()
    )


MEETING_INTERVAL = timedelta(weeks=4)


def initial_times(meeting):
    """The same weekday and hours, four weeks on, as a first suggestion."""
    return {
        "start": meeting.start + MEETING_INTERVAL,
        "end": meeting.end + MEETING_INTERVAL,
    }


def copy_items(meeting, with_attachments):
    items = []
    for item in meeting.agenda_items.all():
        copy = AgendaItem(
            number=item.number,
            title=item.title,
            closed=item.closed,
            sort_order=item.sort_order,
            # What a closed item holds stays with its meeting.
            description="" if item.closed else item.description,
            recommendation="" if item.closed else item.recommendation,
        )
        if not item.closed:
            copy.tags.add(*item.tags.all())
            if with_attachments:
                copy.attachments = [
                    AgendaItemAttachment(
                        document_id=attachment.document_id,
                        label=attachment.label,
                        sort_order=attachment.sort_order,
                    )
                    for attachment in item.attachments.all()
                ]
        items.append(copy)
    return items


@transaction.atomic
def create_next_meeting(meeting, start, end, user, with_attachments=False):
    """The next meeting of `meeting`'s body, as a draft with one revision."""
    cluster = meeting.get_parent().specific
    new = MeetingPage(
        title=meeting.title,
        slug=cluster.meeting_slug(start),
        live=False,
        owner=user,
        start=start,
        end=end,
        location=meeting.location,
        room=meeting.room,
        host=cluster.suggested_next_host() or meeting.host,
        intro=meeting.intro,
    )
    new.participants = [
        MeetingParticipant(
            person_id=row.person_id,
            role=row.role,
            attendance=Attendance.INVITED,
            sort_order=row.sort_order,
        )
        for row in meeting.participants.all()
        if row.attendance != Attendance.AD_HOC
    ]
    new.agenda_items = copy_items(meeting, with_attachments)
    cluster.add_child(instance=new)
    new.save_revision(user=user, log_action=False)
    log(
        instance=new,
        action="wagtail.create",
        user=user,
        content_changed=True,
    )
    return new


def next_meeting_view(request, page_id):
    meeting = get_object_or_404(MeetingPage, pk=page_id)
    if not may_create_next(request.user, meeting):
        raise PermissionDenied
    if request.method == "POST":
        form = NextMeetingForm(request.POST)
        if form.is_valid():
            new = create_next_meeting(
                meeting,
                form.cleaned_data["start"],
                form.cleaned_data["end"],
                request.user,
                with_attachments=form.cleaned_data["attachments"],
            )
            messages.success(
                request,
                _(
                    "Næste møde er oprettet som kladde. Gennemgå dagsordenen, og "
                    "udgiv den senest %(due)s."
                )
                % {"due": danish_date(new.agenda_due)},
            )
            return redirect("wagtailadmin_pages:edit", new.pk)
    else:
        form = NextMeetingForm(initial=initial_times(meeting))
    return TemplateResponse(
        request,
        "klynge_pages/next_meeting.html",
        {
            "form": form,
            "meeting": meeting,
            "page_title": _("Opret næste møde"),
            "header_title": _("Opret næste møde"),
            "items": meeting.agenda_items.all(),
            "participants": meeting.participants.count(),
        },
        status=200 if request.method == "GET" or form.is_valid() else 422,
    )
