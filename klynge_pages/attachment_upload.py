"""Attachments by drag and drop: files dropped onto an agenda item in the
meeting editor become documents of the cluster and numbered rows of the
item (klynge_pages/static/klynge_pages/js/attachment_drop.js adds them).

Every file goes through Wagtail's own document form (`get_document_form`,
with WAGTAILDOCS_DOCUMENT_FORM_BASE: the site's checks of type, content and
size) into the cluster's collection, where Wagtail's collection permissions
must let the user add documents. The rows themselves are only added to the
editor's form: saving or publishing the page then checks them like any
other (ClusterDocumentsFormMixin), and nothing reaches the public site
before that.

The answer is JSON, one entry per file in the order sent, each accepted
(the document, its label and title) or refused with Danish messages. A
refused file writes nothing; a request that is refused as a whole (no
right to the meeting, too many files) writes nothing at all.
"""

import logging

from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .attachment_names import clean_name, names_for
from .cluster_documents import cluster_collection
from .conf import klynge_settings
from .models import AgendaItemAttachment, ClusterPage, MeetingPage

logger = logging.getLogger(__name__)


class Refused(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def _meeting_and_cluster(page, user):
    """(the meeting or None for a new one, its cluster), if the user may
    change the meeting (or create one in the cluster)."""
    page = page.specific
    if isinstance(page, MeetingPage):
        meeting = page
        allowed = page.permissions_for_user(user).can_edit()
        cluster = ClusterPage.objects.ancestor_of(page).first()
    elif isinstance(page, ClusterPage):
        meeting, cluster = None, page
        allowed = page.permissions_for_user(user).can_add_subpage()
    else:
        raise Refused(_("Bilag kan kun lægges på et mødes dagsordenspunkter."), 404)
    if not allowed:
        raise Refused(
            _("Du har ikke ret til at ændre mødet, så du kan ikke lægge bilag på det."),
            403,
        )
    return meeting, cluster


def _collection(cluster, user):
    """The cluster's collection, if the user may add documents to it."""
    collection = cluster_collection(cluster)
    if collection is None:
        raise Refused(
            _(
                "Klyngen har endnu ingen dokumentsamling. Kontakt sekretariatet, "
                "og prøv igen."
            )
        )
    policy = policy_registry.get_by_type(get_document_model())
    if not policy.collections_user_has_permission_for(user, "add").filter(
        pk=collection.pk
    ):
        raise Refused(
            _(
                "Du har ikke ret til at lægge dokumenter i klyngens dokumentsamling "
                "„%(collection)s“."
            )
            % {"collection": collection.name},
            403,
        )
    return collection


def taken_labels(meeting, posted):
    """The labels already on the meeting: those in the editor's form (sent
    along, including rows not saved yet) and those of its latest revision."""
    labels = [label for label in posted if label]
    if meeting is not None:
        latest = meeting.get_latest_revision_as_object()
        labels += [
            attachment.label
            for item in latest.agenda_items.all()
            for attachment in item.attachments.all()
        ]
    return labels


def _messages(form):
    """The form's errors as Danish sentences, the file's first."""
    errors = form.errors.copy()
    messages = list(errors.pop("file", []))
    for field_errors in errors.values():
        messages += field_errors
    return messages or [_("Filen kunne ikke lægges op.")]


def _save(form, title, user, collection):
    """The document of a valid form, in the cluster's collection; a failure
    leaves neither row nor stored file behind."""
    document = form.save(commit=False)
    document.title = title
    document.uploaded_by_user = user
    if document.collection_id != collection.pk:
        # The form picks the user's only collection when it has just one.
        raise Refused(_("Filen kunne ikke lægges i klyngens dokumentsamling."))
    try:
        with transaction.atomic():
            document._set_document_file_metadata()
            document.save()
    except Exception:
        if document.file and document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


@require_POST
def upload_attachments_view(request, page_id):
    try:
        return _upload(request, get_object_or_404(Page, pk=page_id))
    except Refused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)


def _upload(request, page):
    user = request.user
    meeting, cluster = _meeting_and_cluster(page, user)
    collection = _collection(cluster, user)
    files = request.FILES.getlist("files")
    if not files:
        raise Refused(_("Vælg en eller flere filer at lægge op."))
    limit = klynge_settings.ATTACHMENT_UPLOAD_MAX_FILES
    if len(files) > limit:
        raise Refused(
            _(
                "Du kan lægge højst %(max)s filer op ad gangen, ikke %(count)s. "
                "Del dem op, og prøv igen."
            )
            % {"max": limit, "count": len(files)}
        )
    form_class = get_document_form(get_document_model())
    results = [None] * len(files)
    accepted = []
    for index, upload in enumerate(files):
        form = form_class(
            {
                # The final title comes with the number (names_for); this
                # one only has to be valid.
                "title": clean_name(upload.name) or _("Bilag"),
                "collection": collection.pk,
            },
            {"file": upload},
            user=user,
        )
        if form.is_valid():
            accepted.append((index, form))
        else:
            results[index] = {
                "name": upload.name,
                "ok": False,
                "errors": _messages(form),
            }
    names = names_for(
        [files[index].name for index, _form in accepted],
        taken_labels(meeting, request.POST.getlist("taken")),
    )
    for (index, form), (label, title) in zip(accepted, names, strict=True):
        try:
            document = _save(form, title, user, collection)
        except Refused as refused:
            results[index] = {
                "name": files[index].name,
                "ok": False,
                "errors": [refused.message],
            }
            continue
        except Exception:
            logger.exception("Storing attachment %r failed", files[index].name)
            results[index] = {
                "name": files[index].name,
                "ok": False,
                "errors": [_("Filen kunne ikke gemmes. Prøv igen.")],
            }
            continue
        results[index] = {
            "name": files[index].name,
            "ok": True,
            "label": label,
            "document": {
                "id": document.pk,
                "title": document.title,
                "edit_url": reverse("wagtaildocs:edit", args=(document.pk,)),
            },
            "display_label": AgendaItemAttachment(
                label=label, document=document
            ).display_label,
        }
    return JsonResponse({"files": results})
