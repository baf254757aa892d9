"""Data protection on a tablet: the admin finds a record, gives a copy and
erases it by typing the code; the privacy page from the sign-in page."""

import json
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from audit.models import AccessLog
from patients.models import Carer
from patients.name_index import patient_named
from tests.conftest import totp_code, totp_device_for

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO_ADMIN = "admin@demo.test"
# The demo patient with a carer and a history of sessions (Belgrade, Serbian).
PATIENT_NAME = "Marko Jovanović"


def sign_in(tablet, email, landing):
    """Sign in with the password, and the app's code when it is asked for."""
    user = User.objects.get(email=email)
    device = totp_device_for(user)
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


def test_admin_gives_a_copy_then_erases_a_record_by_typing_its_code(demo, new_tablet):
    User.objects.filter(email__in=[DEMO_ADMIN, "clinician@demo.test"]).update(language="en")
    patient = patient_named(PATIENT_NAME)
    tablet = new_tablet("admin")
    page = tablet.page
    sign_in(tablet, DEMO_ADMIN, "/accounts/clinic/")

    # From the clinic page to the record, by name.
    tablet.tap(page.get_by_role("link", name="Open data-protection requests"))
    page.wait_for_url("**/patients/records/")
    tablet.check("data-protection requests")
    page.get_by_label("Name or code of the patient").fill("Jovanović")
    tablet.tap(page.get_by_role("button", name="Search", exact=True))
    expect(page.get_by_text(patient.code)).to_be_visible()
    tablet.check("search results")

    # A copy first: both files download, and each is logged.
    tablet.tap(page.get_by_role("link", name=f"Copy of the record {patient.code}"))
    page.wait_for_url(f"**/patients/{patient.code}/export/")
    tablet.check("copy of the record")
    # An admin's copy answers a request: without its reference, nothing downloads.
    tablet.console.allow(r"export/json/.*status of 422")
    tablet.tap(page.get_by_role("button", name="Download data file (JSON)"))
    expect(
        page.get_by_text("Give the request's reference or the reason for this copy.")
    ).to_be_visible()
    tablet.check("copy of the record, no reference")
    reason = page.get_by_label("Request reference or reason")
    tablet.tap(reason)
    reason.fill("Written request 2026/14")
    with page.expect_download() as json_download:
        tablet.tap(page.get_by_role("button", name="Download data file (JSON)"))
    with open(json_download.value.path(), encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["patient"]["full_name"] == PATIENT_NAME
    assert data["sessions"], "the demo patient has a history of sessions"
    assert json_download.value.suggested_filename.startswith(f"dialogplus-record-{patient.code}-")
    # The whole history laid out as a PDF takes seconds on a busy machine.
    with page.expect_download(timeout=60_000) as pdf_download:
        tablet.tap(page.get_by_role("button", name="Download PDF"))
    with open(pdf_download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    exports = AccessLog.objects.filter(patient=patient, kind=AccessLog.Kind.EXPORT)
    assert [row.reason for row in exports] == ["Written request 2026/14"] * 2

    # The erasure page: the duty to keep, what will happen, and the code to type.
    tablet.tap(page.get_by_role("link", name="Go to erasure"))
    page.wait_for_url(f"**/patients/{patient.code}/erase/")
    expect(page.get_by_text("This cannot be undone.", exact=False)).to_be_visible()
    tablet.check("erasure, before confirming")
    code_field = page.get_by_label("Type the patient's code to confirm")
    code_field.fill("WRONG2345")
    tablet.tap(page.get_by_role("button", name="Pseudonymise the record"))
    expect(
        page.get_by_text("That is not this patient's code, so nothing was changed.")
    ).to_be_visible()
    expect(code_field).to_have_value("WRONG2345")
    tablet.check("erasure, wrong code")
    patient.refresh_from_db()
    assert patient.pseudonymised_at is None

    code_field.fill(patient.code.lower())
    tablet.tap(page.get_by_role("button", name="Pseudonymise the record"))
    expect(page.get_by_text("The record is pseudonymised.", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Nothing more to erase now")).to_be_visible()
    tablet.check("erasure, done")
    patient.refresh_from_db()
    # The label is in the clinic's language ("Псеудонимизовани пацијент …" in Belgrade).
    assert patient.full_name.endswith(f" {patient.code}")
    assert patient.pseudonymised_at is not None
    assert not Carer.objects.filter(patient=patient, user__isnull=False).exists()
    assert AccessLog.objects.filter(patient=patient, kind=AccessLog.Kind.ERASURE).count() == 1

    # The clinician sees the banner and cannot start a session.
    clinician = new_tablet("clinician")
    sign_in(clinician, "clinician@demo.test", "/patients/")
    clinician.goto(f"/patients/{patient.code}/")
    expect(
        clinician.page.get_by_text("This record is pseudonymised", exact=False).first
    ).to_be_visible()
    expect(clinician.page.get_by_role("button", name="Start: patient alone")).to_have_count(0)
    clinician.check("pseudonymised patient page")


def test_the_privacy_page_is_reached_from_the_sign_in_page_in_large_type(demo, new_tablet):
    tablet = new_tablet("visitor")
    page = tablet.page
    tablet.goto("/")
    page.wait_for_url("**/accounts/login/**")

    tablet.tap(page.get_by_role("contentinfo").get_by_role("link", name="Your privacy"))
    page.wait_for_url("**/privacy/")
    expect(page.get_by_role("heading", name="Your privacy", level=1)).to_be_visible()
    tablet.check("privacy page")
    size = page.locator(".privacy-page li").first.evaluate(
        "element => parseFloat(getComputedStyle(element).fontSize)"
    )
    assert size >= 19, f"privacy text is {size}px: too small to read on a tablet"

    # In Serbian, from the page's own language picker.
    tablet.tap(page.get_by_role("button", name=re.compile("Српски")))
    expect(page.locator("html")).to_have_attribute("lang", "sr")
    tablet.check("privacy page in Serbian")
