"""The review of last time's actions: each action saves against its own revision.

All the actions sit in one form and htmx posts every field of it, so a save of
one action must not be compared with another action's revision (issue 16).
"""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from patients.name_index import patient_named
from sessions_app import services
from sessions_app.models import Action, ActionReview, DialogSession
from tests.factories import session_complete

from .conftest import DEMO_CLINICIAN

pytestmark = pytest.mark.browser

# A demo patient of the demo clinician who has had no session yet.
WAITING_PATIENT = "Ivana Stanković"
TEXTS = ["Phone the job centre", "Walk every morning", "Call my sister"]


def reviewing_three_actions():
    """The patient's second session, open on the review of three actions."""
    patient = patient_named(WAITING_PATIENT)
    assert not patient.sessions.exists()
    clinician = User.objects.get(email=DEMO_CLINICIAN)
    session_complete(
        patient,
        clinician=clinician,
        ratings={"job": 3, "leisure": 4},
        actions={"job": TEXTS[:1], "leisure": TEXTS[1:]},
    )
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    by_text = {a.text: a for a in Action.objects.filter(area__session__patient=patient)}
    actions = [by_text[text] for text in TEXTS]
    return session, actions


def card(page, action):
    return page.locator(f"#review-{action.id}")


def status_button(page, action, label):
    return card(page, action).get_by_role("button", name=label, exact=True)


def settled(page):
    """Wait until htmx has swapped in the last answer: typing into a card that is
    about to be replaced would be typing into the old one."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def type_comment(tablet, action, text):
    """Type a comment and leave the box: the autosave fires on change."""
    settled(tablet.page)
    box = tablet.page.locator(f"#comment-{action.id}")
    with tablet.page.expect_response(lambda r: f"/review-actions/{action.id}/" in r.url) as answer:
        box.fill(text)
        box.blur()
    return answer.value


def tap_status(tablet, action, label):
    settled(tablet.page)
    with tablet.page.expect_response(lambda r: f"/review-actions/{action.id}/" in r.url) as answer:
        tablet.tap(status_button(tablet.page, action, label))
    return answer.value


def stored(action):
    review = ActionReview.objects.filter(action=action).first()
    return (review.status, review.comment) if review else None


def test_taps_and_comments_on_three_actions_raise_no_false_conflict(demo, new_tablet):
    session, (first, second, third) = reviewing_three_actions()
    tablet = new_tablet()
    tablet.login()
    tablet.goto(f"/sessions/{session.code}/review-actions/")
    tablet.check("review of three actions")

    assert tap_status(tablet, first, "Partly done").status == 200
    assert type_comment(tablet, first, "Called once, no answer").status == 200
    assert tap_status(tablet, second, "Done").status == 200
    assert tap_status(tablet, second, "Not done").status == 200
    assert type_comment(tablet, third, "She was away").status == 200
    assert tap_status(tablet, first, "Done").status == 200

    expect(tablet.page.locator(".conflict")).to_have_count(0)
    expect(status_button(tablet.page, first, "Done")).to_have_attribute("aria-pressed", "true")
    expect(status_button(tablet.page, second, "Not done")).to_have_attribute("aria-pressed", "true")
    tablet.check("review answered")
    assert stored(first) == ("done", "Called once, no answer")
    assert stored(second) == ("not_done", "")
    assert stored(third) == ("", "She was away")

    tablet.tap(tablet.page.get_by_role("button", name="Continue to rating"))
    tablet.page.wait_for_url(f"**/sessions/{session.code}/rate/**")
    assert stored(first) == ("done", "Called once, no answer")


def test_a_change_from_another_tablet_shows_the_conflict_on_that_action_only(demo, new_tablet):
    session, (first, second, third) = reviewing_three_actions()
    mine, other = new_tablet("this tablet"), new_tablet("other tablet")
    for tablet in (mine, other):
        tablet.login()
        tablet.goto(f"/sessions/{session.code}/review-actions/")

    assert tap_status(mine, first, "Partly done").status == 200
    # The other tablet still shows the first action unanswered, and changes it.
    other.console.allow(r"status of 409")
    assert tap_status(other, first, "Not done").status == 409
    expect(card(other.page, first).locator(".conflict")).to_have_count(1)
    other.page.reload()
    assert tap_status(other, first, "Not done").status == 200
    assert stored(first) == ("not_done", "")

    # This tablet's screen is now stale for the first action only.
    mine.console.allow(r"status of 409")
    assert type_comment(mine, first, "Called once").status == 409
    conflict = card(mine.page, first).locator(".conflict")
    expect(conflict).to_contain_text("Someone changed this on another device")
    expect(mine.page.locator(f"#comment-{first.id}")).to_have_value("Called once")
    expect(status_button(mine.page, first, "Not done")).to_have_attribute("aria-pressed", "true")
    mine.check("review with a conflict")
    assert stored(first) == ("not_done", "")

    assert tap_status(mine, second, "Done").status == 200
    assert type_comment(mine, third, "She was away").status == 200
    expect(mine.page.locator(".conflict")).to_have_count(1)
    assert stored(second) == ("done", "")
    assert stored(third) == ("", "She was away")

    # Saving the comment again now goes through: the screen has the current revision.
    assert type_comment(mine, first, "Called once, then she called back").status == 200
    assert stored(first) == ("not_done", "Called once, then she called back")
