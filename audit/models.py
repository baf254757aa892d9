"""Who looked at which patient's record: an append-only log.

A row says who (and in which role) opened what kind of page of which patient,
and when. It never holds clinical text: the page is named by a fixed kind, and
a session by its opaque code. Rows are never changed or deleted by the app,
and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002).
Change history (before/after) is kept by django-simple-history on the audited
models themselves; this log is about reading.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    """Bulk writes bypass ``save``/``delete``; they are refused here as well."""

    def update(self, **kwargs):
        raise AppendOnlyError("Access log rows are never changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Access log rows are never changed.")

    def delete(self):
        raise AppendOnlyError("Access log rows are never deleted.")


class AccessLog(models.Model):
    class Kind(models.TextChoices):
        PATIENT = "patient", _("Patient record")
        SESSION = "session", _("Session")
        SUMMARY = "summary", _("Session summary")
        PRINT = "print", _("Printout")
        PDF = "pdf", _("PDF summary")
        HISTORY = "history", _("Change history")
        CARER_SUMMARY = "carer_summary", _("Summary shared with a carer")
        EXPORT = "export", _("Export of the whole record")
        ERASURE = "erasure", _("Erasure")
        ACCESS_REPORT = "access_report", _("List of who saw the record")
        # The patient's own rating link (sessions_app/views/link.py): no account.
        RATING_LINK_OPENED = "rating_link_opened", _("Rating link opened")
        RATING_LINK_ANSWERED = "rating_link_answered", _("Rating link answered")
        RATING_LINK_REFUSED = "rating_link_refused", _("Rating link refused")

    class Role(models.TextChoices):
        CLINICIAN = "clinician", _("Clinician")
        ADMIN = "admin", _("Clinic admin")
        CARER = "carer", _("Carer")
        SUPERUSER = "superuser", _("System administrator")
        PATIENT = "patient", _("Patient (rating link)")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="+", verbose_name=_("clinic")
    )
    # Patients are pseudonymised, never deleted, while their log exists; the
    # code is kept so the log reads the same either way.
    patient = models.ForeignKey(
        "patients.Patient",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("patient"),
    )
    patient_code = models.CharField(_("patient code"), max_length=16)
    # Accounts are deactivated, never deleted, once they have read a record.
    # Nobody for the patient's own rating link, which needs no account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The name at the time, so the log reads the same after a name change.
    user_name = models.CharField(_("who"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    session_code = models.CharField(_("session"), max_length=16, blank=True)
    # Why an admin exported a whole record: the request's reference, not clinical text.
    # A database default too: rows are also written by raw INSERTs (the
    # append-only trigger's tests, manual repairs), which leave the column out.
    reason = models.CharField(
        _("request reference or reason"), max_length=200, blank=True, default="", db_default=""
    )

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("record access")
        verbose_name_plural = _("record accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-at"], name="accesslog_patient_at"),
            models.Index(fields=["clinic", "-at"], name="accesslog_clinic_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_name} {self.kind} {self.patient_code}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Access log rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access log rows are never deleted.")
