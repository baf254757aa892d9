"""A pseudonymised record takes no new personal details, from any form."""

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import Carer
from reminders.models import Appointment, ContactPreference
from tests.dates import local_input, soon_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def pseudonymised(patient):
    patient.full_name = f"Pseudonymised patient {patient.code}"
    patient.pseudonymised_at = timezone.now()
    patient.save()
    return patient


FORMS = [
    ("patients:edit", {"full_name": "Petra Back Again", "language": "sr"}),
    ("patients:carer_add", {"full_name": "Mira Back", "email": "mira@example.org"}),
    ("reminders:contact", {"channel": "sms", "phone": "+381 64 123 4567", "consent": "on"}),
    ("reminders:appointment", {"when": local_input(soon_day(), 10, 30)}),
]


@pytest.mark.parametrize(("name", "data"), FORMS)
def test_the_form_is_not_offered(clinician_client, pseudonymised, name, data):
    url = reverse(name, kwargs={"code": pseudonymised.code})

    response = clinician_client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("patients:detail", kwargs={"code": pseudonymised.code})


@pytest.mark.parametrize(("name", "data"), FORMS)
def test_a_posted_form_changes_nothing(clinician_client, pseudonymised, name, data):
    url = reverse(name, kwargs={"code": pseudonymised.code})

    response = clinician_client.post(url, data, follow=True)

    pseudonymised.refresh_from_db()
    assert pseudonymised.full_name == f"Pseudonymised patient {pseudonymised.code}"
    assert not Carer.objects.filter(patient=pseudonymised).exists()
    assert not ContactPreference.objects.filter(patient=pseudonymised).exists()
    assert not Appointment.objects.filter(patient=pseudonymised).exists()
    assert "pseudonymised" in response.content.decode()


def test_another_clinic_still_gets_a_404(outsider_client, pseudonymised):
    url = reverse("patients:carer_add", kwargs={"code": pseudonymised.code})

    assert outsider_client.get(url).status_code == 404
