"""Where each page type may live, and the one-set-of-minutes rule."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from klynge_pages.models import ClusterIndexPage, ClusterPage, MeetingPage, MinutesPage
from klyngeportal_site.models import AccessibilityStatementPage, HomePage

from .factories import OrganisationFactory, make_cluster, make_meeting, make_minutes


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(
            HomePage, {ClusterIndexPage, AccessibilityStatementPage}
        )

    def test_cluster_index_holds_clusters_only(self):
        self.assertAllowedSubpageTypes(ClusterIndexPage, {ClusterPage})
        self.assertAllowedParentPageTypes(ClusterPage, {ClusterIndexPage})

    def test_meetings_live_under_clusters(self):
        self.assertAllowedSubpageTypes(ClusterPage, {MeetingPage})
        self.assertAllowedParentPageTypes(MeetingPage, {ClusterPage})

    def test_minutes_live_under_meetings_and_are_leaves(self):
        self.assertAllowedSubpageTypes(MeetingPage, {MinutesPage})
        self.assertAllowedParentPageTypes(MinutesPage, {MeetingPage})
        self.assertAllowedSubpageTypes(MinutesPage, set())

    def test_accessibility_statement_is_a_leaf_under_the_home_page(self):
        self.assertAllowedParentPageTypes(AccessibilityStatementPage, {HomePage})
        self.assertAllowedSubpageTypes(AccessibilityStatementPage, set())

    def test_clusters_cannot_be_created_at_the_root(self):
        self.assertCanNotCreateAt(Page, ClusterPage)
        self.assertCanNotCreateAt(HomePage, MeetingPage)


@pytest.mark.django_db
def test_minutes_attach_to_their_meeting_with_a_decision_per_item():
    cluster = make_cluster(members=[OrganisationFactory(name="Aalborg Kommune")])
    meeting = make_meeting(cluster, items=2)
    minutes = make_minutes(meeting)

    assert minutes.get_parent().specific == meeting
    assert [d.agenda_item.number for d in minutes.decisions.all()] == [1, 2]


@pytest.mark.django_db
def test_a_meeting_without_agenda_items_cannot_get_minutes():
    meeting = make_meeting(make_cluster(), items=0)

    assert not MinutesPage.can_create_at(meeting)


@pytest.mark.django_db
def test_a_meeting_gets_one_set_of_minutes_only():
    meeting = make_meeting(make_cluster(), items=1)
    assert MinutesPage.can_create_at(meeting)

    make_minutes(meeting, live=False)

    assert not MinutesPage.can_create_at(meeting)


@pytest.mark.django_db
def test_agenda_items_keep_their_identity_across_revisions():
    meeting = make_meeting(make_cluster(), items=2)
    before = {item.number: item.uuid for item in meeting.agenda_items.all()}

    meeting.title = "Nyt navn"
    meeting.save_revision().publish()
    meeting.get_latest_revision().publish()

    after = {
        item.number: item.uuid
        for item in MeetingPage.objects.get(pk=meeting.pk).agenda_items.all()
    }
    assert after == before
