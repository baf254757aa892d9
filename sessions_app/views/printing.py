"""The printable one-page summary, in the patient's language."""

from django.shortcuts import render
from django.utils import translation

from audit.models import AccessLog

from ..selectors import areas_for_session, session_scores
from .common import clinician_session_view


def summary_context(session, *, include_ratings=True, areas=None):
    """What a printed summary shows: never the clinician's step notes.

    ``areas``: the chosen areas if the caller read them already (a carer's copy
    reads them without the notes); the session's otherwise.
    """
    ratings = (
        list(session.ratings.select_related("domain").order_by("domain__position"))
        if include_ratings
        else []
    )
    return {
        "session": session,
        "patient": session.patient,
        "ratings": ratings,
        "scores": session_scores(ratings) if include_ratings else None,
        "labels": {label.value: label.text for label in session.scale_version.labels.all()},
        "areas": areas if areas is not None else areas_for_session(session),
    }


@clinician_session_view(open_only=False, logs=AccessLog.Kind.PRINT)
def print_summary(request, session):
    with translation.override(session.patient.language):
        context = summary_context(session)
        return render(request, "sessions_app/print.html", context)
