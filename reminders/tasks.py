"""Thin tasks: ids in, the services decide. See reminders/services/."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import services
from .channels import TransientSendError


@shared_task(ignore_result=True)
def dispatch_due_reminders():
    """Every minute (beat): claim the due rows and queue one send each.

    If the broker fails half-way, the rows not yet queued are put back at once
    for the next dispatch; a message lost after it was queued leaves its row
    "sending" until a later dispatch re-queues it as stuck: delayed, not lost.
    """
    now = timezone.now()
    ids = services.reminders_claim_due(now=now, limit=settings.REMINDER_DISPATCH_BATCH)
    for index, reminder_id in enumerate(ids):
        try:
            send_reminder.delay(reminder_id)
        except OperationalError:
            services.reminders_release(ids=ids[index:], claimed_at=now)
            raise


@shared_task(ignore_result=True)
def schedule_agenda_emails():
    """Every ten minutes (beat): write the rows of the clinicians' daily agenda."""
    services.agenda_reminders_schedule()


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(TransientSendError,),
    retry_backoff=30,
    # Under REMINDER_STUCK_MINUTES, so a waiting retry is not overtaken by the
    # dispatcher re-queueing its row (which would be harmless, only wasteful).
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    # The service counts attempts in the row and fails it at the limit; this
    # only keeps Celery from giving up first.
    max_retries=settings.REMINDER_MAX_ATTEMPTS,
)
def send_reminder(reminder_id):
    services.reminder_send(reminder_id=reminder_id)
