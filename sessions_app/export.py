"""The sessions app's part of a patient's copy of the record (records/export.py).

Every session with everything in it, in a fixed number of queries however
many sessions there are; the structure is documented in records/export.py.
"""

from django.db.models import Prefetch

from .models import Action, ActionReview, DialogSession, Rating, SelectedArea, StepNote


def _name(user):
    return str(user) if user is not None else None


def _sessions_queryset(patient):
    """Every session with everything in it, in nine queries however many there are."""
    # An action not done is reviewed again at each following session: all of them.
    reviews = ActionReview.objects.select_related("session").order_by("session__number")
    actions = (
        Action.objects.select_related("carer")
        .prefetch_related(Prefetch("reviews", reviews))
        .order_by("created_at", "id")
    )
    areas = (
        SelectedArea.objects.select_related("domain")
        .prefetch_related(
            Prefetch("notes", StepNote.objects.order_by("step")),
            Prefetch("actions", actions),
        )
        .order_by("position", "id")
    )
    return (
        DialogSession.objects.filter(patient=patient)
        .select_related("clinician", "scale_version")
        .prefetch_related(
            Prefetch(
                "ratings", Rating.objects.select_related("domain").order_by("domain__position")
            ),
            Prefetch("areas", areas),
            "scale_version__steps",
        )
        .order_by("number")
    )


def _action(action):
    return {
        "text": action.text,
        "owner": action.owner,
        "owner_label": action.get_owner_display(),
        "owner_name": action.owner_name,
        "carer": action.carer.full_name if action.carer_id else None,
        "due_date": action.due_date,
        "agreed_at": action.created_at,
        "reviews": [
            {
                "status": review.status,
                "status_label": review.get_status_display() if review.status else "",
                "comment": review.comment,
                "session_number": review.session.number,
            }
            for review in action.reviews.all()
        ],
    }


def _area(area, step_titles):
    notes = {note.step: note.text for note in area.notes.all()}
    return {
        "domain_key": area.domain.key,
        "domain": area.domain.short_name,
        "think_it_over": area.think_it_over,
        "steps": [
            {"number": number, "title": step_titles.get(number, ""), "note": notes.get(number, "")}
            for number in range(1, 5)
        ],
        "actions": [_action(action) for action in area.actions.all()],
    }


def _session(session):
    step_titles = {step.number: step.title for step in session.scale_version.steps.all()}
    return {
        "number": session.number,
        "code": session.code,
        "status": session.status,
        "status_label": session.get_status_display(),
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "clinician": _name(session.clinician),
        "attendance": session.attendance,
        "attendance_label": session.get_attendance_display(),
        "attendance_note": session.attendance_note,
        "next_appointment": session.next_appointment,
        "scale_version": session.scale_version.number,
        "ratings": [
            {
                "domain_key": rating.domain.key,
                "domain": rating.domain.short_name,
                "value": rating.value,
                "needs_help": rating.needs_help,
            }
            for rating in session.ratings.all()
        ],
        "chosen_areas": [_area(area, step_titles) for area in session.areas.all()],
    }


def sessions_export(patient):
    return [_session(session) for session in _sessions_queryset(patient)]
