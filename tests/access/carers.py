"""Access-matrix rows for carer consent, invitations and what carers read.

A carer is reached through their patient: only the clinicians who may open
`patient` (clinic A) manage `patient`'s carers; everyone else gets a 404, and a
carer of another patient is a 404 even through a patient the user may open.
"""

import pytest

from tests.access.common import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    RedirectTo,
    Row,
    clinic_a_clinicians,
    expect,
)
from tests.factories import CarerFactory, PatientFactory


@pytest.fixture
def consenting_carer_link(carer_with_consent):
    # `carer_with_consent`'s link to `patient`: consent to share summaries stands.
    return carer_with_consent.carer_links.get()


@pytest.fixture
def invitable_carer(patient):
    # `patient`'s carer with an email address, not invited yet.
    return CarerFactory(
        patient=patient, user=None, full_name="Nada New", email="new.carer@example.org"
    )


@pytest.fixture
def neighbours_carer(clinic, colleague):
    # The carer of another clinic-A patient: never reached through `patient`.
    neighbour = PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Nina Neighbour")
    return CarerFactory(patient=neighbour)


def _carer(carer_of):
    return lambda w: {"code": w.patient.code, "carer_id": carer_of(w).pk}


CONSENTING = _carer(lambda w: w.consenting_carer_link)
INVITABLE = _carer(lambda w: w.invitable_carer)

CARER_FORM = {
    "full_name": "Carol Carer",
    "relationship": "sister",
    "email": "",
    "phone": "",
    "language": "",
    "share_summaries": "on",
    "confirm": "on",
}

TO_PATIENT = clinic_a_clinicians(RedirectTo("patients:detail"))

ROWS = [
    Row(
        "patients:carer_add",
        clinic_a_clinicians(OK),
        kwargs=lambda w: {"code": w.patient.code},
    ),
    Row(
        "patients:carer_add",
        TO_PATIENT,
        kwargs=lambda w: {"code": w.patient.code},
        method="post",
        data=CARER_FORM,
    ),
    Row("patients:carer_edit", clinic_a_clinicians(OK), kwargs=CONSENTING),
    Row("patients:carer_edit", TO_PATIENT, kwargs=CONSENTING, method="post", data=CARER_FORM),
    Row(
        "patients:carer_edit",
        expect(NOT_FOUND),
        kwargs=lambda w: {"code": w.patient.code, "carer_id": w.neighbours_carer.pk},
        variant="another patient's carer",
    ),
    Row("patients:carer_invite", TO_PATIENT, kwargs=INVITABLE, method="post"),
    # GET changes nothing; answered before any lookup, so it tells nothing either.
    Row(
        "patients:carer_invite",
        expect(NOT_FOUND, clinician=NOT_ALLOWED, colleague=NOT_ALLOWED, outsider=NOT_ALLOWED),
        kwargs=INVITABLE,
    ),
    Row(
        "patients:carer_invite",
        expect(NOT_FOUND),
        kwargs=lambda w: {"code": w.patient.code, "carer_id": w.neighbours_carer.pk},
        method="post",
        variant="another patient's carer",
    ),
    Row("patients:carer_withdraw", clinic_a_clinicians(OK), kwargs=CONSENTING),
    Row("patients:carer_withdraw", TO_PATIENT, kwargs=CONSENTING, method="post"),
    Row("patients:carer_history", clinic_a_clinicians(OK), kwargs=CONSENTING),
    Row(
        "patients:carer_history",
        expect(NOT_FOUND),
        kwargs=lambda w: {"code": w.patient.code, "carer_id": w.neighbours_carer.pk},
        variant="another patient's carer",
    ),
]
