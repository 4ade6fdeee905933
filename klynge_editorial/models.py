"""The record of deadline reminders sent, so that none is sent twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .deadlines import DeadlineKind


class DeadlineReminder(models.Model):
    """One reminder about one deadline (the agenda or the minutes of a
    meeting) at one stage: a few days before it, or once it has passed.

    The deadline date is part of the identity: a meeting moved to another day
    has a new deadline, which gets reminders of its own.
    """

    class Kind(models.TextChoices):
        AGENDA = DeadlineKind.AGENDA, DeadlineKind.LABELS[DeadlineKind.AGENDA]
        MINUTES = DeadlineKind.MINUTES, DeadlineKind.LABELS[DeadlineKind.MINUTES]

    class Stage(models.TextChoices):
        UPCOMING = "foer", _("Før fristen")
        OVERDUE = "overskredet", _("Fristen er overskredet")

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

    class Meta:
        verbose_name = _("påmindelse om frist")
        verbose_name_plural = _("påmindelser om frister")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "stage", "deadline"],
                name="klynge_editorial_one_reminder_per_deadline_stage",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.deadline} ({self.get_stage_display()})"
