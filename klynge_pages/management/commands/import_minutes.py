from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from klynge_pages.importing import scoring
from klynge_pages.importing.importer import ImportReport, import_file
from klynge_pages.importing.parser import ParseError, known_names, parse_minutes
from klynge_pages.importing.reading import ImportFileError, max_file_bytes, read_text
from klynge_pages.models import ClusterPage, Organisation

# What --check requires of the parser over a corpus.
MIN_FIELD_SHARE = 0.9
MIN_KEPT_SHARE = 1.0


class Command(BaseCommand):
    help = (
        "Import minutes (Markdown, plain text, DOCX, PDF with a text layer) into "
        "a cluster as draft meeting and minutes pages, one transaction per file, "
        "and print what was recognised and what was not. --dry-run prints the "
        "report without writing; --check DIR compares the parser's result for "
        "every document in DIR with its expected fields (<name>.expected.json) "
        "and prints the share right per field."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE")
        parser.add_argument("--cluster", help="the slug of the cluster page")
        parser.add_argument(
            "--user", help="username recorded as the author of the draft revisions"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="run the import and print the report, but write nothing",
        )
        parser.add_argument(
            "--check",
            metavar="DIR",
            help="score the parser against the documents and expected fields in DIR",
        )

    def handle(self, *args, files, cluster=None, user=None, **options):
        if options["check"]:
            if files or cluster:
                raise CommandError(_("--check tager kun en mappe, ingen filer."))
            return self.score_corpus(Path(options["check"]), options["verbosity"])
        if not files:
            raise CommandError(_("Angiv mindst én fil (eller --check MAPPE)."))
        if not cluster:
            raise CommandError(_("Angiv klyngen med --cluster."))
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
        dry_run = options["dry_run"]
        failed = 0
        for name in files:
            report = self.import_one(Path(name), page, author, dry_run)
            failed += not report.ok
            self.stdout.write("\n".join(report.lines()))
        imported = len(files) - failed
        if dry_run:
            message = _(
                "Prøvekørsel: %(imported)d af %(total)d filer kunne importeres i "
                "„%(cluster)s“. Intet er gemt."
            )
        else:
            message = _(
                "%(imported)d af %(total)d filer importeret som kladder i "
                "„%(cluster)s“."
            )
        self.stdout.write(
            message % {"imported": imported, "total": len(files), "cluster": page.title}
        )
        if failed:
            raise CommandError(
                _("%(failed)d af %(total)d filer kunne ikke importeres.")
                % {"failed": failed, "total": len(files)}
            )

    def import_one(self, path, cluster, user, dry_run=False):
        data = self.read(path)
        if isinstance(data, ImportReport):
            return data
        return import_file(data, path.name, cluster, user, dry_run=dry_run)

    def read(self, path):
        try:
            with path.open("rb") as file:
                # One byte more than allowed tells a file that is too large.
                return file.read(max_file_bytes() + 1)
        except OSError as exc:
            return ImportReport(
                filename=path.name,
                error=_("Filen kan ikke læses: %(reason)s")
                % {"reason": exc.strerror or exc},
            )

    def score_corpus(self, directory, verbosity):
        if not directory.is_dir():
            raise CommandError(_("„%(dir)s“ er ikke en mappe.") % {"dir": directory})
        documents = scoring.corpus(directory)
        if not documents:
            raise CommandError(
                _("Ingen dokumenter med en fil med forventede felter i „%(dir)s“.")
                % {"dir": directory}
            )
        names = known_names(Organisation.objects.all())
        total = scoring.Score()
        for path in documents:
            try:
                text = read_text(path.read_bytes(), path.name)
                parsed = parse_minutes(text, names)
            except (ImportFileError, ParseError) as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            total.add(
                scoring.score_document(
                    path.name, parsed, scoring.load_expected(path), text
                )
            )
        self.stdout.write(
            _("%(count)d referater i %(dir)s:")
            % {"count": len(documents), "dir": directory}
        )
        self.stdout.write("\n".join(scoring.table(total)))
        if verbosity > 1 and total.wrong:
            self.stdout.write(_("Forkert:"))
            for document, key, expected, found in total.wrong:
                self.stdout.write(
                    f"  {document}: {key}: "
                    + _("forventet %(expected)r, fundet %(found)r")
                    % {"expected": expected, "found": found}
                )
        low = [
            label for key, label in scoring.FIELDS if total.share(key) < MIN_FIELD_SHARE
        ]
        if low or total.kept_share < MIN_KEPT_SHARE:
            raise CommandError(
                _(
                    "Under kravet (mindst %(fields).0f %% pr. felt, %(kept).0f %% af "
                    "teksten bevaret): %(which)s"
                )
                % {
                    "fields": MIN_FIELD_SHARE * 100,
                    "kept": MIN_KEPT_SHARE * 100,
                    "which": ", ".join(
                        low + ([_("tekst")] if total.kept_share < 1 else [])
                    ),
                }
            )
