"""Dates for tests that book ahead: always in the future, never past the app's
one-year planning horizon (dialogplus.dates), whatever day the tests run on."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

BELGRADE = ZoneInfo("Europe/Belgrade")


def next_date(month, day):
    """The next ``month``/``day`` at least a day after today (at most a year ahead)."""
    today = timezone.localdate()
    candidate = datetime.date(today.year, month, day)
    if candidate <= today:
        candidate = candidate.replace(year=today.year + 1)
    return candidate


def next_spring_forward():
    """The next last Sunday of March: Belgrade's clocks jump from 02:00 to 03:00."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        day = datetime.date(year, 3, 31)
        day -= datetime.timedelta(days=(day.weekday() + 1) % 7)
        if day > today:
            return day
    raise AssertionError("unreachable")


def local_input(day, hour, minute=0):
    """``day`` at ``hour``:``minute`` as a datetime-local field sends it."""
    return f"{day:%Y-%m-%d}T{hour:02d}:{minute:02d}"


def at(day, hour, minute=0, tz=datetime.UTC):
    """An aware datetime on ``day``, in ``tz`` (UTC unless told)."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def _first_day_from(days, months):
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.month not in months:
        day += datetime.timedelta(days=1)
    return day


def summer_day():
    """A day in May–August at least a month ahead: Belgrade is on UTC+2 then and a
    week later (summer time runs from late March to late October)."""
    return _first_day_from(30, (5, 6, 7, 8))


def winter_day():
    """A day in December–February at least a month ahead: Belgrade is on UTC+1."""
    return _first_day_from(30, (12, 1, 2))


def soon_day(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)
