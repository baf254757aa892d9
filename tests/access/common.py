"""What the access matrix's rows are made of: expected outcomes and ``Row``.

Each area of the app keeps its rows in a module of this package (``ROWS``, plus
the fixtures those rows' worlds need); tests/test_access_matrix.py joins them.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.urls import resolve, reverse

from tests.conftest import PERSONAS

# --- expected outcomes ---------------------------------------------------------


@dataclass(frozen=True)
class Status:
    code: int

    def check(self, response, url):
        assert response.status_code == self.code, (response.status_code, response.get("Location"))


@dataclass(frozen=True)
class RedirectTo:
    """A 302 to the URL named ``view_name`` (the target's arguments vary by world)."""

    view_name: str

    def check(self, response, url):
        assert response.status_code == 302, response.status_code
        assert resolve(urlsplit(response.url).path).view_name == self.view_name, response.url


@dataclass(frozen=True)
class ToLogin:
    """A 302 to the login page that comes back to the page asked for."""

    def check(self, response, url):
        assert response.status_code == 302, response.status_code
        target = urlsplit(response.url)
        assert target.path == reverse("accounts:login"), response.url
        assert parse_qs(target.query).get("next") == [url], response.url


OK = Status(200)
NOT_FOUND = Status(404)
NOT_ALLOWED = Status(405)
LOGIN = ToLogin()


def expect(default, **by_persona):
    """Every persona gets ``default`` unless named; anonymous goes to the login page.

    Whoever holds a patient's rating link has no account: unless named, they
    get what anonymous gets (tests/access/rating_link.py).
    """
    by_persona.setdefault("anonymous", LOGIN)
    by_persona.setdefault("rating_link", by_persona["anonymous"])
    assert set(by_persona) <= set(PERSONAS), by_persona
    return {persona: by_persona.get(persona, default) for persona in PERSONAS}


def clinic_a_clinicians(outcome):
    """A patient's or session's URL: the clinicians of clinic A in, everyone else 404."""
    return expect(NOT_FOUND, clinician=outcome, colleague=outcome)


def every_clinician(outcome):
    """A clinic-wide clinician page (list, new patient): outsider sees their own clinic's."""
    return expect(NOT_FOUND, clinician=outcome, colleague=outcome, outsider=outcome)


def everyone_signed_in(outcome):
    return expect(outcome)


def public(outcome):
    return expect(outcome, anonymous=outcome)


@dataclass(frozen=True)
class Row:
    name: str
    expected: dict
    kwargs: object = None  # world -> URL kwargs
    method: str = "get"
    data: dict = field(default_factory=dict)
    variant: str = ""

    @property
    def id(self):
        variant = f" {self.variant}" if self.variant else ""
        return f"{self.name}[{self.method.upper()}{variant}]"


def _session(code_of):
    return lambda w: {"code": code_of(w).code}


OPEN = _session(lambda w: w.open_session)
REVIEWING = _session(lambda w: w.reviewing_session)
COMPLETED = _session(lambda w: w.completed)
