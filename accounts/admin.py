"""The base of every superuser-only admin page; the accounts models' own admin
pages are in staff/admin.py, next to the forms and services they share."""

from django.contrib import admin


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
