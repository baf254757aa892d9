"""The pages that show a patient's data write the access log: one row per
opening, with who, their role, what and which session; nothing else."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLog
from sessions_app.models import DialogSession
from tests.factories import session_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(patient):
    return session_complete(patient, ratings={"job": 3}, actions={"job": ["Phone the centre"]})


@pytest.fixture
def open_session(completed, patient, clinician):
    from sessions_app import services

    return services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session


def only_row():
    (row,) = AccessLog.objects.all()
    return row


def test_opening_the_patient_page_logs_one_patient_access(clinician_client, clinician, patient):
    clinician_client.get(reverse("patients:detail", args=[patient.code]))

    row = only_row()
    assert (row.kind, row.user, row.patient, row.clinic) == (
        AccessLog.Kind.PATIENT,
        clinician,
        patient,
        patient.clinic,
    )
    assert (row.role, row.user_name, row.patient_code, row.session_code) == (
        AccessLog.Role.CLINICIAN,
        "Clara Clinician",
        patient.code,
        "",
    )


def test_a_colleague_opening_the_patient_page_is_logged_as_the_colleague(
    colleague_client, colleague, patient
):
    colleague_client.get(reverse("patients:detail", args=[patient.code]))

    assert only_row().user == colleague


def test_the_summary_is_logged_with_its_session(clinician_client, completed):
    clinician_client.get(reverse("sessions:summary", args=[completed.code]))

    row = only_row()
    assert (row.kind, row.session_code) == (AccessLog.Kind.SUMMARY, completed.code)


def test_a_refused_finish_form_on_the_summary_logs_nothing_more(clinician_client, open_session):
    url = reverse("sessions:summary", args=[open_session.code])
    clinician_client.get(url)

    response = clinician_client.post(url, {"attendance": "nobody", "next_appointment": "soon"})

    assert response.status_code == 422
    assert AccessLog.objects.filter(kind=AccessLog.Kind.SUMMARY).count() == 1


def test_the_printout_is_logged_with_its_session(clinician_client, completed):
    clinician_client.get(reverse("sessions:print", args=[completed.code]))

    row = only_row()
    assert (row.kind, row.session_code) == (AccessLog.Kind.PRINT, completed.code)


def test_opening_a_session_logs_it_once_not_at_every_tap(clinician_client, open_session):
    code = open_session.code
    clinician_client.get(reverse("sessions:resume", args=[code]))
    # What follows inside the session: screens, taps and autosaves.
    clinician_client.get(reverse("sessions:review_actions", args=[code]))
    clinician_client.get(reverse("sessions:rate_item", args=[code, 1]))
    clinician_client.post(reverse("sessions:rate_item", args=[code, 1]), {"value": "5"})
    clinician_client.get(reverse("sessions:review", args=[code]))

    row = only_row()
    assert (row.kind, row.session_code) == (AccessLog.Kind.SESSION, code)


def test_starting_a_session_logs_it_as_it_opens(clinician_client, patient):
    clinician_client.post(
        reverse("sessions:start", args=[patient.code]), {"attendance": "alone"}, follow=True
    )

    session = DialogSession.objects.get(patient=patient)
    row = only_row()
    assert (row.kind, row.session_code) == (AccessLog.Kind.SESSION, session.code)


def test_a_refused_visitor_leaves_no_row(outsider_client, clinic_admin_client, patient, completed):
    for client in (outsider_client, clinic_admin_client):
        for url in (
            reverse("patients:detail", args=[patient.code]),
            reverse("sessions:summary", args=[completed.code]),
            reverse("sessions:print", args=[completed.code]),
        ):
            assert client.get(url).status_code == 404

    assert not AccessLog.objects.exists()


# --- what logging costs ------------------------------------------------------------------

COSTED = {
    "patient page": (
        "patients.mixins",
        lambda w: reverse("patients:detail", args=[w.patient.code]),
    ),
    "opening a session": (
        "sessions_app.views.common",
        lambda w: reverse("sessions:resume", args=[w.open_session.code]),
    ),
    "summary": (
        "sessions_app.views.common",
        lambda w: reverse("sessions:summary", args=[w.completed.code]),
    ),
    "printout": (
        "sessions_app.views.common",
        lambda w: reverse("sessions:print", args=[w.completed.code]),
    ),
}


def shape(sql):
    """A statement without its values (times, ids and tokens differ per request)."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


@pytest.mark.parametrize("page", COSTED)
def test_logging_a_page_costs_exactly_one_insert(
    monkeypatch, clinician_client, patient, completed, open_session, page
):
    module, url_for = COSTED[page]
    world = SimpleNamespace(patient=patient, completed=completed, open_session=open_session)
    url = url_for(world)
    clinician_client.get(url)  # first visits may record a stage

    with CaptureQueriesContext(connection) as logged:
        clinician_client.get(url)
    monkeypatch.setattr(f"{module}.log_access", lambda **kwargs: None)
    with CaptureQueriesContext(connection) as unlogged:
        clinician_client.get(url)

    extra = [shape(q["sql"]) for q in logged.captured_queries]
    for query in unlogged.captured_queries:
        extra.remove(shape(query["sql"]))
    assert len(extra) == 1, extra
    assert extra[0].startswith('INSERT INTO "audit_accesslog"'), extra
