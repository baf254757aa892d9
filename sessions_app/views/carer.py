"""What a carer reads: the summaries the patient chose to share, nothing more."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from patients.selectors import carer_links_for_user

from ..selectors import session_get_for_carer, sessions_for_carer
from .printing import summary_context


@login_required
def carer_home(request):
    return render(
        request,
        "sessions_app/carer_home.html",
        {"sessions": sessions_for_carer(request.user)},
    )


@login_required
def carer_summary(request, code):
    """A shared summary, read-only; ratings only if the patient agreed to share them.
    Consent is checked on every request, so a withdrawal takes effect at once."""
    session = session_get_for_carer(request.user, code)
    link = carer_links_for_user(request.user).filter(patient_id=session.patient_id).first()
    context = summary_context(session, include_ratings=bool(link and link.share_ratings))
    context["for_carer"] = True
    # A carer belongs to no clinic: show times on the patient's clinic clock.
    with timezone.override(session.patient.clinic.time_zone):
        return render(request, "sessions_app/print.html", context)
