"""A clinician's hand-back PIN: a few digits that take a handed-over tablet back.

Typing a long password in front of the patient every session is slow; a PIN
is quick. It is worth less than a password, so it opens one door only: the
hand-back screen, inside a session the clinician already signed in to with
their password (sessions_app.views.rating.handback), where five wrong tries
sign the session out. Sign-in and the lock screen never accept it. It is kept
as a password hash, never as the digits, and a clinic may switch PINs off.
"""

from django.contrib.auth.hashers import check_password, make_password
from django.utils.translation import gettext as _

PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 6


def pin_problem(pin):
    """Why ``pin`` may not be a PIN (a translated sentence), or None if it may."""
    if not (pin.isascii() and pin.isdigit() and PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH):
        return _("A PIN is %(min)s to %(max)s digits, nothing else.") % {
            "min": PIN_MIN_LENGTH,
            "max": PIN_MAX_LENGTH,
        }
    if len(set(pin)) == 1:
        return _("A PIN of one digit repeated is guessed first. Choose another.")
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    # 1234, 4321, 7890: counting up or down is guessed right after repeats.
    if steps in ({1}, {9}):
        return _(
            "A PIN of digits in a row (such as 1234 or 4321) is guessed first. Choose another."
        )
    return None


def pins_allowed(clinic):
    return clinic is not None and clinic.handback_pins_allowed


def pin_usable(user, clinic):
    """Whether the hand-back screen should ask ``user`` for their PIN."""
    return bool(user.handback_pin) and pins_allowed(clinic)


def pin_matches(user, clinic, pin):
    """Whether ``pin`` is ``user``'s own PIN and their clinic accepts PINs."""
    return pin_usable(user, clinic) and check_password(pin, user.handback_pin)


def pin_set(*, user, pin):
    """Keep a new PIN (valid: see ``pin_problem``) as a hash."""
    user.handback_pin = make_password(pin)
    user.save(update_fields=["handback_pin"])


def pin_remove(*, user):
    user.handback_pin = ""
    user.save(update_fields=["handback_pin"])
