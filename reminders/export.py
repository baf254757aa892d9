"""The reminders app's part of a patient's copy of the record (records/export.py).

Contact choices, appointments and reminders; the structure is documented in
records/export.py. Reminder texts are not stored, so not exported.
"""

from django.utils.translation import gettext

from .models import Appointment, CarerContactPreference, ContactPreference, Reminder


def _name(user):
    return str(user) if user is not None else None


def contact_preference_export(patient):
    pref = (
        ContactPreference.objects.filter(patient=patient)
        .select_related("consent_recorded_by")
        .first()
    )
    if pref is None:
        return None
    return {
        "channel": pref.channel,
        "channel_label": pref.get_channel_display(),
        "phone": pref.phone,
        "email": pref.email,
        "consent_to_reminders": pref.consent_to_reminders,
        "consent_recorded_at": pref.consent_recorded_at,
        "consent_recorded_by": _name(pref.consent_recorded_by),
        "opted_out_at": pref.opted_out_at,
        "updated_at": pref.updated_at,
    }


def carer_reminders_export(patient):
    """Each carer's own choice about appointment reminders, by carer id."""
    return {
        pref.carer_id: {
            "channel": pref.channel,
            "channel_label": pref.get_channel_display(),
            "consent_to_reminders": pref.consent_to_reminders,
            "opted_out_at": pref.opted_out_at,
        }
        for pref in CarerContactPreference.objects.filter(carer__patient=patient)
    }


def appointments_export(patient):
    """Every appointment booked for the patient, moved and cancelled ones too."""
    rows = (
        Appointment.objects.filter(patient=patient)
        .select_related("created_by")
        .order_by("starts_at", "id")
    )
    return [
        {
            "starts_at": row.starts_at,
            "status": "cancelled" if row.cancelled_at else "booked",
            "status_label": gettext("Cancelled") if row.cancelled_at else gettext("Booked"),
            "cancelled_at": row.cancelled_at,
            "created_by": _name(row.created_by),
            "created_at": row.created_at,
        }
        for row in rows
    ]


def reminders_export(patient):
    rows = (
        Reminder.objects.filter(patient=patient)
        .select_related("carer", "user")
        .order_by("due_at", "id")
    )
    result = []
    for row in rows:
        if row.carer is not None:
            recipient, name = "carer", row.carer.full_name
        elif row.user_id:
            recipient, name = "staff", _name(row.user)
        else:
            recipient, name = "patient", None
        result.append(
            {
                "kind": row.kind,
                "kind_label": row.get_kind_display(),
                "recipient": recipient,
                "recipient_name": name,
                "channel": row.channel,
                "channel_label": row.get_channel_display(),
                "event_at": row.event_at,
                "due_at": row.due_at,
                "status": row.status,
                "status_label": row.get_status_display(),
                "sent_at": row.sent_at,
            }
        )
    return result
