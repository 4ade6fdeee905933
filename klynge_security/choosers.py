"""What the admin's choosers may show a user (see wagtail_hooks.py and
middleware.py, which apply it to the listings and to the "chosen" steps)."""

from django.db.models import Q
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy


def choosable_pages(user):
    """The pages the user may work on, and other pages only while they are
    live without pending changes: a chooser shows a page's draft title,
    which for another cluster's page is not public."""
    if user.is_superuser:
        return Page.objects.all()
    explorable = PagePermissionPolicy().explorable_instances(user)
    return Page.objects.filter(
        Q(live=True, has_unpublished_changes=False) | Q(pk__in=explorable.values("pk"))
    )
