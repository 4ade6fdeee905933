"""Fill what the sign-off records now keep: the organisation each approver
signs for (from the person linked to their account, now the secretariat's
`Signatory`), the cluster of each person and meeting place (where they
appear in one cluster only), the snapshots that minutes keep of their agenda
items and people (in the rows and in every stored revision), and the
revision and organisation name of existing approvals."""

from django.db import migrations

STEPLEN = 4


def public_label(person):
    details = ", ".join(
        part
        for part in (
            person.title,
            person.organisation.name if person.organisation_id else "",
        )
        if part
    )
    return f"{person.name} – {details}" if details else person.name


def signatories(apps, schema_editor):
    Person = apps.get_model("klynge_pages", "Person")
    Signatory = apps.get_model("klynge_pages", "Signatory")
    for person in Person.objects.exclude(user=None).exclude(organisation=None):
        Signatory.objects.get_or_create(
            user_id=person.user_id,
            defaults={"name": person.name, "organisation_id": person.organisation_id},
        )


def owning_clusters(apps, schema_editor):
    ClusterPage = apps.get_model("klynge_pages", "ClusterPage")
    MeetingPage = apps.get_model("klynge_pages", "MeetingPage")
    MinutesPage = apps.get_model("klynge_pages", "MinutesPage")
    MeetingParticipant = apps.get_model("klynge_pages", "MeetingParticipant")
    MinutesAttendance = apps.get_model("klynge_pages", "MinutesAttendance")
    Person = apps.get_model("klynge_pages", "Person")
    Location = apps.get_model("klynge_pages", "Location")

    clusters = dict(ClusterPage.objects.values_list("path", "pk"))

    def cluster_of(path):
        for depth in range(len(path), 0, -STEPLEN):
            if path[:depth] in clusters:
                return clusters[path[:depth]]
        return None

    meeting_clusters = {
        pk: cluster_of(path)
        for pk, path in MeetingPage.objects.values_list("pk", "path")
    }
    minutes_clusters = {
        pk: cluster_of(path)
        for pk, path in MinutesPage.objects.values_list("pk", "path")
    }
    seen = {}
    for person_id, page_id in MeetingParticipant.objects.values_list(
        "person_id", "page_id"
    ):
        seen.setdefault(("person", person_id), set()).add(meeting_clusters.get(page_id))
    for person_id, page_id in MinutesAttendance.objects.values_list(
        "person_id", "page_id"
    ):
        seen.setdefault(("person", person_id), set()).add(minutes_clusters.get(page_id))
    for person_id, page_id in MinutesPage.objects.exclude(
        minute_taker=None
    ).values_list("minute_taker_id", "pk"):
        seen.setdefault(("person", person_id), set()).add(minutes_clusters.get(page_id))
    for location_id, page_id in MeetingPage.objects.exclude(location=None).values_list(
        "location_id", "pk"
    ):
        seen.setdefault(("location", location_id), set()).add(
            meeting_clusters.get(page_id)
        )
    for (kind, pk), found in seen.items():
        found.discard(None)
        if len(found) == 1:
            model = Person if kind == "person" else Location
            model.objects.filter(pk=pk, cluster=None).update(cluster=found.pop())


def snapshots(apps, schema_editor):
    AgendaItem = apps.get_model("klynge_pages", "AgendaItem")
    MinutesDecision = apps.get_model("klynge_pages", "MinutesDecision")
    MinutesAttendance = apps.get_model("klynge_pages", "MinutesAttendance")
    MinutesPage = apps.get_model("klynge_pages", "MinutesPage")
    Person = apps.get_model("klynge_pages", "Person")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    items = {item.pk: item for item in AgendaItem.objects.all()}
    people = {p.pk: p for p in Person.objects.select_related("organisation")}

    def item_fields(item):
        return {
            "item_number": item.number,
            "item_title": item.title,
            "item_recommendation": item.recommendation,
            "item_closed": item.closed,
        }

    for decision in MinutesDecision.objects.exclude(agenda_item=None):
        if item := items.get(decision.agenda_item_id):
            for name, value in item_fields(item).items():
                setattr(decision, name, value)
            decision.save(update_fields=list(item_fields(item)))
    for row in MinutesAttendance.objects.all():
        row.person_label = public_label(people[row.person_id])
        row.save(update_fields=["person_label"])
    for page in MinutesPage.objects.exclude(minute_taker=None):
        page.minute_taker_label = public_label(people[page.minute_taker_id])
        page.save(update_fields=["minute_taker_label"])

    content_type = ContentType.objects.filter(
        app_label="klynge_pages", model="minutespage"
    ).first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type):
        content = revision.content
        for decision in content.get("decisions", []):
            item = items.get(decision.get("agenda_item"))
            if item is not None and "item_title" not in decision:
                decision.update(item_fields(item))
        for row in content.get("attendance", []):
            person = people.get(row.get("person"))
            if person is not None and "person_label" not in row:
                row["person_label"] = public_label(person)
        taker = people.get(content.get("minute_taker"))
        if taker is not None and "minute_taker_label" not in content:
            content["minute_taker_label"] = public_label(taker)
        revision.content = content
        revision.save(update_fields=["content"])


def signoff_revisions(apps, schema_editor):
    MinutesSignOff = apps.get_model("klynge_pages", "MinutesSignOff")
    for approval in MinutesSignOff.objects.select_related("task_state", "organisation"):
        approval.revision_id = (
            approval.task_state.revision_id if approval.task_state_id else None
        )
        approval.organisation_name = (
            approval.organisation.name if approval.organisation_id else ""
        )
        approval.save(update_fields=["revision", "organisation_name"])


def forwards(apps, schema_editor):
    signatories(apps, schema_editor)
    owning_clusters(apps, schema_editor)
    snapshots(apps, schema_editor)
    signoff_revisions(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("klynge_pages", "0007_signoff_bound_to_revision"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
