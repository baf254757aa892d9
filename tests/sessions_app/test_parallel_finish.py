"""Parallel finishes of one session on PostgreSQL, where rows are really locked.

A penetration test fired ten finishes at once from two accounts: each one
finished again on its stale copy, so the change history flipped between
completed and in progress and the end time was rewritten. Now the finish
locks the session's row and reads it again: one finish wins, the others
are refused and change nothing.

The test commits (a transactional test), so it seeds the scale itself.
"""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from reminders.models import Appointment
from sessions_app import services
from sessions_app.models import DialogSession
from tests.factories import ensure_scale, in_days

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.needs("postgres")]

FINISHES = 10


@pytest.fixture(autouse=True)
def _scale(transactional_db):
    ensure_scale()


def run_together(targets):
    """Run each target in its own thread (its own connection), all released at once."""
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(index, target):
        try:
            barrier.wait(10)
            results[index] = ("ok", target())
        except Exception as error:  # reported by the test
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def assert_finished_once(session):
    """One completion in the history, the end time written once, never back to open."""
    history = list(session.history.order_by("history_date", "history_id"))
    statuses = [row.status for row in history]
    completed = DialogSession.Status.COMPLETED
    first_completed = statuses.index(completed)
    assert all(status == completed for status in statuses[first_completed:]), statuses
    assert sum(1 for row in history if row.status == completed) == 1, statuses
    assert len({row.ended_at for row in history if row.ended_at is not None}) == 1
    stored = DialogSession.objects.get(pk=session.pk)
    assert stored.status == completed
    assert stored.ended_at == history[-1].ended_at


def test_ten_finishes_on_stale_copies_complete_the_session_once(patient, clinician):
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    # Each caller holds its own copy, read while the session was still open.
    copies = [DialogSession.objects.get(pk=session.pk) for _ in range(FINISHES)]
    appointments = [in_days(20 + index) for index in range(FINISHES)]

    results = run_together(
        [
            lambda copy=copy, when=when: services.session_finish(
                session=copy, next_appointment=when
            )
            for copy, when in zip(copies, appointments, strict=True)
        ]
    )

    outcomes = [kind for kind, _value in results]
    assert outcomes.count("ok") == 1, results
    refused = [value for kind, value in results if kind == "error"]
    assert all(isinstance(error, services.SessionClosedError) for error in refused), refused
    assert_finished_once(session)
    # The winner's appointment, set once, in the same transaction as the finish.
    winner = appointments[outcomes.index("ok")]
    assert list(
        Appointment.objects.filter(patient=patient, cancelled_at__isnull=True).values_list(
            "starts_at", flat=True
        )
    ) == [winner]
    assert DialogSession.objects.get(pk=session.pk).next_appointment == winner


def test_ten_finishes_posted_from_two_accounts_end_calmly_with_one_completion(
    patient, clinician, colleague, client_for
):
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    clients = []
    for index in range(FINISHES):
        user = clinician if index % 2 else colleague
        clients.append(client_for(user))
    summary = reverse("sessions:summary", args=[session.code])
    data = {"attendance": "alone", "attendance_note": "", "next_appointment": ""}

    results = run_together([lambda client=client: client.post(summary, data) for client in clients])

    assert all(kind == "ok" for kind, _value in results), results
    # Never a server error: every finish, won or refused, lands on the summary.
    assert {response.status_code for _kind, response in results} == {302}
    assert {response.url for _kind, response in results} == {summary}
    assert_finished_once(session)
