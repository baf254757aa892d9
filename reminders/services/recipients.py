"""Who may be reminded, by which channel and at which address.

Read twice for every reminder: when its row is written (no row for someone who
cannot get it) and again when it is sent (consent withdrawn, an opt-out or a
changed address in between wins).
"""

from ..models import CarerContactPreference, Channel, ContactPreference


def patient_preference(patient):
    try:
        return patient.contact_preference
    except ContactPreference.DoesNotExist:
        return None


def carer_preference(carer):
    try:
        return carer.reminder_preference
    except CarerContactPreference.DoesNotExist:
        return None


def patient_channel(patient):
    """The channel a patient is reminded by, or None without consent or address."""
    pref = patient_preference(patient)
    if pref is None or not pref.accepts_reminders or not pref.address_for(pref.channel):
        return None
    return pref.channel


def carer_address(carer, channel):
    """The carer's own address; for email, their sign-in address if none was noted."""
    if channel == Channel.SMS:
        return carer.phone
    if channel == Channel.EMAIL:
        if carer.email:
            return carer.email
        if carer.user_id and carer.user.is_active:
            return carer.user.email
    return ""


def carer_channel(carer):
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
