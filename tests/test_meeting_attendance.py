"""Who took part, as the public meeting page says it: invited until the
minutes are public, then the attendance the minutes record."""

import pytest

from klynge_pages.models import Attendance, MinutesAttendance, MinutesPage

from .factories import make_cluster, make_meeting, make_minutes, publish

pytestmark = pytest.mark.django_db


def people_section(client, meeting):
    html = client.get(meeting.url).content.decode()
    return html.split('id="deltagere"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def meeting():
    return make_meeting(make_cluster(), items=1, participants=2)


def test_participants_are_invited_not_attending_before_the_minutes(client, meeting):
    section = people_section(client, meeting)

    assert "Indkaldt" in section
    assert "Deltog" not in section
    assert "referatet" not in section


def test_public_minutes_give_the_attendance(client, meeting):
    first, second = meeting.participants.order_by("sort_order")
    minutes = make_minutes(meeting, live=False)
    minutes.attendance = [
        MinutesAttendance(person=first.person, attendance=Attendance.PRESENT),
        MinutesAttendance(person=second.person, attendance=Attendance.APOLOGIES),
    ]
    minutes.save()
    # Drafts of the minutes say nothing yet.
    assert "Indkaldt" in people_section(client, meeting)

    publish(MinutesPage.objects.get(pk=minutes.pk))

    section = people_section(client, meeting)
    assert "Fremmødet, som referatet har registreret det." in section
    assert "Indkaldt" not in section
    took_part, apologies = section.split("Afbud", 1)
    assert "Deltog" in took_part and first.person.name in took_part
    assert second.person.name in apologies
