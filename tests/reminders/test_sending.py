"""Claiming and sending: exactly once, retried, in the reader's language, never
to someone who opted out."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from patients.models import Carer
from reminders import tasks
from reminders.models import Appointment, Reminder
from reminders.services import reminder_send, reminders_claim_due

from .factories import CarerContactPreferenceFactory, reminder_for

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
    row.appointment.starts_at += datetime.timedelta(days=7)
    row.appointment.save()

    reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert sms.sent == []
    assert (row.status, row.last_error) == (STATUS.CANCELLED, "appointment changed")


def test_a_reminder_for_a_cancelled_appointment_is_not_sent(reachable_patient, sms):
    row = reminder_for(reachable_patient)
    reminders_claim_due()
    row.appointment.cancelled_at = timezone.now()
    row.appointment.save()

    reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert sms.sent == []
    assert (row.status, row.last_error) == (STATUS.CANCELLED, "appointment cancelled")


def carer_reminder(patient, carer, **values):
    return reminder_for(
        patient,
        kind=Reminder.Kind.APPOINTMENT_CARER,
        recipient_key=f"carer:{carer.pk}",
        carer=carer,
        channel=values.pop("channel", "email"),
        **values,
    )


def test_a_carer_is_reminded_by_email_in_their_own_language(
    reachable_patient, carer_with_consent, mailoutbox
):
    carer_with_consent.language = "sq"
    carer_with_consent.save()
    carer = Carer.objects.get(user=carer_with_consent)
    CarerContactPreferenceFactory(carer=carer)
    row = carer_reminder(reachable_patient, carer)
    reminders_claim_due()

    reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert row.status == STATUS.SENT
    assert mailoutbox[0].to == [carer_with_consent.email]
    assert row.provider_message_id == mailoutbox[0].extra_headers["Message-ID"]
    assert mailoutbox[0].body.startswith("Kujtesë:")
    assert reachable_patient.full_name not in mailoutbox[0].body


def test_a_carer_is_reminded_by_sms_at_their_own_number_in_the_language_noted_for_them(
    reachable_patient, carer_with_consent, sms
):
    carer = Carer.objects.get(user=carer_with_consent)
    carer.phone = "+38164555666"
    carer.language = "mk"
    carer.save()
    CarerContactPreferenceFactory(carer=carer, channel="sms")
    row = carer_reminder(reachable_patient, carer, channel="sms")
    reminders_claim_due()

    reminder_send(reminder_id=row.id)

    assert sms.sent[0]["to"] == "+38164555666"
    assert sms.sent[0]["text"].startswith("Потсетник:")


def test_a_carer_whose_consent_the_patient_withdrew_gets_nothing(
    reachable_patient, carer_with_consent, mailoutbox
):
    carer = Carer.objects.get(user=carer_with_consent)
    CarerContactPreferenceFactory(carer=carer)
    row = carer_reminder(reachable_patient, carer)
    reminders_claim_due()
    carer.consent_withdrawn_at = timezone.now()
    carer.save()

    reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert mailoutbox == []
    assert (row.status, row.last_error) == (STATUS.CANCELLED, "carer consent withdrawn")


def test_a_carer_who_opted_out_gets_nothing(reachable_patient, carer_with_consent, mailoutbox):
    carer = Carer.objects.get(user=carer_with_consent)
    CarerContactPreferenceFactory(carer=carer, opted_out_at=timezone.now())
    row = carer_reminder(reachable_patient, carer)
    reminders_claim_due()

    reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert mailoutbox == []
    assert (row.status, row.last_error) == (STATUS.CANCELLED, "carer opted out")


def test_every_patient_message_ends_with_a_short_opt_out_link(reachable_patient, sms, settings):
    from reminders import optout

    settings.DIALOGPLUS_PUBLIC_URL = "https://dialogplus.example.org"
    row = reminder_for(reachable_patient)
    # Without a rating link (tests/sessions_app/test_rating_links.py has those).
    Appointment.objects.filter(pk=row.appointment_id).update(send_rating_link=False)
    reminders_claim_due()

    reminder_send(reminder_id=row.id)

    text = sms.sent[0]["text"]
    link = text.rsplit(" ", 1)[1]
    assert link.startswith("https://dialogplus.example.org/s/")
    token = link.rsplit("/", 1)[1]
    assert len(token) == 16
    # A random stored key and its signature: no id, no code, no name.
    assert token[:8] == reachable_patient.contact_preference.opt_out_key
    assert reachable_patient.code not in link
    assert optout.preference_for_token(token) == reachable_patient.contact_preference
    # One SMS in English, link included.
    assert len(text) <= 160


def test_an_email_reminder_keeps_its_message_id_on_every_attempt(
    reachable_patient, mailoutbox, settings
):
    from reminders.services import message_id_for

    settings.EMAIL_BACKEND = "tests.reminders.test_sending.FlakyEmailBackend"
    FlakyEmailBackend.failures = 1
    pref = reachable_patient.contact_preference
    pref.channel = "email"
    pref.save()
    row = reminder_for(reachable_patient, channel="email")
    reminders_claim_due()

    tasks.send_reminder.apply(args=(row.id,))

    row.refresh_from_db()
    assert row.status == STATUS.SENT
    assert FlakyEmailBackend.message_ids == [message_id_for(row)] * 2
    assert row.provider_message_id == message_id_for(row)


class FlakyEmailBackend:
    """An email backend whose first ``failures`` sends fail like a lost connection."""

    failures = 0
    message_ids = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FlakyEmailBackend.message_ids.extend(m.extra_headers["Message-ID"] for m in messages)
        if FlakyEmailBackend.failures:
            FlakyEmailBackend.failures -= 1
            raise ConnectionResetError("connection reset")
        return len(messages)


def test_a_dispatch_that_loses_the_broker_puts_the_rest_back(reachable_patient):
    from kombu.exceptions import OperationalError

    first = reminder_for(reachable_patient, due_in_hours=-2)
    second = reminder_for(reachable_patient, due_in_hours=-1)
    calls = []

    def delay(reminder_id):
        calls.append(reminder_id)
        if len(calls) == 2:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379")

    with (
        mock.patch.object(tasks.send_reminder, "delay", side_effect=delay),
        pytest.raises(OperationalError),
    ):
        tasks.dispatch_due_reminders()

    first.refresh_from_db()
    second.refresh_from_db()
    assert calls == [first.id, second.id]
    # The one that was queued waits for its worker; the other is due again at once.
    assert (first.status, second.status) == (STATUS.SENDING, STATUS.QUEUED)
    assert reminders_claim_due() == [second.id]


def test_sending_reads_and_writes_a_fixed_number_of_rows(
    reachable_patient, carer_with_consent, sms
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    carer = Carer.objects.get(user=carer_with_consent)
    CarerContactPreferenceFactory(carer=carer)
    patients = reminder_for(reachable_patient)
    carers = carer_reminder(reachable_patient, carer, appointment=patients.appointment)
    # A rating link adds its own writes (a session, the link): see test_rating_links.py.
    Appointment.objects.filter(pk=patients.appointment_id).update(send_rating_link=False)
    reminders_claim_due()

    for row in (patients, carers):
        with CaptureQueriesContext(connection) as queries:
            reminder_send(reminder_id=row.id)
        statements = [
            q["sql"].split()[0]
            for q in queries.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
        ]
        # The row with what it needs, the preference, the outcome.
        assert statements == ["SELECT", "SELECT", "UPDATE"], row.kind
