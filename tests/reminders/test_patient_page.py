"""Contact details, consent and the next appointment, set from the patient page."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from reminders.models import ContactChannel, ContactPreference, Reminder
from tests.factories import session_complete

from .factories import ContactPreferenceFactory

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")


def contact_url(patient):
    return reverse("reminders:contact", kwargs={"code": patient.code})


def appointment_url(patient):
    return reverse("reminders:appointment", kwargs={"code": patient.code})


def contact_form(**values):
    form = {"channel": "sms", "phone": "+381 64 123 4567", "email": "", "consent": "on"}
    form.update(values)
    return {key: value for key, value in form.items() if value is not None}


# --- the card on the patient page -------------------------------------------------


def test_patient_page_shows_contact_details_masked(clinician_client, patient):
    ContactPreferenceFactory(patient=patient, phone="+381641234567", email="petra@example.org")

    response = clinician_client.get(reverse("patients:detail", kwargs={"code": patient.code}))

    page = response.content.decode()
    assert "+381••••••567" in page
    assert "p••••@example.org" in page
    assert "+381641234567" not in page
    assert "petra@example.org" not in page
    assert contact_url(patient) in page


def test_patient_page_says_no_reminders_without_contact_details(clinician_client, patient):
    response = clinician_client.get(reverse("patients:detail", kwargs={"code": patient.code}))

    assert "No contact details yet" in response.content.decode()


# --- the contact form ---------------------------------------------------------------


def test_clinician_records_contact_details_and_consent(clinician_client, clinician, patient):
    response = clinician_client.post(contact_url(patient), contact_form())

    assert response.status_code == 302
    pref = ContactPreference.objects.get(patient=patient)
    # Spaces are dropped: the gateway gets E.164.
    assert pref.phone == "+381641234567"
    assert pref.channel == ContactChannel.SMS
    assert pref.consent_to_reminders
    assert pref.consent_recorded_by == clinician
    assert pref.consent_recorded_at is not None
    assert pref.accepts_reminders


def test_colleague_may_edit_contact_details_too(colleague_client, colleague, patient):
    colleague_client.post(contact_url(patient), contact_form())

    assert ContactPreference.objects.get(patient=patient).consent_recorded_by == colleague


@pytest.mark.parametrize(
    "phone", ["064 123 4567", "+0641234567", "+381 64", "call me", "+381 64 123 4567 8901 2"]
)
def test_implausible_phone_numbers_are_refused_and_kept(clinician_client, patient, phone):
    response = clinician_client.post(contact_url(patient), contact_form(phone=phone))

    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert f'value="{phone}"' in response.content.decode()
    assert not ContactPreference.objects.filter(patient=patient).exists()


def test_a_number_typed_with_00_is_kept_with_a_plus(clinician_client, patient):
    clinician_client.post(contact_url(patient), contact_form(phone="00381 64/123-4567"))

    assert ContactPreference.objects.get(patient=patient).phone == "+381641234567"


def test_sms_needs_a_phone_and_email_needs_an_address(clinician_client, patient):
    sms = clinician_client.post(contact_url(patient), contact_form(phone=""))
    email = clinician_client.post(contact_url(patient), contact_form(channel="email", email=""))
    bad = clinician_client.post(contact_url(patient), contact_form(channel="email", email="petra@"))

    assert sms.context["form"].errors["phone"] == [
        "Enter a mobile number to remind the patient by SMS."
    ]
    assert email.context["form"].errors["email"] == [
        "Enter an email address to remind the patient by email."
    ]
    assert bad.context["form"].errors["email"] == [
        "Enter an email address such as name@example.org."
    ]
    assert 'value="petra@"' in bad.content.decode()


def test_errors_are_translated(clinician_client, clinician, patient):
    clinician.language = "sr"
    clinician.save(update_fields=["language"])

    response = clinician_client.post(
        contact_url(patient), contact_form(phone="x"), HTTP_ACCEPT_LANGUAGE="sr"
    )

    error = response.context["form"].errors["phone"][0]
    assert "+381 64 123 4567" in error
    assert not error.startswith("Enter")


def test_no_channel_means_no_reminders(clinician_client, patient):
    clinician_client.post(contact_url(patient), contact_form(channel="none", phone=""))

    pref = ContactPreference.objects.get(patient=patient)
    assert pref.channel == ContactChannel.NONE
    assert not pref.accepts_reminders


def test_opt_out_is_recorded_once_and_cleared_when_unticked(clinician_client, patient):
    clinician_client.post(contact_url(patient), contact_form(opted_out="on"))
    first = ContactPreference.objects.get(patient=patient).opted_out_at
    clinician_client.post(contact_url(patient), contact_form(opted_out="on"))
    again = ContactPreference.objects.get(patient=patient)

    assert first is not None
    assert again.opted_out_at == first
    assert not again.accepts_reminders

    clinician_client.post(contact_url(patient), contact_form())
    assert ContactPreference.objects.get(patient=patient).opted_out_at is None


def test_the_form_shows_the_stored_preference(clinician_client, patient):
    ContactPreferenceFactory(patient=patient, phone="+38970123456", channel=ContactChannel.SMS)

    response = clinician_client.get(contact_url(patient))

    assert 'value="+38970123456"' in response.content.decode()


def test_consent_given_later_schedules_the_appointment_reminder(
    clinician_client, patient, django_capture_on_commit_callbacks
):
    session_complete(
        patient, next_appointment=datetime.datetime(2099, 3, 2, 9, 30, tzinfo=datetime.UTC)
    )
    assert not Reminder.objects.filter(kind=Reminder.Kind.APPOINTMENT_PATIENT).exists()

    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(contact_url(patient), contact_form())

    assert Reminder.objects.filter(
        patient=patient, kind=Reminder.Kind.APPOINTMENT_PATIENT, status="queued"
    ).exists()


def test_outsider_cannot_edit_contact_details(client_for, patient):
    response = client_for("outsider").post(contact_url(patient), contact_form())

    assert response.status_code == 404
    assert not ContactPreference.objects.filter(patient=patient).exists()


# --- the next appointment ----------------------------------------------------------------


def test_appointment_is_read_on_the_clinics_clock_and_stored_in_utc(
    clinician_client, reachable_patient, django_capture_on_commit_callbacks
):
    session = session_complete(reachable_patient)

    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            appointment_url(reachable_patient), {"when": "2099-07-02T10:30"}
        )

    assert response.status_code == 302
    session.refresh_from_db()
    # Summer time in Belgrade is UTC+2.
    assert session.next_appointment == datetime.datetime(2099, 7, 2, 8, 30, tzinfo=datetime.UTC)
    reminder = Reminder.objects.get(session=session, kind=Reminder.Kind.APPOINTMENT_PATIENT)
    assert reminder.event_at == session.next_appointment
    # 24 hours before on the clinic's wall clock.
    assert reminder.due_at.astimezone(BELGRADE).replace(tzinfo=None) == datetime.datetime(
        2099, 7, 1, 10, 30
    )


def test_winter_appointment_is_one_hour_from_utc(clinician_client, patient):
    session = session_complete(patient)

    clinician_client.post(appointment_url(patient), {"when": "2099-01-15T10:30"})

    session.refresh_from_db()
    assert session.next_appointment == datetime.datetime(2099, 1, 15, 9, 30, tzinfo=datetime.UTC)


def test_patient_page_shows_the_appointment_in_clinic_time(clinician_client, patient):
    session_complete(patient)
    clinician_client.post(appointment_url(patient), {"when": "2099-07-02T10:30"})

    page = clinician_client.get(reverse("patients:detail", kwargs={"code": patient.code}))

    assert "10:30" in page.content.decode()


def test_changing_the_appointment_moves_its_reminders(
    clinician_client, reachable_patient, django_capture_on_commit_callbacks
):
    session = session_complete(
        reachable_patient,
        next_appointment=datetime.datetime(2099, 7, 2, 8, 30, tzinfo=datetime.UTC),
    )

    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(appointment_url(reachable_patient), {"when": "2099-07-09T12:00"})

    reminder = Reminder.objects.get(session=session, kind=Reminder.Kind.APPOINTMENT_PATIENT)
    assert reminder.event_at == datetime.datetime(2099, 7, 9, 10, 0, tzinfo=datetime.UTC)
    assert reminder.status == Reminder.Status.QUEUED


def test_the_form_shows_the_current_appointment_on_the_clinics_clock(clinician_client, patient):
    session_complete(
        patient, next_appointment=datetime.datetime(2099, 7, 2, 8, 30, tzinfo=datetime.UTC)
    )

    response = clinician_client.get(appointment_url(patient))

    assert 'value="2099-07-02T10:30"' in response.content.decode()


def test_appointment_in_the_past_is_refused_and_kept(clinician_client, patient):
    session = session_complete(patient)

    response = clinician_client.post(appointment_url(patient), {"when": "2020-01-01T10:00"})

    assert response.status_code == 200
    assert response.context["form"].errors["when"] == [
        "The next appointment must be in the future."
    ]
    assert 'value="2020-01-01T10:00"' in response.content.decode()
    session.refresh_from_db()
    assert session.next_appointment is None


def test_a_time_the_clocks_skip_is_refused(clinician_client, patient):
    session_complete(patient)

    # Belgrade jumps from 02:00 to 03:00 on the last Sunday of March.
    response = clinician_client.post(appointment_url(patient), {"when": "2099-03-29T02:30"})

    assert response.status_code == 200
    assert "when" in response.context["form"].errors


def test_garbage_is_refused_with_an_example(clinician_client, patient):
    session_complete(patient)

    response = clinician_client.post(appointment_url(patient), {"when": "next tuesday"})

    assert response.context["form"].errors["when"] == [
        "Enter a date and time, for example 2026-12-01 10:30."
    ]


def test_appointment_needs_a_completed_session(clinician_client, patient):
    response = clinician_client.post(appointment_url(patient), {"when": "2099-07-02T10:30"})

    assert response.status_code == 200
    assert "after the first completed session" in response.content.decode()


def test_outsider_cannot_set_an_appointment(client_for, patient):
    session = session_complete(patient)

    response = client_for("outsider").post(appointment_url(patient), {"when": "2099-07-02T10:30"})

    assert response.status_code == 404
    session.refresh_from_db()
    assert session.next_appointment is None
