"""Stage 5: the four solution-focused steps for each chosen area."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from patients.selectors import carers_with_consent_for_patient

from .. import services
from ..forms import ActionForm
from ..models import Action, Stage
from ..selectors import areas_for_session, session_has_actions_to_review
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


def _next_url(session, areas, index, step):
    if step < STEPS:
        return reverse("sessions:step", args=[session.code, areas[index].id, step + 1])
    if index + 1 < len(areas):
        return reverse("sessions:step", args=[session.code, areas[index + 1].id, 1])
    return reverse("sessions:summary", args=[session.code])


def _previous_url(session, areas, index, step):
    if step > 1:
        return reverse("sessions:step", args=[session.code, areas[index].id, step - 1])
    if index > 0:
        return reverse("sessions:step", args=[session.code, areas[index - 1].id, STEPS])
    return reverse("sessions:select", args=[session.code])


def _note_key(area, step):
    """A note's fields are named ``note-<key>`` and ``revision-<key>``: htmx posts the
    whole surrounding form, and a form may hold several notes."""
    return f"{area.id}-{step}"


def _note_for(area, step):
    for note in area.notes.all():
        if note.step == step:
            return note
    return None


@clinician_session_view()
def step(request, session, area_id, step):
    """One step of one area: prompts, guidance, a note; step 4 also the actions.

    "Continue" saves what is on the form (the plain-form fallback of autosave)
    and moves on; a typed action is added on the way, so one tap does both.
    """
    if not 1 <= step <= STEPS:
        raise Http404
    areas = areas_for_session(session)
    index, area = _area_or_404(areas, area_id)
    step_row = next(s for s in session.scale_version.steps.all() if s.number == step)
    note = _note_for(area, step)
    # The carers who may own an action are offered by name (one query, step 4 only).
    carers = list(carers_with_consent_for_patient(session.patient)) if step == STEPS else []
    action_form = _blank_action_form(carers) if step == STEPS else None
    errors = []
    status = 200

    if request.method == "POST":
        key = _note_key(area, step)
        text = own_fields(request.POST, key, ["note"]).get("note")
        if text is not None:
            try:
                note = services.step_note_save(
                    session=session,
                    area=area,
                    step=step,
                    text=text,
                    expected_revision=posted_revision(request, key),
                )
            except services.EditConflict as exc:
                note = exc.current
                errors.append(
                    _(
                        "This note was changed on another device. Both versions are shown: "
                        "keep yours by saving again."
                    )
                )
                status = 409
        if step == STEPS:
            services.area_think_it_over(
                session=session, area=area, value=request.POST.get("think_it_over") == "on"
            )
            action_form = ActionForm(request.POST, carers=carers)
            if action_form.is_valid():
                if action_form.has_action:
                    try:
                        services.action_add(
                            session=session,
                            area=area,
                            text=action_form.cleaned_data["text"],
                            owner=action_form.cleaned_data["owner"],
                            owner_name=action_form.cleaned_data["owner_name"],
                            due_date=action_form.cleaned_data["due_date"],
                            client_token=action_form.cleaned_data["client_token"],
                            carer=action_form.cleaned_data["carer"],
                        )
                    except ValidationError as exc:
                        errors.extend(exc.messages)
                        status = 422
                    else:
                        action_form = _blank_action_form(carers)
            else:
                status = 422
            if (
                status == 200
                and "add_another" not in request.POST
                and not area.think_it_over
                # Not area.actions: that is the prefetched list from before the add.
                and not Action.objects.filter(area=area).exists()
            ):
                errors.append(_("Agree at least one action, or tick “No action yet” to go on."))
                status = 422
        if status == 200:
            if "add_another" in request.POST:
                return redirect("sessions:step", code=session.code, area_id=area.id, step=step)
            return redirect(_next_url(session, areas, index, step))
        areas = areas_for_session(session)
        index, area = _area_or_404(areas, area_id)

    services.step_visit(area=area, step=step)
    return render(
        request,
        "sessions_app/step.html",
        {
            "session": session,
            "areas": areas,
            "area": area,
            "area_index": index,
            "step": step_row,
            "steps": session.scale_version.steps.all(),
            "note": note,
            "posted_note": text if status == 409 else None,
            "action_form": action_form,
            "actions": list(area.actions.all()) if step == STEPS else [],
            "errors": errors,
            "next_url": _next_url(session, areas, index, step),
            "previous_url": _previous_url(session, areas, index, step),
            "is_last": step == STEPS and index + 1 == len(areas),
            "stages": stage_bar(
                session, Stage.STEPS, has_review=session_has_actions_to_review(session)
            ),
        },
        status=status,
    )


@require_POST
@clinician_session_view()
def step_note(request, session, area_id, step):
    """Autosave of a step's note while it is typed (htmx)."""
    if not 1 <= step <= STEPS:
        raise Http404
    area = get_object_or_404(session.areas, pk=area_id)
    context = {"session": session, "area": area, "step_number": step}
    key = _note_key(area, step)
    try:
        note = services.step_note_save(
            session=session,
            area=area,
            step=step,
            text=own_fields(request.POST, key, ["note"]).get("note", ""),
            expected_revision=posted_revision(request, key),
        )
    except services.EditConflict as exc:
        context.update(note=exc.current, conflict=True)
        status = 409
    else:
        context.update(note=note, saved=True)
        status = 200
    if not is_htmx(request):
        if status == 409:
            messages.error(request, _("This note was changed on another device. Check it."))
        return redirect("sessions:step", code=session.code, area_id=area.id, step=step)
    return render(request, "sessions_app/partials/note_status.html", context, status=status)


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
    return redirect("sessions:step", code=session.code, area_id=area_id, step=STEPS)
