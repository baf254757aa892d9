"""A patient's whole record, for the patient: a data file (JSON) and a readable PDF.

``record_export(patient, exported_by=...)`` gathers everything the app keeps
about one patient into plain Python values, in the patient's language; the
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
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Membership
from audit.models import AccessLog
from reminders.models import Appointment, CarerContactPreference, ContactPreference, Reminder
from sessions_app.models import (
    Action,
    ActionReview,
    DialogSession,
    Rating,
    SelectedArea,
    StepNote,
)

from .models import Carer
from .selectors import sorted_carers

FORMAT_NAME = "dialogplus-record"
FORMAT_VERSION = 1

# The carer fields whose change is a change of consent.
CONSENT_FIELDS = ("share_summaries", "share_ratings", "consent_withdrawn_at")


def _name(user):
    if user is None:
        return None
    return user.full_name or user.email


def _role_label(user, clinic):
    role = (
        Membership.objects.filter(user=user, clinic=clinic, is_active=True)
        .values_list("role", flat=True)
        .first()
    )
    return str(dict(Membership.Role.choices).get(role, "")) if role else ""


def _clinic(clinic):
    return {
        "name": clinic.name,
        "country": clinic.country,
        "time_zone": clinic.time_zone,
        "record_retention_years": clinic.record_retention_years,
    }


def _patient(patient):
    return {
        "code": patient.code,
        "full_name": patient.full_name,
        "language": patient.language,
        "key_clinician": _name(patient.key_clinician),
        "planned_sessions": patient.planned_sessions,
        "session_interval_days": patient.session_interval_days,
        "registered_at": patient.created_at,
        "updated_at": patient.updated_at,
        "pseudonymised_at": patient.pseudonymised_at,
    }


def _contact(patient):
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


def _consent_history(rows):
    """The history rows of one carer, oldest first, reduced to consent changes."""
    changes = []
    previous = None
    for row in rows:
        state = {name: getattr(row, name) for name in CONSENT_FIELDS}
        if previous is None or state != previous:
            changes.append(
                {
                    "at": row.history_date,
                    # Who recorded the consent; who saved the row if nobody did.
                    "by": _name(row.consent_recorded_by or row.history_user),
                    "change": "recorded" if previous is None else "changed",
                    **state,
                }
            )
        previous = state
    return changes


def _carer_reminders(carer):
    try:
        pref = carer.reminder_preference
    except CarerContactPreference.DoesNotExist:
        return None
    return {
        "channel": pref.channel,
        "channel_label": pref.get_channel_display(),
        "consent_to_reminders": pref.consent_to_reminders,
        "opted_out_at": pref.opted_out_at,
    }


def _carers(patient):
    carers = sorted_carers(
        Carer.objects.filter(patient=patient).select_related(
            "consent_recorded_by", "reminder_preference"
        )
    )
    history = defaultdict(list)
    for row in (
        Carer.history.model.objects.filter(patient_id=patient.pk)
        .select_related("consent_recorded_by", "history_user")
        .order_by("history_date", "history_id")
    ):
        history[row.id].append(row)
    return [
        {
            "full_name": carer.full_name,
            "relationship": carer.relationship,
            "email": carer.email,
            "phone": carer.phone,
            "language": carer.language,
            "has_account": carer.user_id is not None,
            "invited_at": carer.invited_at,
            "share_summaries": carer.share_summaries,
            "share_ratings": carer.share_ratings,
            "consent_recorded_at": carer.consent_recorded_at,
            "consent_recorded_by": _name(carer.consent_recorded_by),
            "consent_withdrawn_at": carer.consent_withdrawn_at,
            "reminders": _carer_reminders(carer),
            "consent_history": _consent_history(history[carer.pk]),
        }
        for carer in carers
    ]


def _sessions_queryset(patient):
    """Every session with everything in it, in nine queries however many there are."""
    # An action not done is reviewed again at each following session: all of them.
    reviews = ActionReview.objects.select_related("session").order_by("session__number")
    actions = (
        Action.objects.select_related("carer")
        .prefetch_related(Prefetch("reviews", reviews))
        .order_by("created_at", "id")
    )
    areas = (
        SelectedArea.objects.select_related("domain")
        .prefetch_related(
            Prefetch("notes", StepNote.objects.order_by("step")),
            Prefetch("actions", actions),
        )
        .order_by("position", "id")
    )
    return (
        DialogSession.objects.filter(patient=patient)
        .select_related("clinician", "scale_version")
        .prefetch_related(
            Prefetch(
                "ratings", Rating.objects.select_related("domain").order_by("domain__position")
            ),
            Prefetch("areas", areas),
            "scale_version__steps",
        )
        .order_by("number")
    )


def _action(action):
    return {
        "text": action.text,
        "owner": action.owner,
        "owner_label": action.get_owner_display(),
        "owner_name": action.owner_name,
        "carer": action.carer.full_name if action.carer_id else None,
        "due_date": action.due_date,
        "agreed_at": action.created_at,
        "reviews": [
            {
                "status": review.status,
                "status_label": review.get_status_display() if review.status else "",
                "comment": review.comment,
                "session_number": review.session.number,
            }
            for review in action.reviews.all()
        ],
    }


def _area(area, step_titles):
    notes = {note.step: note.text for note in area.notes.all()}
    return {
        "domain_key": area.domain.key,
        "domain": area.domain.short_name,
        "think_it_over": area.think_it_over,
        "steps": [
            {"number": number, "title": step_titles.get(number, ""), "note": notes.get(number, "")}
            for number in range(1, 5)
        ],
        "actions": [_action(action) for action in area.actions.all()],
    }


def _session(session):
    step_titles = {step.number: step.title for step in session.scale_version.steps.all()}
    return {
        "number": session.number,
        "code": session.code,
        "status": session.status,
        "status_label": session.get_status_display(),
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "clinician": _name(session.clinician),
        "attendance": session.attendance,
        "attendance_label": session.get_attendance_display(),
        "attendance_note": session.attendance_note,
        "next_appointment": session.next_appointment,
        "scale_version": session.scale_version.number,
        "ratings": [
            {
                "domain_key": rating.domain.key,
                "domain": rating.domain.short_name,
                "value": rating.value,
                "needs_help": rating.needs_help,
            }
            for rating in session.ratings.all()
        ],
        "chosen_areas": [_area(area, step_titles) for area in session.areas.all()],
    }


def _appointments(patient):
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


def _reminders(patient):
    rows = (
        Reminder.objects.filter(patient=patient)
        .select_related("carer", "user")
        .order_by("due_at", "id")
    )
    result = []
    for row in rows:
        if row.carer_id:
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


def _access_log(patient, session_numbers):
    return [
        {
            "at": row.at,
            "who": row.user_name,
            "role": row.role,
            "role_label": row.get_role_display(),
            "what": row.kind,
            "what_label": row.get_kind_display(),
            "session_number": session_numbers.get(row.session_code),
        }
        for row in AccessLog.objects.filter(patient=patient).order_by("at", "id")
    ]


def record_export(patient, *, exported_by, now=None):
    """Everything kept about ``patient``, as JSON-ready values in their language.

    ``patient`` comes from a selector that checked the user may export it
    (``patient_get_for_records``); ``exported_by`` is that user.
    """
    now = now or timezone.now()
    with translation.override(patient.language):
        sessions = [_session(session) for session in _sessions_queryset(patient)]
        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "exported_at": now,
            "exported_by": {
                "name": _name(exported_by),
                "role": _role_label(exported_by, patient.clinic),
            },
            "language": patient.language,
            "clinic": _clinic(patient.clinic),
            "patient": _patient(patient),
            "contact_preference": _contact(patient),
            "carers": _carers(patient),
            "sessions": sessions,
            "appointments": _appointments(patient),
            "reminders": _reminders(patient),
            "access_log": _access_log(patient, {s["code"]: s["number"] for s in sessions}),
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
