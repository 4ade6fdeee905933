from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Location, Organisation, Person


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisationer")
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("Personer")
    list_display = ["name", "title", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "title"]


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    menu_label = _("Mødesteder")
    list_display = ["name", "address"]
    search_fields = ["name", "address"]


class KlyngeViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, PersonViewSet, LocationViewSet)
    menu_icon = "group"
    menu_label = _("Klyngeregister")
    menu_name = "klyngeregister"


register_snippet(KlyngeViewSetGroup)


@hooks.register("register_log_actions")
def register_signoff_log_action(actions):
    @actions.register_action("klynge_pages.sign_off")
    class SignOffFormatter(LogFormatter):
        label = _("Referat: godkendt for en organisation")

        def format_message(self, log_entry):
            organisation = log_entry.data.get("organisation")
            if organisation:
                return _("Godkendt for %(organisation)s") % {
                    "organisation": organisation
                }
            return _("Godkendt")

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")


@hooks.register("register_log_actions")
def register_publish_override_log_action(actions):
    actions.register_action(
        "klynge_pages.publish_override",
        _("Referat udgivet uden om godkendelsen"),
        _("Referatet blev udgivet af en superbruger uden om referatgodkendelsen"),
    )
