"""Claiming and sending: exactly once, retried, in the reader's language, never
to someone who opted out."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from reminders import tasks
from reminders.models import Reminder
from reminders.services import reminder_send, reminders_claim_due

from .factories import reminder_for

pytestmark = pytest.mark.django_db

STATUS = Reminder.Status


def test_a_due_reminder_is_sent_exactly_once_even_when_send_runs_twice(reachable_patient, sms):
    row = reminder_for(reachable_patient)
    now = timezone.now()

    claimed = reminders_claim_due(now=now)
    reminder_send(reminder_id=row.id, now=now)
    reminder_send(reminder_id=row.id, now=now)

    row.refresh_from_db()
    assert claimed == [row.id]
    assert len(sms.sent) == 1
    assert sms.sent[0]["to"] == "+38970123456"
    assert sms.sent[0]["reference"] == f"reminder-{row.id}"
    assert (row.status, row.attempts, row.provider_message_id) == (STATUS.SENT, 1, "mem-1")
    assert reminders_claim_due(now=now + datetime.timedelta(hours=1)) == []


def test_a_reminder_not_yet_due_is_not_claimed(reachable_patient):
    reminder_for(reachable_patient, due_in_hours=2)

    assert reminders_claim_due(now=timezone.now()) == []


def test_a_claimed_row_is_not_claimed_again_until_it_counts_as_stuck(reachable_patient, settings):
    settings.REMINDER_STUCK_MINUTES = 15
    row = reminder_for(reachable_patient)
    now = timezone.now()

    assert reminders_claim_due(now=now) == [row.id]
    assert reminders_claim_due(now=now + datetime.timedelta(minutes=14)) == []
    # Its worker died or its message was lost: queued and claimed again.
    assert reminders_claim_due(now=now + datetime.timedelta(minutes=16)) == [row.id]


def test_the_dispatch_task_queues_one_send_per_due_row(reachable_patient):
    due = reminder_for(reachable_patient)
    reminder_for(reachable_patient, due_in_hours=3)

    with mock.patch.object(tasks.send_reminder, "delay") as delay:
        tasks.dispatch_due_reminders()

    delay.assert_called_once_with(due.id)
    due.refresh_from_db()
    assert due.status == STATUS.SENDING


def test_a_transient_failure_is_retried_and_then_sent(reachable_patient, sms):
    sms.failures = 2
    row = reminder_for(reachable_patient)
    reminders_claim_due()

    # Eager apply runs Celery's retries inline (their countdown is skipped).
    tasks.send_reminder.apply(args=(row.id,))

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (STATUS.SENT, 3, "")
    assert len(sms.sent) == 1


def test_a_reminder_that_keeps_failing_is_marked_failed_with_the_reason(
    reachable_patient, sms, settings
):
    settings.REMINDER_MAX_ATTEMPTS = 3
    sms.failures = 99
    row = reminder_for(reachable_patient)
    reminders_claim_due()

    tasks.send_reminder.apply(args=(row.id,))

    row.refresh_from_db()
    assert (row.status, row.attempts) == (STATUS.FAILED, 3)
    assert row.last_error == "SMS gateway answered 503"
    assert sms.sent == []


def test_a_transient_failure_keeps_the_attempt_when_it_raises(reachable_patient, sms):
    from reminders.channels import TransientSendError

    sms.failures = 1
    row = reminder_for(reachable_patient)
    reminders_claim_due()

    with pytest.raises(TransientSendError):
        reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (STATUS.SENDING, 1)


def test_a_macedonian_patient_gets_the_macedonian_text(reachable_patient, sms):
    reachable_patient.language = "mk"
    reachable_patient.save()
    reachable_patient.clinic.name = "Клиника Скопје"
    reachable_patient.clinic.save()
    row = reminder_for(reachable_patient)
    reminders_claim_due()

    reminder_send(reminder_id=row.id)

    text = sms.sent[0]["text"]
    assert text.startswith("Потсетник:")
    assert "Клиника Скопје" in text
    assert "appointment" not in text


def test_the_message_carries_no_clinical_detail(reachable_patient, sms):
    row = reminder_for(reachable_patient)
    reminders_claim_due()

    reminder_send(reminder_id=row.id)

    text = sms.sent[0]["text"]
    assert reachable_patient.full_name not in text
    assert reachable_patient.clinic.name in text


def test_an_opted_out_patient_gets_nothing(reachable_patient, sms):
    row = reminder_for(reachable_patient)
    reminders_claim_due()
    reachable_patient.contact_preference.opted_out_at = timezone.now()
    reachable_patient.contact_preference.save()

    reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert sms.sent == []
    assert (row.status, row.last_error) == (STATUS.CANCELLED, "patient opted out")


def test_a_reminder_for_a_moved_appointment_is_not_sent(reachable_patient, sms):
    row = reminder_for(reachable_patient)
    reminders_claim_due()
    row.session.next_appointment += datetime.timedelta(days=7)
    row.session.save()

    reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert sms.sent == []
    assert row.status == STATUS.CANCELLED


def test_a_carer_is_reminded_by_email_in_their_own_language(
    reachable_patient, carer_with_consent, mailoutbox
):
    from patients.models import Carer

    carer_with_consent.language = "sq"
    carer_with_consent.save()
    carer = Carer.objects.get(user=carer_with_consent)
    row = reminder_for(
        reachable_patient,
        kind=Reminder.Kind.APPOINTMENT_CARER,
        recipient_key=f"carer:{carer.pk}",
        carer=carer,
        channel="email",
    )
    reminders_claim_due()

    reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert row.status == STATUS.SENT
    assert mailoutbox[0].to == [carer_with_consent.email]
    assert row.provider_message_id == mailoutbox[0].extra_headers["Message-ID"]
    assert mailoutbox[0].body.startswith("Kujtesë:")
