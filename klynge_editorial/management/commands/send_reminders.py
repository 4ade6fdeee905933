from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from klynge_editorial import reminders


class Command(BaseCommand):
    help = (
        "E-mail each cluster's editors N days before an agenda or minutes "
        "deadline and once it has passed. Every reminder is recorded and never "
        "sent twice, so the command is safe to run from cron as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=reminders.DEFAULT_DAYS_BEFORE,
            help="Remind this many days before a deadline (default: %(default)s).",
        )
        parser.add_argument(
            "--overdue-within",
            type=int,
            default=reminders.DEFAULT_OVERDUE_WITHIN,
            help=(
                "Remind about deadlines passed at most this many days ago "
                "(default: %(default)s)."
            ),
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD); with --dry-run "
            "to see what a given day will send.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be sent; send and record nothing.",
        )

    def handle(self, *args, days, overdue_within, today, dry_run, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        if overdue_within < 0:
            raise CommandError("--overdue-within must be 0 or more.")
        due = reminders.due_reminders(
            today=today or timezone.localdate(),
            days_before=days,
            overdue_within=overdue_within,
        )
        sent = skipped = failed = 0
        connection = None if dry_run else reminders.open_connection()
        for reminder in due:
            if not reminder.recipients:
                skipped += 1
                self.stderr.write(
                    f"No editor with an e-mail address, not sent: {reminder}"
                )
                continue
            addresses = ", ".join(user.email for user in reminder.recipients)
            if dry_run:
                self.stdout.write(f"Would send to {addresses}: {reminder}")
                continue
            try:
                if reminders.send(reminder, connection=connection):
                    sent += 1
                    self.stdout.write(f"Sent to {addresses}: {reminder}")
            except Exception as exc:  # noqa: BLE001 - report, go on with the rest
                failed += 1
                self.stderr.write(
                    f"Failed, will retry on the next run: {reminder}: {exc}"
                )
        if dry_run:
            self.stdout.write(
                f"Dry run: {len(due) - skipped} reminder(s) would be sent, "
                f"{skipped} without recipients; nothing sent or recorded."
            )
        else:
            self.stdout.write(
                f"{sent} reminder(s) sent, {skipped} without recipients, "
                f"{failed} failed."
            )
        if failed:
            raise CommandError(f"{failed} reminder(s) could not be sent.")
