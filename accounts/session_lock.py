"""Shared tablets: the idle lock and the absolute sign-in limit, kept in the session.

Times are ``time.time()`` seconds. ``last_seen`` is written at most once a
minute, so an ordinary page view does not save the session; the idle lock
therefore starts up to a minute early, never late.
"""

import time

from django.conf import settings

SIGNED_IN_AT = "dialogplus_signed_in_at"
LAST_SEEN = "dialogplus_last_seen"
LOCKED = "dialogplus_locked"
UNLOCK_FAILURES = "dialogplus_unlock_failures"
# Wrong passwords on the lock screen before the session is signed out.
UNLOCK_FAILURE_LIMIT = 5
# How stale ``last_seen`` may get before a request writes it again.
LAST_SEEN_RESOLUTION = 60


def session_start(request):
    """A fresh sign-in: both clocks start now, unlocked."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[LOCKED] = False
    request.session[UNLOCK_FAILURES] = 0


def session_is_locked(request):
    return bool(request.session.get(LOCKED))


def session_lock(request):
    """Lock the signed-in session at once: every page now asks for the password."""
    request.session[LOCKED] = True
    request.session[UNLOCK_FAILURES] = 0


def session_unlock(request):
    """The right password was given: carry on where the person was."""
    request.session[LOCKED] = False
    request.session[UNLOCK_FAILURES] = 0
    request.session[LAST_SEEN] = time.time()


def session_unlock_failed(request):
    """Count a wrong password on the lock screen; True when the limit is reached."""
    failures = request.session.get(UNLOCK_FAILURES, 0) + 1
    request.session[UNLOCK_FAILURES] = failures
    return failures >= UNLOCK_FAILURE_LIMIT


def session_check(request, now=None):
    """Start, refresh or end the session's clock; returns "expired", "locked" or "ok"."""
    now = time.time() if now is None else now
    session = request.session
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        # The first request after signing in starts both clocks.
        session[SIGNED_IN_AT] = now
        session[LAST_SEEN] = now
        return "ok"
    if now - signed_in_at >= settings.DIALOGPLUS_SESSION_MAX_HOURS * 3600:
        return "expired"
    if session.get(LOCKED):
        return "locked"
    last_seen = session.get(LAST_SEEN, signed_in_at)
    if now - last_seen >= settings.DIALOGPLUS_IDLE_LOCK_MINUTES * 60:
        session_lock(request)
        return "locked"
    if now - last_seen >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN] = now
    return "ok"
