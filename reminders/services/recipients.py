"""Who may be reminded, by which channel and at which address.

Read twice for every reminder: when its row is written (no row for someone who
cannot get it) and again when it is sent (consent withdrawn, an opt-out or a
changed address in between wins).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import CarerContactPreference, Channel, ContactPreference

if TYPE_CHECKING:
    from patients.models import Carer, Patient


def patient_preference(patient: Patient) -> ContactPreference | None:
    try:
        return patient.contact_preference
    except ContactPreference.DoesNotExist:
        return None


def carer_preference(carer: Carer) -> CarerContactPreference | None:
    try:
        return carer.reminder_preference
    except CarerContactPreference.DoesNotExist:
        return None


def patient_channel(patient: Patient) -> str | None:
    """The channel a patient is reminded by, or None without consent or address."""
    pref = patient_preference(patient)
    if pref is None or not pref.accepts_reminders or not pref.address_for(pref.channel):
        return None
    return pref.channel


def carer_address(carer: Carer, channel: str) -> str:
    """The carer's own address; for email, their sign-in address if none was noted."""
    if channel == Channel.SMS:
        return carer.phone
    if channel == Channel.EMAIL:
        if carer.email:
            return carer.email
        user = carer.user if carer.user_id else None
        if user is not None and user.is_active:
            return user.email
    return ""


def carer_channel(carer: Carer) -> str | None:
    """The channel a carer is reminded by, or None.

    Two consents are needed: the patient's, on the carer (``has_consent``, which
    the patient can withdraw), and the carer's own consent to reminders,
    recorded by a clinician, with no opt-out since.
    """
    if not carer.has_consent:
        return None
    pref = carer_preference(carer)
    if pref is None or not pref.accepts_reminders or not carer_address(carer, pref.channel):
        return None
    return pref.channel
