"""The demo data books appointments the way clinicians do, and is safe to run twice."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from patients.models import Carer, Patient
from patients.name_index import patient_named
from reminders.models import Appointment, Reminder
from sessions_app.rating_links import ratings_done_by_link
from sessions_app.selectors import sessions_waiting_for_discussion

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", force=True, stdout=io.StringIO())


def test_demo_patients_are_booked_with_reminders_due_soon_and_seeding_twice_adds_none(
    django_capture_on_commit_callbacks, settings
):
    # One test, because seeding five clinics' histories takes a while. Without
    # quiet hours, so "due at once" holds at any hour the test runs (inside
    # quiet hours the reminders rightly wait for the morning).
    settings.REMINDER_QUIET_HOURS = None
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    now = timezone.now()

    waiting = patient_named("Ivana Stanković")
    assert not waiting.sessions.exists()
    assert Appointment.objects.filter(patient=waiting, cancelled_at=None, starts_at__gt=now)
    # No patient has two upcoming appointments.
    for patient in Patient.objects.all():
        upcoming = patient.appointments.filter(cancelled_at=None, starts_at__gt=now)
        assert upcoming.count() <= 1, patient
    # The first patient with a history in each clinic is reminded at once.
    due = Reminder.objects.filter(kind=Reminder.Kind.APPOINTMENT_PATIENT, due_at__lte=now)
    assert due.values("clinic").distinct().count() == 5
    # A session rated on the nurse's link waits for the psychiatrist's discussion.
    psychiatrist = User.objects.get(email="clinician@demo.test")
    [rated] = sessions_waiting_for_discussion(psychiatrist)
    assert rated.patient.full_name == "Dejan Popović"
    assert ratings_done_by_link(rated)
    assert rated.ratings.filter(value__isnull=False).count() == 11
    carer = Carer.objects.get(user__email="carer@demo.test")
    assert carer.reminder_preference.accepts_reminders
    counts = (Appointment.objects.count(), Reminder.objects.count())

    with django_capture_on_commit_callbacks(execute=True):
        seed()

    assert (Appointment.objects.count(), Reminder.objects.count()) == counts
    assert len(sessions_waiting_for_discussion(psychiatrist)) == 1
