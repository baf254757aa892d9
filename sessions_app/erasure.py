"""The sessions app's part of erasure (records/erasure.py).

Pseudonymising closes an open session and drops carers' names from actions;
erasing the clinical text empties step notes, actions, review comments and
attendance notes, live and in history. Numbers, dates and statuses stay.
"""

from dataclasses import dataclass

from django.db.models import Max, Q

from dialogplus.change_history import history_by
from dialogplus.erasing import admin_log_rename, history_rows, live_and_past_ids

from .models import Action, ActionReview, DialogSession, SelectedArea, StepNote


@dataclass(frozen=True)
class SessionRecordIds:
    """The patient's sessions, areas and actions, live or kept only in history."""

    sessions: frozenset
    areas: frozenset
    actions: frozenset


def record_ids(patient):
    sessions = live_and_past_ids(DialogSession, patient_id=patient.pk)
    areas = live_and_past_ids(SelectedArea, session_id__in=sessions)
    actions = live_and_past_ids(Action, area_id__in=areas)
    return SessionRecordIds(sessions, areas, actions)


def last_contact(patient):
    """When the clinic last saw the patient: the end (or start) of the latest
    session, or the registration when there is no session."""
    latest = DialogSession.objects.filter(patient=patient).aggregate(
        ended=Max("ended_at"), started=Max("started_at")
    )
    moments = [m for m in (latest["ended"], latest["started"], patient.created_at) if m]
    return max(moments)


def open_session(patient):
    return DialogSession.objects.filter(
        patient=patient, status=DialogSession.Status.IN_PROGRESS
    ).first()


def _reviews(ids):
    return Q(session_id__in=ids.sessions) | Q(action_id__in=ids.actions)


def clinical_text_counts(ids):
    """How many pieces of clinical free text are still stored, live or in history."""
    reviews = _reviews(ids)
    return {
        "notes": StepNote.objects.filter(area_id__in=ids.areas).exclude(text="").count(),
        "actions": Action.objects.filter(area_id__in=ids.areas)
        .exclude(text="", owner_name="")
        .count(),
        "comments": ActionReview.objects.filter(reviews).exclude(comment="").count(),
        "attendance_notes": DialogSession.objects.filter(id__in=ids.sessions)
        .exclude(attendance_note="")
        .count(),
        "history": history_rows(StepNote).filter(area_id__in=ids.areas).exclude(text="").count()
        + history_rows(Action).filter(area_id__in=ids.areas).exclude(text="", owner_name="").count()
        + history_rows(ActionReview).filter(reviews).exclude(comment="").count()
        + history_rows(DialogSession)
        .filter(id__in=ids.sessions)
        .exclude(attendance_note="")
        .count(),
    }


def sessions_pseudonymise(*, patient, by, now, ids, carers):
    """Drop carers' names from actions and close an open session."""
    # An action a carer owns may name them ("Ask Ana"): that name goes with theirs.
    carer_actions = Q(carer_id__in=carers) | Q(owner=Action.Owner.CARER)
    Action.objects.filter(carer_actions, area_id__in=ids.areas).update(owner_name="")
    history_rows(Action).filter(carer_actions, area_id__in=ids.areas).update(owner_name="")

    # A session left open would keep the record writable; it is closed, kept.
    for session in DialogSession.objects.filter(
        patient=patient, status=DialogSession.Status.IN_PROGRESS
    ):
        session.status = DialogSession.Status.ABANDONED
        session.ended_at = now
        history_by(session, by)
        session.save(update_fields=["status", "ended_at", "updated_at"])
    # The admin log names a session after its patient.
    sessions = DialogSession.objects.filter(id__in=ids.sessions).select_related("patient")
    admin_log_rename(DialogSession, {row.pk: row for row in sessions})


def clinical_text_erase(*, ids):
    """Empty every clinical free text of the patient, live and in history."""
    reviews = _reviews(ids)
    StepNote.objects.filter(area_id__in=ids.areas).update(text="")
    history_rows(StepNote).filter(area_id__in=ids.areas).update(text="")
    Action.objects.filter(area_id__in=ids.areas).update(text="", owner_name="")
    history_rows(Action).filter(area_id__in=ids.areas).update(text="", owner_name="")
    ActionReview.objects.filter(reviews).update(comment="")
    history_rows(ActionReview).filter(reviews).update(comment="")
    DialogSession.objects.filter(id__in=ids.sessions).update(attendance_note="")
    history_rows(DialogSession).filter(id__in=ids.sessions).update(attendance_note="")
    # The admin log names an action (and its review) by its text.
    admin_log_rename(Action, dict.fromkeys(ids.actions, "—"))
    review_ids = ActionReview.objects.filter(reviews).values_list("id", flat=True)
    admin_log_rename(ActionReview, dict.fromkeys(review_ids, "—"))
