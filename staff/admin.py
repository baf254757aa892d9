"""Django's admin for users, clinics and memberships (superusers only).

Here rather than in accounts: it shares the clinic form's ranges and the
invitation service with the clinic admins' staff pages.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import SuperuserOnlyAdmin, SuperuserOnlyInline
from accounts.models import Clinic, Membership, User

from .forms import ClinicAdminForm
from .services import staff_invitation_resend


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        # The manager stores addresses in lower case; the admin must too.
        return self.cleaned_data["email"].strip().lower()


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class UserMembershipInline(SuperuserOnlyInline, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["clinic"]
    fields = ["clinic", "role", "profession", "is_active"]


class ClinicMembershipInline(SuperuserOnlyInline, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "profession", "is_active"]


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]
    inlines = [UserMembershipInline]


@admin.register(Clinic)
class ClinicAdmin(SuperuserOnlyAdmin):
    # Superusers create clinics here; the clinic's own admins change its
    # settings in the app (accounts:staff_clinic_settings).
    form = ClinicAdminForm
    list_display = [
        "name",
        "country",
        "default_language",
        "time_zone",
        "planned_sessions",
        "session_interval_days",
        "ask_help_question",
        "record_retention_years",
    ]
    list_filter = ["country"]
    search_fields = ["name"]
    inlines = [ClinicMembershipInline]


@admin.register(Membership)
class MembershipAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "clinic", "role", "profession", "is_active", "created_at"]
    list_filter = ["role", "profession", "is_active", "clinic"]
    search_fields = ["user__email", "user__full_name", "clinic__name"]
    list_select_related = ["user", "clinic"]
    autocomplete_fields = ["user", "clinic"]
    actions = ["send_invitation"]

    @admin.action(description=_("Send an invitation email to choose a password"))
    def send_invitation(self, request, queryset):
        """How a clinic's first admin gets in: the superuser adds the account
        without a usable password and a membership, then sends the link here."""
        sent = 0
        for membership in queryset.select_related("user", "clinic"):
            try:
                staff_invitation_resend(membership=membership, by=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )
