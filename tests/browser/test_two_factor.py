"""Two-step sign-in on a tablet (768×1024, touch), in a real Chromium.

The demo clinician has no authenticator app yet, and a password alone may not
set one up: the clinic admin makes a set-up code on the clinician's page, the
clinician types it after the password, then sets the app up from the page (the
key is read off the screen, as a person would type it), sees the backup codes
once, and later sign-ins ask for the app's code or take a backup code. Every
screen passes the Tablet's console and axe checks.
"""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from accounts.two_factor.services import backup_codes_remaining

from .conftest import DEMO_CLINICIAN, DEMO_PASSWORD
from .test_staff import DEMO_ADMIN, admin_sign_in

pytestmark = pytest.mark.browser


def app_code(secret, later=0):
    """What an authenticator app holding ``secret`` shows, ``later`` seconds from now."""
    totp = TOTP(b32decode(secret))
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def password_step(tablet):
    page = tablet.page
    tablet.goto("/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Email").fill(DEMO_CLINICIAN)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    tablet.tap(page.get_by_role("button", name="Sign in", exact=True))


def sign_out(tablet):
    tablet.tap(tablet.page.get_by_role("button", name="Sign out", exact=True))
    tablet.page.wait_for_url("**/accounts/login/**")


def test_a_clinician_sets_up_two_step_sign_in_and_signs_in_with_it(demo, new_tablet):
    User.objects.filter(email=DEMO_ADMIN).update(language="en")
    clinician = User.objects.get(email=DEMO_CLINICIAN)
    tablet = new_tablet("clinician")
    page = tablet.page

    # The password alone: a calm page asking for a set-up code, not a QR code.
    password_step(tablet)
    page.wait_for_url("**/accounts/two-factor/setup/code/**")
    expect(page.get_by_text("ask your clinic admin for a set-up code")).to_be_visible()
    tablet.check("asked for a set-up code")
    page.get_by_label("Set-up code").fill("1234 5678")
    tablet.tap(page.get_by_role("button", name="Continue", exact=True))
    expect(page.locator(".invalid-feedback")).to_contain_text("That set-up code is not right")
    expect(page.get_by_label("Set-up code")).to_have_value("1234 5678")
    tablet.check("a wrong set-up code")

    # The clinic admin makes one on the clinician's page, and reads it out.
    admin = new_tablet("admin")
    admin_sign_in(admin)
    admin.goto(f"/accounts/clinic/staff/{clinician.pk}/")
    admin.tap(admin.page.get_by_role("link", name="Make a set-up code"))
    admin.page.wait_for_url("**/two-factor-code/**")
    admin.check("making a set-up code")
    admin.tap(admin.page.get_by_role("button", name="Make a set-up code"))
    code = admin.page.locator("main code").inner_text()
    assert re.fullmatch(r"\d{4} \d{4}", code), code
    admin.check("the set-up code, shown once")

    # With it, the clinician sets up an app.
    page.get_by_label("Set-up code").fill(code)
    tablet.tap(page.get_by_role("button", name="Continue", exact=True))
    page.wait_for_url("**/accounts/two-factor/setup/?**")
    qr = page.locator("svg.qr-code")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 200
    tablet.check("setting up two-step sign-in")
    secret = page.locator(".secret-key").inner_text().replace(" ", "").strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    code_field = page.locator("input[name=code]")
    expect(code_field).to_have_attribute("inputmode", "numeric")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    code_field.fill(app_code(secret))
    tablet.tap(page.get_by_role("button", name="Check the code", exact=True))

    # The backup codes, shown once.
    page.wait_for_url("**/accounts/two-factor/backup-codes/**")
    codes = page.locator(".backup-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"\d{5} \d{5}", c) for c in codes), codes
    expect(page.get_by_role("button", name="Print", exact=True)).to_be_visible()
    tablet.check("backup codes")
    tablet.tap(page.get_by_role("button", name="I have saved them", exact=True))
    page.wait_for_url("**/patients/")
    tablet.check("patient list after setting up")

    # Next sign-in: the app's code (the next one: a code works once), after a wrong one.
    sign_out(tablet)
    password_step(tablet)
    page.wait_for_url("**/accounts/two-factor/?next=**")
    tablet.check("code page")
    page.locator("input[name=code]").fill("000000")
    tablet.tap(page.get_by_role("button", name="Continue", exact=True))
    expect(page.locator(".invalid-feedback")).to_contain_text("That code is not right.")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    tablet.check("code page with a wrong code")
    # django-otp's throttling: the next try after one wrong code waits a second.
    page.wait_for_timeout(1100)
    page.locator("input[name=code]").fill(app_code(secret, later=30))
    tablet.tap(page.get_by_role("button", name="Continue", exact=True))
    page.wait_for_url("**/patients/")

    # And with a backup code, typed as printed.
    sign_out(tablet)
    password_step(tablet)
    page.wait_for_url("**/accounts/two-factor/?next=**")
    page.locator("input[name=code]").fill(codes[0])
    tablet.tap(page.get_by_role("button", name="Continue", exact=True))
    page.wait_for_url("**/patients/")
    expect(page.locator(".messages")).to_contain_text("You used a backup code. 9 are left.")
    tablet.check("patient list after a backup code")

    assert TOTPDevice.objects.filter(user=clinician, confirmed=True).count() == 1
    assert backup_codes_remaining(clinician) == 9
