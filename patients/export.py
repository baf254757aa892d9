"""The patients app's part of a patient's copy of the record (records/export.py).

Plain, JSON-ready values; the structure is documented in records/export.py.
"""

from collections import defaultdict

from .models import Carer
from .selectors import sorted_carers

# The carer fields whose change is a change of consent.
CONSENT_FIELDS = ("share_summaries", "share_ratings", "consent_withdrawn_at")


def _name(user):
    return str(user) if user is not None else None


def patient_export(patient):
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


def carers_export(patient, *, reminders):
    """The patient's carers; ``reminders`` maps a carer's id to their reminder choice."""
    carers = sorted_carers(
        Carer.objects.filter(patient=patient).select_related("consent_recorded_by")
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
            "reminders": reminders.get(carer.pk),
            "consent_history": _consent_history(history[carer.pk]),
        }
        for carer in carers
    ]
