"""Erasure on request: pseudonymise now, erase clinical text when the law allows.

A clinic must keep a patient's clinical record for ``Clinic.record_retention_years``
after the last contact (the end of the last session, or the registration when
there was none). A request to be forgotten therefore runs in two stages:

1. **Pseudonymise** (at any time): everything that names or reaches the patient
   and their carers goes — the patient's name becomes a label with their code,
   reminder contact details are wiped and pending reminders cancelled, carers
   lose their names, contact details, consent and account link. The same fields
   are blanked in the change-history tables, which otherwise keep copies. The
   clinical content (ratings, notes, actions) stays, as the clinic must keep it.
2. **Erase clinical text** (once the retention period has passed): the free
   text of sessions — step notes, actions, review comments, attendance notes —
   is emptied in the live and the history tables. Only numbers (ratings, help
   answers), dates and statuses remain, for the clinic's statistics.

Both are irreversible. History rows are changed with ``QuerySet.update()`` on
purpose: this is not an edit anyone should see as a change of the record, and
a new history row would only keep another copy. The patient row and the
carers are saved normally first, so the history shows when they were
pseudonymised and by whom. Each erasure writes an ERASURE row in the access
log, in the same transaction: there is never one without the other.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from audit.models import AccessLog
from audit.services import log_access
from patients.erasure import carer_ids, patient_pseudonymise, pseudonym_for
from patients.models import Patient
from reminders.erasure import (
    pending_reminders_count,
    reminders_pseudonymise,
    upcoming_appointments,
)
from sessions_app.erasure import (
    clinical_text_counts,
    clinical_text_erase,
    last_contact,
    open_session,
    record_ids,
    sessions_pseudonymise,
)
from sessions_app.models import DialogSession

__all__ = ["add_years", "erasure_plan", "patient_erase", "pseudonym_for"]

logger = logging.getLogger(__name__)


def add_years(moment, years):
    """``moment`` plus whole calendar years; 29 February becomes 28 February."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


# --- the plan shown before confirming ------------------------------------------------


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing ``patient`` now would do, and why (shown before confirming)."""

    patient: Patient
    last_contact: datetime.datetime
    retention_years: int
    retention_ends: datetime.datetime
    retention_passed: bool
    will_pseudonymise: bool
    will_erase_text: bool
    carers: int
    pending_reminders: int
    upcoming_appointments: int
    open_session: DialogSession | None
    text_counts: dict = field(default_factory=dict)

    @property
    def clinical_texts(self):
        """Pieces of clinical free text in the live tables (history counted apart)."""
        return sum(v for k, v in self.text_counts.items() if k != "history")

    @property
    def has_clinical_text(self):
        return any(self.text_counts.values())

    @property
    def has_work(self):
        return self.will_pseudonymise or self.will_erase_text


def erasure_plan(patient, *, now=None) -> ErasurePlan:
    """What an erasure of ``patient`` would do at ``now``.

    Pseudonymisation is due unless done; the clinical text is erased only
    once ``record_retention_years`` have passed since the last contact, and
    only while some remains.
    """
    now = now or timezone.now()
    contact = last_contact(patient)
    years = patient.clinic.record_retention_years
    ends = add_years(contact, years)
    passed = now >= ends
    counts = clinical_text_counts(record_ids(patient))
    pseudonymise = patient.pseudonymised_at is None
    return ErasurePlan(
        patient=patient,
        last_contact=contact,
        retention_years=years,
        retention_ends=ends,
        retention_passed=passed,
        will_pseudonymise=pseudonymise,
        will_erase_text=passed and any(counts.values()),
        carers=patient.carers.count(),
        pending_reminders=pending_reminders_count(patient),
        upcoming_appointments=upcoming_appointments(patient, now=now).count(),
        open_session=open_session(patient),
        text_counts=counts,
    )


# --- doing it -----------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureResult:
    pseudonymised: bool
    text_erased: bool
    plan: ErasurePlan

    @property
    def changed(self):
        return self.pseudonymised or self.text_erased


def patient_erase(*, patient, by, now=None) -> ErasureResult:
    """Carry out the erasure plan for ``patient`` on behalf of the clinic admin ``by``.

    Pseudonymises (if not yet done) and, when the clinic's retention period
    has passed, erases the clinical free text. Irreversible. Returns what was
    done; nothing is done (and nothing logged) when nothing is left to do.
    The caller has checked that ``by`` administers the patient's clinic.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Two admins confirming at once: the second waits, then finds it done.
        patient = Patient.objects.select_for_update().select_related("clinic").get(pk=patient.pk)
        plan = erasure_plan(patient, now=now)
        if not plan.has_work:
            return ErasureResult(pseudonymised=False, text_erased=False, plan=plan)
        ids = record_ids(patient)
        if plan.will_pseudonymise:
            # Each app blanks its own rows; this layer only puts them in order.
            carers = carer_ids(patient)
            # Names first: the admin log names the other rows after them.
            patient_pseudonymise(patient=patient, by=by, now=now, carers=carers)
            reminders_pseudonymise(patient=patient, by=by, now=now, carers=carers)
            sessions_pseudonymise(patient=patient, by=by, now=now, ids=ids, carers=carers)
        if plan.will_erase_text:
            clinical_text_erase(ids=ids)
        log_access(user=by, patient=patient, kind=AccessLog.Kind.ERASURE)
    # By code only: the log must not carry what was just erased.
    logger.info(
        "patient %s erased by user %s (pseudonymised=%s, clinical text=%s)",
        patient.code,
        by.pk,
        plan.will_pseudonymise,
        plan.will_erase_text,
    )
    return ErasureResult(
        pseudonymised=plan.will_pseudonymise, text_erased=plan.will_erase_text, plan=plan
    )
