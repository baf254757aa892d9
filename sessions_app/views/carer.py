"""What a carer reads: the summaries the patient chose to share, nothing more.

Consent is checked on every request (``carer_links_for_user``), so a
withdrawal takes effect on the carer's very next page.

Language: a carer reads each page in one language, never a mix
(``accounts.languages.user_language``). It is the interface language of their
account (``User.language``, which the invitation sets from the carer's language
and the carer may change on their profile); until they have one, the carer's
language the clinician recorded, else the patient's. The DIALOG wording of a
summary (areas, rating labels) follows the same language, so the words match
the interface around them.
"""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone, translation

from accounts.languages import user_language
from audit.models import AccessLog
from audit.services import log_access
from patients.name_index import sort_key
from patients.selectors import carer_links_for_user

from ..selectors import areas_for_carer, carer_shared_session, session_scores, sessions_for_carer


@login_required
def carer_home(request):
    """Per patient who shares with this carer: their finished sessions, newest first."""
    # By the patient's name, in Python: names are encrypted.
    links = sorted(
        carer_links_for_user(request.user),
        key=lambda link: (sort_key(link.patient.full_name), link.patient_id, link.pk),
    )
    by_patient = defaultdict(list)
    for session in sessions_for_carer(request.user):
        by_patient[session.patient_id].append(session)
    patients = []
    seen = set()
    for link in links:
        if link.patient_id in seen:
            continue
        seen.add(link.patient_id)
        shared = by_patient[link.patient_id]
        patients.append(
            {
                "patient": link.patient,
                "sessions": shared,
                "next_appointment": shared[0].next_appointment if shared else None,
            }
        )
    language = user_language(request.user, carers=links, fallback=translation.get_language)
    with translation.override(language):
        return render(
            request,
            "sessions_app/carer_home.html",
            {"patients": patients, "now": timezone.now()},
        )


@login_required
def carer_summary(request, code):
    """A shared summary, read-only: date, areas, agreed actions (the carer's own
    marked), next appointment; ratings only if the patient agreed to share them."""
    session, links = carer_shared_session(request.user, code)
    share_ratings = any(link.share_ratings for link in links)
    log_access(
        user=request.user,
        patient=session.patient,
        kind=AccessLog.Kind.CARER_SUMMARY,
        session=session,
        role=AccessLog.Role.CARER,
    )
    language = user_language(request.user, carers=links, fallback=translation.get_language)
    with translation.override(language):
        ratings = (
            list(session.ratings.select_related("domain").order_by("domain__position"))
            if share_ratings
            else []
        )
        context = {
            "session": session,
            "patient": session.patient,
            "areas": areas_for_carer(session),
            "my_carer_ids": {link.id for link in links},
            "ratings": ratings,
            "scores": session_scores(ratings) if share_ratings else None,
            "labels": {label.value: label.text for label in session.scale_version.labels.all()}
            if share_ratings
            else {},
        }
        # A carer belongs to no clinic: show times on the patient's clinic clock.
        with timezone.override(session.patient.clinic.time_zone):
            return render(request, "sessions_app/carer_summary.html", context)
