"""Redis down: the web keeps saving, and reminders go out once it is back.

A redis-server of the test's own (its own port, no persistence) is the cache
and the broker of a real gunicorn web server, a Celery worker and a Celery
beat, all on the PostgreSQL test database. With Redis stopped, a clinician
signs in, saves a rating, finishes a session with a next appointment and
books a patient who has had no session yet; then Redis is started again and
the reminders go out. Runs when DATABASE_URL is PostgreSQL and REDIS_URL is
set (CI), like the other tests with real processes.
"""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from bench.common import Client
from reminders.models import Appointment, Reminder
from sessions_app import services
from sessions_app.models import DialogSession, Rating, Stage
from tests.factories import PASSWORD, PatientFactory, ensure_scale

from .factories import ContactPreferenceFactory
from .processes import (
    RedisServer,
    app_env,
    beat,
    free_port,
    gunicorn,
    running,
    wait_for,
    worker,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs("postgres", "redis"),
]

# A request that waited on the dead broker would take its retries' worth of
# seconds; a normal one takes a fraction of one.
QUICK = 10


@pytest.fixture(autouse=True)
def _scale(transactional_db):
    ensure_scale()


def local_input(moment, time_zone):
    """A time as a datetime-local field sends it, on the clinic's clock."""
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%Y-%m-%dT%H:%M")


def sign_in(client, email):
    client.get(reverse("accounts:login"))
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status == 302, response.status
    assert reverse("accounts:login") not in response.headers["Location"]


def answers(client):
    try:
        return client.get("/healthz").status == 200
    except OSError:  # not listening yet
        return False


def test_with_redis_stopped_sessions_save_and_reminders_go_out_after_it_returns(
    tmp_path, clinic, clinician, patient
):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    ContactPreferenceFactory(patient=patient)
    waiting = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Wes Waiting")
    ContactPreferenceFactory(patient=waiting, phone="+38164000111")
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    services.session_advance(session=session, stage=Stage.RATE)
    first_item = session.scale_version.domains.order_by("position").first()
    redis = RedisServer(tmp_path)
    redis.start()
    port = free_port()
    env = app_env(
        tmp_path,
        REDIS_URL=redis.url,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT=0,
        DIALOGPLUS_REQUIRE_2FA=0,
        DIALOGPLUS_PUBLIC_URL=f"http://127.0.0.1:{port}",
        REMINDER_DISPATCH_SECONDS=1,
    )
    try:
        with (
            running(gunicorn(tmp_path, env, port)) as web,
            running(worker(tmp_path, env)) as process,
            running(beat(tmp_path, env)) as scheduler,
        ):
            client = Client(f"http://127.0.0.1:{port}")
            assert wait_for(lambda: answers(client), timeout=60), web.log()
            sign_in(client, clinician.email)

            redis.stop()
            health = client.get("/healthz")
            assert health.status == 200
            assert json.loads(health.text)["broker"] == "error"

            # A rating is saved as it is tapped.
            rate = reverse("sessions:rate_item", args=[session.code, 1])
            response = client.post(rate, {"value": "4"})
            assert response.status == 302 and response.seconds < QUICK, web.log()
            assert Rating.objects.get(session=session, domain=first_item).value == 4

            # Finishing the session books the next appointment.
            soon = timezone.now() + datetime.timedelta(hours=3)
            finish = {
                "attendance": "alone",
                "attendance_note": "",
                "next_appointment": local_input(soon, clinic.time_zone),
            }
            summary = reverse("sessions:summary", args=[session.code])
            response = client.post(summary, finish)
            assert response.status == 302 and response.seconds < QUICK, web.log()
            session.refresh_from_db()
            assert session.status == DialogSession.Status.COMPLETED

            # A patient with no session yet is booked from the patient page.
            book = reverse("reminders:appointment", args=[waiting.code])
            when = {"when": local_input(soon + datetime.timedelta(hours=1), clinic.time_zone)}
            response = client.post(book, when)
            assert response.status == 302 and response.seconds < QUICK, web.log()
            assert response.headers["Location"] == reverse("patients:detail", args=[waiting.code])

            booked = Appointment.objects.filter(cancelled_at=None)
            assert {a.patient_id for a in booked} == {patient.pk, waiting.pk}
            rows = Reminder.objects.filter(kind=Reminder.Kind.APPOINTMENT_PATIENT)
            # Written, due, and waiting: nothing could take them yet.
            assert sorted(r.status for r in rows) == ["queued", "queued"]
            assert all(r.due_at <= timezone.now() for r in rows)

            redis.start()

            def all_sent():
                return set(rows.values_list("status", flat=True)) == {"sent"}

            assert wait_for(all_sent, timeout=150), process.log() + scheduler.log()

        sms = [json.loads(f.read_text()) for f in (tmp_path / "outbox" / "sms").iterdir()]
        assert sorted(message["to"] for message in sms) == ["+38164000111", "+38970123456"]
    finally:
        redis.stop()
