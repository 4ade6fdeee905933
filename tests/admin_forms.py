"""POST data for the admin's page forms, as the editor's browser sends it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

PUBLISH = {"action-publish": "action-publish"}
SUBMIT = {"action-submit": "action-submit"}


def meeting_form(slug, title, **fields):
    """A meeting with no participants or agenda items; `fields` add or
    override (e.g. **PUBLISH)."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "start": "2019-11-06 16:30",
            "end": "2019-11-06 18:00",
            "room": "",
            "intro": rich_text(""),
            "participants": inline_formset([]),
            "agenda_items": inline_formset([]),
            **fields,
        }
    )


def minutes_form(slug, title, **fields):
    """Minutes with no attendance or decisions."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": rich_text(""),
            "attendance": inline_formset([]),
            "decisions": inline_formset([]),
            **fields,
        }
    )
