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
