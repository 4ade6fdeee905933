from django.core.management.base import BaseCommand, CommandError

from klyngeportal_site.translation_coverage import coverage


class Command(BaseCommand):
    help = (
        "Report how much of the admin-facing Wagtail apps' messages the "
        "project's catalogues (LOCALE_PATHS) translate, per app and overall; "
        "--missing lists the untranslated messages."
    )
    # It reads catalogues only; it runs even where the site would not start.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--language", default="da", help="Language code (default: da)."
        )
        parser.add_argument(
            "--locale-dir",
            help="Folder holding <language>/LC_MESSAGES/*.po "
            "(default: the first of LOCALE_PATHS).",
        )
        parser.add_argument(
            "--missing",
            action="store_true",
            help="List the messages without a translation.",
        )
        parser.add_argument(
            "--fail-under",
            type=float,
            metavar="PERCENT",
            help="Exit with an error when the overall share is below PERCENT.",
        )

    def handle(self, *args, **options):
        report = coverage(options["language"], options["locale_dir"])
        width = max(len(c.label) for c in report.catalogues)
        for catalogue in report.catalogues:
            share = 100.0 * catalogue.translated / catalogue.total
            self.stdout.write(
                f"{catalogue.label:<{width}}  {catalogue.translated:>5} / "
                f"{catalogue.total:<5} {share:5.1f} %"
            )
        self.stdout.write(
            f"{'overall':<{width}}  {report.translated:>5} / "
            f"{report.total:<5} {report.percentage:5.1f} %"
        )
        if options["missing"]:
            for catalogue in report.catalogues:
                if not catalogue.missing:
                    continue
                self.stdout.write(
                    f"\nMissing in {catalogue.label} ({len(catalogue.missing)}):"
                )
                for message in catalogue.missing:
                    self.stdout.write(f"  {message}")
        fail_under = options["fail_under"]
        if fail_under is not None and report.percentage < fail_under:
            raise CommandError(
                f"{report.percentage:.1f} % translated, below {fail_under} %"
            )
