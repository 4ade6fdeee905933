"""Middleware of the site's security rules (see docs/security.md)."""

from csp.middleware import CSPMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from wagtail.documents import get_document_model

from klynge_pages.conf import klynge_settings

from .choosers import choosable_pages
from .documents import documents_visible_to, editable_page_ids, user_can_download

# Admin views that Wagtail opens to every editor but that show other
# clusters' unpublished titles: superusers only.
SUPERUSER_ONLY_VIEWS = {
    # "Last edited page" of each page type, whoever may see it.
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
}
# The choosers' "chosen" steps return any document's or page's title and URL
# by id, whatever the chooser listed; so does the error message of the
# workflow preview, for any page id.
DOCUMENT_VIEWS = {"wagtaildocs_chooser:chosen"}
DOCUMENTS_VIEWS = {"wagtaildocs_chooser:chosen_multiple"}
PAGES_VIEWS = {"wagtailadmin_choose_page_chosen_multiple"}
PAGE_VIEWS = {"wagtailadmin_pages:workflow_preview"}


def _ids(values):
    """The values as numbers, or None if any is not one (Wagtail would fail
    with a 500 on it)."""
    if not all(value.isascii() and value.isdigit() for value in values):
        return None
    return {int(value) for value in values}


class AdminAccessMiddleware:
    """Access checks on admin views that Wagtail leaves open (see
    tests/test_access_checks.py), and private caching of documents that are
    served to an editor only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "klynge_private_document", False):
            # Never let a shared cache keep a closed attachment for the public.
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.view_name if match else None
        if name in SUPERUSER_ONLY_VIEWS and not request.user.is_superuser:
            raise PermissionDenied
        if name in DOCUMENT_VIEWS:
            # The URL takes any string; Wagtail would fail with a 500 on one
            # that is not a number.
            pk = str(view_kwargs.get("pk", ""))
            document = (
                get_document_model().objects.filter(pk=int(pk)).first()
                if pk.isascii() and pk.isdigit()
                else None
            )
            if document is None or not user_can_download(request.user, document):
                raise Http404
        if name in DOCUMENTS_VIEWS:
            ids = _ids(request.GET.getlist("id"))
            if ids is None or (
                ids
                and documents_visible_to(
                    request.user, get_document_model().objects.filter(pk__in=ids)
                ).count()
                != len(ids)
            ):
                raise Http404
        if name in PAGES_VIEWS:
            ids = _ids(request.GET.getlist("id"))
            if ids is None or (
                ids
                and choosable_pages(request.user).filter(pk__in=ids).count() != len(ids)
            ):
                raise Http404
        if name in PAGE_VIEWS and not (
            request.user.is_superuser
            or editable_page_ids(request.user)
            .filter(pk=view_kwargs.get("page_id"))
            .exists()
        ):
            raise Http404
        return None


class AreaCSPMiddleware(CSPMiddleware):
    """django-csp with one policy for the public site (CONTENT_SECURITY_POLICY:
    no inline script or style) and a looser one for Wagtail's admin
    (KLYNGE_ADMIN_CONTENT_SECURITY_POLICY), whose templates carry inline
    scripts and styles that cannot be avoided."""

    @cached_property
    def admin_prefix(self):
        return reverse("wagtailadmin_home")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(self.admin_prefix)
        ):
            policy = klynge_settings.ADMIN_CONTENT_SECURITY_POLICY
            if policy:
                parts.config = policy["DIRECTIVES"]
        return parts
