"""The hand-back PIN: set on the profile with the password, kept as a hash,
accepted on the hand-back screen of the same signed-in session and nowhere else."""

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from accounts.handback_pin import pin_problem, pin_set
from sessions_app import services
from sessions_app.middleware import HANDOVER_KEY
from sessions_app.models import DialogSession
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PIN = "2580"
PIN_URL = reverse("accounts:handback_pin")


def html(response):
    return response.content.decode()


@pytest.fixture
def session(patient, clinician):
    return services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session


def handback_url(session):
    return reverse("sessions:handback", args=[session.code])


def hand_over(client, session):
    response = client.post(reverse("sessions:handover", args=[session.code]))
    assert response.url == reverse("sessions:rate", args=[session.code])


@pytest.fixture
def with_pin(clinician):
    pin_set(user=clinician, pin=PIN)
    return clinician


@pytest.fixture
def handed_over(client_for, with_pin, session):
    client = client_for(with_pin)
    hand_over(client, session)
    return client


# --- setting the PIN on the profile ------------------------------------------------


def test_the_pin_is_stored_as_a_hash_never_the_digits(client_for, clinician):
    client = client_for(clinician)
    response = client.post(PIN_URL, {"pin": PIN, "pin_again": PIN, "password": PASSWORD})

    assert response.url == reverse("accounts:profile")
    clinician.refresh_from_db()
    assert clinician.handback_pin
    assert PIN not in clinician.handback_pin
    assert check_password(PIN, clinician.handback_pin)
    assert "Your PIN is saved." in html(client.get(response.url))


def test_setting_a_pin_needs_the_current_password(client_for, clinician):
    response = client_for(clinician).post(
        PIN_URL, {"pin": PIN, "pin_again": PIN, "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert "That password is not right." in html(response)
    clinician.refresh_from_db()
    assert clinician.handback_pin == ""


@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", "١٢٣٤٥", "12 34"])
def test_a_pin_is_four_to_six_digits(pin):
    assert pin_problem(pin) == "A PIN is 4 to 6 digits, nothing else."


@pytest.mark.parametrize("pin", ["0000", "777777"])
def test_a_repeated_digit_is_too_weak(pin):
    assert "one digit repeated" in pin_problem(pin)


@pytest.mark.parametrize("pin", ["1234", "123456", "4321", "654321", "7890", "3210"])
def test_digits_in_a_row_are_too_weak(pin):
    assert "digits in a row" in pin_problem(pin)


@pytest.mark.parametrize("pin", ["2580", "1357", "904512", "1243"])
def test_other_pins_are_fine(pin):
    assert pin_problem(pin) is None


def test_a_weak_pin_is_refused_with_a_clear_message_and_nothing_is_kept(client_for, clinician):
    response = client_for(clinician).post(
        PIN_URL, {"pin": "1234", "pin_again": "1234", "password": PASSWORD}
    )

    assert "is guessed first. Choose another." in html(response)
    clinician.refresh_from_db()
    assert clinician.handback_pin == ""


def test_the_two_pins_must_match(client_for, clinician):
    response = client_for(clinician).post(
        PIN_URL, {"pin": PIN, "pin_again": "2581", "password": PASSWORD}
    )

    assert "The two PINs are not the same." in html(response)
    clinician.refresh_from_db()
    assert clinician.handback_pin == ""


def test_changing_the_pin_replaces_the_old_one(client_for, with_pin):
    client_for(with_pin).post(PIN_URL, {"pin": "9051", "pin_again": "9051", "password": PASSWORD})

    with_pin.refresh_from_db()
    assert check_password("9051", with_pin.handback_pin)
    assert not check_password(PIN, with_pin.handback_pin)


def test_removing_the_pin_needs_the_password(client_for, with_pin):
    client = client_for(with_pin)
    refused = client.post(PIN_URL, {"remove": "", "password": "not-the-password"})
    with_pin.refresh_from_db()
    assert "That password is not right." in html(refused)
    assert with_pin.handback_pin

    response = client.post(PIN_URL, {"remove": "", "password": PASSWORD})

    assert response.url == reverse("accounts:profile")
    with_pin.refresh_from_db()
    assert with_pin.handback_pin == ""


def test_changing_the_password_keeps_the_pin(with_pin):
    with_pin.set_password("a-brand-new-long-password")
    with_pin.save()

    with_pin.refresh_from_db()
    assert check_password(PIN, with_pin.handback_pin)


def test_the_pin_page_is_for_clinicians_only(client_for):
    assert client_for("clinic_admin").get(PIN_URL).status_code == 404
    assert client_for("carer_with_consent").get(PIN_URL).status_code == 404


def test_the_profile_offers_the_pin_to_clinicians(client_for, clinician):
    page = html(client_for(clinician).get(reverse("accounts:profile")))

    assert "PIN to take the tablet back" in page
    assert PIN_URL in page


# --- taking the tablet back -----------------------------------------------------------


def test_the_hand_back_screen_asks_for_the_pin_on_a_number_pad(handed_over, session):
    page = html(handed_over.get(handback_url(session)))

    assert 'name="pin"' in page
    assert 'inputmode="numeric"' in page
    assert 'autocomplete="off"' in page
    assert "Use my password instead" in page
    assert 'name="password"' not in page
    password_page = html(handed_over.get(handback_url(session) + "?with=password"))
    assert 'name="password"' in password_page
    assert "Use my PIN instead" in password_page


def test_without_a_pin_the_hand_back_screen_asks_for_the_password(client_for, clinician, session):
    client = client_for(clinician)
    hand_over(client, session)

    page = html(client.get(handback_url(session)))

    assert 'name="password"' in page
    assert 'name="pin"' not in page
    assert "Use my PIN instead" not in page


def test_the_pin_takes_the_tablet_back(handed_over, session):
    response = handed_over.post(handback_url(session), {"pin": PIN})

    assert response.url == reverse("sessions:review", args=[session.code])
    assert HANDOVER_KEY not in handed_over.session


def test_the_password_still_works_when_a_pin_is_set(handed_over, session):
    response = handed_over.post(handback_url(session), {"password": PASSWORD})

    assert response.url == reverse("sessions:review", args=[session.code])
    assert HANDOVER_KEY not in handed_over.session


def test_a_wrong_pin_is_a_422_and_the_tablet_stays_handed_over(handed_over, session):
    response = handed_over.post(handback_url(session), {"pin": "9999"})

    assert response.status_code == 422
    assert "That PIN is not right." in html(response)
    assert 'name="pin"' in html(response)
    assert handed_over.session[HANDOVER_KEY] == session.code


def test_five_wrong_tries_pins_and_passwords_together_sign_out(handed_over, session):
    tries = [{"pin": "9999"}, {"password": "guess"}, {"pin": "1111"}, {"password": "guess"}]
    for data in tries:
        assert handed_over.post(handback_url(session), data).status_code == 422

    response = handed_over.post(handback_url(session), {"pin": "4444"})

    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in handed_over.session
    # Signed out, the right PIN is no use any more.
    after = handed_over.post(handback_url(session), {"pin": PIN})
    assert after.url.startswith(reverse("accounts:login"))


def test_another_clinicians_pin_does_not_work(client_for, clinician, colleague, session):
    pin_set(user=colleague, pin="9051")
    client = client_for(clinician)
    hand_over(client, session)

    response = client.post(handback_url(session), {"pin": "9051"})

    assert response.status_code == 422
    assert client.session[HANDOVER_KEY] == session.code


def test_a_pin_posted_by_someone_without_one_is_refused(client_for, clinician, session):
    client = client_for(clinician)
    hand_over(client, session)

    response = client.post(handback_url(session), {"pin": ""})

    assert response.status_code == 422
    assert client.session[HANDOVER_KEY] == session.code


# --- the clinic switches PINs off --------------------------------------------------


def test_a_clinic_that_switches_pins_off_hides_the_field_and_refuses_the_pin(
    handed_over, session, clinic
):
    clinic.handback_pins_allowed = False
    clinic.save()

    page = html(handed_over.get(handback_url(session)))
    response = handed_over.post(handback_url(session), {"pin": PIN})

    assert 'name="pin"' not in page and 'name="password"' in page
    assert "Use my PIN instead" not in page
    assert response.status_code == 422
    assert handed_over.session[HANDOVER_KEY] == session.code
    back = handed_over.post(handback_url(session), {"password": PASSWORD})
    assert back.url == reverse("sessions:review", args=[session.code])


def test_a_clinic_without_pins_lets_nobody_set_one(client_for, clinician, clinic):
    clinic.handback_pins_allowed = False
    clinic.save()
    client = client_for(clinician)

    page = html(client.get(PIN_URL))
    client.post(PIN_URL, {"pin": PIN, "pin_again": PIN, "password": PASSWORD})

    assert "Your clinic has switched PINs off" in page
    assert 'name="pin"' not in page
    clinician.refresh_from_db()
    assert clinician.handback_pin == ""


def test_the_clinic_admin_switches_pins_off_in_the_clinic_settings(client_for, clinic):
    client = client_for("clinic_admin")
    settings_url = reverse("accounts:staff_clinic_settings")
    form = html(client.get(settings_url))
    assert 'name="handback_pins_allowed"' in form

    client.post(
        settings_url,
        {
            "name": clinic.name,
            "time_zone": clinic.time_zone,
            "default_language": clinic.default_language,
            "ask_help_question": "on",
            "session_interval_days": clinic.session_interval_days,
            "planned_sessions": clinic.planned_sessions,
            "record_retention_years": clinic.record_retention_years,
        },
    )

    clinic.refresh_from_db()
    assert clinic.handback_pins_allowed is False


# --- nowhere else -----------------------------------------------------------------


def test_the_pin_never_signs_anyone_in(settings, with_pin):
    settings.SECURE_SSL_REDIRECT = False
    client = Client()

    response = client.post(reverse("accounts:login"), {"username": with_pin.email, "password": PIN})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_pin_does_not_unlock_a_locked_tablet(client_for, with_pin):
    client = client_for(with_pin)
    client.post(reverse("accounts:lock_now"), {"next": reverse("patients:list")})

    response = client.post(reverse("accounts:lock"), {"password": PIN})

    assert response.status_code == 200
    assert "That password is not right." in html(response)
    assert client.get(reverse("patients:list")).status_code == 302
    unlocked = client.post(reverse("accounts:lock"), {"password": PASSWORD})
    assert unlocked.status_code == 302
    assert client.get(reverse("patients:list")).status_code == 200


def test_nothing_typed_is_logged_or_shown_again(client_for, clinician, session, caplog):
    caplog.set_level("DEBUG")
    client = client_for(clinician)
    refused = client.post(PIN_URL, {"pin": "9051", "pin_again": "9052", "password": PASSWORD})
    client.post(PIN_URL, {"pin": "9051", "pin_again": "9051", "password": PASSWORD})
    hand_over(client, session)
    wrong = client.post(handback_url(session), {"pin": "7305"})
    client.post(handback_url(session), {"pin": "9051"})

    for secret in ("9051", "9052", "7305", PASSWORD):
        assert secret not in caplog.text
        assert secret not in html(refused) and secret not in html(wrong)
