import pytest
from django.http import HttpRequest

from accounts.models import Membership
from accounts.selectors import membership_for_user
from sessions_app.models import DialogSession

from .conftest import PERSONAS
from .factories import (
    PASSWORD,
    CarerFactory,
    ClinicAdminFactory,
    ClinicianFactory,
    PatientFactory,
    session_complete,
)

pytestmark = pytest.mark.django_db


def test_patient_factory_puts_the_key_clinician_in_the_patients_clinic():
    patient = PatientFactory()

    membership = membership_for_user(patient.key_clinician)
    assert membership.clinic == patient.clinic
    assert membership.role == Membership.Role.CLINICIAN


def test_clinician_factory_joins_the_given_clinic(clinic):
    clinician = ClinicianFactory(clinic=clinic)

    assert list(clinician.memberships.values_list("clinic", "role", "is_active")) == [
        (clinic.id, Membership.Role.CLINICIAN, True)
    ]


def test_clinic_admin_factory_makes_an_admin(clinic):
    admin = ClinicAdminFactory(clinic=clinic)

    assert list(admin.memberships.values_list("clinic", "role")) == [
        (clinic.id, Membership.Role.ADMIN)
    ]


def test_carer_factory_records_consent_by_the_patients_key_clinician():
    carer = CarerFactory()

    assert carer.has_consent
    assert carer.consent_recorded_by == carer.patient.key_clinician
    assert not CarerFactory(withdrawn=True).has_consent


def test_factory_users_sign_in_with_the_known_password(client, clinician):
    # django-axes needs the request to count failures by address.
    assert client.login(request=HttpRequest(), email=clinician.email, password=PASSWORD)


def test_session_complete_builds_a_finished_session_through_the_services(patient):
    session = session_complete(
        patient, ratings={"job": 5}, needs_help={"job": True}, actions={"job": ["Call the union"]}
    )

    assert session.status == DialogSession.Status.COMPLETED
    assert session.clinician == patient.key_clinician
    job = session.ratings.get(domain__key="job")
    assert (job.value, job.needs_help) == (5, True)
    assert list(session.areas.values_list("actions__text", flat=True)) == ["Call the union"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_client_is_signed_in_as_its_persona(persona, client_for, user_for):
    client = client_for(persona)

    user = user_for(persona)
    assert client.session.get("_auth_user_id") == (str(user.pk) if user.is_authenticated else None)
