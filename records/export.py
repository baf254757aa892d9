"""A patient's whole record, for the patient: a data file (JSON) and a readable PDF.

``record_export(patient, exported_by=...)`` gathers everything the app keeps
about one patient into plain Python values (each app exports its own rows:
``patients.export``, ``sessions_app.export``, ``reminders.export``,
``audit.export``), in the patient's language; the
JSON download is that structure, and the PDF (templates/patients/records/
export_pdf.html) shows the same structure, so the two never disagree. It reads
with a fixed number of queries however long the history is (no query per
session, area or action), and nothing in it is reached except through the
patient, so nothing of another patient can slip in.

JSON structure (version 1). Times are ISO 8601 in UTC ("2025-03-01T09:30:00Z"),
dates "2025-03-01"; ``*_label`` fields repeat a code in the patient's language.
A missing value is ``null``; lists are empty rather than missing::

    {
      "format": "dialogplus-record", "format_version": 1,
      "exported_at", "exported_by": {"name", "role"}, "language",
      "clinic": {"name", "country", "time_zone", "record_retention_years"},
      "patient": {"code", "full_name", "language", "key_clinician",
                  "planned_sessions", "session_interval_days",
                  "registered_at", "updated_at", "pseudonymised_at"},
      "contact_preference": null | {"channel", "channel_label", "phone", "email",
                  "consent_to_reminders", "consent_recorded_at",
                  "consent_recorded_by", "opted_out_at", "updated_at"},
      "carers": [{"full_name", "relationship", "email", "phone", "language",
                  "has_account", "invited_at", "share_summaries", "share_ratings",
                  "consent_recorded_at", "consent_recorded_by", "consent_withdrawn_at",
                  "reminders": null | {"channel", "channel_label", "consent_to_reminders",
                                       "opted_out_at"},
                  "consent_history": [{"at", "by", "change", "share_summaries",
                                       "share_ratings", "consent_withdrawn_at"}]}],
      "sessions": [{"number", "code", "status", "status_label", "started_at",
                    "ended_at", "clinician", "attendance", "attendance_label",
                    "attendance_note", "next_appointment", "scale_version",
                    "ratings": [{"domain_key", "domain", "value", "needs_help"}],
                    "chosen_areas": [{"domain_key", "domain", "think_it_over",
                        "steps": [{"number", "title", "note"}],
                        "actions": [{"text", "owner", "owner_label", "owner_name",
                                     "carer", "due_date", "agreed_at",
                                     "reviews": [{"status", "status_label",
                                         "comment", "session_number"}]}]}]}],
      "appointments": [{"starts_at", "status", "status_label", "cancelled_at",
                        "created_by", "created_at"}],
      "reminders": [{"kind", "kind_label", "recipient", "recipient_name", "channel",
                     "channel_label", "event_at", "due_at", "status",
                     "status_label", "sent_at"}],
      "access_log": [{"at", "who", "role", "role_label", "what", "what_label",
                      "session_number"}]
    }

``value`` is a rating from 1 to 7 (null: skipped); ``needs_help`` is the answer
to "Do you need more help in this area?" (null: not asked or skipped). The
codes: session ``status`` in_progress|completed|abandoned; ``attendance``
alone|with_carer|other; action ``owner`` patient|clinician|carer|other; review
``status`` done|partly|not_done|not_relevant (empty: not answered); reminder
``status`` queued|sending|sent|failed|cancelled and ``recipient``
patient|carer|staff; appointment ``status`` booked|cancelled (a moved
appointment is cancelled and a new one booked); access log ``what`` as
``audit.models.AccessLog.Kind``. A carer's ``reminders`` is their own choice
about appointment reminders (null: none recorded).
Reminder texts are not stored, so not exported; a carer's consent history
holds only the consent fields of each change, never earlier names.
"""

import json
from zoneinfo import ZoneInfo

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation

from accounts.selectors import role_label_in_clinic
from audit.export import access_log_export
from patients.export import carers_export, patient_export
from reminders.export import (
    appointments_export,
    carer_reminders_export,
    contact_preference_export,
    reminders_export,
)
from sessions_app.export import sessions_export

FORMAT_NAME = "dialogplus-record"
FORMAT_VERSION = 1


def _clinic(clinic):
    return {
        "name": clinic.name,
        "country": clinic.country,
        "time_zone": clinic.time_zone,
        "record_retention_years": clinic.record_retention_years,
    }


def record_export(patient, *, exported_by, now=None):
    """Everything kept about ``patient``, as JSON-ready values in their language.

    ``patient`` comes from a selector that checked the user may export it
    (``patient_get_for_records``); ``exported_by`` is that user.
    """
    now = now or timezone.now()
    with translation.override(patient.language):
        sessions = sessions_export(patient)
        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "exported_at": now,
            "exported_by": {
                "name": str(exported_by),
                "role": role_label_in_clinic(exported_by, patient.clinic),
            },
            "language": patient.language,
            "clinic": _clinic(patient.clinic),
            "patient": patient_export(patient),
            "contact_preference": contact_preference_export(patient),
            "carers": carers_export(patient, reminders=carer_reminders_export(patient)),
            "sessions": sessions,
            "appointments": appointments_export(patient),
            "reminders": reminders_export(patient),
            "access_log": access_log_export(
                patient, session_numbers={s["code"]: s["number"] for s in sessions}
            ),
        }


def record_json(record):
    """The export as UTF-8 JSON text (Cyrillic kept readable, not escaped)."""
    return json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def export_filename(patient, extension, *, now=None):
    """``dialogplus-record-<code>-<date>.<ext>``: the code, never the name, and
    the date on the clinic's calendar."""
    now = now or timezone.now()
    day = timezone.localdate(now, timezone=ZoneInfo(patient.clinic.time_zone))
    return f"dialogplus-record-{patient.code}-{day.isoformat()}.{extension}"
