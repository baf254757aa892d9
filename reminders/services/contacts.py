"""Contact details, consent and opt-out of patients and carers."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patients.carer_services import carer_contact_set

from ..models import CarerContactPreference, ContactChannel, ContactPreference, OptOutSource
from .scheduling import reschedule_patient_after_commit

if TYPE_CHECKING:
    from accounts.models import User
    from patients.models import Carer, Patient


def _record_choice(
    pref: ContactPreference | CarerContactPreference,
    *,
    by: User,
    channel: str,
    consent: bool,
    opted_out: bool,
    created: bool,
    now: datetime.datetime,
) -> None:
    """Apply the clinician's answers to a preference (not saved).

    A change of consent records who entered it and when. Opting out keeps the
    first opt-out time. Ending an opt-out is a new consent: it needs the box
    ticked, and is recorded as given now, by this clinician.
    """
    if channel not in ContactChannel.values:
        raise ValidationError(_("Choose how reminders are sent."), code="channel")
    resubscribing = pref.opted_out_at is not None and not opted_out
    if resubscribing and not consent:
        raise ValidationError(
            {
                "consent": _(
                    "Reminders were stopped. To send them again, record the consent "
                    "again: tick this box."
                )
            },
            code="consent_needed",
        )
    if created or resubscribing or pref.consent_to_reminders != consent:
        pref.consent_recorded_at = now
        pref.consent_recorded_by = by
    pref.channel = channel
    pref.consent_to_reminders = consent
    if not opted_out:
        pref.opted_out_at = None
        pref.opt_out_source = ""
    elif pref.opted_out_at is None:
        pref.opted_out_at = now
        pref.opt_out_source = OptOutSource.CLINIC


def contact_preference_save(
    *,
    patient: Patient,
    by: User,
    channel: str,
    phone: str,
    email: str,
    consent: bool,
    opted_out: bool,
    now: datetime.datetime | None = None,
) -> ContactPreference:
    """Record how the patient wants to be reminded, and whether they agreed.

    Pending reminders (the upcoming appointment's, the actions') are brought in
    line after the commit: created on a new consent, cancelled on an opt-out.
    """
    now = now or timezone.now()
    with transaction.atomic():
        pref, created = ContactPreference.objects.select_for_update().get_or_create(patient=patient)
        _record_choice(
            pref,
            by=by,
            channel=channel,
            consent=consent,
            opted_out=opted_out,
            created=created,
            now=now,
        )
        pref.phone = phone
        pref.email = email
        pref.save()
        reschedule_patient_after_commit(patient)
    return pref


def carer_preference_save(
    *,
    carer: Carer,
    by: User,
    channel: str,
    phone: str,
    email: str,
    consent: bool,
    opted_out: bool,
    now: datetime.datetime | None = None,
) -> CarerContactPreference:
    """Record a carer's reminder channel, consent and opt-out, and their phone
    and email on the carer (the addresses carers are reached at everywhere).

    Reminders also need the patient's consent on the carer, which this form
    does not change. Pending reminders follow after the commit.
    """
    now = now or timezone.now()
    with transaction.atomic():
        pref, created = CarerContactPreference.objects.select_for_update().get_or_create(
            carer=carer
        )
        _record_choice(
            pref,
            by=by,
            channel=channel,
            consent=consent,
            opted_out=opted_out,
            created=created,
            now=now,
        )
        pref.save()
        carer_contact_set(carer=carer, by=by, email=email, phone=phone)
        reschedule_patient_after_commit(carer.patient)
    return pref


def opt_out_record(
    *, preference: ContactPreference | CarerContactPreference, now: datetime.datetime | None = None
) -> ContactPreference | CarerContactPreference:
    """The recipient asked, by the link in a reminder, to stop all reminders.

    It withdraws their consent too, so only a clinician recording consent
    again starts reminders again. Pending reminders are cancelled at once (in
    this transaction, so nothing queued slips out), and every later send checks
    the preference again anyway. Asking twice keeps the first time.
    """
    now = now or timezone.now()
    with transaction.atomic():
        pref = type(preference).objects.select_for_update().get(pk=preference.pk)
        if pref.opted_out_at is None:
            pref.opted_out_at = now
            pref.opt_out_source = OptOutSource.LINK
            pref.consent_to_reminders = False
            pref.consent_recorded_at = now
            pref.consent_recorded_by = None
            pref.save()
            patient = pref.patient if isinstance(pref, ContactPreference) else pref.carer.patient
            reschedule_patient_after_commit(patient)
    return pref
