from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext

from dialogplus.next_url import is_safe_next

from .languages import user_language
from .selectors import membership_for_user
from .session_lock import session_check


class UserLanguageMiddleware:
    """The interface speaks the signed-in person's language, not only the browser's.

    ``accounts.languages.user_language`` decides: their own choice, a carer's
    recorded language, their clinic's default, else what LocaleMiddleware
    negotiated (cookie or browser), which is all an anonymous visitor gets.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user_language(user, fallback=translation.get_language)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class ClinicTimezoneMiddleware:
    """Show times in the clinic's time zone; they are stored in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import timezone

        user = getattr(request, "user", None)
        membership = None
        if user is not None and user.is_authenticated:
            membership = membership_for_user(user)
        if membership is not None:
            timezone.activate(membership.clinic.time_zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


# Answered even when the session is locked: the lock screen itself, signing
# out ("Switch user"), the language picker of the lock screen, files, health.
LOCK_EXEMPT_URL_NAMES = ("accounts:lock", "accounts:lock_now", "accounts:logout")
LOCK_EXEMPT_PREFIXES = ("/static/", "/healthz")


def _redirect(request, url):
    """A redirect that htmx follows with a full page load, not a swapped fragment."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _page_path(request):
    """The page the person was on: for an htmx request, the page that sent it."""
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return request.get_full_path()
    # A form sent from a locked session is not replayed, and its address may
    # answer POST only: the person lands back on the page the form was on.
    header = "HX-Current-URL" if request.headers.get("HX-Request") else "Referer"
    page = request.headers.get(header, "")
    if is_safe_next(request, page):
        parts = urlsplit(page)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("home")


class SessionLockMiddleware:
    """Idle lock and absolute sign-in limit on shared tablets (accounts.session_lock).

    A locked session sees only the lock screen; one signed in for longer than
    DIALOGPLUS_SESSION_MAX_HOURS is signed out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if request.path.startswith(LOCK_EXEMPT_PREFIXES):
            return self.get_response(request)
        state = session_check(request)
        if state == "expired":
            logout(request)
            messages.info(
                request,
                gettext("Your sign-in ran out for safety. Please sign in again."),
            )
            return _redirect(request, reverse("accounts:login"))
        if state == "locked":
            exempt = {reverse(name) for name in LOCK_EXEMPT_URL_NAMES}
            if request.path not in exempt:
                target = reverse("accounts:lock")
                return _redirect(request, f"{target}?{urlencode({'next': _page_path(request)})}")
        return self.get_response(request)
