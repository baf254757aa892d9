"""The pages around the session: sign-in, language, profile, clinic, patients,
the security headers they carry and the health check."""

import re

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from patients.models import Patient
from patients.name_index import patient_named
from tests.conftest import totp_code, totp_device_for
from tests.factories import PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def listed_names(response):
    return re.findall(r'class="stretched-link patient-name"[^>]*>([^<]+)</a>', html(response))


# --- signing in ----------------------------------------------------------------------------


def test_signing_in_with_the_email_opens_the_clinicians_patient_list(client_for, clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    device = totp_device_for(clinician)
    client = client_for("anonymous")

    response = client.post(
        reverse("accounts:login"),
        {"username": f"  {clinician.email.upper()} ", "password": PASSWORD},
        follow=True,
    )
    # Then the second step: the code from the app (accounts.two_factor).
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_verify"))
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": totp_code(device)}, follow=True
    )

    assert response.redirect_chain[-1] == (reverse("patients:list"), 302)
    assert client.session["_auth_user_id"] == str(clinician.pk)


def test_signing_in_returns_to_the_page_that_asked_for_it(client_for, clinician, patient):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    device = totp_device_for(clinician)
    detail = reverse("patients:detail", args=[patient.code])
    client = client_for("anonymous")

    response = client.post(
        reverse("accounts:login"),
        {"username": clinician.email, "password": PASSWORD, "next": detail},
    )
    # The code step in between keeps where to go.
    assert response.url == f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': detail})}"
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": totp_code(device), "next": detail}
    )

    assert response.url == detail


def test_a_first_sign_in_asks_for_a_language_then_goes_on(client_for, clinician, patient):
    # Until chosen, the clinic's default language applies.
    assert clinician.language == ""
    detail = reverse("patients:detail", args=[patient.code])
    client = client_for("anonymous")

    response = client.post(
        reverse("accounts:login"),
        {"username": clinician.email, "password": PASSWORD, "next": detail},
    )

    assert response.url.startswith(reverse("accounts:first_language"))
    page = client.get(response.url)
    assert page.status_code == 200
    chosen = client.post(reverse("accounts:language"), {"language": "mk", "next": detail})
    assert chosen.url == detail
    clinician.refresh_from_db()
    assert clinician.language == "mk"


def test_a_language_picked_on_the_sign_in_page_is_kept_at_first_sign_in(client_for, clinician):
    client = client_for("anonymous")
    client.post(reverse("accounts:language"), {"language": "sq"})

    response = client.post(
        reverse("accounts:login"), {"username": clinician.email, "password": PASSWORD}
    )

    # No language question: on to setting up the second step, then home.
    setup = reverse("accounts:two_factor_setup")
    assert response.url == f"{setup}?{urlencode({'next': reverse('home')})}"
    clinician.refresh_from_db()
    assert clinician.language == "sq"


def test_a_wrong_password_shows_a_message_and_signs_nobody_in(client_for, clinician):
    client = client_for("anonymous")

    response = client.post(
        reverse("accounts:login"), {"username": clinician.email, "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert "That email and password do not match an account." in html(response)
    assert "_auth_user_id" not in client.session


# --- language ------------------------------------------------------------------------------


def test_the_language_picker_stores_the_choice_on_the_account(clinician_client, clinician):
    profile = reverse("accounts:profile")

    response = clinician_client.post(
        reverse("accounts:language"), {"language": "sq", "next": profile}
    )

    clinician.refresh_from_db()
    assert response.url == profile
    assert clinician.language == "sq"
    assert response.cookies["django_language"].value == "sq"
    assert '<html lang="sq"' in html(clinician_client.get(profile))


def test_the_language_picker_on_the_sign_in_page_switches_the_page(client_for):
    client = client_for("anonymous")
    login = reverse("accounts:login")

    response = client.post(reverse("accounts:language"), {"language": "sr", "next": login})

    assert response.url == login
    assert '<html lang="sr"' in html(client.get(login))


def test_a_language_that_is_not_offered_is_refused_with_a_message(clinician_client, clinician):
    profile = reverse("accounts:profile")

    response = clinician_client.post(
        reverse("accounts:language"), {"language": "xx", "next": profile}, follow=True
    )

    clinician.refresh_from_db()
    assert "Choose one of the languages shown." in html(response)
    assert clinician.language == ""


def test_the_language_picker_does_not_send_anyone_to_another_site(clinician_client):
    response = clinician_client.post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response.url == reverse("home")


# --- profile and clinic --------------------------------------------------------------------


def test_the_profile_shows_the_email_and_saves_name_and_language(clinician_client, clinician):
    page = html(clinician_client.get(reverse("accounts:profile")))

    response = clinician_client.post(
        reverse("accounts:profile"),
        {"full_name": "  Clara   Clinic ", "language": "mk"},
        follow=True,
    )

    clinician.refresh_from_db()
    assert clinician.email in page
    assert (clinician.full_name, clinician.language) == ("Clara Clinic", "mk")
    assert '<html lang="mk"' in html(response)


def test_the_profile_refuses_an_empty_name_and_keeps_the_stored_one(clinician_client, clinician):
    response = clinician_client.post(
        reverse("accounts:profile"), {"full_name": "   ", "language": ""}
    )

    clinician.refresh_from_db()
    assert response.status_code == 200
    assert "Enter your name." in html(response)
    assert clinician.full_name == "Clara Clinician"


def test_the_clinic_overview_shows_an_admin_their_staff_and_no_patients(
    clinic_admin_client, clinician, colleague, patient, outsider
):
    response = clinic_admin_client.get(reverse("accounts:clinic"))

    page = html(response)
    assert response.status_code == 200
    assert "Clinic A" in page
    assert "Clara Clinician" in page and "Colin Colleague" in page
    assert "Petra Patient" not in page
    assert "Oscar Outsider" not in page


# --- the patient list ---------------------------------------------------------------------------


@pytest.fixture
def clinic_a_patients(clinic, clinician, colleague, patient, other_patient):
    # Clinic A: Petra and Zoe are `clinician`'s, Aaron is `colleague`'s; clinic B has Otto.
    PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Zoe Zed")
    PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Aaron Another")


def test_the_patient_list_shows_the_clinicians_own_patients_first(
    clinic_a_patients, clinician_client, colleague_client
):
    mine_first = listed_names(clinician_client.get(reverse("patients:list")))
    theirs_first = listed_names(colleague_client.get(reverse("patients:list")))

    assert mine_first == ["Petra Patient", "Zoe Zed", "Aaron Another"]
    assert theirs_first == ["Aaron Another", "Petra Patient", "Zoe Zed"]


@pytest.mark.parametrize(
    ("query", "found"),
    [("zed", ["Zoe Zed"]), ("PATIENT", ["Petra Patient"]), ("Otto", []), ("", None)],
    ids=["part of a name", "any case", "another clinic's patient", "empty"],
)
def test_a_posted_search_finds_the_clinics_patients_by_name(
    clinic_a_patients, clinician_client, query, found
):
    response = clinician_client.post(reverse("patients:list"), {"q": query})

    expected = found if found is not None else ["Petra Patient", "Zoe Zed", "Aaron Another"]
    assert listed_names(response) == expected
    if found == []:
        assert "No patient matches" in html(response)


def test_a_posted_search_finds_a_patient_by_code(clinic_a_patients, clinician_client, patient):
    response = clinician_client.post(reverse("patients:list"), {"q": patient.code.lower()})

    assert listed_names(response) == ["Petra Patient"]


def test_a_search_in_the_address_is_ignored_so_names_stay_out_of_urls(
    clinic_a_patients, clinician_client
):
    response = clinician_client.get(reverse("patients:list"), {"q": "zed"})

    assert len(listed_names(response)) == 3


# --- creating and editing a patient -------------------------------------------------------------


def patient_form(**changes):
    return {
        "full_name": "Tina Typed",
        "language": "sr",
        "key_clinician": "",
        "planned_sessions": "6",
        "session_interval_days": "30",
        **changes,
    }


def test_a_valid_new_patient_is_added_to_the_clinic_and_opened(clinician_client, clinic, clinician):
    response = clinician_client.post(
        reverse("patients:create"), patient_form(key_clinician=clinician.pk)
    )

    patient = patient_named("Tina Typed")
    assert response.url == reverse("patients:detail", args=[patient.code])
    assert (patient.clinic, patient.key_clinician, patient.language) == (clinic, clinician, "sr")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"planned_sessions": "0"}, "Plan at least one session."),
        ({"planned_sessions": "many"}, "Enter a whole number of sessions."),
        ({"session_interval_days": "0"}, "Sessions must be at least one day apart."),
        ({"full_name": "   "}, "Enter the patient&#x27;s full name."),
        ({"language": "de"}, "Choose one of the languages shown."),
    ],
    ids=["no sessions", "sessions in words", "no days apart", "blank name", "unknown language"],
)
def test_a_new_patient_with_a_bad_value_shows_a_message_and_keeps_what_was_typed(
    clinician_client, changes, message
):
    response = clinician_client.post(reverse("patients:create"), patient_form(**changes))

    page = html(response)
    assert response.status_code == 200
    assert message in page
    if "full_name" not in changes:
        assert 'value="Tina Typed"' in page
    assert not Patient.objects.exists()


def test_a_key_clinician_from_another_clinic_is_refused_with_a_message(clinician_client, outsider):
    response = clinician_client.post(
        reverse("patients:create"), patient_form(key_clinician=outsider.pk)
    )

    page = html(response)
    assert "Choose a key clinician from the list of this clinic" in page
    assert 'value="Tina Typed"' in page
    assert not Patient.objects.exists()


def test_editing_with_a_bad_value_keeps_the_typed_values_and_the_stored_patient(
    clinician_client, patient, outsider
):
    response = clinician_client.post(
        reverse("patients:edit", args=[patient.code]),
        patient_form(planned_sessions="0", key_clinician=outsider.pk),
    )

    page = html(response)
    assert "Plan at least one session." in page
    assert "Choose a key clinician from the list of this clinic" in page
    assert 'value="Tina Typed"' in page
    assert "Back to Petra Patient" in page
    patient.refresh_from_db()
    assert (patient.full_name, patient.planned_sessions) == ("Petra Patient", 6)


def test_editing_a_patient_saves_the_changes(clinician_client, patient, colleague):
    response = clinician_client.post(
        reverse("patients:edit", args=[patient.code]),
        patient_form(key_clinician=colleague.pk, planned_sessions="8"),
    )

    patient.refresh_from_db()
    assert response.url == reverse("patients:detail", args=[patient.code])
    assert (patient.full_name, patient.key_clinician, patient.planned_sessions) == (
        "Tina Typed",
        colleague,
        8,
    )


# --- headers and health ---------------------------------------------------------------------------


def test_a_patient_page_carries_a_strict_csp_no_framing_and_no_caching(clinician_client, patient):
    response = clinician_client.get(reverse("patients:detail", args=[patient.code]))

    csp = response["Content-Security-Policy"]
    assert response.status_code == 200
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_the_sign_in_page_carries_the_same_csp_and_no_framing(client_for):
    response = client_for("anonymous").get(reverse("accounts:login"))

    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_healthz_answers_json_with_every_check_ok(client_for):
    response = client_for("anonymous").get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok"}
    assert "no-store" in response["Cache-Control"]
