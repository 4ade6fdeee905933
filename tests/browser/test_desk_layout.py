"""The secretariat's desk as a browser draws it, on a laptop-sized screen
with the admin's menu open: no word of the deadline report or the
dashboard panel broken across lines ("Klyngestyr/egruppe"), and the
report's filter menu showing all of its choices."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from ..factories import make_cluster, make_home, make_meeting
from .test_journeys import log_in, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The words of every text node in `root`, and those the browser drew on more
# than one line. A line may end after a hyphen ("e-" / "mail"): that is a
# break between the parts of a word, not inside one.
SPLIT_WORDS_JS = """(selector) => {
    const split = [];
    for (const root of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const pattern = /[^\\s\\-–]+/g;
            let match;
            while ((match = pattern.exec(node.textContent))) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set(
                    [...range.getClientRects()]
                        .filter((rect) => rect.width > 0)
                        .map((rect) => Math.round(rect.top))
                );
                if (lines.size > 1) split.push(match[0]);
            }
        }
    }
    return split;
}"""

# Labels the user cannot see whole: the point at the middle of their left
# and right ends shows something else (clipped, or outside the window).
HIDDEN_LABELS_JS = """(selector) => {
    const hidden = [];
    for (const label of document.querySelectorAll(selector)) {
        const box = label.getBoundingClientRect();
        const y = box.top + box.height / 2;
        for (const x of [box.left + 2, box.right - 2]) {
            const seen = document.elementFromPoint(x, y);
            if (!seen || !label.contains(seen)) {
                hidden.push(label.textContent.trim());
                break;
            }
        }
    }
    return hidden;
}"""

LONG_TITLES = [
    "Klyngestyregruppe Midt",
    "Samarbejdsforum for Børn og unge psykiatri",
    "Sundhedsstyregruppe Jammerbugt",
    "Politisk klynge Vesthimmerland",
]


@pytest.fixture
def desk(settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    make_home()
    soon = timezone.now() + timedelta(days=3)
    for n, title in enumerate(LONG_TITLES):
        cluster = make_cluster(title=title)
        make_meeting(
            cluster,
            start=soon + timedelta(days=n),
            live=False,
            title=f"Møde i {title} om samarbejdsaftalerne",
        )
    return make_user("sekretaer", Group.objects.get(name="Sekretariat"))


def test_no_word_of_the_desk_is_broken_and_the_filters_fit(page, desk):
    page.set_viewport_size({"width": 1024, "height": 768})
    log_in(page, desk)

    # The dashboard panel.
    expect(page.get_by_text("Frister i dine klynger")).to_be_visible()
    assert page.evaluate(SPLIT_WORDS_JS, ".klynge-desk__table") == []

    # The report.
    page.goto("/admin/frister/")
    table = page.locator(".klynge-desk__table")
    expect(table).to_contain_text("Klyngestyregruppe Midt")
    assert page.evaluate(SPLIT_WORDS_JS, ".klynge-desk__table") == []

    # The check can fail: Wagtail's own rule for title cells breaks words.
    page.add_style_tag(
        content=".klynge-desk__table th, .klynge-desk__table td "
        "{ word-break: break-word !important; }"
    )
    assert page.evaluate(SPLIT_WORDS_JS, ".klynge-desk__table") != []

    # Every choice of the status filter can be seen whole.
    page.reload()
    page.get_by_role("button", name="Vis filtre").click()
    page.locator('button[aria-controls="drilldown-id_state"]').click()
    choice = "#drilldown-id_state label:has(input[type=radio])"
    expect(page.locator(choice).first).to_be_visible()
    assert page.locator(choice).count() == 8  # "Alle" and the seven words
    assert page.evaluate(HIDDEN_LABELS_JS, choice) == []
