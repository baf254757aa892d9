"""Contact details, consent and the next appointment, set from the patient page."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from audit.models import AccessLog
from patients.models import Carer
from reminders.models import (
    Appointment,
    CarerContactPreference,
    ContactChannel,
    ContactPreference,
    Reminder,
)
from tests.dates import at, local_input, next_spring_forward, soon_day, summer_day, winter_day
from tests.factories import session_complete

from .factories import CarerContactPreferenceFactory, ContactPreferenceFactory, appointment_for

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
    with django_capture_on_commit_callbacks(execute=True):
        session_complete(patient, next_appointment=at(soon_day(), 9, 30))
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


def test_opening_the_contact_form_is_logged_as_an_access_to_the_record(
    clinician_client, clinician, patient
):
    clinician_client.get(contact_url(patient))

    assert AccessLog.objects.filter(
        user=clinician, patient=patient, kind=AccessLog.Kind.PATIENT
    ).exists()


def test_contact_details_are_stored_encrypted(clinician_client, patient):
    from django.db import connection

    clinician_client.post(contact_url(patient), contact_form(email="petra@example.org"))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, email FROM reminders_contactpreference WHERE patient_id = %s",
            [patient.pk],
        )
        phone, email = cursor.fetchone()
    assert phone.startswith("gAAAAA") and "381" not in phone
    assert email.startswith("gAAAAA") and "petra" not in email
    pref = ContactPreference.objects.get(patient=patient)
    assert (pref.phone, pref.email) == ("+381641234567", "petra@example.org")


# --- opting out, and back in ------------------------------------------------------------


def opted_out_by_link(patient):
    from reminders.services import opt_out_record

    pref = ContactPreferenceFactory(patient=patient)
    return opt_out_record(preference=pref)


def test_patient_page_shows_an_opt_out_by_link(clinician_client, patient):
    opted_out_by_link(patient)

    page = clinician_client.get(reverse("patients:detail", kwargs={"code": patient.code}))

    text = page.content.decode()
    assert "by the link in a reminder" in text
    assert "stopped reminders with the link" in text


def test_unticking_the_opt_out_without_consent_is_refused(clinician_client, patient):
    opted_out_by_link(patient)

    response = clinician_client.post(contact_url(patient), contact_form(consent=None))

    assert response.status_code == 200
    assert "record the consent again" in response.context["form"].errors["consent"][0]
    assert ContactPreference.objects.get(patient=patient).opted_out_at is not None


def test_recording_consent_again_ends_the_opt_out(clinician_client, clinician, patient):
    before = opted_out_by_link(patient)

    clinician_client.post(contact_url(patient), contact_form())

    pref = ContactPreference.objects.get(patient=patient)
    assert pref.opted_out_at is None
    assert pref.consent_to_reminders
    assert pref.consent_recorded_by == clinician
    assert pref.consent_recorded_at > before.consent_recorded_at
    assert pref.accepts_reminders


# --- carers ---------------------------------------------------------------------------


def carer_url(patient, carer):
    return reverse("reminders:carer", kwargs={"code": patient.code, "carer_id": carer.pk})


def test_patient_page_lists_each_carer_with_a_link_to_their_reminders(
    clinician_client, patient, carer_with_consent
):
    carer = Carer.objects.get(user=carer_with_consent)

    page = clinician_client.get(reverse("patients:detail", kwargs={"code": patient.code}))

    text = page.content.decode()
    assert carer_url(patient, carer) in text
    assert "the carer's consent is not recorded" in text


def test_clinician_records_a_carers_reminder_choice_and_number(
    clinician_client, clinician, patient, carer_with_consent, django_capture_on_commit_callbacks
):
    carer = Carer.objects.get(user=carer_with_consent)
    appointment_for(patient, at(soon_day(), 9, 30))

    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            carer_url(patient, carer), contact_form(phone="+389 70 111 222")
        )

    assert response.status_code == 302
    pref = CarerContactPreference.objects.get(carer=carer)
    assert (pref.channel, pref.consent_to_reminders, pref.consent_recorded_by) == (
        "sms",
        True,
        clinician,
    )
    carer.refresh_from_db()
    assert carer.phone == "+38970111222"
    row = Reminder.objects.get(kind=Reminder.Kind.APPOINTMENT_CARER)
    assert (row.carer, row.channel) == (carer, "sms")
    page = clinician_client.get(reverse("patients:detail", kwargs={"code": patient.code}))
    assert "+389•••••222" in page.content.decode()


def test_carer_form_errors_are_shown_beside_the_field_and_keep_what_was_typed(
    clinician_client, patient, carer_with_consent
):
    carer = Carer.objects.get(user=carer_with_consent)

    response = clinician_client.post(carer_url(patient, carer), contact_form(phone="070 111"))

    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert 'value="070 111"' in response.content.decode()
    assert not CarerContactPreference.objects.filter(carer=carer).exists()


def test_carer_opted_out_by_link_needs_consent_recorded_again(
    clinician_client, patient, carer_with_consent
):
    from reminders.services import opt_out_record

    carer = Carer.objects.get(user=carer_with_consent)
    opt_out_record(preference=CarerContactPreferenceFactory(carer=carer))

    form = contact_form(channel="email", phone="", email="carol@example.org")
    refused = clinician_client.post(carer_url(patient, carer), {**form, "consent": ""})
    clinician_client.post(carer_url(patient, carer), form)

    assert "consent" in refused.context["form"].errors
    assert CarerContactPreference.objects.get(carer=carer).accepts_reminders


def test_another_patients_carer_is_a_404(clinician_client, patient, clinic):
    from tests.factories import CarerFactory, PatientFactory

    neighbour = PatientFactory(clinic=clinic)
    theirs = CarerFactory(patient=neighbour)

    response = clinician_client.get(carer_url(patient, theirs))

    assert response.status_code == 404


def test_outsider_cannot_see_a_carers_reminders(client_for, patient, carer_with_consent):
    carer = Carer.objects.get(user=carer_with_consent)

    assert client_for("outsider").get(carer_url(patient, carer)).status_code == 404


# --- the next appointment ----------------------------------------------------------------


def test_appointment_is_read_on_the_clinics_clock_and_stored_in_utc(
    clinician_client, clinician, reachable_patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            appointment_url(reachable_patient), {"when": local_input(summer_day(), 10, 30)}
        )

    assert response.status_code == 302
    booked = Appointment.objects.get(patient=reachable_patient)
    # Summer time in Belgrade is UTC+2.
    assert booked.starts_at == at(summer_day(), 8, 30)
    assert (booked.created_by, booked.session) == (clinician, None)
    reminder = Reminder.objects.get(appointment=booked, kind=Reminder.Kind.APPOINTMENT_PATIENT)
    assert reminder.event_at == booked.starts_at
    # 24 hours before on the clinic's wall clock.
    day_before = summer_day() - datetime.timedelta(days=1)
    assert reminder.due_at.astimezone(BELGRADE) == at(day_before, 10, 30, tz=BELGRADE)


def test_a_patient_waiting_for_a_first_session_can_be_booked(clinician_client, patient):
    response = clinician_client.post(
        appointment_url(patient), {"when": local_input(summer_day(), 10, 30)}
    )

    assert response.status_code == 302
    assert Appointment.objects.filter(patient=patient, cancelled_at=None).count() == 1
    assert not patient.sessions.exists()


def test_winter_appointment_is_one_hour_from_utc(clinician_client, patient):
    clinician_client.post(appointment_url(patient), {"when": local_input(winter_day(), 10, 30)})

    booked = Appointment.objects.get(patient=patient)
    assert booked.starts_at == at(winter_day(), 9, 30)


def test_patient_page_shows_the_appointment_in_clinic_time(clinician_client, patient):
    clinician_client.post(appointment_url(patient), {"when": local_input(summer_day(), 10, 30)})

    page = clinician_client.get(reverse("patients:detail", kwargs={"code": patient.code}))

    assert "10:30" in page.content.decode()
    assert "Change next appointment" in page.content.decode()


def test_changing_the_appointment_replaces_it_and_moves_its_reminders(
    clinician_client, reachable_patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_complete(
            reachable_patient,
            next_appointment=at(summer_day(), 8, 30),
        )

    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(
            appointment_url(reachable_patient),
            {"when": local_input(summer_day() + datetime.timedelta(days=7), 12)},
        )

    old, new = Appointment.objects.filter(patient=reachable_patient).order_by("starts_at")
    assert old.cancelled_at is not None and new.cancelled_at is None
    assert new.starts_at == at(summer_day() + datetime.timedelta(days=7), 10)
    reminder = Reminder.objects.get(status=Reminder.Status.QUEUED)
    assert (reminder.appointment, reminder.event_at) == (new, new.starts_at)
    # The session keeps what was agreed there (its summary and printout say so).
    session.refresh_from_db()
    assert session.next_appointment == old.starts_at


def test_the_form_shows_the_current_appointment_on_the_clinics_clock(clinician_client, patient):
    session_complete(patient, next_appointment=at(summer_day(), 8, 30))

    response = clinician_client.get(appointment_url(patient))

    assert f'value="{local_input(summer_day(), 10, 30)}"' in response.content.decode()


def test_cancelling_the_appointment_from_the_form(
    clinician_client, reachable_patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(
            appointment_url(reachable_patient), {"when": local_input(summer_day(), 10, 30)}
        )

    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            reverse("reminders:appointment_cancel", kwargs={"code": reachable_patient.code})
        )

    assert response.status_code == 302
    assert Appointment.objects.get().cancelled_at is not None
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED
    page = clinician_client.get(reverse("patients:detail", kwargs={"code": reachable_patient.code}))
    assert "Set next appointment" in page.content.decode()


def test_appointment_in_the_past_is_refused_and_kept(clinician_client, patient):
    response = clinician_client.post(appointment_url(patient), {"when": "2020-01-01T10:00"})

    assert response.status_code == 200
    assert response.context["form"].errors["when"] == [
        "The next appointment must be in the future."
    ]
    assert 'value="2020-01-01T10:00"' in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_time_the_clocks_skip_is_refused(clinician_client, patient):
    # Belgrade jumps from 02:00 to 03:00 on the last Sunday of March.
    response = clinician_client.post(
        appointment_url(patient), {"when": local_input(next_spring_forward(), 2, 30)}
    )

    assert response.status_code == 200
    assert "when" in response.context["form"].errors


def test_garbage_is_refused_with_an_example(clinician_client, patient):
    response = clinician_client.post(appointment_url(patient), {"when": "next tuesday"})

    assert response.context["form"].errors["when"] == [
        "Enter a date and time, for example 2026-12-01 10:30."
    ]


def test_outsider_cannot_set_or_cancel_an_appointment(client_for, patient):
    booked = appointment_for(patient, at(summer_day(), 8, 30))
    outsider = client_for("outsider")

    set_response = outsider.post(
        appointment_url(patient), {"when": local_input(soon_day(), 10, 30)}
    )
    cancel_response = outsider.post(
        reverse("reminders:appointment_cancel", kwargs={"code": patient.code})
    )

    assert (set_response.status_code, cancel_response.status_code) == (404, 404)
    assert list(Appointment.objects.all()) == [booked]
    booked.refresh_from_db()
    assert booked.cancelled_at is None


def test_the_carer_form_offers_the_carers_sign_in_address(
    clinician_client, patient, carer_with_consent
):
    carer = Carer.objects.get(user=carer_with_consent)

    response = clinician_client.get(carer_url(patient, carer))

    assert f'value="{carer_with_consent.email}"' in response.content.decode()
