"""Names and choices that several modules of klynge_pages share: the groups
and workflows sharing.py keeps, the sign-off modes, the attendance and roles
of the people at a meeting. Imports nothing of this package, so that the
models, forms, permissions and sharing all import it at module level."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Groups and workflows (kept by sharing.py) ------------------------------

EDITORS_SUFFIX = _("Redaktører")
APPROVERS_SUFFIX = _("Godkendere")
SECRETARIAT_GROUP = "Sekretariat"

MINUTES_WORKFLOW = "Referatgodkendelse"
AGENDA_WORKFLOW = "Dagsordensgodkendelse"
SECRETARIAT_REVIEW_TASK = "Sekretariatets gennemsyn"
SIGNOFF_TASK = "Klyngens godkendelse"


# --- Sign-off ---------------------------------------------------------------


class SignOffMode(models.TextChoices):
    SINGLE = "samlet", _("Én godkendelse fra klyngens godkendere")
    PER_ORGANISATION = "pr_organisation", _("Én godkendelse pr. medlemsorganisation")


# --- People at a meeting ----------------------------------------------------


class Attendance(models.TextChoices):
    # Invited to a meeting that has not been held (the next meeting, see
    # klynge_pages.next_meeting): nobody has attended yet.
    INVITED = "indkaldt", _("Indkaldt")
    PRESENT = "deltog", _("Deltog")
    APOLOGIES = "afbud", _("Afbud")
    AD_HOC = "ad_hoc", _("Ad hoc/gæst")


class ParticipantRole(models.TextChoices):
    CHAIR = "formand", _("Mødeleder")
    MEMBER = "medlem", _("Medlem")
    SECRETARIAT = "sekretariat", _("Sekretariat")
    GUEST = "gaest", _("Gæst")
