"""Two-step sign-in: who must use it, and the writes that set it up, check and remove it.

A person's second factor is one authenticator app (a confirmed ``TOTPDevice``)
plus one ``StaticDevice`` holding their one-time backup codes. "Two-step
sign-in is on" means the app is confirmed; backup codes alone never count.

A password alone never sets up the app that two-step sign-in then asks for:
a sign-in that owes its second factor and has none may set one up only with an
*enrolment grant* in its session, given by something beyond the password (the
invitation link, a password-reset link, or a set-up code from the clinic admin).
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.languages import user_language
from accounts.selectors import membership_for_user, user_has_two_factor

from .models import EnrolmentCode

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
# Digits only, so the numeric keypad that types the app's 6-digit code types
# them too; 10 digits tell them apart from an app code by length alone.
BACKUP_CODE_DIGITS = 10
# An app being set up is shown as a QR code; after this long unconfirmed, a
# fresh secret replaces it, so a QR code someone glimpsed long ago is useless.
PENDING_LIFETIME = timedelta(hours=1)
# After a current code, this long to scan and confirm a replacement app.
REPLACE_WINDOW_SECONDS = 10 * 60
# After the invitation link, a reset link or a set-up code, this long to set up an app.
ENROLMENT_GRANT_SECONDS = 60 * 60
# A clinic admin's set-up code: 8 digits (the numeric keypad), for a day, and
# gone after a few wrong tries, so guessing it is hopeless.
ENROLMENT_CODE_DIGITS = 8
ENROLMENT_CODE_LIFETIME = timedelta(hours=24)
ENROLMENT_CODE_TRIES = 5

# Session keys: new backup codes waiting to be shown once, and until when a
# replacement app may be set up.
NEW_CODES_SESSION_KEY = "dialogplus_2fa_new_codes"
REPLACE_UNTIL_SESSION_KEY = "dialogplus_2fa_replace_until"
ENROLMENT_GRANT_SESSION_KEY = "dialogplus_2fa_enrolment"

# Device names, seen only in Django's admin.
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


# --- who -----------------------------------------------------------------------------


def two_factor_required(user: User | AnonymousUser) -> bool:
    """Whether ``user`` must pass a second factor before using the app at all.

    Clinic staff (an active clinician or clinic-admin membership) and
    superusers, when DIALOGPLUS_REQUIRE_2FA is on. Carers may turn it on.
    """
    if not settings.DIALOGPLUS_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or membership_for_user(user) is not None


def session_is_verified(user: User | AnonymousUser) -> bool:
    """Whether this sign-in passed the second factor (django-otp's middleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def two_factor_pending(user: User | AnonymousUser) -> bool:
    """Signed in with the password, but a second factor is still owed.

    Owed when the person must use one, or turned it on for themselves.
    """
    if not user.is_authenticated or session_is_verified(user):
        return False
    return two_factor_required(user) or user_has_two_factor(user)


def url_with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def two_factor_entry_url(user: User, next_url: str | None = None) -> str:
    """The page that collects the owed second factor: its code, or setting it up."""
    on = user_has_two_factor(user)
    name = "accounts:two_factor_verify" if on else "accounts:two_factor_setup"
    return url_with_next(reverse(name), next_url)


def backup_codes_remaining(user: User) -> int:
    """How many unused backup codes ``user`` has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- checking a code -------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """What checking a typed code found.

    ``device`` accepted the code (None: it did not, or it was not checked);
    ``wait_seconds`` is how long before the next try is allowed; ``attempted``
    is False when the code was not even compared because of that wait.
    """

    device: object = None
    backup: bool = False
    attempted: bool = True
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None


def normalise_code(code: str | None) -> str:
    """A code as typed on a tablet: spaces and dashes dropped, letters in lower case."""
    return "".join((code or "").split()).replace("-", "").lower()


def _wait_seconds(device: Any) -> int:
    allowed, info = device.verify_is_allowed()
    if allowed or not info or not info.get("locked_until"):
        return 0
    return max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


def code_check(*, user: User, code: str | None, pending: TOTPDevice | None = None) -> CodeCheck:
    """Check a code ``user`` typed: their app's, or one of their backup codes.

    A code of the app's length (6 digits) is checked against the app, anything
    else against the backup codes, so each device's own throttling (django-otp:
    1, 2, 4, 8... seconds after successive failures) counts its own failures.
    An accepted app code cannot be used again (django-otp keeps the last time
    step); an accepted backup code is deleted. With ``pending`` (an app being
    set up), only that app's code counts.
    """
    token = normalise_code(code)
    with transaction.atomic():
        if pending is not None:
            device = (
                TOTPDevice.objects.select_for_update()
                .filter(pk=pending.pk, user=user, confirmed=False)
                .first()
            )
            backup = False
        else:
            device = (
                TOTPDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .order_by("-id")
                .first()
            )
            backup = device is None or not (token.isdigit() and len(token) == device.digits)
            if backup:
                device = (
                    StaticDevice.objects.select_for_update()
                    .filter(user=user, confirmed=True)
                    .first()
                )
        if device is None or not token:
            return CodeCheck(backup=backup)
        wait = _wait_seconds(device)
        if wait:
            return CodeCheck(backup=backup, attempted=False, wait_seconds=wait)
        if device.verify_token(token):
            return CodeCheck(device=device, backup=backup)
        return CodeCheck(backup=backup, wait_seconds=_wait_seconds(device))


# --- setting up ------------------------------------------------------------------------


def authenticator_pending(*, user: User) -> TOTPDevice:
    """The authenticator app being set up for ``user``, created on first call.

    The same one comes back until it is confirmed, so reloading the page
    shows the same QR code the person may already have scanned; after
    PENDING_LIFETIME it is replaced by a fresh secret.
    """
    stale = timezone.now() - PENDING_LIFETIME
    TOTPDevice.objects.filter(user=user, confirmed=False, created_at__lt=stale).delete()
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def authenticator_confirm(*, user: User, device: TOTPDevice) -> list[str]:
    """Make ``device`` (its code just checked) the user's one authenticator app.

    Any earlier app stops working, and so does an unused set-up code. Returns
    new backup codes when the person has none left (a first set-up), else an
    empty list: replacing the app keeps the codes already printed.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        EnrolmentCode.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        if backup_codes_remaining(user):
            return []
        return backup_codes_generate(user=user)


def _new_code() -> str:
    return f"{secrets.randbelow(10**BACKUP_CODE_DIGITS):0{BACKUP_CODE_DIGITS}d}"


def backup_codes_generate(*, user: User) -> list[str]:
    """Ten new one-time backup codes for ``user``; any earlier ones stop working.

    The one backup-code device is kept (a session verified with it stays
    verified); only its codes are replaced.
    """
    unique: set[str] = set()
    while len(unique) < BACKUP_CODE_COUNT:
        unique.add(_new_code())
    codes = sorted(unique)
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user).order_by("id").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.throttle_reset(commit=False)
        device.save()
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def format_backup_code(code: str) -> str:
    """``1234567890`` as ``12345 67890`` (a set-up code ``1234 5678``): easier to
    read out and to copy by hand."""
    middle = len(code) // 2
    return f"{code[:middle]} {code[middle:]}"


# --- who may set up an app ------------------------------------------------------------


def enrolment_owed(user: User | AnonymousUser) -> bool:
    """Mid-sign-in with the password only, owing a second factor that is not set up."""
    return two_factor_pending(user) and not user_has_two_factor(user)


def _enrolment_code_hash(code: str, user: User, secret: str | bytes | None = None) -> str:
    return salted_hmac(
        "dialogplus.two_factor.enrolment_code", f"{user.pk}:{code}", secret=secret
    ).hexdigest()


def enrolment_code_create(*, user: User, created_by: User | None) -> str:
    """A new set-up code for ``user``, returned once; any earlier one stops working.

    ``created_by`` is their clinic admin, or None from the server's command.

    Only its HMAC (keyed by SECRET_KEY) is stored: a database copy does not
    reveal it, and its 8 digits cannot be tried offline without the key.
    """
    code = f"{secrets.randbelow(10**ENROLMENT_CODE_DIGITS):0{ENROLMENT_CODE_DIGITS}d}"
    EnrolmentCode.objects.update_or_create(
        user=user,
        defaults={
            "code_hash": _enrolment_code_hash(code, user),
            "created_by": created_by,
            "created_at": timezone.now(),
            "expires_at": timezone.now() + ENROLMENT_CODE_LIFETIME,
            "failed_attempts": 0,
        },
    )
    logger.info(
        "Set-up code for user %s made by %s",
        user.pk,
        f"user {created_by.pk}" if created_by else "a server command",
    )
    return code


def enrolment_code_use(*, user: User, code: str | None) -> bool:
    """Check a set-up code ``user`` typed: whether it was right.

    A right code is used up (the caller then grants enrolment to the sign-in,
    ``session_state.enrolment_grant``); after ENROLMENT_CODE_TRIES wrong ones
    the code is gone too, and the admin makes a new one.
    """
    token = normalise_code(code)
    with transaction.atomic():
        stored = EnrolmentCode.objects.select_for_update().filter(user=user).first()
        if stored is None:
            return False
        if stored.expires_at <= timezone.now():
            stored.delete()
            return False
        secrets_to_try = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        if token.isdigit() and any(
            constant_time_compare(stored.code_hash, _enrolment_code_hash(token, user, secret))
            for secret in secrets_to_try
        ):
            stored.delete()
            return True
        stored.failed_attempts += 1
        if stored.failed_attempts >= ENROLMENT_CODE_TRIES:
            stored.delete()
        else:
            stored.save(update_fields=["failed_attempts"])
        return False


# --- removing --------------------------------------------------------------------------


def two_factor_remove(*, user: User) -> None:
    """Delete every second-factor device of ``user``: their app and backup codes.

    A session verified with one of them is no longer verified (django-otp's
    middleware finds no device), so if the person must use two-step sign-in
    they set it up again on their next page.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def two_factor_reset(*, user: User, reset_by: User) -> str:
    """A clinic admin clears a staff member's second factor (a lost or new phone).

    Returns a set-up code for the admin to hand over in person: with it the
    member sets up an app again after their password (a password alone would
    not do). The member is told by email: a reset they did not ask for is a
    sign that someone is trying to take over their account.
    """
    with transaction.atomic():
        two_factor_remove(user=user)
        code = enrolment_code_create(user=user, created_by=reset_by)
    logger.info("Two-step sign-in of user %s reset by user %s", user.pk, reset_by.pk)
    transaction.on_commit(lambda: _send_reset_notice(user=user, reset_by=reset_by))
    return code


def _send_reset_notice(*, user: User, reset_by: User) -> None:
    with translation.override(user_language(user)):
        membership = membership_for_user(reset_by)
        context = {
            "user": user,
            "reset_by": str(reset_by),
            "clinic": membership.clinic.name if membership else "",
        }
        subject = render_to_string("accounts/two_factor/email/reset_subject.txt", context)
        body = render_to_string("accounts/two_factor/email/reset_body.txt", context)
        try:
            send_mail(" ".join(subject.split()), body, None, [user.email])
        except Exception:
            # The reset stands; the admin saw it done. A lost notice is logged.
            logger.exception("Could not email user %s about their two-step sign-in reset", user.pk)
