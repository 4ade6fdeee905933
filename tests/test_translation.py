"""The admin in Danish: the package's catalogues (klynge_pages/locale/) translate
Wagtail's admin-facing messages, are valid for msgfmt, and the screens
editors and approvers use show no English.

The coverage and the screens that use Wagtail's core, snippets and documents
messages depend on the whole catalogue: wagtail.admin's messages and those of
the other Wagtail apps, merged into `django.po`.
"""

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.models import TaskState
from wagtail.users.models import UserProfile

from klynge_pages.models import MinutesPage
from klyngeportal_site.translation_coverage import coverage

from .factories import (
    OrganisationFactory,
    local,
    make_cluster,
    make_meeting,
    make_minutes,
)
from .signoff_world import make_user

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
REQUIRED_COVERAGE = 95.0

# Words an English admin shows on every screen an editor or approver uses.
ENGLISH_WORDS = re.compile(
    r"\b(?:Approve|Workflow|Publish|Save draft|Preview|History)", re.IGNORECASE
)


def project_catalogues():
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


# --- the catalogues -----------------------------------------------------------


def test_project_catalogues_are_danish_and_in_locale_paths():
    assert LOCALE_DIR == Path(settings.BASE_DIR) / "klynge_pages" / "locale"
    assert (LOCALE_DIR / "da" / "LC_MESSAGES" / "django.po").exists()
    header = (LOCALE_DIR / "da" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    assert '"Language: da\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header


@pytest.mark.parametrize("po", project_catalogues(), ids=lambda p: p.name)
def test_catalogue_passes_msgfmt_check(po):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt not found: install Debian's gettext"
    result = subprocess.run(  # noqa: S603 - a fixed tool on our own files
        [msgfmt, "--check", "--statistics", "--output-file=/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_wagtail_admin_messages_are_translated_into_danish():
    report = coverage("da")
    lines = [f"{c.label}: {c.translated} / {c.total}" for c in report.catalogues] + [
        f"overall: {report.translated} / {report.total} = {report.percentage:.1f} %"
    ]
    print("\n".join(lines))  # noqa: T201 - the figure, shown with -s or on failure
    if report.percentage < REQUIRED_COVERAGE:
        missing = [
            f"  {c.label}: {message}"
            for c in report.catalogues
            for message in c.missing
        ]
        pytest.fail(
            "\n".join(
                [
                    f"{report.percentage:.1f} % of Wagtail's admin-facing messages "
                    f"translated into Danish, {REQUIRED_COVERAGE} % required",
                    *lines,
                    f"Missing ({len(missing)}):",
                    *missing,
                ]
            ),
            pytrace=False,
        )


def test_coverage_counts_only_complete_translations(tmp_path):
    """Fuzzy entries and empty plural forms count as missing."""
    messages = tmp_path / "da" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: da\\n"\n\n'
        'msgid "Publish"\nmsgstr "Udgiv"\n\n'
        '#, fuzzy\nmsgid "Unpublish"\nmsgstr "Afpublicér"\n\n'
        'msgid "Save '
        '"\n"draft"\nmsgstr "Gem "\n"kladde"\n\n'
        'msgid "Delete 1 page"\nmsgid_plural "Delete %(counter)s pages"\n'
        'msgstr[0] "Slet 1 side"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    report = coverage(
        "da", locale_dir=tmp_path, catalogues=[("wagtail.admin", "django")]
    )
    missing = {message.msgid for message in report.catalogues[0].missing}
    assert report.translated == 2  # "Publish" and "Save draft"
    assert {"Unpublish", "Delete 1 page", "Save Draft"} <= missing
    assert "Publish" not in missing
    assert "Save draft" not in missing


def test_translation_coverage_command_lists_missing_messages(capsys):
    from django.core.management import call_command

    call_command("translation_coverage", "--missing")
    out = capsys.readouterr().out
    assert "wagtail.admin " in out
    assert "wagtail.admin (djangojs)" in out
    assert "overall" in out


# --- the screens ----------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside <script>, <style> and
    <noscript>, without attribute values or class names."""

    HIDDEN = {"script", "style", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(" ".join(data.split()))


SIDEBAR_PROPS = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S
)


def menu_labels(data):
    """The labels of the sidebar's menu, which the admin's JavaScript draws
    from the JSON in `wagtail-sidebar-props`."""
    if isinstance(data, dict):
        label = data.get("label")
        labels = [label] if isinstance(label, str) else []
        return labels + [x for value in data.values() for x in menu_labels(value)]
    if isinstance(data, list):
        return [x for value in data for x in menu_labels(value)]
    return []


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    sidebar = SIDEBAR_PROPS.search(html)
    labels = menu_labels(json.loads(sidebar.group(1))) if sidebar else []
    return parser.parts + labels


def assert_danish(response, *expected):
    """No English admin words on the screen, and the Danish `expected`
    (the actions the screen is there for) on it."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        html = response.json()["html"]
    text = visible_text(html)
    english = [part for part in text if ENGLISH_WORDS.search(part)]
    assert not english, "English on a Danish screen:\n" + "\n".join(english)
    for words in expected:
        assert any(words in part for part in text), f"{words!r} not on the screen"


@pytest.fixture(autouse=False)
def compiled_catalogues():
    """The screens read the compiled catalogues (`make messages`)."""
    for po in project_catalogues():
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            pytest.fail(
                f"{mo.relative_to(settings.BASE_DIR)} is missing or older than its "
                ".po: run `make messages`",
                pytrace=False,
            )


@pytest.fixture
def minutes_in_review(db, compiled_catalogues):
    """Minutes submitted to their workflow, now at the secretariat's review;
    an editor and a secretary who speak Danish."""
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    cluster = make_cluster(title="Klyngestyregruppe Midt", members=[aalborg])
    cluster.refresh_from_db()
    minutes = make_minutes(make_meeting(cluster, items=2), live=False)
    editor = make_user("redaktoer", cluster.editors_group)
    secretary = make_user("sekretaer", Group.objects.get(name="Sekretariat"))
    for user in (editor, secretary):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "da"
        profile.save()
    minutes = MinutesPage.objects.get(pk=minutes.pk)
    minutes.save_revision(user=editor)
    minutes.get_workflow().start(minutes, editor)
    translation.activate("da")
    yield minutes, editor, secretary
    translation.deactivate()


def test_dashboard_is_danish(client, minutes_in_review):
    _, _, secretary = minutes_in_review
    client.force_login(secretary)
    assert_danish(client.get(reverse("wagtailadmin_home")), "Afventer din godkendelse")


def test_page_editor_is_danish(client, minutes_in_review):
    minutes, editor, _ = minutes_in_review
    meeting = minutes.get_parent()
    client.force_login(editor)
    assert_danish(
        client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk])),
        "Gem kladde",
        "Historik",
    )


def test_submitting_to_the_workflow_is_danish(client, minutes_in_review):
    minutes, editor, _ = minutes_in_review
    cluster = minutes.get_parent().get_parent()
    draft = make_minutes(make_meeting(cluster, start=local(2020, 3, 4, 9)), live=False)
    client.force_login(editor)
    assert_danish(
        client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])),
        "Gem kladde",
        "Send til Referatgodkendelse",
    )


def test_workflow_approval_screens_are_danish(client, minutes_in_review):
    minutes, _, secretary = minutes_in_review
    client.force_login(secretary)
    task_state = TaskState.objects.get(
        workflow_state__object_id=str(minutes.pk),
        status=TaskState.STATUS_IN_PROGRESS,
    )
    # The locked editor, pointing to the approval screen...
    assert_danish(
        client.get(reverse("wagtailadmin_pages:edit", args=[minutes.pk])),
        "Gå til godkendelsen",
    )
    # ...the approval screen with the task's actions...
    assert_danish(
        client.get(reverse("klynge_pages_signoff_approve", args=[minutes.pk])),
        "Godkendelse af referat",
        "Bed om ændringer",
    )
    # ...the dialog for approving with a comment...
    assert_danish(
        client.get(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=[minutes.pk, "approve", task_state.pk],
            )
        )
    )
    # ...and the workflow's history.
    assert_danish(
        client.get(reverse("wagtailadmin_pages:workflow_history", args=[minutes.pk]))
    )


def test_snippets_listing_is_danish(client, minutes_in_review):
    _, _, secretary = minutes_in_review
    client.force_login(secretary)
    assert_danish(client.get(reverse("wagtailsnippets_klynge_pages_organisation:list")))


def test_document_upload_form_is_danish(client, minutes_in_review):
    _, _, secretary = minutes_in_review
    client.force_login(secretary)
    assert_danish(client.get(reverse("wagtaildocs:add_multiple")))


# --- the last English words: login, link forms, help, the desk ----------------


def test_login_page_is_danish(client, db, compiled_catalogues):
    """Reported: "Log ind i Wagtail" and the password field labelled
    "Password"."""
    response = client.get(reverse("wagtailadmin_login"))
    assert_danish(response, "Log ind på Klyngeportal", "Adgangskode", "Brugernavn")
    html = response.content.decode()
    text = visible_text(html)
    assert "Password" not in text
    assert not [part for part in text if "Wagtail" in part]
    assert "<title>Log ind - Klyngeportal</title>" in html


def test_window_titles_name_the_site_not_wagtail(client, minutes_in_review):
    _, editor, _ = minutes_in_review
    client.force_login(editor)
    html = client.get(reverse("wagtaildocs:index")).content.decode()
    assert re.search(r"<title>[^<]*- Klyngeportal</title>", html)
    assert "- Wagtail</title>" not in html


@pytest.mark.parametrize(
    ("view", "labels"),
    [
        ("wagtailadmin_choose_page_external_link", ["URL", "Linktekst"]),
        (
            "wagtailadmin_choose_page_email_link",
            ["E-mailadresse", "Linktekst", "Emne", "Tekst"],
        ),
        ("wagtailadmin_choose_page_phone_link", ["Telefonnummer", "Linktekst"]),
        ("wagtailadmin_choose_page_anchor_link", ["Linktekst"]),
    ],
)
def test_link_forms_label_their_fields_in_danish(
    client, minutes_in_review, view, labels
):
    """Wagtail declares these fields without labels: Django would show
    "Email address", "Subject", "Body", "Phone number", "Link text"."""
    _, editor, _ = minutes_in_review
    client.force_login(editor)
    response = client.get(reverse(view))
    assert_danish(response, *labels)
    text = visible_text(response.json()["html"])
    for english in ("Email address", "Subject", "Body", "Phone number", "Link text"):
        assert english not in text


def test_no_untranslatable_actions_label(client, minutes_in_review):
    minutes, editor, _ = minutes_in_review
    client.force_login(editor)
    html = client.get(
        reverse("wagtailadmin_pages:edit", args=[minutes.pk])
    ).content.decode()
    assert 'id="w-slim-header-buttons"' in html
    assert 'aria-label="Actions"' not in html


def submenu_items(data, name):
    """The items ({name, label, url, …}) of the sidebar's submenu `name`:
    Wagtail writes a submenu as {"_type": "wagtail.sidebar.SubMenuItem",
    "_args": [its own item, [its children]]}."""
    if isinstance(data, dict):
        if data.get("_type") == "wagtail.sidebar.SubMenuItem":
            item, children = data["_args"][0], data["_args"][1]
            if item.get("name") == name:
                return [child["_args"][0] for child in children]
        values = data.values()
    elif isinstance(data, list):
        values = data
    else:
        return None
    for value in values:
        found = submenu_items(value, name)
        if found is not None:
            return found
    return None


def test_help_offers_the_danish_editors_guide_not_wagtails_english_one(
    client, minutes_in_review
):
    _, editor, _ = minutes_in_review
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = json.loads(SIDEBAR_PROPS.search(html).group(1))
    items = submenu_items(props, "help")
    assert [item["label"] for item in items] == ["Redaktørvejledning", "Genveje"]
    assert items[0]["url"] == reverse("klynge_editorial_guide")
    assert "wagtail.org" not in json.dumps(items)
    # The dashboard's own link to a guide is the Danish one, too.
    assert "guide.wagtail.org" not in html
    assert f'href="{reverse("klynge_editorial_guide")}"' in html


def test_the_editors_guide_is_danish_and_explains_the_editors_week(
    client, minutes_in_review
):
    from klynge_editorial.deadlines import Status

    _, editor, _ = minutes_in_review
    client.force_login(editor)
    response = client.get(reverse("klynge_editorial_guide"))
    assert_danish(
        response,
        "Redaktørvejledning",
        "1. Opret et møde med dagsorden",
        "2. Skriv referatet",
        "3. Send referatet til godkendelse",
        "4. Godkend et referat",
        "5. Frister og påmindelser",
        "Send til Referatgodkendelse",
        "Godkend med kommentar",
    )
    text = visible_text(response.content.decode())
    for label in Status.LABELS.values():  # the report's words, explained
        assert str(label) in text


def test_the_desk_is_danish(client, minutes_in_review):
    minutes, _, secretary = minutes_in_review
    meeting = minutes.get_parent()
    client.force_login(secretary)
    assert_danish(
        client.get(reverse("klynge_editorial_deadlines")),
        "Frister",
        "Hent CSV",
        "Hent XLSX",
        "Afventer godkendelse",
    )
    assert_danish(
        client.get(
            reverse("klynge_editorial_send_reminder", args=[meeting.pk, "referat"])
        ),
        "Send påmindelse",
    )
    assert_danish(client.get(reverse("klynge_editorial_reminders")), "Påmindelser")
