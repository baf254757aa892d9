"""Shared tablets in the browser: the Lock button, the lock screen and the idle cover."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_lock_button_locks_and_the_password_returns_to_the_same_page(demo, new_tablet):
    tablet = new_tablet()
    tablet.login()
    tablet.goto("/patients/")
    tablet.tap(tablet.page.get_by_role("button", name="Lock", exact=True))
    expect(tablet.page).to_have_url(re.compile(r"/accounts/lock/\?next="))
    tablet.check("lock screen")
    tablet.page.get_by_label("Password").fill(DEMO_PASSWORD)
    tablet.tap(tablet.page.get_by_role("button", name="Unlock", exact=True))
    expect(tablet.page).to_have_url(re.compile(r"/patients/$"))
    tablet.check("patient list after unlocking")


def test_idle_page_is_covered_and_keeps_what_was_typed(demo, new_tablet):
    tablet = new_tablet()
    tablet.page.clock.install()
    tablet.login()
    tablet.goto("/patients/")
    search = tablet.page.locator("#patient-search")
    search.fill("Iva")
    tablet.page.clock.run_for("14:00")
    expect(tablet.page.locator("#main")).to_be_visible()
    tablet.page.clock.run_for("01:10")
    expect(tablet.page.locator("#main")).to_be_hidden()
    cover = tablet.page.locator("#idle-cover")
    expect(cover).to_be_visible()
    expect(cover.get_by_role("button", name="Unlock", exact=True)).to_be_focused()
    # The typed text is still in the page, only hidden.
    assert search.input_value() == "Iva"
    tablet.check("idle cover")
