"""When a reminder is due: wall-clock times in the clinic's zone, quiet hours.

Every time here is aware. "24 hours before" and "07:00" are counted on the
clinic's wall clock (``zoneinfo``), so they stay right across a change of
clocks; the result is stored in UTC.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# A reminder moved later out of quiet hours must still leave this much time
# before the appointment; otherwise it goes out before quiet hours begin.
MIN_NOTICE = datetime.timedelta(hours=1)


def in_quiet_hours(local: datetime.datetime, quiet: tuple[int, ...] | None) -> bool:
    if not quiet:
        return False
    start, end = quiet
    if start == end:
        return False
    if start < end:
        return start <= local.hour < end
    return local.hour >= start or local.hour < end


def localize(naive: datetime.datetime, tz: datetime.tzinfo) -> datetime.datetime:
    """A wall-clock time in ``tz`` as an aware datetime.

    Of a time that happens twice (the autumn hour) the first is taken; a time
    that never happens (the spring gap) comes out an hour later, as clocks show.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    # Round-trip through UTC to normalise a time in the spring gap.
    return aware.astimezone(datetime.UTC).astimezone(tz)


def local_midnight(day: datetime.date, tz: datetime.tzinfo) -> datetime.datetime:
    return localize(datetime.datetime.combine(day, datetime.time()), tz)


def _out_of_quiet_hours(
    local: datetime.datetime,
    *,
    event_local: datetime.datetime,
    quiet: tuple[int, ...] | None,
    tz: datetime.tzinfo,
) -> datetime.datetime:
    """``local`` moved out of quiet hours: to their end, or, when that leaves
    less than ``MIN_NOTICE`` before the event, to the hour before they began."""
    if not quiet or not in_quiet_hours(local, quiet):  # ``not quiet``: for mypy
        return local
    start, end = quiet
    day = local.date()
    if local.hour >= end and start > end:
        day += datetime.timedelta(days=1)  # evening: quiet hours end tomorrow morning
    later = localize(datetime.datetime.combine(day, datetime.time(end)), tz)
    if later <= event_local - MIN_NOTICE:
        return later
    start_day = day if start < end or local.hour >= start else day - datetime.timedelta(days=1)
    return localize(datetime.datetime.combine(start_day, datetime.time(start)), tz) - (
        datetime.timedelta(hours=1)
    )


def reminder_due_at(
    *,
    event_at: datetime.datetime,
    time_zone: str,
    hours_before: int | None = None,
    quiet: tuple[int, ...] | None = None,
    now: datetime.datetime | None = None,
) -> datetime.datetime:
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
    local = _out_of_quiet_hours(localize(wall, tz), event_local=event_local, quiet=quiet, tz=tz)
    now = now or timezone.now()
    if local < now:
        local = now.astimezone(tz)
        if in_quiet_hours(local, quiet):
            moved = _out_of_quiet_hours(local, event_local=event_local, quiet=quiet, tz=tz)
            # Never move a late reminder backwards into the past.
            local = moved if moved > local else local
    return local.astimezone(datetime.UTC)


def agenda_due_at(
    *,
    day: datetime.date,
    time_zone: str,
    hour: int | None = None,
    quiet: tuple[int, ...] | None = None,
    now: datetime.datetime | None = None,
) -> datetime.datetime:
    """When a clinician's agenda of ``day`` (a date on the clinic's calendar)
    goes out, in UTC: at ``REMINDER_AGENDA_HOUR`` local time that morning, moved
    to the end of quiet hours when it falls inside them, or now when that has
    passed (a row created late, after an outage)."""
    tz = ZoneInfo(time_zone)
    hour = settings.REMINDER_AGENDA_HOUR if hour is None else hour
    quiet = settings.REMINDER_QUIET_HOURS if quiet is None else quiet
    local = localize(datetime.datetime.combine(day, datetime.time(hour)), tz)
    if quiet and in_quiet_hours(local, quiet):  # ``quiet and``: for mypy
        _start, end = quiet
        # The morning end of quiet hours on the same day (they end in the morning).
        local = localize(datetime.datetime.combine(day, datetime.time(end)), tz)
    now = now or timezone.now()
    if local < now:
        local = now.astimezone(tz)
        if in_quiet_hours(local, quiet):
            later = _out_of_quiet_hours(
                local, event_local=local + datetime.timedelta(days=1), quiet=quiet, tz=tz
            )
            local = later if later > local else local
    return local.astimezone(datetime.UTC)
