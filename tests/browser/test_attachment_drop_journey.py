"""Attachments by drag and drop: files picked with "Vælg filer" and dropped
onto agenda items in the meeting editor, published, and on the public page
as "Bilag 1 – …", "Bilag 2 – …", their links working for anyone."""

import pytest
from playwright.sync_api import expect

from klynge_pages.models import AgendaItemAttachment

from ..factories import make_meeting
from .conftest import AXE_JS, WCAG_TAGS
from .test_journeys import footer_action, log_in, world  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PSYKIATRI = b"%PDF-1.4 psykiatri"
BUDGET = b"%PDF-1.4 budget"
NOTAT = b"%PDF-1.4 notat"


def drop(page, zone, files):
    """Drops `files` ({name: bytes}) onto `zone` as the browser does when
    files are dragged from the desktop."""
    transfer = page.evaluate_handle(
        """(files) => {
            const transfer = new DataTransfer();
            for (const [name, text] of files) {
                transfer.items.add(new File([text], name, {type: "application/pdf"}));
            }
            return transfer;
        }""",
        [[name, content.decode()] for name, content in files.items()],
    )
    zone.dispatch_event("dragenter", {"dataTransfer": transfer})
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    zone.dispatch_event("drop", {"dataTransfer": transfer})


def drop_zone_violations(page):
    """WCAG 2.1 A/AA violations axe-core finds in the drop zones (the rest
    of Wagtail's editor is Wagtail's)."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """(tags) => axe.run(document.querySelectorAll("[data-klynge-dropzone]"), {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return [
        f"{violation['id']}: {node['target']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def test_files_dropped_on_agenda_items_are_numbered_attachments_on_the_public_page(
    page,
    world,  # noqa: F811
):
    cluster = world["cluster"]
    meeting = make_meeting(cluster, items=2, title="Klyngemøde")
    log_in(page, world["editor"])
    page.goto(f"/admin/pages/{meeting.pk}/edit/")
    steps = 0

    # Item 1: two files at once through "Vælg filer" (no dragging).
    first = page.locator("#inline_child_agenda_items-0")
    zone = first.locator("[data-klynge-dropzone]")
    expect(zone.get_by_role("button", name="Vælg filer")).to_be_visible()
    with page.expect_file_chooser() as chooser:
        zone.get_by_role("button", name="Vælg filer").click()
        steps += 1
    chooser.value.set_files(
        [
            {
                "name": "Bilag_3_psykiatri.pdf",
                "mimeType": "application/pdf",
                "buffer": PSYKIATRI,
            },
            {
                "name": "budget-2020_udkast.pdf",
                "mimeType": "application/pdf",
                "buffer": BUDGET,
            },
        ]
    )
    steps += 1
    status = zone.locator("[role=status]")
    expect(status).to_contain_text("2 bilag er tilføjet punktet")
    expect(status).to_contain_text("Bilag 1 – Psykiatri")
    expect(page.locator("#id_agenda_items-0-attachments-0-label")).to_have_value(
        "Bilag 1"
    )
    expect(page.locator("#id_agenda_items-0-attachments-1-label")).to_have_value(
        "Bilag 2"
    )

    # Item 2: one file dropped, and one the server refuses, said in Danish.
    second = page.locator("#inline_child_agenda_items-1")
    zone = second.locator("[data-klynge-dropzone]")
    drop(page, zone, {"Notat om organisering.pdf": NOTAT, "side.pdf": b"<html>"})
    steps += 1
    status = zone.locator("[role=status]")
    expect(status).to_contain_text("Bilag 3 – Notat om organisering")
    expect(status).to_contain_text(
        "side.pdf: Filens indhold passer ikke til filtypen .pdf"
    )
    expect(page.locator("#id_agenda_items-1-attachments-0-label")).to_have_value(
        "Bilag 3"
    )
    assert (
        page.locator("#id_agenda_items-1-attachments-TOTAL_FORMS").input_value() == "1"
    )
    assert drop_zone_violations(page) == []

    footer_action(page, "Udgiv")
    steps += 1
    expect(page.locator(".messages")).to_contain_text("udgivet")
    labels = list(
        AgendaItemAttachment.objects.filter(item__page=meeting)
        .order_by("item__number", "sort_order")
        .values_list("label", "document__title")
    )
    assert labels == [
        ("Bilag 1", "Psykiatri"),
        ("Bilag 2", "Budget 2020 udkast"),
        ("Bilag 3", "Notat om organisering"),
    ]

    # A citizen: no login.
    page.context.clear_cookies()
    page.goto(meeting.url)
    main = page.locator("main")
    links = {
        "Bilag 1 – Psykiatri": PSYKIATRI,
        "Bilag 2 – Budget 2020 udkast": BUDGET,
        "Bilag 3 – Notat om organisering": NOTAT,
    }
    for name, content in links.items():
        link = main.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        response = page.request.get(link.get_attribute("href"))
        assert response.status == 200
        assert response.body() == content
    # Three attachments in four steps (before: six steps each).
    assert steps == 4
