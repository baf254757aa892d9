"""Writes and rules of a DIALOG+ session.

Every answer is saved the moment it is given. Saves that a tablet repeats
(a double tap, a resubmitted form, a retry after a dropped connection) change
nothing the second time; a save made from a screen that another device has
since changed raises ``EditConflictError`` with what is stored now.

Every change of a session runs in one transaction that first locks the
session's row and reads it again (``_lock_open``): the caller's copy may be
stale (loaded before another tablet finished the session), and a decision
taken on it would finish a session twice or reopen one. A closed session
refuses with ``SessionClosedError``. A view calls one service per request: the
service does the whole change, or nothing.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import EllipsisType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogplus.dates import check_due_date
from patients.selectors import carers_with_consent_for_patient
from scale.selectors import scale_current_for_clinic

from .models import (
    STAGE_ORDER,
    Action,
    ActionReview,
    DialogSession,
    Rating,
    SelectedArea,
    SessionHandover,
    Stage,
    StepNote,
)
from .selectors import action_is_reviewable, patient_has_actions_to_review
from .signals import session_finished

if TYPE_CHECKING:
    from accounts.models import User
    from patients.models import Carer, Patient

# The rows saved with a revision number (``_save_revisioned``).
Revisioned = TypeVar("Revisioned", Rating, ActionReview, StepNote, Action)

RECOMMENDED_AREAS = 3


class EditConflictError(Exception):
    """Another device saved this answer after the screen was loaded."""

    def __init__(self, current: Rating | ActionReview | StepNote | Action) -> None:
        super().__init__("edit conflict")
        self.current = current


class SessionClosedError(Exception):
    """The session is completed or abandoned: it takes no more answers.

    Views turn it into a calm message on the summary (views/common.py).
    """


@dataclass
class StartResult:
    session: DialogSession
    created: bool


def _ensure_open(session: DialogSession) -> None:
    if session.status != DialogSession.Status.IN_PROGRESS:
        raise SessionClosedError


def _copy_state(source: DialogSession, target: DialogSession) -> None:
    """Bring the caller's copy of a session up to what is stored."""
    if target is not source:
        for model_field in DialogSession._meta.concrete_fields:
            setattr(target, model_field.attname, getattr(source, model_field.attname))


def _lock_open(session: DialogSession) -> DialogSession:
    """Lock the session's row, read it again and refuse unless it is still open.

    Call inside ``transaction.atomic()``. Returns the fresh row: save changes on
    it (its history row then shows what is stored, not a stale copy), and the
    caller's copy is updated with what was read, also when it is refused.
    Two requests changing one session wait for each other here.
    """
    locked = DialogSession.objects.select_for_update().get(pk=session.pk)
    _copy_state(locked, session)
    _ensure_open(locked)
    return locked


def _save_locked(locked: DialogSession, session: DialogSession, fields: list[str]) -> None:
    locked.save(update_fields=[*fields, "updated_at"])
    _copy_state(locked, session)


def _ensure_area_of(session: DialogSession, area: SelectedArea) -> None:
    if area.session_id != session.id:
        raise ValidationError(_("That area belongs to another session."), code="foreign_area")


def _ensure_reviewable(session: DialogSession, action: Action) -> None:
    """Only the actions that come back for review in this session are reviewed here:
    earlier sessions' actions of this patient, not yet done or dropped."""
    owner = action.area.session
    if owner.patient_id != session.patient_id or owner.number >= session.number:
        raise ValidationError(_("That action belongs to another session."), code="foreign_action")
    if not action_is_reviewable(session, action):
        raise ValidationError(
            _("This action was already closed in an earlier session."), code="action_closed"
        )


def _save_revisioned(
    model: type[Revisioned],
    *,
    pk: int,
    expected_revision: int | None,
    values: dict[str, Any],
) -> Revisioned:
    """Save ``values`` on a revisioned row unless a newer revision is stored.

    Repeating the same save is not a conflict: if what is stored already equals
    what is sent, the stored row is returned unchanged.
    """
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=pk)
        unchanged = all(getattr(row, field) == value for field, value in values.items())
        if unchanged:
            return row
        if expected_revision is not None and expected_revision != row.revision:
            raise EditConflictError(row)
        for field, value in values.items():
            setattr(row, field, value)
        row.revision += 1
        row.save()
        return row


def session_start(
    *, patient: Patient, clinician: User, attendance: str, attendance_note: str = ""
) -> StartResult:
    """Start the patient's next session, or return the one already open.

    A double tap or a second tablet cannot open two: the database allows one
    open session per patient. The first session skips the review of actions.
    A pseudonymised patient (records/erasure.py) gets no new session.
    """
    if patient.pseudonymised_at is not None:
        raise ValidationError(
            _("This record is pseudonymised: no new session can be started."), code="pseudonymised"
        )
    existing = patient.sessions.filter(status=DialogSession.Status.IN_PROGRESS).first()
    if existing is not None:
        return StartResult(existing, False)
    # The clinic's scope's validated wording (the shared default if it has none).
    version = scale_current_for_clinic(patient.clinic)
    last_number = patient.sessions.order_by("-number").values_list("number", flat=True).first() or 0
    # The previous session's actions, and earlier ones not yet done (docs/dialog.md §2.1).
    has_actions_to_review = patient_has_actions_to_review(patient, last_number + 1)
    try:
        with transaction.atomic():
            session = DialogSession.objects.create(
                patient=patient,
                clinician=clinician,
                scale_version=version,
                number=last_number + 1,
                attendance=attendance,
                attendance_note=attendance_note if attendance == "other" else "",
                ask_help_question=patient.clinic.ask_help_question,
                started_at=timezone.now(),
                stage=Stage.REVIEW_ACTIONS if has_actions_to_review else Stage.RATE,
            )
            Rating.objects.bulk_create(
                Rating(session=session, domain=domain) for domain in version.domains.all()
            )
    except IntegrityError:
        existing = patient.sessions.filter(status=DialogSession.Status.IN_PROGRESS).first()
        if existing is None:
            raise
        return StartResult(existing, False)
    return StartResult(session, True)


def session_set_attendance(
    *, session: DialogSession, attendance: str, attendance_note: str = ""
) -> DialogSession:
    """Record who attended; can be corrected while the session is open."""
    with transaction.atomic():
        locked = _lock_open(session)
        _set_attendance(locked, attendance, attendance_note)
        _save_locked(locked, session, ["attendance", "attendance_note"])
    return session


def _set_attendance(locked: DialogSession, attendance: str, attendance_note: str) -> None:
    if attendance not in DialogSession.Attendance.values:
        raise ValidationError(_("Choose who attended."), code="invalid_attendance")
    locked.attendance = attendance
    locked.attendance_note = attendance_note if attendance == "other" else ""


def session_advance(*, session: DialogSession, stage: str) -> DialogSession:
    """Remember the furthest screen reached, so a resumed session opens there."""
    with transaction.atomic():
        _advance(_lock_open(session), session, stage)
    return session


def _advance(locked: DialogSession, session: DialogSession, stage: str) -> None:
    """Move the locked row on to ``stage``; a stage already passed changes nothing."""
    if STAGE_ORDER.index(stage) <= STAGE_ORDER.index(locked.stage):
        return
    locked.stage = stage
    fields = ["stage"]
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(Stage.REVIEW):
        # Fidelity: the comparison with last time was on screen.
        locked.comparison_shown = True
        fields.append("comparison_shown")
    _save_locked(locked, session, fields)


def validate_rating_value(value: object) -> int | None:
    """A rating is a whole number 1–7, or empty (skipped). Returns int or None."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Choose a rating from 1 to 7."), code="not_a_number") from exc
    if str(number) != str(value).strip() or not 1 <= number <= 7:
        raise ValidationError(_("Choose a rating from 1 to 7."), code="out_of_range")
    return number


def rating_waits_for_help(session: DialogSession, rating: Rating, *, skipped: bool) -> bool:
    """Whether an item stays on screen for the help question after this answer.

    A patient who would rather not rate an item may still want more help with
    it: a skip asks the help question too; skipping that as well moves on.
    """
    return (
        session.ask_help_question
        and rating.needs_help is None
        and (rating.value is not None or skipped)
    )


def rating_record(
    *,
    session: DialogSession,
    domain_id: int,
    value: int | str | None | EllipsisType = ...,
    needs_help: bool | None | EllipsisType = ...,
    expected_revision: int | None = None,
    advance_to: str | None = None,
    skipped: bool = False,
) -> Rating:
    """Save one answer of the scale: the rating, the help answer, or both.

    Pass ``value=None`` to skip (clear) an item; leave an argument out to keep
    what is stored. With ``advance_to``, an answer that completes the item (no
    help question waiting) also moves the session on to that stage, in the
    same transaction: the last item of the scale leads to the review.
    ``skipped`` says the answer is a first skip, after which the help question
    is still asked (``rating_waits_for_help``). Returns the saved Rating.
    """
    with transaction.atomic():
        locked = _lock_open(session)
        rating = Rating.objects.only("id").filter(session=locked, domain_id=domain_id).first()
        if rating is None:
            raise ValidationError(
                _("That item is not part of this session."), code="invalid_domain"
            )
        values = {}
        if value is not ...:
            values["value"] = validate_rating_value(value)
            if values["value"] is None:
                values["needs_help"] = None
        if needs_help is not ...:
            values["needs_help"] = needs_help
        saved = _save_revisioned(
            Rating, pk=rating.pk, expected_revision=expected_revision, values=values
        )
        if advance_to is not None and not rating_waits_for_help(locked, saved, skipped=skipped):
            _advance(locked, session, advance_to)
    return saved


def action_review_record(
    *,
    session: DialogSession,
    action: Action,
    status: str | EllipsisType = ...,
    comment: str | EllipsisType = ...,
    expected_revision: int | None = None,
) -> ActionReview:
    """Record what became of last session's action: status and an optional comment."""
    with transaction.atomic():
        locked = _lock_open(session)
        return _review_save(locked, action, status, comment, expected_revision)


def action_reviews_record(
    *, session: DialogSession, answers: Iterable[dict[str, Any]], advance_to: str | None = None
) -> dict[int, EditConflictError | ValidationError]:
    """Save the review page's plain form: several actions' answers at once.

    ``answers`` are dicts with ``action``, ``status``, ``comment`` and
    ``expected_revision``, each checked against its own action's revision like
    the autosave. Returns ``{action id: exception}`` of the answers refused
    (``EditConflictError`` or ``ValidationError``); the others are saved. With
    ``advance_to`` and nothing refused, the session moves on to that stage.
    """
    refused: dict[int, EditConflictError | ValidationError] = {}
    with transaction.atomic():
        locked = _lock_open(session)
        for answer in answers:
            try:
                with transaction.atomic():
                    _review_save(
                        locked,
                        answer["action"],
                        answer["status"],
                        answer["comment"],
                        answer["expected_revision"],
                    )
            except (EditConflictError, ValidationError) as exc:
                refused[answer["action"].id] = exc
        if advance_to is not None and not refused:
            _advance(locked, session, advance_to)
    return refused


def _review_save(
    session: DialogSession,
    action: Action,
    status: str | EllipsisType,
    comment: str | EllipsisType,
    expected_revision: int | None,
) -> ActionReview:
    _ensure_reviewable(session, action)
    valid = {choice.value for choice in ActionReview.Status}
    values = {}
    if status is not ...:
        if status not in valid:
            raise ValidationError(_("Choose one of the statuses shown."), code="invalid_status")
        values["status"] = status
    if comment is not ...:
        values["comment"] = comment.strip()
    # One review per action and session: an action not done comes back, and
    # is reviewed again, at each following session.
    review, _created = ActionReview.objects.get_or_create(action=action, session=session)
    return _save_revisioned(
        ActionReview, pk=review.pk, expected_revision=expected_revision, values=values
    )


def areas_select(
    *, session: DialogSession, domain_ids: Iterable[int | str], go_to_steps: bool = False
) -> list[SelectedArea]:
    """Make the chosen areas exactly ``domain_ids``, in that order; with
    ``go_to_steps``, the session moves on to the steps in the same transaction.

    Notes and actions of an area that stays chosen are kept; unchoosing an area
    that already has notes or actions is refused, so nothing typed is lost.
    """
    try:
        ids = list(dict.fromkeys(int(d) for d in domain_ids))
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Choose areas from the list."), code="invalid_area") from exc
    with transaction.atomic():
        locked = _lock_open(session)
        allowed = set(locked.scale_version.domains.values_list("id", flat=True))
        if not set(ids) <= allowed:
            raise ValidationError(_("Choose areas from the list."), code="invalid_area")
        current = {
            area.domain_id: area
            for area in SelectedArea.objects.select_for_update().filter(session=locked)
        }
        for domain_id, area in current.items():
            if domain_id in ids:
                continue
            has_content = area.actions.exists() or area.notes.exclude(text="").exists()
            if has_content:
                raise ValidationError(
                    _(
                        "“%(area)s” already has notes or actions, so it stays chosen. "
                        "Clear them first to remove it."
                    )
                    % {"area": area.domain.short_name},
                    code="area_has_content",
                )
            area.delete()
        for position, domain_id in enumerate(ids):
            existing = current.get(domain_id)
            if existing is None:
                SelectedArea.objects.create(session=locked, domain_id=domain_id, position=position)
            elif existing.position != position:
                existing.position = position
                existing.save(update_fields=["position"])
        if go_to_steps and ids:
            _advance(locked, session, Stage.STEPS)
    return list(session.areas.select_related("domain").order_by("position"))


def area_choose(
    *, session: DialogSession, domain_id: int | str, go_to_steps: bool = False
) -> SelectedArea:
    """Add one area to those chosen (tapped on the review) and return it; with
    ``go_to_steps``, the session moves on to the steps in the same transaction.

    An area already chosen is returned as it is, with its notes and actions.
    """
    try:
        domain_id = int(domain_id)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Choose areas from the list."), code="invalid_area") from exc
    with transaction.atomic():
        locked = _lock_open(session)
        if not locked.scale_version.domains.filter(pk=domain_id).exists():
            raise ValidationError(_("Choose areas from the list."), code="invalid_area")
        chosen = list(SelectedArea.objects.select_for_update().filter(session=locked))
        area = next((area for area in chosen if area.domain_id == domain_id), None)
        if area is None:
            position = max((area.position for area in chosen), default=-1) + 1
            area = SelectedArea.objects.create(
                session=locked, domain_id=domain_id, position=position
            )
        if go_to_steps:
            _advance(locked, session, Stage.STEPS)
    return area


def step_visit(*, area: SelectedArea, step: int) -> None:
    """Record that a step was on screen (fidelity: all four steps visited)."""
    with transaction.atomic():
        _lock_open(area.session)
        if step > area.steps_visited:
            SelectedArea.objects.filter(pk=area.pk, steps_visited__lt=step).update(
                steps_visited=step
            )
            area.steps_visited = step


def steps_seen(*, session: DialogSession, area: SelectedArea, seen: Iterable[int]) -> SelectedArea:
    """Record the steps whose section has been on screen on the one-page view.

    Sections report in any order (two may come on screen at once). A step
    counts as visited once every step before it has been seen too, so scrolling
    straight to step 4 does not claim steps 2 and 3.
    """
    _ensure_area_of(session, area)
    bits = sum(1 << (step - 1) for step in seen if 1 <= step <= 4)
    if area.steps_seen | bits == area.steps_seen:
        return area  # nothing new: the page reports a section each time it comes back
    with transaction.atomic():
        _lock_open(session)
        _steps_seen(area, bits)
    return area


def _steps_seen(area: SelectedArea, bits: int) -> None:
    row = SelectedArea.objects.select_for_update().get(pk=area.pk)
    row.steps_seen |= bits
    reached = 0
    while reached < 4 and row.steps_seen & (1 << reached):
        reached += 1
    row.steps_visited = max(row.steps_visited, reached)
    row.save(update_fields=["steps_seen", "steps_visited"])
    area.steps_seen, area.steps_visited = row.steps_seen, row.steps_visited


def step_note_save(
    *,
    session: DialogSession,
    area: SelectedArea,
    step: int,
    text: str,
    expected_revision: int | None = None,
    mark_seen: bool = False,
) -> StepNote:
    """Save the note of one step of one area.

    With ``mark_seen``, the step also counts as on screen (a note typed in a
    step shows it was), in the same transaction.
    """
    _ensure_area_of(session, area)
    if not 1 <= step <= 4:
        raise ValidationError(_("There are four steps."), code="invalid_step")
    with transaction.atomic():
        _lock_open(session)
        note = _note_save(area, step, text, expected_revision)
        if mark_seen and not area.steps_seen & (1 << (step - 1)):
            _steps_seen(area, 1 << (step - 1))
    return note


def _note_save(area: SelectedArea, step: int, text: str, expected_revision: int | None) -> StepNote:
    note, _created = StepNote.objects.get_or_create(area=area, step=step)
    return _save_revisioned(
        StepNote, pk=note.pk, expected_revision=expected_revision, values={"text": text}
    )


@dataclass
class StepSaveResult:
    """What the plain form of one step saved: the note, or the note stored now
    when it had changed on another device (``conflict``), and the reasons the
    action typed was not agreed."""

    note: StepNote | None = None
    conflict: bool = False
    action_errors: list = field(default_factory=list)


def step_save(
    *,
    session: DialogSession,
    area: SelectedArea,
    step: int,
    text: str | None = None,
    expected_revision: int | None = None,
    think_it_over: bool | None = None,
    action: dict[str, Any] | None = None,
) -> StepSaveResult:
    """The plain-form fallback of one step, in one transaction.

    Saves the note (``text``, unless None), and in step 4 "no action yet"
    (``think_it_over``, unless None) and the action typed (``action``: the
    keyword arguments of ``action_add`` but the session and area). A note
    changed on another device, or an action refused, is reported in the
    result; the rest is saved all the same, so nothing else typed is lost.
    """
    _ensure_area_of(session, area)
    if not 1 <= step <= 4:
        raise ValidationError(_("There are four steps."), code="invalid_step")
    result = StepSaveResult()
    with transaction.atomic():
        locked = _lock_open(session)
        if text is not None:
            try:
                with transaction.atomic():
                    result.note = _note_save(area, step, text, expected_revision)
            except EditConflictError as exc:
                # A conflict of a note carries the note stored now (``cast`` is for mypy).
                result.note, result.conflict = cast(StepNote, exc.current), True
        if think_it_over is not None:
            _think_it_over(area, think_it_over)
        if action is not None:
            try:
                with transaction.atomic():
                    _action_add(locked, area, **action)
            except ValidationError as exc:
                result.action_errors = exc.messages
    return result


def action_add(
    *,
    session: DialogSession,
    area: SelectedArea,
    text: str,
    owner: str,
    owner_name: str = "",
    due_date: datetime.date | None = None,
    client_token: uuid.UUID | str,
    carer: Carer | None = None,
) -> Action:
    """Agree an action. The form's token makes a resubmission add nothing twice.

    ``carer`` names one of the patient's carers as the owner (``owner`` is then
    "carer"): only while the patient's consent to share with them stands, since
    the carer reads their action in the shared summary. ``owner_name`` becomes
    the carer's name, so every list shows the same.
    """
    _ensure_area_of(session, area)
    with transaction.atomic():
        locked = _lock_open(session)
        return _action_add(
            locked,
            area,
            text=text,
            owner=owner,
            owner_name=owner_name,
            due_date=due_date,
            client_token=client_token,
            carer=carer,
        )


def _action_add(
    session: DialogSession,
    area: SelectedArea,
    *,
    text: str,
    owner: str,
    owner_name: str = "",
    due_date: datetime.date | None = None,
    client_token: uuid.UUID | str,
    carer: Carer | None = None,
) -> Action:
    _ensure_area_of(session, area)
    text = text.strip()
    if not text:
        raise ValidationError(_("Say what will be done."), code="empty_action")
    owner_name = _owner_name_checked(session, owner, owner_name, carer)
    if due_date is not None:
        check_due_date(due_date)
    action, _created = Action.objects.get_or_create(
        area=area,
        client_token=client_token,
        defaults={
            "text": text,
            "owner": owner,
            "owner_name": owner_name,
            "carer": carer,
            "due_date": due_date,
        },
    )
    if area.think_it_over:
        area.think_it_over = False
        area.save(update_fields=["think_it_over"])
    return action


def action_update(
    *,
    session: DialogSession,
    action: Action,
    text: str,
    owner: str,
    owner_name: str = "",
    carer: Carer | None = None,
    expected_revision: int | None = None,
) -> Action:
    """Change an agreed action in place (its words, who does it)."""
    if action.area.session_id != session.id:
        raise ValidationError(_("That action belongs to another session."), code="foreign_action")
    text = text.strip()
    if not text:
        raise ValidationError(_("Say what will be done."), code="empty_action")
    with transaction.atomic():
        locked = _lock_open(session)
        owner_name = _owner_name_checked(locked, owner, owner_name, carer)
        if owner in (Action.Owner.PATIENT, Action.Owner.CLINICIAN):
            owner_name = ""  # a name typed for someone else no longer applies
        return _save_revisioned(
            Action,
            pk=action.pk,
            expected_revision=expected_revision,
            values={"text": text, "owner": owner, "owner_name": owner_name, "carer": carer},
        )


def _owner_name_checked(
    session: DialogSession, owner: str, owner_name: str, carer: Carer | None
) -> str:
    """Validate who will do an action; returns the name to store."""
    if owner not in {choice.value for choice in Action.Owner}:
        raise ValidationError(_("Choose who will do it."), code="invalid_owner")
    if carer is not None:
        if owner != Action.Owner.CARER:
            raise ValidationError(_("Choose who will do it."), code="carer_not_owner")
        # Read again, not trusted from the caller: consent may be withdrawn by now.
        consenting = carers_with_consent_for_patient(session.patient).filter(pk=carer.pk)
        if carer.patient_id != session.patient_id or not consenting.exists():
            raise ValidationError(
                _("This carer can no longer be chosen. Choose who will do it."),
                code="carer_without_consent",
            )
        return carer.full_name
    if owner == Action.Owner.OTHER and not owner_name.strip():
        raise ValidationError(_("Name the person who will do it."), code="owner_name_required")
    return owner_name.strip()


def action_remove(*, session: DialogSession, action: Action) -> None:
    """Take back an action agreed in this session (a mistake); reviewed ones stay."""
    if action.area.session_id != session.id:
        raise ValidationError(_("That action belongs to another session."), code="foreign_action")
    with transaction.atomic():
        _lock_open(session)
        action.delete()


def area_think_it_over(
    *, session: DialogSession, area: SelectedArea, value: object
) -> SelectedArea:
    """Step 4 may end with no action: the patient will think about the options."""
    _ensure_area_of(session, area)
    with transaction.atomic():
        _lock_open(session)
        _think_it_over(area, value)
    return area


def _think_it_over(area: SelectedArea, value: object) -> None:
    if area.think_it_over != bool(value):
        area.think_it_over = bool(value)
        area.save(update_fields=["think_it_over"])


def session_finish(
    *,
    session: DialogSession,
    next_appointment: datetime.datetime | None = None,
    attendance: str | None = None,
    attendance_note: str = "",
) -> DialogSession:
    """Close the session: who attended (unless None), end time, next appointment.

    Only an open session is finished: one finished or abandoned meanwhile (a
    double tap, another tablet) raises ``SessionClosedError`` and nothing changes,
    so its end time is written once and its history never goes back to "in
    progress". reminders sets the appointment and the action reminders on
    ``signals.session_finished``.
    """
    now = timezone.now()
    if next_appointment is not None and next_appointment <= now:
        raise ValidationError(
            _("The next appointment must be in the future."), code="appointment_in_past"
        )
    with transaction.atomic():
        locked = _lock_open(session)
        _finish(locked, session, now, next_appointment, attendance, attendance_note)
    return session


def _finish(
    locked: DialogSession,
    session: DialogSession,
    now: datetime.datetime,
    next_appointment: datetime.datetime | None,
    attendance: str | None = None,
    attendance_note: str = "",
    fields: Iterable[str] = (),
) -> None:
    fields = [*fields, "status", "ended_at", "next_appointment", "stage"]
    if attendance is not None:
        _set_attendance(locked, attendance, attendance_note)
        fields += ["attendance", "attendance_note"]
    locked.status = DialogSession.Status.COMPLETED
    locked.ended_at = now
    # What was agreed at this session, as its summary and printout show it.
    locked.next_appointment = next_appointment
    locked.stage = Stage.SUMMARY
    _save_locked(locked, session, fields)
    # Inside the transaction: the appointment is written with the finish or not at all.
    session_finished.send(
        sender=DialogSession, session=locked, next_appointment=next_appointment, now=now
    )


def session_finish_ratings_only(
    *,
    session: DialogSession,
    reason: str,
    note: str = "",
    next_appointment: datetime.datetime | None = None,
) -> DialogSession:
    """Finish a short appointment with the ratings only: a completed session.

    Its ratings count in the charts and the next review like any other. The
    areas chosen but not worked through are offered first next time
    (selectors.carried_over_domain_ids).
    """
    if reason not in DialogSession.RatingsOnlyReason.values:
        raise ValidationError(_("Choose why it is ratings only today."), code="invalid_reason")
    now = timezone.now()
    if next_appointment is not None and next_appointment <= now:
        raise ValidationError(
            _("The next appointment must be in the future."), code="appointment_in_past"
        )
    with transaction.atomic():
        locked = _lock_open(session)
        if STAGE_ORDER.index(locked.stage) < STAGE_ORDER.index(Stage.REVIEW):
            raise ValidationError(
                _("Finish the rating and look at it together first."), code="not_reviewed"
            )
        locked.ratings_only_reason = reason
        locked.ratings_only_note = note.strip()[:300]
        _finish(
            locked,
            session,
            now,
            next_appointment,
            fields=["ratings_only_reason", "ratings_only_note"],
        )
    return session


def session_abandon(*, session: DialogSession) -> DialogSession:
    """Mark a session started by mistake as abandoned. It is kept, never deleted."""
    with transaction.atomic():
        locked = _lock_open(session)
        locked.status = DialogSession.Status.ABANDONED
        locked.ended_at = timezone.now()
        _save_locked(locked, session, ["status", "ended_at"])
    return session


def session_take_over(
    *, session: DialogSession, clinician: User, now: datetime.datetime | None = None
) -> DialogSession:
    """A colleague continues an open session as theirs (nurse rates,
    psychiatrist discusses). The session's history records the change and a
    SessionHandover row says who handed to whom, when and at which stage.
    The caller has checked that ``clinician`` may see the patient."""
    with transaction.atomic():
        locked = _lock_open(session)
        if locked.clinician_id == clinician.id:
            return session
        SessionHandover.objects.create(
            session=locked,
            from_clinician_id=locked.clinician_id,
            to_clinician=clinician,
            stage=locked.stage,
            created_at=timezone.now() if now is None else now,
        )
        # Saved from the fresh row, so the history row shows what is stored.
        locked.clinician = clinician
        _save_locked(locked, session, ["clinician"])
    return session
