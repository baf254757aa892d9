import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Clinic
from dialogplus.encryption import EncryptedCharField, EncryptedEmailField
from dialogplus.languages import LANGUAGES

# Codes go in URLs instead of names or database ids: unguessable, and they say
# nothing about the person. No 0/O or 1/I/L, so they can be read out loud.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length=10):
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code, editable=False)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(
        _("patient's language"),
        max_length=10,
        choices=LANGUAGES,
        help_text=_("Used on the screens handed to the patient and in printouts."),
    )
    key_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_patients",
        verbose_name=_("key clinician"),
    )
    planned_sessions = models.PositiveSmallIntegerField(_("planned sessions"), default=6)
    session_interval_days = models.PositiveSmallIntegerField(_("days between sessions"), default=30)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the patient asked to be forgotten: what identifies them is gone
    # and only what the clinic must keep remains (patients/erasure.py).
    pseudonymised_at = models.DateTimeField(_("pseudonymised"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["clinic", "full_name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_sessions__gte=1, planned_sessions__lte=50)
                & models.Q(session_interval_days__gte=1, session_interval_days__lte=365),
                name="patient_plan_in_range",
            )
        ]

    def __str__(self):
        return self.full_name


class Carer(models.Model):
    """Someone the patient named as their carer, and what the patient agreed to share.

    A carer may sign in (``user``) and then reads only the session summaries the
    patient consented to share, for as long as the consent stands.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="carers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer_links",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    relationship = models.CharField(_("relationship to the patient"), max_length=100, blank=True)
    email = EncryptedEmailField(_("email address"), max_length=254, blank=True)
    phone = EncryptedCharField(
        _("mobile phone"), max_length=32, blank=True, help_text=_("With the country code.")
    )
    language = models.CharField(
        _("carer's language"),
        max_length=10,
        choices=LANGUAGES,
        blank=True,
        help_text=_("Empty: the patient's language."),
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    share_summaries = models.BooleanField(
        _("patient agrees to share session summaries"), default=False
    )
    share_ratings = models.BooleanField(_("patient agrees to share ratings"), default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Every consent change: who recorded it, when, and what it was before.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("carer")
        verbose_name_plural = _("carers")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    @property
    def has_consent(self):
        return self.share_summaries and self.consent_withdrawn_at is None
