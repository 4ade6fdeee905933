"""The admin's upload form for minutes: a file and a cluster, limited to the
clusters where the user may add pages (the cluster's editors and approvers,
the secretariat); it creates drafts and shows the import report."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ClusterPage
from .importer import import_file
from .reading import ImportFileError, allowed_extensions, check_name_and_size


def clusters_for(user):
    """The clusters in which `user` may add meetings."""
    if not user.is_active:
        return []
    return [
        cluster
        for cluster in ClusterPage.objects.order_by("title")
        if cluster.permissions_for_user(user).can_add_subpage()
    ]


class ImportMinutesForm(forms.Form):
    cluster = forms.TypedChoiceField(label=gettext_lazy("Klynge"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("Referat"),
        help_text=gettext_lazy(
            "Markdown, tekst (UTF-8), Word (.docx) eller PDF med tekstlag. Mødet "
            "og referatet oprettes som kladder; intet udgives."
        ),
    )

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [(c.pk, c.title) for c in clusters]
        self.fields["file"].widget.attrs["accept"] = ",".join(allowed_extensions())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_name_and_size(upload.name, upload.size)
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        return upload


def forbidden():
    # A plain 403, not Wagtail's redirect to the dashboard: a refused upload
    # must not look like a page that moved.
    return HttpResponseForbidden(
        _("Du har ikke adgang til at importere referater i denne klynge."),
        content_type="text/plain; charset=utf-8",
    )


def import_minutes_view(request):
    clusters = clusters_for(request.user)
    if not clusters:
        return forbidden()
    allowed = {cluster.pk: cluster for cluster in clusters}
    requested = request.POST.get("cluster") or request.GET.get("cluster")
    if requested and (not requested.isdigit() or int(requested) not in allowed):
        # Another cluster's, or none at all: the same answer.
        return forbidden()
    report = None
    if request.method == "POST":
        form = ImportMinutesForm(request.POST, request.FILES, clusters=clusters)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            cluster = allowed[form.cleaned_data["cluster"]]
            data = b"".join(upload.chunks())
            report = import_file(data, upload.name, cluster, request.user)
            form = ImportMinutesForm(initial={"cluster": cluster.pk}, clusters=clusters)
    else:
        form = ImportMinutesForm(
            initial={"cluster": int(requested)} if requested else None,
            clusters=clusters,
        )
    return render(
        request,
        "klynge_pages/importing/import_minutes.html",
        {
            "form": form,
            "report": report,
            "page_title": _("Importér referat"),
            "header_title": _("Importér referat"),
            "header_icon": "upload",
        },
        status=200 if report is None or report.ok else 422,
    )
