"""A change made on a stale copy of a session (read before another tablet
closed it) is refused: every service reads the row again before it writes.

Runs on any database; tests/sessions_app/test_parallel_finish.py fires the
same race for real on PostgreSQL.
"""

import uuid

import pytest

from sessions_app import services
from sessions_app.models import DialogSession, Stage

CHANGES = {
    "finish": lambda s, d, a: services.session_finish(session=s),
    "finish ratings only": lambda s, d, a: services.session_finish_ratings_only(
        session=s, reason=DialogSession.RatingsOnlyReason.NO_TIME
    ),
    "abandon": lambda s, d, a: services.session_abandon(session=s),
    "advance": lambda s, d, a: services.session_advance(session=s, stage=Stage.SELECT),
    "attendance": lambda s, d, a: services.session_set_attendance(
        session=s, attendance=DialogSession.Attendance.WITH_CARER
    ),
    "rating": lambda s, d, a: services.rating_record(session=s, domain_id=d["job"].id, value=5),
    "area choose": lambda s, d, a: services.area_choose(
        session=s, domain_id=d["accommodation"].id, go_to_steps=True
    ),
    "areas select": lambda s, d, a: services.areas_select(
        session=s, domain_ids=[d["job"].id, d["accommodation"].id]
    ),
    "step note": lambda s, d, a: services.step_note_save(session=s, area=a, step=1, text="Late"),
    "steps seen": lambda s, d, a: services.steps_seen(session=s, area=a, seen={1, 2}),
    "step form": lambda s, d, a: services.step_save(
        session=s, area=a, step=4, text="Late", think_it_over=True
    ),
    "action": lambda s, d, a: services.action_add(
        session=s, area=a, text="Call", owner="patient", client_token=uuid.uuid4()
    ),
    "think it over": lambda s, d, a: services.area_think_it_over(session=s, area=a, value=True),
}


@pytest.fixture
def open_at_review(session, domains):
    services.session_advance(session=session, stage=Stage.REVIEW)
    area = services.areas_select(session=session, domain_ids=[domains["job"].id])[0]
    return session, area


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_on_a_stale_copy_of_a_finished_session_is_refused(open_at_review, domains, change):
    session, area = open_at_review
    stale = DialogSession.objects.get(pk=session.pk)
    services.session_finish(session=DialogSession.objects.get(pk=session.pk))
    finished = DialogSession.objects.get(pk=session.pk)
    history = session.history.count()
    assert stale.is_open  # the copy still believes it is open

    with pytest.raises(services.SessionClosedError):
        CHANGES[change](stale, domains, area)

    stored = DialogSession.objects.get(pk=session.pk)
    assert (stored.status, stored.ended_at, stored.stage) == (
        finished.status,
        finished.ended_at,
        finished.stage,
    )
    assert session.history.count() == history
    assert not area.notes.exclude(text="").exists()
    assert not area.actions.exists()
    # The refused copy now shows what is stored.
    assert stale.status == DialogSession.Status.COMPLETED


def test_take_over_on_a_stale_copy_of_an_abandoned_session_is_refused(session, colleague):
    stale = DialogSession.objects.get(pk=session.pk)
    services.session_abandon(session=DialogSession.objects.get(pk=session.pk))

    with pytest.raises(services.SessionClosedError):
        services.session_take_over(session=stale, clinician=colleague)

    stored = DialogSession.objects.get(pk=session.pk)
    assert stored.status == DialogSession.Status.ABANDONED
    assert stored.clinician_id != colleague.id
    assert not stored.handovers.exists()


def test_a_finish_posted_on_a_session_another_tablet_just_finished_is_a_calm_message(
    clinician_client, session, monkeypatch
):
    """The view read the session open; the service then finds it closed."""
    summary = f"/sessions/{session.code}/summary/"
    real_finish = services.session_finish

    def finished_meanwhile(**kwargs):
        real_finish(session=DialogSession.objects.get(pk=session.pk))
        return real_finish(**kwargs)

    monkeypatch.setattr(services, "session_finish", finished_meanwhile)

    response = clinician_client.post(
        summary, {"attendance": "alone", "attendance_note": "", "next_appointment": ""}
    )

    assert response.status_code == 302
    assert response.url.endswith(f"/sessions/{session.code}/summary/")
    page = clinician_client.get(response.url).content.decode()
    assert "This session is closed, so nothing was changed." in page
    statuses = [row.status for row in session.history.order_by("history_date", "history_id")]
    assert statuses.count(DialogSession.Status.COMPLETED) == 1
