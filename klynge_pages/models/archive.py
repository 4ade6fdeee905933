"""The meetings archive and the list of minutes: sub-URLs of the page that
owns them (Wagtail's RoutablePageMixin).

    <cluster index>/moeder/         the coming meetings of every cluster,
                                    and the years of the archive
    <cluster index>/moeder/2019/    the meetings of 2019, the latest first
    <cluster index>/referater/      the latest published minutes
    <cluster>/moeder/, …/2019/      the same for one cluster

Every row says what there is to read: "Dagsorden" (the agenda has items),
"Referat" (approved minutes are published) or "Aflyst". The cluster index's
archive narrows to one cluster with `?klynge=<slug>`; `?side=N` pages
through a long list. Everything is in the URL, so every view is linkable.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

from ..conf import public_template_context
from ..pagination import pagination

PAGE_SIZE = 20
# Years outside this range name no meeting ("moeder/0000/").
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _page_number(request):
    raw = request.GET.get("side", "")
    return int(raw) if raw.isdigit() and len(raw) <= 6 else 1


def _paginate(request, queryset, base_url, query):
    """(the page's objects, pagination for the template)."""
    page = Paginator(queryset, PAGE_SIZE).get_page(_page_number(request))

    def url_for(number):
        params = {**query, **({"side": number} if number > 1 else {})}
        return base_url + ("?" + urlencode(params) if params else "")

    return page, pagination(page.number, page.paginator.num_pages, url_for)


class MeetingsArchiveMixin(RoutablePageMixin):
    """The meetings archive of a page: `archive_meetings()` gives the
    meetings it covers (visible or not: the archive keeps the visible ones),
    `archive_clusters()` the clusters to narrow by (None: no choice)."""

    def archive_meetings(self):
        raise NotImplementedError

    def archive_clusters(self):
        return None

    @path("moeder/", name="meetings")
    def meetings_archive(self, request):
        return self._archive(request, year=None)

    @re_path(r"^moeder/(?P<year>\d{4})/$", name="meetings_year")
    def meetings_archive_year(self, request, year):
        year = int(year)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404
        return self._archive(request, year=year)

    def _archive(self, request, year):
        meetings = self.archive_meetings().visible()
        messages = []
        clusters = self.archive_clusters()
        selected = None
        query = {}
        if clusters is not None:
            clusters = list(clusters.only("pk", "title", "slug", "kind"))
            slug = request.GET.get("klynge", "")
            if slug:
                selected = next((c for c in clusters if c.slug == slug), None)
                if selected is None:
                    messages.append(
                        _("Klyngen findes ikke. Du ser møderne i alle klynger.")
                    )
                else:
                    meetings = meetings.child_of(selected)
                    query["klynge"] = selected.slug
        own_url = self.get_url(request)
        base = own_url + self.reverse_subpage("meetings")
        if year is None:
            listed = meetings.upcoming()
            url = base
        else:
            listed = meetings.in_year(year)
            url = own_url + self.reverse_subpage("meetings_year", args=[year])
        page, page_links = _paginate(request, listed.for_listing(), url, query)
        suffix = "?" + urlencode(query) if query else ""
        years = [
            (
                number,
                count,
                own_url + self.reverse_subpage("meetings_year", args=[number]) + suffix,
            )
            for number, count in meetings.years()
        ]
        return TemplateResponse(
            request,
            "klynge_pages/meetings_archive.html",
            {
                **public_template_context(),
                "page": self,
                "self": self,
                "year": year,
                "breadcrumb_current": (
                    _("Møder %(year)s") % {"year": year}
                    if year
                    else _("Kommende møder")
                ),
                "meetings": page.object_list,
                "pagination": page_links,
                "total": page.paginator.count,
                "years": years,
                "upcoming_url": base + suffix,
                "clusters": clusters,
                "selected_cluster": selected,
                "form_url": url,
                "archive_messages": messages,
                "show_cluster": clusters is not None and selected is None,
            },
        )


class MinutesListMixin(RoutablePageMixin):
    """The latest published minutes under a page, at referater/:
    `listed_minutes()` gives the minutes it covers."""

    def listed_minutes(self):
        raise NotImplementedError

    @path("referater/", name="minutes")
    def minutes_list(self, request):
        minutes = self.listed_minutes().visible().newest_first().for_listing()
        own_url = self.get_url(request)
        url = own_url + self.reverse_subpage("minutes")
        page, page_links = _paginate(request, minutes, url, {})
        return TemplateResponse(
            request,
            "klynge_pages/minutes_list.html",
            {
                **public_template_context(),
                "page": self,
                "self": self,
                "breadcrumb_current": _("Seneste referater"),
                "minutes_list": page.object_list,
                "pagination": page_links,
                "total": page.paginator.count,
                "archive_url": own_url + self.reverse_subpage("meetings"),
            },
        )
