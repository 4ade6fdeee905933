from .models import AccessibilityStatementPage


def accessibility_statement(request):
    """The URL of the accessibility statement, for the footer of every page."""

    def url():
        page = AccessibilityStatementPage.objects.live().public().first()
        return page.get_url(request) if page else None

    # Lazy: evaluated only where the footer renders.
    return {"accessibility_statement_url": url}
