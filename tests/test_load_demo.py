from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from klynge_pages.models import (
    AgendaItem,
    ClusterMembership,
    ClusterPage,
    Location,
    MeetingPage,
    MeetingParticipant,
    MinutesAttendance,
    MinutesDecision,
    MinutesPage,
    Organisation,
    Person,
)
from klyngeportal_site import demo_seeds
from klyngeportal_site.models import AccessibilityStatementPage, HomePage

pytestmark = pytest.mark.django_db


def run_load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the demo builds, as plain values."""
    return {
        "pages": list(
            Page.objects.order_by("path").values_list(
                "path", "slug", "title", "live", "content_type__model"
            )
        ),
        "sites": list(
            Site.objects.values_list("hostname", "root_page__title", "is_default_site")
        ),
        "users": sorted(
            get_user_model().objects.values_list("username", "is_superuser")
        ),
        "organisations": list(
            Organisation.objects.order_by("pk").values_list(
                "pk", "name", "kind", "short_name"
            )
        ),
        "people": list(
            Person.objects.order_by("pk").values_list(
                "pk", "name", "title", "organisation__name"
            )
        ),
        "locations": list(Location.objects.values_list("pk", "name", "address")),
        "clusters": [
            (
                cluster.slug,
                cluster.kind,
                cluster.area,
                cluster.intro,
                cluster.parent_body_id,
                cluster.chair,
                cluster.secretariat,
                list(cluster.terms_of_reference.raw_data),
                cluster.terms_approved_by,
                cluster.terms_approved_on,
                cluster.min_meetings_per_year,
            )
            for cluster in ClusterPage.objects.order_by("path")
        ],
        "memberships": list(
            ClusterMembership.objects.order_by("page__path", "sort_order").values_list(
                "pk",
                "page__title",
                "organisation__name",
                "seats_min",
                "seats_max",
                "note",
            )
        ),
        "meetings": list(
            MeetingPage.objects.values_list(
                "title", "start", "end", "location__name", "room", "host__name", "intro"
            )
        ),
        "participants": list(
            MeetingParticipant.objects.order_by("sort_order").values_list(
                "pk", "person__name", "role", "attendance"
            )
        ),
        "items": list(
            AgendaItem.objects.order_by("sort_order").values_list(
                "pk", "uuid", "number", "title", "description", "recommendation"
            )
        ),
        "minutes": list(
            MinutesPage.objects.values_list("title", "minute_taker__name", "summary")
        ),
        "attendance": list(
            MinutesAttendance.objects.order_by("sort_order").values_list(
                "pk", "person__name", "role", "attendance"
            )
        ),
        "decisions": list(
            MinutesDecision.objects.order_by("sort_order").values_list(
                "pk", "agenda_item__uuid", "decision"
            )
        ),
        "statement": list(
            AccessibilityStatementPage.objects.values_list(
                "title", "body", "contact_email"
            )
        ),
    }


def test_load_demo_makes_the_home_page_the_site_root(settings):
    settings.DEBUG = True

    output = run_load_demo()

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.live
    # Wagtail's placeholder welcome page is gone.
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    assert "redaktoer" in output and "godkender" in output and "admin" in output


def test_load_demo_prints_what_it_built(settings):
    settings.DEBUG = True

    output = run_load_demo("--no-accounts")

    assert "Politisk klynge Nord: Hjørring, Brønderslev, Frederikshavn, Læsø" in output
    assert "Samarbejdsforum for Børn og unge psykiatri (Hele regionen)" in output
    assert "6 participants, 4 agenda items" in output
    assert "referent Jane Pedersen" in output
    assert "Changes: 33 created, 0 updated, 0 unchanged" in output


def test_load_demo_twice_gives_the_same_content(settings):
    settings.DEBUG = True
    run_load_demo()
    first = snapshot()

    run_load_demo()

    assert snapshot() == first
    assert len(first["pages"]) == 15  # root, home, index, 9 bodies, meeting,
    # minutes, statement
    assert len(first["organisations"]) == 13
    assert len(first["people"]) == 6
    assert len(first["memberships"]) == 19 + 3
    assert len(first["items"]) == len(first["decisions"]) == 4


def test_a_second_run_changes_nothing_and_publishes_no_revision(settings):
    settings.DEBUG = True
    run_load_demo("--no-accounts")
    revisions = Revision.objects.count()

    output = run_load_demo("--no-accounts")

    assert Revision.objects.count() == revisions
    assert "Changes: 0 created, 0 updated, 33 unchanged" in output


def test_load_demo_restores_edited_demo_content_in_place(settings):
    settings.DEBUG = True
    run_load_demo("--no-accounts")
    first = snapshot()

    meeting = MeetingPage.objects.get()
    items = list(meeting.agenda_items.all())
    items[2].title = "Ændret titel"
    meeting.agenda_items = items
    meeting.save_revision().publish()
    cluster = ClusterPage.objects.get(slug="politisk-klynge-vest")
    memberships = list(cluster.memberships.all())
    memberships[0].seats_max = 9
    for number, row in enumerate(reversed(memberships)):
        row.sort_order = number
    cluster.memberships = memberships
    cluster.chair = "Nogen andre"
    cluster.save_revision().publish()
    ClusterPage.objects.get(slug="samarbejdsforum-for-somatik-voksne").unpublish()
    Person.objects.filter(name="Jane Pedersen").update(title="kontorchef")
    MinutesDecision.objects.filter(agenda_item__number=4).update(decision="<p>x</p>")
    edited = snapshot()
    assert [edited[key] == first[key] for key in first].count(False) == 6

    output = run_load_demo("--no-accounts")

    assert snapshot() == first  # same rows, same ids, same agenda item uuids
    assert "updated   møde: Møde i Klyngestyregruppe MIDT" in output
    assert "updated   person: Jane Pedersen – vicekontorchef" in output


def test_load_demo_refuses_a_demo_slug_taken_by_another_page_and_writes_nothing(
    settings, home_page
):
    settings.DEBUG = True
    home_page.add_child(
        instance=AccessibilityStatementPage(title="Forkert", slug="klynger", body="x")
    )

    with pytest.raises(CommandError, match="“klynger”.*Forkert"):
        run_load_demo("--no-accounts")

    assert not Organisation.objects.exists()
    assert not ClusterPage.objects.exists()


def test_load_demo_refuses_a_broken_seed_and_writes_nothing(
    settings, monkeypatch, tmp_path
):
    settings.DEBUG = True
    broken = tmp_path / "referat.md"
    broken.write_text("## Referat\n", encoding="utf-8")
    monkeypatch.setattr(demo_seeds, "MINUTES_FILE", broken)

    with pytest.raises(CommandError, match="Demo content not loaded: referat.md"):
        run_load_demo()

    assert not HomePage.objects.exists()
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()


def test_demo_accounts_can_log_in(client, settings):
    settings.DEBUG = True
    run_load_demo()

    # Through the admin's login form, as a person (and django-axes) sees it.
    response = client.post(
        "/admin/login/",
        {"username": "redaktoer", "password": "redaktoer-demo-2026"},
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_load_demo_refuses_demo_accounts_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refusing to create demo accounts"):
        run_load_demo()

    assert not get_user_model().objects.filter(username="redaktoer").exists()


def test_load_demo_content_only_with_debug_off(settings):
    settings.DEBUG = False

    run_load_demo("--no-accounts")

    assert HomePage.objects.count() == 1
    assert ClusterPage.objects.count() == 9
    assert not get_user_model().objects.exists()


def test_load_demo_with_force_creates_the_accounts_with_debug_off(settings):
    settings.DEBUG = False

    run_load_demo("--force")

    assert get_user_model().objects.filter(username="redaktoer").exists()
