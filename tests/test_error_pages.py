"""Error pages speak the user's language, calmly, with a way back; no Django defaults."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_another_clinics_patient_is_a_plain_page_not_found(outsider_client, patient):
    response = outsider_client.get(reverse("patients:detail", kwargs={"code": patient.code}))

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert f'href="{reverse("home")}"' in page
    assert patient.full_name not in page


def test_the_not_found_page_is_in_the_users_language(client_for, clinician, other_clinic):
    clinician.language = "sr"
    clinician.save()
    stranger = PatientFactory(clinic=other_clinic)

    response = client_for("clinician").get(reverse("patients:detail", args=[stranger.code]))

    assert response.status_code == 404
    with translation.override("sr"):
        assert translation.gettext("Page not found") in response.content.decode()
    assert "Page not found" not in response.content.decode()


def test_an_expired_form_asks_to_send_it_again():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("accounts:login"), {"username": "a@b.c", "password": "x"}, secure=True
    )

    assert response.status_code == 403
    assert "Please send that again" in response.content.decode()


def test_the_server_error_page_needs_nothing_but_itself():
    request = RequestFactory().get("/")

    response = server_error(request)

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
