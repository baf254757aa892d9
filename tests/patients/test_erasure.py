"""Erasure on request: pseudonymise within the retention period, erase the
clinical text after it; the admin alone, by typing the code; always logged."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from patients.models import Carer, Patient
from records.erasure import add_years, erasure_plan, patient_erase
from reminders.models import Appointment, ContactPreference, Reminder
from sessions_app.models import (
    Action,
    ActionReview,
    DialogSession,
    Rating,
    SelectedArea,
    StepNote,
)
from tests.factories import PatientFactory

from .record_world import build_record

pytestmark = pytest.mark.django_db

# Every table that holds who the patient and their carers are, live and past.
IDENTITY_MODELS = [
    Patient,
    Patient.history.model,
    Carer,
    Carer.history.model,
    ContactPreference,
    Action,
    Action.history.model,
    LogEntry,
]
# Every table that holds clinical free text, live and past.
TEXT_MODELS = [
    StepNote,
    StepNote.history.model,
    Action,
    Action.history.model,
    ActionReview,
    ActionReview.history.model,
    DialogSession,
    DialogSession.history.model,
    LogEntry,
]


def rows_containing(models, needles):
    """``(model, needle)`` for each row of ``models`` whose values (decrypted by
    the ORM, as the app reads them) contain one of ``needles``."""
    found = []
    for model in models:
        for values in model.objects.values():
            text = " ".join(str(value) for value in values.values())
            found += [(model.__name__, needle) for needle in needles if needle in text]
    return found


@pytest.fixture
def record(patient):
    # `patient`'s full record: every text carries "PETRAMARK".
    return build_record(patient, "PETRAMARK")


@pytest.fixture
def neighbour(clinic, colleague):
    # Another patient of the same clinic, who asked for nothing.
    other = PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Nina Neighbour")
    return build_record(other, "NEIGHBOURMARK", phone_digits="609876543")


@pytest.fixture
def admin_log(record, clinic_admin):
    # Django's admin log names each object as it was when changed there.
    contact = ContactPreference.objects.get(patient=record.patient)
    for obj in (
        record.patient,
        record.carer,
        record.carer_action,
        record.first,
        record.appointment,
        contact,
    ):
        LogEntry.objects.create(
            user=clinic_admin,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
        )


def age_record(patient, years):
    """Move the patient's whole history ``years`` into the past."""
    shift = datetime.timedelta(days=365 * years + 2)
    Patient.objects.filter(pk=patient.pk).update(created_at=timezone.now() - shift)
    for session in DialogSession.objects.filter(patient=patient):
        DialogSession.objects.filter(pk=session.pk).update(
            started_at=session.started_at - shift, ended_at=session.ended_at - shift
        )
    patient.refresh_from_db()


def erase_url(patient):
    return reverse("patients:erase", kwargs={"code": patient.code})


# --- within the retention period ------------------------------------------------------


def test_erasure_within_retention_leaves_the_name_and_contacts_nowhere(
    clinic_admin_client, record, neighbour, admin_log
):
    response = clinic_admin_client.post(erase_url(record.patient), {"code": record.patient.code})

    assert response.status_code == 302
    assert rows_containing(IDENTITY_MODELS, record.identifying) == []
    record.patient.refresh_from_db()
    assert record.patient.full_name == f"Pseudonymised patient {record.patient.code}"
    assert record.patient.pseudonymised_at is not None
    # The neighbour keeps everything.
    assert rows_containing([Patient, Carer, ContactPreference], ["Nina Neighbour"]) != []
    neighbour.patient.refresh_from_db()
    assert neighbour.patient.pseudonymised_at is None


def test_erasure_within_retention_keeps_the_clinical_content(clinic_admin_client, record):
    clinic_admin_client.post(erase_url(record.patient), {"code": record.patient.code})

    notes = set(
        StepNote.objects.filter(area__session__patient=record.patient).values_list(
            "text", flat=True
        )
    )
    assert notes == {f"PETRAMARK note {n}" for n in range(1, 5)}
    assert ActionReview.objects.get(action=record.carer_action).comment == (
        "PETRAMARK review comment"
    )
    assert Rating.objects.get(session=record.first, domain__key="job").value == 3
    # The carer's action keeps what is to be done, not the carer's name.
    action = Action.objects.get(pk=record.carer_action.pk)
    assert (action.text, action.owner_name) == ("PETRAMARK carer action", "")


def test_erasure_stops_reminders_and_unlinks_carers(clinic_admin_client, record):
    carer_user = record.carer.user

    clinic_admin_client.post(erase_url(record.patient), {"code": record.patient.code})

    pref = ContactPreference.objects.get(patient=record.patient)
    assert (pref.phone, pref.email, pref.channel, pref.consent_to_reminders) == (
        "",
        "",
        "none",
        False,
    )
    assert not pref.accepts_reminders
    statuses = list(
        Reminder.objects.filter(patient=record.patient).values_list("status", flat=True)
    )
    assert sorted(statuses) == ["cancelled", "cancelled", "sent"]
    carer = Carer.objects.get(pk=record.carer.pk)
    assert carer.user is None
    assert not carer.has_consent
    assert (carer.email, carer.phone) == ("", "")
    assert carer.full_name == "Carer 1"
    # The relationship ("aunt") names someone as well as a name does, live and past.
    assert carer.relationship == ""
    assert set(Carer.history.filter(id=carer.pk).values_list("relationship", flat=True)) == {""}
    assert not Carer.history.filter(user=carer_user).exists()
    appointment = Appointment.objects.get(pk=record.appointment.pk)
    assert appointment.cancelled_at is not None


def test_erasure_is_logged_with_who_did_it(clinic_admin_client, clinic_admin, record):
    clinic_admin_client.post(erase_url(record.patient), {"code": record.patient.code})

    row = AccessLog.objects.get(patient=record.patient, kind=AccessLog.Kind.ERASURE)
    assert (row.user, row.role, row.patient_code) == (
        clinic_admin,
        AccessLog.Role.ADMIN,
        record.patient.code,
    )
    # The change history says who pseudonymised the patient, without the old name.
    latest = Patient.history.filter(id=record.patient.pk).latest("history_date")
    assert latest.history_user == clinic_admin
    assert latest.history_change_reason == "pseudonymised"


def test_erasure_closes_a_session_left_open(clinic_admin, record):
    from sessions_app import services

    open_session = services.session_start(
        patient=record.patient, clinician=record.patient.key_clinician, attendance="alone"
    ).session

    patient_erase(patient=record.patient, by=clinic_admin)

    open_session.refresh_from_db()
    assert open_session.status == DialogSession.Status.ABANDONED


# --- after the retention period ---------------------------------------------------------


def test_erasure_after_retention_removes_the_clinical_text_everywhere(
    clinic_admin_client, clinic, record, neighbour, admin_log
):
    clinic.record_retention_years = 2
    clinic.save()
    age_record(record.patient, 3)

    response = clinic_admin_client.post(erase_url(record.patient), {"code": record.patient.code})

    assert response.status_code == 302
    # Nothing of the notes, actions, comments or attendance notes, live or in
    # history (the un-chosen area's note lived only there).
    assert rows_containing(TEXT_MODELS, record.texts) == []
    assert rows_containing(IDENTITY_MODELS, record.identifying) == []
    # The numbers stay for statistics.
    values = set(
        Rating.objects.filter(session__patient=record.patient)
        .exclude(value=None)
        .values_list("value", flat=True)
    )
    assert values == {3, 4, 6}
    assert SelectedArea.objects.filter(session__patient=record.patient).count() == 1
    # The neighbour's notes are untouched.
    assert rows_containing([StepNote], ["NEIGHBOURMARK note 1"]) != []
    assert (
        AccessLog.objects.filter(patient=record.patient, kind=AccessLog.Kind.ERASURE).count() == 1
    )


def test_a_pseudonymised_record_is_erased_further_once_the_retention_has_passed(
    clinic_admin, clinic, record
):
    clinic.record_retention_years = 2
    clinic.save()
    first = patient_erase(patient=record.patient, by=clinic_admin)
    assert (first.pseudonymised, first.text_erased) == (True, False)
    assert rows_containing([StepNote], ["PETRAMARK note 1"]) != []

    later = timezone.now() + datetime.timedelta(days=365 * 2 + 30)
    record.patient.refresh_from_db()
    plan = erasure_plan(record.patient, now=later)
    assert (plan.will_pseudonymise, plan.will_erase_text) == (False, True)
    second = patient_erase(patient=record.patient, by=clinic_admin, now=later)

    assert (second.pseudonymised, second.text_erased) == (False, True)
    assert rows_containing(TEXT_MODELS, record.texts) == []
    assert AccessLog.objects.filter(kind=AccessLog.Kind.ERASURE).count() == 2
    # Nothing is left to do, and doing nothing is not logged.
    third = patient_erase(patient=record.patient, by=clinic_admin, now=later)
    assert not third.changed
    assert AccessLog.objects.filter(kind=AccessLog.Kind.ERASURE).count() == 2


def test_retention_counts_from_the_last_contact(clinic, clinic_admin, record):
    clinic.record_retention_years = 10
    clinic.save()

    plan = erasure_plan(record.patient)

    assert plan.last_contact == record.second.ended_at
    assert plan.retention_ends == add_years(record.second.ended_at, 10)
    assert not plan.retention_passed


def test_retention_counts_from_registration_without_sessions(clinic, patient):
    plan = erasure_plan(patient)

    assert plan.last_contact == patient.created_at


def test_add_years_keeps_the_date_or_the_last_day_of_february():
    leap = datetime.datetime(2024, 2, 29, 10, tzinfo=datetime.UTC)

    assert add_years(leap, 1) == datetime.datetime(2025, 2, 28, 10, tzinfo=datetime.UTC)
    assert add_years(leap, 4) == leap.replace(year=2028)


# --- the page and its confirmation -------------------------------------------------------


def test_erasure_page_explains_the_retention_duty_and_what_will_happen(
    clinic_admin_client, clinic, record
):
    clinic.record_retention_years = 7
    clinic.save()

    response = clinic_admin_client.get(erase_url(record.patient))

    page = response.content.decode()
    assert response.status_code == 200
    assert "7 years after the last contact" in page
    assert "This cannot be undone" in page
    assert f"Pseudonymised patient {record.patient.code}" in page
    assert "1 carer loses" in page
    assert 'name="code"' in page


def test_a_wrong_code_changes_nothing_and_says_why(clinic_admin_client, record):
    response = clinic_admin_client.post(erase_url(record.patient), {"code": "WRONG12345"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "That is not this patient&#x27;s code, so nothing was changed." in page
    # What was typed is kept in the field.
    assert 'value="WRONG12345"' in page
    record.patient.refresh_from_db()
    assert record.patient.full_name == record.name
    assert record.patient.pseudonymised_at is None
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.ERASURE).exists()


def test_the_code_may_be_typed_in_small_letters_and_groups(clinic_admin_client, record):
    code = record.patient.code
    typed = f" {code[:5].lower()} {code[5:].lower()} "

    clinic_admin_client.post(erase_url(record.patient), {"code": typed})

    record.patient.refresh_from_db()
    assert record.patient.pseudonymised_at is not None


@pytest.mark.parametrize("persona", ["clinician", "colleague", "outsider", "other_admin"])
def test_only_the_clinic_admin_can_erase(client_for, persona, record):
    client = client_for(persona)

    assert client.get(erase_url(record.patient)).status_code == 404
    response = client.post(erase_url(record.patient), {"code": record.patient.code})

    assert response.status_code == 404
    record.patient.refresh_from_db()
    assert record.patient.pseudonymised_at is None


def test_nothing_more_to_erase_is_said_and_not_offered(clinic_admin_client, clinic_admin, record):
    patient_erase(patient=record.patient, by=clinic_admin)

    page = clinic_admin_client.get(erase_url(record.patient)).content.decode()

    assert "Nothing more to erase now" in page
    assert 'name="code"' not in page


# --- a pseudonymised patient in the clinicians' pages ----------------------------------------


@pytest.fixture
def pseudonymised(record, clinic_admin):
    patient_erase(patient=record.patient, by=clinic_admin)
    record.patient.refresh_from_db()
    return record


def test_the_patient_page_shows_a_banner_and_no_start_buttons(clinician_client, pseudonymised):
    url = reverse("patients:detail", kwargs={"code": pseudonymised.patient.code})

    page = clinician_client.get(url).content.decode()

    assert "This record is pseudonymised" in page
    assert reverse("sessions:start", kwargs={"patient_code": pseudonymised.patient.code}) not in (
        page
    )
    assert reverse("patients:edit", kwargs={"code": pseudonymised.patient.code}) not in page


def test_no_new_session_can_be_started(clinician_client, pseudonymised):
    url = reverse("sessions:start", kwargs={"patient_code": pseudonymised.patient.code})
    before = DialogSession.objects.filter(patient=pseudonymised.patient).count()

    response = clinician_client.post(url, {"attendance": "alone"}, follow=True)

    assert DialogSession.objects.filter(patient=pseudonymised.patient).count() == before
    assert "no new session can be started" in response.content.decode()


def test_a_pseudonymised_record_cannot_be_edited(clinician_client, pseudonymised):
    url = reverse("patients:edit", kwargs={"code": pseudonymised.patient.code})

    response = clinician_client.post(url, {"full_name": "Petra Again", "language": "en"})

    assert response.status_code == 302
    pseudonymised.patient.refresh_from_db()
    assert pseudonymised.patient.full_name.startswith("Pseudonymised patient")


def test_search_finds_a_pseudonymised_patient_by_code_not_by_name(clinician_client, pseudonymised):
    code = pseudonymised.patient.code
    by_name = clinician_client.post(reverse("patients:list"), {"q": "Pseudonymised"})
    by_code = clinician_client.post(reverse("patients:list"), {"q": code})

    assert code not in by_name.content.decode()
    assert code in by_code.content.decode()


def test_the_admins_search_finds_by_name_or_code(clinic_admin_client, record, neighbour):
    url = reverse("patients:records")

    by_name = clinic_admin_client.post(url, {"q": "neighbour"}).content.decode()
    by_code = clinic_admin_client.post(url, {"q": record.patient.code.lower()}).content.decode()

    assert neighbour.patient.code in by_name and record.patient.code not in by_name
    assert record.patient.code in by_code
    assert erase_url(record.patient) in by_code


def test_the_admins_search_does_not_reach_another_clinic(other_admin_client, record):
    page = other_admin_client.post(
        reverse("patients:records"), {"q": record.patient.code}
    ).content.decode()

    assert "No patient of your clinic matches" in page
    assert erase_url(record.patient) not in page
    assert record.name not in page


def test_an_empty_search_says_what_to_type(clinic_admin_client):
    response = clinic_admin_client.post(reverse("patients:records"), {"q": "  "})

    assert response.status_code == 200
    assert "Type the patient&#x27;s name or code." in response.content.decode()
