"""Appointments and reminders: writes and rules (see the modules' docstrings).

* timing: when a reminder is due (wall clock, DST, quiet hours);
* scheduling: appointments and the reminder rows they need, the daily agenda;
* sending: claiming due rows and sending each exactly once;
* contacts: patients' and carers' contact details, consent and opt-out.
"""

from .contacts import carer_preference_save, contact_preference_save, opt_out_record
from .scheduling import (
    ACTION_REMINDER_HOUR,
    agenda_reminders_schedule,
    appointment_cancel,
    appointment_set,
    appointment_upcoming,
    reminders_schedule_for_appointment,
    reminders_schedule_for_patient,
    reminders_schedule_for_session,
)
from .sending import (
    message_id_for,
    reminder_retry,
    reminder_send,
    reminders_claim_due,
    reminders_release,
)
from .timing import MIN_NOTICE, agenda_due_at, reminder_due_at

__all__ = [
    "ACTION_REMINDER_HOUR",
    "MIN_NOTICE",
    "agenda_due_at",
    "agenda_reminders_schedule",
    "appointment_cancel",
    "appointment_set",
    "appointment_upcoming",
    "carer_preference_save",
    "contact_preference_save",
    "message_id_for",
    "opt_out_record",
    "reminder_due_at",
    "reminder_retry",
    "reminder_send",
    "reminders_claim_due",
    "reminders_release",
    "reminders_schedule_for_appointment",
    "reminders_schedule_for_patient",
    "reminders_schedule_for_session",
]
