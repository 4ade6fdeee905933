"""One page of every public page type, with everything each can show: the
content the accessibility and HTML checks look at."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from klynge_pages.models import (
    AgendaItemAttachment,
    ClusterPage,
    MeetingPage,
    MinutesPage,
)
from klyngeportal_site.models import AccessibilityStatementPage

from ..factories import (
    LocationFactory,
    OrganisationFactory,
    PersonFactory,
    approve_minutes,
    local,
    make_cluster,
    make_cluster_index,
    make_home,
    make_meeting,
    make_minutes,
    publish,
)

# A word of the open item's case text, and one found nowhere.
FOUND = "udskrivningsaftalen"
NOT_FOUND = "zyxwvutsrq"


def build_public_site():
    """Returns {page type: URL path} for every public page type."""
    home = make_home()
    home.intro = "<p>Klyngernes møder, dagsordener og referater.</p>"
    publish(home)
    aalborg = OrganisationFactory(name="Aalborg Kommune", website="https://aalborg.dk")
    region = OrganisationFactory(name="Region Nordjylland", kind="region")
    cluster = make_cluster(
        title="Klyngestyregruppe Midt",
        members=[aalborg, region],
        intro="<p>Klyngestyregruppen for Klynge Midt.</p>",
        chair="Aalborg Kommune",
        secretariat="Sundhedssekretariatet",
    )
    make_cluster(title="Samarbejdsforum for psykiatri voksne", parent_body=cluster)
    meeting = make_meeting(
        cluster,
        start=local(2019, 11, 6, 16, 30),
        title="Møde i klyngestyregruppen",
        closed=(3,),
        participants=2,
        location=LocationFactory(),
        room="Mødelokale D",
        host=aalborg,
        intro="<p>Mødet holdes i Aalborg.</p>",
    )
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    items = list(meeting.agenda_items.all())
    items[
        0
    ].description = f"<p>Status på {FOUND} og genoptræning efter hospitalsophold.</p>"
    document = Document(
        title="Udskrivningsaftale",
        file=ContentFile(b"%PDF-1.4 bilag", "aftale.pdf"),
        collection=ClusterPage.objects.get(pk=cluster.pk).collection,
    )
    document._set_document_file_metadata()
    document.save()
    items[0].attachments.add(AgendaItemAttachment(document=document, label="Bilag 1"))
    items[0].tags.add("udskrivning")
    meeting.agenda_items = items
    meeting.save_revision().publish()
    minutes = make_minutes(
        MeetingPage.objects.get(pk=meeting.pk),
        title="Referat af mødet 6. november 2019",
        summary="<p>Et kort referat.</p>",
        minute_taker=PersonFactory(name="Jane Pedersen", title="vicekontorchef"),
    )
    minutes = approve_minutes(
        minutes, [("Bente Gravesen", aalborg)], at=local(2019, 11, 12, 9, 0)
    )
    # A coming meeting, for the home page's "Kommende møder".
    coming = timezone.localtime() + timedelta(days=14)
    make_meeting(
        cluster,
        start=coming.replace(hour=16, minute=30, second=0, microsecond=0),
        title="Næste møde i klyngestyregruppen",
        location=LocationFactory(),
    )
    statement = publish(
        home.add_child(
            instance=AccessibilityStatementPage(
                title="Tilgængelighedserklæring",
                slug="tilgaengelighedserklaering",
                body=(
                    "<h2>Overholdelsesstatus</h2>"
                    "<p>Klyngeportal er delvist i overensstemmelse med WCAG 2.1 AA.</p>"
                ),
                contact_email="tilgaengelighed@example.dk",
                live=False,
            )
        )
    )
    return {
        "forside": home.url,
        "klyngeoversigt": make_cluster_index().url,
        "klynge": cluster.url,
        "moede": meeting.url,
        "referat": MinutesPage.objects.get(pk=minutes.pk).url,
        "moedearkiv": f"{make_cluster_index().url}moeder/2019/",
        "kommende-moeder": f"{make_cluster_index().url}moeder/",
        "klyngens-moedearkiv": f"{cluster.url}moeder/2019/",
        "seneste-referater": f"{make_cluster_index().url}referater/",
        "soegning-med-resultater": f"/soeg/?q={FOUND}",
        "soegning-uden-resultater": f"/soeg/?q={NOT_FOUND}",
        "soegeside": "/soeg/",
        "tilgaengelighedserklaering": statement.url,
    }
