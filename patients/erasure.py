"""The patients app's part of erasure (records/erasure.py): names go.

The patient's name becomes a label with their code and the blind index of
the name (patients/name_index.py) goes; carers become numbered labels and lose
their contact details, consent and account link, in the live and the history
tables.
"""

from django.utils import translation
from django.utils.translation import gettext

from dialogplus.change_history import history_by
from dialogplus.erasing import admin_log_rename, history_rows, live_and_past_ids

from .models import Carer, Patient, PatientNameToken


def pseudonym_for(patient):
    """The label that replaces the patient's name: says what happened, names nobody.

    Stored text, so it is written in the clinic's language (the language its
    staff read), not in whoever pressed the button's.
    """
    with translation.override(patient.clinic.default_language or "en"):
        return gettext("Pseudonymised patient %(code)s") % {"code": patient.code}


def _carer_label(patient, number):
    with translation.override(patient.clinic.default_language or "en"):
        return gettext("Carer %(number)s") % {"number": number}


def carer_ids(patient):
    """The patient's carers, present and removed (kept in history)."""
    return live_and_past_ids(Carer, patient_id=patient.pk)


def patient_pseudonymise(*, patient, by, now, carers):
    """Replace the names of ``patient`` and of their ``carers`` (ids, live and past)."""
    label = pseudonym_for(patient)
    patient.full_name = label
    patient.pseudonymised_at = now
    # The history row this save adds says who did it and why.
    history_by(patient, by, reason="pseudonymised")
    patient.save(update_fields=["full_name", "pseudonymised_at", "updated_at"])
    history_rows(Patient).filter(id=patient.pk).update(full_name=label)
    # The save above already drops the blind index of the name (a pseudonymised
    # patient is found by code only); said here too, as erasure must not rely
    # on a side effect to forget how the name began.
    PatientNameToken.objects.filter(patient=patient).delete()

    # Carers: numbered labels, no contact, no consent, no account link. A carer
    # removed earlier is still in the history and gets a label there too.
    labels = {pk: _carer_label(patient, n) for n, pk in enumerate(sorted(carers), start=1)}
    for carer in Carer.objects.select_for_update().filter(patient=patient):
        carer.full_name = labels[carer.pk]
        # "Mother", "husband": with the clinic and the code, enough to name someone.
        carer.relationship = ""
        carer.email = ""
        carer.phone = ""
        carer.language = ""
        carer.user = None
        carer.share_summaries = False
        carer.share_ratings = False
        carer.consent_withdrawn_at = carer.consent_withdrawn_at or now
        history_by(carer, by, reason="pseudonymised")
        carer.save()
    for pk, carer_label in labels.items():
        history_rows(Carer).filter(id=pk).update(
            full_name=carer_label, relationship="", email="", phone="", user=None
        )
    admin_log_rename(Patient, {patient.pk: patient})
    admin_log_rename(Carer, labels)
