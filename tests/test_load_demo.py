import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from klyngeportal_site.models import HomePage

pytestmark = pytest.mark.django_db


def run_load_demo(*args):
    from io import StringIO

    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    from klynge_pages.models import (
        AgendaItem,
        ClusterMembership,
        MinutesDecision,
        Organisation,
        Person,
    )

    return (
        list(Page.objects.order_by("path").values_list("path", "title", "live")),
        list(
            Site.objects.values_list("hostname", "root_page__title", "is_default_site")
        ),
        sorted(get_user_model().objects.values_list("username", "is_superuser")),
        list(Organisation.objects.values_list("name", "kind", "short_name")),
        list(Person.objects.values_list("name", "title", "organisation__name")),
        list(
            ClusterMembership.objects.order_by("page_id", "sort_order").values_list(
                "page__title", "organisation__name", "seats_min", "seats_max", "note"
            )
        ),
        list(
            AgendaItem.objects.order_by("uuid").values_list(
                "uuid", "number", "title", "description", "recommendation"
            )
        ),
        list(
            MinutesDecision.objects.order_by("pk").values_list(
                "agenda_item__uuid", "decision"
            )
        ),
    )


def test_load_demo_makes_the_home_page_the_site_root(settings):
    settings.DEBUG = True

    output = run_load_demo()

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.live
    # Wagtail's placeholder welcome page is gone.
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    assert "redaktoer" in output and "godkender" in output and "admin" in output


def test_load_demo_twice_gives_the_same_content(settings):
    settings.DEBUG = True
    run_load_demo()
    first = snapshot()

    run_load_demo()

    assert snapshot() == first


def test_demo_accounts_can_log_in(client, settings):
    settings.DEBUG = True
    run_load_demo()

    assert client.login(username="redaktoer", password="redaktoer-demo-2026")
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
    assert not get_user_model().objects.exists()
