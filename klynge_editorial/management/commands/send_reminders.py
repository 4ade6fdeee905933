from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from klynge_editorial import reminders

# Every message is Danish, through Django's i18n like the rest of the site.
# The options are read as text and checked here, so that a bad value gets a
# Danish error rather than argparse's English one.


def _whole_number(value, option):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise CommandError(
            _("%(option)s skal være et helt tal, 0 eller mere (ikke “%(value)s”).")
            % {"option": option, "value": value}
        )
    return number


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--today skal være en dato som ÅÅÅÅ-MM-DD (ikke “%(value)s”).")
            % {"value": value}
        ) from None


class Command(BaseCommand):
    help = gettext_lazy(
        "Sender en e-mail til hver klynges redaktører nogle dage før en frist "
        "for dagsorden eller referat og igen, når fristen er overskredet. Hver "
        "påmindelse registreres og sendes aldrig to gange, så kommandoen kan "
        "køre fra cron så tit, det skal være."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            default=str(reminders.DEFAULT_DAYS_BEFORE),
            help=gettext_lazy(
                "Mind om en frist så mange dage før (standard: %(default)s)."
            ),
        )
        parser.add_argument(
            "--overdue-within",
            default=str(reminders.DEFAULT_OVERDUE_WITHIN),
            help=gettext_lazy(
                "Mind om frister, der højst er overskredet for så mange dage "
                "siden (standard: %(default)s)."
            ),
        )
        parser.add_argument(
            "--today",
            default=None,
            help=gettext_lazy(
                "Gør, som om det i dag var denne dato (ÅÅÅÅ-MM-DD); med "
                "--dry-run ses, hvad en given dag vil sende."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy(
                "Vis, hvad der ville blive sendt; send og registrér intet."
            ),
        )

    def handle(self, *args, days, overdue_within, today, dry_run, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self.run(
                days=_whole_number(days, "--days"),
                overdue_within=_whole_number(overdue_within, "--overdue-within"),
                today=_day(today) if today is not None else timezone.localdate(),
                dry_run=dry_run,
            )

    def run(self, *, days, overdue_within, today, dry_run):
        due = reminders.due_reminders(
            today=today, days_before=days, overdue_within=overdue_within
        )
        sent = skipped = failed = 0
        connection = None if dry_run else reminders.open_connection()
        for reminder in due:
            if not reminder.recipients:
                skipped += 1
                self.stderr.write(
                    _("Ingen redaktør med e-mailadresse, ikke sendt: %(reminder)s")
                    % {"reminder": reminder}
                )
                continue
            addresses = ", ".join(user.email for user in reminder.recipients)
            if dry_run:
                self.stdout.write(
                    _("Ville sende til %(addresses)s: %(reminder)s")
                    % {"addresses": addresses, "reminder": reminder}
                )
                continue
            try:
                if reminders.send(reminder, connection=connection):
                    sent += 1
                    self.stdout.write(
                        _("Sendt til %(addresses)s: %(reminder)s")
                        % {"addresses": addresses, "reminder": reminder}
                    )
            except Exception as exc:  # noqa: BLE001 - report, go on with the rest
                failed += 1
                self.stderr.write(
                    _("Fejlede, prøves igen ved næste kørsel: %(reminder)s: %(error)s")
                    % {"reminder": reminder, "error": exc}
                )
        counts = {"count": len(due) - skipped, "skipped": skipped}
        if dry_run:
            self.stdout.write(
                ngettext(
                    "Prøvekørsel: %(count)d påmindelse ville blive sendt, "
                    "%(skipped)d uden modtagere; intet er sendt eller registreret.",
                    "Prøvekørsel: %(count)d påmindelser ville blive sendt, "
                    "%(skipped)d uden modtagere; intet er sendt eller registreret.",
                    counts["count"],
                )
                % counts
            )
        else:
            self.stdout.write(
                ngettext(
                    "%(sent)d påmindelse sendt, %(skipped)d uden modtagere, "
                    "%(failed)d fejlede.",
                    "%(sent)d påmindelser sendt, %(skipped)d uden modtagere, "
                    "%(failed)d fejlede.",
                    sent,
                )
                % {"sent": sent, "skipped": skipped, "failed": failed}
            )
        if failed:
            raise CommandError(
                ngettext(
                    "%(failed)d påmindelse kunne ikke sendes.",
                    "%(failed)d påmindelser kunne ikke sendes.",
                    failed,
                )
                % {"failed": failed}
            )
