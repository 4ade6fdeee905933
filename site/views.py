from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request):
    """For load balancers and the caching proxy's probes: 200 while this app
    server answers and reaches its database, cheaply (one `SELECT 1`)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("OK\n", content_type="text/plain; charset=utf-8")
