"""A citizen finds the minutes: with an inflected Danish word, narrowed by
cluster, landing on the agenda item; and the search page, its facets and
pages, and the main navigation work from the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import local, make_cluster, make_home, make_meeting, make_minutes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DECISION = "Klyngen godkendte planen for udskrivninger fra hospitalerne."


@pytest.mark.elasticsearch
def test_citizen_finds_the_minutes_by_an_inflected_word_and_lands_on_the_item(
    page, search_index
):
    make_home()
    midt = make_cluster(title="Klyngestyregruppe Midt")
    nord = make_cluster(title="Politisk klynge Nord", area="nord")
    meeting = make_meeting(midt, start=local(2026, 12, 1, 16, 30), items=2)
    item = meeting.agenda_items.get(number=2)
    make_minutes(
        meeting,
        decisions={1: "<p>Taget til efterretning.</p>", 2: f"<p>{DECISION}</p>"},
    )
    other = make_meeting(nord, start=local(2026, 11, 3, 10), items=0)
    other.agenda_items.create(
        number=1, title="Hospitalernes akutfunktion", sort_order=0
    )
    other.save_revision().publish()
    search_index()

    page.goto("/soeg/")
    page.get_by_label("Søgeord").fill("hospitalet")  # the text has "hospitalerne"
    page.get_by_role("button", name="Søg", exact=True).click()
    hits = page.locator(".search-hit")
    expect(hits.first).to_be_visible()

    facets = page.get_by_role("navigation", name="Afgræns søgningen")
    facets.get_by_role("link", name=re.compile("^Klyngestyregruppe Midt")).click()
    expect(page).to_have_url(re.compile(r"klynge="))
    expect(facets.locator("[aria-current=true]")).to_contain_text(
        "Klyngestyregruppe Midt"
    )
    expect(hits.filter(has_text="Politisk klynge Nord")).to_have_count(0)
    hit = hits.filter(has_text="Punkt 2:")
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text("hospitalerne")

    hit.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"#{item.anchor}$"))
    assert page.evaluate("() => document.querySelector(':target')?.id") == item.anchor
    expect(page.locator(f"#{item.anchor}")).to_contain_text(DECISION)


def tab_to(page, selector, limit=120):
    """Presses Tab until the focused element matches `selector`; returns
    whether its focus is visible (an outline or a box shadow)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(selector) => document.activeElement?.matches(selector)", selector
        ):
            return page.evaluate(
                """() => {
                    const style = getComputedStyle(document.activeElement);
                    const outline = style.outlineStyle !== "none"
                        && parseFloat(style.outlineWidth) > 0;
                    return outline || style.boxShadow !== "none";
                }"""
            )
    raise AssertionError(f"Tab never reached {selector}")


def test_search_facets_pages_and_navigation_work_from_the_keyboard(page, settings):
    settings.KLYNGE_ELASTICSEARCH_URL = ""  # the database engine: no index needed
    make_home()
    midt = make_cluster(title="Klyngestyregruppe Midt")
    make_cluster(title="Politisk klynge Nord", area="nord")
    make_meeting(midt, start=local(2026, 12, 1, 16, 30), items=12)

    page.goto("/")
    assert tab_to(page, "header nav a[href='/soeg/']"), "no visible focus"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/soeg/$"))

    assert tab_to(page, "#search-q"), "no visible focus"
    page.keyboard.type("punkt")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=punkt"))
    expect(page.locator(".search-hit")).to_have_count(10)

    assert tab_to(page, ".search-facets a[href*='klynge=']"), "no visible focus"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"klynge="))
    expect(page.locator(".search-facets__selected")).to_have_count(1)

    assert tab_to(page, ".pagination a[rel=next]"), "no visible focus"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"side=2"))
    expect(page.locator(".search-hit")).to_have_count(2)

    assert tab_to(page, "header nav a[href='/']"), "no visible focus"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_be_visible()
