"""Two brakes on password guessing, beside django-axes' lockout per email and address.

* **Per address**: after ``SIGNIN_ADDRESS_LIMIT`` failed sign-ins from one
  address (on any accounts) within ``SIGNIN_ADDRESS_WINDOW``, that address waits
  for the rest of the window. It stops one machine trying many accounts.
* **Per account**: after ``SIGNIN_ACCOUNT_FREE_FAILURES`` failures on one
  email (from any addresses), each further try must wait a delay that doubles
  with every failure, up to ``SIGNIN_MAX_DELAY``. A try during the wait is
  refused without looking at the password and does not lengthen it. A guesser
  spread over many addresses gets a handful of tries an hour; the person is
  never shut out for longer than the cap after the last failure, so nobody can
  hold an account locked.

State lives in the cache (Redis in production), keyed by a hash of the address
or email; a successful sign-in clears the account's count.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

# An account's count is forgotten a day after its last failure.
ACCOUNT_MEMORY_SECONDS = 24 * 3600


def _key(kind, value):
    return f"signin:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:40]


def _account_delay(failures):
    free = settings.SIGNIN_ACCOUNT_FREE_FAILURES
    if failures < free:
        return 0
    cap = settings.SIGNIN_MAX_DELAY.total_seconds()
    return min(cap, 2 ** (failures - free))


def signin_wait(*, address, email, now=None):
    """Seconds this sign-in must wait (0: it may go ahead), and whether the address is why."""
    now = time.time() if now is None else now
    if address:
        state = cache.get(_key("address", address))
        limit = settings.SIGNIN_ADDRESS_LIMIT
        if state and state["count"] >= limit and now < state["until"]:
            return math.ceil(state["until"] - now), True
    if email:
        state = cache.get(_key("account", email))
        if state:
            wait = _account_delay(state["failures"]) - (now - state["last"])
            if wait > 0:
                return math.ceil(wait), False
    return 0, False


def signin_failed(*, address, email, now=None):
    """Count a wrong password for the address and the account."""
    now = time.time() if now is None else now
    window = settings.SIGNIN_ADDRESS_WINDOW.total_seconds()
    if address:
        key = _key("address", address)
        state = cache.get(key)
        if not state or now >= state["until"]:
            state = {"count": 0, "until": now + window}
        state["count"] += 1
        cache.set(key, state, timeout=math.ceil(state["until"] - now))
    if email:
        key = _key("account", email)
        state = cache.get(key) or {"failures": 0}
        state.update(failures=state["failures"] + 1, last=now)
        cache.set(key, state, timeout=ACCOUNT_MEMORY_SECONDS)


def signin_succeeded(*, email):
    """The person is in: their account's failures are forgotten."""
    if email:
        cache.delete(_key("account", email))
