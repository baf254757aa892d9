"""The session clock (time with the patient) and a colleague continuing a session.

The arithmetic is checked on the service with explicit times (``now=``); the
HTTP tests move the session's last activity into the past instead, so the
real request path adds (or does not add) the gap.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app import active_time, services
from sessions_app.models import DialogSession, SessionHandover, SessionStageTime, Stage
from sessions_app.selectors import session_contributors
from tests.factories import session_complete

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


def url(name, session, *args):
    return reverse(f"sessions:{name}", args=[session.code, *args])


def per_stage(session):
    return dict(SessionStageTime.objects.filter(session=session).values_list("stage", "seconds"))


def fresh(session):
    return DialogSession.objects.get(pk=session.pk)


def record(session, seconds, stage=None):
    return active_time.activity_record(session=session, stage=stage, now=at(seconds))


def last_activity_ago(session, seconds, stage=Stage.RATE):
    """The session's last activity was ``seconds`` ago, on ``stage``."""
    DialogSession.objects.filter(pk=session.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(seconds=seconds),
        last_activity_stage=stage,
    )


# --- the arithmetic ---------------------------------------------------------------


def test_a_session_resumed_the_next_day_counts_only_the_minutes_spent_on_it(session):
    record(session, 0, Stage.RATE)
    record(session, 50, Stage.RATE)
    record(session, 170, Stage.REVIEW)  # 120 s of rating
    record(session, 230)  # a heartbeat on the review: 60 s more of the review
    # The appointment ends; the session is resumed the next morning.
    next_day = 24 * 3600
    assert record(session, next_day + 230, Stage.REVIEW) == 0
    record(session, next_day + 320, Stage.SELECT)  # 90 s more of the review
    record(session, next_day + 400, Stage.STEPS)  # 80 s choosing areas

    session = fresh(session)
    assert per_stage(session) == {Stage.RATE: 170, Stage.REVIEW: 150, Stage.SELECT: 80}
    assert session.active_seconds == 400
    assert session.active_minutes == 6
    # The wall clock stays as it is.
    assert session.ended_at is None


def test_a_long_lock_adds_nothing_and_the_clock_goes_on_after_unlocking(session, settings):
    settings.DIALOGPLUS_SESSION_IDLE_GAP_SECONDS = 180
    record(session, 0, Stage.STEPS)
    record(session, 60, Stage.STEPS)
    # The tablet locks; no page counts while it is locked (the heartbeat stops,
    # the lock screen is no session page). Unlocked 20 minutes later:
    assert record(session, 60 + 20 * 60, Stage.STEPS) == 0
    assert record(session, 60 + 20 * 60 + 30, Stage.STEPS) == 30

    assert fresh(session).active_seconds == 90
    assert per_stage(session) == {Stage.STEPS: 90}


def test_the_idle_gap_is_a_setting_and_its_limit_is_included(session, settings):
    settings.DIALOGPLUS_SESSION_IDLE_GAP_SECONDS = 120
    record(session, 0)
    assert record(session, 120) == 120
    assert record(session, 241) == 0

    assert fresh(session).active_seconds == 120


def test_the_first_activity_starts_the_clock_without_adding_time(session):
    assert record(session, 0, Stage.RATE) == 0

    session = fresh(session)
    assert session.active_seconds == 0
    assert session.last_activity_at == at(0)
    assert session.last_activity_stage == Stage.RATE


def test_two_requests_at_once_do_not_count_the_same_gap_twice(session):
    record(session, 0, Stage.RATE)
    autosave, heartbeat = fresh(session), fresh(session)  # both read "last activity: 0"

    assert active_time.activity_record(session=autosave, now=at(10)) == 10
    assert active_time.activity_record(session=heartbeat, now=at(12)) == 0
    # Nothing is lost: the next request counts from the winner's time.
    assert record(fresh(session), 20) == 10

    assert fresh(session).active_seconds == 20
    assert per_stage(session) == {Stage.RATE: 20}


def test_a_closed_session_keeps_its_clock(session):
    record(session, 0)
    record(session, 60)
    services.session_finish(session=session)

    assert record(session, 90) == 0
    assert fresh(session).active_seconds == 60


def test_adding_time_is_two_queries(session):
    record(session, 0, Stage.RATE)
    record(session, 10, Stage.RATE)  # the stage's row exists now

    with CaptureQueriesContext(connection) as context:
        record(session, 20, Stage.RATE)

    queries = [q["sql"] for q in context.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(queries) == 2, queries


# --- through the pages ---------------------------------------------------------------


def test_a_page_view_credits_the_gap_to_the_stage_on_screen_before_it(session, clinician_client):
    last_activity_ago(session, 40, Stage.RATE)

    response = clinician_client.get(url("review", session))

    assert response.status_code == 200
    assert 39 <= per_stage(session)[Stage.RATE] <= 42
    assert fresh(session).last_activity_stage == Stage.REVIEW


def test_a_page_view_the_next_day_adds_nothing(session, clinician_client):
    last_activity_ago(session, 24 * 3600)

    clinician_client.get(url("review", session))

    assert fresh(session).active_seconds == 0
    assert per_stage(session) == {}


def test_a_rating_tap_on_a_handed_over_tablet_counts(session, clinician_client):
    clinician_client.post(url("handover", session))
    last_activity_ago(session, 30)

    clinician_client.post(url("rate_item", session, 1), {"value": "5"})

    assert 29 <= fresh(session).active_seconds <= 32


def test_the_heartbeat_keeps_the_clock_running(session, clinician_client):
    DialogSession.objects.filter(pk=session.pk).update(active_seconds=15 * 60 - 30)
    last_activity_ago(session, 60, Stage.STEPS)

    response = clinician_client.post(url("heartbeat", session))

    assert response.status_code == 200
    assert response.json() == {"minutes": 15, "open": True}
    assert 59 <= per_stage(session)[Stage.STEPS] <= 62


def test_a_colleague_of_the_clinic_may_send_the_heartbeat(session, colleague_client):
    last_activity_ago(session, 60)

    assert colleague_client.post(url("heartbeat", session)).status_code == 200
    assert fresh(session).active_seconds >= 59


@pytest.mark.parametrize(
    "persona", ["outsider", "clinic_admin", "other_admin", "carer_with_consent"]
)
def test_the_heartbeat_is_not_found_for_anyone_else(session, client_for, persona):
    last_activity_ago(session, 60)

    response = client_for(persona).post(url("heartbeat", session))

    assert response.status_code == 404
    assert fresh(session).active_seconds == 0


def test_the_heartbeat_only_takes_a_post(session, clinician_client):
    assert clinician_client.get(url("heartbeat", session)).status_code == 405


def test_the_heartbeat_of_a_closed_session_changes_nothing(session, clinician_client):
    last_activity_ago(session, 60)
    services.session_finish(session=session)
    before = fresh(session)

    response = clinician_client.post(url("heartbeat", session))

    assert response.status_code == 200
    assert response.json() == {"minutes": 0, "open": False}
    after = fresh(session)
    assert (after.active_seconds, after.last_activity_at) == (0, before.last_activity_at)


# --- where the clock shows -------------------------------------------------------------


@pytest.mark.parametrize("name", ["rate_item", "review", "select", "summary"])
def test_the_clinician_sees_the_minutes_in_the_session_head(session, clinician_client, name):
    DialogSession.objects.filter(pk=session.pk).update(active_seconds=7 * 60 + 10)
    args = [1] if name == "rate_item" else []

    page = clinician_client.get(url(name, session, *args)).content.decode()

    assert "data-session-clock" in page
    assert url("heartbeat", session) in page
    assert "7 min" in page


def test_the_clock_is_not_on_the_handed_over_rating_screens(session, clinician_client):
    DialogSession.objects.filter(pk=session.pk).update(active_seconds=7 * 60)
    clinician_client.post(url("handover", session))

    for page_url in (url("rate_item", session, 1), url("rate_done", session)):
        response = clinician_client.get(page_url)
        page = response.content.decode()
        assert response.status_code == 200
        assert "data-session-clock" not in page
        assert url("heartbeat", session) not in page
        assert "7 min" not in page


def test_the_carers_summary_shows_no_clock(patient, carer_with_consent_client, clinician):
    finished = session_complete(patient, ratings={"job": 3})
    DialogSession.objects.filter(pk=finished.pk).update(active_seconds=12 * 60)

    response = carer_with_consent_client.get(
        reverse("sessions:carer_summary", args=[finished.code])
    )

    assert response.status_code == 200
    assert "12 min" not in response.content.decode()
    assert "Time with the patient" not in response.content.decode()


# --- a colleague continues the session ------------------------------------------------------


def test_the_sessions_clinician_resumes_without_being_asked(session, clinician_client):
    response = clinician_client.get(url("resume", session))

    assert response.status_code == 302
    assert response.url == url("rate", session)


def test_a_colleague_is_asked_once_then_continues_the_session_as_theirs(
    session, clinician, colleague, colleague_client
):
    asked = colleague_client.get(url("resume", session))

    assert asked.status_code == 200
    assert "Clara Clinician is running this session." in asked.content.decode()
    assert fresh(session).clinician == clinician  # asking changes nothing

    confirmed = colleague_client.post(url("resume", session))

    assert confirmed.status_code == 302
    assert confirmed.url == url("rate", session)
    session = fresh(session)
    assert session.clinician == colleague
    handover = SessionHandover.objects.get(session=session)
    assert (handover.from_clinician, handover.to_clinician) == (clinician, colleague)
    assert handover.stage == Stage.RATE
    history = list(session.history.order_by("history_date").values_list("clinician_id", flat=True))
    assert history[0] == clinician.id
    assert history[-1] == colleague.id
    # Theirs now: resuming again goes straight on.
    assert colleague_client.get(url("resume", session)).status_code == 302


def test_someone_from_another_clinic_cannot_take_a_session_over(session, clinician, client_for):
    outsider = client_for("outsider")

    assert outsider.get(url("resume", session)).status_code == 404
    assert outsider.post(url("resume", session)).status_code == 404
    assert fresh(session).clinician == clinician
    assert not SessionHandover.objects.exists()


def test_a_closed_session_is_not_taken_over(session, clinician, colleague_client):
    services.session_finish(session=session)

    response = colleague_client.post(url("resume", session))

    assert response.status_code == 302
    assert response.url == url("summary", session)
    assert fresh(session).clinician == clinician
    assert not SessionHandover.objects.exists()


def test_the_summary_shows_the_minutes_and_everyone_who_worked_on_it(
    session, clinician_client, colleague_client
):
    record(session, 0, Stage.RATE)
    record(session, 170, Stage.REVIEW)
    record(session, 290, Stage.SELECT)
    record(fresh(session), 300)  # 10 s more choosing: 290 s, 5 min in all
    colleague_client.post(url("resume", session))

    page = colleague_client.get(url("summary", session)).content.decode()

    assert "Time with the patient:" in page
    assert "5 min" in page
    assert "Rate</th>" in page
    assert "Review ratings</th>" in page
    assert "under 1 min" in page  # 10 s choosing areas
    assert "Worked on by:" in page
    assert page.index("Clara Clinician") < page.index("then Colin Colleague")


def test_taking_over_ones_own_session_records_nothing(session, clinician):
    services.session_take_over(session=session, clinician=clinician)

    assert not SessionHandover.objects.exists()
    assert session.history.count() == 1  # only its creation


def test_a_session_taken_over_twice_lists_everyone_in_order(session, clinician, colleague):
    services.session_take_over(session=session, clinician=colleague, now=at(60))
    services.session_take_over(session=fresh(session), clinician=clinician, now=at(120))

    names = [person.full_name for person, _handover in session_contributors(fresh(session))]
    assert names == ["Clara Clinician", "Colin Colleague", "Clara Clinician"]
