"""The patient rates before the appointment on their own phone, by the rating
link; the clinician then opens the session on the tablet at the review.

The phone is a 360×640 touch context; every screen on it is checked like a
tablet's (console, axe-core, nothing wider than the screen).
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from patients.name_index import patient_named
from sessions_app.models import DialogSession, Rating, Stage

from .conftest import Tablet

pytestmark = pytest.mark.browser

PATIENT_NAME = "Ivana Stanković"  # the demo clinician's patient without a session yet
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "has_touch": True,
    "is_mobile": True,
    "locale": "en-US",
}
RATINGS = [3, 4, 5, 6, 7, 2, 1, 4, 5, 6, 3]
# A suggested action of "Mental health", agreed with one tap.
ACTION = "Go for a short walk every day"
HELP = ["yes", "no", "no", "no", "no", "yes", "yes", "no", "no", "no", "no"]


@pytest.fixture
def new_phone(browser, live_server):
    phones = []

    def make(name="phone"):
        phone = Tablet(browser.new_context(**PHONE), live_server.url, name)
        phones.append(phone)
        return phone

    yield make
    problems = [f"[{p.name}] {problem}" for p in phones for problem in p.console.unexpected()]
    for phone in phones:
        phone.context.close()
    assert not problems, "\n".join(problems)


def card(page):
    return page.locator("#rate-card")


def assert_fits(phone, screen):
    """Nothing on the phone scrolls sideways: no label or button overflows."""
    page = phone.page
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
    )
    assert max(widths[:2]) <= widths[2], f"{screen}: {widths}"
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('button, a, .lbl')]
            .filter(el => !el.matches('.visually-hidden-focusable'))
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5
                          || el.scrollWidth > el.clientWidth + 1)
            .map(el => el.outerHTML.slice(0, 120))"""
    )
    assert not overflowing, f"{screen}: {overflowing}"


def test_the_patient_rates_on_a_phone_and_the_clinician_opens_the_review(
    demo, new_tablet, new_phone
):
    tablet = new_tablet("clinician")
    tablet.login()
    page = tablet.page
    tablet.tap(page.get_by_role("link", name=PATIENT_NAME))
    expect(page.get_by_role("heading", level=1)).to_have_text(PATIENT_NAME)
    tablet.check("patient page before a link")
    tablet.tap(page.get_by_role("button", name="Rating link for the patient"))
    page.wait_for_url("**/rating-link/**")
    expect(page.locator("svg.qr-code")).to_be_visible()
    tablet.check("rating link made")
    short_link = page.locator("code.rating-link-url").inner_text()
    path = urlsplit(short_link).path
    assert re.fullmatch(r"/r/[\w-]{22}/", path), short_link

    # --- the patient's phone, in the patient's language, one tap per answer
    phone = new_phone()
    phone.goto(path)
    phone_page = phone.page
    phone_page.wait_for_url("**/1/")
    expect(phone_page.locator(".app-header")).to_have_count(0)
    expect(phone_page.locator(".stagebar, nav.stages")).to_have_count(0)
    expect(phone_page.locator(".link-heading")).to_contain_text("Ivana")
    expect(phone_page.locator(".link-heading")).not_to_contain_text("Stanković")
    for position, (value, answer) in enumerate(zip(RATINGS, HELP, strict=True), start=1):
        expect(card(phone_page).locator('.rate-dots a[aria-current="step"]')).to_have_text(
            str(position)
        )
        if position in (1, 11):
            phone.check(f"phone item {position}")
            assert_fits(phone, f"phone item {position}")
        phone.tap(card(phone_page).locator(f'.scale-buttons button[value="{value}"]'))
        help_button = card(phone_page).locator(f'button[name="needs_help"][value="{answer}"]')
        expect(help_button).to_be_visible()
        if position == 1:
            phone.check("phone item 1 with the help question")
            assert_fits(phone, "phone item 1 with the help question")
        phone.tap(help_button)
        if position < 11:
            phone_page.wait_for_url(f"**/{position + 1}/")
    phone_page.wait_for_url("**/done/")
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    phone.check("phone thank-you")
    assert_fits(phone, "phone thank-you")
    # Only the questions: no way into the app from the phone.
    hrefs = phone_page.eval_on_selector_all(
        "a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    assert all(h == "#main" or h.startswith(path) for h in hrefs), hrefs

    # --- the clinician: the patient page says so, the agenda lists the session
    code = patient_named(PATIENT_NAME).code
    tablet.goto(f"/patients/{code}/")
    expect(page.locator(".rating-link-panel")).to_contain_text("11 of 11 items answered so far.")
    tablet.check("patient page with an active link")
    tablet.goto("/reminders/agenda/")
    waiting = page.locator("section[aria-labelledby=waiting-heading] li", has_text=PATIENT_NAME)
    expect(waiting).to_contain_text("rated by the patient's link")
    tablet.check("agenda with a session waiting")
    open_taps = tablet.taps
    tablet.tap(waiting.get_by_role("link", name=re.compile("Open the session")))
    # Opening writes nothing: the end of the scale, whose button starts the discussion.
    page.wait_for_url("**/rate/done/")
    expect(page.get_by_role("heading", name="All questions done")).to_be_visible()
    tablet.tap(page.get_by_role("button", name="Review the ratings"))
    page.wait_for_url("**/review/")
    tablet.check("review of the ratings given by link")
    for value in RATINGS:
        expect(page.locator("td.rating-now", has_text=str(value)).first).to_be_visible()

    session = DialogSession.objects.get(patient=patient_named(PATIENT_NAME))
    assert session.stage == Stage.REVIEW
    stored = list(
        Rating.objects.filter(session=session)
        .order_by("domain__position")
        .values_list("value", "needs_help")
    )
    assert stored == [(v, a == "yes") for v, a in zip(RATINGS, HELP, strict=True)]

    # The appointment: one area, one agreed action, finished. The ratings are in,
    # so the clinician's part is a few taps.
    tablet.tap(page.get_by_role("button", name=re.compile(r"^\d+\. Mental health$")))
    page.wait_for_url(re.compile(r"/areas/\d+/$"))
    for step in (2, 3, 4):
        page.locator(f"#step-{step} .step-intro").scroll_into_view_if_needed()
        page.wait_for_timeout(700)  # seen on screen: the step counts as visited
    tablet.tap(page.get_by_role("button", name=ACTION, exact=True))
    expect(page.get_by_role("textbox", name="What will be done?").first).to_have_value(ACTION)
    page.wait_for_timeout(800)
    tablet.check("area page after a link rating")
    tablet.tap(page.get_by_role("button", name="Finish session", exact=True))
    page.wait_for_url("**/summary/")
    expect(page.get_by_text("Session finished and saved.")).to_be_visible()
    taps = tablet.taps - open_taps
    print(f"taps in the appointment after rating by link: {taps}")
    assert taps <= 26, f"opening and finishing took {taps} taps"
    session.refresh_from_db()
    assert session.status == DialogSession.Status.COMPLETED
    area = session.areas.get()
    assert area.actions.get().text == ACTION
    assert area.steps_visited == 4
    # The session moved past rating: the link opens nothing more.
    phone.console.allow(r"status of 404")
    refused = phone_page.goto(phone.url(path))
    assert refused.status == 404
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    phone.check("phone, link no longer working")
    assert_fits(phone, "phone, link no longer working")
