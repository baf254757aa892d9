from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django_otp import device_classes
from django_otp.plugins.otp_static.models import StaticDevice

from .models import Clinic, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models.enums import Choices

    from .models import User


def membership_for_user(user: User | AnonymousUser) -> Membership | None:
    """The user's active membership (clinic and role), or None.

    A person works in one clinic at a time; when they hold several memberships
    the oldest active one is theirs until a clinic switcher exists.
    """
    if not user.is_authenticated:
        return None
    cached: Any = getattr(user, "_dialogplus_membership", False)
    if cached is not False:
        return cached
    membership = (
        Membership.objects.filter(user=user, is_active=True, clinic__isnull=False)
        .select_related("clinic")
        .order_by("created_at", "id")
        .first()
    )
    # A cache on the request's user object, which the stubs do not know of.
    user._dialogplus_membership = membership  # type: ignore[attr-defined]
    return membership


def is_clinician(user: User | AnonymousUser) -> bool:
    membership = membership_for_user(user)
    return membership is not None and membership.role == Membership.Role.CLINICIAN


def is_clinic_admin(user: User | AnonymousUser) -> bool:
    membership = membership_for_user(user)
    return membership is not None and membership.role == Membership.Role.ADMIN


def clinic_staff(clinic: Clinic) -> QuerySet[Membership]:
    """Everyone with a place in the clinic, by role then name (one query)."""
    return (
        Membership.objects.filter(clinic=clinic)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


# --- staff management (clinic admins) ----------------------------------------------
# One boundary: a clinic admin manages the members of their own clinic. Anyone
# else, a member of another clinic included, is a 404, like a user that does
# not exist.


# The largest id a database key holds: a longer number in a URL names nobody.
MAX_ID = 2**63 - 1


def admins_clinic_for(admin: User | AnonymousUser, user_pk: int) -> Clinic:
    """The clinic ``admin`` manages, or a 404 (also for an id no row can have)."""
    membership = membership_for_user(admin)
    if membership is None or membership.role != Membership.Role.ADMIN or not 0 < user_pk <= MAX_ID:
        raise Http404
    return membership.clinic


def staff_member_get_for_admin(admin: User | AnonymousUser, user_pk: int) -> Membership:
    """The membership of user ``user_pk`` in ``admin``'s clinic, or a 404.

    The URL names the user (as the unlock button does); the membership is what
    the admin manages. A user of another clinic answers like a missing one.
    """
    clinic = admins_clinic_for(admin, user_pk)
    try:
        return Membership.objects.select_related("user", "clinic").get(
            clinic=clinic, user_id=user_pk
        )
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


# A member counts as active when both their place in the clinic and their
# account are switched on.
ACTIVE_MEMBER = Q(is_active=True, user__is_active=True)


def staff_for_clinic(clinic: Clinic, *, status: str = "") -> QuerySet[Membership]:
    """The clinic's members for the staff list, by name; ``status`` is
    "active", "inactive" or "" for everyone."""
    members = Membership.objects.filter(clinic=clinic).select_related("user")
    if status == "active":
        members = members.filter(ACTIVE_MEMBER)
    elif status == "inactive":
        members = members.exclude(ACTIVE_MEMBER)
    return members.order_by("user__full_name", "user__email", "id")


def staff_counts(clinic: Clinic) -> dict[str, int]:
    """``{"active": n, "inactive": n, "all": n}`` for the staff list's filter, in one query."""
    counts = Membership.objects.filter(clinic=clinic).aggregate(
        all=Count("id"), active=Count("id", filter=ACTIVE_MEMBER)
    )
    counts["inactive"] = counts["all"] - counts["active"]
    return counts


def invitation_is_pending(user: User) -> bool:
    """Invited but never arrived: never signed in and no password of their own yet."""
    return user.last_login is None and not user.has_usable_password()


def _sign_in_devices() -> list[type[Any]]:
    """Every kind of django-otp device that asks for a code at sign-in.

    Backup codes (``StaticDevice``) are a way back in, not a second factor of
    their own: two-step sign-in is on when an app is confirmed. The one
    definition of "on" is ``users_with_two_factor`` (``user_has_two_factor``
    for one person); the sign-in, the profile and the staff pages all ask it.
    """
    return [model for model in device_classes() if not issubclass(model, StaticDevice)]


def users_with_two_factor(user_ids: Iterable[int]) -> set[int]:
    """The ids among ``user_ids`` with two-step sign-in on.

    The devices ``django_otp.devices_for_user`` yields, asked for a whole list
    at once: one query per kind of device, not one per person.
    """
    user_ids = list(user_ids)
    found = set()
    for model in _sign_in_devices():
        found.update(
            model.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
                "user_id", flat=True
            )
        )
    return found


def user_has_two_factor(user: User | AnonymousUser) -> bool:
    """Whether ``user`` has two-step sign-in on (a confirmed device other than
    backup codes) and is asked for its code: ``users_with_two_factor`` for one."""
    return user.pk is not None and user.pk in users_with_two_factor([user.pk])


# What the member page tells about a membership's history.
TRACKED_FIELDS = ["role", "profession", "is_active"]


def membership_changes(membership: Membership) -> list[dict[str, Any]]:
    """What happened to a membership, newest first: added, role or profession
    changed, deactivated, reactivated; each with who did it and when.

    Read from the membership's history (django-simple-history), so it shows
    changes made here and in Django's admin alike.
    """
    records = list(
        membership.history.select_related("history_user").order_by("history_date", "history_id")
    )
    changes = []
    previous = None
    for record in records:
        base = {"at": record.history_date, "by": record.history_user}
        if previous is None:
            changes.append(
                {
                    **base,
                    "kind": "added",
                    "role": Membership.Role(record.role).label,
                    "active": record.is_active,
                }
            )
        else:
            delta = record.diff_against(previous, included_fields=TRACKED_FIELDS)
            for change in delta.changes:
                if change.field == "is_active":
                    kind = "reactivated" if change.new else "deactivated"
                    changes.append({**base, "kind": kind})
                else:
                    labels = Membership.Role if change.field == "role" else Membership.Profession
                    changes.append(
                        {
                            **base,
                            "kind": change.field,
                            "old": _label(labels, change.old),
                            "new": _label(labels, change.new),
                        }
                    )
        previous = record
    changes.reverse()
    return changes


def _label(choices: type[Choices], value: Any) -> Any:
    try:
        return choices(value).label
    except ValueError:
        return value


def role_label_in_clinic(user: User, clinic: Clinic) -> str:
    """``user``'s role in ``clinic`` as its label ("Clinician"), or "" without one."""
    role = (
        Membership.objects.filter(user=user, clinic=clinic, is_active=True)
        .values_list("role", flat=True)
        .first()
    )
    return str(dict(Membership.Role.choices).get(role, "")) if role else ""
