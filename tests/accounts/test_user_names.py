"""A person is named one way everywhere: ``str(user)`` (``{{ user }}`` in a
template), their full name, else their email address."""

import pytest
from django.urls import reverse

from audit.models import AccessLog
from audit.services import log_access
from patients.forms import PatientForm
from tests.factories import ClinicianFactory

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_a_user_is_their_name_else_their_email(clinician):
    clinician.full_name = "Vesna Vuković"
    assert str(clinician) == "Vesna Vuković"
    clinician.full_name = ""
    assert str(clinician) == clinician.email


def test_a_nameless_clinician_is_their_email_in_the_header(client_for, clinician):
    clinician.full_name = ""
    clinician.save()

    page = html(client_for(clinician).get(reverse("home"), follow=True))

    assert f'<span class="app-user">{clinician.email}</span>' in page


def test_a_nameless_colleague_is_their_email_in_the_staff_list(clinic_admin_client, clinic):
    nameless = ClinicianFactory(clinic=clinic, full_name="", email="no.name@example.org")

    page = html(clinic_admin_client.get(reverse("accounts:staff_list")))

    assert f">{nameless.email}</a>" in page


def test_the_key_clinician_list_names_people_the_same_way(clinic, clinician):
    nameless = ClinicianFactory(clinic=clinic, full_name="", email="no.name@example.org")

    form = PatientForm(clinic=clinic, submit_label="Save")
    labels = [label for _value, label in form.fields["key_clinician"].choices]

    assert str(clinician) in labels
    assert nameless.email in labels


def test_the_access_log_keeps_a_nameless_users_email_cut_to_its_column(patient):
    email = "a" * 160 + "@example.org"
    user = ClinicianFactory(clinic=patient.clinic, full_name="", email=email)

    row = log_access(user=user, patient=patient, kind=AccessLog.Kind.PATIENT)

    assert row.user_name == email[:150]
