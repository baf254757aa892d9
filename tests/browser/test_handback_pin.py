"""Taking a handed-over tablet back with the clinician's PIN, at tablet size by touch."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.handback_pin import pin_set
from accounts.models import User
from patients.models import Patient
from sessions_app import services
from sessions_app.models import DialogSession

from .conftest import DEMO_CLINICIAN

pytestmark = pytest.mark.browser

PIN = "2580"
# Set DIALOGPLUS_SCREENSHOTS to a folder to look at the hand-back screen.
SCREENSHOTS = os.environ.get("DIALOGPLUS_SCREENSHOTS")


def test_the_clinician_takes_the_tablet_back_with_their_pin(demo, new_tablet):
    clinician = User.objects.get(email=DEMO_CLINICIAN)
    pin_set(user=clinician, pin=PIN)
    patient = Patient.objects.filter(key_clinician=clinician).first()
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    tablet = new_tablet("hand-back PIN")
    page = tablet.page
    assert page.viewport_size == {"width": 768, "height": 1024}
    tablet.login()
    tablet.goto(f"/sessions/{session.code}/rate/1/")
    tablet.tap(page.get_by_role("button", name="Hand the tablet to the patient", exact=True))
    # The patient's view of the question (the form posted and came back).
    expect(page.locator("body")).to_have_class(re.compile(r"\bhandover\b"))

    # Anything but the questions asks for the clinician: their PIN, on a number pad.
    tablet.goto("/patients/")
    page.wait_for_url("**/handback/")
    pin = page.get_by_label("PIN", exact=True)
    expect(pin).to_have_attribute("inputmode", "numeric")
    expect(pin).to_have_attribute("autocomplete", "off")
    expect(pin).to_be_focused()
    tablet.check("hand-back with a PIN")
    if SCREENSHOTS:
        page.screenshot(path=Path(SCREENSHOTS) / "handback-pin.png")

    # A wrong PIN: told so (a 422 the browser reports), still handed over.
    tablet.console.allow(r"status of 422")
    tablet.tap(pin)
    pin.fill("9999")
    tablet.tap(page.get_by_role("button", name="Take the tablet back", exact=True))
    expect(page.get_by_role("alert")).to_contain_text("That PIN is not right.")
    tablet.check("hand-back, wrong PIN")

    # The password is always there instead; and back to the PIN.
    tablet.tap(page.get_by_role("link", name="Use my password instead"))
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    tablet.tap(page.get_by_role("link", name="Use my PIN instead"))

    pin = page.get_by_label("PIN", exact=True)
    tablet.tap(pin)
    pin.fill(PIN)
    tablet.tap(page.get_by_role("button", name="Take the tablet back", exact=True))
    page.wait_for_url("**/review/")
    expect(page.locator("header.app-header")).to_be_visible()
    tablet.check("review after the PIN")
