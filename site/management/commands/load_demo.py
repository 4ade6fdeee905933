from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from klyngeportal_site import demo


class Command(BaseCommand):
    help = (
        "Load the demo content (home page) and create the demo accounts. "
        "Idempotent. Refuses to run with DEBUG off unless --force is given, "
        "since the demo accounts have published passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a public server).",
        )
        parser.add_argument(
            "--no-accounts", action="store_true", help="Load content only."
        )

    def handle(self, *args, force=False, no_accounts=False, **options):
        if not settings.DEBUG and not force and not no_accounts:
            raise CommandError(
                "DEBUG is off: refusing to create demo accounts with known "
                "passwords. Use --no-accounts, or --force on a private machine."
            )
        with transaction.atomic():
            home = demo.ensure_home_page()
            index, meeting = demo.ensure_clusters(home)
            statement = demo.ensure_accessibility_statement(home)
        self.stdout.write(f"Home page: {home.title}")
        clusters = index.get_children().count()
        self.stdout.write(f"Clusters: {clusters} under {index.title}")
        self.stdout.write(
            f"Meeting with minutes: {meeting.title}, "
            f"{meeting.agenda_items.count()} agenda items"
        )
        self.stdout.write(f"Accessibility statement: {statement.title}")
        if no_accounts:
            return
        self.stdout.write("Demo accounts (username / password / role):")
        for username, password, role in demo.ensure_demo_accounts():
            self.stdout.write(f"  {username:<12} {password:<24} {role}")
