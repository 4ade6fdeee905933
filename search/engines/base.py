"""What every engine of the public search is: a name and `search(params)`,
which answers a `SearchParams` with `Results` (query.py). One contract test
suite (tests/test_search_page.py) runs against each."""

from abc import ABC, abstractmethod

SNIPPET_LENGTH = 240


class SearchEngine(ABC):
    #: Shown nowhere to citizens; in `Results.engine`, for tests and logs.
    name = ""

    @abstractmethod
    def search(self, params):
        """`Results` for `params` (a `SearchParams`). Raises one of
        `errors.UNAVAILABLE` when the engine cannot answer now."""

    def after_search(self):  # noqa: B027 - optional, nothing to do by default
        """Called after a search this engine answered."""


def shorten(text, length=SNIPPET_LENGTH):
    """Plain text (as the index holds it) cut at a word, with " …"."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + " …"
