from django.utils import translation

from .selectors import membership_for_user


class UserLanguageMiddleware:
    """The interface speaks the language stored on the user, not only in the browser.

    Until a user has picked one, their clinic's default language applies; an
    anonymous visitor gets what LocaleMiddleware negotiated (cookie or browser).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
            if not language:
                membership = membership_for_user(user)
                if membership is not None:
                    language = membership.clinic.default_language
            if language:
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
