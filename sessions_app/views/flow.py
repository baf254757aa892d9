"""Session screens other than rating and the four steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import is_clinician
from audit.models import AccessLog
from dialogplus.text import text_ok
from patients.selectors import patient_get_for_user

from .. import services
from ..charts_data import review_rows
from ..forms import (
    ActionReviewForm,
    AttendanceForm,
    FinishForm,
    RatingsOnlyForm,
    suggested_next_appointment,
)
from ..models import STAGE_ORDER, DialogSession, Stage
from ..rating_links import ratings_done_by_link
from ..selectors import (
    actions_to_review,
    areas_for_session,
    carried_over_domain_ids,
    session_has_actions_to_review,
    session_scores,
    step_notes_by_area,
)
from .common import clinician_session_view, is_htmx, own_fields, stage_bar, stage_url


@login_required
@require_POST
def start(request, patient_code):
    """Start (or, after a double tap, resume) a session, recording who attended."""
    if not is_clinician(request.user):
        raise Http404
    patient = patient_get_for_user(request.user, patient_code)
    # The start buttons carry who attended; the note for "other" is asked on
    # the summary, where attendance can also be corrected.
    attendance = request.POST.get("attendance")
    if attendance not in DialogSession.Attendance.values:
        messages.error(request, _("Choose who attended."))
        return redirect("patients:detail", code=patient.code)
    note = request.POST.get("attendance_note", "").strip()
    try:
        result = services.session_start(
            patient=patient,
            clinician=request.user,
            attendance=attendance,
            # A note that breaks the text rule (not from our form: the start
            # buttons carry none) is dropped, never cut or stored with controls.
            attendance_note=note if text_ok(note, limit=200) else "",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("patients:detail", code=patient.code)
    if not result.created:
        messages.info(request, _("A session was already open for this patient; it continues here."))
    return redirect("sessions:resume", code=result.session.code)


@clinician_session_view(logs=AccessLog.Kind.SESSION)
def resume(request, session):
    """Open the session where it stopped.

    Every way into a session (the patient page, starting one) passes here, so
    the session is logged once as it opens, not at every tap or autosave. A
    colleague who is not the session's clinician is asked first to take it over.
    Opening changes nothing else: a session the patient rated by link opens
    on the end of the scale, whose button goes on to the review.
    """
    if session.clinician_id != request.user.id:
        # A colleague of the clinic continues it (nurse rates, psychiatrist
        # discusses): asked once, then the session is theirs.
        if request.method != "POST":
            return render(request, "sessions_app/take_over.html", {"session": session})
        services.session_take_over(session=session, clinician=request.user)
        messages.success(request, _("You continue this session as yours."))
    if session.stage == Stage.RATE and ratings_done_by_link(session):
        # The patient rated before the appointment: the discussion starts with
        # the review, once the clinician says so (a POST; the link closes then).
        return redirect("sessions:rate_done", code=session.code)
    return redirect(stage_url(session, session.stage))


@clinician_session_view()
def abandon(request, session):
    """Confirm, then mark a session started by mistake as abandoned (kept, not deleted)."""
    if request.method == "POST":
        services.session_abandon(session=session)
        messages.success(request, _("The session was marked as abandoned. It stays in the record."))
        return redirect("patients:detail", code=session.patient.code)
    return render(request, "sessions_app/abandon.html", {"session": session})


@clinician_session_view()
def review_actions(request, session):
    """Stage 1: what became of the actions agreed last time."""
    actions = actions_to_review(session)
    if not actions:
        # Nothing (left) to review: on to the rating; the stage moves with the
        # first answer there, not on this GET.
        return redirect(_after_action_review_url(session))
    errors = []
    status = 200
    if request.method == "POST":
        # The plain-form fallback: save every action's answers, then go on.
        errors, states = _save_reviews_from_post(request, session, actions)
        if not errors:
            return redirect(_after_action_review_url(session))
        for error in errors:
            messages.error(request, error)
        # What was typed stays on screen beside what is stored now.
        actions = actions_to_review(session)
        for action in actions:
            action.state = states.get(action.id)
        conflict = any(state["conflict"] for state in states.values())
        status = 409 if conflict else 422
    return render(
        request,
        "sessions_app/review_actions.html",
        {
            "session": session,
            "actions": actions,
            "statuses": services.ActionReview.Status.choices,
            "stages": stage_bar(session, Stage.REVIEW_ACTIONS),
        },
        status=status,
    )


def _next_stage_after_action_review(session):
    """On to the rating, or to the review when the patient rated by link."""
    return Stage.REVIEW if ratings_done_by_link(session) else Stage.RATE


def _after_action_review_url(session):
    return stage_url(session, _next_stage_after_action_review(session))


def _save_reviews_from_post(request, session, actions):
    """Save each action's posted answers, checked against that action's own
    revision like the autosave, and go on when all are saved (one service
    call). Returns ``(errors, {action id: state})``; a state holds what was
    posted for an action that was not saved."""
    errors = []
    states = {}
    answers = []
    for action in actions:
        data = own_fields(request.POST, action.id, ["status", "comment", "revision"])
        status = data.get("status", "")
        comment = data.get("comment", "")
        if not status and not comment:
            continue
        state = {"posted": {"status": status, "comment": comment}, "conflict": False}
        states[action.id] = state
        form = ActionReviewForm(data)
        if not form.is_valid():
            state["error"] = " ".join(m for messages_ in form.errors.values() for m in messages_)
            errors.append(state["error"])
            continue
        answers.append(
            {
                "action": action,
                "status": form.cleaned_data["status"] or ...,
                "comment": form.cleaned_data["comment"],
                "expected_revision": form.cleaned_data["revision"],
            }
        )
    refused = services.action_reviews_record(
        session=session,
        answers=answers,
        # Only when the whole page was right does the session move on.
        advance_to=None if errors else _next_stage_after_action_review(session),
    )
    for answer in answers:
        action = answer["action"]
        exc = refused.get(action.id)
        if exc is None:
            del states[action.id]
        elif isinstance(exc, services.EditConflictError):
            states[action.id]["conflict"] = True
            errors.append(
                _("“%(action)s” was changed on another device. Check it, then continue.")
                % {"action": action.text}
            )
        else:
            states[action.id]["error"] = " ".join(exc.messages)
            errors.extend(exc.messages)
    return errors, states


@require_POST
@clinician_session_view()
def review_action_save(request, session, action_id):
    """Autosave of one action's review (status tap or comment)."""
    # Only an action that is on this session's review list (with its history).
    action = next((a for a in actions_to_review(session) if a.id == action_id), None)
    if action is None:
        raise Http404
    # htmx posts the whole page's form: only this action's own fields count,
    # its revision above all (another action's would be a false conflict).
    data = own_fields(request.POST, action.id, ["status", "comment", "revision"])
    form = ActionReviewForm(data)
    status = 200
    conflict = None
    error = None
    if form.is_valid():
        fields = {}
        if data.get("status"):
            fields["status"] = form.cleaned_data["status"]
        if "comment" in data:
            fields["comment"] = form.cleaned_data["comment"]
        try:
            review = services.action_review_record(
                session=session,
                action=action,
                expected_revision=form.cleaned_data["revision"],
                **fields,
            )
        except services.EditConflictError as exc:
            review, conflict, status = exc.current, True, 409
        except ValidationError as exc:
            review, error, status = None, " ".join(exc.messages), 422
    else:
        review, status = None, 422
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    if review is None:
        review = services.ActionReview.objects.filter(action=action, session=session).first()
    action.this_review = review
    context = {
        "session": session,
        "action": action,
        "statuses": services.ActionReview.Status.choices,
        "conflict": conflict,
        "error": error,
        "posted": data,
    }
    if is_htmx(request):
        return render(request, "sessions_app/partials/action_review.html", context, status=status)
    if error or conflict:
        messages.error(request, error or _("Someone changed this on another device. Check it."))
    return redirect("sessions:review_actions", code=session.code)


@clinician_session_view()
def review(request, session):
    """Stage 3: each rating beside last time's, with the history and the scores.

    Tapping an area chooses it and opens its steps (one area is the usual
    short session); "Choose more than one area" opens the choosing page.
    """
    error = None
    if request.method == "POST":
        if "domain" not in request.POST:
            services.session_advance(session=session, stage=Stage.SELECT)
            return redirect("sessions:select", code=session.code)
        try:
            # Chooses the area and moves the session on to the steps.
            area = services.area_choose(
                session=session, domain_id=request.POST["domain"], go_to_steps=True
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("sessions:area", code=session.code, area_id=area.id)
    rows, scores, previous_scores, history_sessions = review_rows(session)
    carried = carried_over_domain_ids(session)
    for row in rows:
        row["carried_over"] = row["domain"].id in carried
    return render(
        request,
        "sessions_app/review.html",
        {
            "session": session,
            "rows": rows,
            "carried_rows": sorted(
                (row for row in rows if row["carried_over"]),
                key=lambda row: carried.index(row["domain"].id),
            ),
            "scores": scores,
            "previous_scores": previous_scores,
            "history_sessions": history_sessions,
            "error": error,
            "stages": stage_bar(
                session, Stage.REVIEW, has_review=session_has_actions_to_review(session)
            ),
        },
        status=422 if error else 200,
    )


@clinician_session_view()
def select(request, session):
    """Stage 4: the patient chooses the areas to talk about."""
    rows, _scores, _prev, _history = review_rows(session, with_history=False)
    chosen = [area.domain_id for area in areas_for_session(session)]
    error = None
    if request.method == "POST":
        picked = request.POST.getlist("domain")
        try:
            if not picked:
                raise ValidationError(_("Choose at least one area to talk about."))
            # Chooses the areas and moves the session on to the steps.
            areas = services.areas_select(session=session, domain_ids=picked, go_to_steps=True)
        except (ValidationError, ValueError) as exc:
            error = " ".join(getattr(exc, "messages", [_("Choose areas from the list.")]))
            chosen = [int(p) for p in picked if str(p).isdigit()]
        else:
            return redirect("sessions:area", code=session.code, area_id=areas[0].id)
    # Carried over from last time first, then the suggested ones: "more help:
    # yes" or a rating of 3 or less (docs/dialog.md §2.4).
    carried = carried_over_domain_ids(session)
    for row in rows:
        row["carried_over"] = row["domain"].id in carried
    rows.sort(
        key=lambda row: (
            carried.index(row["domain"].id) if row["carried_over"] else len(carried),
            not row["suggested"],
            row["domain"].position,
        )
    )
    return render(
        request,
        "sessions_app/select.html",
        {
            "session": session,
            "rows": rows,
            "chosen": chosen,
            "error": error,
            "limit": services.RECOMMENDED_AREAS,
            "stages": stage_bar(
                session, Stage.SELECT, has_review=session_has_actions_to_review(session)
            ),
        },
        status=422 if error else 200,
    )


@clinician_session_view()
def ratings_only(request, session):
    """Finish a short appointment with the ratings only, saying why.

    The session is completed, not abandoned: its ratings count in the charts
    and the next review, and areas chosen today are offered first next time.
    """
    if STAGE_ORDER.index(session.stage) < STAGE_ORDER.index(Stage.REVIEW):
        messages.info(request, _("Finish the rating and look at it together first."))
        return redirect(stage_url(session, session.stage))
    form = RatingsOnlyForm(
        initial={"next_appointment": suggested_next_appointment(session.patient)}
    )
    status = 200
    if request.method == "POST":
        form = RatingsOnlyForm(request.POST)
        if form.is_valid():
            try:
                services.session_finish_ratings_only(
                    session=session,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    next_appointment=form.cleaned_data["next_appointment"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Session finished with the ratings only, and saved."))
                return redirect("sessions:summary", code=session.code)
        status = 422
    return render(
        request,
        "sessions_app/ratings_only.html",
        {
            "session": session,
            "form": form,
            "areas": areas_for_session(session),
            "stages": stage_bar(
                session, Stage.REVIEW, has_review=session_has_actions_to_review(session)
            ),
        },
        status=status,
    )


@clinician_session_view(open_only=False, logs=AccessLog.Kind.SUMMARY)
def summary(request, session):
    """Stage 6: ratings, areas, actions and the next appointment; finishing closes it."""
    areas = areas_for_session(session)
    ratings = list(session.ratings.select_related("domain").order_by("domain__position"))
    finish_form = FinishForm(
        initial={"next_appointment": suggested_next_appointment(session.patient)}
    )
    attendance_form = AttendanceForm(
        initial={"attendance": session.attendance, "attendance_note": session.attendance_note}
    )
    status = 200
    if request.method == "POST" and session.is_open:
        finish_form = FinishForm(request.POST)
        attendance_form = AttendanceForm(request.POST)
        # Step 4 ends with an action, or with "no action yet" (docs/dialog.md §2.5).
        for area in areas:
            if not area.actions.all() and not area.think_it_over:
                finish_form.add_error(
                    None,
                    _(
                        "Agree at least one action for “%(area)s”, or tick “No action yet”. "
                        "Out of time? Finish with “Ratings only today”."
                    )
                    % {"area": area.domain.short_name},
                )
        if finish_form.is_valid() and attendance_form.is_valid():
            try:
                # Who attended, the end and the next appointment: one change.
                services.session_finish(
                    session=session,
                    next_appointment=finish_form.cleaned_data["next_appointment"],
                    attendance=attendance_form.cleaned_data["attendance"],
                    attendance_note=attendance_form.cleaned_data["attendance_note"],
                )
            except ValidationError as exc:
                finish_form.add_error(None, exc)
            else:
                messages.success(request, _("Session finished and saved."))
                return redirect("sessions:summary", code=session.code)
        status = 422
    elif request.method == "POST":
        messages.info(request, _("This session is closed, so nothing was changed."))
        return redirect("sessions:summary", code=session.code)
    return render(
        request,
        "sessions_app/summary.html",
        {
            "session": session,
            "areas": areas,
            "area_notes": step_notes_by_area(session, areas),
            "ratings": ratings,
            "scores": session_scores(ratings),
            "finish_form": finish_form,
            "attendance_form": attendance_form,
            "labels": {label.value: label.text for label in session.scale_version.labels.all()},
            "stages": stage_bar(
                session, Stage.SUMMARY, has_review=session_has_actions_to_review(session)
            )
            if session.is_open
            else None,
        },
        status=status,
    )
