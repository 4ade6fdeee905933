"""The same suite runs on SQLite (embedded default) and PostgreSQL (CI,
production); this proves that the PostgreSQL run really is one."""

import pytest
from django.db import connection

from klyngeportal_site.models import HomePage


@pytest.mark.postgresql
@pytest.mark.django_db
def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"


@pytest.mark.django_db
def test_danish_text_round_trips_through_the_database(home_page):
    home_page.title = "Klyngestyregruppen – Æbler, øer og ål"
    home_page.save_revision().publish()

    assert HomePage.objects.get(pk=home_page.pk).title == (
        "Klyngestyregruppen – Æbler, øer og ål"
    )
