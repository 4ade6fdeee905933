"""Danish dates as the terms of reference and minutes write them."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from klynge_pages.dates import (
    danish_date,
    danish_datetime,
    danish_meeting_time,
)

CPH = ZoneInfo("Europe/Copenhagen")


def test_a_date_with_its_weekday():
    assert danish_date(date(2019, 11, 6)) == "onsdag den 6. november 2019"
    assert danish_date(date(2024, 2, 29)) == "torsdag den 29. februar 2024"
    assert danish_date(date(2023, 1, 1)) == "søndag den 1. januar 2023"


def test_an_aware_time_is_shown_in_danish_time_across_summer_time():
    # 23.30 UTC is the next day in Copenhagen, in winter and in summer.
    assert danish_datetime(datetime(2019, 11, 5, 23, 30, tzinfo=UTC)) == (
        "onsdag den 6. november 2019 kl. 00.30"
    )
    assert danish_datetime(datetime(2024, 7, 1, 22, 5, tzinfo=UTC)) == (
        "tirsdag den 2. juli 2024 kl. 00.05"
    )


def test_a_meeting_shows_its_end_or_both_dates_past_midnight():
    start = datetime(2019, 11, 6, 16, 30, tzinfo=CPH)
    assert danish_meeting_time(start, start.replace(hour=18, minute=0)) == (
        "onsdag den 6. november 2019 kl. 16.30–18.00"
    )
    assert danish_meeting_time(start, datetime(2019, 11, 7, 1, 0, tzinfo=CPH)) == (
        "onsdag den 6. november 2019 kl. 16.30 – torsdag den 7. november 2019 kl. 01.00"
    )
    assert danish_meeting_time(start) == "onsdag den 6. november 2019 kl. 16.30"


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_gives_nothing(empty):
    assert danish_date(empty) == danish_datetime(empty) == ""
    assert danish_meeting_time(empty) == ""


def test_the_template_filters_are_danish_whatever_the_language():
    template = Template(
        "{% load klynge_tags %}{{ day|dansk_dato }} / {{ start|dansk_tidspunkt }}"
        " / {% dansk_moedetid start end %}"
    )
    start = datetime(2019, 11, 6, 16, 30, tzinfo=CPH)
    context = Context(
        {
            "day": date(2019, 11, 6),
            "start": start,
            "end": start.replace(hour=18, minute=0),
        }
    )
    with translation.override("en"):
        rendered = template.render(context)

    assert rendered == (
        "onsdag den 6. november 2019 / onsdag den 6. november 2019 kl. 16.30"
        " / onsdag den 6. november 2019 kl. 16.30–18.00"
    )
