"""Export benchmark: agenda and minutes as PDF, the attachments' ZIP, the
calendar and the feed.

    make bench            # or: .venv/bin/python -m bench.exports [--runs N]

The meeting of the page benchmark (30 agenda items, each with an attachment,
30 participants, published minutes with 30 decisions), plus 100 published
meetings within the calendar's window. Each URL is requested through Django's
test client after one warm-up request. "Rendered" clears the cache after
every request, so each one renders the PDF with WeasyPrint; "cached" reuses
it, as a second download within KLYNGE_EXPORT_PDF_CACHE_SECONDS does.
"""

import random
from datetime import timedelta

from bench.pages import run


def build_content():
    from django.core.files.base import ContentFile
    from django.urls import reverse
    from django.utils import timezone
    from wagtail.documents.models import Document

    from klynge_pages.models import (
        AgendaItemAttachment,
        ClusterPage,
        MeetingPage,
        MinutesPage,
    )
    from tests.factories import (
        OrganisationFactory,
        local,
        make_cluster,
        make_meeting,
        make_minutes,
        publish,
    )

    members = [OrganisationFactory(name=f"Kommune {n}") for n in range(4)]
    cluster = make_cluster(members=members)
    first = timezone.localdate() - timedelta(days=390)
    for week in range(100):
        day = first + timedelta(weeks=week)
        make_meeting(cluster, start=local(day.year, day.month, day.day, 10, 0), items=8)
    meeting = make_meeting(
        cluster, start=local(2025, 11, 6, 16, 30), items=30, participants=30
    )
    for item in meeting.agenda_items.all():
        document = Document.objects.create(
            collection=ClusterPage.objects.get(pk=cluster.pk).collection,
            title=f"Bilag {item.number}",
            # Incompressible, as the compressed streams of a real PDF are.
            file=ContentFile(
                b"%PDF-1.4 " + random.Random(item.number).randbytes(320_000),  # noqa: S311
                name="bilag.pdf",
            ),
        )
        item.attachments = [
            AgendaItemAttachment(document=document, label=f"Bilag {item.number}")
        ]
        item.save()
    meeting = publish(MeetingPage.objects.get(pk=meeting.pk))
    make_minutes(meeting)
    minutes = MinutesPage.objects.child_of(meeting).get()

    agenda = reverse("klynge_exports:agenda_pdf", args=[meeting.pk])
    return {
        "agenda PDF, 30 items, rendered": (agenda, clear_cache),
        "agenda PDF, 30 items, cached": (agenda, is_pdf),
        "minutes PDF, 30 decisions, rendered": (
            reverse("klynge_exports:minutes_pdf", args=[minutes.pk]),
            clear_cache,
        ),
        "attachments ZIP, 30 × 320 kB, agenda PDF cached": (
            reverse("klynge_exports:attachments_zip", args=[meeting.pk]),
            read_zip,
        ),
        "calendar, all clusters, 101 meetings": (
            reverse("klynge_exports:calendar"),
            None,
        ),
        "RSS feed, newest 30": (reverse("klynge_exports:rss"), None),
    }


def is_pdf(response):
    assert response.content.startswith(b"%PDF")


def clear_cache(response):
    from django.core.cache import cache

    is_pdf(response)
    cache.clear()


def read_zip(response):
    assert sum(len(chunk) for chunk in response.streaming_content) > 9_000_000


def main():
    run(__doc__, build_content, "Exports: ", "export", 10)


if __name__ == "__main__":
    main()
