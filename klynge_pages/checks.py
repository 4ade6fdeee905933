"""What the apps cannot run without, said when Django starts (its system
checks, as `wagtail/admin/checks.py` does it) instead of misbehaving
silently later. The settings contract itself is in conf.py."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode
from django.utils.module_loading import import_string

from .conf import DEFAULTS, PREFIX, RENAMED, klynge_settings
from .workflow_actions import publish_approved

FINISH_WORKFLOW_ACTION = "klynge_pages.workflow_actions.publish_approved"
# The blocks the public templates fill; `content` is where everything goes.
BASE_TEMPLATE_BLOCKS = {"title", "extra_css", "body_class", "content", "extra_js"}


@register(Tags.compatibility)
def workflow_finish_action_check(app_configs, **kwargs):
    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return []
    action = getattr(
        settings,
        "WAGTAIL_FINISH_WORKFLOW_ACTION",
        "wagtail.workflows.publish_workflow_state",
    )
    if action == FINISH_WORKFLOW_ACTION:
        return []
    try:
        if action and import_string(action) is publish_approved:
            return []  # the same function, named another way
    except ImportError:
        pass
    return [
        Error(
            f"WAGTAIL_FINISH_WORKFLOW_ACTION is {action!r}: minutes that the "
            "last approver signs off would not be published, since the "
            "approvers hold no publish permission of their own.",
            hint=f'Set WAGTAIL_FINISH_WORKFLOW_ACTION = "{FINISH_WORKFLOW_ACTION}".',
            id="klynge_pages.E001",
        )
    ]


@register(Tags.compatibility)
def language_check(app_configs, **kwargs):
    language = (settings.LANGUAGE_CODE or "").split("-")[0].lower()
    if language == "da":
        return []
    return [
        Error(
            f"LANGUAGE_CODE is {settings.LANGUAGE_CODE!r}: the Klyngeportal apps "
            "speak Danish only (their texts, dates, search analysis and the "
            "admin's vocabulary).",
            hint='Set LANGUAGE_CODE = "da".',
            id="klynge_pages.E002",
        )
    ]


@register(Tags.compatibility)
def time_zone_check(app_configs, **kwargs):
    if settings.USE_TZ and settings.TIME_ZONE == "Europe/Copenhagen":
        return []
    return [
        Warning(
            f"TIME_ZONE is {settings.TIME_ZONE!r} (USE_TZ {settings.USE_TZ}): "
            "meeting times, deadlines and calendars are Danish times.",
            hint='Set TIME_ZONE = "Europe/Copenhagen" and USE_TZ = True.',
            id="klynge_pages.W003",
        )
    ]


def _block_names(template):
    """The block names of a Django template, or None when it extends
    another one (its blocks may come from there)."""
    nodelist = getattr(getattr(template, "template", None), "nodelist", None)
    if nodelist is None or nodelist.get_nodes_by_type(ExtendsNode):
        return None
    return {node.name for node in nodelist.get_nodes_by_type(BlockNode)}


@register(Tags.templates)
def base_template_check(app_configs, **kwargs):
    name = klynge_settings.BASE_TEMPLATE
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return [
            Error(
                f"The base template {name!r} (KLYNGE_BASE_TEMPLATE) does not "
                "exist: every public page of the Klyngeportal apps extends it.",
                hint="Point KLYNGE_BASE_TEMPLATE at the site's layout, which "
                "defines the blocks " + ", ".join(sorted(BASE_TEMPLATE_BLOCKS)) + ".",
                id="klynge_pages.E004",
            )
        ]
    blocks = _block_names(template)
    if blocks is not None and "content" not in blocks:
        return [
            Error(
                f"The base template {name!r} (KLYNGE_BASE_TEMPLATE) has no "
                "{% block content %}: the public pages would render empty.",
                hint="Give it the blocks "
                + ", ".join(sorted(BASE_TEMPLATE_BLOCKS))
                + ", as `wagtail start` makes base.html.",
                id="klynge_pages.E005",
            )
        ]
    return []


@register(Tags.compatibility)
def settings_names_check(app_configs, **kwargs):
    """A setting under an old name, or a KLYNGE_ name nothing reads (a typo),
    would be ignored in silence."""
    problems = []
    for old, new in RENAMED.items():
        if hasattr(settings, old):
            problems.append(
                Warning(
                    f"The setting {old} is no longer read; it is now {new}.",
                    hint=f"Rename {old} to {new}.",
                    id="klynge_pages.W006",
                )
            )
    for name in dir(settings):
        if name.startswith(PREFIX) and name[len(PREFIX) :] not in DEFAULTS:
            problems.append(
                Warning(
                    f"{name} is not a setting of the Klyngeportal apps and is ignored.",
                    hint="The settings are listed in docs/settings.md.",
                    id="klynge_pages.W007",
                )
            )
    return problems


@register(Tags.compatibility)
def settings_values_check(app_configs, **kwargs):
    problems = []
    for name, default in DEFAULTS.items():
        if isinstance(default, bool) or not isinstance(default, int | float):
            continue
        value = getattr(klynge_settings, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(
                Error(
                    f"{PREFIX}{name} is {value!r}; it must be a number, 0 or more.",
                    hint=f"The default is {default!r}.",
                    id="klynge_pages.E008",
                )
            )
    return problems
