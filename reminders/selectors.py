from django.db.models import Count
from django.http import Http404

from accounts.selectors import is_clinic_admin, membership_for_user

from .models import Reminder


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
