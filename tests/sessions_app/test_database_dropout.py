"""The database drops out under a real server (gunicorn, PostgreSQL).

Connections are killed the way a database restart or a failover kills them:
between two requests, and in the middle of one. The person sees the calm error
page once, the next request works, and every answer the app confirmed before
is still there, so the session resumes where it stopped.
"""

import threading

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from bench.common import Client
from sessions_app import services
from sessions_app.models import DialogSession, Rating, Stage
from tests.factories import PASSWORD, ensure_scale
from tests.reminders.processes import app_env, free_port, gunicorn, running, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.needs("postgres")]


@pytest.fixture(autouse=True)
def _scale(transactional_db):
    ensure_scale()


def _connect():
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"],
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
    )


KILL = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s"
)
KILL_WAITING = KILL + " AND wait_event_type = 'Lock'"


def _own_pid():
    """This test's own Django connection, which must survive."""
    connection.ensure_connection()
    return connection.connection.get_backend_pid()


def _kill_app_connections(admin, *, waiting_on_lock=False):
    """Terminate the web server's connections to the test database; how many."""
    with admin.cursor() as cursor:
        cursor.execute(KILL_WAITING if waiting_on_lock else KILL, [_own_pid()])
        return len(cursor.fetchall())


def _app_waiting_on_a_lock(admin):
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def _answers(client):
    try:
        return client.get("/healthz").status == 200
    except OSError:  # not listening yet
        return False


def test_killed_connections_cost_one_calm_error_and_lose_no_confirmed_answer(
    tmp_path, clinician, patient
):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    services.session_advance(session=session, stage=Stage.RATE)
    domains = list(session.scale_version.domains.order_by("position"))
    port = free_port()
    env = app_env(
        tmp_path,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT=0,
        DIALOGPLUS_REQUIRE_2FA=0,
        # Persistent connections are the case that bites: a killed one is reused.
        CONN_MAX_AGE=60,
    )
    admin = _connect()
    admin.autocommit = True
    try:
        with running(gunicorn(tmp_path, env, port)) as web:
            client = Client(f"http://127.0.0.1:{port}")
            assert wait_for(lambda: _answers(client), timeout=60), web.log()
            client.get(reverse("accounts:login"))
            signed = client.post(
                reverse("accounts:login"), {"username": clinician.email, "password": PASSWORD}
            )
            assert signed.status == 302, web.log()

            def rate(position, value):
                return client.post(
                    reverse("sessions:rate_item", args=[session.code, position]),
                    {"value": str(value)},
                )

            assert rate(1, 5).status == 302, web.log()

            # Between requests (a restart, a failover): the next request reconnects.
            assert _kill_app_connections(admin) > 0
            assert rate(2, 6).status == 302, web.log()

            # In the middle of a request: the save waits on a row this test holds,
            # and its connection is killed while it waits.
            holder = _connect()
            with holder.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM sessions_app_rating WHERE session_id = %s AND domain_id = %s "
                    "FOR UPDATE",
                    [session.pk, domains[2].pk],
                )
            answer = {}
            request = threading.Thread(target=lambda: answer.update(response=rate(3, 2)))
            request.start()
            try:
                assert wait_for(lambda: _app_waiting_on_a_lock(admin), timeout=30), web.log()
                assert _kill_app_connections(admin, waiting_on_lock=True) == 1
                request.join(timeout=30)
            finally:
                holder.rollback()
                holder.close()
            failed = answer["response"]
            assert failed.status == 500
            assert "What was saved before stays saved." in failed.text

            # The next request works; the interrupted answer can be given again.
            assert rate(3, 2).status == 302, web.log()
            # Opened again, the session goes on at the first item not yet answered.
            resumed = client.get(reverse("sessions:resume", args=[session.code]))
            assert resumed.headers["Location"] == reverse("sessions:rate", args=[session.code])
            first_open = client.get(resumed.headers["Location"])
            assert first_open.headers["Location"] == reverse(
                "sessions:rate_item", args=[session.code, 4]
            )
    finally:
        admin.close()

    stored = dict(
        Rating.objects.filter(session=session, domain__position__lte=3).values_list(
            "domain__position", "value"
        )
    )
    assert stored == {1: 5, 2: 6, 3: 2}
