"""Audit on a tablet: the clinic admin reads the access log and a patient's
change history; the clinician prints "who saw this record" in the patient's
language."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from audit.models import AccessLog
from patients.name_index import patient_named
from tests.conftest import totp_code, totp_device_for

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO_ADMIN = "admin@demo.test"
DEMO_CLINICIAN = "clinician@demo.test"
# The demo patient with a history of sessions (Belgrade; his language is Serbian).
PATIENT_NAME = "Marko Jovanović"


def sign_in(tablet, email, landing):
    """Sign in with the password, and the app's code when it is asked for."""
    device = totp_device_for(User.objects.get(email=email))
    tablet.goto("/")
    tablet.page.wait_for_url("**/accounts/login/**")
    tablet.page.get_by_label("Email").fill(email)
    tablet.page.get_by_label("Password").fill(DEMO_PASSWORD)
    tablet.tap(tablet.page.get_by_role("button", name="Sign in", exact=True))
    tablet.page.wait_for_url(re.compile(rf"{landing}|/accounts/two-factor/"))
    if "/two-factor/" in tablet.page.url:
        tablet.page.get_by_label("Code").fill(totp_code(device))
        tablet.tap(tablet.page.get_by_role("button", name="Continue", exact=True))
    tablet.page.wait_for_url(f"**{landing}")


def test_the_clinician_prints_who_saw_the_record_and_the_admin_reads_the_log(demo, new_tablet):
    User.objects.filter(email__in=[DEMO_ADMIN, DEMO_CLINICIAN]).update(language="en")
    patient = patient_named(PATIENT_NAME)
    assert patient.language == "sr"

    # The clinician opens the record, then the list of who saw it.
    clinician = new_tablet("clinician")
    page = clinician.page
    sign_in(clinician, DEMO_CLINICIAN, "/patients/")
    clinician.goto(f"/patients/{patient.code}/")
    clinician.tap(page.get_by_role("link", name="Who saw this record"))
    page.wait_for_url(f"**/audit/patients/{patient.code}/who-saw/")
    report = page.locator("article.print-page")
    expect(report).to_have_attribute("lang", "sr")
    expect(report.get_by_role("cell", name="Jelena Marković").first).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    clinician.check("who saw this record")

    # A period that is the wrong way round is explained beside the field.
    page.get_by_label("From").fill("2030-01-10")
    page.get_by_label("To").fill("2030-01-01")
    clinician.tap(page.get_by_role("button", name="Show", exact=True))
    expect(page.get_by_text("This day is before the first day.", exact=False)).to_be_visible()
    expect(page.get_by_label("From")).to_have_value("2030-01-10")
    clinician.check("who saw this record, a wrong period")

    # On paper: only the list, no buttons, no header, nothing cut at the side.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator(".app-header")).to_be_hidden()
    expect(report).to_be_visible()
    page.emulate_media(media="screen")

    # The change history, with what was written.
    clinician.goto(f"/patients/{patient.code}/")
    clinician.tap(page.get_by_role("link", name="Change history"))
    page.wait_for_url(f"**/audit/patients/{patient.code}/history/")
    expect(page.get_by_role("heading", name="Change history")).to_be_visible()
    clinician.check("change history, clinician")
    kinds = set(AccessLog.objects.filter(patient=patient).values_list("kind", flat=True))
    assert {AccessLog.Kind.PATIENT, AccessLog.Kind.ACCESS_REPORT, AccessLog.Kind.HISTORY} <= kinds

    # The admin: from the clinic overview to the log, then to this patient.
    admin = new_tablet("admin")
    page = admin.page
    sign_in(admin, DEMO_ADMIN, "/accounts/clinic/")
    admin.tap(page.get_by_role("link", name="Open the access log"))
    page.wait_for_url("**/audit/log/")
    expect(page.get_by_role("cell", name="Who saw the record", exact=False).first).to_be_visible()
    admin.check("access log")
    page.get_by_label("Patient code").fill(patient.code.lower())
    page.get_by_label("What").select_option(AccessLog.Kind.HISTORY)
    admin.tap(page.get_by_role("button", name="Show", exact=True))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Jelena Marković")
    expect(rows.first).to_contain_text(PATIENT_NAME)
    admin.check("access log, filtered")

    admin.tap(page.get_by_role("link", name="Change history"))
    page.wait_for_url(f"**/audit/patients/{patient.code}/history/")
    expect(
        page.get_by_text("Clinic admins do not see clinical records", exact=False)
    ).to_be_visible()
    admin.check("change history, admin")
    admin.goto(f"/audit/patients/{patient.code}/who-saw/")
    expect(page.locator("article.print-page")).to_contain_text("Jelena Marković")
    admin.check("who saw this record, admin")
