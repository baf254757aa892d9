"""Reads that decide what a user may see of sessions, and the data screens show.

Every query here is bounded: the number of queries a screen makes does not
grow with the patient's history.
"""

from collections import defaultdict

from django.http import Http404

from patients.selectors import carer_links_for_user, patients_visible_to

from .models import Action, ActionReview, DialogSession, Rating, SelectedArea
from .scores import scores_for


def session_get_for_user(user, code):
    """The session with this code if the user may see its patient; 404 otherwise."""
    try:
        return (
            DialogSession.objects.filter(patient__in=patients_visible_to(user))
            .select_related("patient", "patient__clinic", "clinician", "scale_version")
            .get(code=code)
        )
    except DialogSession.DoesNotExist as exc:
        raise Http404 from exc


def carer_shared_session(user, code):
    """``(session, links)``: a summary shared with ``user`` and their carer rows
    for its patient, each consenting; a 404 if consent ended between the reads."""
    session = session_get_for_carer(user, code)
    links = list(carer_links_for_user(user).filter(patient_id=session.patient_id))
    if not links:
        raise Http404
    return session, links


def session_get_for_carer(user, code):
    """A completed session summary a carer may read: only while the patient's
    consent to share stands. Anything else is a 404."""
    links = carer_links_for_user(user)
    try:
        return (
            DialogSession.objects.filter(
                patient__in=links.values("patient_id"),
                status=DialogSession.Status.COMPLETED,
            )
            .select_related("patient", "patient__clinic", "clinician", "scale_version")
            .get(code=code)
        )
    except DialogSession.DoesNotExist as exc:
        raise Http404 from exc


def sessions_for_carer(user):
    links = carer_links_for_user(user)
    return (
        DialogSession.objects.filter(
            patient__in=links.values("patient_id"), status=DialogSession.Status.COMPLETED
        )
        .select_related("patient")
        .order_by("patient__full_name", "-number")
    )


def session_open_for_patient(patient):
    return patient.sessions.filter(status=DialogSession.Status.IN_PROGRESS).first()


def session_previous(session):
    """The last completed session of the same patient before this one, or None."""
    return (
        DialogSession.objects.filter(
            patient_id=session.patient_id,
            status=DialogSession.Status.COMPLETED,
            number__lt=session.number,
        )
        .order_by("-number")
        .first()
    )


def carried_over_domain_ids(session):
    """Domains of areas chosen last time but not worked through, to offer first now.

    From the previous completed session: every area if it finished "ratings
    only", else the areas whose steps never came on screen. Matched by domain
    key, since a new scale version has new domain rows. One query, plus one
    for the previous session.
    """
    previous = session_previous(session)
    if previous is None:
        return []
    areas = SelectedArea.objects.filter(session=previous)
    if not previous.is_ratings_only:
        areas = areas.filter(steps_visited=0)
    keys = list(areas.order_by("position").values_list("domain__key", flat=True))
    by_key = dict(session.scale_version.domains.values_list("key", "id"))
    return [by_key[key] for key in keys if key in by_key]


def ratings_by_domain_key(session):
    """``{domain key: Rating}`` for one session."""
    return {
        rating.domain.key: rating
        for rating in Rating.objects.filter(session=session).select_related("domain")
    }


def session_scores(ratings):
    by_kind = defaultdict(list)
    for rating in ratings:
        by_kind[rating.domain.kind].append(rating.value)
    return scores_for(by_kind)


def rating_history(patient, *, until_number=None):
    """Every completed (and the given open) session's ratings, as chart series.

    Returns ``(sessions, {domain key: [value or None per session]})`` in two
    queries however long the history is.
    """
    sessions = list(
        DialogSession.objects.filter(patient=patient)
        .exclude(status=DialogSession.Status.ABANDONED)
        .order_by("number")
        .only("id", "number", "started_at", "status")
    )
    if until_number is not None:
        sessions = [s for s in sessions if s.number <= until_number]
    else:
        sessions = [s for s in sessions if s.status == DialogSession.Status.COMPLETED]
    index = {s.id: i for i, s in enumerate(sessions)}
    series = defaultdict(lambda: [None] * len(sessions))
    for session_id, key, value in Rating.objects.filter(session_id__in=index).values_list(
        "session_id", "domain__key", "value"
    ):
        series[key][index[session_id]] = value
    return sessions, dict(series)


def actions_to_review(session):
    """The actions agreed in the previous session, with this session's review of each."""
    previous = session_previous(session)
    if previous is None:
        return []
    actions = list(
        Action.objects.filter(area__session=previous)
        .select_related("area__domain")
        .order_by("area__position", "created_at", "id")
    )
    reviews = {
        review.action_id: review
        for review in ActionReview.objects.filter(action__in=actions, session=session)
    }
    for action in actions:
        action.this_review = reviews.get(action.id)
    return actions


def open_actions_for_patient(patient):
    """Agreed actions that no later session has reviewed as done or no longer relevant."""
    closed = [ActionReview.Status.DONE, ActionReview.Status.NOT_RELEVANT]
    return (
        Action.objects.filter(
            area__session__patient=patient, area__session__status=DialogSession.Status.COMPLETED
        )
        # A review made in an abandoned session does not close anything.
        .exclude(
            review__status__in=closed,
            review__session__status__in=[
                DialogSession.Status.IN_PROGRESS,
                DialogSession.Status.COMPLETED,
            ],
        )
        .select_related("area__domain", "area__session", "review")
        .order_by("-area__session__number", "created_at")
    )


def areas_for_session(session):
    return list(
        SelectedArea.objects.filter(session=session)
        .select_related("domain")
        .prefetch_related("notes", "actions")
        .order_by("position", "id")
    )


def areas_for_carer(session):
    """The chosen areas and their agreed actions, for a carer's summary. The
    step notes are not even read: they are the clinician's, never shared."""
    return list(
        SelectedArea.objects.filter(session=session)
        .select_related("domain")
        .prefetch_related("actions")
        .order_by("position", "id")
    )


def session_has_actions_to_review(session):
    """Whether the previous completed session agreed any action (one query)."""
    return Action.objects.filter(
        area__session__patient_id=session.patient_id,
        area__session__status=DialogSession.Status.COMPLETED,
        area__session__number=DialogSession.objects.filter(
            patient_id=session.patient_id,
            status=DialogSession.Status.COMPLETED,
            number__lt=session.number,
        )
        .order_by("-number")
        .values("number")[:1],
    ).exists()


def sessions_for_patient_page(patient):
    """Every session of ``patient``, newest first, with its clinician (one query).

    Reached only through a patient that ``patient_get_for_user`` returned, so it
    needs no boundary of its own.
    """
    return list(
        DialogSession.objects.filter(patient=patient)
        .select_related("clinician")
        .only(
            "id",
            "code",
            "number",
            "status",
            "started_at",
            "ended_at",
            "next_appointment",
            "attendance",
            "clinician__id",
            "clinician__full_name",
            "clinician__email",
        )
        .order_by("-number")
    )
