"""Sign-in lockout (django-axes): who is locked out, and the admin's unlock."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def username_from_request(request, credentials=None):
    """The email axes counts failures for, in lower case as accounts store it.

    The sign-in form lower-cases the address before it authenticates; the same
    here means "Ana@x" and "ana@x" share one count.
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    username = (username or "").strip().lower()
    return username or None


def locked_out_emails(emails):
    """The subset of ``emails`` locked out from at least one address right now."""
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(emails),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=threshold,
        ).values_list("username", flat=True)
    )


def lockout_reset(*, user):
    """Forget every failed sign-in of ``user``, from every address: they may try again.

    Returns how many attempt records were removed.
    """
    return reset(username=user.email.lower())


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: translated, with the cool-off in minutes."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(
        request,
        "accounts/locked_out.html",
        {"cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
