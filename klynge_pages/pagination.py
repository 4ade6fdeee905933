"""Page links for long lists (search results, the meetings archive), in the
shape `klynge_pages/includes/pagination.html` shows them: Det Fælles
Designsystem's pagination, with "Forrige"/"Næste" and "Side 2 af 7" on a
phone and the numbered pages from a tablet up."""

# Pages on either side of the current one; the first and last are always
# linked, with "…" for the pages left out.
WINDOW = 2


def pagination(current, last, url_for):
    """None for a single page; otherwise {"previous", "next": URL or None,
    "current", "last": numbers, "pages": [(number or None for "…", URL,
    is current)]}. `url_for(number)` gives the URL of a page."""
    if last <= 1:
        return None
    shown = {1, last, *range(max(1, current - WINDOW), min(last, current + WINDOW) + 1)}
    pages = []
    previous_number = 0
    for number in sorted(shown):
        if number > previous_number + 1:
            pages.append((None, None, False))
        pages.append((number, url_for(number), number == current))
        previous_number = number
    return {
        "previous": url_for(current - 1) if current > 1 else None,
        "next": url_for(current + 1) if current < last else None,
        "current": current,
        "last": last,
        "pages": pages,
    }
