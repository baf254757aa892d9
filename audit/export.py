"""The audit app's part of a patient's copy of the record: who opened it."""

from .models import AccessLog


def access_log_export(patient, *, session_numbers):
    """Every access, oldest first; ``session_numbers`` maps session codes to numbers."""
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
