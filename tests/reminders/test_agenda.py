"""The clinician's agenda: appointments ahead and overdue patients, own first."""

from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats

from patients.models import Patient
from tests.factories import PatientFactory, in_days, session_complete

from .factories import appointment_for

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")
AGENDA = reverse("reminders:agenda")


def registered_days_ago(patient, days):
    Patient.objects.filter(pk=patient.pk).update(created_at=in_days(-days))


def names(rows):
    """Patients' names of the overdue patients or of the upcoming appointments."""
    return [getattr(row, "patient", row).full_name for row in rows]


def test_upcoming_lists_the_next_two_weeks_own_patients_first(
    clinician_client, clinic, clinician, colleague, patient
):
    session_complete(patient, next_appointment=in_days(10))
    theirs = PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Theo Theirs")
    session_complete(theirs, clinician=colleague, next_appointment=in_days(2))
    later = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Lara Later")
    session_complete(later, next_appointment=in_days(20))

    response = clinician_client.get(AGENDA)

    assert response.status_code == 200
    assert names(response.context["upcoming"]) == ["Petra Patient", "Theo Theirs"]
    assert "Lara Later" not in response.content.decode()


def test_colleague_sees_their_own_patients_first(colleague_client, clinic, colleague, patient):
    session_complete(patient, next_appointment=in_days(1))
    theirs = PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Theo Theirs")
    session_complete(theirs, clinician=colleague, next_appointment=in_days(5))

    response = colleague_client.get(AGENDA)

    assert names(response.context["upcoming"]) == ["Theo Theirs", "Petra Patient"]


def test_overdue_lists_patients_past_their_interval_without_an_appointment(
    clinician_client, clinic, clinician, patient
):
    # Registered 40 days ago with a 30-day interval and never seen: overdue.
    registered_days_ago(patient, 40)
    fresh = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Fred Fresh")
    registered_days_ago(fresh, 5)
    booked = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Bea Booked")
    registered_days_ago(booked, 90)
    session_complete(booked, next_appointment=in_days(30))
    lapsed = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Lea Lapsed")
    session_complete(lapsed, next_appointment=in_days(1))
    # Her session was 40 days ago and the appointment she got then has passed.
    lapsed.sessions.update(started_at=in_days(-41), ended_at=in_days(-40))
    lapsed.appointments.update(starts_at=in_days(-10))
    # A cancelled appointment ahead is no appointment.
    cancelled = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Cy Cancelled")
    registered_days_ago(cancelled, 60)
    appointment_for(cancelled, in_days(3), cancelled_at=in_days(-1))

    response = clinician_client.get(AGENDA)

    assert names(response.context["overdue"]) == ["Cy Cancelled", "Petra Patient", "Lea Lapsed"]
    assert response.context["upcoming"] == []


def test_a_recent_session_is_not_overdue_even_without_an_appointment(clinician_client, patient):
    registered_days_ago(patient, 100)
    session_complete(patient)

    response = clinician_client.get(AGENDA)

    assert response.context["overdue"] == []


def test_agenda_shows_times_on_the_clinics_clock(clinician_client, patient):
    when = in_days(3).replace(hour=8, minute=15, second=0, microsecond=0)
    session_complete(patient, next_appointment=when)

    response = clinician_client.get(AGENDA)

    page = response.content.decode()
    local = formats.date_format(when.astimezone(BELGRADE), "DATETIME_FORMAT")
    as_utc = formats.date_format(when.replace(tzinfo=None), "DATETIME_FORMAT")
    assert local in page
    assert as_utc not in page


def test_outsider_sees_only_their_own_clinic(client_for, patient, other_patient):
    session_complete(patient, next_appointment=in_days(1))
    session_complete(other_patient, next_appointment=in_days(1))

    response = client_for("outsider").get(AGENDA)

    assert names(response.context["upcoming"]) == ["Otto Other"]
    assert "Petra Patient" not in response.content.decode()


def test_clinic_admin_gets_404(client_for, clinic_admin):
    assert client_for("clinic_admin").get(AGENDA).status_code == 404


def test_patient_list_links_to_the_agenda(clinician_client):
    response = clinician_client.get(reverse("patients:list"))

    assert AGENDA in response.content.decode()


def _add_patients(clinic, clinician, count):
    for index in range(count):
        booked = PatientFactory(clinic=clinic, key_clinician=clinician)
        session_complete(booked, next_appointment=in_days(1 + index % 10))
        overdue = PatientFactory(clinic=clinic, key_clinician=clinician)
        registered_days_ago(overdue, 60)


def test_agenda_queries_do_not_grow_with_the_number_of_patients(
    clinician_client, clinic, clinician
):
    _add_patients(clinic, clinician, 2)
    # The first request after signing in also writes the session; measure the next.
    clinician_client.get(AGENDA)
    with CaptureQueriesContext(connection) as few:
        first = clinician_client.get(AGENDA)
    _add_patients(clinic, clinician, 6)
    with CaptureQueriesContext(connection) as many:
        second = clinician_client.get(AGENDA)

    assert len(first.context["upcoming"]) == 2
    assert len(second.context["upcoming"]) == 8
    assert len(second.context["overdue"]) == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_patient_booked_before_a_first_session_is_on_the_agenda(
    clinician_client, patient, clinic, clinician
):
    registered_days_ago(patient, 40)
    appointment_for(patient, in_days(2))

    response = clinician_client.get(AGENDA)

    assert names(response.context["upcoming"]) == ["Petra Patient"]
    assert response.context["overdue"] == []


def test_only_a_colleagues_patient_is_marked_as_such(clinician_client, clinic, colleague, patient):
    session_complete(patient, next_appointment=in_days(1))
    theirs = PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Theo Theirs")
    session_complete(theirs, clinician=colleague, next_appointment=in_days(2))

    page = clinician_client.get(AGENDA).content.decode()

    mine, _sep, rest = page.partition("Theo Theirs")
    assert "Colleague&#x27;s patient" not in mine and "Colleague's patient" not in mine
    assert "Colleague's patient" in rest.split("</li>")[0]
