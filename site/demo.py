"""Demo content and demo accounts for the embedded default (`make run`).

Every function here is idempotent: running `load_demo` twice gives the same
content and the same accounts.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Page, Site

from klynge_pages.blocks import TermsSectionBlock
from klynge_pages.models import (
    AgendaItem,
    ClusterIndexPage,
    ClusterMembership,
    ClusterPage,
    Location,
    MeetingPage,
    MeetingParticipant,
    MinutesAttendance,
    MinutesDecision,
    MinutesPage,
    Organisation,
    Person,
)

from . import demo_seeds
from .models import AccessibilityStatementPage, HomePage

HOME_TITLE = "Sundhedsaftalens klynger i Region Nordjylland"
HOME_INTRO = (
    "<p>Sundhedsaftalen i Region Nordjylland føres ud i livet lokalt i klynger: "
    "Klynge Nord, Klynge Midt, Klynge Syd og Klynge Vest. Her finder du klyngernes "
    "kommissorier, møder, dagsordener og referater.</p>"
)

# Known passwords, printed by `load_demo`: for a developer's machine only.
# Known passwords, printed by `load_demo`: for a developer's machine only.
# Groups: the cluster groups of Klyngestyregruppe Midt (see
# klynge_pages/sharing.py), the secretariat, and Wagtail's "Moderators", who
# act in Wagtail's default approval workflow.
DEMO_ACCOUNTS = [
    # username, password, superuser, groups, first name
    ("admin", "admin-demo-2026", True, [], "Administrator"),
    ("redaktoer", "redaktoer-demo-2026", False, ["editors"], "Redaktør"),
    (
        "godkender",
        "godkender-demo-2026",
        False,
        ["approvers", "Moderators"],
        "Godkender",
    ),
    (
        "sekretariat",
        "sekretariat-demo-2026",
        False,
        ["Sekretariat", "Moderators"],
        "Sekretariat",
    ),
]


@transaction.atomic
def ensure_home_page():
    """Make a HomePage the root of the default site, replacing Wagtail's
    placeholder "Welcome" page if it is still there."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(title=HOME_TITLE, slug="forside", intro=HOME_INTRO)
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, hostname="localhost", port=80)
    if site.root_page_id != home.pk:
        old_root_id = site.root_page_id
        site.root_page = home
        site.site_name = "Klyngeportal"
        site.save()
        placeholder = Page.objects.filter(pk=old_root_id, depth=2).first()
        if placeholder and placeholder.specific_class is Page:
            placeholder.delete()
    return home


@transaction.atomic
def ensure_demo_accounts():
    """The demo accounts; the cluster groups are those of Klyngestyregruppe
    Midt, so call this after `ensure_clusters`."""
    steering = ClusterPage.objects.get(slug="klyngestyregruppe-midt")
    cluster_groups = {
        "editors": steering.editors_group,
        "approvers": steering.approvers_group,
    }
    User = get_user_model()
    accounts = []
    for username, password, superuser, group_keys, first_name in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = first_name
        user.email = f"{username}@example.org"
        user.is_staff = superuser
        user.is_superuser = superuser
        user.set_password(password)
        user.save()
        groups = [
            cluster_groups.get(key) or Group.objects.get(name=key) for key in group_keys
        ]
        user.groups.set(groups)
        roles = ", ".join(group.name for group in groups) or "superbruger"
        accounts.append((username, password, roles))
    return accounts


# --- Clusters and meetings from the seeds -----------------------------------

REGION = "Region Nordjylland"
PLO = "PLO-Nordjylland"
AREAS = {"Nord": "nord", "Midt": "midt", "Syd": "syd", "Vest": "vest"}
STEERING_GROUP_MIDT = "Klyngestyregruppe Midt"
# The collaboration fora that Klyngestyregruppe Midt set up on 6 November
# 2019 (item 2 of the minutes); the children's fora preferably region-wide.
FORA_MIDT = [
    ("Samarbejdsforum for somatik voksne", "midt"),
    ("Samarbejdsforum for psykiatri voksne", "midt"),
    ("Samarbejdsforum for Børn og unge somatik", "region"),
    ("Samarbejdsforum for Børn og unge psykiatri", "region"),
]

STATEMENT_TITLE = "Tilgængelighedserklæring"
STATEMENT_BODY = (
    "<p>Region Nordjylland ønsker, at alle kan bruge Klyngeportalen. Denne "
    "tilgængelighedserklæring gælder for Klyngeportalen og er udarbejdet efter "
    "lov om tilgængelighed af offentlige organers websteder og mobilapplikationer "
    "(webtilgængelighedsloven).</p>"
    "<h2>Overholdelse af kravene</h2>"
    "<p>Klyngeportalen er udviklet til at overholde WCAG 2.1 på niveau AA og er "
    "bygget på Det Fælles Designsystem. Hjemmesiden er delvist i overensstemmelse "
    "med kravene: den er endnu ikke gennemgået af en uafhængig part.</p>"
    "<h2>Indhold, der ikke er tilgængeligt</h2>"
    "<p>Bilag, der er indsendt af klyngernes parter som PDF-filer, kan mangle "
    "tilgængelig opmærkning.</p>"
    "<h2>Feedback og kontaktoplysninger</h2>"
    "<p>Oplever du problemer med tilgængeligheden, så skriv til os på adressen "
    "nedenfor. Vi svarer inden for 14 dage.</p>"
    "<h2>Klageadgang</h2>"
    "<p>Får du ikke et tilfredsstillende svar, kan du klage til "
    "Digitaliseringsstyrelsen, som fører tilsyn med webtilgængelighedsloven.</p>"
)


def organisation_name(name):
    # The kommissorium says "PLO"; its composition section names
    # PLO-Nordjylland.
    return PLO if name == "PLO" else name


def html_paragraphs(blocks):
    """Rich text from parsed paragraphs and bullet lists, escaped."""
    html = []
    for block in blocks:
        if isinstance(block, list):
            items = "".join(
                f"<li>{escape(line.removeprefix('- '))}</li>" for line in block
            )
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{escape(block)}</p>")
    return "".join(html)


def publish(page):
    page.save_revision().publish()
    return page


def child_by_slug(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first()


def ensure_organisations(names):
    kinds = {REGION: Organisation.Kind.REGION, PLO: Organisation.Kind.ALMEN_PRAKSIS}
    short = {PLO: "PLO", REGION: "Regionen"}
    organisations = {}
    for name in names:
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kinds.get(name, Organisation.Kind.KOMMUNE),
                "short_name": short.get(name, name.removesuffix(" Kommune")),
            },
        )
        organisations[name] = organisation
    return organisations


def membership(organisation):
    """Seats per the kommissorium: 2–4 per municipality, 3–4 for the region,
    PLO depending on the agenda."""
    if organisation.kind == Organisation.Kind.REGION:
        return ClusterMembership(organisation=organisation, seats_min=3, seats_max=4)
    if organisation.kind == Organisation.Kind.ALMEN_PRAKSIS:
        return ClusterMembership(
            organisation=organisation, note="afhængigt af den konkrete dagsorden"
        )
    return ClusterMembership(organisation=organisation, seats_min=2, seats_max=4)


def terms_of_reference(kommissorium):
    block = TermsSectionBlock()
    return [
        (
            "section",
            block.to_python(
                {"section": key, "heading": "", "body": html_paragraphs(body)}
            ),
        )
        for key, _, body in kommissorium.sections
    ]


def ensure_cluster(index, title, **fields):
    slug = fields.pop("slug")
    members = fields.pop("members")
    existing = child_by_slug(index, ClusterPage, slug)
    if existing:
        return existing
    cluster = ClusterPage(title=title, slug=slug, live=False, **fields)
    cluster.memberships = [membership(organisation) for organisation in members]
    return publish(index.add_child(instance=cluster))


def ensure_people(participants, organisations):
    people = {}
    for participant in participants:
        person, _ = Person.objects.get_or_create(
            name=participant.name,
            organisation=organisations[participant.organisation],
            defaults={"title": participant.title},
        )
        people[participant.name] = person
    return people


@transaction.atomic
def ensure_clusters(home):
    """The four political clusters from the kommissorium; Klyngestyregruppe
    Midt with its fora, its meeting of 6 November 2019 and its minutes."""
    kommissorium = demo_seeds.read_kommissorium()
    names = sorted(
        {
            organisation_name(name)
            for members in kommissorium.clusters.values()
            for name in members
        }
    )
    organisations = ensure_organisations(names)

    index = child_by_slug(home, ClusterIndexPage, "klynger")
    if index is None:
        index = publish(
            home.add_child(
                instance=ClusterIndexPage(
                    title="Klynger",
                    slug="klynger",
                    live=False,
                    intro=(
                        "<p>Sundhedsaftalen føres ud i livet i fire geografiske "
                        "klynger. Hver klynge har en politisk klynge og en "
                        "klyngestyregruppe, som nedsætter samarbejdsfora.</p>"
                    ),
                )
            )
        )

    terms = terms_of_reference(kommissorium)
    purpose = html_paragraphs(kommissorium.sections[0][2][:1])
    political = {}
    for area, members in kommissorium.clusters.items():
        political[area] = ensure_cluster(
            index,
            f"Politisk klynge {area}",
            slug=f"politisk-klynge-{area.lower()}",
            kind=ClusterPage.Kind.POLITICAL,
            area=AREAS[area],
            intro=purpose,
            chair=kommissorium.chair,
            secretariat=kommissorium.secretariat,
            terms_of_reference=terms,
            terms_approved_by=kommissorium.approved_by,
            min_meetings_per_year=1,
            members=[organisations[organisation_name(name)] for name in members],
        )

    minutes = demo_seeds.read_minutes(organisations=list(organisations))
    steering = ensure_cluster(
        index,
        STEERING_GROUP_MIDT,
        slug="klyngestyregruppe-midt",
        kind=ClusterPage.Kind.STEERING,
        area="midt",
        parent_body=political["Midt"],
        intro=(
            "<p>Klyngestyregruppen samarbejder om udvikling af det nære og "
            "sammenhængende sundhedsvæsen i Klynge Midt.</p>"
        ),
        # Item 1 of the minutes: two meetings a year.
        min_meetings_per_year=2,
        members=[
            organisations["Aalborg Kommune"],
            organisations["Jammerbugt Kommune"],
            organisations[REGION],
        ],
    )
    for title, area in FORA_MIDT:
        ensure_cluster(
            index,
            title,
            slug=slugify_da(title),
            kind=ClusterPage.Kind.FORUM,
            area=area,
            parent_body=steering,
            members=[],
        )
    meeting = ensure_meeting(steering, minutes, organisations)
    return index, meeting


def slugify_da(text):
    return slugify(
        text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    )


def ensure_meeting(cluster, minutes, organisations):
    slug = minutes.start.strftime("%Y-%m-%d")
    meeting = child_by_slug(cluster, MeetingPage, slug)
    people = ensure_people(minutes.participants, organisations)
    if meeting is None:
        location, _ = Location.objects.get_or_create(
            name=minutes.location_name, defaults={"address": minutes.location_address}
        )
        meeting = MeetingPage(
            title=minutes.meeting_title,
            slug=slug,
            live=False,
            start=minutes.start,
            end=minutes.end,
            location=location,
            room=minutes.room,
            # The meeting was held in Regionshuset.
            host=organisations[REGION],
        )
        meeting.participants = [
            MeetingParticipant(person=people[p.name], sort_order=n)
            for n, p in enumerate(minutes.participants)
        ]
        meeting.agenda_items = [
            AgendaItem(
                number=item.number,
                title=item.title,
                description=html_paragraphs(item.description),
                recommendation=html_paragraphs([item.recommendation])
                if item.recommendation
                else "",
                sort_order=item.number,
            )
            for item in minutes.items
        ]
        meeting = publish(cluster.add_child(instance=meeting))

    if not MinutesPage.objects.child_of(meeting).exists():
        items = {item.number: item for item in meeting.agenda_items.all()}
        page = MinutesPage(
            title=minutes.heading,
            slug="referat",
            live=False,
            minute_taker=people[minutes.referent],
        )
        page.attendance = [
            MinutesAttendance(person=people[p.name], sort_order=n)
            for n, p in enumerate(minutes.participants)
        ]
        page.decisions = [
            MinutesDecision(
                agenda_item=items[item.number],
                decision=html_paragraphs(item.decision),
                sort_order=item.number,
            )
            for item in minutes.items
        ]
        publish(meeting.add_child(instance=page))
    return meeting


@transaction.atomic
def ensure_accessibility_statement(home):
    page = AccessibilityStatementPage.objects.first()
    if page is None:
        page = publish(
            home.add_child(
                instance=AccessibilityStatementPage(
                    title=STATEMENT_TITLE,
                    slug="tilgaengelighedserklaering",
                    live=False,
                    body=STATEMENT_BODY,
                    contact_email="tilgaengelighed@example.dk",
                )
            )
        )
    return page
