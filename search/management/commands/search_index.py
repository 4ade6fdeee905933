"""`manage.py search_index rebuild|status|sync`: the public search index."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from klynge_search import connection, indexer, indices, outbox
from klynge_search.attachments import attachment_text
from klynge_search.errors import UNAVAILABLE


class Command(BaseCommand):
    help = "Byg, vis eller opdatér det offentlige søgeindeks i Elasticsearch."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status", "sync"])
        parser.add_argument(
            "--no-progress", action="store_true", help="Vis ikke fremdriften."
        )

    def handle(self, action, no_progress=False, **options):
        client = connection.get_client()
        if client is None:
            raise CommandError(
                "KLYNGE_ELASTICSEARCH_URL er ikke sat: den offentlige søgning bruger "
                "databasen, og der er intet indeks at bygge."
            )
        try:
            getattr(self, action)(client, show_progress=not no_progress)
        except UNAVAILABLE as error:
            raise CommandError(f"Elasticsearch svarer ikke: {error}") from error

    def rebuild(self, client, show_progress):
        started = time.monotonic()
        progress = self.progress_bar if show_progress else None
        name, count = indexer.rebuild(
            client, progress=progress, extract=attachment_text
        )
        if show_progress:
            self.stdout.write("")
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Indekset {name} er bygget med {count} dokumenter på "
                f"{seconds:.1f} s, og {indices.alias_name()} peger nu på det."
            )
        )

    def progress_bar(self, done, total, width=30):
        total = max(total, 1)
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        end = "\r" if sys.stdout.isatty() else "\n"
        if end == "\n" and done not in (total,) and done % max(total // 10, 1):
            return
        self.stdout.write(f"[{bar}] {done}/{total}", ending=end)
        self.stdout.flush()

    def status(self, client, show_progress):
        info = indexer.status(client)
        self.stdout.write(f"Alias: {info['alias']}")
        self.stdout.write(f"Indeks: {info['index'] or '(intet)'}")
        for doc_type, count in sorted(info["documents"].items()):
            self.stdout.write(f"  {doc_type}: {count}")
        self.stdout.write(f"Ventende ændringer: {info['pending']}")
        if info["oldest_pending"]:
            self.stdout.write(
                f"Ældste ventende ændring: {info['oldest_pending']:%Y-%m-%d %H:%M:%S}"
            )

    def sync(self, client, show_progress):
        applied, left = outbox.replay_all(client, extract=attachment_text)
        self.stdout.write(f"Opdateret: {applied} ændringer. Tilbage: {left}.")
        if left:
            raise CommandError("Nogle ændringer kunne ikke skrives; se loggen.")
