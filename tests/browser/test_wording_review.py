"""The wording review on a tablet, by touch: the Belgrade admin drafts and proposes,
a validator of the same country sends it back with a reason, then approves it.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from accounts.models import User
from scale.models import ScaleVersion
from tests.factories import ClinicAdminFactory

from .conftest import DEMO_PASSWORD
from .test_staff import DEMO_ADMIN, admin_sign_in

pytestmark = pytest.mark.browser

VALIDATOR = "vera.validator@demo.test"


@pytest.fixture
def validator(demo):
    # Another admin of the Belgrade clinic, granted the right to validate wording.
    belgrade = User.objects.get(email=DEMO_ADMIN).memberships.get().clinic
    user = ClinicAdminFactory(
        clinic=belgrade, email=VALIDATOR, full_name="Vera Validator", language="en"
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="validate_wording"))
    User.objects.filter(email=DEMO_ADMIN).update(language="en")
    return user


def test_a_draft_is_proposed_sent_back_and_approved_by_someone_else(validator, new_tablet):
    admin_tablet = new_tablet("admin")
    page = admin_tablet.page
    admin_sign_in(admin_tablet)

    admin_tablet.tap(page.get_by_role("link", name="Open DIALOG wording"))
    page.wait_for_url("**/wording/")
    admin_tablet.check("wording list")
    admin_tablet.tap(page.get_by_role("button", name="Start a draft"))
    page.wait_for_url(re.compile(r"/wording/\d+/$"))
    admin_tablet.check("draft")
    expect(page.get_by_text("Edit at least one language before proposing")).to_be_visible()

    # Serbian, with one text emptied by mistake: refused, and what was typed is kept.
    admin_tablet.tap(page.get_by_role("link", name=re.compile("Edit · Serbian \\(Cyrillic\\)")))
    page.wait_for_url(re.compile(r"/wording/\d+/sr/$"))
    admin_tablet.check("edit Serbian")
    page.locator("#id_domain-job-short_name").fill("Посао")
    page.locator("#id_label-3").fill("")
    page.get_by_label("Source of this wording").fill("Official Serbian translation, 2021")
    admin_tablet.tap(page.get_by_role("button", name="Save draft wording"))
    expect(page.get_by_text("Nothing was saved. What you typed is kept below.")).to_be_visible()
    expect(page.locator("#id_domain-job-short_name")).to_have_value("Посао")
    admin_tablet.check("edit Serbian with an error")
    page.locator("#id_label-3").fill("незадовољан")
    admin_tablet.tap(page.get_by_role("button", name="Save draft wording"))
    expect(page.get_by_text("The version is still “Draft”")).to_be_visible()

    admin_tablet.tap(page.get_by_role("button", name="Propose for validation"))
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    admin_tablet.check("proposed, as the proposer")
    version_path = page.url

    # The validator sends it back: an empty reason is asked for, then given.
    validator_tablet = new_tablet("validator")
    vpage = validator_tablet.page
    admin_sign_in(validator_tablet, VALIDATOR)
    validator_tablet.goto(version_path)
    validator_tablet.check("proposal, as a validator")
    validator_tablet.tap(vpage.get_by_role("button", name="Send back to draft"))
    expect(vpage.get_by_text("Say what needs to change.").first).to_be_visible()
    validator_tablet.check("reject without a reason")
    vpage.get_by_label("What needs to change").fill("Label 3 is not the official text.")
    validator_tablet.tap(vpage.get_by_role("button", name="Send back to draft"))
    expect(vpage.get_by_text("went back to draft with your reason")).to_be_visible()

    # The admin reads the reason, proposes again; the validator approves.
    admin_tablet.goto(version_path)
    expect(page.get_by_text("Label 3 is not the official text.")).to_be_visible()
    admin_tablet.check("sent back")
    admin_tablet.tap(page.get_by_role("button", name="Propose for validation"))
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    validator_tablet.goto(version_path)
    validator_tablet.tap(vpage.get_by_role("button", name="Approve as validated"))
    expect(vpage.get_by_text("New sessions in Serbia use it from now on")).to_be_visible()
    validator_tablet.check("approved")

    version = ScaleVersion.objects.get(is_current=True, country="RS")
    assert (version.proposed_by.email, version.validated_by.email) == (DEMO_ADMIN, VALIDATOR)
