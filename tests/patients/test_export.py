"""A copy of the whole record: JSON and PDF, all of one patient, none of another."""

import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from audit.models import AccessLog
from records.export import record_export
from records.request_views import ratings_overview
from scale.models import Domain
from tests.factories import PatientFactory, session_complete

from .record_world import build_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(patient):
    # `patient` (clinic A) writes in Serbian Cyrillic, with a full record.
    patient.full_name = "Петра Пацијентић"
    patient.language = "sr"
    patient.save()
    return build_record(patient, "PETRAMARK")


@pytest.fixture
def neighbour(clinic, colleague):
    # Another patient of the same clinic, with a record full of their own markers.
    other = PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Nina NEIGHBOURMARK")
    return build_record(other, "NEIGHBOURMARK", phone_digits="609876543")


@pytest.fixture
def stranger(other_patient):
    # A patient of clinic B.
    return build_record(other_patient, "STRANGERMARK", phone_digits="655555555")


def download(client, patient, kind, **data):
    return client.post(reverse(f"patients:export_{kind}", kwargs={"code": patient.code}), data)


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_font_names(content):
    reader = PdfReader(io.BytesIO(content))
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }


# --- JSON ---------------------------------------------------------------------------------


def test_json_export_holds_every_piece_of_the_patients_record(
    clinician_client, record, neighbour, stranger
):
    response = download(clinician_client, record.patient, "json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="dialogplus-record-{record.patient.code}-{day}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8")
    data = json.loads(text)
    live_texts = [value for value in record.texts if "unchosen" not in value]
    identifying = [value for value in record.identifying if value != record.removed_carer_name]
    for value in [*identifying, *live_texts]:
        assert value in text, value
    # What was deleted before the export (a carer removed, an area un-chosen)
    # is not part of the record any more.
    assert record.removed_carer_name not in text
    assert "PETRAMARK unchosen note" not in text
    # Nothing of anybody else.
    assert "NEIGHBOURMARK" not in text
    assert "STRANGERMARK" not in text
    assert data["format"] == "dialogplus-record"
    assert data["patient"]["full_name"] == "Петра Пацијентић"


def test_json_export_structure_follows_the_documented_shape(clinician_client, record):
    data = json.loads(download(clinician_client, record.patient, "json").content)

    assert set(data) == {
        "format",
        "format_version",
        "exported_at",
        "exported_by",
        "language",
        "clinic",
        "patient",
        "contact_preference",
        "carers",
        "sessions",
        "appointments",
        "reminders",
        "access_log",
    }
    assert data["exported_by"]["name"] == "Clara Clinician"
    assert data["contact_preference"]["phone"] == record.phone
    assert data["contact_preference"]["consent_to_reminders"] is True
    (carer,) = data["carers"]
    assert carer["full_name"] == record.carer_name
    assert [c["share_ratings"] for c in carer["consent_history"]] == [False, True]
    assert carer["consent_history"][0]["by"] == "Clara Clinician"
    first, second = data["sessions"]
    assert (first["number"], first["status"]) == (1, "completed")
    assert first["clinician"] == "Clara Clinician"
    assert first["attendance"] == "other"
    assert first["attendance_note"] == "PETRAMARK attendance note"
    assert first["started_at"].endswith("Z")
    ratings = {r["domain_key"]: r for r in first["ratings"]}
    assert len(ratings) == 11
    assert (ratings["job"]["value"], ratings["job"]["needs_help"]) == (3, True)
    assert ratings["physical_health"]["value"] is None
    (area,) = first["chosen_areas"]
    assert [step["note"] for step in area["steps"]] == [f"PETRAMARK note {n}" for n in range(1, 5)]
    carer_action, patient_action = area["actions"]
    assert carer_action["owner"] == "carer"
    assert carer_action["carer"] == record.carer_name
    [review] = carer_action["reviews"]
    assert review["status"] == "partly"
    assert review["comment"] == "PETRAMARK review comment"
    assert review["session_number"] == 2
    assert patient_action["reviews"] == []
    assert patient_action["due_date"]
    assert second["attendance"] == "with_carer"
    assert [(r["kind"], r["status"]) for r in data["reminders"]] == [
        ("appointment_patient", "sent"),
        ("appointment_patient", "cancelled"),
        ("appointment_carer", "queued"),
    ]
    assert data["reminders"][2]["recipient_name"] == record.carer_name
    assert [(a["status"], a["created_by"]) for a in data["appointments"]] == [
        ("cancelled", "Clara Clinician"),
        ("booked", "Clara Clinician"),
    ]
    assert data["access_log"][0]["what"] == "patient"
    assert data["access_log"][0]["who"] == "Clara Clinician"


def test_domain_names_and_labels_are_in_the_patients_language(clinician_client, record):
    data = json.loads(download(clinician_client, record.patient, "json").content)

    job = Domain.objects.get(version__is_current=True, key="job")
    with translation.override("sr"):
        serbian = job.short_name
    with translation.override("en"):
        english = job.short_name
    assert serbian != english
    ratings = {r["domain_key"]: r["domain"] for r in data["sessions"][0]["ratings"]}
    assert ratings["job"] == serbian
    assert data["sessions"][0]["chosen_areas"][0]["domain"] == serbian
    assert data["language"] == "sr"
    # A label in Serbian Cyrillic, not English.
    assert re.search("[А-Яа-я]", data["sessions"][0]["status_label"])


def test_each_download_is_written_to_the_access_log(clinician_client, clinician, record):
    download(clinician_client, record.patient, "json")
    download(clinician_client, record.patient, "pdf")

    exports = AccessLog.objects.filter(patient=record.patient, kind=AccessLog.Kind.EXPORT)
    assert exports.count() == 2
    assert {row.user_id for row in exports} == {clinician.pk}


def test_the_clinic_admin_may_export_and_is_logged_as_admin(clinic_admin_client, record):
    response = download(clinic_admin_client, record.patient, "json", reason="Request 2026/14")

    assert response.status_code == 200
    row = AccessLog.objects.get(patient=record.patient, kind=AccessLog.Kind.EXPORT)
    assert row.role == AccessLog.Role.ADMIN


def test_an_outsider_cannot_export_and_nothing_is_logged(outsider_client, record):
    response = download(outsider_client, record.patient, "json")

    assert response.status_code == 404
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()


def test_a_download_by_get_is_refused(clinician_client, record):
    url = reverse("patients:export_json", kwargs={"code": record.patient.code})

    assert clinician_client.get(url).status_code == 405
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()


def test_the_export_reads_the_same_number_of_queries_however_long_the_history(patient, clinician):
    session_complete(patient, ratings={"job": 3}, actions={"job": ["One"]})

    def count():
        patient.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            record_export(patient, exported_by=clinician)
        return len(queries)

    short = count()
    for n in range(4):
        session_complete(patient, ratings={"job": n + 1}, actions={"job": ["A", "B"]})
    assert count() == short


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_export_is_readable_in_cyrillic_with_the_whole_record(
    clinician_client, record, neighbour
):
    response = download(clinician_client, record.patient, "pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"dialogplus-record-{record.patient.code}-" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    # DejaVu Sans prints Cyrillic; a fallback font would drop the letters.
    fonts = pdf_font_names(response.content)
    assert fonts and all("DejaVu" in name for name in fonts), fonts
    text = " ".join(pdf_text(response.content).split())
    assert "Петра Пацијентић" in text
    job = Domain.objects.get(version__is_current=True, key="job")
    with translation.override("sr"):
        job_sr = job.short_name
    assert job_sr in text
    # The ratings over time: job was 3 with a request for more help, then 4.
    assert re.search(rf"{re.escape(job_sr)} 3\* 4", text), text
    for value in ["PETRAMARK note 1", "PETRAMARK note 4", "PETRAMARK review comment"]:
        assert value in text, value
    assert record.carer_name in text
    assert record.phone in text
    assert "NEIGHBOURMARK" not in text


def test_pdf_of_a_patient_without_sessions_says_so(clinician_client, clinic, clinician):
    empty = PatientFactory(clinic=clinic, key_clinician=clinician, language="mk")

    response = download(clinician_client, empty, "pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert empty.full_name in pdf_text(response.content)


# --- the page ------------------------------------------------------------------------------


def test_export_page_explains_the_copy_and_offers_both_downloads(clinician_client, record):
    url = reverse("patients:export", kwargs={"code": record.patient.code})

    response = clinician_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("patients:export_json", kwargs={"code": record.patient.code}) in page
    assert reverse("patients:export_pdf", kwargs={"code": record.patient.code}) in page
    assert "What the copy holds" in page
    # Seeing the page is not a copy; only a download is logged.
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()


def test_patient_page_links_to_the_copy_of_the_record(clinician_client, patient):
    response = clinician_client.get(reverse("patients:detail", kwargs={"code": patient.code}))

    assert reverse("patients:export", kwargs={"code": patient.code}) in response.content.decode()


def test_the_pdf_ratings_come_as_tables_of_a_few_sessions_each():
    def session(number, value):
        return {
            "number": number,
            "ratings": [
                {"domain_key": "job", "domain": "Work", "value": value, "needs_help": None},
                {"domain_key": "safety", "domain": "Safety", "value": None, "needs_help": None},
            ],
        }

    unrated = {
        "number": 11,
        "ratings": [{"domain_key": "job", "domain": "Work", "value": None, "needs_help": None}],
    }
    record = {"sessions": [session(n, n % 7 + 1) for n in range(1, 11)] + [unrated]}

    tables = ratings_overview(record, per_table=8)

    assert [[s["number"] for s in t["sessions"]] for t in tables] == [list(range(1, 9)), [9, 10]]
    assert [row["domain"] for row in tables[1]["rows"]] == ["Work", "Safety"]
    assert [cell["value"] for cell in tables[1]["rows"][0]["cells"]] == [3, 4]


@pytest.mark.parametrize("kind", ["json", "pdf"])
@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
def test_an_admin_export_needs_a_request_reference(clinic_admin_client, record, kind, reason):
    response = download(clinic_admin_client, record.patient, kind, reason=reason)

    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    if reason.strip():
        assert "Keep this to 200 characters: it has 201, 1 too many." in page
        assert f'value="{reason}"' in page  # what was typed is kept
    else:
        assert "Give the request&#x27;s reference or the reason for this copy." in page
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()


def test_an_admin_export_logs_its_reference_and_the_log_shows_it(clinic_admin_client, record):
    response = download(clinic_admin_client, record.patient, "pdf", reason="  Written  request 14 ")

    assert response.status_code == 200
    row = AccessLog.objects.get(kind=AccessLog.Kind.EXPORT)
    assert row.reason == "Written request 14"
    log_page = clinic_admin_client.get(reverse("audit:log")).content.decode()
    assert "Request: Written request 14" in log_page


def test_a_clinician_exports_without_a_reference(clinician_client, record):
    page = clinician_client.get(reverse("patients:export", kwargs={"code": record.patient.code}))
    assert 'name="reason"' not in page.content.decode()

    assert download(clinician_client, record.patient, "json").status_code == 200
    assert AccessLog.objects.get(kind=AccessLog.Kind.EXPORT).reason == ""
