import secrets

from django.conf import settings
from django.db import models, transaction
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
    # Encrypted: with the clinic beside it, a name says who is a psychiatric
    # patient where. Found through ``PatientNameToken`` (patients/name_index.py);
    # lists sort by it in Python.
    full_name = EncryptedCharField(_("full name"), max_length=200)
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
    # and only what the clinic must keep remains (records/erasure.py).
    pseudonymised_at = models.DateTimeField(_("pseudonymised"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_sessions__gte=1, planned_sessions__lte=50)
                & models.Q(session_interval_days__gte=1, session_interval_days__lte=365),
                name="patient_plan_in_range",
            )
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # Here rather than in a service: the admin and factories save patients too,
        # and a name the index does not know could not be found.
        from .name_index import index_patients

        with transaction.atomic():
            super().save(*args, **kwargs)
            if self._indexed != (self.full_name, self.pseudonymised_at):
                index_patients([self])
        self._indexed = (self.full_name, self.pseudonymised_at)

    # The name and pseudonymisation as last indexed (or loaded): a save that
    # changes neither leaves the index alone.
    _indexed = None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "full_name" in field_names and "pseudonymised_at" in field_names:
            instance._indexed = (instance.full_name, instance.pseudonymised_at)
        return instance


class PatientNameToken(models.Model):
    """One entry of the blind index of patients' names: a keyed hash of the
    beginning of a word of the name (patients/name_index.py), never the text."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="name_tokens")
    digest = models.CharField(max_length=64, db_index=True)
    # Which index key wrote it: rotation rebuilds the rows of older keys.
    key_tag = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "digest"], name="patient_name_token_unique")
        ]

    def __str__(self):
        return f"{self.patient_id}:{self.digest[:8]}"


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
    # Encrypted like the patient's name: "mother" and a surname name the patient.
    # Nobody searches carers; lists sort them in Python.
    full_name = EncryptedCharField(_("full name"), max_length=200)
    relationship = EncryptedCharField(_("relationship to the patient"), max_length=100, blank=True)
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

    def __str__(self):
        return self.full_name

    @property
    def has_consent(self):
        return self.share_summaries and self.consent_withdrawn_at is None
