from .models import AccessibilityStatementPage


def accessibility_statement(request):
    """The URL of the accessibility statement, for the footer of every page."""

    def url():
        # The statement's own table first: it has a row or none, while the
        # live/public filter over the whole page tree costs a scan of it on
        # every page view (1.5 ms with a few thousand meetings).
        ids = list(
            AccessibilityStatementPage.objects.order_by().values_list("pk", flat=True)
        )
        if not ids:
            return None
        page = (
            AccessibilityStatementPage.objects.filter(pk__in=ids)
            .live()
            .public()
            .first()
        )
        return page.get_url(request) if page else None

    # Lazy: evaluated only where the footer renders.
    return {"accessibility_statement_url": url}
