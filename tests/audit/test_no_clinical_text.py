"""Logs never contain clinical free text.

Every free-text field of a record holds a marker; then every page that writes
the access log is opened by everyone who may open it. The marker must appear
in no column of any access-log row, and in nothing logged while those pages
were served, at DEBUG level, SQL included.
"""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLog

from .conftest import MARKER

pytestmark = pytest.mark.django_db


def pages(record, patient):
    """(persona, url) for every page that logs an access to the record."""
    return [
        ("clinician", reverse("patients:detail", args=[patient.code])),
        ("colleague", reverse("patients:detail", args=[patient.code])),
        ("clinician", reverse("sessions:resume", args=[record.second.code])),
        ("clinician", reverse("sessions:summary", args=[record.first.code])),
        ("clinician", reverse("sessions:summary", args=[record.second.code])),
        ("clinician", reverse("sessions:print", args=[record.first.code])),
        ("clinician", reverse("audit:history", args=[patient.code])),
        ("clinic_admin", reverse("audit:history", args=[patient.code])),
        ("clinician", reverse("audit:access_report", args=[patient.code])),
        ("clinic_admin", reverse("audit:access_report", args=[patient.code])),
        ("clinic_admin", reverse("audit:log")),
        ("clinic_admin", reverse("audit:log") + f"?patient={patient.code}"),
        ("carer_with_consent", reverse("sessions:carer_summary", args=[record.first.code])),
    ]


def test_the_marker_is_stored_where_it_was_typed(record):
    # Guards the test below: a record without the marker would prove nothing.
    assert MARKER in record.kept.text
    assert MARKER in record.first.attendance_note


def test_no_access_log_row_and_no_log_line_holds_clinical_text(record, patient, client_for, caplog):
    # Everything at DEBUG, Django's own loggers and the SQL included; loggers the
    # settings pin to a level on purpose keep it (django.template: at DEBUG it
    # writes whole template contexts, notes and all, into exception text).
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    clients = {}

    # Capturing queries turns on Django's debug cursor: every SQL statement and
    # its parameters are logged at DEBUG too.
    with CaptureQueriesContext(connection) as queries:
        for persona, url in pages(record, patient):
            client = clients.setdefault(persona, client_for(persona))
            response = client.get(url)
            assert response.status_code in (200, 302), (persona, url, response.status_code)

    kinds = set(AccessLog.objects.values_list("kind", flat=True))
    assert {
        AccessLog.Kind.PATIENT,
        AccessLog.Kind.SESSION,
        AccessLog.Kind.SUMMARY,
        AccessLog.Kind.PRINT,
        AccessLog.Kind.HISTORY,
        AccessLog.Kind.ACCESS_REPORT,
    } <= kinds
    for row in AccessLog.objects.values():
        for column, value in row.items():
            assert MARKER not in str(value), column
    assert any("audit_accesslog" in record.getMessage() for record in caplog.records)
    assert queries.captured_queries
    for line in caplog.records:
        assert MARKER not in line.getMessage(), line.name
    # The formatted output, with any exception text and traceback.
    assert MARKER not in caplog.text


def test_the_pages_themselves_show_the_text_to_the_patients_clinicians(record, patient, client_for):
    # The marker is on the clinician's screens: it is the logs that must not hold it.
    response = client_for("clinician").get(reverse("audit:history", args=[patient.code]))

    assert MARKER in response.content.decode()
