from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from klynge_pages.importing.importer import ImportReport, import_file
from klynge_pages.importing.reading import max_file_bytes
from klynge_pages.models import ClusterPage


class Command(BaseCommand):
    help = (
        "Import minutes (Markdown, plain text, DOCX, PDF with a text layer) into "
        "a cluster as draft meeting and minutes pages, one transaction per file, "
        "and print what was recognised and what was not."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--cluster", required=True, help="the slug of the cluster page"
        )
        parser.add_argument(
            "--user", help="username recorded as the author of the draft revisions"
        )

    def handle(self, *args, files, cluster, user=None, **options):
        page = ClusterPage.objects.filter(slug=cluster).first()
        if page is None:
            raise CommandError(
                _("Der findes ingen klynge med kortnavnet „%(slug)s“.")
                % {"slug": cluster}
            )
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(
                    _("Der findes ingen bruger „%(user)s“.") % {"user": user}
                )
        failed = 0
        for name in files:
            report = self.import_one(Path(name), page, author)
            failed += not report.ok
            self.stdout.write("\n".join(report.lines()))
        imported = len(files) - failed
        self.stdout.write(
            _("%(imported)d af %(total)d filer importeret som kladder i „%(cluster)s“.")
            % {"imported": imported, "total": len(files), "cluster": page.title}
        )
        if failed:
            raise CommandError(
                _("%(failed)d af %(total)d filer kunne ikke importeres.")
                % {"failed": failed, "total": len(files)}
            )

    def import_one(self, path, cluster, user):
        try:
            with path.open("rb") as file:
                # One byte more than allowed tells a file that is too large.
                data = file.read(max_file_bytes() + 1)
        except OSError as exc:
            return ImportReport(
                filename=path.name,
                error=_("Filen kan ikke læses: %(reason)s")
                % {"reason": exc.strerror or exc},
            )
        return import_file(data, path.name, cluster, user)
