"""Nothing entered is lost: two tablets on one answer, and a note typed offline."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from patients.name_index import patient_named
from sessions_app import services
from sessions_app.models import DialogSession, Rating, Stage, StepNote

from .conftest import DEMO_CLINICIAN

pytestmark = pytest.mark.browser

# A demo patient of the demo clinician who has had no session yet.
WAITING_PATIENT = "Ivana Stanković"


def open_session():
    patient = patient_named(WAITING_PATIENT)
    assert not patient.sessions.exists()
    return services.session_start(
        patient=patient,
        clinician=User.objects.get(email=DEMO_CLINICIAN),
        attendance=DialogSession.Attendance.ALONE,
    ).session


def scale_button(page, value):
    return page.locator(f'#rate-card .scale-buttons button[value="{value}"]')


def test_second_tablet_with_a_stale_screen_sees_the_conflict_and_can_keep_its_answer(
    demo, new_tablet
):
    session = open_session()
    first, second = new_tablet("first tablet"), new_tablet("second tablet")
    for tablet in (first, second):
        tablet.login()
        tablet.goto(f"/sessions/{session.code}/rate/1/")
    stored = Rating.objects.filter(session=session, domain__position=1)

    first.tap(scale_button(first.page, 5))
    expect(scale_button(first.page, 5)).to_have_attribute("aria-pressed", "true")
    assert stored.get().value == 5

    # The second tablet still shows item 1 unanswered; its tap must not overwrite.
    second.console.allow(r"status of 409")
    second.tap(scale_button(second.page, 3))
    conflict = second.page.locator("#rate-card .conflict")
    expect(conflict).to_contain_text("changed on another device to 5")
    expect(conflict).to_contain_text("Your answer here was 3")
    keep_mine = conflict.get_by_role("button", name="Keep 3", exact=True)
    expect(keep_mine).to_be_visible()
    expect(conflict.get_by_role("link", name="Keep 5", exact=True)).to_be_visible()
    expect(scale_button(second.page, 5)).to_have_attribute("aria-pressed", "true")
    second.check("rate item with a conflict")
    assert stored.get().value == 5

    second.tap(keep_mine)
    expect(scale_button(second.page, 3)).to_have_attribute("aria-pressed", "true")
    expect(second.page.locator("#rate-card .conflict")).to_have_count(0)
    rating = stored.get()
    assert rating.value == 3
    assert rating.revision == 2


def test_step_note_typed_while_offline_is_stored_when_the_clinician_goes_on(demo, new_tablet):
    session = open_session()
    mental_health = session.scale_version.domains.get(key="mental_health")
    (area,) = services.areas_select(session=session, domain_ids=[mental_health.id])
    services.session_advance(session=session, stage=Stage.STEPS)
    note = "Sleeps badly; still walks the dog every morning."

    tablet = new_tablet("offline tablet")
    page = tablet.page
    tablet.login()
    tablet.goto(f"/sessions/{session.code}/areas/{area.id}/step/1/")
    tablet.check("step 1")

    tablet.context.set_offline(True)
    # The failed autosave is logged by the browser and by htmx; that is expected.
    tablet.console.allow(r"ERR_INTERNET_DISCONNECTED")
    tablet.console.allow(r"htmx:(sendError|afterRequest)")
    textarea = page.locator("#note-text-1")
    tablet.tap(textarea)
    textarea.press_sequentially(note, delay=5)
    status = page.locator("#note-status-1")
    # The autosave failed, and the screen says so instead of pretending.
    expect(status).to_have_text(status.get_attribute("data-offline"), timeout=10_000)
    assert not StepNote.objects.filter(area=area, step=1).exclude(text="").exists()
    tablet.check("step 1 offline with an unsaved note")

    tablet.context.set_offline(False)
    # Going on to step 2's note leaves step 1's box: it is saved then.
    tablet.tap(page.locator("#note-text-2"))
    expect(status).to_have_text("Saved", timeout=10_000)
    tablet.check("step 2 after the offline note")
    assert StepNote.objects.get(area=area, step=1).text == note
