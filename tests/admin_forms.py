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


def agenda_row(item=None, number=None, title=None):
    """An agenda item's row of the meeting form: `item` as saved (its id,
    number, title and texts) unless `number` or `title` say otherwise, or a
    new item without `item`."""
    row = {
        "number": item.number if number is None else number,
        "title": item.title if title is None else title,
        "description": rich_text(item.description if item else ""),
        "recommendation": rich_text(item.recommendation if item else ""),
        "closed": False,
        "tags": "",
        "attachments": inline_formset([]),
    }
    if item is not None:
        row["id"] = item.pk
    return row


def meeting_edit_form(meeting, rows, **fields):
    """The edit form of the saved `meeting` with its agenda as `rows`
    (`agenda_row`s, in order) and no participants."""
    return nested_form_data(
        {
            "title": meeting.title,
            "slug": meeting.slug,
            "start": "2019-11-06 16:30",
            "end": "2019-11-06 18:00",
            "room": "",
            "intro": rich_text(""),
            "participants": inline_formset([]),
            "agenda_items": inline_formset(
                [{**row, "ORDER": n} for n, row in enumerate(rows, 1)],
                initial=sum(1 for row in rows if "id" in row),
            ),
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
