"""The public pages as a citizen sees them on a desktop (1280 px) and a
phone (390 px): a screenshot of each, kept as a test artefact in
`test-artifacts/screenshots/` (ignored by git), and at each width the
checks a person would make by looking: the site's own stylesheet is loaded,
the header menu stays on one line, nothing runs off the side of the screen,
axe-core finds no WCAG 2.1 A/AA violation. On a phone the first search hit
is on the first screen, with the facets behind "Filtrér", which opens
without JavaScript too."""

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, axe_violations
from .content import FOUND, build_public_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# (width, height): a desktop, and a phone the size of an iPhone 12 to 15.
VIEWPORTS = [(1280, 900), (390, 844)]
PAGES = [
    "forside",
    "klynge",
    "moede",
    "referat",
    "soegning-med-resultater",
    "kommende-moeder",
    "moedearkiv",
]


def layout_problems(page):
    """What a reader would notice: a missing stylesheet, a header menu on
    two lines, a page wider than the screen."""
    return page.evaluate(
        """() => {
            const problems = [];
            const sheets = [...document.styleSheets].map((s) => s.href || "");
            if (!sheets.some((href) => href.endsWith("/klynge_pages/css/klynge.css"))) {
                problems.push("klynge.css is not loaded");
            }
            const tops = new Set(
                [...document.querySelectorAll("header nav li")].map(
                    (li) => Math.round(li.getBoundingClientRect().top)
                )
            );
            if (tops.size !== 1) {
                problems.push(`the header menu takes ${tops.size} lines`);
            }
            const width = document.documentElement.scrollWidth;
            if (width > window.innerWidth) {
                problems.push(
                    `the page is ${width}px wide on a ${window.innerWidth}px screen`
                );
            }
            return problems;
        }"""
    )


def test_every_public_page_at_desktop_and_phone_width(page, settings):
    settings.KLYNGE_ELASTICSEARCH_URL = ""  # the database engine: no index to build
    urls = build_public_site()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        for name in PAGES:
            response = page.goto(urls[name])
            assert response.status == 200, f"{name}: HTTP {response.status}"
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
            failures += [f"{name} at {width}px: {p}" for p in layout_problems(page)]
            failures += [f"{name} at {width}px: {v}" for v in axe_violations(page)]
    assert not failures, "\n".join(failures)
    assert len(list(SCREENSHOTS.glob("*.png"))) >= len(PAGES) * len(VIEWPORTS)


def test_on_a_phone_the_results_come_first_and_the_facets_are_one_tap_away(
    page, settings
):
    settings.KLYNGE_ELASTICSEARCH_URL = ""
    build_public_site()
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"/soeg/?q={FOUND}")

    first_hit = page.locator(".search-hit").first
    assert first_hit.bounding_box()["y"] < 844, "the first hit is below the screen"
    facets = page.get_by_role("navigation", name="Afgræns søgningen")
    expect(facets).to_be_hidden()
    page.get_by_text("Filtrér").click()
    expect(facets).to_be_visible()
    expect(
        facets.get_by_role("link", name="Klyngestyregruppe Midt (1)")
    ).to_be_visible()


def test_on_a_desktop_the_facets_are_a_side_column(page, settings):
    settings.KLYNGE_ELASTICSEARCH_URL = ""
    build_public_site()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/soeg/?q={FOUND}")

    facets = page.get_by_role("navigation", name="Afgræns søgningen")
    expect(facets).to_be_visible()
    expect(page.locator("#filtre > summary")).to_be_hidden()
    column = facets.bounding_box()
    results = page.locator(".search-results").bounding_box()
    assert column["x"] + column["width"] <= results["x"], "facets beside the results"


def test_the_filter_disclosure_works_without_javascript(browser, live_server, settings):
    settings.KLYNGE_ELASTICSEARCH_URL = ""
    build_public_site()
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
    )
    try:
        page = context.new_page()
        page.goto(f"/soeg/?q={FOUND}")
        facets = page.get_by_role("navigation", name="Afgræns søgningen")
        expect(facets).to_be_hidden()

        page.get_by_text("Filtrér").click()
        facets.get_by_role("link", name="Klyngestyregruppe Midt (1)").click()

        expect(page.locator(".search-facets__selected")).to_contain_text(
            "Klyngestyregruppe Midt"
        )
        expect(page.get_by_text("(1 filter valgt)")).to_be_visible()
    finally:
        context.close()
