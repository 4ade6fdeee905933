"""Documents belong to a cluster: the one whose Wagtail collection holds them.

Each cluster has its own collection (created with its groups, see
sharing.py); its editors upload, choose and change documents and images
there only, through Wagtail's collection permissions. A document may be
used (attached to an agenda item, linked from rich text) only on pages of
the cluster whose collection holds it, or below; a document in a collection
of no cluster (e.g. the root) only on pages outside every cluster (the
home page, the cluster index). The page forms check it
(`ClusterDocumentsFormMixin`), and the public download follows the same rule
(klynge_security/documents.py), so an id typed into a form or a revision
restored from elsewhere still exposes nothing.

Everything here works on tree paths (pages' and collections'), so that many
documents and pages cost a few queries.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, ReferenceIndex

from . import registry


def _cluster_page():
    # The page models import this module's form mixin (through forms.py).
    return registry.model("ClusterPage")


def cluster_paths():
    """The tree paths of every cluster page."""
    return list(_cluster_page().objects.values_list("path", flat=True))


def cluster_path_of(page_path, paths=None):
    """The path of the cluster a page (by its path) lies in, or None."""
    paths = cluster_paths() if paths is None else paths
    return next((path for path in paths if page_path.startswith(path)), None)


def _owners_of_collections(collection_paths):
    """{collection path: path of the cluster whose collection it is or lies
    in, or None}."""
    owned = sorted(
        _cluster_page()
        .objects.filter(collection__isnull=False)
        .values_list("collection__path", "path"),
        key=lambda row: len(row[0]),
        reverse=True,  # the deepest collection wins
    )
    return {
        path: next(
            (cluster for collection, cluster in owned if path.startswith(collection)),
            None,
        )
        for path in collection_paths
    }


def document_owners(document_ids, model=None):
    """{document id: path of the cluster that owns it, or None} for the
    documents (or images, with `model`) that exist among the ids."""
    model = model or get_document_model()
    rows = dict(
        model.objects.filter(pk__in=list(document_ids)).values_list(
            "pk", "collection__path"
        )
    )
    owners = _owners_of_collections(set(rows.values()))
    return {pk: owners[path] for pk, path in rows.items()}


def may_use(page_path, owner, paths=None):
    """Whether a page (by its path) may use a document owned by the cluster
    at path `owner` (None: owned by no cluster)."""
    if owner is None:
        return cluster_path_of(page_path, paths) is None
    return page_path.startswith(owner)


def cluster_collection(cluster):
    """The cluster's collection, or None while it has none."""
    if cluster is None or cluster.collection_id is None:
        return None
    return Collection.objects.filter(pk=cluster.collection_id).first()


# --- The page forms -----------------------------------------------------------


def _forms(form):
    """The form and every live form of its (nested) inline formsets."""
    yield form
    for formset in getattr(form, "formsets", {}).values():
        formset.is_valid()
        for child in formset.forms:
            data = getattr(child, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            yield from _forms(child)


def _document_references(form):
    """(field name, document id) of every document the form's cleaned data
    uses: foreign keys, and links in rich text and StreamField."""
    document_model = get_document_model()
    opts = form._meta.model._meta
    for name, value in form.cleaned_data.items():
        if value is None or (isinstance(value, str) and not value):
            continue
        if isinstance(value, document_model):
            yield name, value.pk
            continue
        try:
            field = opts.get_field(name)
        except Exception:  # noqa: BLE001, S112 - a form-only field
            continue
        extract = getattr(field, "extract_references", None)
        if extract is None:
            continue
        for model, object_id, _path, _content_path in extract(value):
            if model is document_model and str(object_id).isdigit():
                yield name, int(object_id)


def _cluster_of_form(form):
    """(the page's cluster or None, whether the page is itself a new cluster)."""
    ClusterPage = _cluster_page()
    page = form.instance
    if isinstance(page, ClusterPage):
        return (page, False) if page.pk else (None, True)
    anchor = page if page.pk else getattr(form, "parent_page", None)
    if anchor is None:
        return None, False
    return ClusterPage.objects.ancestor_of(anchor, inclusive=True).first(), False


def check_document_use(form):
    """Add an error to every field of the page form (and its inline forms)
    that uses a document from another cluster's collection, or one that does
    not exist. The message never names the document: its title is not the
    editor's to see."""
    references = [
        (child, name, pk)
        for child in _forms(form)
        for name, pk in _document_references(child)
    ]
    if not references:
        return
    cluster, new_cluster = _cluster_of_form(form)
    owners = document_owners({pk for _child, _name, pk in references})
    if new_cluster:
        message = _(
            "En ny klynge har endnu ingen dokumentsamling. Gem klyngen uden "
            "dokumentet, upload det til klyngens samling, og indsæt det derefter."
        )
    elif cluster is not None:
        collection = cluster_collection(cluster)
        message = _(
            "Dokumentet findes ikke i klyngens dokumentsamling "
            "„%(collection)s“. Vælg et dokument derfra, eller upload det dér."
        ) % {"collection": collection.name if collection else cluster.title}
    else:
        message = _(
            "Dokumentet hører til en klynges dokumentsamling og kan kun bruges "
            "på den klynges sider."
        )
    reported = set()
    for child, name, pk in references:
        if pk in owners and not new_cluster:
            owner = owners[pk]
            if (cluster is None and owner is None) or (
                cluster is not None and owner == cluster.path
            ):
                continue
        if (id(child), name) not in reported:
            reported.add((id(child), name))
            child.add_error(name, message)
        _forget(child, name, pk)


def _forget(form, name, pk):
    """Take the refused document out of the submitted data, so that the form
    shown again with its errors does not look it up and show its title,
    file name or URL (Wagtail's chooser and rich-text widgets would)."""
    key = form.add_prefix(name)
    if key not in form.data:
        return
    data = form.data.copy()
    value = data.get(key, "")
    if str(value) == str(pk):
        data[key] = ""
    else:
        data[key] = _without_document_links(value, pk)
    form.data = data


def _without_document_links(raw, pk):
    """Draftail's contentstate JSON without its links to document `pk` (the
    linked text stays)."""
    try:
        state = json.loads(raw)
        entities = state["entityMap"]
    except (TypeError, ValueError, KeyError):
        return raw
    gone = {
        key
        for key, entity in entities.items()
        if entity.get("type") == "DOCUMENT"
        and str(entity.get("data", {}).get("id")) == str(pk)
    }
    for key in gone:
        del entities[key]
    for block in state.get("blocks", []):
        block["entityRanges"] = [
            r for r in block.get("entityRanges", []) if str(r.get("key")) not in gone
        ]
    return json.dumps(state)


class ClusterDocumentsFormMixin:
    """For page forms: documents only from the page's own cluster."""

    def clean(self):
        cleaned_data = super().clean()
        check_document_use(self)
        return cleaned_data


def misplaced_documents():
    """Descriptions of the documents that pages use against the rule (from
    before the rule, or put there around the forms), for the secretariat."""
    document_model = get_document_model()
    uses = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(document_model),
    ).values_list("object_id", "to_object_id")
    uses = [(int(p), int(d)) for p, d in uses if p.isdigit() and d.isdigit()]
    owners = document_owners({document for _page, document in uses})
    pages = dict(
        Page.objects.filter(pk__in={page for page, _doc in uses}).values_list(
            "pk", "path"
        )
    )
    paths = cluster_paths()
    titles = dict(
        document_model.objects.filter(pk__in=owners).values_list("pk", "title")
    )
    return [
        f"document {document} ({titles[document]}) on page {page}"
        for page, document in sorted(uses)
        if document in owners
        and page in pages
        and not may_use(pages[page], owners[document], paths)
    ]
