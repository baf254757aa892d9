"""Move the next appointments out of the sessions into ``Appointment`` rows.

Each completed session's ``next_appointment`` becomes an appointment agreed at
that session. A patient's upcoming appointment was the one on their latest
completed session, so any other appointment still ahead is marked cancelled
(it had been replaced). Every reminder that pointed at a session now points at
the appointment it was about; one whose appointment had since been moved gets
a cancelled appointment at the time it named, so the delivery page keeps its
history. Contact preferences get the stored half of their opt-out link.
"""

import base64
import secrets

from django.db import migrations
from django.utils import timezone


def _opt_out_key():
    return base64.urlsafe_b64encode(secrets.token_bytes(6)).decode()


def forwards(apps, schema_editor):
    appointment_model = apps.get_model("reminders", "Appointment")
    reminder_model = apps.get_model("reminders", "Reminder")
    preference_model = apps.get_model("reminders", "ContactPreference")
    session_model = apps.get_model("sessions_app", "DialogSession")
    now = timezone.now()

    sessions = (
        session_model.objects.filter(status="completed", next_appointment__isnull=False)
        .order_by("patient_id", "number")
        .values_list(
            "id", "patient_id", "patient__clinic_id", "clinician_id", "ended_at", "next_appointment"
        )
    )
    by_session = {}
    for session_id, patient_id, clinic_id, clinician_id, ended_at, starts_at in sessions:
        appointment, _created = appointment_model.objects.get_or_create(
            patient_id=patient_id,
            starts_at=starts_at,
            cancelled_at=None,
            defaults={
                "clinic_id": clinic_id,
                "session_id": session_id,
                "created_by_id": clinician_id,
                "created_at": ended_at or now,
            },
        )
        by_session[session_id] = appointment

    latest = {}
    for patient_id, session_id in (
        session_model.objects.filter(status="completed")
        .order_by("patient_id", "number")
        .values_list("patient_id", "id")
    ):
        latest[patient_id] = session_id
    for appointment in appointment_model.objects.filter(
        cancelled_at__isnull=True, starts_at__gt=now
    ):
        if latest.get(appointment.patient_id) != appointment.session_id:
            appointment.cancelled_at = now
            appointment.save(update_fields=["cancelled_at"])

    moved = {}
    for reminder in reminder_model.objects.filter(session__isnull=False).select_related("session"):
        appointment = by_session.get(reminder.session_id)
        if appointment is None or appointment.starts_at != reminder.event_at:
            key = (reminder.session_id, reminder.event_at)
            if key not in moved:
                moved[key] = appointment_model.objects.create(
                    clinic_id=reminder.clinic_id,
                    patient_id=reminder.patient_id,
                    session_id=reminder.session_id,
                    starts_at=reminder.event_at,
                    created_by_id=reminder.session.clinician_id,
                    created_at=reminder.created_at,
                    cancelled_at=reminder.updated_at,
                )
            appointment = moved[key]
        reminder.appointment = appointment
        reminder.save(update_fields=["appointment"])

    for preference in preference_model.objects.filter(opt_out_key__isnull=True).only("pk"):
        preference.opt_out_key = _opt_out_key()
        preference.save(update_fields=["opt_out_key"])


def backwards(apps, schema_editor):
    reminder_model = apps.get_model("reminders", "Reminder")
    # Rows with no session to go back to (the daily agenda, an appointment set
    # outside a session) cannot exist before this migration.
    reminder_model.objects.filter(action__isnull=True, appointment__session__isnull=True).delete()
    for reminder in reminder_model.objects.filter(appointment__isnull=False).select_related(
        "appointment"
    ):
        reminder.session_id = reminder.appointment.session_id
        reminder.save(update_fields=["session"])


class Migration(migrations.Migration):
    dependencies = [("reminders", "0003_appointment_carer_preference")]

    operations = [migrations.RunPython(forwards, backwards)]
