"""Reminders as database rows: the database decides what is due (contract 5).

A reminder names who gets it (a patient, a carer or a staff user) but never
copies their address: the address is read from the recipient when it is sent,
so a corrected phone number or a withdrawn consent applies to rows already
queued.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Clinic
from patients.models import Carer, Patient
from sessions_app.models import Action, DialogSession


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class ContactChannel(models.TextChoices):
    """What a patient chose: a reminder channel, or none at all."""

    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    NONE = "none", _("No reminders")


def _mask(text, *, keep_start, keep_end):
    """``text`` with all but its first and last few characters hidden."""
    if len(text) <= keep_start + keep_end:
        return "•" * len(text)
    hidden = len(text) - keep_start - keep_end
    return text[:keep_start] + "•" * hidden + text[len(text) - keep_end :]


class ContactPreference(models.Model):
    """How a patient wants to be reminded, and whether they agreed to it."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="contact_preference"
    )
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=32, blank=True, help_text=_("With the country code.")
    )
    channel = models.CharField(
        _("remind by"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.SMS
    )
    consent_to_reminders = models.BooleanField(_("agrees to receive reminders"), default=False)
    # Who recorded the patient's answer about reminders, and when: the last change.
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")

    def __str__(self):
        return str(self.patient)

    @property
    def accepts_reminders(self):
        return (
            self.consent_to_reminders
            and self.opted_out_at is None
            and self.channel != ContactChannel.NONE
        )

    def address_for(self, channel):
        if channel == Channel.EMAIL:
            return self.email
        if channel == Channel.SMS:
            return self.phone
        return ""

    @property
    def masked_phone(self):
        """Enough of the number to recognise it on a shared screen: +381•••••567."""
        return _mask(self.phone, keep_start=4, keep_end=3) if self.phone else ""

    @property
    def masked_email(self):
        """The first letter of the name and the whole domain: p•••@example.org."""
        if not self.email:
            return ""
        name, _at, domain = self.email.rpartition("@")
        return f"{_mask(name, keep_start=1, keep_end=0)}@{domain}"


class Reminder(models.Model):
    class Kind(models.TextChoices):
        APPOINTMENT_PATIENT = "appointment_patient", _("Appointment (patient)")
        APPOINTMENT_CARER = "appointment_carer", _("Appointment (carer)")
        APPOINTMENT_CLINICIAN = "appointment_clinician", _("Appointment (clinician)")
        ACTION_DUE = "action_due", _("Action due")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Exactly one of patient-as-recipient, carer or user is the recipient; the
    # patient is always set, so the row belongs to one patient's record.
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="reminders")
    carer = models.ForeignKey(
        Carer, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    # "patient:12", "carer:3", "user:7": one column the unique key can use,
    # because NULLs never collide in a unique constraint.
    recipient_key = models.CharField(max_length=40)
    session = models.ForeignKey(
        DialogSession, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # What the reminder is about (the appointment, or the action's due day at
    # the start of the day), so a changed appointment is noticed at send time.
    event_at = models.DateTimeField(_("appointment"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("reason"), max_length=300, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-due_at", "-id"]
        indexes = [
            # The dispatcher's question, asked every minute.
            models.Index(fields=["status", "due_at"], name="reminder_status_due"),
            models.Index(fields=["clinic", "status", "due_at"], name="reminder_clinic_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "recipient_key"],
                condition=models.Q(session__isnull=False),
                name="reminder_once_per_session_kind_recipient",
            ),
            models.UniqueConstraint(
                fields=["action", "kind"],
                condition=models.Q(action__isnull=False),
                name="reminder_once_per_action_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(session__isnull=False) | models.Q(action__isnull=False),
                name="reminder_has_subject",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"
