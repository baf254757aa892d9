"""Playwright driving Debian's Chromium against pytest-django's live server.

A tablet here is a browser context at 768×1024 with touch. Every page it shows
is watched: an uncaught script error, a console error nobody expected or a
Content-Security-Policy refusal fails the test, and ``Tablet.check`` runs
axe-core on the screen as it is (serious and critical violations fail).
"""

import functools
import io
import os
import re
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import override_settings

# Playwright's sync API runs an event loop in the test thread, so Django would
# refuse the ORM calls with which the tests set up and check data. They run
# between browser actions, never at the same time as one, so this is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_PATH = os.environ.get("DIALOGPLUS_BROWSER", "/usr/bin/chromium")
# These flags are what makes Debian's Chromium start here (docs/architecture.md).
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {
    "viewport": {"width": 768, "height": 1024},
    "has_touch": True,
    "is_mobile": False,
    "locale": "en-US",
}
DEMO_CLINICIAN = "clinician@demo.test"
DEMO_PASSWORD = "dialogplus-demo"
BLOCKING_IMPACTS = ("serious", "critical")


def _browser_missing_reason():
    path = Path(BROWSER_PATH)
    if path.is_file() and os.access(path, os.X_OK):
        return None
    return (
        f"Chromium not found at {BROWSER_PATH} (install Debian's `chromium` or set "
        "DIALOGPLUS_BROWSER to its path)"
    )


@pytest.fixture(scope="session")
def browser_executable():
    """Debian's Chromium; without it a laptop skips these tests, and CI fails."""
    reason = _browser_missing_reason()
    if reason:
        if os.environ.get("DIALOGPLUS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DIALOGPLUS_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return BROWSER_PATH


@pytest.fixture
def browser(browser_executable, demo):
    """A Chromium for one test, started after the database is seeded.

    While Playwright's sync API runs, its event loop makes Django hand the test
    thread a second database connection (asgiref keeps connections per
    thread, and per context when a loop runs). So the browser starts after
    every fixture that sets up or seeds the database on the first connection
    and stops, closing the second one, before the database is emptied.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser_executable, args=BROWSER_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            connections.close_all()


@pytest.fixture(scope="session")
def _live_server_settings(tmp_path_factory):
    """What must hold before the live server builds its middleware stack.

    Tests run with production settings (DEBUG off). The live server speaks plain
    HTTP, so the HTTPS redirect is off; and it serves /static/ from the finders,
    which know the files by their plain names, not the manifest's hashed ones
    (an empty STATIC_ROOT keeps WhiteNoise from warning that none was collected).
    """
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        STATIC_ROOT=tmp_path_factory.mktemp("static_root"),
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


class _OneRequestAtATime:
    """WSGI wrapper: the live server handles one request at a time."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return self.app(environ, start_response)


@pytest.fixture(scope="session")
def live_server(_live_server_settings, live_server):
    """pytest-django's live server, started only after the settings above.

    With the in-memory SQLite test database, every thread of the live server
    shares one connection, so two requests at once (a note's autosave on blur
    and the form that is leaving the page) would interleave their transactions
    on it. PostgreSQL gives each thread its own connection and needs nothing.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        httpd = live_server.thread.httpd
        httpd.set_app(_OneRequestAtATime(httpd.get_app()))
    # Links in messages (invitations, reminders) point at the public address,
    # which for these tests is the live server.
    with override_settings(DIALOGPLUS_PUBLIC_URL=live_server.url):
        yield live_server


@pytest.fixture
def demo(browser_executable, live_server, transactional_db):
    """The demo clinics, people and histories, visible to the live server's thread.

    Transactional tests empty every table afterwards, so the DIALOG scale that
    migrations seeded is seeded again here when it is gone.
    """
    from scale.selectors import scale_current
    from tests.factories import ensure_scale

    ensure_scale()
    assert scale_current().domains.count() == 11
    call_command("seed_demo", force=True, stdout=io.StringIO())


class ConsoleWatch:
    """Collects what a page reports: console errors, CSP refusals, uncaught errors."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        self.allowed = []
        self.reported = 0
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _on_console(self, message):
        text = message.text
        if "Refused to" in text:
            # A Content-Security-Policy violation, whatever level it is logged at.
            self.problems.append(f"CSP violation at {self.page.url}: {text}")
        elif message.type == "error":
            self.problems.append(f"console error at {self.page.url}: {text}")

    def allow(self, pattern):
        """Accept console errors matching ``pattern`` (a network error the test causes)."""
        self.allowed.append(re.compile(pattern))

    def unexpected(self):
        """Problems not yet reported; a CSP violation is never acceptable."""
        return [
            p
            for p in self.problems[self.reported :]
            if p.startswith("CSP") or not any(rx.search(p) for rx in self.allowed)
        ]

    def assert_clean(self, where=""):
        problems = self.unexpected()
        self.reported = len(self.problems)
        assert not problems, f"{where}: " + "\n".join(problems)


class Tablet:
    """One browser context at tablet size with touch, and its page."""

    def __init__(self, context, base_url, name):
        self.context = context
        self.base_url = base_url
        self.name = name
        self.page = context.new_page()
        self.page.set_default_timeout(10_000)
        self.console = ConsoleWatch(self.page)
        self.taps = 0
        self.checked = []

    def url(self, path):
        return path if path.startswith("http") else self.base_url + path

    def goto(self, path):
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"
        return response

    def tap(self, locator):
        """Tap like a finger, and count it (the benchmark is taps per session)."""
        locator.scroll_into_view_if_needed()
        locator.tap()
        self.taps += 1

    def login(self, email=DEMO_CLINICIAN, password=DEMO_PASSWORD):
        """Sign in through the real form, checking the login page on the way.

        Tests run with two-step sign-in on, so staff also type the code of
        their authenticator app (one is set up for them here if they have
        none; tests/browser/test_two_factor.py sets one up through the pages).
        """
        device = _authenticator_for_sign_in(email)
        self.goto("/")
        self.page.wait_for_url("**/accounts/login/**")
        self.check("login")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.tap(self.page.get_by_role("button", name="Sign in", exact=True))
        if device is not None:
            self.page.wait_for_url("**/accounts/two-factor/**")
            self.page.locator("input[name=code]").fill(_current_code(device))
            self.tap(self.page.get_by_role("button", name="Continue", exact=True))
        self.page.wait_for_url("**/patients/")

    def check(self, screen):
        """The screen now shown: no console problem, no serious accessibility violation."""
        self.console.assert_clean(f"[{self.name}] {screen}")
        assert_accessible(self.page, f"[{self.name}] {screen}")
        # Nothing may scroll sideways at tablet width (long labels in sr, mk, sq).
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"], (
            f"[{self.name}] {screen} is {width}px wide at tablet size"
        )
        self.checked.append(screen)


def _authenticator_for_sign_in(email):
    """The app whose code ``email``'s sign-in will ask for (made if owed), or None."""
    from accounts.models import User
    from accounts.selectors import user_has_two_factor
    from accounts.two_factor.services import two_factor_required
    from tests.conftest import totp_device_for

    user = User.objects.get(email=email)
    if not (two_factor_required(user) or user_has_two_factor(user)):
        return None
    return totp_device_for(user)


def _current_code(device):
    """The code the app shows now, or the next one if now's was already used.

    The server refuses a code twice (a replay), so a second sign-in within one
    30-second step types the next step's code, which the app's tolerance of
    one step accepts. Only reads here: a write from the test thread while the
    live server runs can leave a table locked on the in-memory SQLite database.
    """
    from tests.conftest import totp_code

    device.refresh_from_db()
    now = time.time()
    step = (int(now) - device.t0) // device.step + device.drift
    if device.last_t >= step:
        now += device.step * (device.last_t - step + 1)
    return totp_code(device, at=now)


@functools.cache
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _describe(violation):
    lines = [f"- {violation['impact']} {violation['id']}: {violation['help']}"]
    for node in violation["nodes"][:5]:
        why = " ".join(node.get("failureSummary", "").split())
        lines.append(f"    {node['html'][:160]}\n      {why[:300]}")
    return "\n".join(lines)


def assert_accessible(page, where):
    """axe-core on the page as it is now: no serious or critical violation."""
    violations = [
        v for v in _axe().run(page).response["violations"] if v.get("impact") in BLOCKING_IMPACTS
    ]
    assert not violations, f"axe on {where} ({page.url}):\n" + "\n".join(
        _describe(v) for v in violations
    )


@pytest.fixture
def new_tablet(browser, live_server):
    """``new_tablet("name")``: a fresh tablet (own cookies); closed after the test.

    At teardown every tablet's page must still be free of console problems.
    """
    tablets = []

    def make(name="tablet"):
        context = browser.new_context(**TABLET)
        tablet = Tablet(context, live_server.url, name)
        tablets.append(tablet)
        return tablet

    yield make
    problems = []
    for tablet in tablets:
        problems.extend(f"[{tablet.name}] {p}" for p in tablet.console.unexpected())
        tablet.context.close()
    assert not problems, "\n".join(problems)
