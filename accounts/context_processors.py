from django.conf import settings

from .selectors import membership_for_user


def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None}
    return {"membership": membership_for_user(user)}


def session_lock(request):
    """Seconds without input before the page covers itself (static/js/app.js)."""
    return {"idle_lock_seconds": settings.DIALOGPLUS_IDLE_LOCK_MINUTES * 60}
