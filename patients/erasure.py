"""Erasure on request: pseudonymise now, erase clinical text when the law allows.

A clinic must keep a patient's clinical record for ``Clinic.record_retention_years``
after the last contact (the end of the last session, or the registration when
there was none). A request to be forgotten therefore runs in two stages:

1. **Pseudonymise** (at any time): everything that names or reaches the patient
   and their carers goes — the patient's name becomes a label with their code,
   reminder contact details are wiped and pending reminders cancelled, carers
   lose their names, contact details, consent and account link. The same fields
   are blanked in the change-history tables, which otherwise keep copies, and
   the blind index of the patient's name (patients/name_index.py) goes. The
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

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from audit.models import AccessLog
from audit.services import log_access
from reminders.models import (
    Appointment,
    CarerContactPreference,
    ContactChannel,
    ContactPreference,
    Reminder,
)
from reminders.services import appointment_cancel
from sessions_app.models import Action, ActionReview, DialogSession, SelectedArea, StepNote

from .models import Carer, Patient, PatientNameToken

logger = logging.getLogger(__name__)

# Why a pending reminder did not go out (the admin's delivery page shows it).
CANCEL_REASON = "patient pseudonymised"


def add_years(moment, years):
    """``moment`` plus whole calendar years; 29 February becomes 28 February."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def last_contact(patient):
    """When the clinic last saw the patient: the end (or start) of the latest
    session, or the registration when there is no session."""
    latest = DialogSession.objects.filter(patient=patient).aggregate(
        ended=Max("ended_at"), started=Max("started_at")
    )
    moments = [m for m in (latest["ended"], latest["started"], patient.created_at) if m]
    return max(moments)


# --- which rows belong to the patient, including deleted ones kept in history ---------


@dataclass(frozen=True)
class _RecordIds:
    sessions: frozenset
    areas: frozenset
    actions: frozenset
    carers: frozenset


def _history(model):
    return model.history.model.objects


def _live_and_past_ids(model, **lookup):
    live = model.objects.filter(**lookup).values_list("id", flat=True)
    past = _history(model).filter(**lookup).values_list("id", flat=True)
    return frozenset(live) | frozenset(past)


def _record_ids(patient):
    """Ids of the patient's sessions, areas, actions and carers, from the live
    tables and the history tables: an area or action deleted from a session
    (or a carer removed) lives on in history and must be erased there too."""
    sessions = _live_and_past_ids(DialogSession, patient_id=patient.pk)
    areas = _live_and_past_ids(SelectedArea, session_id__in=sessions)
    actions = _live_and_past_ids(Action, area_id__in=areas)
    carers = _live_and_past_ids(Carer, patient_id=patient.pk)
    return _RecordIds(sessions, areas, actions, carers)


def _clinical_text_counts(ids):
    """How many pieces of clinical free text are still stored, live or in history."""
    return {
        "notes": StepNote.objects.filter(area_id__in=ids.areas).exclude(text="").count(),
        "actions": Action.objects.filter(area_id__in=ids.areas)
        .exclude(text="", owner_name="")
        .count(),
        "comments": ActionReview.objects.filter(
            Q(session_id__in=ids.sessions) | Q(action_id__in=ids.actions)
        )
        .exclude(comment="")
        .count(),
        "attendance_notes": DialogSession.objects.filter(id__in=ids.sessions)
        .exclude(attendance_note="")
        .count(),
        "history": _history(StepNote).filter(area_id__in=ids.areas).exclude(text="").count()
        + _history(Action).filter(area_id__in=ids.areas).exclude(text="", owner_name="").count()
        + _history(ActionReview)
        .filter(Q(session_id__in=ids.sessions) | Q(action_id__in=ids.actions))
        .exclude(comment="")
        .count()
        + _history(DialogSession).filter(id__in=ids.sessions).exclude(attendance_note="").count(),
    }


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
    counts = _clinical_text_counts(_record_ids(patient))
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
        pending_reminders=Reminder.objects.filter(
            patient=patient, status__in=[Reminder.Status.QUEUED, Reminder.Status.SENDING]
        ).count(),
        upcoming_appointments=Appointment.objects.filter(
            patient=patient, cancelled_at__isnull=True, starts_at__gt=now
        ).count(),
        open_session=DialogSession.objects.filter(
            patient=patient, status=DialogSession.Status.IN_PROGRESS
        ).first(),
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


def _admin_log_rename(model, names):
    """Django's admin log keeps each object's name as it was (``object_repr``);
    ``names`` maps primary keys of ``model`` to what they are called now."""
    if not names:
        return
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in names],
    )
    for entry in entries:
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=str(names[int(entry.object_id)])[:200]
        )


def _admin_log_rename_record(patient, ids, carer_labels):
    """Every object whose name in the admin log carries the patient's or a carer's name."""
    _admin_log_rename(Patient, {patient.pk: patient})
    _admin_log_rename(Carer, carer_labels)
    for model, rows in [
        (DialogSession, DialogSession.objects.filter(id__in=ids.sessions)),
        (ContactPreference, ContactPreference.objects.filter(patient=patient)),
        (Appointment, Appointment.objects.filter(patient=patient)),
        (CarerContactPreference, CarerContactPreference.objects.filter(carer_id__in=ids.carers)),
    ]:
        rows = rows.select_related("carer" if model is CarerContactPreference else "patient")
        _admin_log_rename(model, {row.pk: row for row in rows})


def _pseudonymise(patient, *, by, now, ids):
    label = pseudonym_for(patient)
    patient.full_name = label
    patient.pseudonymised_at = now
    # The history row this save adds says who did it and why.
    patient._history_user = by
    patient._change_reason = "pseudonymised"
    patient.save(update_fields=["full_name", "pseudonymised_at", "updated_at"])
    _history(Patient).filter(id=patient.pk).update(full_name=label)
    # The save above already drops the blind index of the name (a pseudonymised
    # patient is found by code only); said here too, as erasure must not rely
    # on a side effect to forget how the name began.
    PatientNameToken.objects.filter(patient=patient).delete()

    # Reminders: no address left, and nothing pending goes out. A reminder a
    # worker holds locked while sending waits for it and is skipped once sent.
    pref = ContactPreference.objects.select_for_update().filter(patient=patient).first()
    if pref is not None:
        pref.email = ""
        pref.phone = ""
        pref.channel = ContactChannel.NONE
        pref.consent_to_reminders = False
        pref.consent_recorded_at = now
        pref.consent_recorded_by = by
        pref.opted_out_at = pref.opted_out_at or now
        pref.save()
        if hasattr(ContactPreference, "history"):
            _history(ContactPreference).filter(patient_id=patient.pk).update(email="", phone="")
    for carer_pref in CarerContactPreference.objects.filter(carer__patient=patient):
        carer_pref.channel = ContactChannel.NONE
        carer_pref.consent_to_reminders = False
        carer_pref.consent_recorded_at = now
        carer_pref.consent_recorded_by = by
        carer_pref.opted_out_at = carer_pref.opted_out_at or now
        carer_pref.save()
    Reminder.objects.filter(
        patient=patient, status__in=[Reminder.Status.QUEUED, Reminder.Status.SENDING]
    ).update(status=Reminder.Status.CANCELLED, last_error=CANCEL_REASON, updated_at=now)
    # No session can be started any more, so nobody is expected at a booked time.
    for appointment in Appointment.objects.filter(
        patient=patient, cancelled_at__isnull=True, starts_at__gt=now
    ):
        appointment_cancel(appointment=appointment, now=now)

    # Carers: numbered labels, no contact, no consent, no account link. A carer
    # removed earlier is still in the history and gets a label there too.
    labels = {pk: _carer_label(patient, n) for n, pk in enumerate(sorted(ids.carers), start=1)}
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
        carer._history_user = by
        carer._change_reason = "pseudonymised"
        carer.save()
    for pk, label in labels.items():
        _history(Carer).filter(id=pk).update(
            full_name=label, relationship="", email="", phone="", user=None
        )

    # An action a carer owns may name them ("Ask Ana"): that name goes with theirs.
    carer_actions = Q(carer_id__in=ids.carers) | Q(owner=Action.Owner.CARER)
    Action.objects.filter(carer_actions, area_id__in=ids.areas).update(owner_name="")
    _history(Action).filter(carer_actions, area_id__in=ids.areas).update(owner_name="")

    # A session left open would keep the record writable; it is closed, kept.
    for session in DialogSession.objects.filter(
        patient=patient, status=DialogSession.Status.IN_PROGRESS
    ):
        session.status = DialogSession.Status.ABANDONED
        session.ended_at = now
        session._history_user = by
        session.save(update_fields=["status", "ended_at", "updated_at"])
    _admin_log_rename_record(patient, ids, labels)


def _erase_clinical_text(patient, *, ids):
    """Empty every clinical free text of the patient, live and in history."""
    reviews = Q(session_id__in=ids.sessions) | Q(action_id__in=ids.actions)
    StepNote.objects.filter(area_id__in=ids.areas).update(text="")
    _history(StepNote).filter(area_id__in=ids.areas).update(text="")
    Action.objects.filter(area_id__in=ids.areas).update(text="", owner_name="")
    _history(Action).filter(area_id__in=ids.areas).update(text="", owner_name="")
    ActionReview.objects.filter(reviews).update(comment="")
    _history(ActionReview).filter(reviews).update(comment="")
    DialogSession.objects.filter(id__in=ids.sessions).update(attendance_note="")
    _history(DialogSession).filter(id__in=ids.sessions).update(attendance_note="")
    # The admin log names an action (and its review) by its text.
    _admin_log_rename(Action, dict.fromkeys(ids.actions, "—"))
    review_ids = ActionReview.objects.filter(reviews).values_list("id", flat=True)
    _admin_log_rename(ActionReview, dict.fromkeys(review_ids, "—"))


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
        ids = _record_ids(patient)
        if plan.will_pseudonymise:
            _pseudonymise(patient, by=by, now=now, ids=ids)
        if plan.will_erase_text:
            _erase_clinical_text(patient, ids=ids)
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
