"""The citizen's front door: the home page (search, the next meetings, the
latest minutes, the clusters by kind), the meetings archive across clusters
and per cluster, and the list of the latest minutes. Each list shows only
what a citizen may open, is bounded, links to the full list, and costs the
same queries however much content there is."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from klynge_pages.models import ClusterPage, MeetingPage, MinutesPage

from .factories import (
    LocationFactory,
    local,
    make_cluster,
    make_cluster_index,
    make_home,
    make_meeting,
    make_minutes,
    publish,
)

pytestmark = pytest.mark.django_db


def soon(days, hour=10):
    day = timezone.localdate() + timedelta(days=days)
    return local(day.year, day.month, day.day, hour, 0)


def text(html):
    """The page's text in single spaces, without tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def midt():
    make_home()
    return make_cluster(title="Klyngestyregruppe Midt", kind=ClusterPage.Kind.STEERING)


# --- The home page -------------------------------------------------------------


def test_the_home_page_has_a_search_field_with_the_search_pages_autocomplete(
    client, midt
):
    html = client.get("/").content.decode()

    form = re.search(r'<form class="search-form home-search"[^>]*>', html).group(0)
    assert 'action="/soeg/"' in form and 'role="search"' in form
    assert 'id="search-q" name="q"' in html
    assert 'data-suggest-url="/soeg/forslag/"' in html
    assert 'list="search-q-suggestions"' in html
    assert "/static/klynge_search/js/autocomplete.js" in html


def test_the_home_page_loads_the_same_stylesheets_as_every_other_page(client, midt):
    meeting = make_meeting(midt)
    pages = {"/": client.get("/"), "meeting": client.get(meeting.url)}

    for name, response in pages.items():
        head = response.content.decode().split("<body", 1)[0]
        assert "/static/dkfds/css/dkfds.min.css" in head, name
        assert "/static/klynge_pages/css/klynge.css" in head, name


def test_the_next_meetings_show_cluster_date_place_and_a_link_to_the_agenda(
    client, midt
):
    nord = make_cluster(title="Politisk klynge Nord", area="nord")
    next_one = make_meeting(
        midt,
        start=soon(3, 16),
        title="Møde om udskrivning",
        location=LocationFactory(name="Regionshuset"),
        room="Mødelokale D",
    )
    make_meeting(nord, start=soon(10), title="Nords møde")
    make_meeting(midt, start=soon(-30), title="Afholdt møde")
    make_meeting(midt, start=soon(4), title="Kladdemøde", live=False)
    private = make_meeting(midt, start=soon(5), title="Privat møde")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    hidden = make_cluster(title="Skjult klynge")
    make_meeting(hidden, start=soon(6), title="Møde i skjult klynge")
    hidden.unpublish()

    html = client.get("/").content.decode()
    section = html.split('id="kommende-moeder"')[1].split("</section>")[0]

    assert re.findall(r'<a href="[^"]+/">([^<]+)</a></h3>', section) == [
        "Møde om udskrivning",
        "Nords møde",
    ]
    assert '<span class="meeting-row__cluster">Klyngestyregruppe Midt</span>' in section
    assert "Mødelokale D, Regionshuset" in section
    assert f'href="{next_one.url}#dagsorden">Dagsorden' in section
    assert 'href="/klynger/moeder/">Alle kommende møder' in section


def test_the_latest_minutes_come_newest_first_and_only_once_published(client, midt):
    older = make_meeting(midt, start=local(2019, 11, 6, 16, 30))
    newer = make_meeting(midt, start=local(2020, 1, 6, 16, 30))
    make_minutes(older, title="Referat fra november")
    make_minutes(newer, title="Referat fra januar")
    pending = make_meeting(midt, start=local(2020, 2, 6, 16, 30))
    make_minutes(pending, live=False, title="Referat der venter")

    html = client.get("/").content.decode()
    section = text(html.split('id="seneste-referater"')[1].split("</section>")[0])

    assert section.index("Klyngestyregruppe Midt, 6. januar 2020") < section.index(
        "Klyngestyregruppe Midt, 6. november 2019"
    )
    assert "Referat der venter" not in section
    assert "Referat fra januar · offentliggjort " in section
    assert "Alle referater" in section


def test_newest_first_is_the_one_place_that_orders_the_latest_minutes(midt):
    first = make_minutes(make_meeting(midt, start=local(2020, 1, 6, 10)))
    second = make_minutes(make_meeting(midt, start=local(2019, 1, 6, 10)))

    assert list(MinutesPage.objects.newest_first()) == [
        MinutesPage.objects.get(pk=second.pk),
        MinutesPage.objects.get(pk=first.pk),
    ]


def test_the_clusters_are_grouped_by_kind_bounded_and_linked_to_the_full_list(
    client, midt
):
    make_cluster(title="Politisk klynge Midt")
    for number in range(8):
        make_cluster(
            title=f"Samarbejdsforum {number}", kind=ClusterPage.Kind.FORUM, area="midt"
        )
    make_cluster(title="Kladdeforum", kind=ClusterPage.Kind.FORUM, live=False)

    html = client.get("/").content.decode()
    section = html.split('id="klynger-og-fora"')[1]
    headings = re.findall(r'<h3 id="art-(\w+)">([^<]+)</h3>', section)

    assert headings == [
        ("politisk_klynge", "Politisk klynge"),
        ("klyngestyregruppe", "Klyngestyregruppe"),
        ("samarbejdsforum", "Samarbejdsforum"),
    ]
    fora = section.split('id="art-samarbejdsforum"')[1].split("</section>")[0]
    assert len(re.findall(r"<li>", fora)) == 6
    assert "Kladdeforum" not in html
    assert 'href="/klynger/#samarbejdsforum">Se alle 8 i “Samarbejdsforum”' in fora
    index_html = client.get("/klynger/").content.decode()
    assert '<h2 id="samarbejdsforum">Samarbejdsforum</h2>' in index_html


def home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_queries_however_much_there_is(
    client, midt, django_assert_num_queries
):
    make_minutes(make_meeting(midt, start=soon(-20)))
    make_meeting(midt, start=soon(5))
    client.get("/")  # the site's root paths, cached after the first request
    few = home_queries(client)

    for number in range(12):
        cluster = make_cluster(
            title=f"Forum {number}", kind=ClusterPage.Kind.FORUM, area="syd"
        )
        make_minutes(make_meeting(cluster, start=soon(-40 - number)))
        make_meeting(cluster, start=soon(number + 1), location=LocationFactory())
    # Publishing forgets the cached footer link; the first view reads it again.
    client.get("/")

    assert home_queries(client) == few
    # Wagtail's site lookup, the statement link, the cluster index, the three
    # lists, and the view restrictions each `public()` reads.
    with django_assert_num_queries(few):
        client.get("/")
    assert few <= 14


# --- The meetings archive ------------------------------------------------------


@pytest.fixture
def archive(midt):
    """Meetings of 2019 and 2020 in two clusters, a cancelled one, one with
    minutes, and what must never show."""
    nord = make_cluster(title="Politisk klynge Nord", area="nord")
    held = make_meeting(midt, start=local(2019, 11, 6, 16, 30), title="Novembermødet")
    make_minutes(held)
    cancelled = make_meeting(midt, start=local(2019, 12, 4, 10), title="Decembermødet")
    cancelled.cancelled = True
    publish(cancelled)
    make_meeting(nord, start=local(2020, 1, 16, 10), title="Nords januarmøde")
    make_meeting(midt, start=local(2019, 5, 1, 10), title="Kladde", live=False)
    pending = make_meeting(midt, start=local(2019, 9, 1, 10), title="Septembermødet")
    make_minutes(pending, live=False)
    empty = make_meeting(midt, start=local(2019, 3, 1, 10), title="Martsmødet", items=0)
    return {"nord": nord, "held": held, "cancelled": cancelled, "empty": empty}


def rows(html):
    """[(title, [marks])] of the archive's rows."""
    found = []
    for row in html.split('<li class="meeting-row')[1:]:
        title = re.search(r'<h3[^>]*>.*?<a href="[^"]+">([^<]+)</a>', row).group(1)
        marks = re.findall(
            r'<li>(?:<a href="[^"]+">|<strong class="meeting-cancelled">)(\w+)', row
        )
        found.append((title, marks))
    return found


def test_a_year_of_the_archive_marks_agenda_minutes_and_cancelled(client, archive):
    response = client.get("/klynger/moeder/2019/")

    assert response.status_code == 200
    html = response.content.decode()
    assert rows(html) == [
        ("Decembermødet", ["Aflyst", "Dagsorden"]),
        ("Novembermødet", ["Dagsorden", "Referat"]),
        ("Septembermødet", ["Dagsorden"]),
        ("Martsmødet", []),
    ]
    assert f'href="{archive["held"].url}referat/">Referat' in html
    assert "<h1>\n            \n                Møder i klyngerne 2019" in html or (
        "Møder i klyngerne 2019" in text(html)
    )
    years = re.findall(r'<a href="(/klynger/moeder/\d{4}/)"', html)
    assert years == ["/klynger/moeder/2020/", "/klynger/moeder/2019/"]
    assert 'href="/klynger/moeder/2019/" aria-current="page">2019' in html


def test_the_archive_narrows_to_one_cluster_and_says_when_it_does_not_know_it(
    client, archive
):
    nord = archive["nord"]
    html = client.get("/klynger/moeder/2020/", {"klynge": nord.slug}).text

    assert rows(html) == [("Nords januarmøde", ["Dagsorden"])]
    assert f'<option value="{nord.slug}" selected>' in html
    assert f'href="/klynger/moeder/2019/?klynge={nord.slug}"' not in html  # no 2019
    assert "Møder i Politisk klynge Nord 2020" in text(html)

    unknown = client.get("/klynger/moeder/2019/", {"klynge": "findes-ikke"})
    assert unknown.status_code == 200
    assert "Klyngen findes ikke. Du ser møderne i alle klynger." in unknown.text
    assert len(rows(unknown.text)) == 4


def test_the_archive_of_one_cluster_is_a_route_of_its_page(client, archive):
    html = client.get("/klynger/klyngestyregruppe-midt/moeder/2019/").text

    assert [title for title, _marks in rows(html)] == [
        "Decembermødet",
        "Novembermødet",
        "Septembermødet",
        "Martsmødet",
    ]
    assert 'name="klynge"' not in html
    assert 'aria-current="page">Møder 2019</li>' in html
    cluster_html = client.get("/klynger/klyngestyregruppe-midt/").text
    assert 'href="/klynger/klyngestyregruppe-midt/moeder/"' in cluster_html


def test_the_archive_opens_on_the_coming_meetings(client, archive, midt):
    make_meeting(midt, start=soon(2), title="Næste møde")
    make_meeting(midt, start=soon(30), title="Møde om en måned")

    html = client.get("/klynger/moeder/").text

    assert [title for title, _marks in rows(html)] == ["Næste møde", "Møde om en måned"]
    assert 'href="/klynger/moeder/" aria-current="page">Kommende' in html


@pytest.mark.parametrize(
    "url",
    ["/klynger/moeder/0000/", "/klynger/moeder/19999/", "/klynger/moeder/abcd/"],
)
def test_a_year_that_names_no_year_is_not_found(client, archive, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_an_unpublished_clusters_archive_is_not_found(client, archive):
    nord = ClusterPage.objects.get(pk=archive["nord"].pk)
    nord.unpublish()

    assert client.get("/klynger/politisk-klynge-nord/moeder/").status_code == 404
    html = client.get("/klynger/moeder/2020/").text
    assert rows(html) == []
    assert "Der er ingen offentliggjorte møder i 2020." in html


def test_a_long_year_is_paged_accessibly(client, midt):
    for day in range(1, 26):
        make_meeting(midt, start=local(2021, 3, day, 10), items=1)

    first = client.get("/klynger/moeder/2021/").text
    second = client.get("/klynger/moeder/2021/", {"side": "2"}).text
    nonsense = client.get("/klynger/moeder/2021/", {"side": "x<script>"})

    assert len(rows(first)) == 20 and len(rows(second)) == 5
    assert "25 møder" in text(first)
    assert '<span class="pagination-mobile">Side 1 af 2</span>' in first
    assert 'href="/klynger/moeder/2021/?side=2" rel="next"' in first
    assert 'href="/klynger/moeder/2021/" rel="prev"' in second
    assert nonsense.status_code == 200 and "<script>" not in nonsense.text


def test_the_archive_costs_the_same_queries_however_long_it_is(client, midt):
    make_minutes(make_meeting(midt, start=local(2022, 1, 5, 10)))
    client.get("/klynger/moeder/2022/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/klynger/moeder/2022/").status_code == 200
        return len(queries)

    few = count()
    for day in range(6, 30):
        meeting = make_meeting(midt, start=local(2022, 1, day, 10), items=2)
        make_minutes(meeting)
    # Publishing forgets the cached footer link; the first view reads it again.
    client.get("/klynger/moeder/2022/")
    assert count() == few


# --- The latest minutes --------------------------------------------------------


def test_the_minutes_list_pages_through_published_minutes_newest_first(client, midt):
    for day in range(1, 23):
        make_minutes(make_meeting(midt, start=local(2021, 3, day, 10), items=1))
    make_minutes(make_meeting(midt, start=local(2021, 4, 1, 10)), live=False)

    first = client.get("/klynger/referater/").text
    second = client.get("/klynger/referater/", {"side": "2"}).text

    assert "22 referater" in text(first)
    assert first.count('class="minutes-row"') == 20
    assert second.count('class="minutes-row"') == 2
    assert "Klyngestyregruppe Midt, 22. marts 2021" in text(first)
    assert "Klyngestyregruppe Midt, 1. marts 2021" in text(second)
    assert "1. april 2021" not in text(first) + text(second)


def test_the_cluster_index_links_to_the_archive_and_the_minutes(client, midt):
    html = client.get(make_cluster_index().url).text

    assert 'href="/klynger/moeder/">Kommende møder og mødearkiv' in html
    assert 'href="/klynger/referater/">Seneste referater' in html


def test_meetings_visible_is_the_rule_of_the_public_pages(client, midt):
    """`visible()` keeps exactly the meetings whose page a citizen can open."""
    shown = make_meeting(midt, start=soon(1))
    draft_cluster = make_cluster(title="Kladdeklynge", live=False)
    under_draft = draft_cluster.add_child(
        instance=MeetingPage(
            title="Under kladde", start=soon(2), end=soon(2, 12), live=True
        )
    )

    visible = set(MeetingPage.objects.visible().values_list("pk", flat=True))

    assert visible == {shown.pk}
    assert client.get(shown.url).status_code == 200
    assert client.get(under_draft.url).status_code == 404
