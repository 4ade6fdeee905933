"""Wagtail hooks of the site's security rules: who may download a document,
and access checks that Wagtail 8.0 leaves to the site (each one found by
tests/test_access_checks.py)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet

from .choosers import choosable_pages
from .documents import documents_visible_to, is_public, user_can_edit_document_use


@hooks.register("before_serve_document")
def refuse_unpublished_documents(document, request):
    """Attachments of closed agenda items and of unpublished meetings are not
    served by URL guessing (see documents.py)."""
    if is_public(document):
        return None
    if user_can_edit_document_use(request.user, document):
        request.klynge_private_document = True
        return None
    raise Http404


@hooks.register("before_move_page")
def refuse_move_without_permission(request, page, destination):
    """Wagtail 8.0's move confirmation page checks no permission on GET: it
    would show any page's title to any editor."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("construct_document_chooser_queryset")
def documents_in_chooser(documents, request):
    return documents_visible_to(request.user, documents)


@hooks.register("construct_page_chooser_queryset")
def pages_in_chooser(pages, request):
    """The page chooser (links) lists the pages the user may work on, and
    other pages only while they are live without pending changes: it shows
    a page's draft title, which for another cluster's page is not public."""
    if request.user.is_superuser:
        return pages
    allowed = choosable_pages(request.user)
    # pk__in, not the conditions themselves: the chooser's search can filter
    # on the primary key only.
    return pages.filter(pk__in=allowed.values("pk"))


class VisibleDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents, narrowed like the chooser."""

    def get_queryset(self):
        return documents_visible_to(self.request.user, super().get_queryset())


@hooks.register("construct_admin_api", order=1)
def narrow_admin_api_documents(router):
    # order=1: after wagtail.documents registers its own endpoint of that name.
    router.register_endpoint("documents", VisibleDocumentsAdminAPIViewSet)
