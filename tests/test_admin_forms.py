"""Editors' forms in the Wagtail admin: validation with clear Danish
messages, and nothing saved when a form is refused."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from klynge_pages.models import MeetingPage, MinutesPage

from .factories import make_cluster, make_meeting, make_minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, parent.pk),
    )


def agenda_item(number, title="Et punkt"):
    return {
        "number": number,
        "title": title,
        "description": rich_text("<p>Sag.</p>"),
        "recommendation": rich_text("<p>Det indstilles, at punktet drøftes.</p>"),
        "closed": False,
        "tags": "",
        "attachments": inline_formset([]),
    }


def meeting_form(start="2019-11-06 16:30", end="2019-11-06 18:00", items=()):
    return nested_form_data(
        {
            "title": "Møde i klyngen",
            "slug": "moede-i-klyngen",
            "start": start,
            "end": end,
            "room": "",
            "intro": rich_text(""),
            "participants": inline_formset([]),
            "agenda_items": inline_formset(list(items)),
        }
    )


def test_editor_creates_a_meeting_with_agenda_items(editor_client):
    cluster = make_cluster()

    response = editor_client.post(
        add_url(MeetingPage, cluster),
        meeting_form(
            items=[agenda_item(1, "Kommissorium"), agenda_item(2, "Eventuelt")]
        ),
    )

    assert response.status_code == 302
    meeting = MeetingPage.objects.get(slug="moede-i-klyngen")
    assert [(i.number, i.title) for i in meeting.agenda_items.all()] == [
        (1, "Kommissorium"),
        (2, "Eventuelt"),
    ]


def test_meeting_ending_before_it_starts_is_refused(editor_client):
    cluster = make_cluster()

    response = editor_client.post(
        add_url(MeetingPage, cluster),
        meeting_form(start="2019-11-06 18:00", end="2019-11-06 16:30"),
    )

    assert response.status_code == 200
    assert "Mødet skal slutte efter, det er begyndt." in response.content.decode()
    assert not MeetingPage.objects.exists()


def test_duplicate_agenda_item_numbers_are_refused(editor_client):
    cluster = make_cluster()

    response = editor_client.post(
        add_url(MeetingPage, cluster),
        meeting_form(items=[agenda_item(1), agenda_item(1, "Et andet punkt")]),
    )

    assert response.status_code == 200
    assert "Punkt 1 findes allerede på dagsordenen." in response.content.decode()
    assert not MeetingPage.objects.exists()


def test_new_minutes_start_with_a_row_per_agenda_item(editor_client):
    meeting = make_meeting(make_cluster(), items=3, participants=2)

    response = editor_client.get(add_url(MinutesPage, meeting))

    assert response.status_code == 200
    formset = response.context["form"].formsets["decisions"]
    assert [f.instance.agenda_item.number for f in formset.forms] == [1, 2, 3]
    attendance = response.context["form"].formsets["attendance"]
    assert len(attendance.forms) == 2


def minutes_form(decisions):
    return nested_form_data(
        {
            "title": "Referat",
            "slug": "referat",
            "summary": rich_text(""),
            "attendance": inline_formset([]),
            "decisions": inline_formset(decisions),
        }
    )


def test_minutes_cannot_be_added_to_a_meeting_without_agenda(editor_client):
    meeting = make_meeting(make_cluster(), items=0)

    assert editor_client.get(add_url(MinutesPage, meeting)).status_code in (302, 403)
    # A complete form posted anyway is refused too, and saves nothing.
    response = editor_client.post(add_url(MinutesPage, meeting), minutes_form([]))

    assert response.status_code in (302, 403)
    assert not MinutesPage.objects.exists()


def test_decision_for_another_meetings_item_is_refused(editor_client):
    cluster = make_cluster()
    meeting = make_meeting(cluster, items=1)
    other = make_meeting(cluster, items=1, title="Et andet møde")
    foreign_item = other.agenda_items.get()

    response = editor_client.post(
        add_url(MinutesPage, meeting),
        minutes_form(
            [
                {
                    "agenda_item": foreign_item.pk,
                    "decision": rich_text("<p>Vedtaget.</p>"),
                }
            ]
        ),
    )

    assert response.status_code == 200
    assert not MinutesPage.objects.exists()


def test_two_decisions_for_one_item_are_refused(editor_client):
    meeting = make_meeting(make_cluster(), items=1)
    item = meeting.agenda_items.get()

    response = editor_client.post(
        add_url(MinutesPage, meeting),
        minutes_form(
            [
                {"agenda_item": item.pk, "decision": rich_text("<p>Ja.</p>")},
                {"agenda_item": item.pk, "decision": rich_text("<p>Nej.</p>")},
            ]
        ),
    )

    assert response.status_code == 200
    assert "Der er allerede et referat af dette punkt." in response.content.decode()
    assert not MinutesPage.objects.exists()


def test_editor_writes_minutes_for_the_meeting(editor_client):
    meeting = make_meeting(make_cluster(), items=1)
    item = meeting.agenda_items.get()

    response = editor_client.post(
        add_url(MinutesPage, meeting),
        minutes_form(
            [{"agenda_item": item.pk, "decision": rich_text("<p>Vedtaget.</p>")}]
        ),
    )

    assert response.status_code == 302
    minutes = MinutesPage.objects.get()
    assert minutes.get_parent().pk == meeting.pk
    assert minutes.decisions.get().agenda_item == item
    assert not minutes.live


def test_removing_an_agenda_item_keeps_the_decision_text():
    meeting = make_meeting(make_cluster(), items=2)
    minutes = make_minutes(meeting)

    meeting.agenda_items.filter(number=2).delete()

    texts = [d.decision for d in MinutesPage.objects.get(pk=minutes.pk).decisions.all()]
    assert len(texts) == 2


def test_member_seats_must_be_a_sensible_range(editor_client):
    from wagtail.test.utils.form_data import streamfield

    from klynge_pages.models import ClusterPage

    from .factories import OrganisationFactory, make_cluster_index

    index = make_cluster_index()
    aalborg = OrganisationFactory(name="Aalborg Kommune")

    response = editor_client.post(
        add_url(ClusterPage, index),
        nested_form_data(
            {
                "title": "Politisk klynge Midt",
                "slug": "politisk-klynge-midt",
                "kind": "politisk_klynge",
                "area": "midt",
                "intro": rich_text(""),
                "chair": "",
                "secretariat": "",
                "terms_of_reference": streamfield([]),
                "terms_approved_by": "Sundhedskoordinationsudvalget",
                "min_meetings_per_year": 1,
                "memberships": inline_formset(
                    [{"organisation": aalborg.pk, "seats_min": 4, "seats_max": 2}]
                ),
            }
        ),
    )

    assert response.status_code == 200
    assert "Højst kan ikke være mindre end mindst." in response.content.decode()
    assert not ClusterPage.objects.exists()


def test_cluster_editor_shows_the_rules_and_the_next_host(editor_client):
    from .factories import OrganisationFactory

    aalborg = OrganisationFactory(name="Aalborg Kommune")
    jammerbugt = OrganisationFactory(name="Jammerbugt Kommune")
    cluster = make_cluster(members=[aalborg, jammerbugt])
    make_meeting(cluster, host=aalborg)

    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=(cluster.pk,)))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Næste vært efter tur: Jammerbugt Kommune." in html
    assert "Klyngen har ikke holdt nok møder i år." in html


def test_meeting_editor_shows_the_deadlines_in_danish(editor_client):
    from .factories import local

    meeting = make_meeting(make_cluster(), start=local(2019, 11, 6, 16, 30))

    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Dagsorden senest: onsdag den 30. oktober 2019" in html
    assert "Referat senest: onsdag den 13. november 2019" in html


def test_preview_of_a_new_cluster_renders(editor_client):
    from wagtail.test.utils.form_data import streamfield

    from .factories import OrganisationFactory, make_cluster_index

    index = make_cluster_index()
    aalborg = OrganisationFactory(name="Aalborg Kommune")
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=("klynge_pages", "clusterpage", index.pk),
    )
    data = nested_form_data(
        {
            "title": "Ny klynge",
            "slug": "ny-klynge",
            "kind": "politisk_klynge",
            "area": "midt",
            "intro": rich_text("<p>Om klyngen.</p>"),
            "chair": "",
            "secretariat": "",
            "terms_of_reference": streamfield([]),
            "terms_approved_by": "",
            "min_meetings_per_year": 1,
            "signoff_mode": "samlet",
            "memberships": inline_formset([{"organisation": aalborg.pk}]),
        }
    )

    assert editor_client.post(url, data).json()["is_valid"]
    response = editor_client.get(url)

    assert response.status_code == 200
    assert "Ny klynge" in response.content.decode()
    assert "Aalborg Kommune" in response.content.decode()


def test_preview_of_a_new_meeting_renders(editor_client):
    cluster = make_cluster()
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=("klynge_pages", "meetingpage", cluster.pk),
    )

    form = meeting_form(items=[agenda_item(1, "Kommissorium")])
    assert editor_client.post(url, form).json()["is_valid"]
    response = editor_client.get(url)

    assert response.status_code == 200
    assert "Punkt 1: Kommissorium" in response.content.decode()


def test_preview_of_new_minutes_renders(editor_client):
    meeting = make_meeting(make_cluster(), items=1)
    item = meeting.agenda_items.get()
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=("klynge_pages", "minutespage", meeting.pk),
    )

    form = minutes_form([{"agenda_item": item.pk, "decision": rich_text("<p>Ja.</p>")}])
    assert editor_client.post(url, form).json()["is_valid"]
    response = editor_client.get(url)

    assert response.status_code == 200
    assert "Ja." in response.content.decode()


def ordered(*items):
    """Agenda rows in the order the editor arranged them (Wagtail's ORDER)."""
    return [{**item, "ORDER": position} for position, item in enumerate(items, 1)]


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (["", "", ""], [1, 2, 3]),
        ([1, "", ""], [1, 2, 3]),
        (["", 5, ""], [1, 5, 6]),
    ],
    ids=["none", "the-first", "a-jump"],
)
def test_items_without_a_number_get_the_next_one(editor_client, numbers, expected):
    cluster = make_cluster()
    titles = ["Kommissorium", "Status", "Eventuelt"]

    response = editor_client.post(
        add_url(MeetingPage, cluster),
        meeting_form(
            items=ordered(
                *(
                    agenda_item(n, title)
                    for n, title in zip(numbers, titles, strict=True)
                )
            )
        ),
    )

    assert response.status_code == 302
    meeting = MeetingPage.objects.get(slug="moede-i-klyngen")
    rows = meeting.agenda_items.order_by("sort_order")
    assert [(i.number, i.title) for i in rows] == list(
        zip(expected, titles, strict=True)
    )
    # The published revision says the same.
    revision = meeting.get_latest_revision_as_object()
    assert [i.number for i in revision.agenda_items.all()] == expected


def test_the_order_not_the_row_decides_the_next_number(editor_client):
    cluster = make_cluster()
    # Row 0 moved below row 1 in the editor.
    items = [
        {**agenda_item("", "Eventuelt"), "ORDER": 2},
        {**agenda_item(1, "Kommissorium"), "ORDER": 1},
    ]

    editor_client.post(add_url(MeetingPage, cluster), meeting_form(items=items))

    meeting = MeetingPage.objects.get(slug="moede-i-klyngen")
    assert sorted((i.number, i.title) for i in meeting.agenda_items.all()) == [
        (1, "Kommissorium"),
        (2, "Eventuelt"),
    ]


def test_a_given_number_is_not_taken_twice(editor_client):
    cluster = make_cluster()

    response = editor_client.post(
        add_url(MeetingPage, cluster),
        meeting_form(items=ordered(agenda_item(1), agenda_item(""), agenda_item(2))),
    )

    assert response.status_code == 200
    assert "Punkt 2 findes allerede på dagsordenen." in response.text
    assert not MeetingPage.objects.filter(slug="moede-i-klyngen").exists()


def test_the_meeting_editor_keeps_one_save_status(editor_client):
    """The script that clears the footer's "autosave paused" once an
    autosave succeeds (klynge_pages/static/klynge_pages/js/autosave-status.js)
    is on the editor."""
    meeting = make_meeting(make_cluster(), live=False)

    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)))

    assert "klynge_pages/js/autosave-status.js" in response.text
