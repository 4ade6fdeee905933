"""The system checks: what the apps cannot run without fails loudly, in
clear words, instead of silently (klynge_pages/checks.py,
search/checks.py, klynge_exports/checks.py)."""

import pytest
from django.test import override_settings
from django.urls import include, path

from klynge_exports import checks as export_checks
from klynge_pages import checks
from klynge_search import checks as search_checks


def ids(messages):
    return [message.id for message in messages]


def test_the_reference_site_passes_every_check():
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")


def test_wagtails_default_finish_action_is_an_error():
    with override_settings(
        WAGTAIL_FINISH_WORKFLOW_ACTION="wagtail.workflows.publish_workflow_state"
    ):
        [error] = checks.workflow_finish_action_check(None)
    assert error.id == "klynge_pages.E001"
    assert "would not be published" in error.msg
    assert checks.FINISH_WORKFLOW_ACTION in error.hint


def test_an_unset_finish_action_is_an_error(settings):
    del settings.WAGTAIL_FINISH_WORKFLOW_ACTION
    assert ids(checks.workflow_finish_action_check(None)) == ["klynge_pages.E001"]


def test_a_finish_action_that_does_not_import_is_an_error():
    with override_settings(WAGTAIL_FINISH_WORKFLOW_ACTION="no.such.function"):
        assert ids(checks.workflow_finish_action_check(None)) == ["klynge_pages.E001"]


def test_without_workflows_the_finish_action_does_not_matter():
    with override_settings(
        WAGTAIL_WORKFLOW_ENABLED=False, WAGTAIL_FINISH_WORKFLOW_ACTION=""
    ):
        assert checks.workflow_finish_action_check(None) == []


@pytest.mark.parametrize("code", ["en-us", "de", ""])
def test_a_language_other_than_danish_is_an_error(code):
    with override_settings(LANGUAGE_CODE=code):
        assert ids(checks.language_check(None)) == ["klynge_pages.E002"]


def test_danish_variants_pass():
    with override_settings(LANGUAGE_CODE="da-dk"):
        assert checks.language_check(None) == []


def test_a_time_zone_other_than_copenhagen_is_a_warning():
    with override_settings(TIME_ZONE="UTC"):
        assert ids(checks.time_zone_check(None)) == ["klynge_pages.W003"]


def test_a_missing_base_template_is_an_error():
    with override_settings(KLYNGE_BASE_TEMPLATE="no/such/layout.html"):
        [error] = checks.base_template_check(None)
    assert error.id == "klynge_pages.E004"
    assert "no/such/layout.html" in error.msg


def test_a_base_template_without_a_content_block_is_an_error(tmp_path, settings):
    (tmp_path / "bare.html").write_text("<html><body>{% block main %}{% endblock %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.KLYNGE_BASE_TEMPLATE = "bare.html"
    assert ids(checks.base_template_check(None)) == ["klynge_pages.E005"]


def test_old_setting_names_and_typos_are_warnings():
    with override_settings(OPARL_BASE_URL="https://x.example", KLYNGE_SERCH_TIMEOUT=3):
        messages = checks.settings_names_check(None)
    assert ids(messages) == ["klynge_pages.W006", "klynge_pages.W007"]
    assert "KLYNGE_OPARL_BASE_URL" in messages[0].msg
    assert "KLYNGE_SERCH_TIMEOUT" in messages[1].msg


@pytest.mark.parametrize("value", [-1, "60", [], True])
def test_numbers_must_be_numbers(value):
    with override_settings(KLYNGE_SEARCH_RATE_LIMIT=value):
        messages = checks.settings_values_check(None)
    assert ids(messages) == ["klynge_pages.E008"]
    assert "KLYNGE_SEARCH_RATE_LIMIT" in messages[0].msg


@pytest.mark.parametrize("prefix", ["Klynge", "-x", "a b", "", "a/b"])
def test_a_bad_index_prefix_is_an_error(prefix):
    with override_settings(KLYNGE_SEARCH_INDEX_PREFIX=prefix):
        assert ids(search_checks.index_prefix_check(None)) == ["klynge_search.E002"]


urlpatterns_without_apps = [path("oparl/", include("oparl.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_apps_whose_urls_are_missing_are_errors():
    global urlpatterns
    urlpatterns = urlpatterns_without_apps
    assert ids(search_checks.urls_check(None)) == ["klynge_search.E001"]
    assert ids(export_checks.urls_check(None)) == ["klynge_exports.E001"]


def test_with_their_urls_the_apps_pass():
    assert search_checks.urls_check(None) == []
    assert export_checks.urls_check(None) == []


def test_no_elasticsearch_named_no_check(settings):
    settings.KLYNGE_ELASTICSEARCH_URL = ""
    assert search_checks.danish_analysis_check(None) == []


def test_an_elasticsearch_that_does_not_answer_is_a_warning(settings):
    settings.KLYNGE_ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing there
    [warning] = search_checks.danish_analysis_check(None)
    assert warning.id == "klynge_search.W004"
    assert "answers from the database" in warning.msg


@pytest.mark.elasticsearch
def test_the_nodes_have_the_danish_dictionary():
    assert search_checks.danish_analysis_check(None) == []


@pytest.mark.elasticsearch
def test_a_node_without_the_dictionary_is_an_error(monkeypatch):
    # The real server, asked for a dictionary it does not carry, answers as a
    # node without da_DK does.
    monkeypatch.setattr(search_checks, "LOCALE", "xx_XX")
    [error] = search_checks.danish_analysis_check(None)
    assert error.id == "klynge_search.E003"
    assert "hunspell" in error.msg.lower()
    assert "config/hunspell/da_DK/" in error.hint


def test_docs_list_every_setting_and_check():
    """docs/settings.md is the contract: every setting, its default, every
    check."""
    import re
    from pathlib import Path

    from django.conf import settings as django_settings

    from klynge_pages.conf import DEFAULTS

    text = (Path(django_settings.BASE_DIR) / "docs" / "settings.md").read_text()
    rows = dict(re.findall(r"^\| `KLYNGE_([A-Z_]+)` \|.*\| `([^`]+)`", text, re.M))
    assert set(rows) == set(DEFAULTS)
    for name, default in DEFAULTS.items():
        assert rows[name] == (
            f'"{default}"' if isinstance(default, str) else str(default)
        ).replace("_", ""), name
