"""reminders' answers to what sessions_app announces (sessions_app/signals.py)."""

from django.db import transaction

from .services import appointment_set, reminders_schedule_for_session


def on_session_finished(sender, *, session, next_appointment, now, **kwargs):
    """The appointment agreed at the session, and the reminders of its actions.

    The appointment is written in the finishing transaction, so a session
    never ends without it; the action reminders are rows written after the
    commit, and a failure there is logged, never undoes the finish.
    """
    if next_appointment is not None:
        # The patient's upcoming appointment, which the patient page, the
        # agenda and the reminders read.
        appointment_set(
            patient=session.patient,
            when=next_appointment,
            by=session.clinician,
            session=session,
            now=now,
        )
    transaction.on_commit(lambda: reminders_schedule_for_session(session=session), robust=True)
