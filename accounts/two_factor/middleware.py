from django.urls import Resolver404, resolve

from accounts.middleware import _page_path, _redirect

from .services import two_factor_entry_url, two_factor_pending

# Answered while a second factor is owed: the pages that collect it, signing
# out, the lock screen, choosing a language (also the first-sign-in choice,
# which comes before the code so that setting up speaks the right language)
# and resetting a password (a public page; it never signs anyone in).
EXEMPT_URL_NAMES = frozenset(
    {
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:two_factor_enrolment_code",
        "accounts:two_factor_backup_codes",
        "accounts:logout",
        "accounts:lock",
        "accounts:lock_now",
        "accounts:language",
        "accounts:first_language",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
    }
)
EXEMPT_PREFIXES = ("/static/", "/healthz")


def _exempt(request):
    if request.path.startswith(EXEMPT_PREFIXES):
        return True
    try:
        return resolve(request.path_info).view_name in EXEMPT_URL_NAMES
    except Resolver404:
        return False


class TwoFactorMiddleware:
    """A sign-in that still owes its second factor sees only the pages that collect it.

    Placed after SessionLockMiddleware: a locked tablet asks for the password
    first, and unlocking it leaves the session as verified as it was.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not _exempt(request)
            and two_factor_pending(user)
        ):
            return _redirect(request, two_factor_entry_url(user, _page_path(request)))
        return self.get_response(request)
