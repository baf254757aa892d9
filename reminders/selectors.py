import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, Subquery, When
from django.http import Http404

from accounts.selectors import is_clinic_admin, membership_for_user
from patients.selectors import patients_visible_to
from sessions_app.models import DialogSession

from .models import ContactPreference, Reminder

# How far ahead the agenda looks.
AGENDA_DAYS = 14


def reminders_for_admin(user, *, status=""):
    """The reminders of the clinic this user administers, newest due first;
    none for anyone who is not a clinic admin."""
    if not is_clinic_admin(user):
        return Reminder.objects.none()
    reminders = Reminder.objects.filter(clinic=membership_for_user(user).clinic)
    if status:
        reminders = reminders.filter(status=status)
    return reminders.select_related("patient", "user").order_by("-due_at", "-id")


def reminder_get_for_admin(user, reminder_id):
    """One reminder of the admin's clinic; a 404 for a missing or foreign one."""
    try:
        return reminders_for_admin(user).get(pk=reminder_id)
    except Reminder.DoesNotExist as exc:
        raise Http404 from exc


def reminder_counts_for_admin(user):
    """``{status: count}`` for the filter buttons."""
    counts = {status: 0 for status, _label in Reminder.Status.choices}
    for row in reminders_for_admin(user).order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def contact_preference_for_patient(patient):
    """The patient's contact preference, or None before one is recorded.

    Reached only through a patient that ``patient_get_for_user`` returned.
    """
    return (
        ContactPreference.objects.filter(patient=patient)
        .select_related("consent_recorded_by")
        .first()
    )


def next_appointment_for_patient(patient):
    """The next appointment as set on the latest completed session, or None."""
    return (
        DialogSession.objects.filter(patient=patient, status=DialogSession.Status.COMPLETED)
        .order_by("-number")
        .values_list("next_appointment", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Agenda:
    upcoming: list
    overdue: list


def agenda_for_clinician(user, *, now, days=AGENDA_DAYS):
    """Appointments of the next ``days`` days and the overdue patients, the
    user's own patients first; two queries whatever the number of patients.

    A patient is overdue with no appointment ahead and no completed session
    within their interval (counted from registration before the first one).
    Each patient gets ``next_at``, ``last_session_at``, ``is_mine`` and, when
    overdue, ``overdue_since``.
    """
    completed = DialogSession.Status.COMPLETED
    latest = DialogSession.objects.filter(patient=OuterRef("pk"), status=completed).order_by(
        "-number"
    )
    patients = (
        patients_visible_to(user)
        .select_related("key_clinician")
        .annotate(
            next_at=Subquery(latest.values("next_appointment")[:1]),
            last_session_at=Max("sessions__ended_at", filter=Q(sessions__status=completed)),
            is_mine=Case(When(key_clinician=user, then=0), default=1, output_field=IntegerField()),
        )
    )
    upcoming = list(
        patients.filter(next_at__gte=now, next_at__lt=now + datetime.timedelta(days=days)).order_by(
            "is_mine", "next_at", "full_name"
        )
    )
    overdue = []
    for patient in patients.filter(Q(next_at__isnull=True) | Q(next_at__lt=now)):
        since = (patient.last_session_at or patient.created_at) + datetime.timedelta(
            days=patient.session_interval_days
        )
        if since < now:
            patient.overdue_since = since
            overdue.append(patient)
    overdue.sort(key=lambda p: (p.is_mine, p.overdue_since, p.full_name))
    return Agenda(upcoming=upcoming, overdue=overdue)
