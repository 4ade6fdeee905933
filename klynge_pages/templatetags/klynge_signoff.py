"""The sign-off panel in the admin: on the approval screen and in the
dashboard's approval modal (see klynge_pages.approval)."""

from django import template

from klynge_pages.approval import panel

register = template.Library()


@register.inclusion_tag("klynge_pages/signoff/panel.html", takes_context=True)
def signoff_panel(context, page):
    return panel(page.specific, context["request"].user) or {}
