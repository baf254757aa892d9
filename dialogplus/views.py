from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from accounts.selectors import membership_for_user


@login_required
def home(request):
    """Send each person to their own start page."""
    membership = membership_for_user(request.user)
    if membership is not None and membership.role == membership.Role.CLINICIAN:
        return redirect("patients:list")
    if membership is not None and membership.role == membership.Role.ADMIN:
        return redirect("accounts:clinic")
    return redirect("sessions:carer_home")


def healthz(request):
    from .health import health_response

    return health_response()
