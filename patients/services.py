"""Writes and rules for patients.

A patient belongs to one clinic for good; their key clinician must be an
active clinician of that clinic. Forms check the same rules for friendly
messages, but these services are what hold them, whoever calls.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Patient
from .selectors import clinicians_for_clinic

if TYPE_CHECKING:
    from accounts.models import Clinic, User

logger = logging.getLogger(__name__)

# The fields a clinician may set; clinic and code are never taken from input.
EDITABLE_FIELDS = frozenset(
    {"full_name", "language", "key_clinician", "planned_sessions", "session_interval_days"}
)


def _check_fields(fields: Iterable[str]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable on a patient: {', '.join(sorted(unknown))}")


def _check_key_clinician(*, clinic: Clinic, key_clinician: User | None) -> None:
    if key_clinician is None:
        return
    if not clinicians_for_clinic(clinic).filter(pk=key_clinician.pk).exists():
        raise ValidationError(
            {"key_clinician": _("Choose a key clinician who works as a clinician in this clinic.")},
            code="key_clinician_not_in_clinic",
        )


def _validate_and_save(patient: Patient, *, update_fields: list[str] | None = None) -> Patient:
    # full_clean checks choices and the range constraints of the plan, so a bad
    # value becomes a message instead of a database error.
    patient.full_clean()
    patient.save(update_fields=update_fields)
    return patient


def patient_create(*, clinic: Clinic, created_by: User, **fields: Any) -> Patient:
    """Register a patient in ``clinic`` and return them.

    ``fields`` are any of ``EDITABLE_FIELDS``. Left out: the language and the
    plan (sessions, interval) come from the clinic, and the key clinician is
    ``created_by`` when they are a clinician there. Raises ``ValidationError``
    (with per-field messages) when a value breaks a rule, e.g. a key clinician
    from another clinic.
    """
    _check_fields(fields)
    fields.setdefault("language", clinic.default_language)
    fields.setdefault("planned_sessions", clinic.planned_sessions)
    fields.setdefault("session_interval_days", clinic.session_interval_days)
    if "key_clinician" not in fields:
        is_clinician_here = clinicians_for_clinic(clinic).filter(pk=created_by.pk).exists()
        fields["key_clinician"] = created_by if is_clinician_here else None
    _check_key_clinician(clinic=clinic, key_clinician=fields["key_clinician"])
    fields["full_name"] = " ".join(str(fields.get("full_name", "")).split())
    patient = _validate_and_save(Patient(clinic=clinic, **fields))
    # Who registered whom, by opaque code: names stay out of logs.
    logger.info(
        "patient %s created in clinic %s by user %s", patient.code, clinic.pk, created_by.pk
    )
    return patient


def patient_update(*, patient: Patient, **fields: Any) -> Patient:
    """Change a patient's details and return the patient.

    ``fields`` are any of ``EDITABLE_FIELDS``; only those are saved. The clinic
    never changes. Raises ``ValidationError`` with per-field messages when a
    value breaks a rule; nothing is saved then.
    """
    _check_fields(fields)
    if "key_clinician" in fields:
        _check_key_clinician(clinic=patient.clinic, key_clinician=fields["key_clinician"])
    if "full_name" in fields:
        fields["full_name"] = " ".join(str(fields["full_name"]).split())
    if not fields:
        return patient
    for name, value in fields.items():
        setattr(patient, name, value)
    return _validate_and_save(patient, update_fields=[*fields, "updated_at"])
