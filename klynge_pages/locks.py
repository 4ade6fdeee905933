"""The lock of a meeting whose agenda is in "Dagsordensgodkendelse", in the
words of the editor who sent it. (Minutes in sign-off have their own lock,
signoff.SignOffLock.)"""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.locks import WorkflowLock


class AgendaReviewLock(WorkflowLock):
    """Wagtail's workflow lock (only the step's reviewers edit), saying why
    and what happens next."""

    def get_message(self, user):
        if not self.for_user(user):
            return super().get_message(user)
        state = self.object.current_workflow_state
        return format_html(
            "{} {}",
            _("Mødet afventer „%(task)s“ i „%(workflow)s“.")
            % {
                "task": self.task.name,
                "workflow": state.workflow.name if state else "",
            },
            _(
                "Kun de, der godkender dette trin, kan ændre det imens. Hjemmesiden "
                "viser mødet, som det var, indtil dagsordenen er godkendt; bliver "
                "der bedt om rettelser, får du mødet tilbage med en kommentar."
            ),
        )

    def get_locked_by(self, user, can_lock=False):
        if can_lock:
            return super().get_locked_by(user, can_lock)
        return _("Låst under dagsordensgodkendelse")
