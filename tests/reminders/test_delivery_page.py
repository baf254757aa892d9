"""The admins' delivery page: their clinic's reminders only, and a retry."""

import pytest
from django.urls import reverse

from reminders.models import Reminder
from tests.factories import PatientFactory

from .factories import reminder_for

pytestmark = pytest.mark.django_db


def test_admin_sees_only_their_clinics_reminders(clinic_admin_client, patient, other_patient):
    ours = reminder_for(
        patient, status=Reminder.Status.FAILED, last_error="SMS gateway answered 400"
    )
    reminder_for(other_patient, status=Reminder.Status.FAILED)

    response = clinic_admin_client.get(reverse("reminders:delivery"))

    assert response.status_code == 200
    assert list(response.context["reminders"]) == [ours]
    assert "SMS gateway answered 400" in response.content.decode()
    assert other_patient.code not in response.content.decode()


def test_status_filter_lists_only_that_status(clinic_admin_client, patient, clinic):
    failed = reminder_for(patient, status=Reminder.Status.FAILED)
    reminder_for(PatientFactory(clinic=clinic), status=Reminder.Status.SENT)

    response = clinic_admin_client.get(reverse("reminders:delivery"), {"status": "failed"})

    assert list(response.context["reminders"]) == [failed]


def test_retry_queues_a_failed_reminder_again(clinic_admin_client, patient):
    failed = reminder_for(patient, status=Reminder.Status.FAILED, attempts=5)

    response = clinic_admin_client.post(reverse("reminders:retry", args=[failed.pk]))

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Reminder.Status.QUEUED, 0)


def test_admin_of_another_clinic_cannot_retry(other_admin_client, patient):
    failed = reminder_for(patient, status=Reminder.Status.FAILED)

    response = other_admin_client.post(reverse("reminders:retry", args=[failed.pk]))

    assert response.status_code == 404
    failed.refresh_from_db()
    assert failed.status == Reminder.Status.FAILED


def test_delivery_page_is_translated(client_for, clinic_admin):
    clinic_admin.language = "mk"
    clinic_admin.save()

    response = client_for(clinic_admin).get(reverse("reminders:delivery"))

    assert "Испорака на потсетници" in response.content.decode()


def test_agenda_and_carer_reminders_are_listed_with_their_recipient(
    clinic_admin_client, clinic, clinician, patient, carer_with_consent
):
    import datetime

    from django.utils import timezone

    from patients.models import Carer

    carer = Carer.objects.get(user=carer_with_consent)
    reminder_for(
        patient,
        kind=Reminder.Kind.APPOINTMENT_CARER,
        carer=carer,
        recipient_key=f"carer:{carer.pk}",
        channel="email",
    )
    Reminder.objects.create(
        clinic=clinic,
        kind=Reminder.Kind.AGENDA_CLINICIAN,
        channel="email",
        user=clinician,
        recipient_key=f"user:{clinician.pk}",
        agenda_date=datetime.date(2030, 5, 7),
        event_at=timezone.now(),
        due_at=timezone.now(),
        status=Reminder.Status.CANCELLED,
        last_error="no appointments that day",
    )

    page = clinic_admin_client.get(reverse("reminders:delivery")).content.decode()

    assert f"Carer of patient {patient.code}" in page
    assert "Daily agenda (clinician)" in page
    assert "Clara Clinician" in page
    assert "no appointments that day" in page
    assert carer.full_name not in page
