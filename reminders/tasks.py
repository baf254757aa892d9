"""Thin tasks: ids in, the services decide. See reminders/services.py."""

from celery import shared_task
from django.conf import settings

from . import services
from .channels import TransientSendError


@shared_task(ignore_result=True)
def dispatch_due_reminders():
    """Every minute (beat): claim the due rows and queue one send each.

    If the broker fails half-way, the claimed rows stay "sending" and are
    re-queued by a later dispatch once they count as stuck: delayed, not lost.
    """
    for reminder_id in services.reminders_claim_due(limit=settings.REMINDER_DISPATCH_BATCH):
        send_reminder.delay(reminder_id)


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(TransientSendError,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    # The service counts attempts in the row and fails it at the limit; this
    # only keeps Celery from giving up first.
    max_retries=settings.REMINDER_MAX_ATTEMPTS,
)
def send_reminder(reminder_id):
    services.reminder_send(reminder_id=reminder_id)
