"""Access-matrix rows for the patient's rating link, and its persona.

The `rating_link` persona (tests/conftest.py) is nobody signed in who holds
`rated_patient`'s rating link and has opened it. Everywhere else it gets what
anonymous gets (``expect`` in tests/access/common.py): the link opens nothing
but its own rating stage. The link's own pages answer whoever holds the token,
as the opt-out link does; a guessed, revoked, expired or used-up token opens
nothing for anyone.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from sessions_app import services
from sessions_app.models import Stage
from sessions_app.rating_links import rating_link_create
from tests.access.common import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    RedirectTo,
    Row,
    clinic_a_clinicians,
    expect,
    public,
)


@pytest.fixture(autouse=True)
def no_wrong_link_tries_counted():
    # Wrong tokens are counted per address in the cache: each test starts afresh.
    cache.clear()


def _token_of(new):
    return urlsplit(new.url).path.strip("/").split("/")[-1]


@pytest.fixture
def rating_link_token(rating_link_new):
    return _token_of(rating_link_new)


@pytest.fixture
def revoked_link_token(rated_patient, clinician, rating_link_new):
    # Replaced by a newer link of the same session.
    rating_link_create(patient=rated_patient, created_by=clinician)
    return _token_of(rating_link_new)


@pytest.fixture
def expired_link_token(rating_link_new):
    link = rating_link_new.link
    link.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    link.save(update_fields=["expires_at"])
    return _token_of(rating_link_new)


@pytest.fixture
def used_link_token(rating_link_new):
    # The clinician has moved the session on to the review of the ratings.
    services.session_advance(session=rating_link_new.link.session, stage=Stage.REVIEW)
    return _token_of(rating_link_new)


def _token(fixture):
    return lambda w: {"token": getattr(w, fixture)}


def _item(fixture):
    return lambda w: {"token": getattr(w, fixture), "position": 1}


GUESSED = "AAAAAAAAAAAAAAAAAAAAAA"
REFUSED = ("revoked_link_token", "expired_link_token", "used_link_token")
RATED = lambda w: {"patient_code": w.rated_patient.code}  # noqa: E731
RATED_SESSION = lambda w: {"code": w.rating_link_new.link.session.code}  # noqa: E731

ROWS = [
    # --- the link's own pages: whoever holds the token
    Row(
        "rating_link:start",
        public(RedirectTo("rating_link:item")),
        kwargs=_token("rating_link_token"),
    ),
    Row("rating_link:item", public(OK), kwargs=_item("rating_link_token")),
    Row(
        "rating_link:item",
        public(RedirectTo("rating_link:item")),
        kwargs=_item("rating_link_token"),
        method="post",
        data={"value": "5", "revision": "0"},
    ),
    Row("rating_link:done", public(OK), kwargs=_token("rating_link_token")),
    # --- a guessed token opens nothing
    Row(
        "rating_link:start",
        public(NOT_FOUND),
        kwargs=lambda w: {"token": GUESSED},
        variant="guessed",
    ),
    Row(
        "rating_link:item",
        public(NOT_FOUND),
        kwargs=lambda w: {"token": GUESSED, "position": 1},
        method="post",
        data={"value": "5"},
        variant="guessed",
    ),
    Row(
        "rating_link:done",
        public(NOT_FOUND),
        kwargs=lambda w: {"token": GUESSED},
        variant="guessed",
    ),
    # --- nor does a revoked, expired or used-up one
    *[
        Row(name, public(NOT_FOUND), kwargs=kwargs(fixture), variant=fixture)
        for fixture in REFUSED
        for name, kwargs in (
            ("rating_link:start", _token),
            ("rating_link:item", _item),
            ("rating_link:done", _token),
        )
    ],
    # --- the clinician's side: making a link (shown once) and stopping it
    Row("sessions:link_create", clinic_a_clinicians(OK), kwargs=RATED, method="post"),
    Row(
        "sessions:link_create",
        expect(NOT_FOUND, clinician=NOT_ALLOWED, colleague=NOT_ALLOWED, outsider=NOT_ALLOWED),
        kwargs=RATED,
    ),
    Row(
        "sessions:link_revoke",
        clinic_a_clinicians(RedirectTo("patients:detail")),
        kwargs=RATED_SESSION,
        method="post",
    ),
    Row("sessions:link_revoke", clinic_a_clinicians(NOT_ALLOWED), kwargs=RATED_SESSION),
]
