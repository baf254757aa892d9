"""The clinicians' daily agenda email: one per clinician and local day, at the
agenda hour on the clinic's clock, times and patient codes only."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from reminders.models import Reminder
from reminders.services import agenda_reminders_schedule, reminder_send, reminders_claim_due
from tests.factories import ClinicianFactory, PatientFactory

from .factories import appointment_for

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")
UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)
AGENDA = Reminder.Kind.AGENDA_CLINICIAN


def local(*args):
    return datetime.datetime(*args, tzinfo=BELGRADE)


@pytest.fixture(autouse=True)
def agenda_settings(settings):
    settings.REMINDER_AGENDA_HOUR = 7
    # Quiet until 06:00, so the 07:00 agenda keeps its hour.
    settings.REMINDER_QUIET_HOURS = (21, 6)
    settings.DIALOGPLUS_PUBLIC_URL = "https://dialogplus.example.org"


def send_due(now):
    claimed = reminders_claim_due(now=now)
    return [reminder_send(reminder_id=reminder_id, now=now) for reminder_id in claimed]


def test_one_row_per_clinician_and_day_with_appointments(clinic, clinician, colleague, patient):
    other = PatientFactory(clinic=clinic, key_clinician=clinician)
    theirs = PatientFactory(clinic=clinic, key_clinician=colleague)
    appointment_for(patient, local(2030, 5, 7, 9))
    appointment_for(other, local(2030, 5, 7, 15))
    appointment_for(theirs, local(2030, 5, 8, 10))
    now = local(2030, 5, 6, 20)

    agenda_reminders_schedule(now=now)
    agenda_reminders_schedule(now=now)
    # The next morning the colleague's day is "tomorrow".
    agenda_reminders_schedule(now=local(2030, 5, 7, 8))

    rows = Reminder.objects.filter(kind=AGENDA).order_by("agenda_date")
    assert [(r.user, r.agenda_date, r.patient) for r in rows] == [
        (clinician, datetime.date(2030, 5, 7), None),
        (colleague, datetime.date(2030, 5, 8), None),
    ]
    assert rows[0].due_at == local(2030, 5, 7, 7).astimezone(UTC)


def test_the_database_refuses_a_second_agenda_for_the_same_clinician_and_day(clinic, clinician):
    from django.db import IntegrityError

    values = {
        "clinic": clinic,
        "kind": AGENDA,
        "channel": "email",
        "user": clinician,
        "recipient_key": f"user:{clinician.pk}",
        "agenda_date": datetime.date(2030, 5, 7),
        "event_at": local(2030, 5, 7),
        "due_at": local(2030, 5, 7, 7),
    }
    Reminder.objects.create(**values)

    with pytest.raises(IntegrityError):
        Reminder.objects.create(**values)


@pytest.mark.parametrize(
    ("day", "expected_utc"),
    [
        # Spring forward on 2027-03-28: 07:00 is already summer time (UTC+2).
        pytest.param(datetime.date(2027, 3, 28), datetime.datetime(2027, 3, 28, 5, tzinfo=UTC)),
        pytest.param(datetime.date(2027, 3, 27), datetime.datetime(2027, 3, 27, 6, tzinfo=UTC)),
        # Fall back on 2026-10-25: 07:00 is winter time again (UTC+1).
        pytest.param(datetime.date(2026, 10, 25), datetime.datetime(2026, 10, 25, 6, tzinfo=UTC)),
        pytest.param(datetime.date(2026, 10, 24), datetime.datetime(2026, 10, 24, 5, tzinfo=UTC)),
    ],
    ids=["spring-forward-day", "day-before-spring", "fall-back-day", "day-before-fall"],
)
def test_the_agenda_goes_out_once_at_seven_on_the_clinics_clock_across_clock_changes(
    patient, clinician, mailoutbox, day, expected_utc
):
    appointment_for(patient, datetime.datetime.combine(day, datetime.time(10, 30), BELGRADE))
    agenda_reminders_schedule(now=datetime.datetime.combine(day, datetime.time(0, 5), BELGRADE))
    row = Reminder.objects.get(kind=AGENDA)

    assert row.due_at == expected_utc
    assert send_due(expected_utc - MINUTE) == []
    sent = send_due(expected_utc)
    assert send_due(expected_utc + datetime.timedelta(hours=3)) == []

    assert [r.id for r in sent] == [row.id]
    row.refresh_from_db()
    assert row.status == Reminder.Status.SENT
    assert row.sent_at.astimezone(BELGRADE).hour == 7
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [clinician.email]
    assert "10:30" in mailoutbox[0].body


def test_quiet_hours_move_the_agenda_to_their_end(settings, patient):
    settings.REMINDER_QUIET_HOURS = (21, 8)
    appointment_for(patient, local(2030, 5, 7, 9))

    agenda_reminders_schedule(now=local(2030, 5, 6, 12))

    assert Reminder.objects.get(kind=AGENDA).due_at == local(2030, 5, 7, 8).astimezone(UTC)


def test_the_agenda_lists_times_and_codes_only_with_a_link(clinic, clinician, patient, mailoutbox):
    later = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Lena Later")
    cancelled = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Cid Cancel")
    appointment_for(later, local(2030, 5, 7, 14, 15))
    appointment_for(patient, local(2030, 5, 7, 9))
    appointment_for(cancelled, local(2030, 5, 7, 11), cancelled_at=local(2030, 5, 1))
    agenda_reminders_schedule(now=local(2030, 5, 6, 20))

    send_due(local(2030, 5, 7, 7))

    body = mailoutbox[0].body
    assert body.index(patient.code) < body.index(later.code)
    assert "09:00" in body and "14:15" in body
    assert cancelled.code not in body
    for name in ("Petra Patient", "Lena Later", "Cid Cancel"):
        assert name not in body and name not in mailoutbox[0].subject
    assert "https://dialogplus.example.org/reminders/agenda/" in body
    assert "/s/" not in body  # staff email: no opt-out link


def test_the_agenda_is_in_the_clinicians_language(clinician, patient, mailoutbox):
    clinician.language = "mk"
    clinician.save()
    appointment_for(patient, local(2030, 3, 7, 9))
    agenda_reminders_schedule(now=local(2030, 3, 6, 20))

    send_due(local(2030, 3, 7, 7))

    # Django's own Macedonian month name, in the date of the subject.
    assert "март" in mailoutbox[0].subject.lower()


def test_a_day_whose_appointments_were_all_cancelled_sends_nothing(patient, mailoutbox):
    booked = appointment_for(patient, local(2030, 5, 7, 9))
    agenda_reminders_schedule(now=local(2030, 5, 6, 20))
    booked.cancelled_at = local(2030, 5, 6, 21)
    booked.save()

    send_due(local(2030, 5, 7, 7))

    row = Reminder.objects.get(kind=AGENDA)
    assert mailoutbox == []
    assert (row.status, row.last_error) == ("cancelled", "no appointments that day")


def test_a_clinician_who_left_the_clinic_gets_no_agenda(clinician, patient, mailoutbox):
    appointment_for(patient, local(2030, 5, 7, 9))
    agenda_reminders_schedule(now=local(2030, 5, 6, 20))
    clinician.memberships.update(is_active=False)

    send_due(local(2030, 5, 7, 7))

    assert mailoutbox == []
    assert Reminder.objects.get(kind=AGENDA).last_error == "clinician no longer in the clinic"


def test_no_agenda_row_for_today_once_the_morning_is_over(patient):
    appointment_for(patient, local(2030, 5, 7, 17))

    agenda_reminders_schedule(now=local(2030, 5, 7, 12))

    assert not Reminder.objects.filter(kind=AGENDA).exists()


def test_a_late_agenda_of_a_day_that_is_over_is_not_sent(patient, mailoutbox):
    appointment_for(patient, local(2030, 5, 7, 9))
    agenda_reminders_schedule(now=local(2030, 5, 6, 20))

    # The workers were down all day.
    send_due(local(2030, 5, 8, 9))

    assert mailoutbox == []
    assert Reminder.objects.get(kind=AGENDA).last_error == "day already passed"


def test_an_admin_is_not_sent_an_agenda_for_a_patient_they_are_not_clinician_of(clinic):
    # Only a key clinician with a clinician membership gets the agenda.
    nobody = PatientFactory(clinic=clinic, key_clinician=None)
    appointment_for(nobody, local(2030, 5, 7, 9))
    other_clinic_clinician = ClinicianFactory()
    moved = PatientFactory(clinic=clinic, key_clinician=other_clinic_clinician)
    appointment_for(moved, local(2030, 5, 7, 10))

    agenda_reminders_schedule(now=local(2030, 5, 6, 20))

    assert not Reminder.objects.filter(kind=AGENDA).exists()


def test_the_beat_task_writes_the_rows(patient):
    from django.utils import timezone

    from reminders import tasks

    appointment_for(patient, timezone.now() + datetime.timedelta(hours=20))

    tasks.schedule_agenda_emails()

    assert Reminder.objects.filter(kind=AGENDA).count() == 1
