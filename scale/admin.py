"""The DIALOG scale in Django's admin: for superusers, to read, not to edit.

Wording changes go through the wording pages (/wording/), which make a new
version so that sessions keep what they were asked. Editing a row here would
rewrite the wording of every session rated with its version, so the admin
shows every language's text but changes, adds and deletes nothing.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import Domain, RatingLabel, ScaleVersion, Step, StepPrompt, WordingStatus


def _superuser(request):
    return request.user.is_active and request.user.is_superuser


class ReadOnlyForSuperusers:
    """Superusers may look; nobody may change, add or delete."""

    def has_module_permission(self, request):
        return _superuser(request)

    def has_view_permission(self, request, obj=None):
        return _superuser(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WordingStatusInline(ReadOnlyForSuperusers, admin.TabularInline):
    model = WordingStatus
    extra = 0
    fields = ["language", "status", "source", "updated_at"]
    readonly_fields = fields


class StepPromptInline(ReadOnlyForSuperusers, TranslationTabularInline):
    model = StepPrompt
    extra = 0


@admin.register(ScaleVersion)
class ScaleVersionAdmin(ReadOnlyForSuperusers, TranslationAdmin):
    list_display = ["number", "country", "state", "is_current", "validated_by", "created_at"]
    list_filter = ["country", "state"]
    readonly_fields = ["created_at"]
    inlines = [WordingStatusInline]


@admin.register(Domain)
class DomainAdmin(ReadOnlyForSuperusers, TranslationAdmin):
    list_display = ["short_name", "key", "position", "kind", "version"]
    list_filter = ["version", "kind"]
    list_select_related = ["version"]


@admin.register(RatingLabel)
class RatingLabelAdmin(ReadOnlyForSuperusers, TranslationAdmin):
    list_display = ["value", "text", "version"]
    list_filter = ["version"]
    list_select_related = ["version"]


@admin.register(Step)
class StepAdmin(ReadOnlyForSuperusers, TranslationAdmin):
    list_display = ["number", "title", "version"]
    list_filter = ["version"]
    list_select_related = ["version"]
    inlines = [StepPromptInline]


@admin.register(WordingStatus)
class WordingStatusAdmin(ReadOnlyForSuperusers, admin.ModelAdmin):
    list_display = ["version", "language", "status", "source", "updated_at"]
    list_filter = ["version", "language", "status"]
    list_select_related = ["version"]
