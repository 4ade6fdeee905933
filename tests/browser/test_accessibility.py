"""axe-core in Chromium on every public page type: no serious or critical
violation of the WCAG 2.1 A and AA rules. A failure names the rule and the
node."""

import pytest

from .conftest import axe_violations
from .content import build_public_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_every_public_page_type_passes_axe(page, engine):
    urls = build_public_site()
    engine()
    failures = {}
    for name, url in urls.items():
        response = page.goto(url)
        assert response.status == 200, f"{name} ({url}): HTTP {response.status}"
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
    assert not failures, "axe-core, WCAG 2.1 A/AA:\n" + "\n".join(
        f"{name} ({urls[name]}): {line}"
        for name, lines in failures.items()
        for line in lines
    )


def test_the_search_page_shows_hits_and_says_when_there_are_none(page, engine):
    urls = build_public_site()
    engine()
    page.goto(urls["soegning-med-resultater"])
    assert page.locator(".search-hit").count() >= 1
    page.goto(urls["soegning-uden-resultater"])
    assert page.get_by_text("Ingen resultater").count() == 1


def test_axe_reports_a_violation_with_its_rule_and_node(page):
    """The check above can fail: a known-bad page is reported."""
    page.set_content(
        '<!DOCTYPE html><html lang="da"><head><title>Fejl</title></head>'
        '<body><main><img src="data:," id="uden-alt"></main></body></html>'
    )
    violations = axe_violations(page)
    assert any(
        "image-alt (critical)" in line and "#uden-alt" in line for line in violations
    ), violations
