"""A carer as the owner of an agreed action (step 4), through the real HTTP layer.

The patient's carers with consent are offered by name, in the same group as
"Patient" and "Clinician", so naming one takes a single tap. Without one,
"Carer" with a typed name works as before.
"""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from patients import carer_services
from sessions_app import services
from sessions_app.models import Action
from tests.dates import soon_day
from tests.factories import CarerFactory, PatientFactory

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


@pytest.fixture
def area(session):
    job = session.scale_version.domains.get(key="job")
    (chosen,) = services.areas_select(session=session, domain_ids=[job.id])
    return chosen


@pytest.fixture
def step_four_url(session, area):
    return reverse("sessions:step", args=[session.code, area.id, 4])


@pytest.fixture
def mother(patient):
    # Consent to share recorded: may own actions.
    return CarerFactory(patient=patient, full_name="Marija Jovanović", relationship="mother")


@pytest.fixture
def brother(patient):
    # Consent withdrawn: never offered.
    return CarerFactory(patient=patient, full_name="Ivan Jovanović", withdrawn=True)


def posted(text="Drive Petra to the interview", **data):
    return {"note": "", "revision": "0", "client_token": str(uuid.uuid4()), "text": text, **data}


OWNER_RADIO = re.compile(r'<input type="radio" name="owner"[^>]*> ([^<]*)</label>')


def owner_labels(page):
    """The owner choices on the page, as a person reads them."""
    return [" ".join(label.split()) for label in OWNER_RADIO.findall(page)]


def test_the_patients_consenting_carers_are_offered_by_name(
    clinician_client, step_four_url, mother, brother, clinic, clinician
):
    stranger = CarerFactory(
        patient=PatientFactory(clinic=clinic, key_clinician=clinician), full_name="Sonja Stranger"
    )

    page = html(clinician_client.get(step_four_url))

    assert owner_labels(page) == [
        "Patient",
        "Clinician",
        "Carer: Marija Jovanović",
        "Another carer",
        "Someone else",
    ]
    assert f'value="carer:{mother.pk}"' in page
    assert brother.full_name not in page
    assert stranger.full_name not in page


def test_without_a_consenting_carer_the_choices_are_as_before(
    clinician_client, step_four_url, brother
):
    page = html(clinician_client.get(step_four_url))

    assert owner_labels(page) == ["Patient", "Clinician", "Carer", "Someone else"]


def test_one_tap_on_a_carers_name_makes_them_the_owner(
    clinician_client, session, area, step_four_url, mother
):
    response = clinician_client.post(
        step_four_url, posted(owner=f"carer:{mother.pk}", owner_name="typed by mistake")
    )

    assert response.status_code == 302
    action = Action.objects.get(area=area)
    assert (action.owner, action.carer, action.owner_name) == (
        Action.Owner.CARER,
        mother,
        "Marija Jovanović",
    )


def test_a_typed_carer_still_works_when_nobody_consented(
    clinician_client, area, step_four_url, brother
):
    response = clinician_client.post(step_four_url, posted(owner="carer", owner_name="Aunt Vesna"))

    assert response.status_code == 302
    action = Action.objects.get(area=area)
    assert (action.owner, action.carer, action.owner_name) == (
        Action.Owner.CARER,
        None,
        "Aunt Vesna",
    )


def test_another_carer_can_be_typed_beside_the_named_ones(
    clinician_client, area, step_four_url, mother
):
    clinician_client.post(step_four_url, posted(owner="carer", owner_name="Aunt Vesna"))

    action = Action.objects.get(area=area)
    assert (action.carer, action.owner_name) == (None, "Aunt Vesna")


def test_a_carer_whose_consent_was_withdrawn_meanwhile_is_refused_and_nothing_is_lost(
    clinician_client, area, step_four_url, mother, clinician
):
    carer_services.carer_withdraw_consent(carer=mother, recorded_by=clinician)

    response = clinician_client.post(
        step_four_url, posted(owner=f"carer:{mother.pk}", due_date=soon_day(60).isoformat())
    )

    page = html(response)
    assert response.status_code == 422
    assert "This carer can no longer be chosen." in page
    assert 'value="Drive Petra to the interview"' in page
    assert f'value="{soon_day(60).isoformat()}"' in page
    assert not Action.objects.filter(area=area).exists()


def test_another_patients_carer_cannot_be_posted(
    clinician_client, area, step_four_url, clinic, clinician
):
    theirs = CarerFactory(patient=PatientFactory(clinic=clinic, key_clinician=clinician))

    response = clinician_client.post(step_four_url, posted(owner=f"carer:{theirs.pk}"))

    assert response.status_code == 422
    assert not Action.objects.filter(area=area).exists()


def test_the_named_carer_shows_on_the_step_and_the_patient_page(
    clinician_client, patient, area, step_four_url, mother
):
    clinician_client.post(step_four_url, {**posted(owner=f"carer:{mother.pk}"), "add_another": "1"})

    step = html(clinician_client.get(step_four_url))
    assert "Carer: Marija Jovanović" in step
    assert "Drive Petra to the interview" in step


def test_the_choice_is_kept_when_the_form_comes_back_with_an_error(
    clinician_client, step_four_url, mother
):
    response = clinician_client.post(
        step_four_url, posted(owner=f"carer:{mother.pk}", due_date="2000-01-01")
    )

    page = html(response)
    assert response.status_code == 422
    assert re.search(rf'value="carer:{mother.pk}"[^>]*checked', page)


# --- the service holds the same rules, whoever calls it ------------------------------------------


def add(session, area, **kwargs):
    kwargs.setdefault("text", "Drive Petra to the interview")
    kwargs.setdefault("owner", Action.Owner.CARER)
    return services.action_add(session=session, area=area, client_token=uuid.uuid4(), **kwargs)


def test_the_service_keeps_the_owner_name_the_carers(session, area, mother):
    action = add(session, area, carer=mother, owner_name="Someone else entirely")

    assert (action.carer, action.owner_name) == (mother, "Marija Jovanović")


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("withdrawn", "carer_without_consent"),
        ("another patient's", "carer_without_consent"),
        ("owner is the patient", "carer_not_owner"),
    ],
)
def test_the_service_refuses_a_carer_who_may_not_own_the_action(
    session, area, mother, brother, clinic, clinician, case, code
):
    carer = {
        "withdrawn": brother,
        "another patient's": CarerFactory(
            patient=PatientFactory(clinic=clinic, key_clinician=clinician)
        ),
        "owner is the patient": mother,
    }[case]
    owner = Action.Owner.PATIENT if case == "owner is the patient" else Action.Owner.CARER

    with pytest.raises(ValidationError) as error:
        add(session, area, carer=carer, owner=owner)

    assert error.value.code == code
    assert not Action.objects.exists()
