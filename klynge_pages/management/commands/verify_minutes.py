"""Check that published minutes are what their approvers signed.

    manage.py verify_minutes 42            # by page id
    manage.py verify_minutes /klynger/midt/2019-11-06/referat/
    manage.py verify_minutes --all         # every published set of minutes

For each, the digest of the public record (klynge_pages/signoff.py) is
recomputed twice: from the live revision, and from the rows the public site
shows; both must equal the digest the standing approvals signed. Exits with
an error when any does not, so it can run from cron.
"""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from klynge_pages import signoff
from klynge_pages.models import MinutesPage


class Command(BaseCommand):
    help = "Efterprøv, at udgivne referater er det, godkenderne godkendte."

    def add_arguments(self, parser):
        parser.add_argument(
            "pages", nargs="*", help="Referatets side-id eller adresse (sti)."
        )
        parser.add_argument(
            "--all", action="store_true", help="Alle udgivne referater."
        )

    def handle(self, *args, pages, **options):
        if options["all"]:
            minutes = list(MinutesPage.objects.live().order_by("path"))
        elif pages:
            minutes = [self.find(value) for value in pages]
        else:
            raise CommandError("Angiv et referat (side-id eller sti) eller --all.")
        failures = [
            page for page in minutes if not self.verify(page, strict=not options["all"])
        ]
        if failures:
            ids = ", ".join(str(page.pk) for page in failures)
            raise CommandError(
                f"{len(failures)} af {len(minutes)} referater stemmer ikke med "
                f"godkendelsen: {ids}"
            )
        self.stdout.write(f"{len(minutes)} referat(er) efterprøvet: alt stemmer.")

    def find(self, value):
        page = None
        if value.isdigit() and len(value) < 19:
            page = MinutesPage.objects.filter(pk=int(value)).first()
        else:
            path = "/" + value.strip("/") + "/"
            for candidate in Page.objects.live().type(MinutesPage).specific():
                if candidate.url == path or candidate.url_path.endswith(path):
                    page = candidate
                    break
        if page is None:
            raise CommandError(f"Intet referat fundet: {value!r}")
        return page

    def verify(self, page, strict):
        """True when the page is what was signed. With `strict` (pages named
        on the command line) a page that cannot be checked is an error; with
        --all it is reported and skipped."""
        label = f"{page.title} (id {page.pk})"
        problem = None
        signoffs = list(page.standing_signoffs()) if page.live else []
        signed = {approval.digest for approval in signoffs}
        if not page.live or page.live_revision is None:
            problem = "referatet er ikke udgivet"
        elif not signoffs:
            problem = "den udgivne version har ingen godkendelse at efterprøve"
        elif signed == {""}:
            problem = "godkendt, før referater fik kontrolsum"
        if problem:
            if strict:
                raise CommandError(f"{label}: {problem}.")
            self.stdout.write(f"{label}: {problem}; ikke efterprøvet.")
            return True
        from_revision = page.live_revision.as_object().digest()
        from_rows = page.digest()
        ok = len(signed) == 1 and signed == {from_revision} == {from_rows}
        verdict = "stemmer" if ok else "stemmer ikke"
        self.stdout.write(f"{label}: {verdict}")
        self.stdout.write(f"  godkendt kontrolsum:       {', '.join(sorted(signed))}")
        self.stdout.write(f"  udgivet version:           {from_revision}")
        self.stdout.write(f"  det, hjemmesiden viser:    {from_rows}")
        self.stdout.write(f"  kort: {signoff.short_digest(next(iter(signed)))}")
        return ok
