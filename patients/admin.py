from django.contrib import admin

from accounts.admin import SuperuserOnlyAdmin, SuperuserOnlyInline

from .models import Carer, Patient


class CarerInline(SuperuserOnlyInline, admin.StackedInline):
    model = Carer
    extra = 0
    autocomplete_fields = ["user", "consent_recorded_by"]
    fields = [
        "full_name",
        "relationship",
        "user",
        "share_summaries",
        "share_ratings",
        "consent_recorded_at",
        "consent_recorded_by",
        "consent_withdrawn_at",
    ]


@admin.register(Patient)
class PatientAdmin(SuperuserOnlyAdmin):
    list_display = [
        "code",
        "full_name",
        "clinic",
        "key_clinician",
        "language",
        "planned_sessions",
        "created_at",
    ]
    list_filter = ["clinic", "language"]
    search_fields = ["code", "full_name"]
    list_select_related = ["clinic", "key_clinician"]
    autocomplete_fields = ["clinic", "key_clinician"]
    readonly_fields = ["code", "created_at", "updated_at"]
    fields = [
        "code",
        "clinic",
        "full_name",
        "language",
        "key_clinician",
        "planned_sessions",
        "session_interval_days",
        "created_at",
        "updated_at",
    ]
    inlines = [CarerInline]


@admin.register(Carer)
class CarerAdmin(SuperuserOnlyAdmin):
    list_display = ["full_name", "patient", "relationship", "share_summaries", "share_ratings"]
    list_filter = ["share_summaries", "share_ratings", "patient__clinic"]
    search_fields = ["full_name", "patient__code", "patient__full_name", "user__email"]
    list_select_related = ["patient"]
    autocomplete_fields = ["patient", "user", "consent_recorded_by"]
