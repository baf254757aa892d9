"""What this sign-in (the browser's session) has shown or may do in two-step sign-in.

The services (services.py) change people's devices and codes and take no
request; these read and write only the session of the request at hand.
"""

import time

import django_otp

from .services import (
    ENROLMENT_GRANT_SECONDS,
    ENROLMENT_GRANT_SESSION_KEY,
    NEW_CODES_SESSION_KEY,
    REPLACE_UNTIL_SESSION_KEY,
    REPLACE_WINDOW_SECONDS,
    enrolment_owed,
)


def session_verify(request, device):
    """Mark this sign-in as having passed the second factor with ``device``.

    The session gets a new key first: whoever knew the key of the half
    signed-in session does not share the verified one.
    """
    request.session.cycle_key()
    django_otp.login(request, device)


def new_codes_keep(request, codes):
    """Keep freshly made backup codes in the session until the person saved them."""
    request.session[NEW_CODES_SESSION_KEY] = list(codes)


def replace_allow(request):
    """A current code was given: a new app may be set up for a few minutes."""
    request.session[REPLACE_UNTIL_SESSION_KEY] = time.time() + REPLACE_WINDOW_SECONDS


def replace_allowed(request):
    return request.session.get(REPLACE_UNTIL_SESSION_KEY, 0) > time.time()


def enrolment_grant(request, user):
    """This browser showed more than ``user``'s password: it may set up an app for a while.

    Tied to ``user``: a grant left in a shared tablet's session is no use to
    whoever signs in there next.
    """
    request.session[ENROLMENT_GRANT_SESSION_KEY] = {
        "user": user.pk,
        "until": time.time() + ENROLMENT_GRANT_SECONDS,
    }


def enrolment_granted(request):
    grant = request.session.get(ENROLMENT_GRANT_SESSION_KEY) or {}
    return grant.get("user") == request.user.pk and grant.get("until", 0) > time.time()


def enrolment_allowed(request):
    """Whether this session may set up a first authenticator app.

    A fully signed-in person turning it on for themselves may (a carer, or
    anyone when two-step sign-in is not required); a sign-in that still owes
    the second factor needs an enrolment grant, or the password alone would
    pass two-step sign-in by setting up the attacker's own app.
    """
    return not enrolment_owed(request.user) or enrolment_granted(request)
