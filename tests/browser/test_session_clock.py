"""The session clock in the browser: in the head of a running session at tablet
size, kept going by the heartbeat while the page is in use, silent behind the
idle lock, and gone from the screens the patient holds."""

import re

import pytest
from playwright.sync_api import expect

from patients.models import Patient
from sessions_app.models import DialogSession

from .conftest import DEMO_CLINICIAN

pytestmark = pytest.mark.browser


def start_session(tablet, order):
    """Start a session for a demo patient of the clinician; on its rating screen."""
    # Read before any page loads: a patient of the clinician with no open session.
    patient = (
        Patient.objects.filter(key_clinician__email=DEMO_CLINICIAN)
        .exclude(sessions__status=DialogSession.Status.IN_PROGRESS)
        .order_by(order)
        .first()
    )
    tablet.login()
    tablet.goto(f"/patients/{patient.code}/")
    tablet.tap(tablet.page.get_by_role("button", name="Start: patient alone", exact=True))
    tablet.page.wait_for_url(re.compile(r"/sessions/[A-Z0-9]+/(review-actions|rate)/"))
    code = re.search(r"/sessions/([A-Z0-9]+)/", tablet.page.url).group(1)
    tablet.goto(f"/sessions/{code}/rate/1/")


def heartbeats(page):
    """The heartbeat requests the page sends from now on."""
    sent = []
    page.on("request", lambda request: "/heartbeat/" in request.url and sent.append(request))
    return sent


def test_the_clock_shows_in_the_session_head_and_the_heartbeat_stops_when_locked(demo, new_tablet):
    tablet = new_tablet("clinician")
    page = tablet.page
    page.clock.install()
    start_session(tablet, "id")

    clock = page.locator("[data-session-clock]")
    expect(clock).to_be_visible()
    expect(clock).to_contain_text("0 min")
    tablet.check("rating with the clock")
    # In the head's row beside the name, inside the screen, covering nothing.
    name_box = page.locator("h1").bounding_box()
    clock_box = clock.bounding_box()
    assert clock_box["x"] + clock_box["width"] <= 768
    assert clock_box["x"] >= name_box["x"] + name_box["width"]
    assert abs(clock_box["y"] - name_box["y"]) < name_box["height"]

    # The page is in use: once a minute it tells the server, and shows the answer.
    sent = heartbeats(page)
    page.mouse.wheel(0, 10)
    with page.expect_response("**/heartbeat/") as beat:
        page.clock.run_for("01:01")
    assert beat.value.status == 200
    assert beat.value.json()["open"] is True
    expect(clock).to_contain_text("0 min")

    # Left alone, the tablet locks; a touch on the lock screen sends no heartbeat.
    page.clock.run_for("15:10")
    expect(page.locator("#idle-cover")).to_be_visible()
    before = len(sent)
    page.locator("#idle-cover h2").tap()
    page.clock.run_for("02:05")
    assert len(sent) == before
    tablet.console.assert_clean("locked")


def test_the_handed_over_tablet_shows_no_clock(demo, new_tablet):
    tablet = new_tablet("clinician")
    page = tablet.page
    start_session(tablet, "-id")
    expect(page.locator("[data-session-clock]")).to_be_visible()

    tablet.tap(page.get_by_role("button", name="Hand the tablet to the patient", exact=True))
    page.wait_for_url("**/rate/1/")
    expect(page.locator("#rate-card")).to_be_visible()
    expect(page.locator("[data-session-clock]")).to_have_count(0)
