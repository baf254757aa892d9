"""A clinician runs DIALOG+ sessions on a tablet, by tapping, in a real Chromium.

Every screen on the way is checked for console problems and with axe-core
(``Tablet.check``); the database is asserted at the end, so a screen that
only looks right but saves nothing fails.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from patients.name_index import patient_named
from scale.selectors import scale_current
from sessions_app.models import ActionReview, DialogSession, Rating, StepNote

pytestmark = pytest.mark.browser

PATIENT_NAME = "Tamara Tablet"
PATIENT_LANGUAGE = "sr-latn"  # not the clinician's (en) nor the clinic's default (sr)
CLINICIAN_NAME = "Jelena Marković"  # the demo clinician

# Ratings by item position (1–11) and the help answers ("yes"/"no").
FIRST_RATINGS = [2, 5, 4, 6, 5, 3, 5, 6, 6, 5, 4]  # life mean 4.5, treatment 5.0
FIRST_HELP = ["yes", "no", "no", "no", "no", "yes", "no", "no", "no", "no", "no"]
SECOND_RATINGS = [4, 5, 4, 6, 3, 4, 5, 6, 6, 6, 5]  # life mean 4.6, treatment 5.7
SECOND_HELP = ["no", "no", "no", "no", "yes", "no", "no", "no", "no", "no", "no"]

FIRST_NOTE = "Low mood most mornings; still walks the dog every day."
FIRST_ACTION = "Go for a short walk every day"  # a suggested action of "Mental health"
SECOND_NOTE = "Stays in most evenings; used to play chess."


def card(page):
    return page.locator("#rate-card")


def scale_button(page, value):
    return card(page).locator(f'.scale-buttons button[value="{value}"]')


def help_button(page, answer):
    return card(page).locator(f'button[name="needs_help"][value="{answer}"]')


def current_position(page):
    # The progress dots mark the item on screen; they read the same in every language.
    return card(page).locator('.rate-dots a[aria-current="step"]')


def rate_item(tablet, position, value, answer, *, check=None, end="**/review/"):
    """Tap a rating, then the help answer; the next item (or ``end``) follows.

    With ``check`` (a screen name), both states of the item are checked.
    """
    page = tablet.page
    expect(current_position(page)).to_have_text(str(position))
    if check:
        tablet.check(check)
    tablet.tap(scale_button(page, value))
    expect(scale_button(page, value)).to_have_attribute("aria-pressed", "true")
    if check:
        tablet.check(f"{check} with the help question")
    tablet.tap(help_button(page, answer))
    if position < 11:
        page.wait_for_url(f"**/rate/{position + 1}/")
        expect(current_position(page)).to_have_text(str(position + 1))
    else:
        page.wait_for_url(end)


def assert_item_answered(page, position, value, answer):
    expect(current_position(page)).to_have_text(str(position))
    expect(scale_button(page, value)).to_have_attribute("aria-pressed", "true")
    expect(card(page).locator('.scale-buttons button[aria-pressed="true"]')).to_have_count(1)
    expect(help_button(page, answer)).to_have_attribute("aria-pressed", "true")


def patient_questions():
    """The eleven questions as the patient reads them, in their language."""
    with translation.override(PATIENT_LANGUAGE):
        return [domain.question for domain in scale_current().domains.order_by("position")]


def short_name(key):
    """An item's short name as the patient reads it."""
    with translation.override(PATIENT_LANGUAGE):
        return scale_current().domains.get(key=key).short_name


def assert_patient_screen(page, question=None):
    """A handed-over screen: the patient's language, no header, no name from the record."""
    expect(page.locator("html")).to_have_attribute("lang", PATIENT_LANGUAGE)
    expect(page.locator("header")).to_have_count(0)
    expect(page.locator("nav[aria-label='Session progress']")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(PATIENT_NAME)
    expect(page.locator("body")).not_to_contain_text(CLINICIAN_NAME)
    if question is not None:
        expect(page.locator("#rate-question")).to_have_text(question)


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def add_patient(tablet):
    page = tablet.page
    tablet.tap(page.get_by_role("link", name="Add patient"))
    page.wait_for_url("**/patients/new/")
    tablet.check("new patient form")
    tablet.tap(page.get_by_label("Full name"))
    page.get_by_label("Full name").fill(PATIENT_NAME)
    page.get_by_label("Patient's language").select_option(PATIENT_LANGUAGE)
    tablet.tap(page.get_by_role("button", name="Add patient"))
    page.wait_for_url(re.compile(r"/patients/[A-Z0-9]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PATIENT_NAME)
    tablet.check("patient page (new patient)")


def settle(page):
    """Let the screen's autosaves (htmx) finish: an observer reports a section a
    frame after it comes on screen and reports it half a second later."""
    page.wait_for_timeout(800)
    expect(page.locator(".htmx-request")).to_have_count(0)


def go_through_steps(tablet, area_name, note, *, action=None):
    """One area's page: the four steps in order, a note in step 1 (autosaved),
    then a suggested action agreed with one tap, or "No action yet".

    Returns the taps spent on the optional note, which the count of a
    session's taps leaves out (a note is optional in DIALOG+).
    """
    page = tablet.page
    page.wait_for_url(re.compile(r"/areas/\d+/$"))
    expect(page.get_by_role("heading", level=2).first).to_contain_text(area_name)
    tablet.check("area page")
    before_note = tablet.taps
    textarea = page.locator("#note-text-1")
    tablet.tap(textarea)
    textarea.press_sequentially(note, delay=5)
    # The autosave answers after the typing pauses; "Saved" means it is stored.
    expect(page.locator("#note-status-1")).to_have_text("Saved", timeout=10_000)
    note_taps = tablet.taps - before_note
    tablet.check("area page with a saved note")
    # The clinician reads down through the steps; each one seen counts as visited.
    for step in (2, 3, 4):
        section = page.locator(f"#step-{step}")
        section.locator(".step-intro").scroll_into_view_if_needed()
        expect(section.locator("details.guidance")).to_be_visible()
    settle(page)
    if action:
        tablet.tap(page.get_by_role("button", name=action, exact=True))
        field = page.get_by_role("textbox", name="What will be done?").first
        expect(field).to_have_value(action)
        settle(page)
        expect(
            page.locator(".owner-choice", has_text="Patient").locator("input").first
        ).to_be_checked()
        tablet.check("step 4 with an action agreed by one tap")
    else:
        tablet.tap(page.get_by_role("checkbox", name=re.compile("No action yet")))
        expect(page.get_by_role("checkbox", name=re.compile("No action yet"))).to_be_checked()
        settle(page)
    return note_taps


def finish(tablet, session_number):
    """On the summary: keep the suggested next appointment and finish."""
    page = tablet.page
    page.locator("#summary").scroll_into_view_if_needed()
    tablet.check(f"summary of session {session_number}")
    expect(page.get_by_label("Next appointment")).not_to_have_value("")
    tablet.tap(button(page, "Finish session"))
    page.wait_for_url("**/summary/")
    expect(page.get_by_text("Session finished and saved.")).to_be_visible()
    expect(page.get_by_text("Next appointment:")).to_be_visible()
    tablet.check(f"finished summary of session {session_number}")


def open_printout(tablet, session_number, area_key, *, action_text=None):
    """The printable summary: in the patient's language; names and actions as typed."""
    page = tablet.page
    tablet.tap(page.get_by_role("link", name="Printable summary"))
    page.wait_for_url("**/print/")
    expect(page.locator("html")).to_have_attribute("lang", PATIENT_LANGUAGE)
    article = page.locator("article")
    expect(article).to_contain_text(PATIENT_NAME)
    expect(article.locator("h3")).to_have_text([short_name(area_key)])
    if action_text:
        expect(article.locator("li")).to_contain_text([action_text])
    tablet.check(f"printable summary of session {session_number}")


def test_clinician_runs_two_full_sessions_for_a_new_patient(demo, new_tablet):
    tablet = new_tablet("clinician")
    page = tablet.page
    tablet.login()
    tablet.check("patient list")
    add_patient(tablet)

    # --- Session 1: alone, rated by the clinician, one area, one action. -----
    start_taps = tablet.taps
    tablet.tap(button(page, "Start: patient alone"))
    page.wait_for_url("**/rate/1/")
    expect(page.locator("header.app-header")).to_be_visible()
    for position in range(1, 6):
        rate_item(
            tablet,
            position,
            FIRST_RATINGS[position - 1],
            FIRST_HELP[position - 1],
            check="rate item (clinician)" if position == 1 else None,
        )

    # Mid-rating the page is reloaded and the back button pressed: nothing is lost.
    page.reload()
    expect(current_position(page)).to_have_text("6")
    expect(page.get_by_role("link", name=re.compile(r": answered$"))).to_have_count(5)
    page.go_back()
    page.wait_for_url("**/rate/5/")
    assert_item_answered(page, 5, FIRST_RATINGS[4], FIRST_HELP[4])
    rate_url = page.url.removesuffix("5/")
    for position in range(1, 5):
        tablet.goto(f"{rate_url}{position}/")
        assert_item_answered(page, position, FIRST_RATINGS[position - 1], FIRST_HELP[position - 1])
    tablet.goto(f"{rate_url}6/")
    tablet.console.assert_clean("after reload and back")

    # The clinician holding the tablet goes from the last item straight to the review.
    for position in range(6, 12):
        rate_item(tablet, position, FIRST_RATINGS[position - 1], FIRST_HELP[position - 1])
    scores = page.locator(".score")
    expect(scores).to_have_text(["4.5", "5.0"])
    expect(page.locator(".rating-now")).to_have_text([str(v) for v in FIRST_RATINGS])
    rating_taps = tablet.taps - start_taps - 1
    assert rating_taps <= 22, f"rating took {rating_taps} taps"
    tablet.check("review (session 1)")
    # One tap on an area of the review chooses it and opens its four steps.
    tablet.tap(page.get_by_role("button", name=re.compile(r"^\d+\. Mental health$")))
    note_taps = go_through_steps(tablet, "Mental health", FIRST_NOTE, action=FIRST_ACTION)
    expect(page.locator("#summary").get_by_text(FIRST_ACTION)).to_be_visible()
    finish(tablet, 1)
    taps = tablet.taps - start_taps - note_taps
    print(f"taps per session: {taps} (rating {rating_taps}; plus {note_taps} for an optional note)")
    assert taps <= 26, f"a session with one area and one action took {taps} taps"
    open_printout(tablet, 1, "mental_health", action_text=FIRST_ACTION)

    # --- Session 2: review last actions, rated by the patient holding the tablet.
    tablet.tap(page.locator('article a[href$="/summary/"]'))
    page.wait_for_url("**/summary/")
    tablet.tap(page.get_by_role("link", name="Back to the patient"))
    expect(page.get_by_text("Sessions delivered: 1 of")).to_be_visible()
    tablet.check("patient page (one session delivered)")
    tablet.tap(button(page, "Start: patient alone"))
    page.wait_for_url("**/review-actions/")
    review = page.locator("fieldset", has_text=FIRST_ACTION)
    expect(review).to_be_visible()
    tablet.check("review last actions")
    tablet.tap(review.get_by_role("button", name="Done", exact=True))
    expect(
        page.locator("fieldset", has_text=FIRST_ACTION).get_by_role(
            "button", name="Done", exact=True
        )
    ).to_have_attribute("aria-pressed", "true")
    tablet.check("review last actions (action marked done)")
    tablet.tap(button(page, "Continue to rating"))
    page.wait_for_url("**/rate/1/")
    tablet.check("rate item (clinician, before handing over)")
    tablet.tap(button(page, "Hand the tablet to the patient"))
    page.wait_for_url("**/rate/1/")

    # The patient holds the tablet: their language, nothing else of the record.
    questions = patient_questions()
    for position in range(1, 12):
        assert_patient_screen(page, questions[position - 1])
        rate_item(
            tablet,
            position,
            SECOND_RATINGS[position - 1],
            SECOND_HELP[position - 1],
            check="rate item (handed over)" if position == 1 else None,
            end="**/rate/done/",
        )
    assert_patient_screen(page)
    tablet.check("rate done (handed over)")
    # Anywhere else (here the patient list) leads to the hand-back screen.
    tablet.goto("/patients/")
    page.wait_for_url("**/handback/")
    expect(page.locator("body")).not_to_contain_text(PATIENT_NAME)
    page.go_back()
    page.wait_for_url("**/rate/done/")
    tablet.tap(page.locator('a[href$="/handback/"]').last)
    page.wait_for_url("**/handback/")
    tablet.check("hand-back")
    password = page.get_by_label("Password")
    tablet.tap(password)
    password.fill("dialogplus-demo")
    tablet.tap(button(page, "Take the tablet back"))
    page.wait_for_url("**/review/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header.app-header")).to_be_visible()
    expect(page.locator(".score")).to_have_text(["4.6", "5.7"])
    expect(page.locator(".score-box")).to_contain_text(["last time 4.5", "last time 5.0"])
    expect(page.locator(".rating-prev")).to_have_text([str(v) for v in FIRST_RATINGS])
    expect(page.locator(".rating-now")).to_have_text([str(v) for v in SECOND_RATINGS])
    tablet.check("review (session 2, beside session 1)")
    # Several areas are still chosen on their own page.
    tablet.tap(button(page, "Choose more than one area"))
    page.wait_for_url("**/select/")
    tablet.check("select (session 2)")
    tablet.tap(page.locator("label.area-choice", has_text="Leisure activities"))
    tablet.tap(button(page, "Start the four steps"))
    go_through_steps(tablet, "Leisure activities", SECOND_NOTE)
    finish(tablet, 2)
    open_printout(tablet, 2, "leisure")

    # --- What the database holds. ---------------------------------------------
    patient = patient_named(PATIENT_NAME)
    assert patient.language == PATIENT_LANGUAGE
    sessions = list(patient.sessions.order_by("number"))
    assert [s.status for s in sessions] == [DialogSession.Status.COMPLETED] * 2
    assert all(s.next_appointment is not None for s in sessions)
    assert all(s.attendance == DialogSession.Attendance.ALONE for s in sessions)
    ratings = Rating.objects.filter(session__patient=patient)
    assert ratings.count() == ratings.filter(value__isnull=False).count() == 22
    for session, values, helps in (
        (sessions[0], FIRST_RATINGS, FIRST_HELP),
        (sessions[1], SECOND_RATINGS, SECOND_HELP),
    ):
        stored = list(
            ratings.filter(session=session)
            .order_by("domain__position")
            .values_list("value", "needs_help")
        )
        assert stored == [(v, h == "yes") for v, h in zip(values, helps, strict=True)]
    # Action texts are encrypted, so they are compared after reading, not in SQL.
    action_review = ActionReview.objects.get(action__area__session=sessions[0])
    assert action_review.action.text == FIRST_ACTION
    assert action_review.session == sessions[1]
    assert action_review.status == ActionReview.Status.DONE
    assert action_review.action.owner == "patient"
    notes = StepNote.objects.filter(area__session__patient=patient, step=1)
    assert sorted(notes.values_list("area__session__number", "text")) == [
        (1, FIRST_NOTE),
        (2, SECOND_NOTE),
    ]
    assert sessions[1].areas.get().think_it_over is True
    # Each of the four steps was on screen, as the fidelity record says.
    assert [s.areas.get().steps_visited for s in sessions] == [4, 4]


def test_a_short_appointment_ends_with_ratings_only_and_the_area_waits_for_next_time(
    demo, new_tablet
):
    tablet = new_tablet("clinician")
    page = tablet.page
    tablet.login()
    add_patient(tablet)

    # --- Session 1: rated, an area chosen, then no time left. ------------------
    tablet.tap(button(page, "Start: patient alone"))
    page.wait_for_url("**/rate/1/")
    for position in range(1, 12):
        rate_item(tablet, position, FIRST_RATINGS[position - 1], FIRST_HELP[position - 1])
    tablet.tap(page.get_by_role("button", name=re.compile(r"^\d+\. Leisure activities$")))
    page.wait_for_url(re.compile(r"/areas/\d+/$"))
    tablet.tap(page.get_by_role("link", name="Ratings only today").first)
    page.wait_for_url("**/ratings-only/")
    tablet.check("ratings only")
    expect(page.get_by_text("The chosen area will be offered first next time.")).to_be_visible()
    tablet.tap(page.locator("label.area-choice", has_text="No time today"))
    tablet.tap(button(page, "Finish with ratings only"))
    page.wait_for_url("**/summary/")
    expect(page.get_by_text("Session finished with the ratings only, and saved.")).to_be_visible()
    expect(page.get_by_text("Ratings only today: No time today")).to_be_visible()
    tablet.check("summary of a ratings-only session")

    # --- Session 2: last time's ratings are there, and the area comes first. ---
    tablet.tap(page.get_by_role("link", name="Back to the patient"))
    expect(page.get_by_text("Sessions delivered: 1 of")).to_be_visible()
    tablet.tap(button(page, "Start: patient alone"))
    page.wait_for_url("**/rate/1/")  # nothing to review: no action was agreed
    for position in range(1, 12):
        rate_item(tablet, position, SECOND_RATINGS[position - 1], SECOND_HELP[position - 1])
    expect(page.locator(".rating-prev")).to_have_text([str(v) for v in FIRST_RATINGS])
    expect(page.locator(".score-box")).to_contain_text(["last time 4.5", "last time 5.0"])
    carried = page.locator("section", has_text="Carried over from last time")
    expect(carried.get_by_role("button")).to_have_text(["Leisure activities"])
    tablet.check("review with an area carried over")
    tablet.tap(button(page, "Choose more than one area"))
    page.wait_for_url("**/select/")
    first = page.locator("label.area-choice").first
    expect(first).to_contain_text("Leisure activities")
    expect(first).to_contain_text("carried over from last time")
    tablet.check("select with an area carried over")

    patient = patient_named(PATIENT_NAME)
    first_session, second_session = patient.sessions.order_by("number")
    assert first_session.status == DialogSession.Status.COMPLETED
    assert first_session.ratings_only_reason == DialogSession.RatingsOnlyReason.NO_TIME
    assert second_session.status == DialogSession.Status.IN_PROGRESS
