"""Writing the access log. Views call ``log_access``; nothing else writes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accounts.models import Membership
from accounts.selectors import membership_for_user

from .models import AccessLog

if TYPE_CHECKING:
    from accounts.models import User


def _role_of(user: User, clinic_id: int) -> str:
    if user.is_superuser:
        return AccessLog.Role.SUPERUSER
    # The request already loaded the user's membership (middleware): when it is
    # in the patient's clinic, or there is none at all (a carer), it answers
    # without a query, so logging a page costs one INSERT and nothing else.
    current = membership_for_user(user)
    if current is None:
        membership = None
    elif current.clinic_id == clinic_id:
        membership = current.role
    else:
        membership = (
            Membership.objects.filter(user=user, clinic_id=clinic_id, is_active=True)
            .values_list("role", flat=True)
            .first()
        )
    if membership == Membership.Role.ADMIN:
        return AccessLog.Role.ADMIN
    if membership == Membership.Role.CLINICIAN:
        return AccessLog.Role.CLINICIAN
    return AccessLog.Role.CARER


# Patients and sessions live in higher layers than the audit app, so they are
# typed as ``Any`` here: only ``clinic_id``, ``code`` and ``patient`` are read.
def log_access(
    *,
    user: User,
    patient: Any,
    kind: str,
    session: Any | None = None,
    role: str | None = None,
    reason: str = "",
) -> AccessLog:
    """Record that ``user`` opened ``kind`` of ``patient``'s record (and ``session``).

    ``reason`` is the request reference an admin gave for an export.
    """
    return AccessLog.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        patient_code=patient.code,
        user=user,
        user_name=str(user)[:150],
        role=role or _role_of(user, patient.clinic_id),
        kind=kind,
        session_code=session.code if session is not None else "",
        reason=reason,
    )


def log_rating_link(*, session: Any, kind: str) -> AccessLog:
    """Record a use of the patient's rating link: nobody signed in, the patient's role."""
    patient = session.patient
    return AccessLog.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        patient_code=patient.code,
        user=None,
        user_name="",
        role=AccessLog.Role.PATIENT,
        kind=kind,
        session_code=session.code,
    )
