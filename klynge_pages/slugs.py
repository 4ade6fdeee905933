"""ASCII names for URLs and file names, with the Danish letters written as
Danes write them without (slugify() alone drops them: "møde" → "mde")."""

from django.utils.text import slugify

DANISH_LETTERS = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"}
)


def ascii_slug(text):
    """ "Møde i Klyngestyregruppe Nord" → "moede-i-klyngestyregruppe-nord"."""
    return slugify(str(text).translate(DANISH_LETTERS))
