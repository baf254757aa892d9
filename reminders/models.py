"""Appointments, contact preferences and reminders as database rows: the
database decides what is due (contract 5).

A reminder names who gets it (a patient, a carer or a staff user) but never
copies their address: the address is read from the recipient when it is sent,
so a corrected phone number, a withdrawn consent or an opt-out applies to rows
already queued.
"""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Clinic
from dialogplus.encryption import EncryptedCharField, EncryptedEmailField
from patients.models import Carer, Patient
from sessions_app.models import Action, DialogSession


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class ContactChannel(models.TextChoices):
    """What a patient or carer chose: a reminder channel, or none at all."""

    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    NONE = "none", _("No reminders")


class OptOutSource(models.TextChoices):
    CLINIC = "clinic", _("recorded by the clinic")
    LINK = "link", _("by the link in a reminder")


def _mask(text, *, keep_start, keep_end):
    """``text`` with all but its first and last few characters hidden."""
    if len(text) <= keep_start + keep_end:
        return "•" * len(text)
    hidden = len(text) - keep_start - keep_end
    return text[:keep_start] + "•" * hidden + text[len(text) - keep_end :]


def mask_phone(phone):
    """Enough of the number to recognise it on a shared screen: +381•••••567."""
    return _mask(phone, keep_start=4, keep_end=3) if phone else ""


def mask_email(email):
    """The first letter of the name and the whole domain: p•••@example.org."""
    if not email:
        return ""
    name, _at, domain = email.rpartition("@")
    return f"{_mask(name, keep_start=1, keep_end=0)}@{domain}"


# Six random bytes: eight URL-safe characters. Half of a short opt-out link;
# the other half is a signature (reminders/optout.py).
OPT_OUT_KEY_BYTES = 6


def new_opt_out_key():
    return base64.urlsafe_b64encode(secrets.token_bytes(OPT_OUT_KEY_BYTES)).decode()


class ReminderPreference(models.Model):
    """What a recipient agreed to: the channel, consent (who recorded it, when)
    and an opt-out, which the recipient can also record by the link in any
    reminder."""

    channel = models.CharField(
        _("remind by"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.SMS
    )
    consent_to_reminders = models.BooleanField(_("agrees to receive reminders"), default=False)
    # Who recorded the answer about reminders, and when: the last change. No
    # user and a time: the recipient withdrew it with the opt-out link.
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    opt_out_source = models.CharField(max_length=10, choices=OptOutSource.choices, blank=True)
    # The stored half of the opt-out link; made when the first message needs it.
    opt_out_key = models.CharField(max_length=12, unique=True, null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The key exists before any message needs it: a link sent in a message
        # must never name a key whose transaction was rolled back.
        if not self.opt_out_key:
            self.opt_out_key = new_opt_out_key()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "opt_out_key"}
        super().save(*args, **kwargs)

    @property
    def accepts_reminders(self):
        return (
            self.consent_to_reminders
            and self.opted_out_at is None
            and self.channel != ContactChannel.NONE
        )

    @property
    def opted_out_by_link(self):
        return self.opted_out_at is not None and self.opt_out_source == OptOutSource.LINK


class ContactPreference(ReminderPreference):
    """How a patient wants to be reminded, and whether they agreed to it.

    The address is encrypted at rest (dialogplus/encryption.py): it can be read
    and replaced, never searched.
    """

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="contact_preference"
    )
    email = EncryptedEmailField(_("email address"), max_length=254, blank=True)
    phone = EncryptedCharField(
        _("mobile phone"), max_length=32, blank=True, help_text=_("With the country code.")
    )

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")

    def __str__(self):
        return str(self.patient)

    def address_for(self, channel):
        if channel == Channel.EMAIL:
            return self.email
        if channel == Channel.SMS:
            return self.phone
        return ""

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_email(self):
        return mask_email(self.email)


class CarerContactPreference(ReminderPreference):
    """A carer's own choice about appointment reminders.

    The address is the carer's (``Carer.email`` / ``Carer.phone``, encrypted
    there); reminders also need the patient's consent on the carer
    (``Carer.has_consent``), read again at send time.
    """

    carer = models.OneToOneField(
        Carer, on_delete=models.CASCADE, related_name="reminder_preference"
    )

    class Meta:
        verbose_name = _("carer's reminder preference")
        verbose_name_plural = _("carers' reminder preferences")

    def __str__(self):
        return str(self.carer)


class Appointment(models.Model):
    """A patient's appointment at the clinic, stored in UTC.

    A patient has at most one upcoming appointment that is not cancelled:
    setting a new one cancels the one it replaces (reminders/services), so the
    rows keep the history of moves. ``session`` is the session it was agreed
    at, when it was set at the end of one.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="appointments")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField(_("appointment"))
    session = models.ForeignKey(
        DialogSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # The patient's reminder carries a fresh rating link (sessions_app/rating_links.py).
    send_rating_link = models.BooleanField(_("send a rating link with the reminder"), default=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [
            # The agenda and the daily agenda email: a clinic's appointments by time.
            models.Index(fields=["clinic", "starts_at"], name="appointment_clinic_starts"),
            models.Index(fields=["patient", "starts_at"], name="appointment_patient_starts"),
        ]
        constraints = [
            # A double tap on "Set" cannot book the same time twice.
            models.UniqueConstraint(
                fields=["patient", "starts_at"],
                condition=models.Q(cancelled_at__isnull=True),
                name="appointment_once_per_patient_time",
            ),
        ]

    def __str__(self):
        return f"{self.patient} {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


class Reminder(models.Model):
    class Kind(models.TextChoices):
        APPOINTMENT_PATIENT = "appointment_patient", _("Appointment (patient)")
        APPOINTMENT_CARER = "appointment_carer", _("Appointment (carer)")
        # Written before the daily agenda replaced it; rows that exist still send.
        APPOINTMENT_CLINICIAN = "appointment_clinician", _("Appointment (clinician)")
        ACTION_DUE = "action_due", _("Action due")
        # An action a carer (with both consents) or the clinician agreed to do.
        ACTION_DUE_CARER = "action_due_carer", _("Action due (carer)")
        ACTION_DUE_CLINICIAN = "action_due_clinician", _("Action due (clinician)")
        AGENDA_CLINICIAN = "agenda_clinician", _("Daily agenda (clinician)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Exactly one of patient-as-recipient, carer or user is the recipient. The
    # patient is set on every row about one patient (all but the daily agenda),
    # so the row belongs to that patient's record.
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
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
    # "patient:12", "carer:3", "user:7": one column the unique keys can use,
    # because NULLs never collide in a unique constraint.
    recipient_key = models.CharField(max_length=40)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # The daily agenda's day, on the clinic's calendar.
    agenda_date = models.DateField(_("day"), null=True, blank=True)
    # What the reminder is about (the appointment, the action's due day or the
    # agenda's day at their local midnight), so a change is noticed at send time.
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
                fields=["appointment", "kind", "recipient_key"],
                condition=models.Q(appointment__isnull=False),
                name="reminder_once_per_appointment_kind_recipient",
            ),
            models.UniqueConstraint(
                fields=["action", "kind", "recipient_key"],
                condition=models.Q(action__isnull=False),
                name="reminder_once_per_action_kind_recipient",
            ),
            models.UniqueConstraint(
                fields=["clinic", "kind", "recipient_key", "agenda_date"],
                condition=models.Q(agenda_date__isnull=False),
                name="reminder_agenda_once_per_user_day",
            ),
            models.CheckConstraint(
                condition=models.Q(appointment__isnull=False)
                | models.Q(action__isnull=False)
                | models.Q(agenda_date__isnull=False),
                name="reminder_has_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(patient__isnull=False) | models.Q(kind="agenda_clinician"),
                name="reminder_patient_unless_agenda",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"
