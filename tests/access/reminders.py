"""Access-matrix rows for carers' reminders, cancelling appointments and opt-out.

(The delivery page, the agenda and the contact and appointment forms have
their rows among the core rows in tests/test_access_matrix.py.)
"""

import pytest

from reminders import optout
from tests.access.common import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    RedirectTo,
    Row,
    clinic_a_clinicians,
    expect,
    public,
)
from tests.dates import local_input, soon_day
from tests.factories import CarerFactory
from tests.reminders.factories import ContactPreferenceFactory, appointment_for


@pytest.fixture
def reminded_carer(patient):
    # A carer of `patient` (clinic A) without a sign-in, whose reminders a clinician sets.
    return CarerFactory(patient=patient, user=None, full_name="Rita Reminded")


@pytest.fixture
def booked_patient(patient):
    # `patient` (clinic A), booked for an appointment before any session.
    from django.utils import timezone

    appointment_for(patient, timezone.now() + timezone.timedelta(days=3))
    return patient


@pytest.fixture
def opt_out_token(patient):
    # The opt-out link in `patient`'s reminders: whoever holds it may use it.
    return optout.token_for(ContactPreferenceFactory(patient=patient))


CARER_FORM = {"channel": "sms", "phone": "+381 64 123 4567", "email": "", "consent": "on"}


def _carer(w):
    return {"code": w.patient.code, "carer_id": w.reminded_carer.pk}


def _booked(w):
    return {"code": w.booked_patient.code}


def _token(w):
    return {"token": w.opt_out_token}


ROWS = [
    # --- a carer's reminders: the patient's clinicians
    Row("reminders:carer", clinic_a_clinicians(OK), kwargs=_carer),
    Row(
        "reminders:carer",
        clinic_a_clinicians(RedirectTo("patients:detail")),
        kwargs=_carer,
        method="post",
        data=CARER_FORM,
    ),
    # --- setting an appointment before a first session; cancelling it
    Row(
        "reminders:appointment",
        clinic_a_clinicians(RedirectTo("patients:detail")),
        kwargs=lambda w: {"code": w.patient.code},
        method="post",
        data={"when": local_input(soon_day(), 10, 30)},
        variant="before a first session",
    ),
    Row(
        "reminders:appointment_cancel",
        clinic_a_clinicians(RedirectTo("patients:detail")),
        kwargs=_booked,
        method="post",
    ),
    # GET changes nothing; answered before any lookup, so it tells nothing either.
    Row(
        "reminders:appointment_cancel",
        expect(NOT_FOUND, clinician=NOT_ALLOWED, colleague=NOT_ALLOWED, outsider=NOT_ALLOWED),
        kwargs=_booked,
    ),
    # --- the opt-out link: public, for whoever holds the signed token
    Row("optout:stop", public(OK), kwargs=_token),
    Row("optout:stop", public(RedirectTo("optout:stop")), kwargs=_token, method="post"),
    Row(
        "optout:stop",
        public(NOT_FOUND),
        kwargs=lambda w: {"token": w.opt_out_token[:8] + "AAAAAAAA"},
        variant="forged",
    ),
    Row(
        "optout:stop",
        public(NOT_FOUND),
        kwargs=lambda w: {"token": w.opt_out_token[:8] + "AAAAAAAA"},
        method="post",
        variant="forged",
    ),
]
