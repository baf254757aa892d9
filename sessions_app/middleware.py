"""While the tablet is handed to the patient, it shows the rating screens only.

Any other address (the patient list, another record, the admin) leads to the
hand-back screen, which needs the clinician's password.
"""

from django.shortcuts import redirect
from django.urls import reverse

HANDOVER_KEY = "dialogplus_handover"


def handover_start(request, session_code):
    request.session[HANDOVER_KEY] = session_code


def handover_code(request):
    return request.session.get(HANDOVER_KEY) if hasattr(request, "session") else None


def handover_end(request):
    request.session.pop(HANDOVER_KEY, None)


class HandoverMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = handover_code(request)
        if code and request.user.is_authenticated:
            allowed = (
                f"/sessions/{code}/rate/",
                f"/sessions/{code}/handback/",
                "/static/",
                "/healthz",
                reverse("accounts:logout"),
                # A tablet that locks while the patient holds it still unlocks
                # (back to the rating screen) or switches user.
                reverse("accounts:lock"),
                reverse("accounts:lock_now"),
            )
            if not request.path.startswith(allowed):
                return redirect("sessions:handback", code=code)
        return self.get_response(request)
