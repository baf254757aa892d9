"""Sign-in lockout per email-and-address pair (django-axes) and the admin's unlock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, ClinicianFactory

pytestmark = pytest.mark.django_db

TABLET_A = "10.0.0.1"
TABLET_B = "10.0.0.2"


@pytest.fixture
def login_client(settings):
    settings.SECURE_SSL_REDIRECT = False
    return Client()


def sign_in(client, email, password, address=TABLET_A):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def fail_five_times(client, email, address=TABLET_A):
    return [sign_in(client, email, "not-the-password", address) for _ in range(5)]


def signed_in(client):
    return "_auth_user_id" in client.session


def test_four_wrong_passwords_do_not_lock(login_client, clinician):
    for _ in range(4):
        assert sign_in(login_client, clinician.email, "wrong").status_code == 200
    response = sign_in(login_client, clinician.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(login_client)


def test_five_wrong_passwords_lock_that_email_at_that_address(login_client, clinician):
    responses = fail_five_times(login_client, clinician.email)
    assert responses[-1].status_code == 429
    response = sign_in(login_client, clinician.email, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(login_client)
    # A page of our own, not a bare 403 text.
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "Too many attempts" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_email_case_does_not_dodge_the_lockout(login_client, clinician):
    fail_five_times(login_client, clinician.email.upper())
    assert sign_in(login_client, clinician.email, PASSWORD).status_code == 429


def test_a_second_user_at_the_same_address_can_still_sign_in(login_client, clinician, colleague):
    fail_five_times(login_client, clinician.email)
    response = sign_in(login_client, colleague.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(login_client)


def test_the_same_user_from_another_address_can_still_sign_in(login_client, clinician):
    fail_five_times(login_client, clinician.email, TABLET_A)
    response = sign_in(login_client, clinician.email, PASSWORD, TABLET_B)
    assert response.status_code == 302
    assert signed_in(login_client)


def test_lockout_ends_after_the_cool_off(login_client, clinician):
    fail_five_times(login_client, clinician.email)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in(login_client, clinician.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in(login_client, clinician.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(login_client)


def test_clinic_page_shows_the_locked_out_member(login_client, clinician, client_for):
    fail_five_times(login_client, clinician.email)
    page = client_for("clinic_admin").get(reverse("accounts:clinic"))
    unlock_url = reverse("accounts:unlock_user", args=[clinician.pk])
    assert unlock_url in page.content.decode()
    assert "Locked out" in page.content.decode()


def test_clinic_admin_unlocks_a_locked_out_member(login_client, clinician, client_for):
    fail_five_times(login_client, clinician.email)
    response = client_for("clinic_admin").post(reverse("accounts:unlock_user", args=[clinician.pk]))
    assert response.status_code == 302
    assert response.url == reverse("accounts:clinic")
    assert not AccessAttempt.objects.filter(username=clinician.email).exists()
    assert sign_in(login_client, clinician.email, PASSWORD).status_code == 302
    assert signed_in(login_client)


@pytest.mark.parametrize("persona", ["other_admin", "colleague", "clinician"])
def test_only_the_own_clinics_admin_may_unlock(login_client, clinician, client_for, persona):
    fail_five_times(login_client, clinician.email)
    response = client_for(persona).post(reverse("accounts:unlock_user", args=[clinician.pk]))
    assert response.status_code == 404
    assert sign_in(login_client, clinician.email, PASSWORD).status_code == 429


def test_admin_of_another_clinic_gets_404_for_their_neighbours_member(
    login_client, client_for, other_clinic
):
    neighbour = ClinicianFactory(clinic=other_clinic)
    fail_five_times(login_client, neighbour.email)
    response = client_for("clinic_admin").post(reverse("accounts:unlock_user", args=[neighbour.pk]))
    assert response.status_code == 404
    assert sign_in(login_client, neighbour.email, PASSWORD).status_code == 429


def test_lockout_page_speaks_the_language_picked_on_the_sign_in_page(login_client, clinician):
    login_client.cookies["django_language"] = "sr"
    response = fail_five_times(login_client, clinician.email)[-1]
    assert response.status_code == 429
    page = response.content.decode()
    assert "Превише покушаја" in page
    assert "15 минута" in page
