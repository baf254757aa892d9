from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Clinic, Membership, User


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Django's admin is for superusers only: staff status alone opens nothing,
    whatever permissions a user was given, because clinic work happens in the app
    where the tenancy selectors apply."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class SuperuserOnlyInline:
    """The same rule for inlines."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


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
    list_display = [
        "name",
        "country",
        "default_language",
        "time_zone",
        "planned_sessions",
        "session_interval_days",
        "ask_help_question",
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
