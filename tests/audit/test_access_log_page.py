"""The clinic admin's access log: newest first, in the clinic's time, filtered,
paginated, and only their own clinic's."""

import datetime
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from audit.models import AccessLog
from audit.services import log_access
from tests.factories import ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")
LOG = reverse("audit:log")


def html(response):
    return response.content.decode()


def logged_at(moment, **kwargs):
    """A log row written at ``moment`` (``at`` is set by the database on insert)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return log_access(**kwargs)


def rows(response):
    """Each table row's cells as text, in page order."""
    body = html(response).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td>(.*?)</td>", tr, re.S)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def second_patient(clinic, colleague):
    return PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Sam Second")


@pytest.fixture
def history(clinician, colleague, patient, second_patient, other_patient, outsider):
    """Clinic A: three accesses on two days; clinic B: one, never shown to clinic A."""
    at = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 11 March there
    logged_at(at, user=clinician, patient=patient, kind=AccessLog.Kind.PATIENT)
    logged_at(
        at + datetime.timedelta(days=1),
        user=colleague,
        patient=second_patient,
        kind=AccessLog.Kind.SUMMARY,
    )
    logged_at(
        at + datetime.timedelta(days=1, hours=1),
        user=clinician,
        patient=patient,
        kind=AccessLog.Kind.PRINT,
    )
    logged_at(at, user=outsider, patient=other_patient, kind=AccessLog.Kind.PATIENT)


def test_the_admin_sees_the_clinics_log_newest_first_in_clinic_time(
    clinic_admin_client, history, patient, second_patient
):
    response = clinic_admin_client.get(LOG)

    assert response.status_code == 200
    table = rows(response)
    assert table == [
        [
            "12 Mar 2026, 01:30",
            "Clara Clinician",
            "Clinician",
            "Printout",
            f"Petra Patient {patient.code}",
        ],
        [
            "12 Mar 2026, 00:30",
            "Colin Colleague",
            "Clinician",
            "Session summary",
            f"Sam Second {second_patient.code}",
        ],
        # 23:30 UTC on 10 March is half past midnight on 11 March in Belgrade.
        [
            "11 Mar 2026, 00:30",
            "Clara Clinician",
            "Clinician",
            "Patient record",
            f"Petra Patient {patient.code}",
        ],
    ]
    assert "Otto Other" not in html(response)


def test_another_clinics_admin_sees_only_their_own_clinic(other_admin_client, history):
    response = other_admin_client.get(LOG)

    page = html(response)
    assert "Oscar Outsider" in page
    assert "Petra Patient" not in page and "Clara Clinician" not in page


def test_filtering_by_patient_code_shows_that_patient_and_links_their_audit_pages(
    clinic_admin_client, history, patient
):
    response = clinic_admin_client.get(LOG, {"patient": f" {patient.code.lower()} "})

    table = rows(response)
    assert len(table) == 2
    assert all(patient.code in cells[4] for cells in table)
    page = html(response)
    assert reverse("audit:access_report", args=[patient.code]) in page
    assert reverse("audit:history", args=[patient.code]) in page


def test_another_clinics_patient_code_finds_nothing(clinic_admin_client, history, other_patient):
    response = clinic_admin_client.get(LOG, {"patient": other_patient.code})

    assert "<tbody>" not in html(response)
    assert reverse("audit:history", args=[other_patient.code]) not in html(response)


def test_filtering_by_staff_member(clinic_admin_client, history, colleague):
    response = clinic_admin_client.get(LOG, {"user": colleague.pk})

    assert [cells[1] for cells in rows(response)] == ["Colin Colleague"]


def test_filtering_by_kind(clinic_admin_client, history):
    response = clinic_admin_client.get(LOG, {"kind": AccessLog.Kind.PRINT})

    assert [cells[3] for cells in rows(response)] == ["Printout"]


def test_filtering_by_days_uses_the_clinics_calendar(clinic_admin_client, history):
    # The first access was at 23:30 UTC on 10 March: 11 March in Belgrade.
    on_the_11th = clinic_admin_client.get(LOG, {"date_from": "2026-03-11", "date_to": "2026-03-11"})
    on_the_10th = clinic_admin_client.get(LOG, {"date_to": "2026-03-10"})
    from_the_12th = clinic_admin_client.get(LOG, {"date_from": "2026-03-12"})

    assert len(rows(on_the_11th)) == 1
    assert "<tbody>" not in html(on_the_10th)
    assert len(rows(from_the_12th)) == 2


def test_a_staff_member_of_another_clinic_is_not_a_choice(clinic_admin_client, history, outsider):
    response = clinic_admin_client.get(LOG, {"user": outsider.pk})

    assert "Choose a member of the clinic&#x27;s staff." in html(response)
    assert f'value="{outsider.pk}"' not in html(response)


def test_bad_filters_are_shown_again_with_messages_and_the_good_ones_still_apply(
    clinic_admin_client, history, patient
):
    response = clinic_admin_client.get(
        LOG,
        {
            "patient": patient.code,
            "kind": "everything-please",
            "date_from": "31.02.2026",
            "date_to": "",
        },
    )

    assert response.status_code == 200
    page = html(response)
    assert "Enter a date such as 2026-03-01." in page
    assert "Choose one of the listed kinds." in page
    assert 'value="31.02.2026"' in page
    assert len(rows(response)) == 2


def test_an_end_before_the_start_is_explained_next_to_the_field(clinic_admin_client, history):
    response = clinic_admin_client.get(LOG, {"date_from": "2026-03-12", "date_to": "2026-03-01"})

    assert "This day is before the first day. Choose a later one." in html(response)


def test_the_log_is_paginated_by_fifty_and_keeps_the_filters(
    clinic_admin_client, clinician, patient
):
    for _ in range(51):
        log_access(user=clinician, patient=patient, kind=AccessLog.Kind.PATIENT)

    first = clinic_admin_client.get(LOG, {"kind": "patient"})
    second = clinic_admin_client.get(LOG, {"kind": "patient", "page": 2})

    assert len(rows(first)) == 50
    assert len(rows(second)) == 1
    assert "?kind=patient&amp;page=2" in html(first)


def test_the_page_makes_as_many_queries_for_many_rows_as_for_few(
    clinic_admin_client, clinician, clinic, django_assert_max_num_queries
):
    patients = [PatientFactory(clinic=clinic, key_clinician=clinician) for _ in range(5)]
    for patient in patients:
        log_access(user=clinician, patient=patient, kind=AccessLog.Kind.PATIENT)
    for _ in range(10):
        log_access(user=ClinicianFactory(clinic=clinic), patient=patients[0], kind="summary")

    with django_assert_max_num_queries(12):
        response = clinic_admin_client.get(LOG)

    assert len(rows(response)) == 15


def test_the_clinic_overview_links_to_the_log(clinic_admin_client):
    response = clinic_admin_client.get(reverse("accounts:clinic"))

    assert f'href="{LOG}"' in html(response)
