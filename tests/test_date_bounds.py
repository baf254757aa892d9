"""Appointments and due dates are bounded: not in the past, not more than a year ahead.

A typo in a year (9999 for 2027) must neither queue a reminder for a day no one
will see nor ask a patient to act by then.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dialogplus.dates import check_appointment_time, check_due_date, latest_plannable_date
from reminders.models import Appointment, Reminder
from reminders.services import appointment_set
from sessions_app.forms import ActionForm, FinishForm
from tests.dates import local_input, soon_day

pytestmark = pytest.mark.django_db

TOO_FAR = "Choose a date within a year from today."


def test_an_appointment_in_year_9999_is_refused_and_what_was_typed_stays(clinician_client, patient):
    url = reverse("reminders:appointment", kwargs={"code": patient.code})
    response = clinician_client.post(url, {"when": "9999-03-02T10:30"})

    assert response.status_code == 200
    assert response.context["form"].errors["when"] == [TOO_FAR]
    assert 'value="9999-03-02T10:30"' in response.content.decode()
    assert not Appointment.objects.exists()
    assert not Reminder.objects.exists()


def test_the_last_day_of_the_planning_year_is_accepted_and_the_next_refused(
    clinician_client, patient
):
    url = reverse("reminders:appointment", kwargs={"code": patient.code})
    last = latest_plannable_date()

    refused = clinician_client.post(
        url, {"when": local_input(last + datetime.timedelta(days=1), 10)}
    )
    assert refused.context["form"].errors["when"] == [TOO_FAR]
    accepted = clinician_client.post(url, {"when": local_input(last, 10)})
    assert accepted.status_code == 302
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_the_service_refuses_too_far_whoever_calls_it(patient):
    far = timezone.now() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as refused:
        appointment_set(patient=patient, when=far)
    assert refused.value.code == "too_far_ahead"
    assert not Appointment.objects.exists()


def test_the_finish_form_refuses_a_next_appointment_too_far_ahead():
    form = FinishForm({"next_appointment": "9999-01-01T10:00"})
    assert not form.is_valid()
    assert form.errors["next_appointment"] == [TOO_FAR]


def test_a_due_date_more_than_a_year_ahead_is_refused_and_the_picker_says_so():
    form = ActionForm(
        {
            "text": "Phone the job centre",
            "owner": "patient",
            "due_date": "9999-05-01",
            "client_token": "5b8f1f0a-2d2f-4d7e-9a53-0c1b2f3e4d5a",
        }
    )
    assert not form.is_valid()
    assert form.errors["due_date"] == [TOO_FAR]
    widget = form.fields["due_date"].widget.attrs
    assert widget["max"] == latest_plannable_date().isoformat()
    assert widget["min"] == timezone.localdate().isoformat()


def test_the_rules_themselves():
    now = timezone.now()
    check_appointment_time(now + datetime.timedelta(days=30), now=now)
    check_due_date(soon_day(300))
    for bad, code in (
        (now - datetime.timedelta(minutes=1), "appointment_in_past"),
        (now + datetime.timedelta(days=370), "too_far_ahead"),
    ):
        with pytest.raises(ValidationError) as refused:
            check_appointment_time(bad, now=now)
        assert refused.value.code == code
    with pytest.raises(ValidationError) as refused:
        check_due_date(soon_day(-1))
    assert refused.value.code == "due_in_past"
