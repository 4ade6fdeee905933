from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from klyngeportal_site import demo, demo_seeds


class Command(BaseCommand):
    help = (
        "Load the demo content from the seed documents in site/demo_content/ "
        "(home page, clusters, a meeting with its agenda and minutes, the "
        "accessibility statement) and create the demo accounts. Idempotent: "
        "a second run changes nothing, and edited demo content is restored. "
        "Refuses to create the accounts with DEBUG off unless --force is "
        "given, since their passwords are published."
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
        verbose = options["verbosity"] > 1
        # One transaction: a failure leaves the database as it was.
        try:
            with transaction.atomic():
                content = demo.load_demo_content()
                accounts = [] if no_accounts else demo.ensure_demo_accounts()
        except (demo.DemoError, demo_seeds.SeedError) as exc:
            raise CommandError(f"Demo content not loaded: {exc}") from exc

        self.report(content, verbose)
        if no_accounts:
            return
        self.stdout.write("Demo accounts (username / password / role):")
        for username, password, role in accounts:
            self.stdout.write(f"  {username:<12} {password:<24} {role}")

    def report(self, content, verbose):
        write = self.stdout.write
        write(f"Home page: {content.home.title}")
        organisations = content.organisations.values()
        write(
            f"Organisations: {len(organisations)} "
            f"({', '.join(o.display_name for o in organisations)})"
        )
        write(f"Cluster index: {content.index.title} ({content.index.url})")
        for cluster in content.political_clusters:
            members = ", ".join(o.display_name for o in cluster.member_organisations())
            write(f"  {cluster.title}: {members}")
        write(f"  {content.steering_group.title}, with")
        for forum in content.fora:
            write(f"    {forum.title} ({forum.get_area_display()})")
        meeting = content.meeting
        write(
            f"Meeting: {meeting.title}, {meeting.start:%Y-%m-%d}, "
            f"{meeting.participants.count()} participants, "
            f"{meeting.agenda_items.count()} agenda items"
        )
        write(
            f"Minutes: {content.minutes.title}, "
            f"{content.minutes.decisions.count()} decisions, "
            f"referent {content.minutes.minute_taker.name}"
        )
        write(f"Accessibility statement: {content.statement.title}")
        counts = Counter(status for status, _ in content.changes)
        write(
            "Changes: "
            + ", ".join(
                f"{counts[status]} {status}"
                for status in ("created", "updated", "unchanged")
            )
        )
        for status, what in content.changes:
            if verbose or status != "unchanged":
                write(f"  {status:<9} {what}")
