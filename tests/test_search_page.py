"""The public search page, `/soeg/`: one contract for both engines (the
database on the embedded default, Elasticsearch when configured), then what
only Elasticsearch does, then every bad input we could think of."""

import json
import re
from html import unescape

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from klynge_pages.models import MeetingPage
from klynge_search.engines import DatabaseEngine
from klynge_search.query import FacetValue, SearchParams
from klynge_search.templatetags.klynge_search_tags import facet_links

from .factories import local, make_cluster, make_meeting, make_minutes

pytestmark = pytest.mark.django_db

URL = "/soeg/"


@pytest.fixture(
    params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]
)
def engine(request, settings):
    """Yields a function that makes what was published searchable."""
    if request.param == "database":
        settings.KLYNGE_ELASTICSEARCH_URL = ""
        yield lambda: None
    else:
        yield request.getfixturevalue("search_index")


@pytest.fixture
def content(home_page):
    midt = make_cluster(title="Klyngestyregruppe Midt")
    nord = make_cluster(title="Politisk klynge Nord", area="nord")
    meeting = make_meeting(
        midt, start=local(2023, 11, 6, 16, 30), items=0, title="Møde i november"
    )
    meeting.agenda_items.create(
        number=1,
        title="Udskrivning fra hospitalerne",
        description="<p>Status på udskrivningsaftalen og genoptræning.</p>",
        recommendation=(
            "<p>Det indstilles, at klyngen tager orienteringen til efterretning.</p>"
        ),
        sort_order=0,
    )
    meeting.agenda_items.create(
        number=2,
        title="Personalesag",
        description="<p>Fortroligt om medarbejderen Jensen.</p>",
        closed=True,
        sort_order=1,
    )
    meeting.agenda_items.create(
        number=3,
        title="Sundhedsstyregruppe og praksisplan",
        description="<p>Drøftelse af <script>alert('x')</script> praksisplanen.</p>",
        sort_order=2,
    )
    meeting.save_revision().publish()
    other = make_meeting(
        nord, start=local(2024, 2, 1, 10), items=0, title="Møde i februar"
    )
    other.agenda_items.create(
        number=1,
        title="Hospitalernes akutfunktion",
        description="<p>Akutmodtagelse i Aalborg.</p>",
        sort_order=0,
    )
    other.save_revision().publish()
    draft = make_meeting(
        midt, start=local(2024, 6, 1, 10), items=0, live=False, title="Kladde"
    )
    draft.agenda_items.create(
        number=1, title="Hemmelig kladdeplan om hospitalerne", sort_order=0
    )
    minutes = make_minutes(
        MeetingPage.objects.get(pk=meeting.pk),
        live=False,
        decisions={
            1: "<p>Uapproberet beslutning om hospitalerne.</p>",
            2: "",
            3: "<p>x</p>",
        },
    )
    return {
        "midt": midt,
        "nord": nord,
        "meeting": meeting,
        "other": other,
        "minutes": minutes,
    }


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.status_code
    return response


def hits(client, **params):
    response = client.get(URL, {**params, "format": "json"})
    assert response.status_code == 200
    return response.json()


def titles(data):
    return [hit["title"] for hit in data["hits"]]


# --- The contract: both engines ---------------------------------------------


def test_an_agenda_item_is_found_and_linked_to_its_anchor(client, content, engine):
    engine()
    data = hits(client, q="udskrivning")

    assert "Udskrivning fra hospitalerne" in titles(data)
    hit = next(h for h in data["hits"] if h["title"] == "Udskrivning fra hospitalerne")
    item = content["meeting"].agenda_items.get(number=1)
    assert hit["url"].endswith(f"#punkt-{item.uuid}")
    assert hit["cluster"] == "Klyngestyregruppe Midt"
    assert hit["type"] == "punkt"


def test_drafts_closed_items_and_unapproved_minutes_never_come_back(
    client, content, engine
):
    engine()
    for q in ["Jensen", "fortroligt", "kladdeplan", "Uapproberet", "Hemmelig"]:
        data = hits(client, q=q)
        text = json.dumps([data["hits"], data["facets"]], ensure_ascii=False)
        assert "Jensen" not in text and "Uapproberet" not in text, q
        assert "kladdeplan" not in text.lower(), q


def test_a_closed_item_is_found_by_its_title_only(client, content, engine):
    engine()
    data = hits(client, q="Personalesag", type="punkt")

    assert titles(data) == ["Personalesag"]
    assert data["hits"][0]["closed"] is True
    assert "Jensen" not in json.dumps(data["hits"])


def test_a_private_meeting_is_not_found(client, content, engine):
    PageViewRestriction.objects.create(
        page=content["other"], restriction_type=PageViewRestriction.LOGIN
    )
    engine()
    assert "Hospitalernes akutfunktion" not in titles(hits(client, q="akutfunktion"))


def test_facets_count_and_narrow(client, content, engine):
    engine()
    data = hits(client, q="hospitalerne")
    clusters = {v["label"]: v for v in data["facets"]["klynge"]}
    assert set(clusters) == {"Klyngestyregruppe Midt", "Politisk klynge Nord"}

    narrowed = hits(
        client,
        q="hospitalerne",
        type="punkt",
        klynge=clusters["Politisk klynge Nord"]["value"],
    )

    assert titles(narrowed) == ["Hospitalernes akutfunktion"]


def test_year_and_date_range_narrow(client, content, engine):
    engine()
    assert titles(hits(client, q="hospitalerne", aar="2024", type="punkt")) == [
        "Hospitalernes akutfunktion"
    ]
    assert titles(
        hits(client, q="hospitalerne", type="punkt", fra="2024-01-01", til="2024-12-31")
    ) == ["Hospitalernes akutfunktion"]


def test_newest_first(client, content, engine):
    engine()
    data = hits(client, q="hospitalerne", sortering="nyeste", type="punkt")

    assert titles(data)[0] == "Hospitalernes akutfunktion"


def test_the_page_escapes_what_it_shows(client, content, engine):
    engine()
    response = get(client, q="<script>alert(1)</script> praksisplanen")

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_the_page_is_danish_and_linkable(client, content, engine):
    engine()
    response = get(client, q="udskrivning")

    assert '<html lang="da">' in response.text
    assert "resultat" in response.text
    assert 'value="udskrivning"' in response.text
    assert "Punkt 1: Udskrivning fra hospitalerne" in response.text
    assert "Fra: Møde i november" in response.text
    assert "mandag den 6. november 2023" in response.text


def test_the_facets_have_distinct_names_behind_a_filter_disclosure(
    client, content, engine
):
    engine()
    page = get(client, q="hospitalerne", type="punkt").text
    body = page.split("<body", 1)[1]

    headings = re.findall(r'<h2 class="h5" id="facet-(\w+)">([^<]+)</h2>', page)
    assert ("type", "Indholdstype") in headings
    assert ("klynge", "Klynge") in headings
    assert len({label for _name, label in headings}) == len(headings)
    # A closed <details>: it works without JavaScript, and on a phone the
    # results follow its one-line summary.
    disclosure = re.search(r'<details class="details search-facets" id="filtre">', body)
    assert disclosure
    assert '<span class="details-summary-text">Filtrér</span>' in body
    assert "(1 filter valgt)" in body
    assert body.index('id="filtre"') < body.index('class="search-results"')


def test_the_json_variant_is_announced_in_the_head_not_among_the_results(
    client, content, engine
):
    engine()
    page = get(client, q="udskrivning").text
    head, body = page.split("<body", 1)

    link = re.search(
        r'<link rel="alternate" type="application/json" href="([^"]+)"', head
    )
    assert link
    query = QueryDict(unescape(link.group(1)).lstrip("?"))
    assert query["format"] == "json" and query["q"] == "udskrivning"
    assert "JSON" not in body
    data = client.get(URL + unescape(link.group(1))).json()
    assert data["query"] == "udskrivning"


def test_the_pages_of_results_are_linked_for_phones_and_screens(
    client, settings, home_page
):
    settings.KLYNGE_ELASTICSEARCH_URL = ""
    midt = make_cluster(title="Klyngestyregruppe Midt")
    make_meeting(midt, items=45)

    page = get(client, q="punkt", type="punkt", side="3").text

    assert '<span class="pagination-mobile">Side 3 af 5</span>' in page
    assert 'rel="prev" aria-label="Forrige side"' in page
    assert 'rel="next" aria-label="Næste side"' in page
    assert 'aria-current="page" aria-label="Side 3">3</a>' in page
    pages = re.findall(r'aria-label="Side (\d+)"', page)
    assert pages == ["1", "2", "3", "4", "5"]


def test_a_cancelled_meeting_is_still_found_and_says_so(client, content, engine):
    meeting = MeetingPage.objects.get(pk=content["other"].pk)
    meeting.cancelled = True
    meeting.save_revision().publish()
    engine()

    data = hits(client, q="akutfunktion")
    page = get(client, q="akutfunktion").text

    assert [h["cancelled"] for h in data["hits"]] == [True] * len(data["hits"])
    assert "Hospitalernes akutfunktion" in titles(data)
    assert '<strong class="search-hit__cancelled">Aflyst</strong>' in page
    others = hits(client, q="udskrivning")["hits"]
    assert others and not any(h["cancelled"] for h in others)
    assert "Aflyst" not in get(client, q="udskrivning").text


def test_facet_links_narrow_and_a_selected_one_removes_its_filter(
    client, content, engine
):
    engine()
    nord = content["nord"].pk
    page = get(client, q="hospitalerne").text
    link = re.search(
        rf'<a href="\?([^"]*klynge={nord}[^"]*)">Politisk klynge Nord <span', page
    )

    narrowed = get(client, **QueryDict(unescape(link.group(1))).dict()).text

    assert "Hospitalernes akutfunktion" in narrowed
    assert "Udskrivning fra hospitalerne" not in narrowed
    selected = re.search(
        r'<a href="\?([^"]*)" aria-current="true" class="search-facets__selected">'
        r'<span class="sr-only">Fjern filteret: </span>Politisk klynge Nord <span',
        narrowed,
    )
    assert QueryDict(unescape(selected.group(1))).dict() == {"q": "hospitalerne"}


def test_facet_links_escape_what_they_show():
    html = facet_links(
        [
            (FacetValue("x", '<script>alert("x")</script>', 3), '?q="><b>&type=x'),
            (FacetValue("y", "<i>valgt</i>", 1, selected=True), "?q=a&b"),
        ]
    )

    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert (
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <span class="search' in html
    )
    assert 'href="?q=&quot;&gt;&lt;b&gt;&amp;type=x"' in html
    assert 'href="?q=a&amp;b" aria-current="true"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x" * 10_000},
        {"q": "!!! ??? ..."},
        {"q": "title:x AND ("},
        {"q": '"unclosed phrase'},
        {"q": "😀 \u0000 \u202e \u200b hospitalerne"},
        {"q": "hospitalerne", "side": "0"},
        {"q": "hospitalerne", "side": "-1"},
        {"q": "hospitalerne", "side": "1e9"},
        {"q": "hospitalerne", "side": "999999999999"},
        {"q": "hospitalerne", "klynge": "abc"},
        {"q": "hospitalerne", "klynge": "99999999"},
        {"q": "hospitalerne", "aar": "totusinde"},
        {"q": "hospitalerne", "type": "ukendt"},
        {"q": "hospitalerne", "organisation": "Findes ikke"},
        {"q": "hospitalerne", "fra": "2024-13-45"},
        {"q": "hospitalerne", "til": "i morgen"},
        {"q": "hospitalerne", "sortering": "'; DROP TABLE"},
        {"q": "*"},
        {"q": "hospital*"},
        {"q": "-"},
    ],
)
def test_bad_input_never_fails(client, content, engine, params):
    engine()
    assert client.get(URL, params).status_code == 200
    assert client.get(URL, {**params, "format": "json"}).status_code == 200


def test_repeated_parameters_take_the_last(client, content, engine):
    engine()
    response = client.get(URL + "?q=xyzxyz&q=udskrivning&side=1&side=abc&format=json")

    assert response.status_code == 200
    assert "Udskrivning fra hospitalerne" in titles(response.json())


def test_bad_values_are_explained_in_danish(client, content, engine):
    engine()
    data = hits(client, q="hospitalerne", side="-1", fra="2024-13-45", type="ukendt")

    messages = " ".join(data["messages"])
    assert "Sidetallet var ugyldigt" in messages
    assert "ugyldig dato" in messages
    assert "ugyldigt filter" in messages


def test_pages_are_bounded(client, content, engine):
    engine()
    data = hits(client, q="hospitalerne", side="500")

    assert data["page"] == 100
    assert any("højst 100 sider" in m for m in data["messages"])


def test_no_query_shows_the_form_only(client, content, engine):
    engine()
    response = get(client)

    assert 'role="search"' in response.text
    assert "resultater" not in response.text


# --- Only Elasticsearch -----------------------------------------------------


@pytest.fixture
def es_content(content, search_index):
    search_index()
    return content


@pytest.mark.elasticsearch
@pytest.mark.parametrize("q", ["hospital", "hospitalet", "hospitaler", "HOSPITALERNE"])
def test_inflected_danish_forms_find_each_other(client, es_content, q):
    assert "Udskrivning fra hospitalerne" in titles(hits(client, q=q))


@pytest.mark.elasticsearch
@pytest.mark.parametrize(
    ("q", "title"),
    [
        ("styregruppe", "Sundhedsstyregruppe og praksisplan"),
        ("aftale", "Udskrivning fra hospitalerne"),  # "udskrivningsaftalen"
        ("sundhedsstyregruppen", "Sundhedsstyregruppe og praksisplan"),
    ],
)
def test_compound_words_are_found_by_their_parts(client, es_content, q, title):
    assert title in titles(hits(client, q=q))


@pytest.mark.elasticsearch
def test_old_spelling_aa_finds_aa_and_aa_finds_it(client, es_content):
    assert "Hospitalernes akutfunktion" in titles(hits(client, q="Ålborg"))
    assert "Hospitalernes akutfunktion" in titles(hits(client, q="Aalborg"))


@pytest.mark.elasticsearch
def test_hits_are_highlighted_with_escaped_snippets(client, es_content):
    data = hits(client, q="genoptræning")
    snippet = data["hits"][0]["snippet"]
    assert "<mark>" in snippet

    script = hits(client, q="praksisplanen")["hits"][0]["snippet"]
    assert "<script>" not in script


@pytest.mark.elasticsearch
def test_organisation_tag_and_type_facets(client, es_content):
    data = hits(client, q="hospitalerne")
    types = {v["value"]: v["count"] for v in data["facets"]["type"]}
    assert types["punkt"] >= 2


@pytest.mark.elasticsearch
def test_did_you_mean(client, es_content):
    data = hits(client, q="hospitalerme")

    assert data["suggestion"] == "hospitalerne"


@pytest.mark.elasticsearch
def test_autocomplete_on_titles(client, es_content):
    response = client.get(URL + "forslag/", {"q": "Udskr"})

    assert response.status_code == 200
    assert "Udskrivning fra hospitalerne" in response.json()["suggestions"]


@pytest.mark.elasticsearch
def test_a_stopped_elasticsearch_falls_back_to_the_database(
    client, es_content, settings
):
    settings.KLYNGE_ELASTICSEARCH_URL = "http://127.0.0.1:9"

    data = hits(client, q="udskrivning")

    assert data["engine"] == "database"
    assert "Udskrivning fra hospitalerne" in titles(data)
    assert any("ikke tilgængelig" in m for m in data["messages"])


def test_a_client_searching_too_often_gets_a_danish_429(client, settings, home_page):
    from django.core.cache import cache

    cache.clear()
    settings.KLYNGE_SEARCH_RATE_LIMIT = 3
    settings.KLYNGE_ELASTICSEARCH_URL = ""

    answers = [client.get(URL, {"q": f"ord{n}"}) for n in range(4)]
    json_answer = client.get(URL, {"q": "ord", "format": "json"})
    other_client = client.get(URL, {"q": "ord"}, REMOTE_ADDR="10.0.0.9")

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "Vent et minut" in answers[-1].text
    assert answers[-1]["Retry-After"] == "60"
    assert (
        json_answer.status_code == 429
        and "Vent et minut" in json_answer.json()["error"]
    )
    assert other_client.status_code == 200


def test_autocomplete_over_its_limit_answers_json(client, settings, home_page):
    """The rate limiter knows no URL of the search: the suggest view asks for
    JSON answers itself."""
    from django.core.cache import cache

    cache.clear()
    settings.KLYNGE_SUGGEST_RATE_LIMIT = 1
    settings.KLYNGE_ELASTICSEARCH_URL = ""

    first = client.get(URL + "forslag/", {"q": "sundhed"})
    second = client.get(URL + "forslag/", {"q": "sundhed"})

    assert first.status_code == 200
    assert second.status_code == 429
    assert second["Content-Type"] == "application/json"
    assert "søgt mange gange" in second.json()["error"]


# --- The database engine's queries ------------------------------------------


def _database_search_queries(q):
    with CaptureQueriesContext(connection) as queries:
        results = DatabaseEngine().search(SearchParams(q=q))
    return len(queries), results


def test_the_database_engine_reads_a_fixed_number_of_queries(home_page):
    """However many meetings and clusters the hits come from: no query per
    hit (a meeting's cluster, its visibility)."""
    first = make_cluster(title="Klynge Nord")
    make_meeting(first, start=local(2024, 1, 10, 14))
    _database_search_queries("punkt")  # the sites' root paths, then cached
    few, results = _database_search_queries("punkt")
    assert results.total == 3

    for n in range(2, 6):
        cluster = make_cluster(title=f"Klynge {n}")
        for month in (2, 3):
            make_meeting(cluster, start=local(2024, month, n, 14))
    many, results = _database_search_queries("punkt")
    assert results.total == 3 * 9
    assert many == few
