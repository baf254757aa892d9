"""Scheduling, claiming and sending reminders.

The database decides what is due. Scheduling only writes rows (it never
touches the broker, so saving a session works with Redis down); a periodic task
claims due rows and queues one send per row; sending is idempotent and holds
the row's lock while it hands the message over, so two deliveries of the same
task, or a re-queued row, cannot send twice.
"""

import datetime
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership
from sessions_app.models import Action, DialogSession

from . import channels
from .models import Channel, ContactChannel, ContactPreference, Reminder

logger = logging.getLogger(__name__)

# Reminders for an action go out on its due day, at this local hour.
ACTION_REMINDER_HOUR = 9
# A reminder moved later out of quiet hours must still leave this much time
# before the appointment; otherwise it goes out before quiet hours begin.
MIN_NOTICE = datetime.timedelta(hours=1)

KIND = Reminder.Kind
STATUS = Reminder.Status


# --- when ------------------------------------------------------------------------


def _in_quiet_hours(local, quiet):
    if not quiet:
        return False
    start, end = quiet
    if start == end:
        return False
    if start < end:
        return start <= local.hour < end
    return local.hour >= start or local.hour < end


def _localize(naive, tz):
    """A wall-clock time in ``tz`` as an aware datetime.

    Of a time that happens twice (the autumn hour) the first is taken; a time
    that never happens (the spring gap) comes out an hour later, as clocks show.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    # Round-trip through UTC to normalise a time in the spring gap.
    return aware.astimezone(datetime.UTC).astimezone(tz)


def _out_of_quiet_hours(local, *, event_local, quiet, tz):
    """``local`` moved out of quiet hours: to their end, or, when that leaves
    less than ``MIN_NOTICE`` before the event, to the hour before they began."""
    if not _in_quiet_hours(local, quiet):
        return local
    start, end = quiet
    day = local.date()
    if local.hour >= end and start > end:
        day += datetime.timedelta(days=1)  # evening: quiet hours end tomorrow morning
    later = _localize(datetime.datetime.combine(day, datetime.time(end)), tz)
    if later <= event_local - MIN_NOTICE:
        return later
    start_day = day if start < end or local.hour >= start else day - datetime.timedelta(days=1)
    return _localize(datetime.datetime.combine(start_day, datetime.time(start)), tz) - (
        datetime.timedelta(hours=1)
    )


def reminder_due_at(*, event_at, time_zone, hours_before=None, quiet=None, now=None):
    """When to remind of ``event_at`` (aware), in UTC.

    "24 hours before" is counted on the clinic's wall clock, so a 10:00
    appointment is reminded at 10:00 the day before even across a change of
    clocks; the result is then moved out of the clinic's quiet hours. A time
    already past (an appointment made for tomorrow morning) becomes ``now``,
    again out of quiet hours.
    """
    tz = ZoneInfo(time_zone)
    hours_before = settings.REMINDER_HOURS_BEFORE if hours_before is None else hours_before
    quiet = settings.REMINDER_QUIET_HOURS if quiet is None else quiet
    event_local = event_at.astimezone(tz)
    wall = event_local.replace(tzinfo=None) - datetime.timedelta(hours=hours_before)
    local = _out_of_quiet_hours(_localize(wall, tz), event_local=event_local, quiet=quiet, tz=tz)
    now = now or timezone.now()
    if local < now:
        local = now.astimezone(tz)
        if _in_quiet_hours(local, quiet):
            moved = _out_of_quiet_hours(local, event_local=event_local, quiet=quiet, tz=tz)
            # Never move a late reminder backwards into the past.
            local = moved if moved > local else local
    return local.astimezone(datetime.UTC)


def _action_event_at(action, tz_name):
    tz = ZoneInfo(tz_name)
    return _localize(datetime.datetime.combine(action.due_date, datetime.time()), tz)


# --- who ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Recipient:
    kind: str
    channel: str
    key: str
    carer_id: int | None = None
    user_id: int | None = None


def _patient_channel(patient):
    """The channel a patient is reminded by, or None without consent or address."""
    try:
        pref = patient.contact_preference
    except ContactPreference.DoesNotExist:
        return None
    if not pref.accepts_reminders or not pref.address_for(pref.channel):
        return None
    return pref.channel


def _session_recipients(session):
    patient = session.patient
    channel = _patient_channel(patient)
    if channel:
        yield _Recipient(KIND.APPOINTMENT_PATIENT, channel, f"patient:{patient.pk}")
    for carer in patient.carers.filter(user__isnull=False).select_related("user"):
        if carer.has_consent and carer.user.email and carer.user.is_active:
            yield _Recipient(
                KIND.APPOINTMENT_CARER, Channel.EMAIL, f"carer:{carer.pk}", carer_id=carer.pk
            )
    clinician = patient.key_clinician or session.clinician
    if clinician and clinician.is_active and clinician.email:
        yield _Recipient(
            KIND.APPOINTMENT_CLINICIAN,
            Channel.EMAIL,
            f"user:{clinician.pk}",
            user_id=clinician.pk,
        )


def _upsert(*, lookup, values):
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


def reminders_schedule_for_session(*, session, now=None):
    """Create or update the reminders of the session's next appointment and of
    its actions' due days; cancel them when the appointment is cleared.

    Only writes rows: safe to call with the broker down, and more than once.
    """
    now = now or timezone.now()
    patient = session.patient
    clinic = patient.clinic
    with transaction.atomic():
        wanted = set()
        if session.next_appointment and session.next_appointment > now:
            due_at = reminder_due_at(
                event_at=session.next_appointment, time_zone=clinic.time_zone, now=now
            )
            for recipient in _session_recipients(session):
                wanted.add(recipient.key + recipient.kind)
                _upsert(
                    lookup={
                        "session": session,
                        "kind": recipient.kind,
                        "recipient_key": recipient.key,
                    },
                    values={
                        "clinic": clinic,
                        "patient": patient,
                        "carer_id": recipient.carer_id,
                        "user_id": recipient.user_id,
                        "channel": recipient.channel,
                        "event_at": session.next_appointment,
                        "due_at": due_at,
                        "status": STATUS.QUEUED,
                    },
                )
        stale = Reminder.objects.filter(session=session).exclude(
            status__in=[STATUS.SENT, STATUS.CANCELLED]
        )
        for reminder in stale:
            if reminder.recipient_key + reminder.kind not in wanted:
                reminder.status = STATUS.CANCELLED
                reminder.save(update_fields=["status", "updated_at"])
        _schedule_actions(session=session, clinic=clinic, now=now)


def _schedule_actions(*, session, clinic, now):
    """One reminder on the due day of each action the patient agreed to do."""
    channel = _patient_channel(session.patient)
    if not channel:
        return
    tz = ZoneInfo(clinic.time_zone)
    actions = Action.objects.filter(
        area__session=session, owner=Action.Owner.PATIENT, due_date__isnull=False
    )
    for action in actions:
        event_at = _action_event_at(action, clinic.time_zone)
        remind_at = event_at.astimezone(tz).replace(hour=ACTION_REMINDER_HOUR)
        if remind_at < now:
            continue
        _upsert(
            lookup={"action": action, "kind": KIND.ACTION_DUE},
            values={
                "clinic": clinic,
                "patient": session.patient,
                "recipient_key": f"patient:{session.patient_id}",
                "channel": channel,
                "event_at": event_at,
                "due_at": reminder_due_at(
                    event_at=remind_at, time_zone=clinic.time_zone, hours_before=0, now=now
                ),
                "status": STATUS.QUEUED,
            },
        )


# --- claiming -------------------------------------------------------------------------


def reminders_claim_due(*, now=None, limit=500):
    """Mark up to ``limit`` due rows "sending" and return their ids, oldest first.

    Rows left "sending" for longer than ``REMINDER_STUCK_MINUTES`` (their worker
    died, or their message was lost with the broker) are queued again first.
    On PostgreSQL, rows another dispatcher or a sender holds are skipped; SQLite
    runs one writer at a time, so a status guard is enough there.
    """
    now = now or timezone.now()
    stuck_before = now - datetime.timedelta(minutes=settings.REMINDER_STUCK_MINUTES)
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        stuck = Reminder.objects.filter(status=STATUS.SENDING, claimed_at__lt=stuck_before)
        if skip_locked:
            stuck = stuck.select_for_update(skip_locked=True)
        stuck_ids = list(stuck.values_list("id", flat=True))
        if stuck_ids:
            Reminder.objects.filter(id__in=stuck_ids, status=STATUS.SENDING).update(
                status=STATUS.QUEUED, updated_at=now
            )
            logger.warning("re-queued %d reminders stuck in sending", len(stuck_ids))
        due = Reminder.objects.filter(status=STATUS.QUEUED, due_at__lte=now).order_by(
            "due_at", "id"
        )
        if skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        Reminder.objects.filter(id__in=ids, status=STATUS.QUEUED).update(
            status=STATUS.SENDING, claimed_at=now, updated_at=now
        )
    return ids


# --- sending ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    language: str
    address: str
    subject: str
    body: str


def _language_of(user, clinic):
    return user.language or clinic.default_language or settings.LANGUAGE_CODE


def _message_for(reminder):
    """What to send and where, or None with a reason when nobody should get it.

    The text names the clinic and the local date and time only: no diagnosis,
    no action, no rating.
    """
    clinic = reminder.clinic
    patient = reminder.patient
    if reminder.kind in (KIND.APPOINTMENT_PATIENT, KIND.ACTION_DUE):
        try:
            pref = patient.contact_preference
        except ContactPreference.DoesNotExist:
            return None, "no contact preference"
        if not pref.accepts_reminders:
            return None, "patient opted out"
        address = pref.address_for(reminder.channel)
        language = patient.language
    elif reminder.kind == KIND.APPOINTMENT_CARER:
        carer = reminder.carer
        if carer is None or not carer.has_consent or carer.user is None:
            return None, "carer consent withdrawn"
        address = carer.user.email
        language = _language_of(carer.user, clinic)
    else:
        user = reminder.user
        active = user is not None and user.is_active
        if (
            not active
            or not Membership.objects.filter(user=user, clinic=clinic, is_active=True).exists()
        ):
            return None, "clinician no longer in the clinic"
        address = user.email
        language = _language_of(user, clinic)
    if not address:
        return None, "no address for the channel"

    local = reminder.event_at.astimezone(ZoneInfo(clinic.time_zone))
    with translation.override(language):
        values = {
            "clinic": clinic.name,
            "date": formats.date_format(local, "DATE_FORMAT"),
            "time": formats.time_format(local, "TIME_FORMAT"),
            "code": patient.code,
        }
        if reminder.kind == KIND.APPOINTMENT_PATIENT:
            subject = _("Appointment reminder")
            body = _("Reminder: you have an appointment at %(clinic)s on %(date)s at %(time)s.")
        elif reminder.kind == KIND.APPOINTMENT_CARER:
            subject = _("Appointment reminder")
            body = _(
                "Reminder: the person you support has an appointment at %(clinic)s "
                "on %(date)s at %(time)s."
            )
        elif reminder.kind == KIND.APPOINTMENT_CLINICIAN:
            subject = _("Appointment reminder")
            body = _(
                "Reminder: DIALOG+ appointment with patient %(code)s at %(clinic)s "
                "on %(date)s at %(time)s."
            )
        else:
            subject = _("Reminder")
            body = _("Reminder from %(clinic)s: something you agreed to do is due on %(date)s.")
        return Message(language, address, str(subject), body % values), ""


def _still_wanted(reminder, now):
    """Why a queued reminder should no longer go out, or ''."""
    if reminder.session_id and reminder.session.next_appointment != reminder.event_at:
        return "appointment changed"
    if reminder.event_at < now and reminder.kind != KIND.ACTION_DUE:
        return "appointment already passed"
    return ""


def reminder_send(*, reminder_id, now=None):
    """Send one reminder, exactly once.

    Does nothing unless the row is queued or sending and due. The row stays
    locked while the message is handed over, so a second delivery of the task
    waits, then finds it sent. A transient failure is recorded and raised for
    the task to retry; after ``REMINDER_MAX_ATTEMPTS`` the row is failed with the
    reason. Returns the row.
    """
    now = now or timezone.now()
    transient = None
    with transaction.atomic():
        reminder = (
            # Lock the reminder only; the joined rows are read, not locked (and
            # PostgreSQL cannot lock the nullable side of an outer join).
            Reminder.objects.select_for_update(of=("self",))
            .select_related("clinic", "patient", "carer__user", "user", "session")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.status not in (STATUS.QUEUED, STATUS.SENDING):
            return reminder
        if reminder.due_at > now:
            # Rescheduled after it was claimed: the dispatcher will claim it again.
            reminder.status = STATUS.QUEUED
            reminder.save(update_fields=["status", "updated_at"])
            return reminder
        reason = _still_wanted(reminder, now)
        message = None
        if not reason:
            message, reason = _message_for(reminder)
        if message is None:
            reminder.status = STATUS.CANCELLED
            reminder.last_error = reason
            reminder.save(update_fields=["status", "last_error", "updated_at"])
            return reminder
        reminder.attempts += 1
        reminder.claimed_at = now
        try:
            if reminder.channel == Channel.EMAIL:
                provider_id = channels.send_email(
                    to=message.address, subject=message.subject, body=message.body
                )
            else:
                provider_id = channels.send_sms(
                    to=message.address, text=message.body, reference=f"reminder-{reminder.pk}"
                )
        except channels.TransientSendError as exc:
            reminder.last_error = str(exc)[:300]
            if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
                reminder.status = STATUS.FAILED
            else:
                reminder.status = STATUS.SENDING
                transient = exc
        except channels.PermanentSendError as exc:
            reminder.last_error = str(exc)[:300]
            reminder.status = STATUS.FAILED
        else:
            reminder.status = STATUS.SENT
            reminder.sent_at = now
            reminder.provider_message_id = provider_id[:200]
            reminder.last_error = ""
        reminder.save()
    if transient is not None:
        # Raised after the commit, so the attempt and its reason are kept.
        raise transient
    return reminder


def reminder_retry(*, reminder):
    """Queue a failed or cancelled reminder again, due now, attempts reset."""
    if reminder.status not in (STATUS.FAILED, STATUS.CANCELLED):
        return reminder
    reminder.status = STATUS.QUEUED
    reminder.attempts = 0
    reminder.due_at = min(reminder.due_at, timezone.now())
    reminder.claimed_at = None
    reminder.save(update_fields=["status", "attempts", "due_at", "claimed_at", "updated_at"])
    return reminder


# --- contact preference and appointment, from the patient page ----------------------


def _latest_completed_session(patient):
    return (
        DialogSession.objects.filter(patient=patient, status=DialogSession.Status.COMPLETED)
        .order_by("-number")
        .first()
    )


def _reschedule_after_commit(session):
    # Rows only, after the commit; a failure there is logged, never undoes the save.
    transaction.on_commit(lambda: reminders_schedule_for_session(session=session), robust=True)


def contact_preference_save(
    *,
    patient,
    by,
    channel: str,
    phone: str,
    email: str,
    consent: bool,
    opted_out: bool,
    now=None,
):
    """Record how the patient wants to be reminded, and whether they agreed.

    A change of consent records who entered it and when; opting out keeps the
    first opt-out time. Reminders of the next appointment are brought in line
    after the commit (created on a new consent, cancelled on an opt-out).
    """
    now = now or timezone.now()
    if channel not in ContactChannel.values:
        raise ValidationError(_("Choose how the patient is reminded."), code="channel")
    with transaction.atomic():
        pref, created = ContactPreference.objects.select_for_update().get_or_create(patient=patient)
        if created or pref.consent_to_reminders != consent:
            pref.consent_recorded_at = now
            pref.consent_recorded_by = by
        pref.channel = channel
        pref.phone = phone
        pref.email = email
        pref.consent_to_reminders = consent
        if not opted_out:
            pref.opted_out_at = None
        elif pref.opted_out_at is None:
            pref.opted_out_at = now
        pref.save()
        session = _latest_completed_session(patient)
        if session is not None and session.next_appointment:
            _reschedule_after_commit(session)
    return pref


def appointment_set(*, patient, when, now=None):
    """Set the patient's next appointment from the patient page.

    The next appointment lives on the latest completed session, as when a
    session ends, so there is one place to read it; its reminders are
    (re)scheduled after the commit. Needs a completed session and a time in the
    future.
    """
    now = now or timezone.now()
    if when <= now:
        raise ValidationError(
            _("The next appointment must be in the future."), code="appointment_in_past"
        )
    with transaction.atomic():
        session = (
            DialogSession.objects.select_for_update()
            .filter(patient=patient, status=DialogSession.Status.COMPLETED)
            .order_by("-number")
            .first()
        )
        if session is None:
            raise ValidationError(
                _("The next appointment can be set after the first completed session."),
                code="no_completed_session",
            )
        session.next_appointment = when
        session.save(update_fields=["next_appointment", "updated_at"])
        _reschedule_after_commit(session)
    return session
