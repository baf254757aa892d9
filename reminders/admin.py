from django.contrib import admin

from .models import Appointment, CarerContactPreference, ContactPreference, Reminder


@admin.register(ContactPreference)
class ContactPreferenceAdmin(admin.ModelAdmin):
    list_display = ["patient", "channel", "consent_to_reminders", "opted_out_at"]
    list_filter = ["channel", "consent_to_reminders"]
    raw_id_fields = ["patient", "consent_recorded_by"]


@admin.register(CarerContactPreference)
class CarerContactPreferenceAdmin(admin.ModelAdmin):
    list_display = ["carer", "channel", "consent_to_reminders", "opted_out_at"]
    list_filter = ["channel", "consent_to_reminders"]
    raw_id_fields = ["carer", "consent_recorded_by"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["id", "clinic", "patient", "starts_at", "cancelled_at"]
    list_filter = ["clinic"]
    raw_id_fields = ["patient", "session", "created_by"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["id", "clinic", "kind", "channel", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "channel", "clinic"]
    raw_id_fields = ["patient", "carer", "user", "appointment", "action"]
    readonly_fields = ["provider_message_id", "claimed_at", "sent_at", "created_at", "updated_at"]
