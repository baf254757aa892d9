"""When reminders are due: wall-clock hours in the clinic's zone, quiet hours,
one row per appointment, kind and recipient."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from reminders.models import Appointment, Reminder
from reminders.services import (
    appointment_cancel,
    appointment_set,
    reminder_due_at,
    reminder_send,
    reminders_claim_due,
    reminders_schedule_for_appointment,
    reminders_schedule_for_session,
)
from tests.factories import session_complete

from .factories import CarerContactPreferenceFactory, appointment_for

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")
UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)


def local(*args):
    return datetime.datetime(*args, tzinfo=BELGRADE)


def soon(days, hour):
    """A Belgrade time ``days`` from today: booked through the services, an
    appointment must be in the future and within the planning year."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return local(day.year, day.month, day.day, hour)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture(autouse=True)
def reminder_settings(settings):
    settings.REMINDER_HOURS_BEFORE = 24
    settings.REMINDER_QUIET_HOURS = (21, 8)


@pytest.mark.parametrize(
    ("appointment", "expected_utc"),
    [
        # Spring forward, 2027-03-28 02:00 -> 03:00: the day before is CET (+1),
        # the appointment day CEST (+2). Both reminders go out at 10:00 local.
        pytest.param(local(2027, 3, 28, 10), utc(2027, 3, 27, 9), id="on-spring-forward-day"),
        pytest.param(local(2027, 3, 29, 10), utc(2027, 3, 28, 8), id="day-after-spring-forward"),
        # Fall back, 2026-10-25 and 2027-10-31 03:00 -> 02:00.
        pytest.param(local(2026, 10, 25, 10), utc(2026, 10, 24, 8), id="on-fall-back-day-2026"),
        pytest.param(local(2026, 10, 26, 10), utc(2026, 10, 25, 9), id="day-after-fall-back-2026"),
        pytest.param(local(2027, 10, 31, 10), utc(2027, 10, 30, 8), id="on-fall-back-day-2027"),
        pytest.param(local(2027, 11, 1, 10), utc(2027, 10, 31, 9), id="day-after-fall-back-2027"),
    ],
)
def test_reminder_is_due_at_the_same_local_hour_the_day_before_across_clock_changes(
    appointment, expected_utc
):
    due = reminder_due_at(event_at=appointment, time_zone="Europe/Belgrade", now=utc(2026, 1, 1))

    assert due == expected_utc
    assert due.astimezone(BELGRADE).hour == 10


@pytest.mark.parametrize(
    ("appointment", "hours_before", "now", "expected_local"),
    [
        # 24 h before 07:30 is 07:30, in quiet hours: moved to 08:00 the same morning.
        (local(2026, 6, 11, 7, 30), 24, local(2026, 6, 1), local(2026, 6, 10, 8)),
        # 24 h before 22:00 is 22:00: moved to 08:00 the next morning, still before it.
        (local(2026, 6, 11, 22), 24, local(2026, 6, 1), local(2026, 6, 11, 8)),
        # Booked at 23:00 for 09:30 tomorrow: the day-before time has passed and
        # now is quiet, so it goes out when quiet hours end.
        (local(2026, 6, 11, 9, 30), 24, local(2026, 6, 10, 23), local(2026, 6, 11, 8)),
        # 2 h before 08:30 is 06:30; 08:00 would leave half an hour, so it goes
        # out before quiet hours began, at 20:00 the evening before.
        (local(2026, 6, 11, 8, 30), 2, local(2026, 6, 1), local(2026, 6, 10, 20)),
    ],
)
def test_reminder_is_moved_out_of_quiet_hours(appointment, hours_before, now, expected_local):
    due = reminder_due_at(
        event_at=appointment, time_zone="Europe/Belgrade", hours_before=hours_before, now=now
    )

    assert due == expected_local.astimezone(UTC)


def test_a_reminder_booked_too_late_for_the_day_before_goes_out_now(settings):
    now = local(2026, 6, 10, 15)

    due = reminder_due_at(event_at=local(2026, 6, 11, 9), time_zone="Europe/Belgrade", now=now)

    assert due == now.astimezone(UTC)


@pytest.mark.parametrize(
    ("appointment", "reminder_local"),
    [
        (local(2027, 3, 28, 10), local(2027, 3, 27, 10)),
        (local(2027, 3, 29, 10), local(2027, 3, 28, 10)),
        (local(2026, 10, 25, 10), local(2026, 10, 24, 10)),
        (local(2026, 10, 26, 9), local(2026, 10, 25, 9)),
        (local(2027, 10, 31, 11), local(2027, 10, 30, 11)),
    ],
)
def test_each_dst_appointment_is_sent_once_at_the_right_local_hour(
    reachable_patient, sms, mailoutbox, appointment, reminder_local
):
    booked = appointment_for(reachable_patient, appointment)
    reminders_schedule_for_appointment(appointment=booked, now=local(2026, 1, 1))
    row = Reminder.objects.get(appointment=booked, kind=Reminder.Kind.APPOINTMENT_PATIENT)
    due = reminder_local.astimezone(UTC)

    assert reminders_claim_due(now=due - MINUTE) == []
    claimed = reminders_claim_due(now=due)
    for reminder_id in claimed:
        reminder_send(reminder_id=reminder_id, now=due)
    assert reminders_claim_due(now=due + datetime.timedelta(days=2)) == []

    assert claimed == [row.id]
    assert len(sms.sent) == 1
    assert mailoutbox == []
    row.refresh_from_db()
    assert row.status == Reminder.Status.SENT
    assert row.sent_at.astimezone(BELGRADE).hour == reminder_local.hour
    # The text names the appointment's local time, not UTC's.
    assert f"{appointment.hour}:{appointment.minute:02d}" in sms.sent[0]["text"]


def test_scheduling_twice_creates_each_reminder_once(reachable_patient, carer_with_consent):
    carer = reachable_patient.carers.get(user=carer_with_consent)
    CarerContactPreferenceFactory(carer=carer)
    booked = appointment_for(reachable_patient, local(2030, 5, 6, 11))

    reminders_schedule_for_appointment(appointment=booked, now=local(2030, 1, 1))
    reminders_schedule_for_appointment(appointment=booked, now=local(2030, 1, 1))

    kinds = sorted(Reminder.objects.values_list("kind", flat=True))
    assert kinds == ["appointment_carer", "appointment_patient"]


def test_the_database_refuses_a_second_row_for_the_same_appointment_kind_and_recipient(
    reachable_patient,
):
    from django.db import IntegrityError

    from tests.reminders.factories import reminder_for

    first = reminder_for(reachable_patient)

    with pytest.raises(IntegrityError):
        Reminder.objects.create(
            clinic=first.clinic,
            patient=first.patient,
            kind=first.kind,
            recipient_key=first.recipient_key,
            channel=first.channel,
            appointment=first.appointment,
            event_at=first.event_at,
            due_at=first.due_at,
        )


def test_the_database_refuses_a_reminder_about_nothing(reachable_patient):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Reminder.objects.create(
            clinic=reachable_patient.clinic,
            patient=reachable_patient,
            kind=Reminder.Kind.APPOINTMENT_PATIENT,
            recipient_key=f"patient:{reachable_patient.pk}",
            channel="sms",
            event_at=local(2030, 5, 6, 11),
            due_at=local(2030, 5, 5, 11),
        )


def test_cancelling_the_appointment_cancels_its_reminders(
    reachable_patient, django_capture_on_commit_callbacks
):
    booked = appointment_for(reachable_patient, local(2030, 5, 6, 11))
    reminders_schedule_for_appointment(appointment=booked, now=local(2030, 1, 1))

    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=booked)

    assert list(Reminder.objects.values_list("status", "last_error")) == [
        ("cancelled", "appointment cancelled")
    ]


def test_moving_the_appointment_replaces_it_and_its_reminder(
    reachable_patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = appointment_set(patient=reachable_patient, when=soon(30, 11))
    with django_capture_on_commit_callbacks(execute=True):
        moved = appointment_set(patient=reachable_patient, when=soon(37, 14))

    first.refresh_from_db()
    assert first.cancelled_at is not None
    assert Reminder.objects.get(appointment=first).status == Reminder.Status.CANCELLED
    row = Reminder.objects.get(appointment=moved, kind=Reminder.Kind.APPOINTMENT_PATIENT)
    assert (row.status, row.due_at) == ("queued", soon(36, 14).astimezone(UTC))
    assert Appointment.objects.filter(patient=reachable_patient, cancelled_at=None).count() == 1


def test_setting_the_same_time_twice_books_it_once(reachable_patient):
    first = appointment_set(patient=reachable_patient, when=soon(30, 11))
    again = appointment_set(patient=reachable_patient, when=soon(30, 11))

    assert again == first
    assert Appointment.objects.filter(patient=reachable_patient).count() == 1


def test_the_database_refuses_two_bookings_of_one_patient_at_one_time(reachable_patient):
    from django.db import IntegrityError

    appointment_for(reachable_patient, local(2030, 5, 6, 11))

    with pytest.raises(IntegrityError):
        appointment_for(reachable_patient, local(2030, 5, 6, 11))


def test_no_patient_reminder_without_consent_and_none_to_a_carer_without_both_consents(
    patient, carer_with_consent, carer_withdrawn
):
    # The withdrawn carer agreed to reminders, but the patient withdrew their
    # consent for them; the other carer has the patient's consent but never
    # agreed to reminders themselves.
    withdrawn = patient.carers.get(user=carer_withdrawn)
    CarerContactPreferenceFactory(carer=withdrawn)
    booked = appointment_for(patient, local(2030, 5, 6, 11))

    reminders_schedule_for_appointment(appointment=booked, now=local(2030, 1, 1))

    assert not Reminder.objects.exists()


def test_a_carer_is_reminded_by_their_own_channel(patient, carer_with_consent):
    carer = patient.carers.get(user=carer_with_consent)
    carer.phone = "+38164555666"
    carer.save()
    CarerContactPreferenceFactory(carer=carer, channel="sms")
    booked = appointment_for(patient, local(2030, 5, 6, 11))

    reminders_schedule_for_appointment(appointment=booked, now=local(2030, 1, 1))

    row = Reminder.objects.get()
    assert (row.kind, row.channel, row.carer) == ("appointment_carer", "sms", carer)


def test_finishing_a_session_books_the_appointment_and_schedules_it_after_the_commit(
    reachable_patient, django_capture_on_commit_callbacks
):
    appointment = datetime.datetime.now(UTC) + datetime.timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        session = session_complete(reachable_patient, next_appointment=appointment)

    booked = Appointment.objects.get(patient=reachable_patient)
    assert (booked.starts_at, booked.session, booked.created_by) == (
        appointment,
        session,
        session.clinician,
    )
    assert Reminder.objects.filter(
        appointment=booked, kind=Reminder.Kind.APPOINTMENT_PATIENT, event_at=appointment
    ).exists()


def test_finishing_a_session_without_a_date_keeps_the_booked_appointment(
    reachable_patient, django_capture_on_commit_callbacks
):
    booked = appointment_set(patient=reachable_patient, when=soon(30, 11))

    session_complete(reachable_patient)

    assert list(Appointment.objects.filter(cancelled_at=None)) == [booked]


def test_an_action_due_date_gets_one_reminder_that_morning(reachable_patient):
    from sessions_app.models import Action

    session = session_complete(reachable_patient, actions={"job": ["Phone the job centre"]})
    Action.objects.filter(area__session=session).update(due_date=datetime.date(2030, 5, 6))

    reminders_schedule_for_session(session=session, now=local(2030, 1, 1))
    reminders_schedule_for_session(session=session, now=local(2030, 1, 1))

    row = Reminder.objects.get(kind=Reminder.Kind.ACTION_DUE)
    assert row.due_at == local(2030, 5, 6, 9).astimezone(UTC)
    assert row.appointment is None
