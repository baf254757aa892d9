"""Every page of the app in a real browser: no CSP refusal, no console error, axe clean.

The pages come from the access matrix (tests/access/): each row answered by a
GET with 200 for some persona is opened by that persona in Chromium at tablet
size, in the same world the matrix builds. So a new page is checked here as
soon as it has its row, with no list to keep up to date.
"""

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from tests.access.common import OK
from tests.access.everything import *  # noqa: F403 - the rows' fixtures
from tests.access.everything import MATRIX
from tests.browser.conftest import BROWSER_ARGS, TABLET, Tablet
from tests.factories import ensure_scale

pytestmark = pytest.mark.browser

# Whose view of a page is opened when several personas may see it.
PREFERENCE = [
    "clinician",
    "clinic_admin",
    "carer_with_consent",
    "anonymous",
    "colleague",
    "outsider",
    "other_admin",
    "carer_withdrawn",
]


# Answers that are not pages: a browser downloads them rather than showing them.
NOT_PAGES = {"healthz", "sessions:summary_pdf", "sessions:carer_summary_pdf"}


def pages():
    seen = set()
    for row in MATRIX:
        if row.method != "get" or row.name in NOT_PAGES:
            continue
        persona = next((p for p in PREFERENCE if row.expected[p] == OK), None)
        if persona is None or (row.name, row.variant) in seen:
            continue
        seen.add((row.name, row.variant))
        yield pytest.param(row, persona, id=f"{row.id}-{persona}")


def test_every_page_with_a_200_is_opened_here():
    # Guards the selection: a broken filter would silently test nothing.
    opened = {param.values[0].name for param in pages()}
    assert {"accounts:login", "patients:detail", "sessions:summary"} <= opened


@pytest.mark.parametrize(("row", "persona"), list(pages()))
def test_page_in_the_browser(
    transactional_db, row, persona, world, client_for, live_server, browser_executable
):
    from playwright.sync_api import sync_playwright

    ensure_scale()
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    cookies = []
    if persona != "anonymous":
        client = client_for(persona)
        session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_id, "url": live_server.url}
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser_executable, args=BROWSER_ARGS)
        try:
            context = chromium.new_context(**TABLET)
            context.add_cookies(cookies)
            tablet = Tablet(context, live_server.url, persona)
            tablet.goto(url)
            tablet.check(row.id)
            context.close()
        finally:
            chromium.close()
            connections.close_all()
