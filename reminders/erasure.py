"""The reminders app's part of erasure (records/erasure.py).

No address is left and nothing pending goes out: contact details are wiped,
consent withdrawn, queued reminders cancelled and upcoming appointments
cancelled (no session can be started any more, so nobody is expected).
"""

from dialogplus.erasing import admin_log_rename, history_rows

from .models import Appointment, CarerContactPreference, ContactChannel, ContactPreference, Reminder
from .services import appointment_cancel

# Why a pending reminder did not go out (the admin's delivery page shows it).
CANCEL_REASON = "patient pseudonymised"

_PENDING = [Reminder.Status.QUEUED, Reminder.Status.SENDING]


def pending_reminders_count(patient):
    return Reminder.objects.filter(patient=patient, status__in=_PENDING).count()


def upcoming_appointments(patient, *, now):
    return Appointment.objects.filter(patient=patient, cancelled_at__isnull=True, starts_at__gt=now)


def reminders_pseudonymise(*, patient, by, now, carers):
    """Wipe the patient's and the ``carers``' (ids) reminder contact and consent."""
    # A reminder a worker holds locked while sending waits for it and is
    # skipped once sent.
    pref = ContactPreference.objects.select_for_update().filter(patient=patient).first()
    if pref is not None:
        pref.email = ""
        pref.phone = ""
        pref.channel = ContactChannel.NONE
        pref.consent_to_reminders = False
        pref.consent_recorded_at = now
        pref.consent_recorded_by = by
        pref.opted_out_at = pref.opted_out_at or now
        pref.save()
        if hasattr(ContactPreference, "history"):
            history_rows(ContactPreference).filter(patient_id=patient.pk).update(email="", phone="")
    for carer_pref in CarerContactPreference.objects.filter(carer__patient=patient):
        carer_pref.channel = ContactChannel.NONE
        carer_pref.consent_to_reminders = False
        carer_pref.consent_recorded_at = now
        carer_pref.consent_recorded_by = by
        carer_pref.opted_out_at = carer_pref.opted_out_at or now
        carer_pref.save()
    Reminder.objects.filter(patient=patient, status__in=_PENDING).update(
        status=Reminder.Status.CANCELLED, last_error=CANCEL_REASON, updated_at=now
    )
    for appointment in upcoming_appointments(patient, now=now):
        appointment_cancel(appointment=appointment, now=now)
    # The admin log names these rows after the patient or the carer.
    for model, rows in [
        (ContactPreference, ContactPreference.objects.filter(patient=patient)),
        (Appointment, Appointment.objects.filter(patient=patient)),
        (CarerContactPreference, CarerContactPreference.objects.filter(carer_id__in=carers)),
    ]:
        rows = rows.select_related("carer" if model is CarerContactPreference else "patient")
        admin_log_rename(model, {row.pk: row for row in rows})
