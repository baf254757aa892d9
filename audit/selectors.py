"""Reads of the access log and the one boundary of the audit pages.

The clinic's access log is for that clinic's admin; a patient's audit pages
decide who may open them with ``patients.selectors.patient_get_for_audit``.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate

from .models import AccessLog

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from accounts.models import Clinic, User


def logged_patient(clinic: Clinic, code: str) -> Model | None:
    """The patient with this code in the clinic's log, or None (the log's patient filter).

    Read through the log itself: a patient nobody has opened has nothing to
    show here, and the audit app needs no reach into the patients app.
    """
    if not code:
        return None
    entry = (
        AccessLog.objects.filter(clinic=clinic, patient_code=code)
        .select_related("patient")
        .only("patient")
        .first()
    )
    return entry.patient if entry is not None else None


def clinic_staff_users(clinic: Clinic) -> QuerySet[User]:
    """Everyone who has or had a place in the clinic, for the staff filter."""
    return (
        get_user_model()
        .objects.filter(memberships__clinic=clinic)
        .distinct()
        .order_by("full_name", "email")
    )


def _day_start(day: datetime.date, time_zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo(time_zone))


def _in_period(
    log: QuerySet[AccessLog],
    *,
    time_zone: str,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AccessLog]:
    """Rows from the start of ``date_from`` to the end of ``date_to``, clinic days."""
    if date_from:
        log = log.filter(at__gte=_day_start(date_from, time_zone))
    if date_to:
        log = log.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1), time_zone))
    return log


def access_log_for_clinic(
    clinic: Clinic,
    *,
    patient: str | None = None,
    user: User | None = None,
    kind: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AccessLog]:
    """The clinic's access log, newest first, filtered; the patient comes along
    in the same query so the page can name them."""
    log: QuerySet[AccessLog] = AccessLog.objects.filter(clinic=clinic)
    if patient:
        log = log.filter(patient_code=patient)
    if user:
        log = log.filter(user=user)
    if kind:
        log = log.filter(kind=kind)
    log = _in_period(log, time_zone=clinic.time_zone, date_from=date_from, date_to=date_to)
    return log.select_related("patient").order_by("-at", "-id")


# The patient is typed ``Any``: the patients app is a layer above this one.
def access_report_for_patient(
    patient: Any,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[dict[str, Any]]:
    """Who opened ``patient``'s record, newest day first, one line per day,
    person and kind of page, with the first and last time and how often.

    Grouped so that a clinician who opened the record five times in a morning
    is one line the patient can read, not five.
    """
    time_zone = patient.clinic.time_zone
    log = _in_period(
        AccessLog.objects.filter(patient=patient),
        time_zone=time_zone,
        date_from=date_from,
        date_to=date_to,
    )
    roles = dict(AccessLog.Role.choices)
    kinds = dict(AccessLog.Kind.choices)
    lines = (
        log.annotate(day=TruncDate("at", tzinfo=ZoneInfo(time_zone)))
        .values("day", "user_id", "user_name", "role", "kind")
        .annotate(first=Min("at"), last=Max("at"), times=Count("id"))
        .order_by("-day", "-last", "user_name", "kind")
    )
    return [
        {**line, "role_label": roles.get(line["role"]), "kind_label": kinds.get(line["kind"])}
        for line in lines
    ]
