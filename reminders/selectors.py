from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.http import Http404

from accounts.selectors import is_clinic_admin, membership_for_user
from patients.models import Carer
from patients.selectors import patients_visible_to
from sessions_app.models import DialogSession

from .models import (
    Appointment,
    CarerContactPreference,
    Channel,
    ContactPreference,
    Reminder,
    mask_email,
    mask_phone,
)
from .services.recipients import carer_address

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import Membership, User
    from patients.models import Patient

# How far ahead the agenda looks.
AGENDA_DAYS = 14


def reminders_for_admin(user: User | AnonymousUser, *, status: str = "") -> QuerySet[Reminder]:
    """The reminders of the clinic this user administers, newest due first;
    none for anyone who is not a clinic admin."""
    if not is_clinic_admin(user):
        return Reminder.objects.none()
    # is_clinic_admin found the membership (``cast`` is for mypy).
    membership = cast("Membership", membership_for_user(user))
    reminders = Reminder.objects.filter(clinic=membership.clinic)
    if status:
        reminders = reminders.filter(status=status)
    return reminders.select_related("patient", "user", "carer").order_by("-due_at", "-id")


def reminder_get_for_admin(user: User | AnonymousUser, reminder_id: int) -> Reminder:
    """One reminder of the admin's clinic; a 404 for a missing or foreign one."""
    try:
        return reminders_for_admin(user).get(pk=reminder_id)
    except Reminder.DoesNotExist as exc:
        raise Http404 from exc


def reminder_counts_for_admin(user: User | AnonymousUser) -> dict[str, int]:
    """``{status: count}`` for the filter buttons."""
    counts = {status: 0 for status, _label in Reminder.Status.choices}
    for row in reminders_for_admin(user).order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def contact_preference_for_patient(patient: Patient) -> ContactPreference | None:
    """The patient's contact preference, or None before one is recorded.

    Reached only through a patient that ``patient_get_for_user`` returned.
    """
    return (
        ContactPreference.objects.filter(patient=patient)
        .select_related("consent_recorded_by")
        .first()
    )


def carer_get_for_patient(patient: Patient, carer_id: int) -> Carer:
    """One of the patient's carers; a 404 for anyone else's (or a missing one).

    Reached only through a patient that ``patient_get_for_user`` returned.
    """
    carer = (
        Carer.objects.filter(patient=patient, pk=carer_id)
        .select_related("user", "patient", "reminder_preference")
        .first()
    )
    if carer is None:
        raise Http404
    return carer


def next_appointment_for_patient(patient: Patient, *, now: datetime.datetime) -> Appointment | None:
    """The patient's upcoming appointment, else the latest one that has passed
    (the page marks it as passed), else None. Cancelled ones never count."""
    active = Appointment.objects.filter(patient=patient, cancelled_at__isnull=True)
    upcoming = active.filter(starts_at__gt=now).order_by("starts_at").first()
    return upcoming or active.filter(starts_at__lte=now).order_by("-starts_at").first()


@dataclass(frozen=True)
class CarerReminders:
    carer: Carer
    preference: CarerContactPreference | None
    address: str

    @property
    def masked_address(self) -> str:
        if self.preference is not None and self.preference.channel == Channel.SMS:
            return mask_phone(self.address)
        return mask_email(self.address)

    @property
    def gets_reminders(self) -> bool:
        pref = self.preference
        return bool(
            self.carer.has_consent and pref is not None and pref.accepts_reminders and self.address
        )


@dataclass(frozen=True)
class ReminderPanel:
    contact: ContactPreference | None
    carers: list
    appointment: Appointment | None

    @property
    def next_appointment(self) -> datetime.datetime | None:
        return self.appointment.starts_at if self.appointment else None


def reminders_panel_for_patient(patient: Patient, *, now: datetime.datetime) -> ReminderPanel:
    """What the patient page shows about appointments and reminders: the next
    appointment, the patient's contact preference and each carer's (three
    queries, however many carers)."""
    carers = []
    for carer in Carer.objects.filter(patient=patient).select_related(
        "user", "patient", "reminder_preference", "reminder_preference__consent_recorded_by"
    ):
        try:
            pref = carer.reminder_preference
        except CarerContactPreference.DoesNotExist:
            pref = None
        address = carer_address(carer, pref.channel) if pref else ""
        carers.append(CarerReminders(carer=carer, preference=pref, address=address))
    return ReminderPanel(
        contact=contact_preference_for_patient(patient),
        carers=carers,
        appointment=next_appointment_for_patient(patient, now=now),
    )


@dataclass(frozen=True)
class Agenda:
    upcoming: list
    overdue: list


def agenda_for_clinician(user: User, *, now: datetime.datetime, days: int = AGENDA_DAYS) -> Agenda:
    """Appointments of the next ``days`` days and the overdue patients, the
    user's own patients first; two queries whatever the number of patients.

    ``upcoming`` lists appointments, each with ``is_colleagues`` (0 for the
    user's own patients, 1 for a colleague's: the sort key); a patient is
    overdue with no appointment ahead and no completed session within their
    interval (counted from registration before the first one), and gets
    ``last_session_at``, ``is_colleagues`` and ``overdue_since``.
    """
    visible = patients_visible_to(user)
    colleagues = Case(
        When(patient__key_clinician=user, then=0), default=1, output_field=IntegerField()
    )
    upcoming = list(
        Appointment.objects.filter(
            patient__in=visible,
            cancelled_at__isnull=True,
            starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(days=days),
        )
        .select_related("patient", "patient__key_clinician")
        .annotate(is_colleagues=colleagues)
        .order_by("is_colleagues", "starts_at", "patient_id")
    )
    completed = DialogSession.Status.COMPLETED
    ahead = Appointment.objects.filter(
        patient=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gte=now
    )
    patients = (
        visible.select_related("key_clinician")
        .annotate(
            next_at=Subquery(ahead.order_by("starts_at").values("starts_at")[:1]),
            last_session_at=Max("sessions__ended_at", filter=Q(sessions__status=completed)),
            is_colleagues=Case(
                When(key_clinician=user, then=0), default=1, output_field=IntegerField()
            ),
        )
        .filter(next_at__isnull=True)
    )
    overdue: list[Any] = []  # patients with the extra ``overdue_since``
    for patient in patients:
        since = (patient.last_session_at or patient.created_at) + datetime.timedelta(
            days=patient.session_interval_days
        )
        if since < now:
            patient.overdue_since = since  # type: ignore[attr-defined]
            overdue.append(patient)
    overdue.sort(key=lambda p: (p.is_colleagues, p.overdue_since, p.full_name))
    return Agenda(upcoming=upcoming, overdue=overdue)
