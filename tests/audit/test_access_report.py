"""'Who saw my record': a printable list in the patient's language, for the
patient's clinicians and the clinic admin, itself logged."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse

from audit.models import AccessLog
from audit.services import log_access

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def report(response):
    """The printed document only (the part in the patient's language)."""
    return html(response).split('<article class="print-page"', 1)[1].split("</article>", 1)[0]


def report_rows(response):
    body = report(response).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td>(.*?)</td>", tr)]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def logged_at(moment, **kwargs):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return log_access(**kwargs)


@pytest.fixture
def accesses(patient, clinician, colleague, carer_with_consent):
    """Clara opened the record three times one morning (Belgrade time), Colin
    printed a summary the next day, and the carer read a shared summary."""
    morning = datetime.datetime(2026, 5, 4, 7, 5, tzinfo=datetime.UTC)  # 09:05 in Belgrade
    for minutes in (0, 20, 95):
        logged_at(
            morning + datetime.timedelta(minutes=minutes),
            user=clinician,
            patient=patient,
            kind=AccessLog.Kind.PATIENT,
        )
    logged_at(
        morning + datetime.timedelta(days=1),
        user=colleague,
        patient=patient,
        kind=AccessLog.Kind.PRINT,
    )
    logged_at(
        morning + datetime.timedelta(days=2),
        user=carer_with_consent,
        patient=patient,
        kind=AccessLog.Kind.CARER_SUMMARY,
    )


def url(patient):
    return reverse("audit:access_report", args=[patient.code])


def test_the_list_groups_a_persons_openings_of_one_day(clinician_client, patient, accesses):
    response = clinician_client.get(url(patient), {"date_to": "2026-05-30"})

    assert response.status_code == 200
    assert report_rows(response) == [
        ["6 May 2026", "09:05", "Carol Carer", "Carer", "Summary shared with a carer", "1"],
        ["5 May 2026", "09:05", "Colin Colleague", "Clinician", "Printout", "1"],
        [
            "4 May 2026",
            "09:05–10:40",
            "Clara Clinician",
            "Clinician",
            "Patient record",
            "3",
        ],
    ]


def test_the_document_is_in_the_patients_language(client_for, clinician, patient, accesses):
    patient.language = "sr"
    patient.save()
    clinician.language = "en"
    clinician.save()

    response = client_for("clinician").get(url(patient), {"date_to": "2026-05-30"})

    page = html(response)
    assert '<html lang="en"' in page
    assert '<article class="print-page" lang="sr"' in page
    document = report(response)
    # Headings, roles and dates in Serbian; the screen around it in English.
    assert ">Датум<" in document and "Клиничар" in document
    assert "4.05.2026." in document and "09:05–10:40" in document
    assert "30. мај 2026." in document
    assert ">Date<" not in document and ">Clinician<" not in document
    assert ">Print<" in page


def test_a_period_limits_the_list_to_those_days(clinician_client, patient, accesses):
    response = clinician_client.get(
        url(patient), {"date_from": "2026-05-05", "date_to": "2026-05-05"}
    )

    assert [row[2] for row in report_rows(response)] == ["Colin Colleague"]
    assert "From 5 May 2026 to 5 May 2026." in report(response)


def test_a_bad_day_is_explained_and_the_whole_list_still_shows(clinician_client, patient, accesses):
    response = clinician_client.get(url(patient), {"date_from": "4 May", "date_to": "2026-05-30"})

    assert response.status_code == 200
    assert "Enter a date such as 2026-03-01." in html(response)
    assert 'value="4 May"' in html(response)
    assert len(report_rows(response)) == 3


def test_opening_the_list_is_logged_and_listed(clinic_admin_client, patient, accesses):
    response = clinic_admin_client.get(url(patient))

    row = AccessLog.objects.get(kind=AccessLog.Kind.ACCESS_REPORT)
    assert (row.user_name, row.role) == ("Ada Admin", AccessLog.Role.ADMIN)
    assert report_rows(response)[0][2:5] == [
        "Ada Admin",
        "Clinic admin",
        "List of who saw the record",
    ]


def test_the_page_has_a_print_button_and_the_clinicians_way_back(clinician_client, patient):
    page = html(clinician_client.get(url(patient)))

    assert "data-print" in page
    assert reverse("patients:detail", args=[patient.code]) in page


def test_the_admins_way_back_is_the_access_log(clinic_admin_client, patient):
    page = html(clinic_admin_client.get(url(patient)))

    assert f'href="{reverse("patients:detail", args=[patient.code])}"' not in page
    assert f"{reverse('audit:log')}?patient={patient.code}" in page


def test_the_patient_page_links_to_the_audit_pages(clinician_client, patient):
    page = html(clinician_client.get(reverse("patients:detail", args=[patient.code])))

    assert reverse("audit:access_report", args=[patient.code]) in page
    assert reverse("audit:history", args=[patient.code]) in page
