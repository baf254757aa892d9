from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.forms import language_options
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


def privacy(request):
    """How patients' and carers' data is kept, in plain words; open to everyone.

    Signed in, the page names the person's clinic and its retention period;
    signed out it speaks of "your clinic".
    """
    from patients.selectors import carer_links_for_user

    membership = membership_for_user(request.user)
    clinic = membership.clinic if membership is not None else None
    if clinic is None and request.user.is_authenticated:
        link = carer_links_for_user(request.user).first()
        clinic = link.patient.clinic if link is not None else None
    return render(
        request,
        "privacy.html",
        {
            "clinic": clinic,
            "language_options": language_options(clinic.country if clinic else None),
        },
    )


def healthz(request):
    from .health import health_response

    return health_response()
