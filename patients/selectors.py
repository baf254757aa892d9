from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.http import Http404

from accounts.models import Membership

from .models import Carer, Patient


def patients_visible_to(user):
    """Every patient the user may open: those of clinics where they are an
    active clinician. The one place that draws the clinical tenancy boundary."""
    if not user.is_authenticated:
        return Patient.objects.none()
    clinic_ids = Membership.objects.filter(
        user=user, is_active=True, role=Membership.Role.CLINICIAN
    ).values("clinic_id")
    return Patient.objects.filter(clinic_id__in=clinic_ids)


def patient_get_for_user(user, code):
    """The patient with this code if the user may see it; a 404 otherwise,
    whether it is missing or belongs to another clinic."""
    try:
        return patients_visible_to(user).select_related("clinic", "key_clinician").get(code=code)
    except Patient.DoesNotExist as exc:
        raise Http404 from exc


def patient_list_for_user(user, *, query=""):
    """The clinic's patients for the list page: the user's own patients first,
    then by name, with the counts the list shows (no per-row queries)."""
    patients = patients_visible_to(user)
    query = query.strip()
    if query:
        patients = patients.filter(Q(full_name__icontains=query) | Q(code__iexact=query))
    return (
        patients.select_related("key_clinician")
        .annotate(
            is_mine=Case(
                When(key_clinician=user, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            delivered=Count("sessions", filter=Q(sessions__status="completed")),
            last_session_at=Max("sessions__started_at", filter=Q(sessions__status="completed")),
            open_sessions=Count("sessions", filter=Q(sessions__status="in_progress")),
        )
        .order_by("is_mine", "full_name", "id")
    )


def carer_links_for_user(user):
    """The carer links through which this user currently has the patient's consent."""
    if not user.is_authenticated:
        return Carer.objects.none()
    return Carer.objects.filter(
        user=user, share_summaries=True, consent_withdrawn_at__isnull=True
    ).select_related("patient", "patient__clinic")


def clinicians_for_clinic(clinic):
    """The people who may be a key clinician in ``clinic``: active users with an
    active clinician membership there, by name."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__clinic=clinic,
            memberships__role=Membership.Role.CLINICIAN,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )
