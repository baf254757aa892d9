"""The session clock's heartbeat: a conversation goes on for minutes without a tap."""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .common import clinician_session_view


@require_POST
@clinician_session_view(open_only=False)
def heartbeat(request, session):
    """An open session page is visible, unlocked and in use (static/js/app.js).

    The decorator has already moved the clock; on a closed session it did
    nothing. The answer updates the minutes in the session head.
    """
    return JsonResponse({"minutes": session.active_minutes, "open": session.is_open})
