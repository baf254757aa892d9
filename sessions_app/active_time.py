"""The clinician's clock: the time a session spent with the patient.

``started_at``..``ended_at`` is the wall clock, breaks, a locked tablet and a
session resumed on another day included. The clock counts only activity: each
clinician request inside an open session (page views, autosaves, the rating
taps of a patient holding the tablet, and the heartbeat an open, visible, used
session page sends) adds the time since the session's last activity, if that
gap is at most ``DIALOGPLUS_SESSION_IDLE_GAP_SECONDS``. A longer gap (nobody
touching the tablet, the lock screen, the next day) adds nothing.

A gap is credited to the stage of the activity before it: the minutes between
opening the steps and moving on to the summary were spent on the steps.
"""

from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import STAGE_ORDER, DialogSession, SessionStageTime, Stage

# The stage a session screen belongs to, by URL name. Screens not listed
# (resume, abandon, the heartbeat) carry on the stage of the last activity.
STAGE_OF_URL = {
    "review_actions": Stage.REVIEW_ACTIONS,
    "review_action_save": Stage.REVIEW_ACTIONS,
    "rate": Stage.RATE,
    "rate_item": Stage.RATE,
    "rate_done": Stage.RATE,
    "handover": Stage.RATE,
    "handback": Stage.RATE,
    "review": Stage.REVIEW,
    "select": Stage.SELECT,
    "area": Stage.STEPS,
    "step": Stage.STEPS,
    "step_note": Stage.STEPS,
    "steps_seen": Stage.STEPS,
    "action_add": Stage.STEPS,
    "action_edit": Stage.STEPS,
    "action_remove": Stage.STEPS,
    "area_think": Stage.STEPS,
    "ratings_only": Stage.REVIEW,
    "summary": Stage.SUMMARY,
}


def stage_of_request(request):
    match = getattr(request, "resolver_match", None)
    return STAGE_OF_URL.get(match.url_name) if match else None


def counted_gap(previous, now):
    """Whole seconds between two activities that count as time with the patient."""
    if previous is None:
        return 0
    seconds = (now - previous).total_seconds()
    if seconds <= 0 or seconds > settings.DIALOGPLUS_SESSION_IDLE_GAP_SECONDS:
        return 0
    return round(seconds)


def activity_record(*, session, stage=None, now=None):
    """Note activity in ``session`` now, on ``stage`` (None: the same stage as
    before). Returns the seconds added; nothing happens on a closed session.

    One query, or two when time is added (three the first time on a stage). Two requests at once (an
    autosave and a heartbeat) cannot both add the same gap: the update only
    applies if the last activity is still the one this request read, and the
    request that loses adds nothing; the winner's time already covers it.
    """
    if not session.is_open:
        return 0
    now = timezone.now() if now is None else now
    previous = session.last_activity_at
    if previous is not None and now <= previous:
        return 0
    credited = session.last_activity_stage or session.stage
    stage = stage or credited
    gap = counted_gap(previous, now)
    # The total and the stage's share change together or not at all.
    with transaction.atomic() if gap else nullcontext():
        won = DialogSession.objects.filter(
            pk=session.pk, status=DialogSession.Status.IN_PROGRESS, last_activity_at=previous
        ).update(
            last_activity_at=now,
            last_activity_stage=stage,
            active_seconds=F("active_seconds") + gap,
        )
        if not won:
            return 0
        if gap:
            _stage_time_add(session, credited, gap)
    session.last_activity_at = now
    session.last_activity_stage = stage
    session.active_seconds += gap
    return gap


def _stage_time_add(session, stage, seconds):
    added = SessionStageTime.objects.filter(session=session, stage=stage).update(
        seconds=F("seconds") + seconds
    )
    if added:
        return
    # The first time on this stage. Another request may create the row first.
    try:
        with transaction.atomic():
            SessionStageTime.objects.create(session=session, stage=stage, seconds=seconds)
    except IntegrityError:
        SessionStageTime.objects.filter(session=session, stage=stage).update(
            seconds=F("seconds") + seconds
        )


def minutes(seconds):
    """Whole minutes for a summary, to the nearest minute."""
    return (seconds + 30) // 60


@dataclass(frozen=True)
class StageTime:
    stage: str
    label: str
    minutes: int


def stage_times(session):
    """Each stage that took time, in the order of a session (one query)."""
    rows = {
        row.stage: row.seconds
        for row in SessionStageTime.objects.filter(session=session, seconds__gt=0)
    }
    return [
        StageTime(stage, Stage(stage).label, minutes(rows[stage]))
        for stage in STAGE_ORDER
        if stage in rows
    ]
