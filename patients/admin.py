from django.contrib import admin

from accounts.admin import SuperuserOnlyAdmin, SuperuserOnlyInline

from .models import Carer, Patient
from .name_index import name_matches


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
    # The name is encrypted: searched through its blind index (below), never
    # sorted by (the database holds only its ciphertext).
    sortable_by = ["code", "clinic", "language", "planned_sessions", "created_at"]
    search_fields = ["code"]
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

    def get_search_results(self, request, queryset, search_term):
        by_code, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_name = name_matches(search_term)
        if by_name is None:
            return by_code, may_have_duplicates
        return by_code | queryset.filter(by_name), may_have_duplicates


@admin.register(Carer)
class CarerAdmin(SuperuserOnlyAdmin):
    list_display = ["full_name", "patient", "relationship", "share_summaries", "share_ratings"]
    list_filter = ["share_summaries", "share_ratings", "patient__clinic"]
    # Names and relationships are encrypted: carers are found by their patient's
    # code or their sign-in address.
    search_fields = ["patient__code", "user__email"]
    sortable_by = ["patient", "share_summaries", "share_ratings"]
    list_select_related = ["patient"]
    autocomplete_fields = ["patient", "user", "consent_recorded_by"]
