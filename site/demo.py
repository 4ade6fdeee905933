"""Demo content and demo accounts for the embedded default (`make run`).

The content comes from the two seed documents in `demo_content/` (read by
`demo_seeds`): the kommissorium of the political clusters and the minutes of
Klyngestyregruppe Midt's meeting of 6 November 2019, word for word.

Every function here is idempotent: running `load_demo` twice gives the same
content and the same accounts.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import dateformat, timezone, translation
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from klynge_pages.models import (
    Attendance,
    ClusterIndexPage,
    ClusterPage,
    Location,
    MeetingPage,
    MinutesPage,
    Organisation,
    ParticipantRole,
    Person,
)
from klynge_pages.slugs import ascii_slug

from . import demo_seeds
from .models import AccessibilityStatementPage, HomePage

HOME_TITLE = "Sundhedsaftalens klynger i Region Nordjylland"
HOME_INTRO = (
    "<p>Sundhedsaftalen i Region Nordjylland føres ud i livet lokalt i klynger: "
    "Klynge Nord, Klynge Midt, Klynge Syd og Klynge Vest. Her finder du klyngernes "
    "kommissorier, møder, dagsordener og referater.</p>"
)

# Known passwords, printed by `load_demo`: for a developer's machine only.
# Groups: the cluster groups of Klyngestyregruppe Midt (see
# klynge_pages/sharing.py) and the secretariat; nothing else, so that the
# demo shows what each role may do (Wagtail's stock groups are gone, see
# site/migrations/0003_remove_wagtail_stock_groups.py).
DEMO_ACCOUNTS = [
    # username, password, superuser, groups, first name
    ("admin", "admin-demo-2026", True, [], "Administrator"),
    ("redaktoer", "redaktoer-demo-2026", False, ["editors"], "Redaktør"),
    ("godkender", "godkender-demo-2026", False, ["approvers"], "Godkender"),
    (
        "sekretariat",
        "sekretariat-demo-2026",
        False,
        ["Sekretariat"],
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


# --- Demo content from the seed documents ------------------------------------
#
# Each object is looked up by its slug (pages) or name (snippets) and brought
# in line with the seeds; a page gets a new revision only when something
# differs, so a second run changes nothing and an edited demo is restored.

REGION = "Region Nordjylland"
PLO = "PLO-Nordjylland"
INDEX_SLUG = "klynger"
STEERING_GROUP_MIDT_SLUG = "klyngestyregruppe-midt"
STATEMENT_SLUG = "tilgaengelighedserklaering"
AREAS = {"Nord": "nord", "Midt": "midt", "Syd": "syd", "Vest": "vest"}
# Item 1 of the minutes: "klyngestyregruppen holder 2 møder om året".
STEERING_GROUP_MEETINGS_PER_YEAR = 2
# Item 2 of the minutes: fora "gerne regionsdækkende på tværs af klyngerne"
# cover the whole region, the others Klynge Midt.
REGION_WIDE = "regionsdækkende"

INDEX_INTRO = (
    "<p>Sundhedsaftalen føres ud i livet i fire geografiske klynger. Hver klynge "
    "har en politisk klynge og en klyngestyregruppe, som nedsætter "
    "samarbejdsfora.</p>"
)

STATEMENT_TITLE = "Tilgængelighedserklæring"
STATEMENT_EMAIL = "tilgaengelighed@example.dk"
# In the form of the statements that Danish public bodies publish under the
# web accessibility act (Digitaliseringsstyrelsen's template).
STATEMENT_BODY = (
    "<p>Region Nordjylland er forpligtet til at gøre Klyngeportalen tilgængelig i "
    "overensstemmelse med lov om tilgængelighed af offentlige organers websteder "
    "og mobilapplikationer (webtilgængelighedsloven). Denne "
    "tilgængelighedserklæring gælder for Klyngeportalen.</p>"
    "<h2>Overensstemmelsesstatus</h2>"
    "<p>Klyngeportalen er delvist i overensstemmelse med webtilgængelighedsloven, "
    "som kræver, at indholdet lever op til WCAG 2.1 på niveau AA. Portalen er "
    "bygget på Det Fælles Designsystem og udviklet efter WCAG 2.1 AA, men den "
    "er endnu ikke gennemgået af en uafhængig part.</p>"
    "<h2>Indhold, der ikke er tilgængeligt</h2>"
    "<p>Bilag, som klyngernes parter indsender som PDF-filer, kan mangle "
    "tilgængelig opmærkning, fx overskrifter og alternative tekster til "
    "billeder.</p>"
    "<h2>Udarbejdelse af denne tilgængelighedserklæring</h2>"
    "<p>Erklæringen er udarbejdet på grundlag af en selvevaluering.</p>"
    "<h2>Feedback og kontaktoplysninger</h2>"
    "<p>Oplever du problemer med tilgængeligheden, eller mangler du indhold i "
    "en tilgængelig form, så skriv til os på adressen nedenfor. Vi svarer så "
    "hurtigt som muligt og senest inden for 14 dage.</p>"
    "<h2>Håndhævelsesprocedure</h2>"
    "<p>Er du ikke tilfreds med vores svar, kan du klage til "
    "Digitaliseringsstyrelsen, som fører tilsyn med, at offentlige websteder "
    "overholder webtilgængelighedsloven.</p>"
)


class DemoError(Exception):
    """The demo cannot be built, e.g. a slug it needs is taken by another kind
    of page."""


@dataclass
class DemoContent:
    """What `load_demo_content` built, and what it did to each object."""

    home: Page
    index: ClusterIndexPage
    organisations: dict
    political_clusters: list
    steering_group: ClusterPage
    fora: list
    meeting: MeetingPage
    minutes: MinutesPage
    statement: AccessibilityStatementPage
    # [(created/updated/unchanged, description)], in the order of building.
    changes: list = field(default_factory=list)


def _stored(instance, name):
    """A field's value as compared with the wanted value: the id for a
    foreign key, the blocks without their ids for a StreamField."""
    model_field = instance._meta.get_field(name)
    if model_field.is_relation:
        return getattr(instance, model_field.attname)
    value = getattr(instance, name)
    if isinstance(model_field, StreamField):
        return [
            {"type": child["type"], "value": child["value"]}
            for child in model_field.stream_block.get_prep_value(value)
        ]
    return value


def _wanted(value):
    return value.pk if isinstance(value, models.Model) else value


def _differs(instance, fields):
    return any(
        _stored(instance, name) != _wanted(value) for name, value in fields.items()
    )


# The field that identifies an inline row, so that an edited or reordered
# row is updated rather than replaced.
ROW_KEYS = {
    "memberships": "organisation",
    "participants": "person",
    "attendance": "person",
    # An agenda item keeps its uuid (its identity in links and search).
    "agenda_items": "number",
    "decisions": "agenda_item",
}


def _sync_rows(page, relation, rows):
    """Make the inline rows `relation` of `page` the wanted `rows` (dicts of
    field values), reusing existing rows by their key (ROW_KEYS) so that
    their ids, and an agenda item's uuid, stay. True if anything changed."""
    key = ROW_KEYS[relation]
    existing = list(getattr(page, relation).all())
    by_key = {_stored(row, key): row for row in existing}
    matched = [by_key.get(_wanted(values[key])) for values in rows]
    if len(existing) == len(rows) and all(
        row is not None and row.sort_order == number and not _differs(row, values)
        for number, (row, values) in enumerate(zip(matched, rows, strict=True))
    ):
        return False
    model = getattr(page, relation).model
    final = []
    for number, (row, values) in enumerate(zip(matched, rows, strict=True)):
        row = row or model()
        for name, value in values.items():
            setattr(row, name, value)
        row.sort_order = number
        final.append(row)
    setattr(page, relation, final)
    return True


def _sync_page(parent, model, slug, fields, rows=None, changes=None):
    """The `model` page `slug` under `parent`, created or brought in line
    with `fields` and inline `rows` ({relation: [dicts]}), and published. A
    new revision only when something differs or the page is not live."""
    rows = rows or {}
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        taken = Page.objects.child_of(parent).filter(slug=slug).first()
        if taken is not None:
            raise DemoError(
                f"The slug “{slug}” under “{parent.title}” belongs to "
                f"“{taken.title}” ({taken.specific_class.__name__}), "
                f"not a {model.__name__}. Move or rename that page."
            )
        page = model(slug=slug, live=False, **fields)
        for relation, values in rows.items():
            _sync_rows(page, relation, values)
        parent.add_child(instance=page)
        status = "created"
    else:
        # Only what differs is set: a StreamField set again would get new
        # block ids.
        differing = {
            name: value
            for name, value in fields.items()
            if _stored(page, name) != _wanted(value)
        }
        for name, value in differing.items():
            setattr(page, name, value)
        changed = bool(differing)
        for relation, values in rows.items():
            changed = _sync_rows(page, relation, values) or changed
        status = "updated" if changed or not page.live else "unchanged"
    if status != "unchanged":
        page.save_revision().publish()
        page = model.objects.get(pk=page.pk)
    if changes is not None:
        changes.append((status, f"{model._meta.verbose_name}: {page.title}"))
    return page


def _sync_snippet(model, lookup, fields, changes):
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **fields)
        status = "created"
    elif _differs(instance, fields):
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.save()
        status = "updated"
    else:
        status = "unchanged"
    changes.append((status, f"{model._meta.verbose_name}: {instance}"))
    return instance


def organisation_name(name):
    # The Struktur section says "PLO"; Sammensætning names PLO-Nordjylland.
    return PLO if name == "PLO" else name


def ensure_organisations(kommissorium, changes):
    """Every party that the kommissorium names, by name."""
    names = dict.fromkeys(
        organisation_name(name)
        for members in kommissorium.clusters.values()
        for name in members
    )
    organisations = {}
    for name in names:
        if name == REGION:
            kind, short_name = Organisation.Kind.REGION, "Regionen"
        elif name == PLO:
            kind, short_name = Organisation.Kind.ALMEN_PRAKSIS, "PLO"
        elif name.endswith(" Kommune"):
            kind, short_name = Organisation.Kind.KOMMUNE, name.removesuffix(" Kommune")
        else:
            raise DemoError(f"Unknown party in the kommissorium: {name}")
        organisations[name] = _sync_snippet(
            Organisation,
            {"name": name},
            {"kind": kind, "short_name": short_name},
            changes,
        )
    return organisations


def membership(organisation):
    """Seats per the kommissorium's Sammensætning: 2–4 per municipality, 3–4
    for the region, PLO depending on the agenda."""
    seats_min, seats_max, note = 2, 4, ""
    if organisation.kind == Organisation.Kind.REGION:
        seats_min, seats_max = 3, 4
    elif organisation.kind == Organisation.Kind.ALMEN_PRAKSIS:
        seats_min, seats_max = None, None
        note = "afhængigt af den konkrete dagsorden"
    return {
        "organisation": organisation,
        "seats_min": seats_min,
        "seats_max": seats_max,
        "note": note,
    }


def terms_of_reference(kommissorium):
    """The kommissorium's six sections as TermsSectionBlocks (raw data)."""
    return [
        {
            "type": "section",
            "value": {
                "section": section.key,
                "heading": "",
                "body": demo_seeds.rich_text(section.body),
            },
        }
        for section in kommissorium.sections
    ]


def first_sentence(text):
    return text.split(". ", 1)[0].rstrip(".") + "."


@transaction.atomic
def ensure_clusters(home, changes=None):
    """The cluster index; the four political clusters from the kommissorium;
    Klyngestyregruppe Midt with its fora, its meeting of 6 November 2019 and
    the minutes. Returns a DemoContent without the accessibility statement."""
    changes = [] if changes is None else changes
    kommissorium = demo_seeds.read_kommissorium()
    organisations = ensure_organisations(kommissorium, changes)
    minutes = demo_seeds.read_minutes(organisations=list(organisations))

    index = ClusterIndexPage.objects.child_of(home).first()
    index = _sync_page(
        home,
        ClusterIndexPage,
        index.slug if index else INDEX_SLUG,
        {"title": "Klynger", "intro": INDEX_INTRO},
        changes=changes,
    )

    terms = terms_of_reference(kommissorium)
    purpose = demo_seeds.rich_text(kommissorium.section("formaal").body[:1])
    political = {}
    for area, members in kommissorium.clusters.items():
        if area not in AREAS:
            raise DemoError(f"Unknown cluster in the kommissorium: Klynge {area}")
        political[area] = _sync_page(
            index,
            ClusterPage,
            f"politisk-klynge-{AREAS[area]}",
            {
                "title": f"Politisk klynge {area}",
                "kind": ClusterPage.Kind.POLITICAL,
                "area": AREAS[area],
                "intro": purpose,
                "parent_body": None,
                "chair": kommissorium.chair,
                "secretariat": kommissorium.secretariat,
                "terms_of_reference": terms,
                "terms_approved_by": kommissorium.approved_by,
                # The seed leaves the approval date blank.
                "terms_approved_on": None,
                "min_meetings_per_year": 1,
            },
            rows={
                "memberships": [
                    membership(organisations[organisation_name(name)])
                    for name in members
                ]
            },
            changes=changes,
        )

    # The steering group: Klynge Midt's parties except PLO, which (like the
    # hospitals) takes part ad hoc only (item 1 of the minutes).
    steering_members = [
        organisations[organisation_name(name)]
        for name in kommissorium.clusters["Midt"]
        if organisation_name(name) != PLO
    ]
    steering = _sync_page(
        index,
        ClusterPage,
        STEERING_GROUP_MIDT_SLUG,
        {
            "title": "Klyngestyregruppe Midt",
            "kind": ClusterPage.Kind.STEERING,
            "area": "midt",
            "intro": demo_seeds.rich_text(
                [first_sentence(minutes.item(1).description[0])]
            ),
            "parent_body": political["Midt"],
            "chair": "",
            "secretariat": "",
            # Its own kommissorium is not among the seeds.
            "terms_of_reference": [],
            "terms_approved_by": "",
            "terms_approved_on": None,
            "min_meetings_per_year": STEERING_GROUP_MEETINGS_PER_YEAR,
        },
        rows={
            "memberships": [
                {"organisation": o, "seats_min": None, "seats_max": None, "note": ""}
                for o in steering_members
            ]
        },
        changes=changes,
    )

    fora = [
        ensure_forum(index, steering, title, qualifier, minutes.start, changes)
        for title, qualifier in fora_of(minutes)
    ]

    meeting, minutes_page = ensure_meeting(steering, minutes, organisations, changes)
    return DemoContent(
        home=home,
        index=index,
        organisations=organisations,
        political_clusters=list(political.values()),
        steering_group=steering,
        fora=fora,
        meeting=meeting,
        minutes=minutes_page,
        statement=None,
        changes=changes,
    )


def fora_of(minutes):
    """[(title, qualifier)] of the collaboration fora set up in item 2, e.g.
    ("Samarbejdsforum for Børn og unge somatik", "gerne regionsdækkende på
    tværs af klyngerne")."""
    entries = next(
        (
            block
            for block in minutes.item(2).decision
            if isinstance(block, list)
            and all(entry.startswith("Samarbejdsforum") for entry in block)
        ),
        None,
    )
    if not entries:
        raise DemoError("Item 2 of the minutes lists no “Samarbejdsforum …”")
    fora = []
    for entry in entries:
        title, _, qualifier = entry.partition(" – ")
        fora.append((title.strip(), qualifier.strip()))
    return fora


def ensure_forum(index, steering, title, qualifier, set_up_on, changes):
    """A collaboration forum of the steering group; its intro says when it
    was set up and carries the minutes' qualifier word for word."""
    intro = [f"Oprettet af {steering.title} den {danish_date(set_up_on)}."]
    if qualifier:
        intro.append(f"{qualifier[0].upper()}{qualifier[1:]}.")
    return _sync_page(
        index,
        ClusterPage,
        ascii_slug(title),
        {
            "title": title,
            "kind": ClusterPage.Kind.FORUM,
            "area": "region" if REGION_WIDE in qualifier else "midt",
            "intro": demo_seeds.rich_text(intro),
            "parent_body": steering,
            "chair": "",
            "secretariat": "",
            # Their kommissorier were still to be drafted (item 2), so no
            # rule on how often they meet.
            "terms_of_reference": [],
            "terms_approved_by": "",
            "terms_approved_on": None,
            "min_meetings_per_year": 0,
        },
        rows={"memberships": []},
        changes=changes,
    )


def danish_date(moment):
    """“6. november 2019”, in Danish time."""
    with translation.override("da"):
        return dateformat.format(timezone.localtime(moment), "j. F Y")


def ensure_people(participants, organisations, cluster, changes):
    """The minutes' participants, registered with the body that met: its
    members ("Tilføj klyngens medlemmer" invites them to its next meeting),
    whom its editors may correct."""
    return {
        participant.name: _sync_snippet(
            Person,
            {
                "name": participant.name,
                "organisation": organisations[participant.organisation],
            },
            {"title": participant.title, "cluster": cluster},
            changes,
        )
        for participant in participants
    }


def ensure_meeting(cluster, minutes, organisations, changes):
    """The meeting with its participants and agenda, and its published
    minutes."""
    people = ensure_people(minutes.participants, organisations, cluster, changes)
    location = _sync_snippet(
        Location,
        {"name": minutes.location_name},
        {"address": minutes.location_address},
        changes,
    )
    meeting = _sync_page(
        cluster,
        MeetingPage,
        minutes.start.strftime("%Y-%m-%d"),
        {
            "title": minutes.meeting_title,
            "start": minutes.start,
            "end": minutes.end,
            "location": location,
            "room": minutes.room,
            # The meeting was held in Regionshuset.
            "host": organisations[REGION],
            "intro": "",
        },
        rows={
            "participants": [
                {
                    "person": people[p.name],
                    "role": ParticipantRole.MEMBER,
                    "attendance": Attendance.PRESENT,
                }
                for p in minutes.participants
            ],
            "agenda_items": [
                {
                    "number": item.number,
                    "title": item.title,
                    "description": demo_seeds.rich_text(item.description),
                    "recommendation": demo_seeds.rich_text(item.recommendation),
                    "closed": False,
                }
                for item in minutes.items
            ],
        },
        changes=changes,
    )

    items = {item.number: item for item in meeting.agenda_items.all()}
    minutes_page = _sync_page(
        meeting,
        MinutesPage,
        "referat",
        {
            "title": minutes.heading,
            "minute_taker": people[minutes.referent],
            "summary": "",
        },
        rows={
            "attendance": [
                {
                    "person": people[p.name],
                    "role": ParticipantRole.MEMBER,
                    "attendance": Attendance.PRESENT,
                }
                for p in minutes.participants
            ],
            "decisions": [
                {
                    "agenda_item": items[item.number],
                    "decision": demo_seeds.rich_text(item.decision),
                }
                for item in minutes.items
            ],
        },
        changes=changes,
    )
    return meeting, minutes_page


@transaction.atomic
def ensure_accessibility_statement(home, changes=None):
    existing = AccessibilityStatementPage.objects.child_of(home).first()
    return _sync_page(
        home,
        AccessibilityStatementPage,
        existing.slug if existing else STATEMENT_SLUG,
        {
            "title": STATEMENT_TITLE,
            "body": STATEMENT_BODY,
            "contact_email": STATEMENT_EMAIL,
        },
        changes=changes,
    )


@transaction.atomic
def load_demo_content():
    """The whole demo content, from the seeds; idempotent."""
    home = ensure_home_page()
    content = ensure_clusters(home)
    content.statement = ensure_accessibility_statement(home, content.changes)
    return content
