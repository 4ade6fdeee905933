from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from oparl import urls as oparl_urls

from .views import health

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # For load balancers and the caching proxy's health probes.
    path("sundhed/", health, name="health"),
    path("dokumenter/", include(wagtaildocs_urls)),
    # The public search across all clusters.
    path("soeg/", include("klynge_search.urls")),
    # Open data: the OParl 1.1 API (read-only) at /oparl/v1.1/.
    path("oparl/", include(oparl_urls)),
    # PDF, ZIP, iCalendar and RSS/Atom of published content.
    path("", include("klynge_exports.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    from klynge_security.media import media_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Images only: documents go through the checked view above, never /media/.
    urlpatterns += media_urlpatterns()

# Wagtail serves every other URL from the page tree; this must come last.
urlpatterns += [path("", include(wagtail_urls))]
