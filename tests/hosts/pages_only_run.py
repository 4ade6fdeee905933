"""Run by tests/test_standalone.py in a process of its own, with the
settings tests.hosts.pages_only: migrate, pass the checks, build a cluster
with a meeting and minutes, and print what the public pages answer."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import django


def main():
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from wagtail.models import Page, Site

    from klynge_pages.models import (
        AgendaItem,
        ClusterIndexPage,
        ClusterPage,
        MeetingPage,
        MinutesDecision,
        MinutesPage,
    )

    call_command("migrate", verbosity=0)
    call_command("check", fail_level="WARNING")

    def publish(page):
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    home = Page.get_first_root_node().add_child(
        instance=Page(title="Værtens forside", slug="vaert")
    )
    publish(home)
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
    index = publish(
        home.add_child(instance=ClusterIndexPage(title="Klynger", slug="klynger"))
    )
    cluster = publish(
        index.add_child(
            instance=ClusterPage(
                title="Klynge Vest",
                kind=ClusterPage.Kind.POLITICAL,
                area=ClusterPage.Area.VEST,
            )
        )
    )
    start = datetime(2026, 3, 4, 16, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
    meeting = MeetingPage(
        title="Møde i marts", start=start, end=start + timedelta(hours=2)
    )
    meeting.agenda_items = [
        AgendaItem(number=1, title="Udskrivning fra hospital", sort_order=1)
    ]
    meeting = publish(cluster.add_child(instance=meeting))
    minutes = MinutesPage(title="Referat fra marts")
    minutes.decisions = [
        MinutesDecision(
            agenda_item=meeting.agenda_items.get(),
            decision="<p>Klyngen godkendte planen.</p>",
            sort_order=1,
        )
    ]
    minutes = publish(meeting.add_child(instance=minutes))

    client = Client()
    pages = {}
    for name, page in [
        ("index", index),
        ("cluster", cluster),
        ("meeting", meeting),
        ("minutes", minutes),
    ]:
        response = client.get(page.url)
        pages[name] = {
            "status": response.status_code,
            "html": response.content.decode(),
        }
    print(json.dumps(pages))  # noqa: T201 - read by the test


if __name__ == "__main__":
    main()
