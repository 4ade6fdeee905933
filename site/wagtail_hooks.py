from wagtail import hooks

from .caching import mark_served_page

hooks.register("before_serve_page", mark_served_page)
