"""How far ahead a date may be planned: appointments and actions' due dates.

A typo in a year (9999 for 2027) must not queue a reminder for a date no one
will see, nor ask a patient to act by then. A DIALOG+ plan runs six sessions
over up to a year, so anything later than a year and a day ahead is refused
with a message, in the forms (before anything is saved) and again in the
services that write the rows.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DAYS_AHEAD = 366

APPOINTMENT_IN_PAST = _("The next appointment must be in the future.")
TOO_FAR_AHEAD = _("Choose a date within a year from today.")
DUE_IN_PAST = _("The due date cannot be in the past.")


def latest_plannable_date(today=None):
    return (today or timezone.localdate()) + timedelta(days=DAYS_AHEAD)


def check_appointment_time(when, *, now=None):
    """Refuse an appointment time in the past, or on a day (on the current
    clock, the clinic's in a request) more than a year ahead."""
    now = now or timezone.now()
    if when <= now:
        raise ValidationError(APPOINTMENT_IN_PAST, code="appointment_in_past")
    if timezone.localdate(when) > latest_plannable_date(timezone.localdate(now)):
        raise ValidationError(TOO_FAR_AHEAD, code="too_far_ahead")


def check_due_date(due, *, today=None):
    """Refuse a due date in the past or more than a year ahead."""
    today = today or timezone.localdate()
    if due < today:
        raise ValidationError(DUE_IN_PAST, code="due_in_past")
    if due > latest_plannable_date(today):
        raise ValidationError(TOO_FAR_AHEAD, code="too_far_ahead")
