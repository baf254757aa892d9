"""Access-matrix rows for export, erasure, PDFs and the privacy page.

A copy of the record: the clinicians who may open `patient` (clinic A) and
clinic A's admin, who handles data-protection requests. Erasure: clinic A's
admin only. Everyone else gets a 404; a download by GET is a 405 whoever asks
(it changes nothing and says nothing). The privacy page is public.
"""

import pytest

from tests.access.common import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    RedirectTo,
    Row,
    expect,
    public,
)
from tests.factories import PatientFactory

# A code of the unguessable alphabet, fixed so a row's form can type it.
ERASABLE_CODE = "ERASE23456"


@pytest.fixture
def erasable_patient(clinic, clinician):
    # A patient of clinic A with a known code, whom the admin may erase.
    return PatientFactory(clinic=clinic, key_clinician=clinician, code=ERASABLE_CODE)


def _export_rights(outcome):
    return expect(NOT_FOUND, clinician=outcome, colleague=outcome, clinic_admin=outcome)


def _patient(w):
    return {"code": w.patient.code}


ROWS = [
    Row("privacy", public(OK)),
    # The admin's search: each admin in their own clinic.
    Row("patients:records", expect(NOT_FOUND, clinic_admin=OK, other_admin=OK)),
    Row(
        "patients:records",
        expect(NOT_FOUND, clinic_admin=OK, other_admin=OK),
        method="post",
        data={"q": "Petra"},
    ),
    Row("patients:export", _export_rights(OK), kwargs=_patient),
    Row(
        "patients:export_json",
        _export_rights(OK),
        kwargs=_patient,
        method="post",
        data={"reason": "Request 7"},
    ),
    Row(
        "patients:export_pdf",
        _export_rights(OK),
        kwargs=_patient,
        method="post",
        data={"reason": "Request 7"},
    ),
    Row("patients:export_json", expect(NOT_ALLOWED), kwargs=_patient),
    Row("patients:export_pdf", expect(NOT_ALLOWED), kwargs=_patient),
    Row("patients:erase", expect(NOT_FOUND, clinic_admin=OK), kwargs=_patient),
    # A wrong code: the form again, nothing erased.
    Row(
        "patients:erase",
        expect(NOT_FOUND, clinic_admin=OK),
        kwargs=_patient,
        method="post",
        data={"code": "WRONG23456"},
        variant="wrong code",
    ),
    Row(
        "patients:erase",
        expect(NOT_FOUND, clinic_admin=RedirectTo("patients:erase")),
        kwargs=lambda w: {"code": w.erasable_patient.code},
        method="post",
        data={"code": ERASABLE_CODE},
        variant="confirmed",
    ),
]
