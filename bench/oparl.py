"""OParl API benchmark: the largest list, the agenda items of every meeting.

    make bench            # or: .venv/bin/python -m bench.oparl [--runs N]

Builds 3,000 agenda items (10 published meetings of 300 items, each item
with one attachment) and 1,500 people in a throw-away test database (SQLite
in memory, or the PostgreSQL named by DATABASE_URL), then requests pages of
the body's agenda item list through Django's test client: wall time per
request (median and 95th percentile over the runs, after one warm-up
request) and SQL queries per request, for the first page, a page deep in
the list, and the same list filtered with `modified_since`.
"""

import os
from datetime import timedelta
from urllib.parse import quote

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klyngeportal_site.settings.test")

import django  # noqa: E402

django.setup()


from bench.pages import run  # noqa: E402

MEETINGS = 10
ITEMS = 300
PEOPLE = 150


def build_content():
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.models import Page

    from klynge_pages.models import (
        AgendaItem,
        AgendaItemAttachment,
        ClusterPage,
        MeetingParticipant,
        Person,
    )
    from oparl import records
    from tests.factories import OrganisationFactory, local, make_cluster, make_meeting

    organisation = OrganisationFactory(name="Aalborg Kommune")
    cluster = make_cluster(members=[organisation])
    document = Document.objects.create(
        title="Bilag",
        file=ContentFile(b"%PDF-1.4 bench", name="bilag.pdf"),
        # The cluster's own collection: only its pages may use the document.
        collection=ClusterPage.objects.get(pk=cluster.pk).collection,
    )
    first = local(2020, 1, 6, 10, 0)
    people = Person.objects.bulk_create(
        Person(name=f"Deltager {n}", organisation=organisation)
        for n in range(MEETINGS * PEOPLE)
    )
    for n in range(MEETINGS):
        meeting = make_meeting(cluster, start=first + timedelta(days=7 * n), items=0)
        Page.objects.filter(pk=meeting.pk).update(
            first_published_at=first + timedelta(days=7 * n),
            last_published_at=first + timedelta(days=7 * n + 1),
        )
        items = AgendaItem.objects.bulk_create(
            AgendaItem(page=meeting, number=k + 1, title=f"Punkt {k + 1}", sort_order=k)
            for k in range(ITEMS)
        )
        AgendaItemAttachment.objects.bulk_create(
            AgendaItemAttachment(item=item, document=document, label="Bilag")
            for item in items
        )
        MeetingParticipant.objects.bulk_create(
            MeetingParticipant(page=meeting, person=person, sort_order=k)
            for k, person in enumerate(people[n * PEOPLE : (n + 1) * PEOPLE])
        )
    records.sync()
    base = f"/oparl/v1.1/body/{cluster.get_parent().pk}/agendaitem"
    since = quote((first + timedelta(days=7 * 5)).isoformat(), safe="")
    return {
        "agenda items, page 1 of 30": base,
        "agenda items, page 25 of 30": f"{base}?page=25",
        "agenda items, modified_since, page 1 of 15": f"{base}?modified_since={since}",
    }


def full_page(response):
    assert len(response.json()["data"]) == 100


def main():
    run(__doc__, build_content, "OParl: ", "list", 30, check=full_page)


if __name__ == "__main__":
    main()
