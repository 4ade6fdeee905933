"""Builders for content trees in tests: real pages, added with `add_child`
and published through revisions, as editors would."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils.text import slugify
from wagtail.documents.models import Document
from wagtail.models import Page, Site, TaskState

from klynge_pages.models import (
    AgendaItem,
    AgendaItemAttachment,
    ClusterIndexPage,
    ClusterMembership,
    ClusterPage,
    Location,
    MeetingPage,
    MeetingParticipant,
    MinutesDecision,
    MinutesPage,
    MinutesSignOff,
    Organisation,
    Person,
    Signatory,
)
from klyngeportal_site.models import HomePage

CPH = ZoneInfo("Europe/Copenhagen")


def local(*args):
    """An aware datetime in Danish time: local(2019, 11, 6, 16, 30)."""
    return datetime(*args, tzinfo=CPH)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Kommune {n}")
    kind = Organisation.Kind.KOMMUNE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    title = "direktør"
    organisation = factory.SubFactory(OrganisationFactory)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = "Regionshuset"
    address = "Niels Bohrs Vej 30, 9220 Aalborg Øst"


def publish(page):
    """Publish through a revision, as the admin does (pages are added as
    drafts: `live=False`)."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_home():
    """A published home page as the root of the default site."""
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Forside", slug="forside-test")
        )
        publish(home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


def make_cluster_index(home=None):
    existing = ClusterIndexPage.objects.first()
    if existing:
        return existing
    home = home or make_home()
    return publish(
        home.add_child(instance=ClusterIndexPage(title="Klynger", slug="klynger"))
    )


def make_cluster(
    title="Klynge Midt",
    members=(),
    kind=ClusterPage.Kind.POLITICAL,
    area=ClusterPage.Area.MIDT,
    live=True,
    **fields,
):
    """A cluster with `members` (organisations) in that order."""
    index = make_cluster_index()
    cluster = ClusterPage(title=title, kind=kind, area=area, live=False, **fields)
    cluster.memberships = [
        ClusterMembership(organisation=organisation, sort_order=position)
        for position, organisation in enumerate(members)
    ]
    cluster = index.add_child(instance=cluster)
    return publish(cluster) if live else cluster


def make_meeting(
    cluster,
    start=None,
    end=None,
    items=3,
    participants=0,
    live=True,
    closed=(),
    **fields,
):
    """A meeting with `items` agenda items (numbers in `closed` are closed)
    and `participants` participants."""
    start = start or local(2019, 11, 6, 16, 30)
    end = end or start + timedelta(minutes=90)
    meeting = MeetingPage(
        live=False,
        title=fields.pop("title", f"Møde {start:%d.%m.%Y}"),
        start=start,
        end=end,
        **fields,
    )
    meeting.agenda_items = [
        AgendaItem(
            number=number,
            title=f"Punkt nummer {number}",
            description=f"<p>Sagsfremstilling til punkt {number}.</p>",
            recommendation=f"<p>Det indstilles, at punkt {number} drøftes.</p>",
            closed=number in closed,
            sort_order=number,
        )
        for number in range(1, items + 1)
    ]
    meeting.participants = [
        MeetingParticipant(person=PersonFactory(), sort_order=n)
        for n in range(participants)
    ]
    meeting = cluster.add_child(instance=meeting)
    return publish(meeting) if live else meeting


def make_minutes(meeting, live=True, decisions=None, **fields):
    """Minutes with a decision for each agenda item (or `decisions`:
    {number: html})."""
    items = list(meeting.agenda_items.all())
    texts = decisions or {
        item.number: f"<p>Beslutning om punkt {item.number}.</p>" for item in items
    }
    minutes = MinutesPage(title=fields.pop("title", "Referat"), live=False, **fields)
    minutes.decisions = [
        MinutesDecision(
            agenda_item=item, decision=texts[item.number], sort_order=item.number
        )
        for item in items
        if item.number in texts
    ]
    minutes = meeting.add_child(instance=minutes)
    return publish(minutes) if live else minutes


def approve_minutes(minutes, approvers, at=None):
    """Minutes through "Referatgodkendelse" as the admin runs it: sent by the
    secretariat, reviewed by it, then signed by one approver of the cluster
    per (name, organisation) in `approvers`, each signing for that
    organisation. `at` backdates the approvals. Returns the minutes, live."""
    User = get_user_model()
    secretary, _ = User.objects.get_or_create(username="sekretariat-i-test")
    secretary.groups.add(Group.objects.get(name="Sekretariat"))
    cluster = ClusterPage.objects.ancestor_of(minutes).get()
    # From the latest draft, as the editor's "Send til godkendelse" does.
    page = MinutesPage.objects.get(pk=minutes.pk).get_latest_revision_as_object()
    page.save_revision(user=secretary)
    page.get_workflow().start(page, secretary)

    def act(user):
        state = TaskState.objects.get(
            workflow_state__object_id=str(page.pk),
            status=TaskState.STATUS_IN_PROGRESS,
        ).specific
        state.task.specific.on_action(state, user, "approve")

    act(secretary)
    for name, organisation in approvers:
        user = User.objects.create_user(username=slugify(name) or "godkender")
        user.groups.add(cluster.approvers_group)
        Signatory.objects.create(user=user, name=name, organisation=organisation)
        act(user)
    if at is not None:
        MinutesSignOff.objects.filter(page=page).update(approved_at=at)
    return MinutesPage.objects.get(pk=page.pk)


def collection_of(cluster):
    """The cluster's own collection of documents (see sharing.py)."""
    return ClusterPage.objects.get(pk=cluster.pk).collection


def make_document(title, content=b"%PDF-1.4 test", name="bilag.pdf", cluster=None):
    """A document in `cluster`'s collection (the only pages that may use it
    are that cluster's), or in the root collection."""
    document = Document(title=title, file=ContentFile(content, name=name))
    if cluster is not None:
        document.collection = collection_of(cluster)
    document._set_document_file_metadata()
    document.save()
    return document


def attach_and_tag(meeting, cluster, number=1):
    """Item `number` of `meeting` with an attachment ("Bilag 1", a document
    of `cluster`) and the tag "psykiatri"; the meeting then (re)published."""
    item = meeting.agenda_items.get(number=number)
    item.attachments = [
        AgendaItemAttachment(
            document=make_document("Bilag om psykiatri", cluster=cluster),
            label="Bilag 1",
        )
    ]
    item.tags.add("psykiatri")
    item.save()
    return publish(MeetingPage.objects.get(pk=meeting.pk))


# What a closed agenda item ("lukket punkt") holds besides its title: none of
# it may reach a public page, export, feed or index.
CLOSED_SECRETS = {
    "description": "Fortrolig sagsfremstilling om en navngiven borger",
    "recommendation": "Det indstilles, at den fortrolige sag afgøres",
    "attachment": "Fortroligt bilag om personsag",
    "decision": "Fortrolig beslutning i personsagen",
    "tag": "personsag",
}


def closed_item_meeting(cluster, **fields):
    """A published meeting whose item 2 is closed and full of secrets, with
    published minutes deciding both items."""
    meeting = make_meeting(cluster, items=2, closed=(2,), **fields)
    closed = meeting.agenda_items.get(number=2)
    closed.title = "Lukket sag om en medarbejder"
    closed.description = f"<p>{CLOSED_SECRETS['description']}</p>"
    closed.recommendation = f"<p>{CLOSED_SECRETS['recommendation']}</p>"
    closed.attachments = [
        AgendaItemAttachment(
            document=make_document(CLOSED_SECRETS["attachment"], cluster=cluster),
            label="Bilag 9",
        )
    ]
    closed.tags.add(CLOSED_SECRETS["tag"])
    closed.save()
    meeting = publish(MeetingPage.objects.get(pk=meeting.pk))
    make_minutes(
        meeting,
        decisions={1: "<p>Godkendt.</p>", 2: f"<p>{CLOSED_SECRETS['decision']}</p>"},
    )
    return meeting


def seed_minutes_meeting():
    """The seed minutes of Klyngestyregruppe Midt, 6 November 2019, word for
    word (as `load_demo` has them, without the rest of the demo): the
    meeting with its agenda under a cluster with the seed kommissorium, and
    the published minutes. Returns the meeting."""
    from klyngeportal_site import demo, demo_seeds

    kommissorium = demo_seeds.read_kommissorium()
    organisations = demo.ensure_organisations(kommissorium, [])
    minutes = demo_seeds.read_minutes(organisations=list(organisations))
    cluster = make_cluster(
        title="Klyngestyregruppe Midt",
        kind=ClusterPage.Kind.STEERING,
        terms_of_reference=demo.terms_of_reference(kommissorium),
    )
    meeting = make_meeting(
        cluster,
        start=minutes.start,
        end=minutes.end,
        title=minutes.meeting_title,
        items=0,
    )
    meeting.agenda_items = [
        AgendaItem(
            number=item.number,
            title=item.title,
            description=demo_seeds.rich_text(item.description),
            recommendation=demo_seeds.rich_text(item.recommendation),
            sort_order=item.number,
        )
        for item in minutes.items
    ]
    meeting.save_revision().publish()
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    make_minutes(
        meeting,
        title=minutes.heading,
        decisions={
            item.number: demo_seeds.rich_text(item.decision) for item in minutes.items
        },
    )
    return MeetingPage.objects.get(pk=meeting.pk)
