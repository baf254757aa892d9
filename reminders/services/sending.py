"""Claiming due rows and sending them, exactly once.

Sending re-reads and locks the row and holds the lock while the message is
handed over, so two deliveries of the same task, or a row re-queued while its
first send is still running, cannot both send. A worker that dies in the
middle leaves the row "sending"; the broker redelivers its message (acks_late)
or the dispatcher re-queues the row once it counts as stuck, and the retry
hands the message over again with the same reference (``reminder-<id>``) and
Message-ID, which gateways use to drop the duplicate. README "Delivery
guarantee" says what that does and does not promise.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .. import channels
from ..models import Channel, Reminder
from .messages import message_for

logger = logging.getLogger(__name__)

KIND = Reminder.Kind
STATUS = Reminder.Status


def reminders_claim_due(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """Mark up to ``limit`` due rows "sending" and return their ids, oldest first.

    Rows left "sending" for longer than ``REMINDER_STUCK_MINUTES`` (their worker
    died, or their message was lost with the broker) are queued again first.
    On PostgreSQL, rows another dispatcher or a sender holds are skipped (so a
    row being sent right now is never re-queued under it); SQLite runs one
    writer at a time, so a status guard is enough there.
    """
    now = now or timezone.now()
    stuck_before = now - datetime.timedelta(minutes=settings.REMINDER_STUCK_MINUTES)
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        stuck = Reminder.objects.filter(status=STATUS.SENDING, claimed_at__lt=stuck_before)
        if skip_locked:
            stuck = stuck.select_for_update(skip_locked=True)
        stuck_ids = list(stuck.values_list("id", flat=True))
        if stuck_ids:
            Reminder.objects.filter(id__in=stuck_ids, status=STATUS.SENDING).update(
                status=STATUS.QUEUED, updated_at=now
            )
            logger.warning("re-queued %d reminders stuck in sending", len(stuck_ids))
        due = Reminder.objects.filter(status=STATUS.QUEUED, due_at__lte=now).order_by(
            "due_at", "id"
        )
        if skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        Reminder.objects.filter(id__in=ids, status=STATUS.QUEUED).update(
            status=STATUS.SENDING, claimed_at=now, updated_at=now
        )
    return ids


def reminders_release(*, ids: Iterable[int], claimed_at: datetime.datetime) -> int:
    """Put rows claimed at ``claimed_at`` whose send could not be queued (the
    broker went away during a dispatch) back to "queued", so the next dispatch
    takes them instead of waiting until they count as stuck. A row a sender
    has started on carries the sender's time and stays as it is."""
    return Reminder.objects.filter(id__in=ids, status=STATUS.SENDING, claimed_at=claimed_at).update(
        status=STATUS.QUEUED, claimed_at=None, updated_at=timezone.now()
    )


# An action's reminder goes out on its due day, after the day's midnight.
ACTION_KINDS = (KIND.ACTION_DUE, KIND.ACTION_DUE_CARER, KIND.ACTION_DUE_CLINICIAN)


def _still_wanted(reminder: Reminder, now: datetime.datetime) -> str:
    """Why a queued reminder should no longer go out, or ''."""
    appointment = reminder.appointment
    if appointment is not None:
        if appointment.cancelled_at is not None:
            return "appointment cancelled"
        if appointment.starts_at != reminder.event_at:
            return "appointment changed"
    if reminder.kind == KIND.AGENDA_CLINICIAN:
        if now - reminder.event_at >= datetime.timedelta(days=1):
            return "day already passed"
    elif reminder.kind not in ACTION_KINDS and reminder.event_at < now:
        return "appointment already passed"
    return ""


def message_id_for(reminder: Reminder) -> str:
    """The same Message-ID on every attempt of one reminder, unique to this
    installation: a mail system that sees it twice can drop the copy."""
    site = salted_hmac("dialogplus.reminders.message-id", "site").hexdigest()[:12]
    return f"<reminder-{reminder.pk}.{site}@{settings.DIALOGPLUS_MAIL_DOMAIN}>"


def reminder_send(*, reminder_id: int, now: datetime.datetime | None = None) -> Reminder | None:
    """Send one reminder, exactly once.

    Does nothing unless the row is queued or sending and due. The row stays
    locked while the message is handed over, so a second delivery of the task
    waits, then finds it sent. A transient failure is recorded and raised for
    the task to retry; after ``REMINDER_MAX_ATTEMPTS`` the row is failed with the
    reason. Returns the row.
    """
    now = now or timezone.now()
    transient = None
    with transaction.atomic():
        reminder = (
            # Lock the reminder only; the joined rows are read, not locked (and
            # PostgreSQL cannot lock the nullable side of an outer join).
            Reminder.objects.select_for_update(of=("self",))
            .select_related("clinic", "patient", "carer__user", "carer__patient", "user")
            .select_related("appointment")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.status not in (STATUS.QUEUED, STATUS.SENDING):
            return reminder
        if reminder.due_at > now:
            # Rescheduled after it was claimed: the dispatcher will claim it again.
            reminder.status = STATUS.QUEUED
            reminder.save(update_fields=["status", "updated_at"])
            return reminder
        reason = _still_wanted(reminder, now)
        message = None
        if not reason:
            message, reason = message_for(reminder)
        if message is None:
            reminder.status = STATUS.CANCELLED
            reminder.last_error = reason
            reminder.save(update_fields=["status", "last_error", "updated_at"])
            return reminder
        reminder.attempts += 1
        reminder.claimed_at = now
        try:
            if reminder.channel == Channel.EMAIL:
                provider_id = channels.send_email(
                    to=message.address,
                    subject=message.subject,
                    body=message.body,
                    message_id=message_id_for(reminder),
                )
            else:
                provider_id = channels.send_sms(
                    to=message.address, text=message.body, reference=f"reminder-{reminder.pk}"
                )
        except channels.TransientSendError as exc:
            reminder.last_error = str(exc)[:300]
            if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
                reminder.status = STATUS.FAILED
            else:
                reminder.status = STATUS.SENDING
                transient = exc
        except channels.PermanentSendError as exc:
            reminder.last_error = str(exc)[:300]
            reminder.status = STATUS.FAILED
        else:
            reminder.status = STATUS.SENT
            reminder.sent_at = now
            reminder.provider_message_id = provider_id[:200]
            reminder.last_error = ""
        reminder.save()
    if transient is not None:
        # Raised after the commit, so the attempt and its reason are kept.
        raise transient
    return reminder


def reminder_retry(*, reminder: Reminder) -> Reminder:
    """Queue a failed or cancelled reminder again, due now, attempts reset."""
    if reminder.status not in (STATUS.FAILED, STATUS.CANCELLED):
        return reminder
    reminder.status = STATUS.QUEUED
    reminder.attempts = 0
    reminder.due_at = min(reminder.due_at, timezone.now())
    reminder.claimed_at = None
    reminder.save(update_fields=["status", "attempts", "due_at", "claimed_at", "updated_at"])
    return reminder
