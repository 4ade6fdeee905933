"""Text helpers shared by the importer and the demo loader: paragraphs and
bullet lists, and Wagtail rich text from them.

Text comes out as blocks: a paragraph is a string (with Markdown's inline
`**bold**` kept), a bullet list is a list of strings.
"""

import re

from django.utils.html import escape

BULLET = re.compile(r"^(?:[-*•▪–]|\u25cf)\s+")


def blocks(text):
    """Paragraphs and bullet lists, separated by blank lines. A paragraph's
    lines are joined with spaces (a Markdown line break is just a line)."""
    result = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            result.append([line.removeprefix("- ") for line in lines])
        else:
            result.append(" ".join(lines))
    return result


def strip_markdown(text):
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).strip()


def _inline_html(text):
    # Only **bold** is kept from Markdown; everything else is escaped text.
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


def rich_text(parts):
    """Wagtail rich text (paragraphs, bullet lists, bold) from blocks."""
    html = []
    for part in parts:
        if isinstance(part, list):
            items = "".join(f"<li>{_inline_html(item)}</li>" for item in part)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{_inline_html(part)}</p>")
    return "".join(html)


def normalise_name(text):
    """For matching names: case-insensitive, whitespace collapsed."""
    return " ".join(text.split()).casefold()
