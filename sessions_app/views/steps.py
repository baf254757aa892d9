"""Stage 5: the four solution-focused steps, one page per chosen area.

The four steps are four sections of one page, in order: each with its prompts,
guidance and a note saved as it is typed. Step 4 offers the domain's common
actions as chips (one tap agrees one) and the agreed actions, each edited in
place. The last area's page ends with the summary and "Finish session".

Every part of the page is its own small form, so an autosave sends only its
own field and revision; without JavaScript each form still posts on its own.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogplus.text import without_controls
from patients.selectors import carers_with_consent_for_patient, sorted_carers
from scale.selectors import action_suggestions

from .. import services
from ..forms import (
    ActionEditForm,
    ActionForm,
    AttendanceForm,
    FinishForm,
    StepNoteForm,
    action_edit_form,
    suggested_next_appointment,
)
from ..models import Action, Stage
from ..selectors import areas_for_session, session_has_actions_to_review, session_scores
from .common import clinician_session_view, is_htmx, own_fields, posted_revision, stage_bar

STEPS = 4


def _blank_action_form(carers):
    # Most agreed actions are the patient's own: preselecting that saves a tap,
    # and the clinician changes it with one when someone else will act.
    return ActionForm(
        initial={"client_token": uuid.uuid4(), "owner": Action.Owner.PATIENT}, carers=carers
    )


def _area_or_404(areas, area_id):
    for index, area in enumerate(areas):
        if area.id == area_id:
            return index, area
    raise Http404


def step_url(session, area_id, step):
    """A step is a section of its area's page."""
    return reverse("sessions:step", args=[session.code, area_id, step]) + f"#step-{step}"


def _next_url(session, areas, index, step):
    if step < STEPS:
        return step_url(session, areas[index].id, step + 1)
    if index + 1 < len(areas):
        return reverse("sessions:area", args=[session.code, areas[index + 1].id])
    return reverse("sessions:summary", args=[session.code])


def _note_for(area, step):
    for note in area.notes.all():
        if note.step == step:
            return note
    return None


def _actions_context(session, area, carers, *, action_form=None, errors=(), refused=None):
    """What the actions part of step 4 shows (also the htmx answer after a change).

    ``refused`` is ``(action id, posted data)`` of an edit that was refused: that
    action shows what was posted, so a tap or typed name is not lost.
    """
    actions = list(Action.objects.filter(area=area).select_related("carer"))
    for action in actions:
        posted = refused[1] if refused is not None and refused[0] == action.id else None
        if posted is not None:
            # Shown as typed, less any control character the rule refused.
            posted = {
                key: without_controls(value) if isinstance(value, str) else value
                for key, value in posted.items()
            }
        action.form = action_edit_form(action, carers=carers, data=posted)
    agreed = {action.text for action in actions}
    suggestions = action_suggestions(session.patient.clinic, [area.domain.key])
    return {
        "session": session,
        "area": area,
        "actions": actions,
        # A suggestion already agreed is not offered twice.
        "suggestions": [s for s in suggestions.get(area.domain.key, []) if s.text not in agreed],
        "action_form": action_form or _blank_action_form(carers),
        "new_token": uuid.uuid4,
        "action_errors": errors,
    }


def _summary_context(session, areas):
    ratings = list(session.ratings.select_related("domain").order_by("domain__position"))
    return {
        "ratings": ratings,
        "scores": session_scores(ratings),
        "labels": {label.value: label.text for label in session.scale_version.labels.all()},
        "finish_form": FinishForm(
            initial={"next_appointment": suggested_next_appointment(session.patient)}
        ),
        "attendance_form": AttendanceForm(
            initial={"attendance": session.attendance, "attendance_note": session.attendance_note}
        ),
    }


def _render_area(request, session, areas, index, *, status=200, **extra):
    area = areas[index]
    carers = sorted_carers(carers_with_consent_for_patient(session.patient))
    is_last = index + 1 == len(areas)
    context = {
        "session": session,
        "areas": areas,
        "area": area,
        "area_index": index,
        "sections": [
            (step, _note_for(area, step.number)) for step in session.scale_version.steps.all()
        ],
        "next_area": areas[index + 1] if not is_last else None,
        "is_last": is_last,
        "errors": [],
        "posted_note": None,
        "posted_step": None,
        "stages": stage_bar(
            session, Stage.STEPS, has_review=session_has_actions_to_review(session), areas=areas
        ),
        **_actions_context(
            session,
            area,
            carers,
            action_form=extra.pop("action_form", None),
            refused=extra.pop("refused", None),
        ),
        **extra,
    }
    if is_last:
        context.update(_summary_context(session, areas))
    return render(request, "sessions_app/step.html", context, status=status)


def _note_key(area, step):
    """A note's fields may be named ``note-<key>`` and ``revision-<key>``: htmx
    posts the whole surrounding form, and a form may hold several notes."""
    return f"{area.id}-{step}"


@clinician_session_view()
def step(request, session, area_id, step):
    """One area's page with its four steps (``step`` is the section in view).

    A POST is the plain-form fallback of one step: it saves the note on the
    form and, in step 4, the typed action, then goes on to the next step.
    """
    if not 1 <= step <= STEPS:
        raise Http404
    areas = areas_for_session(session)
    index, area = _area_or_404(areas, area_id)
    if request.method != "POST":
        return _render_area(request, session, areas, index)

    errors = []
    status = 200
    carers = (
        sorted_carers(carers_with_consent_for_patient(session.patient)) if step == STEPS else []
    )
    text = request.POST.get("note")
    note_form = StepNoteForm({"note": text}) if text is not None else None
    action_form = ActionForm(request.POST, carers=carers) if step == STEPS else None
    # Every part is checked before anything is saved: a refused page stores nothing.
    if note_form is not None and not note_form.is_valid():
        status = 422  # the message shows beside the note (note_errors)
    if action_form is not None and not action_form.is_valid():
        status = 422
    elif (
        action_form is not None
        and not action_form.has_action
        and "add_another" not in request.POST
        and request.POST.get("think_it_over") != "on"
        and not Action.objects.filter(area=area).exists()
    ):
        errors.append(_("Agree at least one action, or tick “No action yet” to go on."))
        status = 422
    if status == 200:
        # The note, "no action yet" and the typed action: one change.
        result = services.step_save(
            session=session,
            area=area,
            step=step,
            text=text,
            expected_revision=posted_revision(request),
            think_it_over=request.POST.get("think_it_over") == "on" if step == STEPS else None,
            action=_action_fields(action_form)
            if action_form is not None and action_form.has_action
            else None,
        )
        if result.conflict:
            errors.append(
                _(
                    "This note was changed on another device. Both versions are shown: "
                    "keep yours by saving again."
                )
            )
            status = 409
        if result.action_errors:
            errors.extend(result.action_errors)
            status = 422
        elif action_form is not None and action_form.has_action:
            action_form = None
    if status == 200:
        if "add_another" in request.POST:
            return redirect(step_url(session, area.id, step))
        return redirect(_next_url(session, areas, index, step))
    areas = areas_for_session(session)
    index, area = _area_or_404(areas, area_id)
    return _render_area(
        request,
        session,
        areas,
        index,
        status=status,
        errors=errors,
        action_form=action_form,
        # What was typed stays in the box: beside the other device's note
        # (409), or with its message when the text rule refused it.
        posted_note=without_controls(text) if text is not None and status != 200 else None,
        note_conflict=status == 409,
        note_errors=note_form.errors.get("note") if note_form is not None else None,
        posted_step=step,
    )


def _action_fields(form):
    """A valid action form as the keyword arguments of ``services.action_add``."""
    return {
        "text": form.cleaned_data["text"],
        "owner": form.cleaned_data["owner"],
        "owner_name": form.cleaned_data["owner_name"],
        "due_date": form.cleaned_data.get("due_date"),
        "client_token": form.cleaned_data["client_token"],
        "carer": form.cleaned_data["carer"],
    }


def _add_from_form(session, area, form):
    return services.action_add(session=session, area=area, **_action_fields(form))


@require_POST
@clinician_session_view()
def step_note(request, session, area_id, step):
    """Autosave of a step's note while it is typed (htmx)."""
    if not 1 <= step <= STEPS:
        raise Http404
    area = get_object_or_404(session.areas, pk=area_id)
    context = {"session": session, "area": area, "step_number": step}
    key = _note_key(area, step)
    form = StepNoteForm({"note": own_fields(request.POST, key, ["note"]).get("note", "")})
    if not form.is_valid():
        return _note_refused(request, session, area, step, form)
    try:
        note = services.step_note_save(
            session=session,
            area=area,
            step=step,
            text=form.cleaned_data["note"],
            expected_revision=posted_revision(request, key),
            # A note typed in a step shows it was on screen (also without JavaScript).
            mark_seen=True,
        )
    except services.EditConflictError as exc:
        context.update(note=exc.current, conflict=True)
        status = 409
    else:
        context.update(note=note, saved=True)
        status = 200
    if not is_htmx(request):
        if status == 409:
            messages.error(request, _("This note was changed on another device. Check it."))
        return redirect(step_url(session, area.id, step))
    return render(request, "sessions_app/partials/note_status.html", context, status=status)


def _note_refused(request, session, area, step, form):
    """A note the text rule refused: nothing is saved, the typing stays.

    With htmx the box is not replaced, so the person's text stays in it and the
    message shows beside it; without, the page comes back with the text."""
    if is_htmx(request):
        context = {"session": session, "area": area, "step_number": step}
        context["errors"] = form.errors["note"]
        return render(request, "sessions_app/partials/note_status.html", context, status=422)
    areas = areas_for_session(session)
    index, _area = _area_or_404(areas, area.id)
    return _render_area(
        request,
        session,
        areas,
        index,
        status=422,
        posted_note=without_controls(form.data["note"]),
        note_errors=form.errors["note"],
        posted_step=step,
    )


@require_POST
@clinician_session_view()
def steps_seen(request, session, area_id):
    """The page reports the step sections that have been on screen (fidelity)."""
    area = get_object_or_404(session.areas, pk=area_id)
    seen = {int(v) for v in request.POST.get("seen", "").split(",") if v.isascii() and v.isdigit()}
    services.steps_seen(session=session, area=area, seen=seen)
    return HttpResponse(status=204)


def _actions_answer(request, session, area, carers, *, status=200, **extra):
    """After a change to the actions: the actions part again (htmx), or the page."""
    if is_htmx(request):
        context = _actions_context(session, area, carers, **extra)
        # The last area's page ends with the summary: its list of actions follows.
        areas = areas_for_session(session)
        context.update(areas=areas, oob_summary=areas[-1].id == area.id)
        return render(request, "sessions_app/partials/area_actions.html", context, status=status)
    if status == 200:
        return redirect(step_url(session, area.id, STEPS))
    areas = areas_for_session(session)
    index, _area = _area_or_404(areas, area.id)
    return _render_area(request, session, areas, index, status=status, **extra)


@require_POST
@clinician_session_view()
def action_add(request, session, area_id):
    """Agree an action: one tap on a suggested one, or a typed one."""
    area = get_object_or_404(session.areas.select_related("domain"), pk=area_id)
    carers = sorted_carers(carers_with_consent_for_patient(session.patient))
    form = ActionForm(request.POST, carers=carers)
    if form.is_valid() and form.has_action:
        try:
            _add_from_form(session, area, form)
        except ValidationError as exc:
            return _actions_answer(
                request, session, area, carers, status=422, action_form=form, errors=exc.messages
            )
        return _actions_answer(request, session, area, carers)
    if form.is_valid():
        form.add_error("text", _("Say what will be done."))
    return _actions_answer(request, session, area, carers, status=422, action_form=form)


@require_POST
@clinician_session_view()
def action_edit(request, session, action_id):
    """Change an agreed action in place: its words or, with one tap, who does it."""
    action = get_object_or_404(
        Action.objects.select_related("area__domain"), pk=action_id, area__session=session
    )
    area = action.area
    carers = sorted_carers(carers_with_consent_for_patient(session.patient))
    data = request.POST.copy()
    # Each action's fields are named per action, so one page can hold many.
    for field in ("text", "owner", "owner_name", "revision"):
        data.setdefault(field, data.get(f"{field}-{action.id}", ""))
    form = ActionEditForm(data, carers=carers)
    refused = (action.id, data)
    if not form.is_valid():
        errors = [m for field_errors in form.errors.values() for m in field_errors]
        return _actions_answer(
            request, session, area, carers, status=422, errors=errors, refused=refused
        )
    try:
        services.action_update(
            session=session,
            action=action,
            text=form.cleaned_data["text"],
            owner=form.cleaned_data["owner"],
            owner_name=form.cleaned_data["owner_name"],
            carer=form.cleaned_data["carer"],
            expected_revision=form.cleaned_data["revision"],
        )
    except services.EditConflictError:
        return _actions_answer(
            request,
            session,
            area,
            carers,
            status=409,
            errors=[_("This action was changed on another device. Check it and change it again.")],
        )
    except ValidationError as exc:
        return _actions_answer(
            request, session, area, carers, status=422, errors=exc.messages, refused=refused
        )
    return _actions_answer(request, session, area, carers)


@require_POST
@clinician_session_view()
def area_think(request, session, area_id):
    """Step 4 may end with no action yet: the patient will think about the options."""
    area = get_object_or_404(session.areas.select_related("domain"), pk=area_id)
    services.area_think_it_over(
        session=session, area=area, value=request.POST.get("think_it_over") == "on"
    )
    carers = sorted_carers(carers_with_consent_for_patient(session.patient))
    return _actions_answer(request, session, area, carers)


@require_POST
@clinician_session_view()
def action_remove(request, session, action_id):
    """Take back an action agreed by mistake in this session."""
    action = get_object_or_404(
        Action.objects.select_related("area"), pk=action_id, area__session=session
    )
    area_id = action.area_id
    services.action_remove(session=session, action=action)
    messages.success(request, _("The action was removed."))
    return redirect(step_url(session, area_id, STEPS))
