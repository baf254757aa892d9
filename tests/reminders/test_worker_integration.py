"""Real Celery worker and beat processes against PostgreSQL and Redis (CI has both).

Runs only when DATABASE_URL is PostgreSQL and REDIS_URL is set. The rows are
committed (transactional tests) and the processes are pointed at the test
database pytest-django created, each on a queue of its own so no other worker
on the same Redis can take its messages.
"""

import datetime
import json
import time
import uuid

import pytest
from django.conf import settings
from django.utils import timezone

from reminders.models import Reminder
from reminders.services import reminders_claim_due
from reminders.tasks import send_reminder
from tests.factories import ensure_scale

from .factories import ContactPreferenceFactory, reminder_for
from .processes import DedupingGateway, app_env, beat, running, wait_for, worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs("postgres", "redis"),
]

SENT = Reminder.Status.SENT


@pytest.fixture(autouse=True)
def _scale(transactional_db):
    # An earlier transactional test may have emptied the seeded scale.
    ensure_scale()


@pytest.fixture
def queue():
    return f"reminders-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def broker():
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    yield client
    client.close()


def idle(broker, queue):
    """Nothing waits in ``queue`` and no message of it is held unacknowledged."""
    if broker.llen(queue):
        return False
    for raw in broker.hvals("unacked"):
        _message, _exchange, routing_key = json.loads(raw)
        if routing_key == queue:
            return False
    return True


def unacked_since(broker, queue):
    """When the broker handed out the message of ``queue`` it still waits to
    hear back about (epoch seconds), or None."""
    for tag, raw in broker.hgetall("unacked").items():
        _message, _exchange, routing_key = json.loads(raw)
        if routing_key == queue:
            return broker.zscore("unacked_index", tag)
    return None


def finished_sends(process):
    """How many send_reminder tasks the worker finished (its log says so)."""
    return sum(
        1
        for line in process.log().splitlines()
        if "reminders.tasks.send_reminder[" in line and " succeeded in " in line
    )


def sent(row):
    def check():
        row.refresh_from_db()
        return row.status == SENT

    return check


def test_a_real_worker_sends_a_due_reminder_exactly_once(patient, tmp_path, queue, broker):
    ContactPreferenceFactory(patient=patient)
    row = reminder_for(patient)
    assert reminders_claim_due() == [row.id]

    with running(worker(tmp_path, app_env(tmp_path), queue=queue)) as process:
        send_reminder.apply_async((row.id,), queue=queue)
        # The same message delivered twice (a redelivery after a lost ack).
        send_reminder.apply_async((row.id,), queue=queue)

        assert wait_for(sent(row)), process.log()
        assert wait_for(lambda: finished_sends(process) == 2), process.log()
        assert idle(broker, queue)

    files = list((tmp_path / "outbox" / "sms").iterdir())
    assert len(files) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (SENT, 1)
    assert row.provider_message_id and row.provider_message_id in files[0].read_text()


def test_a_worker_killed_in_the_middle_of_a_send_and_restarted_sends_exactly_once(
    patient, tmp_path, queue, broker
):
    """SIGKILL while the gateway holds the request it already accepted.

    The crash rolls the attempt back, so the row is still "sending" and the
    broker still holds the unacknowledged message. Both ways back are taken:
    Redis hands the message to the restarted worker once its visibility
    timeout has passed (acks_late), and the dispatcher re-queues the row once
    it counts as stuck. One of the two sends again with the same reference, the
    gateway recognises it, and the other finds the row sent: one SMS, one
    "sent" row, nothing lost.
    """
    ContactPreferenceFactory(patient=patient)
    row = reminder_for(patient)
    reference = f"reminder-{row.id}"

    with DedupingGateway(hold_first=True) as gateway:
        env = app_env(
            tmp_path,
            SMS_BACKEND="http",
            SMS_GATEWAY_URL=gateway.url,
            CELERY_VISIBILITY_TIMEOUT=2,
        )
        first = worker(tmp_path, env, name="first", queue=queue)
        with running(first):
            assert reminders_claim_due() == [row.id]
            send_reminder.apply_async((row.id,), queue=queue)
            assert gateway.arrived.wait(timeout=60), first.log()
            first.kill()
        gateway.release()

        # What the crash left behind.
        row.refresh_from_db()
        assert (row.status, row.attempts, row.sent_at) == (Reminder.Status.SENDING, 0, None)
        assert list(gateway.delivered) == [reference]
        # The message was never acknowledged. Redis hands it out again once
        # the visibility timeout has passed since it was taken; a worker
        # looks for such messages when it starts.
        handed_out = unacked_since(broker, queue)
        assert handed_out is not None
        assert wait_for(lambda: time.time() > handed_out + 2.5, timeout=30)

        second = worker(tmp_path, env, name="second", queue=queue)
        with running(second):
            stuck = timezone.now() + datetime.timedelta(minutes=settings.REMINDER_STUCK_MINUTES)
            assert reminders_claim_due(now=stuck + datetime.timedelta(minutes=1)) == [row.id]
            send_reminder.apply_async((row.id,), queue=queue)

            assert wait_for(sent(row), timeout=90), second.log()
            # Both the redelivered message and the re-queued one were handled.
            assert wait_for(lambda: finished_sends(second) == 2, timeout=90), second.log()
            assert wait_for(lambda: idle(broker, queue), timeout=30), second.log()

    row.refresh_from_db()
    gateway_id, text = gateway.delivered[reference]
    assert (row.status, row.attempts, row.provider_message_id) == (SENT, 1, gateway_id)
    # The gateway was asked twice (the killed send, one retry) and delivered once.
    assert gateway.received == [reference, reference]
    assert len(gateway.delivered) == 1
    assert text.startswith("Reminder: you have an appointment")


def test_a_real_beat_process_dispatches_a_due_row(patient, tmp_path, queue):
    ContactPreferenceFactory(patient=patient)
    row = reminder_for(patient)
    # Beat publishes to this queue, and the worker (and its sends) use it too.
    env = app_env(tmp_path, CELERY_TASK_DEFAULT_QUEUE=queue, REMINDER_DISPATCH_SECONDS=1)

    with running(worker(tmp_path, env)) as process, running(beat(tmp_path, env)) as scheduler:
        assert wait_for(sent(row), timeout=90), process.log() + scheduler.log()
        assert "dispatch-due-reminders" in scheduler.log()

    files = list((tmp_path / "outbox" / "sms").iterdir())
    assert len(files) == 1
    row.refresh_from_db()
    assert row.attempts == 1
