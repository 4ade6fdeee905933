"""The "Udgivet" date of minutes: historic and imported minutes keep their
real publication date (set by the secretariat, not by editors), and the
public deadline line uses it. Without one, the date of the first
publication here."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, rich_text

from klynge_pages.models import MinutesPage

from .admin_forms import minutes_form
from .factories import local, publish
from .signoff_world import public_html

pytestmark = pytest.mark.django_db


def save_draft(client, user, minutes, **fields):
    """The edit form as posted, decisions unchanged, `fields` added."""
    decisions = inline_formset(
        [
            {"agenda_item": d.agenda_item_id, "decision": rich_text(d.decision)}
            for d in minutes.decisions.all()
        ]
    )
    client.force_login(user)
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(minutes.pk,)),
        minutes_form(minutes.slug, minutes.title, decisions=decisions, **fields),
    )


def stored_date(minutes):
    page = MinutesPage.objects.get(pk=minutes.pk)
    return page.get_latest_revision_as_object().first_published_at


def test_the_secretariat_gives_historic_minutes_their_real_date(client, signoff_setup):
    minutes, users = signoff_setup  # of a meeting on 6 November 2019

    response = save_draft(
        client, users["secretary"], minutes, first_published_at="2019-11-12 10:00"
    )

    assert response.status_code == 302
    assert stored_date(minutes) == local(2019, 11, 12, 10, 0)
    publish(MinutesPage.objects.get(pk=minutes.pk))
    html = public_html(client, minutes)
    assert (
        "Referatet blev udgivet tirsdag den 12. november 2019, inden for fristen"
        in html
    )
    assert "2026" not in html.split("Godkendelse", 1)[1].split("</section>", 1)[0]


def test_without_a_date_it_is_the_first_publication(client, signoff_setup):
    minutes, _users = signoff_setup

    publish(MinutesPage.objects.get(pk=minutes.pk))

    published = MinutesPage.objects.get(pk=minutes.pk).first_published_at
    assert abs(published - timezone.now()) < timedelta(minutes=5)
    assert "efter fristen" in public_html(client, minutes)


def test_an_editor_cannot_choose_the_date(client, signoff_setup):
    minutes, users = signoff_setup

    response = save_draft(
        client, users["editor"], minutes, first_published_at="2019-11-07 10:00"
    )

    assert response.status_code == 302  # saved, without the date
    assert stored_date(minutes) is None
    publish(MinutesPage.objects.get(pk=minutes.pk))
    assert "efter fristen" in public_html(client, minutes)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2019-11-01 10:00", "Et referat kan ikke være udgivet, før mødet begyndte."),
        (
            (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M"),
            "Udgivelsesdatoen kan ikke ligge i fremtiden.",
        ),
        ("den 12. november", "Indtast gyldig dato/tid."),
    ],
    ids=["before-the-meeting", "in-the-future", "malformed"],
)
def test_impossible_dates_are_refused(client, signoff_setup, value, error):
    minutes, users = signoff_setup

    response = save_draft(client, users["secretary"], minutes, first_published_at=value)

    assert response.status_code == 200
    assert error in response.text
    assert stored_date(minutes) is None
