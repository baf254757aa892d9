from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django_otp import device_classes, devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice

from patients.models import Patient

from .models import Membership


def membership_for_user(user):
    """The user's active membership (clinic and role), or None.

    A person works in one clinic at a time; when they hold several memberships
    the oldest active one is theirs until a clinic switcher exists.
    """
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_dialogplus_membership", False)
    if cached is not False:
        return cached
    membership = (
        Membership.objects.filter(user=user, is_active=True, clinic__isnull=False)
        .select_related("clinic")
        .order_by("created_at", "id")
        .first()
    )
    user._dialogplus_membership = membership
    return membership


def is_clinician(user):
    membership = membership_for_user(user)
    return membership is not None and membership.role == Membership.Role.CLINICIAN


def is_clinic_admin(user):
    membership = membership_for_user(user)
    return membership is not None and membership.role == Membership.Role.ADMIN


def clinic_staff(clinic):
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


def _admins_clinic(admin, user_pk):
    """The clinic ``admin`` manages, or a 404 (also for an id no row can have)."""
    membership = membership_for_user(admin)
    if membership is None or membership.role != Membership.Role.ADMIN or not 0 < user_pk <= MAX_ID:
        raise Http404
    return membership.clinic


def staff_member_get_for_admin(admin, user_pk):
    """The membership of user ``user_pk`` in ``admin``'s clinic, or a 404.

    The URL names the user (as the unlock button does); the membership is what
    the admin manages. A user of another clinic answers like a missing one.
    """
    clinic = _admins_clinic(admin, user_pk)
    try:
        return Membership.objects.select_related("user", "clinic").get(
            clinic=clinic, user_id=user_pk
        )
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


# A member counts as active when both their place in the clinic and their
# account are switched on.
ACTIVE_MEMBER = Q(is_active=True, user__is_active=True)


def staff_for_clinic(clinic, *, status=""):
    """The clinic's members for the staff list, by name; ``status`` is
    "active", "inactive" or "" for everyone."""
    members = Membership.objects.filter(clinic=clinic).select_related("user")
    if status == "active":
        members = members.filter(ACTIVE_MEMBER)
    elif status == "inactive":
        members = members.exclude(ACTIVE_MEMBER)
    return members.order_by("user__full_name", "user__email", "id")


def staff_counts(clinic):
    """``{"active": n, "inactive": n, "all": n}`` for the staff list's filter, in one query."""
    counts = Membership.objects.filter(clinic=clinic).aggregate(
        all=Count("id"), active=Count("id", filter=ACTIVE_MEMBER)
    )
    counts["inactive"] = counts["all"] - counts["active"]
    return counts


def invitation_is_pending(user):
    """Invited but never arrived: never signed in and no password of their own yet."""
    return user.last_login is None and not user.has_usable_password()


def _sign_in_devices():
    """Every kind of django-otp device that asks for a code at sign-in.

    Backup codes (``StaticDevice``) are a way back in, not a second factor of
    their own: two-step sign-in is on when an app is confirmed
    (accounts/two_factor/services.py says the same).
    """
    return [model for model in device_classes() if not issubclass(model, StaticDevice)]


def users_with_two_factor(user_ids):
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


def user_has_two_factor(user):
    """Whether ``user`` has two-step sign-in on (a confirmed device other than backup codes)."""
    return any(
        not isinstance(device, StaticDevice) for device in devices_for_user(user, confirmed=True)
    )


# What the member page tells about a membership's history.
TRACKED_FIELDS = ["role", "profession", "is_active"]


def membership_changes(membership):
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


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


def key_patients_count(clinic, user):
    """How many of ``clinic``'s patients have ``user`` as key clinician."""
    return Patient.objects.filter(clinic=clinic, key_clinician=user).count()


def reassign_sources(clinic):
    """Whose patients an admin may hand over: the clinic's clinicians, active or
    not, and anyone else still key clinician of one of its patients. Each has
    ``patient_count`` and ``active_here``; those with patients come first."""
    patients = Patient.objects.filter(clinic=clinic)
    clinicians = Membership.objects.filter(clinic=clinic, role=Membership.Role.CLINICIAN)
    counts = (
        patients.filter(key_clinician=OuterRef("pk"))
        .order_by()
        .values("key_clinician")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=clinicians.values("user_id"))
            | Q(pk__in=patients.filter(key_clinician__isnull=False).values("key_clinician_id"))
        )
        .annotate(
            patient_count=Coalesce(Subquery(counts), 0),
            active_here=Exists(
                Membership.objects.filter(
                    clinic=clinic, user=OuterRef("pk"), is_active=True, user__is_active=True
                )
            ),
        )
        .order_by("-patient_count", "full_name", "email")
    )


def reassign_source_get_for_admin(admin, user_pk):
    """A user whose patients ``admin`` may hand over (see ``reassign_sources``), or a 404."""
    clinic = _admins_clinic(admin, user_pk)
    try:
        return reassign_sources(clinic).get(pk=user_pk)
    except get_user_model().DoesNotExist as exc:
        raise Http404 from exc


def key_patients_of(clinic, user):
    """``clinic``'s patients whose key clinician is ``user`` (a query: a form
    validates against it; its choices list them by name, ``PatientChoiceField``)."""
    return Patient.objects.filter(clinic=clinic, key_clinician=user).order_by("code")
