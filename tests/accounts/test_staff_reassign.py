"""A clinic admin hands one clinician's patients to a colleague: all or some,
from an active or a deactivated clinician, and only within the clinic."""

import re

import pytest
from django.urls import reverse

from accounts.models import Membership
from patients.models import Patient
from patients.name_index import patient_named
from tests.factories import ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def page_for(user):
    return reverse("accounts:staff_reassign_patients", args=[user.pk])


@pytest.fixture
def claras_patients(clinic, clinician, patient, colleague):
    # Clara looks after Petra, Zoe and Ivo; Colin after Aaron.
    PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Zoe Zed")
    PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Ivo Ivić")
    PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Aaron Another")


def keyed_to(user):
    return set(Patient.objects.filter(key_clinician=user).values_list("full_name", flat=True))


def test_the_start_page_lists_clinicians_with_their_patient_counts(
    claras_patients, clinic_admin_client, clinician, colleague, outsider, other_patient
):
    clinician.memberships.update(is_active=False)

    page = html(clinic_admin_client.get(reverse("accounts:staff_reassign")))

    assert re.search(r"Clara Clinician</a></th>\s*<td>.*Inactive.*</td>\s*<td>3 patients", page)
    assert re.search(r"Colin Colleague</a></th>\s*<td>.*Active.*</td>\s*<td>1 patient<", page)
    assert page.index("Clara Clinician") < page.index("Colin Colleague")  # most patients first
    assert "Oscar Outsider" not in page
    assert page_for(clinician) in page


def test_all_patients_of_a_clinician_move_to_a_colleague(
    claras_patients, clinic_admin_client, clinician, colleague
):
    form = html(clinic_admin_client.get(page_for(clinician)))
    assert "Petra Patient" in form and "All 3 of their patients" in form

    response = clinic_admin_client.post(
        page_for(clinician), {"to_clinician": colleague.pk, "scope": "all"}, follow=True
    )

    assert "3 patients moved from Clara Clinician to Colin Colleague." in html(response)
    assert keyed_to(clinician) == set()
    assert keyed_to(colleague) == {"Petra Patient", "Zoe Zed", "Ivo Ivić", "Aaron Another"}
    # Each patient was saved on its own: its history says who made the change.
    petra = patient_named("Petra Patient")
    latest = petra.history.latest()
    assert latest.key_clinician_id == colleague.pk
    assert latest.history_user.full_name == "Ada Admin"
    assert "is not the key clinician of any patient now" in html(response)


def test_only_the_ticked_patients_move(
    claras_patients, clinic_admin_client, clinician, colleague, patient
):
    zoe = patient_named("Zoe Zed")

    response = clinic_admin_client.post(
        page_for(clinician),
        {"to_clinician": colleague.pk, "scope": "ticked", "patients": [patient.code, zoe.code]},
        follow=True,
    )

    assert "2 patients moved from Clara Clinician to Colin Colleague." in html(response)
    assert keyed_to(clinician) == {"Ivo Ivić"}


def test_ticking_nobody_is_refused_and_nothing_moves(
    claras_patients, clinic_admin_client, clinician, colleague
):
    response = clinic_admin_client.post(
        page_for(clinician), {"to_clinician": colleague.pk, "scope": "ticked"}
    )

    assert response.status_code == 200
    assert "Tick at least one patient, or choose all of them." in html(response)
    assert len(keyed_to(clinician)) == 3


def test_a_deactivated_clinicians_patients_can_be_handed_over(
    claras_patients, clinic_admin_client, clinician, colleague
):
    clinic_admin_client.post(reverse("accounts:staff_deactivate", args=[clinician.pk]))

    clinic_admin_client.post(page_for(clinician), {"to_clinician": colleague.pk, "scope": "all"})

    assert keyed_to(clinician) == set()


@pytest.mark.parametrize("target", ["outsider", "deactivated", "admin", "themself"])
def test_patients_move_only_to_an_active_clinician_of_the_clinic(
    claras_patients, clinic_admin_client, clinician, outsider, clinic, clinic_admin, target
):
    to_user = {
        "outsider": outsider,
        "deactivated": ClinicianFactory(clinic=clinic, full_name="Dora Gone"),
        "admin": clinic_admin,
        "themself": clinician,
    }[target]
    if target == "deactivated":
        Membership.objects.filter(user=to_user).update(is_active=False)

    response = clinic_admin_client.post(
        page_for(clinician), {"to_clinician": to_user.pk, "scope": "all"}
    )

    assert response.status_code == 200
    assert "Choose an active clinician of this clinic." in html(response)
    assert len(keyed_to(clinician)) == 3
    assert f'value="{outsider.pk}"' not in html(response)


def test_another_clinics_patient_cannot_be_ticked(
    claras_patients, clinic_admin_client, clinician, colleague, other_patient, outsider
):
    response = clinic_admin_client.post(
        page_for(clinician),
        {"to_clinician": colleague.pk, "scope": "ticked", "patients": [other_patient.code]},
    )

    assert response.status_code == 200
    assert "Tick only patients of this list." in html(response)
    other_patient.refresh_from_db()
    assert other_patient.key_clinician == outsider
    assert len(keyed_to(clinician)) == 3


def test_another_clinics_clinician_is_a_404_as_the_source(
    clinic_admin_client, outsider, other_patient, colleague
):
    for method in ("get", "post"):
        response = getattr(clinic_admin_client, method)(
            page_for(outsider), {"to_clinician": colleague.pk, "scope": "all"}
        )
        assert response.status_code == 404
    other_patient.refresh_from_db()
    assert other_patient.key_clinician == outsider


def test_the_other_clinics_admin_cannot_move_clinic_a_patients(
    claras_patients, client_for, clinician, outsider
):
    response = client_for("other_admin").post(
        page_for(clinician), {"to_clinician": outsider.pk, "scope": "all"}
    )

    assert response.status_code == 404
    assert len(keyed_to(clinician)) == 3


def test_with_nobody_to_take_over_the_page_says_so(clinic_admin_client, clinician, patient):
    page = html(clinic_admin_client.get(page_for(clinician)))

    assert "There is no other active clinician to take over." in page
    assert 'name="to_clinician"' not in page
