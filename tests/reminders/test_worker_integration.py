"""A real Celery worker process against PostgreSQL and Redis (CI has both).

Runs only when DATABASE_URL is PostgreSQL and REDIS_URL is set. The rows are
committed (a transactional test), and the worker is pointed at the test
database pytest-django created, on a queue of its own so no other worker on
the same Redis can take its messages.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reminders.models import Reminder
from reminders.services import reminders_claim_due
from reminders.tasks import send_reminder
from tests.factories import ensure_scale

from .factories import ContactPreferenceFactory, reminder_for

BASE_DIR = Path(__file__).resolve().parents[2]
NEEDS = "PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
        or not os.environ.get("REDIS_URL"),
        reason=f"needs {NEEDS}",
    ),
]


def _wait_for(predicate, *, timeout=60, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


@pytest.fixture(autouse=True)
def _scale(transactional_db):
    # An earlier transactional test may have emptied the seeded scale.
    ensure_scale()


@pytest.fixture
def worker(tmp_path):
    """A `celery worker --pool solo` on its own queue, writing SMS to tmp_path."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    database_url = f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = f"reminders-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DIALOGPLUS_VAR_DIR": str(tmp_path),
        "SMS_BACKEND": "file",
        "CONN_MAX_AGE": "0",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dialogplus",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield {
            "queue": queue,
            "outbox": tmp_path / "outbox" / "sms",
            "log": tmp_path / "worker.log",
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_a_real_worker_sends_a_due_reminder_exactly_once(patient, worker):
    import redis

    ContactPreferenceFactory(patient=patient)
    row = reminder_for(patient)
    claimed = reminders_claim_due()
    assert claimed == [row.id]

    send_reminder.apply_async((row.id,), queue=worker["queue"])
    # The same message delivered twice (a redelivery after a lost ack).
    send_reminder.apply_async((row.id,), queue=worker["queue"])

    def sent():
        row.refresh_from_db()
        return row.status == Reminder.Status.SENT

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    assert _wait_for(sent), worker["log"].read_text()
    assert _wait_for(lambda: broker.llen(worker["queue"]) == 0), worker["log"].read_text()
    time.sleep(2)  # let the worker finish the second delivery it has taken
    files = list(worker["outbox"].iterdir())
    assert len(files) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Reminder.Status.SENT, 1)
    assert row.provider_message_id and row.provider_message_id in files[0].read_text()
