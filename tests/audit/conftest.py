"""A patient record with history made by known people, for the audit tests."""

import uuid
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from simple_history.models import HistoricalRecords

from patients.services import patient_update
from sessions_app import services
from sessions_app.models import Action, DialogSession

# Typed into every free-text field of the record; it must never reach a log.
MARKER = "Zebra-Quokka-7731 hears voices"


@contextmanager
def acting_as(user):
    """Saves inside are recorded as ``user``'s, as HistoryRequestMiddleware does."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


@pytest.fixture
def record(patient, clinician, colleague, domains):
    """``patient``'s record: one finished session by ``clinician`` (rating, note,
    two actions, one removed) and a second, open one by ``colleague`` that
    reviews the first's action and changes a rating; the patient's planned
    sessions changed by ``colleague``. Every free text contains ``MARKER``.
    """
    with acting_as(clinician):
        first = services.session_start(
            patient=patient,
            clinician=clinician,
            attendance=DialogSession.Attendance.OTHER,
            attendance_note=f"Neighbour ({MARKER})",
        ).session
        services.rating_record(session=first, domain_id=domains["job"].id, value=2)
        (area,) = services.areas_select(session=first, domain_ids=[domains["job"].id])
        services.step_note_save(session=first, area=area, step=1, text=f"Note 1: {MARKER}")
        services.step_note_save(session=first, area=area, step=1, text=f"Note 1 again: {MARKER}")
        kept = services.action_add(
            session=first,
            area=area,
            text=f"Phone the job centre ({MARKER})",
            owner=Action.Owner.OTHER,
            owner_name=f"Uncle {MARKER}",
            client_token=uuid.uuid4(),
        )
        dropped = services.action_add(
            session=first,
            area=area,
            text=f"Dropped action ({MARKER})",
            owner=Action.Owner.PATIENT,
            client_token=uuid.uuid4(),
        )
        services.action_remove(session=first, action=dropped)
        first = services.session_finish(session=first)
    with acting_as(colleague):
        second = services.session_start(
            patient=patient, clinician=colleague, attendance=DialogSession.Attendance.ALONE
        ).session
        services.action_review_record(
            session=second, action=kept, status="partly", comment=f"Half done: {MARKER}"
        )
        services.rating_record(session=second, domain_id=domains["job"].id, value=5)
        services.rating_record(session=second, domain_id=domains["job"].id, value=6)
        patient.refresh_from_db()
        patient_update(patient=patient, planned_sessions=8)
    return SimpleNamespace(first=first, second=second, kept=kept, area=area)
