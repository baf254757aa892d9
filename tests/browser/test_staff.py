"""A clinic admin on a tablet: the staff pages, an invitation by email, and the
invitee choosing a password from the link, up to setting up two-step sign-in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Membership, User
from tests.conftest import totp_code, totp_device_for

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO_ADMIN = "admin@demo.test"
INVITEE = "vesna.vukovic@demo.test"
NEW_PASSWORD = "a quiet walk along the Sava"


def admin_sign_in(tablet, email=DEMO_ADMIN):
    """The admin signs in with the password, and the app code when it is asked for."""
    admin = User.objects.get(email=email)
    device = totp_device_for(admin)
    tablet.goto("/")
    tablet.page.wait_for_url("**/accounts/login/**")
    tablet.page.get_by_label("Email").fill(email)
    tablet.page.get_by_label("Password").fill(DEMO_PASSWORD)
    tablet.tap(tablet.page.get_by_role("button", name="Sign in", exact=True))
    tablet.page.wait_for_url(re.compile(r"/accounts/(clinic|two-factor)/"))
    if "/two-factor/" in tablet.page.url:
        tablet.page.get_by_label("Code").fill(totp_code(device))
        tablet.tap(tablet.page.get_by_role("button", name="Continue", exact=True))
    tablet.page.wait_for_url("**/accounts/clinic/")


def test_an_admin_invites_a_nurse_who_chooses_a_password_from_the_email(demo, new_tablet):
    User.objects.filter(email=DEMO_ADMIN).update(language="en")
    colleague = User.objects.get(email="colleague@demo.test")
    tablet = new_tablet("admin")
    page = tablet.page
    admin_sign_in(tablet)
    tablet.check("clinic overview")

    # The staff list, and the pages an admin works with.
    tablet.tap(page.get_by_role("link", name="Manage staff"))
    page.wait_for_url("**/accounts/clinic/staff/")
    tablet.check("staff list")
    tablet.tap(page.get_by_role("link", name="Ana Nikolić"))
    page.wait_for_url(re.compile(r"/accounts/clinic/staff/\d+/$"))
    expect(page.get_by_role("heading", name="Ana Nikolić")).to_be_visible()
    tablet.check("member page")
    tablet.tap(page.get_by_role("link", name="Change role and profession"))
    page.wait_for_url("**/edit/")
    tablet.check("role and profession")
    tablet.goto(f"/accounts/clinic/staff/{colleague.pk}/deactivate/")
    tablet.check("deactivate, asked first")
    tablet.goto("/accounts/clinic/staff/reassign/")
    tablet.check("reassign: whose patients")
    tablet.tap(page.get_by_role("link", name="Jelena Marković"))
    page.wait_for_url(re.compile(r"/accounts/clinic/staff/reassign/\d+/$"))
    tablet.check("reassign: their patients")
    tablet.goto("/accounts/clinic/settings/")
    tablet.check("clinic settings")
    page.get_by_label("Years a record must be kept").fill("0")
    tablet.tap(page.get_by_role("button", name="Save settings"))
    page.wait_for_load_state()
    expect(page.get_by_text("Keep records for at least one year.")).to_be_visible()
    expect(page.get_by_label("Years a record must be kept")).to_have_value("0")
    tablet.check("clinic settings with an error")

    # The invitation.
    tablet.goto("/accounts/clinic/staff/")
    tablet.tap(page.get_by_role("link", name="Invite staff"))
    page.wait_for_url("**/accounts/clinic/staff/invite/")
    tablet.check("invite")
    page.get_by_label("Full name").fill("Vesna Vuković")
    page.get_by_label("Email").fill(INVITEE)
    page.get_by_label("Clinician", exact=True).check()
    page.get_by_label("Profession").select_option("nurse")
    page.get_by_label("Language").select_option("en")
    mail.outbox.clear()
    tablet.tap(page.get_by_role("button", name="Send invitation"))
    page.wait_for_url("**/accounts/clinic/staff/")
    expect(page.get_by_text(f"An invitation was sent to {INVITEE}.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Vesna Vuković")
    expect(row.get_by_text("Invitation pending")).to_be_visible()
    tablet.check("staff list after inviting")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [INVITEE]
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[0].body).group(0)

    # The nurse opens the link on another tablet and chooses a password.
    nurse = new_tablet("invitee")
    nurse.goto(link)
    nurse.page.wait_for_url("**/set-password/")
    # The token left the address bar at once.
    assert link.rsplit("/", 2)[-2] not in nurse.page.url
    nurse.check("choose a password")
    nurse.page.locator("#id_new_password1").fill(NEW_PASSWORD)
    nurse.page.locator("#id_new_password2").fill(NEW_PASSWORD)
    nurse.tap(nurse.page.get_by_role("button", name="Save password and sign in"))
    # Staff set up two-step sign-in before anything else.
    nurse.page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    nurse.check("two-step sign-in set-up after accepting")

    vesna = User.objects.get(email=INVITEE)
    assert vesna.check_password(NEW_PASSWORD) and vesna.last_login is not None
    membership = Membership.objects.get(user=vesna)
    assert (membership.role, membership.profession, membership.clinic.name) == (
        "clinician",
        "nurse",
        User.objects.get(email=DEMO_ADMIN).memberships.get().clinic.name,
    )

    # The link worked once.
    again = new_tablet("someone else")
    again.console.allow(r"status of 404")
    response = again.page.goto(link)
    assert response.status == 404
    expect(again.page.get_by_role("heading", name="This link no longer works")).to_be_visible()

    # The admin's list no longer says "pending".
    tablet.goto("/accounts/clinic/staff/")
    row = page.get_by_role("row").filter(has_text="Vesna Vuković")
    expect(row.get_by_text("Invitation pending")).to_have_count(0)
