"""The record of deadline reminders sent, so that none is sent twice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .deadlines import DeadlineKind


class DeadlineReminder(models.Model):
    """One reminder about one deadline (the agenda or the minutes of a
    meeting): sent by `send_reminders` a few days before it or once it has
    passed, or sent by someone from the admin ("Send påmindelse").

    An automatic reminder is sent once per stage; the deadline date is part
    of its identity: a meeting moved to another day has a new deadline, which
    gets reminders of its own. Reminders sent from the admin may repeat.
    """

    class Kind(models.TextChoices):
        AGENDA = DeadlineKind.AGENDA, DeadlineKind.LABELS[DeadlineKind.AGENDA]
        MINUTES = DeadlineKind.MINUTES, DeadlineKind.LABELS[DeadlineKind.MINUTES]

    class Stage(models.TextChoices):
        UPCOMING = "foer", _("Før fristen")
        OVERDUE = "overskredet", _("Fristen er overskredet")
        MANUAL = "manuel", _("Sendt fra administrationen")

    cluster = models.ForeignKey(
        "klynge_pages.ClusterPage",
        verbose_name=_("klynge"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "klynge_pages.MeetingPage",
        verbose_name=_("møde"),
        on_delete=models.CASCADE,
        related_name="deadline_reminders",
    )
    kind = models.CharField(_("frist for"), max_length=16, choices=Kind.choices)
    stage = models.CharField(_("påmindelse"), max_length=16, choices=Stage.choices)
    deadline = models.DateField(_("frist"))
    recipients = models.TextField(
        _("modtagere"), help_text=_("E-mailadresser, én pr. linje.")
    )
    sent_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    # Empty for the automatic reminders of `send_reminders`.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sendt af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("påmindelse om frist")
        verbose_name_plural = _("påmindelser om frister")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "stage", "deadline"],
                condition=~Q(stage="manuel"),
                name="klynge_editorial_one_reminder_per_deadline_stage",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.deadline} ({self.get_stage_display()})"

    @property
    def kind_label(self):
        return self.get_kind_display()

    @property
    def stage_label(self):
        return self.get_stage_display()

    @property
    def recipients_text(self):
        return ", ".join(self.recipient_list)

    @property
    def recipient_list(self):
        return [line for line in self.recipients.splitlines() if line]

    @property
    def sender_name(self):
        """Who sent it: a name, or "Automatisk" for `send_reminders`."""
        if self.sent_by is None:
            return str(_("Automatisk"))
        return self.sent_by.get_full_name() or self.sent_by.get_username()
