from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def admin_site_name():
    """The site's name (WAGTAIL_SITE_NAME), which the admin's window titles
    and login page show in place of "Wagtail"."""
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "Wagtail"
