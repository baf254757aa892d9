"""Step 4's actions on a tablet: agreed with one tap, changed with one tap, and
the focus stays on what was tapped when htmx swaps the list in again."""

import os

import pytest
from playwright.sync_api import expect

from accounts.models import User
from patients.name_index import patient_named
from sessions_app import services
from sessions_app.models import Action, DialogSession, Stage

from .conftest import DEMO_CLINICIAN

pytestmark = pytest.mark.browser

# A demo patient of the demo clinician who has had no session yet.
WAITING_PATIENT = "Ivana Stanković"


def area_at_step_4():
    patient = patient_named(WAITING_PATIENT)
    session = services.session_start(
        patient=patient,
        clinician=User.objects.get(email=DEMO_CLINICIAN),
        attendance=DialogSession.Attendance.ALONE,
    ).session
    job = session.scale_version.domains.get(key="job")
    (area,) = services.areas_select(session=session, domain_ids=[job.id])
    services.session_advance(session=session, stage=Stage.STEPS)
    return session, area


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def mark_actions(page):
    """Remember the list now shown, to tell when htmx has swapped in the next."""
    page.evaluate("window.shownActions = document.getElementById('area-actions')")


def wait_for_swap(page):
    # A function, not an expression: the page's CSP refuses eval.
    page.wait_for_function(
        "() => document.getElementById('area-actions') !== window.shownActions"
        " && !document.querySelector('.htmx-request, .htmx-settling')"
    )


def test_an_agreed_action_changes_owner_with_one_tap_and_keeps_the_focus(demo, new_tablet):
    session, area = area_at_step_4()
    tablet = new_tablet()
    page = tablet.page
    tablet.login()
    tablet.goto(f"/sessions/{session.code}/areas/{area.id}/step/4/")
    actions = page.locator("#area-actions")

    # One tap agrees a suggested action, owned by the patient.
    tablet.tap(actions.locator(".action-chip").first)
    expect(actions.locator("li.card")).to_have_count(1)
    action = Action.objects.get(area=area)
    assert action.owner == Action.Owner.PATIENT
    card = page.locator(f"#action-{action.id}")
    expect(card.locator(f"#action-owner-{action.id}_0")).to_be_checked()
    tablet.check("step 4 with an action agreed by one tap")

    # One tap on "Clinician" saves it; the swapped-in radio has the focus.
    clinician = card.locator(".owner-choice", has_text="Clinician").locator("input")
    radio_id = clinician.get_attribute("id")
    assert radio_id.startswith(f"action-owner-{action.id}_")
    mark_actions(page)
    tablet.tap(clinician)
    wait_for_swap(page)
    expect(page.locator(f"#{radio_id}")).to_be_checked()
    assert focused_id(page) == radio_id
    action.refresh_from_db()
    assert action.owner == Action.Owner.CLINICIAN

    # The text field keeps the focus too when its change is saved.
    text = card.get_by_role("textbox", name="What will be done?")
    text.fill("Phone the job centre on Monday")
    text_id = text.get_attribute("id")
    assert text_id == f"action-text-{action.id}"
    mark_actions(page)
    # The change is sent when the field loses the focus: Tab moves it to the
    # owner group's checked radio, where it stays after the swap.
    text.press("Tab")
    wait_for_swap(page)
    expect(page.locator(f"#{text_id}")).to_have_value("Phone the job centre on Monday")
    assert focused_id(page) == radio_id
    action.refresh_from_db()
    assert action.text == "Phone the job centre on Monday"
    tablet.check("step 4 after changing an action")

    # The form to add another action: its fields carry the form's limits.
    tablet.tap(actions.get_by_text("Add another action"))
    expect(page.locator("#id_text")).to_be_visible()
    # Counted as the person sees characters, with a counter (dialogplus/text.py).
    assert page.locator("#id_text").get_attribute("data-text-limit") == "500"
    assert page.locator("#id_owner_name").get_attribute("data-text-limit") == "200"
    assert page.locator(f"#action-text-{action.id}").get_attribute("data-text-limit") == "500"
    assert page.locator("#id_due_date").get_attribute("min")
    expect(page.locator("#id_owner_0")).to_be_checked()
    tablet.check("step 4 with the form to add an action open")
    if os.environ.get("DIALOGPLUS_SCREENSHOTS"):
        # For a person to look at (not compared): DIALOGPLUS_SCREENSHOTS=<folder>.
        actions.screenshot(
            path=os.path.join(os.environ["DIALOGPLUS_SCREENSHOTS"], "step4-actions.png")
        )
