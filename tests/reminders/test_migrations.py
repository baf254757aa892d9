"""The data migrations of the reminders app, run on rows written the old way.

Migrates the reminders app back to 0002 (appointments on sessions, plain-text
contact details), writes rows as they were, and migrates forward again.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reminders.models import Appointment, ContactPreference, Reminder
from tests.factories import ensure_scale, session_complete

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reminders", "0002_contact_consent")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    ensure_scale()
    apps = migrate(BEFORE)
    yield apps
    # Leave the database as every other test expects it.
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes("reminders"))


def test_next_appointments_reminders_and_contact_details_move_to_the_new_model(old_apps, patient):
    old_reminder = old_apps.get_model("reminders", "Reminder")
    old_preference = old_apps.get_model("reminders", "ContactPreference")
    now = timezone.now()
    first = session_complete(patient)
    latest = session_complete(patient)
    # Both sessions named a time ahead; only the latest one's counted.
    superseded_at = now + datetime.timedelta(days=5)
    upcoming_at = now + datetime.timedelta(days=9)
    moved_at = now + datetime.timedelta(days=7)
    type(first).objects.filter(pk=first.pk).update(next_appointment=superseded_at)
    type(latest).objects.filter(pk=latest.pk).update(next_appointment=upcoming_at)
    values = {
        "clinic_id": patient.clinic_id,
        "patient_id": patient.pk,
        "channel": "sms",
        "recipient_key": f"patient:{patient.pk}",
        "due_at": now,
    }
    current = old_reminder.objects.create(
        session_id=latest.pk, kind="appointment_patient", event_at=upcoming_at, **values
    )
    # A reminder of a time the latest session's appointment was moved away from.
    stale = old_reminder.objects.create(
        session_id=latest.pk,
        kind="appointment_carer",
        event_at=moved_at,
        status="cancelled",
        **values,
    )
    old_preference.objects.create(
        patient_id=patient.pk, phone="+38164111222", email="petra@example.org", channel="sms"
    )

    # Forward to the latest: the rows are read back with today's models.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("reminders"))

    upcoming = Appointment.objects.get(patient=patient, cancelled_at=None, starts_at__gt=now)
    assert (upcoming.starts_at, upcoming.session_id) == (upcoming_at, latest.pk)
    superseded = Appointment.objects.get(session=first)
    assert superseded.cancelled_at is not None
    assert Reminder.objects.get(pk=current.pk).appointment == upcoming
    moved = Reminder.objects.get(pk=stale.pk).appointment
    assert (moved.starts_at, moved.session_id) == (moved_at, latest.pk)
    assert moved.cancelled_at is not None
    pref = ContactPreference.objects.get(patient=patient)
    assert (pref.phone, pref.email) == ("+38164111222", "petra@example.org")
    assert len(pref.opt_out_key) == 8
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM reminders_contactpreference")
        stored = cursor.fetchone()
    assert all(value.startswith("gAAAAA") for value in stored)
