"""Reads that decide what a user may see of sessions, and the data screens show.

Every query here is bounded: the number of queries a screen makes does not
grow with the patient's history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.selectors import membership_for_user
from patients.selectors import carer_links_for_user, patients_visible_to

from .models import (
    Action,
    ActionReview,
    DialogSession,
    Rating,
    RatingLink,
    SelectedArea,
    SessionHandover,
    Stage,
)
from .scores import Score, scores_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from patients.models import Carer, Patient
    from scale.models import Step


def session_get_for_user(user: User | AnonymousUser, code: str) -> DialogSession:
    """The session with this code if the user may see its patient; 404 otherwise."""
    try:
        return (
            DialogSession.objects.filter(patient__in=patients_visible_to(user))
            .select_related("patient", "patient__clinic", "clinician", "scale_version")
            .get(code=code)
        )
    except DialogSession.DoesNotExist as exc:
        raise Http404 from exc


def carer_shared_session(
    user: User | AnonymousUser, code: str
) -> tuple[DialogSession, list[Carer]]:
    """``(session, links)``: a summary shared with ``user`` and their carer rows
    for its patient, each consenting; a 404 if consent ended between the reads."""
    session = session_get_for_carer(user, code)
    links = list(carer_links_for_user(user).filter(patient_id=session.patient_id))
    if not links:
        raise Http404
    return session, links


def session_get_for_carer(user: User | AnonymousUser, code: str) -> DialogSession:
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


def sessions_for_carer(user: User | AnonymousUser) -> QuerySet[DialogSession]:
    links = carer_links_for_user(user)
    return (
        DialogSession.objects.filter(
            patient__in=links.values("patient_id"), status=DialogSession.Status.COMPLETED
        )
        .select_related("patient")
        .order_by("patient_id", "-number")
    )


def session_open_for_patient(patient: Patient) -> DialogSession | None:
    return patient.sessions.filter(status=DialogSession.Status.IN_PROGRESS).first()


def session_previous(session: DialogSession) -> DialogSession | None:
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


def carried_over_domain_ids(session: DialogSession) -> list[int]:
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


def session_scores(ratings: Iterable[Rating]) -> dict[str, Score]:
    by_kind: defaultdict[str, list[int | None]] = defaultdict(list)
    for rating in ratings:
        by_kind[rating.domain.kind].append(rating.value)
    return scores_for(by_kind)


def rating_history(
    patient: Patient, *, until_number: int | None = None
) -> tuple[list[DialogSession], dict[str, list[int | None]]]:
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
    series: defaultdict[str, list[int | None]] = defaultdict(lambda: [None] * len(sessions))
    for session_id, key, value in Rating.objects.filter(session_id__in=index).values_list(
        "session_id", "domain__key", "value"
    ):
        series[key][index[session_id]] = value
    return sessions, dict(series)


# The review statuses that end an action: it comes back no more.
CLOSED_REVIEW = (ActionReview.Status.DONE, ActionReview.Status.NOT_RELEVANT)


def _reviewable(patient_id: int, number: int, *, session_id: int | None = None) -> list[Action]:
    """The actions that come back for review at session ``number`` (three queries).

    An action agreed in an earlier completed session comes back while its
    latest review is "not done", "partly done" or without a status; one never
    reviewed comes back only from the last completed session. Reviews made in
    abandoned sessions do not count. Each action carries ``last_review`` (the
    latest earlier review, or None), ``times_reviewed`` and ``this_review``
    (the review made in session ``session_id``, or None).
    """
    actions = list(
        Action.objects.filter(
            area__session__patient_id=patient_id,
            area__session__status=DialogSession.Status.COMPLETED,
            area__session__number__lt=number,
        )
        .select_related("area__domain", "area__session")
        .order_by("-area__session__number", "area__position", "created_at", "id")
    )
    if not actions:
        return []
    last_number = (
        DialogSession.objects.filter(
            patient_id=patient_id, status=DialogSession.Status.COMPLETED, number__lt=number
        )
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    earlier: defaultdict[int, list[ActionReview]] = defaultdict(list)
    this: dict[int, ActionReview] = {}
    for review in (
        ActionReview.objects.filter(action__in=actions)
        .filter(
            models.Q(session_id=session_id)
            | models.Q(session__status=DialogSession.Status.COMPLETED, session__number__lt=number)
        )
        .select_related("session")
        .order_by("session__number")
    ):
        if review.session_id == session_id:
            this[review.action_id] = review
        else:
            earlier[review.action_id].append(review)
    result = []
    for action in actions:
        reviews = earlier.get(action.id, [])
        action.last_review = reviews[-1] if reviews else None
        action.times_reviewed = len(reviews)
        action.this_review = this.get(action.id)
        if action.last_review is None:
            if action.area.session.number == last_number:
                result.append(action)
        elif action.last_review.status not in CLOSED_REVIEW:
            result.append(action)
    # The oldest first: what has come back longest is talked about first.
    result.sort(key=lambda a: (a.area.session.number, a.area.position, a.created_at, a.id))
    return result


def actions_to_review(session: DialogSession) -> list[Action]:
    """The actions to review in ``session``, with this session's review of each."""
    return _reviewable(session.patient_id, session.number, session_id=session.id)


def action_is_reviewable(session: DialogSession, action: Action) -> bool:
    return any(a.id == action.id for a in actions_to_review(session))


def open_actions_for_patient(patient: Patient) -> list[Action]:
    """Agreed actions that no later session has reviewed as done or no longer relevant,
    each with ``latest_review`` (two queries)."""
    counting = [DialogSession.Status.IN_PROGRESS, DialogSession.Status.COMPLETED]
    # A review made in an abandoned session does not close anything.
    closed = ActionReview.objects.filter(
        status__in=CLOSED_REVIEW, session__status__in=counting
    ).values("action_id")
    actions = list(
        Action.objects.filter(
            area__session__patient=patient, area__session__status=DialogSession.Status.COMPLETED
        )
        .exclude(id__in=closed)
        .select_related("area__domain", "area__session")
        .prefetch_related(
            models.Prefetch(
                "reviews",
                queryset=ActionReview.objects.filter(session__status__in=counting)
                .exclude(status="")
                .order_by("session__number"),
            )
        )
        .order_by("-area__session__number", "created_at")
    )
    for action in actions:
        reviews = list(action.reviews.all())
        action.latest_review = reviews[-1] if reviews else None
    return actions


def areas_for_session(session: DialogSession) -> list[SelectedArea]:
    return list(
        SelectedArea.objects.filter(session=session)
        .select_related("domain")
        .prefetch_related("notes", "actions")
        .order_by("position", "id")
    )


def step_notes_by_area(
    session: DialogSession, areas: Iterable[SelectedArea]
) -> list[tuple[SelectedArea, list[tuple[Step, str]]]]:
    """``[(area, [(step, text)])]``: the notes typed in the four steps, in step
    order, for the areas that have any. ``areas`` come from ``areas_for_session``
    (notes prefetched), so this adds one query, for the step names."""
    steps = list(session.scale_version.steps.all())
    result = []
    for area in areas:
        texts = {note.step: note.text for note in area.notes.all() if note.text.strip()}
        notes = [(step, texts[step.number]) for step in steps if step.number in texts]
        if notes:
            result.append((area, notes))
    return result


def areas_for_carer(session: DialogSession) -> list[SelectedArea]:
    """The chosen areas and their agreed actions, for a carer's summary. The
    step notes are not even read: they are the clinician's, never shared."""
    return list(
        SelectedArea.objects.filter(session=session)
        .select_related("domain")
        .prefetch_related("actions")
        .order_by("position", "id")
    )


def session_has_actions_to_review(session: DialogSession) -> bool:
    """Whether any action comes back for review in ``session`` (three queries at most)."""
    return bool(_reviewable(session.patient_id, session.number, session_id=session.id))


def patient_has_actions_to_review(patient: Patient, number: int) -> bool:
    """Whether a session ``number`` about to start has actions to review."""
    return bool(_reviewable(patient.id, number))


def sessions_for_patient_page(patient: Patient) -> list[DialogSession]:
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


def session_contributors(
    session: DialogSession,
) -> list[tuple[User | None, SessionHandover | None]]:
    """Who worked on the session, in order: ``(clinician, handover or None)``,
    the first being who started it (one query)."""
    handovers = list(
        SessionHandover.objects.filter(session=session).select_related(
            "from_clinician", "to_clinician"
        )
    )
    if not handovers:
        return [(session.clinician, None)]
    return [(handovers[0].from_clinician, None)] + [(h.to_clinician, h) for h in handovers]


def sessions_waiting_for_discussion(user: User | AnonymousUser) -> list[DialogSession]:
    """Open sessions of the user's clinic whose ratings are in and wait for the
    discussion: rated by the patient's link, or rated in the clinic (a nurse)
    and moved on to the review. Oldest first, with the patient (one query)."""
    membership = membership_for_user(user)
    if membership is None:
        return []
    by_link = Exists(RatingLink.objects.filter(session=OuterRef("pk"), finished_at__isnull=False))
    return list(
        DialogSession.objects.filter(
            patient__in=patients_visible_to(user).filter(clinic_id=membership.clinic_id),
            status=DialogSession.Status.IN_PROGRESS,
        )
        .annotate(rated_by_link=by_link)
        .filter(
            Q(stage=Stage.REVIEW)
            | Q(stage__in=[Stage.REVIEW_ACTIONS, Stage.RATE], rated_by_link=True)
        )
        .select_related("patient")
        .order_by("updated_at", "id")
    )
