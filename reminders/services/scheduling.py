"""Appointments and the reminder rows they need.

Everything here writes rows only (never the broker), so saving works with
Redis down; the dispatcher finds the rows when it runs again. Rows are
(re)written after the commit that changed what they depend on, and the unique
keys make writing them twice harmless.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from dialogplus.dates import check_appointment_time
from patients.models import Patient
from sessions_app.models import Action, DialogSession

from ..models import Appointment, Channel, Reminder
from .recipients import carer_channel, patient_channel
from .timing import agenda_due_at, local_midnight, localize, reminder_due_at

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

logger = logging.getLogger(__name__)

KIND = Reminder.Kind
STATUS = Reminder.Status

# Reminders for an action go out on its due day, at this local hour.
ACTION_REMINDER_HOUR = 9
# Today's agenda email is still written this long after its hour (a scheduler
# that was down at 07:00); appointments booked later in the day are on the
# agenda page, not in a second email.
AGENDA_LATE = datetime.timedelta(hours=4)


# --- appointments --------------------------------------------------------------------


def _schedule_after_commit(appointment: Appointment) -> None:
    # Rows only, after the commit; a failure there is logged, never undoes the save.
    transaction.on_commit(
        lambda: reminders_schedule_for_appointment(appointment=appointment), robust=True
    )


def appointment_upcoming(
    patient: Patient, *, now: datetime.datetime | None = None
) -> Appointment | None:
    """The patient's upcoming appointment (not cancelled), or None."""
    now = now or timezone.now()
    return (
        Appointment.objects.filter(patient=patient, cancelled_at__isnull=True, starts_at__gt=now)
        .order_by("starts_at")
        .first()
    )


def appointment_set(
    *,
    patient: Patient,
    when: datetime.datetime,
    by: User | None = None,
    session: DialogSession | None = None,
    send_rating_link: bool | None = None,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Make ``when`` the patient's upcoming appointment; returns it.

    The appointment it replaces, if any, is cancelled (kept, so the moves can
    be followed), and the reminders of both are brought in line after the
    commit. Setting the same time again changes nothing (a double tap).
    Called at the end of a session (``session`` is where it was agreed) and
    from the patient page, also before a first session. ``send_rating_link``:
    whether the patient's reminder carries a link to rate before the
    appointment (None: as it was, and yes for a new appointment).
    """
    now = now or timezone.now()
    check_appointment_time(when, now=now)
    with transaction.atomic():
        # One writer per patient: two tablets setting the appointment at once
        # end with one upcoming appointment, not two.
        Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk").first()
        upcoming = list(
            Appointment.objects.select_for_update().filter(
                patient=patient, cancelled_at__isnull=True, starts_at__gt=now
            )
        )
        kept = next((a for a in upcoming if a.starts_at == when), None)
        for appointment in upcoming:
            if appointment is not kept:
                appointment.cancelled_at = now
                appointment.save(update_fields=["cancelled_at"])
                _schedule_after_commit(appointment)
        if kept is None:
            kept = Appointment.objects.create(
                clinic_id=patient.clinic_id,
                patient=patient,
                starts_at=when,
                session=session,
                created_by=by,
                created_at=now,
                send_rating_link=send_rating_link is not False,
            )
        else:
            changed = []
            if session is not None and kept.session_id is None:
                kept.session = session
                changed.append("session")
            if send_rating_link is not None and kept.send_rating_link != send_rating_link:
                kept.send_rating_link = send_rating_link
                changed.append("send_rating_link")
            if changed:
                kept.save(update_fields=changed)
        _schedule_after_commit(kept)
    return kept


def appointment_cancel(
    *, appointment: Appointment, now: datetime.datetime | None = None
) -> Appointment:
    """Cancel an appointment; its unsent reminders are cancelled after the commit."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.cancelled_at is None:
            appointment.cancelled_at = now
            appointment.save(update_fields=["cancelled_at"])
            _schedule_after_commit(appointment)
    return appointment


# --- reminder rows -----------------------------------------------------------------


@dataclass(frozen=True)
class _Recipient:
    kind: str
    channel: str
    key: str
    carer_id: int | None = None


def _appointment_recipients(appointment: Appointment) -> Iterator[_Recipient]:
    patient = appointment.patient
    channel = patient_channel(patient)
    if channel:
        yield _Recipient(KIND.APPOINTMENT_PATIENT, channel, f"patient:{patient.pk}")
    carers = patient.carers.select_related("reminder_preference", "user", "patient")
    for carer in carers:
        channel = carer_channel(carer)
        if channel:
            yield _Recipient(KIND.APPOINTMENT_CARER, channel, f"carer:{carer.pk}", carer.pk)


def _upsert(*, lookup: dict[str, Any], values: dict[str, Any]) -> Reminder:
    """Create the row once, or bring an unsent one up to date.

    The unique constraints make a concurrent second create fail inside
    ``get_or_create``, which then reads the winner's row.
    """
    reminder, created = Reminder.objects.select_for_update().get_or_create(
        **lookup, defaults=values
    )
    if created:
        return reminder
    changed_event = reminder.event_at != values["event_at"]
    if not changed_event and reminder.status in (STATUS.SENDING, STATUS.SENT, STATUS.FAILED):
        # Already on its way or done; a failed one is retried by an admin.
        return reminder
    for field, value in values.items():
        setattr(reminder, field, value)
    if changed_event or reminder.status == STATUS.CANCELLED:
        reminder.attempts = 0
        reminder.last_error = ""
        reminder.provider_message_id = ""
        reminder.sent_at = None
        reminder.claimed_at = None
    reminder.save()
    return reminder


def _cancel_unwanted(
    reminders: QuerySet[Reminder], wanted: Collection[tuple[str, str]], reason: str
) -> None:
    """Cancel the unsent rows of ``reminders`` whose key is not in ``wanted``.

    The rows are locked first: one a worker is sending right now is waited
    for, and is then left as it ended (sent), never overwritten.
    """
    for reminder in reminders.select_for_update().exclude(
        status__in=[STATUS.SENT, STATUS.CANCELLED]
    ):
        if (reminder.kind, reminder.recipient_key) not in wanted:
            reminder.status = STATUS.CANCELLED
            reminder.last_error = reason
            reminder.save(update_fields=["status", "last_error", "updated_at"])


def reminders_schedule_for_appointment(
    *, appointment: Appointment, now: datetime.datetime | None = None
) -> None:
    """Create or update the reminders of one appointment (the patient, each
    carer with both consents); cancel the rest, all of them when the
    appointment is cancelled or past.

    Only writes rows: safe to call with the broker down, and more than once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        fresh = (
            Appointment.objects.select_related("clinic", "patient")
            .filter(pk=appointment.pk)
            .first()
        )
        if fresh is None:
            return
        appointment = fresh
        wanted = set()
        if appointment.cancelled_at is None and appointment.starts_at > now:
            clinic = appointment.clinic
            due_at = reminder_due_at(
                event_at=appointment.starts_at, time_zone=clinic.time_zone, now=now
            )
            for recipient in _appointment_recipients(appointment):
                wanted.add((recipient.kind, recipient.key))
                _upsert(
                    lookup={
                        "appointment": appointment,
                        "kind": recipient.kind,
                        "recipient_key": recipient.key,
                    },
                    values={
                        "clinic": clinic,
                        "patient": appointment.patient,
                        "carer_id": recipient.carer_id,
                        "user": None,
                        "channel": recipient.channel,
                        "event_at": appointment.starts_at,
                        "due_at": due_at,
                        "status": STATUS.QUEUED,
                    },
                )
        if appointment.cancelled_at:
            reason = "appointment cancelled"
        elif appointment.starts_at <= now:
            reason = "appointment already passed"
        else:
            reason = "no consent, opted out or no address"
        _cancel_unwanted(Reminder.objects.filter(appointment=appointment), wanted, reason)


def _action_recipients(action: Action, session: DialogSession) -> Iterator[_Recipient]:
    """Who is reminded of an action on its due day: whoever agreed to do it.

    The patient with their consent; a carer named as the owner only while the
    patient's consent to share and the carer's own consent to reminders hold
    (``carer_channel``); the session's clinician by email while still a member
    of the clinic. Nobody for "someone else", who has no address here.
    """
    if action.owner == Action.Owner.PATIENT:
        channel = patient_channel(session.patient)
        if channel:
            yield _Recipient(KIND.ACTION_DUE, channel, f"patient:{session.patient_id}")
    elif action.owner == Action.Owner.CARER and action.carer is not None:
        channel = carer_channel(action.carer)
        if channel:
            yield _Recipient(
                KIND.ACTION_DUE_CARER, channel, f"carer:{action.carer_id}", action.carer_id
            )
    elif action.owner == Action.Owner.CLINICIAN:
        clinician = session.clinician
        member = Membership.objects.filter(
            user=clinician, clinic_id=session.patient.clinic_id, is_active=True
        ).exists()
        if clinician.is_active and member and clinician.email:
            yield _Recipient(KIND.ACTION_DUE_CLINICIAN, Channel.EMAIL, f"user:{clinician.pk}")


def reminders_schedule_for_session(
    *, session: DialogSession, now: datetime.datetime | None = None
) -> None:
    """One reminder on the due day of each action agreed in ``session``, to
    whoever will do it (``_action_recipients``), at ``ACTION_REMINDER_HOUR`` on
    the clinic's clock; the rest of the actions' unsent reminders are cancelled.

    The session's next appointment has reminders of its own
    (``reminders_schedule_for_appointment``). Only writes rows.
    """
    now = now or timezone.now()
    patient = session.patient
    clinic = patient.clinic
    tz = ZoneInfo(clinic.time_zone)
    actions = Action.objects.filter(area__session=session, due_date__isnull=False).select_related(
        "carer__reminder_preference", "carer__user", "carer__patient"
    )
    with transaction.atomic():
        for action in actions:
            wanted = set()
            due = action.due_date
            if due is None:  # the query asked for due dates; a row cleared meanwhile
                continue
            event_at = local_midnight(due, tz)
            remind_at = localize(
                datetime.datetime.combine(due, datetime.time(ACTION_REMINDER_HOUR)), tz
            )
            for recipient in _action_recipients(action, session):
                wanted.add((recipient.kind, recipient.key))
                if remind_at < now:
                    continue
                _upsert(
                    lookup={
                        "action": action,
                        "kind": recipient.kind,
                        "recipient_key": recipient.key,
                    },
                    values={
                        "clinic": clinic,
                        "patient": patient,
                        "carer_id": recipient.carer_id,
                        "user": session.clinician
                        if recipient.kind == KIND.ACTION_DUE_CLINICIAN
                        else None,
                        "channel": recipient.channel,
                        "event_at": event_at,
                        "due_at": reminder_due_at(
                            event_at=remind_at, time_zone=clinic.time_zone, hours_before=0, now=now
                        ),
                        "status": STATUS.QUEUED,
                    },
                )
            _cancel_unwanted(
                Reminder.objects.filter(action=action),
                wanted,
                "no consent, opted out or no address",
            )


def reminders_schedule_for_patient(
    *, patient: Patient, now: datetime.datetime | None = None
) -> None:
    """Bring every pending reminder of the patient in line with their (and their
    carers') current preferences: the upcoming appointment's and the actions'
    of the latest completed session."""
    now = now or timezone.now()
    for appointment in Appointment.objects.filter(
        patient=patient, cancelled_at__isnull=True, starts_at__gt=now
    ):
        reminders_schedule_for_appointment(appointment=appointment, now=now)
    session = (
        DialogSession.objects.filter(patient=patient, status=DialogSession.Status.COMPLETED)
        .select_related("patient__clinic")
        .order_by("-number")
        .first()
    )
    if session is not None:
        reminders_schedule_for_session(session=session, now=now)


def reschedule_patient_after_commit(patient: Patient) -> None:
    transaction.on_commit(lambda: reminders_schedule_for_patient(patient=patient), robust=True)


# --- the clinicians' daily agenda ----------------------------------------------------


def agenda_reminders_schedule(*, now: datetime.datetime | None = None) -> int:
    """Write the rows of the clinicians' daily agenda emails: one per key
    clinician, clinic and local day with an appointment, for today (until
    ``AGENDA_LATE`` after its hour) and tomorrow. Returns how many rows were
    asked for; the unique key makes rows that exist stay as they are.

    Run by beat every few minutes, so an appointment booked tonight for
    tomorrow is in tomorrow's email. What the email lists is read when it is
    sent.
    """
    now = now or timezone.now()
    appointments = list(
        Appointment.objects.filter(
            cancelled_at__isnull=True,
            starts_at__gte=now - datetime.timedelta(days=1),
            starts_at__lt=now + datetime.timedelta(days=3),
            patient__key_clinician__is_active=True,
        ).values_list("clinic_id", "clinic__time_zone", "patient__key_clinician_id", "starts_at")
    )
    members = set(
        Membership.objects.filter(
            is_active=True,
            role=Membership.Role.CLINICIAN,
            user_id__in={user_id for _c, _tz, user_id, _s in appointments},
        ).values_list("user_id", "clinic_id")
    )
    days = {}
    for clinic_id, tz_name, user_id, starts_at in appointments:
        if (user_id, clinic_id) not in members:
            continue
        tz = ZoneInfo(tz_name)
        today = now.astimezone(tz).date()
        day = starts_at.astimezone(tz).date()
        if day == today:
            planned = agenda_due_at(day=day, time_zone=tz_name, now=local_midnight(day, tz))
            if now > planned + AGENDA_LATE:
                continue
        elif day != today + datetime.timedelta(days=1):
            continue
        days[(clinic_id, user_id, day)] = tz_name
    rows = [
        Reminder(
            clinic_id=clinic_id,
            kind=KIND.AGENDA_CLINICIAN,
            channel=Channel.EMAIL,
            user_id=user_id,
            recipient_key=f"user:{user_id}",
            agenda_date=day,
            event_at=local_midnight(day, ZoneInfo(tz_name)),
            due_at=agenda_due_at(day=day, time_zone=tz_name, now=now),
        )
        for (clinic_id, user_id, day), tz_name in days.items()
    ]
    # ON CONFLICT DO NOTHING: the unique key per clinic, user and day decides.
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
