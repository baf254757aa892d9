"""What a reminder says, in its reader's language, and where it goes.

The text names the clinic, a date and a time (and, for clinicians, patient
codes) only: no diagnosis, no action, no rating, no name. Every message to a
patient or a carer ends with their opt-out link.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from accounts.languages import user_language
from accounts.models import Membership
from dialogplus.links import absolute_url
from patients.carer_services import carer_language

from .. import optout
from ..models import Appointment, Reminder
from .recipients import carer_address, carer_preference, patient_preference
from .timing import local_midnight

if TYPE_CHECKING:
    from accounts.models import Clinic, User
    from patients.models import Patient

    from ..models import CarerContactPreference, ContactPreference

KIND = Reminder.Kind


@dataclass(frozen=True)
class Message:
    language: str
    address: str
    subject: str
    body: str


def _with_stop_link(
    body: str, pref: ContactPreference | CarerContactPreference, channel: str
) -> str:
    line = _("Stop reminders: %(link)s") % {"link": optout.url_for(pref)}
    return f"{body} {line}" if channel == "sms" else f"{body}\n\n{line}\n"


# Times in messages are on the 24-hour clock in every language (as clinics in
# the region write them); English's "10 a.m." would also end a sentence in "..".
MESSAGE_TIME_FORMAT = "H:i"


def _when(moment: datetime.datetime, tz: datetime.tzinfo) -> dict[str, str]:
    local = moment.astimezone(tz)
    return {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, MESSAGE_TIME_FORMAT),
    }


def _rating_link(reminder: Reminder, tz: datetime.tzinfo) -> str:
    """A fresh rating link for the patient's reminder, or '' when the clinician
    did not ask for one or the session can no longer take ratings.

    Only a hash of a link's token is stored, so each message gets a new link
    (which stops the earlier one of that session).
    """
    # Imported here: sessions_app.services imports this package at its top.
    from sessions_app.rating_links import rating_link_create

    appointment = reminder.appointment
    # Appointment and action rows always name their patient (``cast`` is for mypy).
    patient = cast("Patient", reminder.patient)
    if appointment is None or not appointment.send_rating_link:
        return ""
    clinician = appointment.created_by or patient.key_clinician
    if clinician is None:
        return ""
    try:
        new = rating_link_create(
            patient=patient,
            created_by=None,
            clinician=clinician,
            day=appointment.starts_at.astimezone(tz).date(),
        )
    except ValidationError:
        return ""
    return new.url


def _for_patient(reminder: Reminder, tz: datetime.tzinfo) -> tuple[Message | None, str]:
    patient = cast("Patient", reminder.patient)  # rows of these kinds always have one
    pref = patient_preference(patient)
    if pref is None:
        return None, "no contact preference"
    if pref.opted_out_at is not None:
        return None, "patient opted out"
    if not pref.accepts_reminders:
        return None, "patient has not agreed to reminders"
    address = pref.address_for(reminder.channel)
    if not address:
        return None, "no address for the channel"
    with translation.override(patient.language):
        values = {"clinic": reminder.clinic.name, **_when(reminder.event_at, tz)}
        if reminder.kind == KIND.APPOINTMENT_PATIENT:
            subject = _("Appointment reminder")
            body = _("Reminder: you have an appointment at %(clinic)s on %(date)s at %(time)s.")
            body = body % values
            link = _rating_link(reminder, tz)
            if link:
                line = _("Please answer the questions for your session before it: %(link)s")
                body = f"{body} {line % {'link': link}}"
        else:
            subject = _("Reminder")
            body = _("Reminder from %(clinic)s: something you agreed to do is due on %(date)s.")
            body = body % values
        body = _with_stop_link(body, pref, reminder.channel)
        return Message(patient.language, address, str(subject), body), ""


def _for_carer(reminder: Reminder, tz: datetime.tzinfo) -> tuple[Message | None, str]:
    carer = reminder.carer
    if carer is None or not carer.has_consent:
        return None, "carer consent withdrawn"
    pref = carer_preference(carer)
    if pref is None:
        return None, "no carer preference"
    if pref.opted_out_at is not None:
        return None, "carer opted out"
    if not pref.accepts_reminders:
        return None, "carer has not agreed to reminders"
    address = carer_address(carer, reminder.channel)
    if not address:
        return None, "no address for the channel"
    language = carer_language(carer)
    with translation.override(language):
        values = {"clinic": reminder.clinic.name, **_when(reminder.event_at, tz)}
        if reminder.kind == KIND.ACTION_DUE_CARER:
            subject = _("Reminder")
            body = _(
                "Reminder from %(clinic)s: something you agreed to do for the person you "
                "support is due on %(date)s."
            )
        else:
            subject = _("Appointment reminder")
            body = _(
                "Reminder: the person you support has an appointment at %(clinic)s "
                "on %(date)s at %(time)s."
            )
        body = _with_stop_link(body % values, pref, reminder.channel)
        return Message(language, address, str(subject), body), ""


def _active_staff(reminder: Reminder) -> bool:
    user = reminder.user
    return (
        user is not None
        and user.is_active
        and Membership.objects.filter(user=user, clinic=reminder.clinic, is_active=True).exists()
    )


def _for_clinician(reminder: Reminder, tz: datetime.tzinfo) -> tuple[Message | None, str]:
    """An action the clinician agreed to do, due today; or an appointment
    reminder (rows written before the daily agenda replaced them)."""
    if not _active_staff(reminder):
        return None, "clinician no longer in the clinic"
    user = cast("User", reminder.user)  # _active_staff checked it is there
    patient = cast("Patient", reminder.patient)  # rows of these kinds always have one
    language = user_language(user, clinic=reminder.clinic)
    with translation.override(language):
        values = {
            "clinic": reminder.clinic.name,
            "code": patient.code,
            **_when(reminder.event_at, tz),
        }
        if reminder.kind == KIND.ACTION_DUE_CLINICIAN:
            # The daily agenda lists appointments only: this is the one reminder.
            subject = _("Reminder")
            body = _(
                "Reminder: an action you agreed to do with patient %(code)s at %(clinic)s "
                "is due on %(date)s."
            )
        else:
            subject = _("Appointment reminder")
            body = _(
                "Reminder: DIALOG+ appointment with patient %(code)s at %(clinic)s "
                "on %(date)s at %(time)s."
            )
        return Message(language, user.email, str(subject), body % values), ""


def agenda_appointments(
    *, clinic: Clinic, user: User, day: datetime.date, tz: datetime.tzinfo
) -> list[Appointment]:
    """The day's appointments of the clinician's patients, by time."""
    start = local_midnight(day, tz)
    end = local_midnight(day + datetime.timedelta(days=1), tz)
    return list(
        Appointment.objects.filter(
            clinic=clinic,
            patient__key_clinician=user,
            cancelled_at__isnull=True,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("patient")
        .order_by("starts_at", "id")
    )


def _for_agenda(reminder: Reminder, tz: datetime.tzinfo) -> tuple[Message | None, str]:
    """The clinician's appointments of one day: times and patient codes, and a
    link to the agenda page. Nothing else about the patients."""
    if not _active_staff(reminder):
        return None, "clinician no longer in the clinic"
    user = cast("User", reminder.user)  # _active_staff checked it is there
    agenda_date = cast(datetime.date, reminder.agenda_date)  # agenda rows always have one
    appointments = agenda_appointments(clinic=reminder.clinic, user=user, day=agenda_date, tz=tz)
    if not appointments:
        return None, "no appointments that day"
    language = user_language(user, clinic=reminder.clinic)
    with translation.override(language):
        date = formats.date_format(agenda_date, "DATE_FORMAT")
        subject = _("Your appointments on %(date)s") % {"date": date}
        lines = [
            _("Your DIALOG+ appointments at %(clinic)s on %(date)s:")
            % {"clinic": reminder.clinic.name, "date": date},
            "",
        ]
        for appointment in appointments:
            time = formats.time_format(appointment.starts_at.astimezone(tz), MESSAGE_TIME_FORMAT)
            lines.append(
                _("%(time)s  patient %(code)s") % {"time": time, "code": appointment.patient.code}
            )
        lines += [
            "",
            _("The agenda: %(link)s") % {"link": absolute_url(reverse("reminders:agenda"))},
            "",
        ]
        return Message(language, user.email, str(subject), "\n".join(lines)), ""


def message_for(reminder: Reminder) -> tuple[Message | None, str]:
    """What to send and where, or ``(None, reason)`` when nobody should get it."""
    tz = ZoneInfo(reminder.clinic.time_zone)
    if reminder.kind in (KIND.APPOINTMENT_PATIENT, KIND.ACTION_DUE):
        return _for_patient(reminder, tz)
    if reminder.kind in (KIND.APPOINTMENT_CARER, KIND.ACTION_DUE_CARER):
        return _for_carer(reminder, tz)
    if reminder.kind == KIND.AGENDA_CLINICIAN:
        return _for_agenda(reminder, tz)
    return _for_clinician(reminder, tz)
