"""Give every existing cluster its own collection, grant its groups their
documents and images there instead of in the root collection, and move each
document (and image) into the collection of the cluster whose pages use it.

A document used by the pages of one cluster only moves into that cluster's
collection; one used nowhere, or by pages of several clusters (or by a
cluster's pages and pages outside every cluster), stays where it is:
`manage.py sync_cluster_groups` lists those for the secretariat to sort out.
Historical models only: no treebeard methods, so the collections' tree paths
are written here.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def _next_key(path):
    number = 0
    for char in path[-STEPLEN:]:
        number = number * len(ALPHABET) + ALPHABET.index(char)
    number += 1
    key = ""
    for _ in range(STEPLEN):
        number, digit = divmod(number, len(ALPHABET))
        key = ALPHABET[digit] + key
    return key


def _add_child_collection(Collection, root, name):
    last = (
        Collection.objects.filter(path__startswith=root.path, depth=root.depth + 1)
        .order_by("-path")
        .first()
    )
    key = _next_key(last.path) if last else "0001"
    collection = Collection.objects.create(
        name=name, path=root.path + key, depth=root.depth + 1, numchild=0
    )
    root.numchild += 1
    root.save(update_fields=["numchild"])
    return collection


def _owners(apps, model_label, clusters):
    """{object id: cluster} of the documents or images used by the pages of
    exactly one cluster."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    Page = apps.get_model("wagtailcore", "Page")
    app_label, model = model_label.split(".")
    try:
        page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
        target_type = ContentType.objects.get(app_label=app_label, model=model)
    except ContentType.DoesNotExist:  # a fresh database: nothing to move
        return {}
    uses = {}
    for page_id, object_id in ReferenceIndex.objects.filter(
        base_content_type=page_type, to_content_type=target_type
    ).values_list("object_id", "to_object_id"):
        if str(object_id).isdigit() and str(page_id).isdigit():
            uses.setdefault(int(object_id), set()).add(int(page_id))
    if model_label == "wagtaildocs.document":
        AgendaItemAttachment = apps.get_model("klynge_pages", "AgendaItemAttachment")
        for document_id, page_id in AgendaItemAttachment.objects.values_list(
            "document_id", "item__page_id"
        ):
            uses.setdefault(document_id, set()).add(page_id)
    paths = dict(
        Page.objects.filter(
            pk__in={page for pages in uses.values() for page in pages}
        ).values_list("pk", "path")
    )
    owners = {}
    for object_id, pages in uses.items():
        found = set()
        for page_id in pages:
            path = paths.get(page_id)
            if path is None:
                continue
            found.add(next((c for c in clusters if path.startswith(c.path)), None))
        if len(found) == 1 and None not in found:
            owners[object_id] = found.pop()
    return owners


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    ClusterPage = apps.get_model("klynge_pages", "ClusterPage")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    Permission = apps.get_model("auth", "Permission")
    Document = apps.get_model("wagtaildocs", "Document")
    Image = apps.get_model("wagtailimages", "Image")

    clusters = list(ClusterPage.objects.order_by("path"))
    if not clusters:
        return
    root = Collection.objects.filter(depth=1).order_by("path").first()
    permissions = [
        Permission.objects.filter(
            content_type__app_label=app, codename=codename
        ).first()
        for app, codename in COLLECTION_PERMISSIONS
    ]
    permissions = [p for p in permissions if p is not None]
    taken = set(
        Collection.objects.filter(depth=root.depth + 1).values_list("name", flat=True)
    )
    for cluster in clusters:
        if cluster.collection_id is None:
            name = cluster.title[:255]
            if name in taken:
                name = f"{cluster.title} ({cluster.pk})"[:255]
            taken.add(name)
            cluster.collection = _add_child_collection(Collection, root, name)
            ClusterPage.objects.filter(pk=cluster.pk).update(
                collection=cluster.collection
            )
        for group_id in (cluster.editors_group_id, cluster.approvers_group_id):
            if group_id is None:
                continue
            GroupCollectionPermission.objects.filter(group_id=group_id).delete()
            for permission in permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group_id=group_id,
                    collection=cluster.collection,
                    permission=permission,
                )
    Group = apps.get_model("auth", "Group")
    secretariat = Group.objects.filter(name="Sekretariat").first()
    if secretariat is not None:
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=secretariat, collection=root, permission=permission
            )
    for model, label in (
        (Document, "wagtaildocs.document"),
        (Image, "wagtailimages.image"),
    ):
        for object_id, cluster in _owners(apps, label, clusters).items():
            model.objects.filter(pk=object_id).update(collection=cluster.collection)


class Migration(migrations.Migration):
    dependencies = [
        ("klynge_pages", "0010_cluster_collection"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    # Backwards: the collections and grants stay (harmless without the field).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
