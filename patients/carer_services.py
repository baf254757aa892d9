"""Writes and rules for carers and the patient's consent to share with them.

Consent is the patient's, recorded by a clinician: "the patient agrees to share
session summaries with this carer" (and, separately, the ratings). Three states:
never given, active, withdrawn. ``consent_recorded_at/by`` always name the last
consent decision (given, changed or withdrawn); every change is also a row in
``carer.history`` with who made it, so the consent history can be shown.

A withdrawal clears what is shared as well as stamping ``consent_withdrawn_at``:
whatever reads the flags alone still shares nothing. Sharing again later is a
new consent, recorded like the first.

Carers sign in with their own account, reached through an invitation link. One
person caring for two patients has one account (found by email). A staff account
is never turned into a carer's: the invitation is refused.
"""

from __future__ import annotations

import datetime
import logging
from smtplib import SMTPException
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.invitations import invitation_send
from accounts.models import Membership, User
from dialogplus.change_history import history_by
from dialogplus.languages import LANGUAGES, preferred_language

from .models import Carer

if TYPE_CHECKING:
    from .models import Patient

logger = logging.getLogger(__name__)

LANGUAGE_CODES = frozenset(code for code, _name in LANGUAGES)


def carer_language(carer: Carer, *, own: str | None = None) -> str:
    """The language to write to a carer in, by ``preferred_language``'s steps:
    their account's own choice (``own`` overrides it: an account being made
    has none yet), else the language the clinician recorded for them, else the
    patient's, else the clinic's. Invitations and reminders use it."""
    if own is None:
        user = carer.user if carer.user_id else None
        own = user.language if user is not None else ""
    return preferred_language(
        own=own,
        recorded=lambda: (carer.language, carer.patient.language),
        clinic=lambda: carer.patient.clinic.default_language,
    )


def consent_would_change(carer: Carer, *, share_summaries: bool, share_ratings: bool) -> bool:
    """Whether saving these answers records a new consent decision.

    A carer without a pk has no consent yet; ratings only count with summaries.
    """
    had = carer.pk is not None and carer.has_consent
    before = (had, had and carer.share_ratings)
    after = (bool(share_summaries), bool(share_summaries) and bool(share_ratings))
    return before != after


def _clean_details(
    *, full_name: str, relationship: str, email: str, phone: str, language: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    full_name = " ".join(str(full_name).split())
    if not full_name:
        errors["full_name"] = _("Enter the carer's full name.")
    if language and language not in LANGUAGE_CODES:
        errors["language"] = _("Choose one of the languages shown.")
    if errors:
        raise ValidationError(errors)
    return {
        "full_name": full_name,
        "relationship": " ".join(str(relationship).split()),
        "email": str(email).strip().lower(),
        "phone": str(phone).strip(),
        "language": language or "",
    }


def _forget_account_if_email_changes(carer: Carer, email: str) -> None:
    if carer.pk is not None and carer.user_id and email != carer.email:
        # The invitation went to the old address, which may not be the carer's
        # at all: the link to that account ends, and the carer is invited again.
        carer.user = None
        carer.invited_at = None


def carer_contact_set(*, carer: Carer, by: User, email: str, phone: str) -> Carer:
    """Change only how a carer is reached (the carer's reminder form), under the
    same rule as the carer form: a new email address ends the link to the
    account the old one was invited to."""
    email, phone = str(email).strip().lower(), str(phone).strip()
    if (carer.email, carer.phone) == (email, phone):
        return carer
    _forget_account_if_email_changes(carer, email)
    carer.email, carer.phone = email, phone
    # Carer keeps a change history: saved, never updated in bulk.
    history_by(carer, by)
    carer.save(update_fields=["email", "phone", "user", "invited_at"])
    return carer


def _apply_consent(
    carer: Carer,
    *,
    share_summaries: bool,
    share_ratings: bool,
    recorded_by: User,
    now: datetime.datetime,
) -> None:
    if share_summaries:
        # Given now, changed, or given again after a withdrawal: a new consent.
        carer.share_summaries = True
        carer.share_ratings = bool(share_ratings)
        carer.consent_withdrawn_at = None
    else:
        if carer.pk is not None and carer.has_consent:
            carer.consent_withdrawn_at = now
        carer.share_summaries = False
        carer.share_ratings = False
    carer.consent_recorded_at = now
    carer.consent_recorded_by = recorded_by


def _save(
    carer: Carer,
    *,
    recorded_by: User,
    details: dict[str, Any],
    share_summaries: bool,
    share_ratings: bool,
    patient_confirmed: bool,
) -> Carer:
    if share_ratings and not share_summaries:
        raise ValidationError(
            {"share_ratings": _("Ratings are shared only together with the summaries.")},
            code="ratings_without_summaries",
        )
    now = timezone.now()
    changes_consent = consent_would_change(
        carer, share_summaries=share_summaries, share_ratings=share_ratings
    )
    if changes_consent and not patient_confirmed:
        raise ValidationError(
            {"confirm": _("Confirm that the patient told you this today.")},
            code="consent_not_confirmed",
        )
    _forget_account_if_email_changes(carer, details["email"])
    for name, value in details.items():
        setattr(carer, name, value)
    if changes_consent:
        _apply_consent(
            carer,
            share_summaries=share_summaries,
            share_ratings=share_ratings,
            recorded_by=recorded_by,
            now=now,
        )
    carer.full_clean()
    # The history row names the clinician even outside a request (a task, a shell).
    history_by(carer, recorded_by)
    carer.save()
    return carer


def carer_create(
    *,
    patient: Patient,
    recorded_by: User,
    full_name: str,
    relationship: str = "",
    email: str = "",
    phone: str = "",
    language: str = "",
    share_summaries: bool = False,
    share_ratings: bool = False,
    patient_confirmed: bool = False,
) -> Carer:
    """Name a carer of ``patient`` and record what the patient agrees to share.

    Recording any sharing needs ``patient_confirmed``: the clinician confirms the
    patient said so today. Raises ``ValidationError`` with per-field messages.
    """
    details = _clean_details(
        full_name=full_name, relationship=relationship, email=email, phone=phone, language=language
    )
    carer = _save(
        Carer(patient=patient),
        recorded_by=recorded_by,
        details=details,
        share_summaries=share_summaries,
        share_ratings=share_ratings,
        patient_confirmed=patient_confirmed,
    )
    logger.info("carer %s of patient %s added by user %s", carer.pk, patient.code, recorded_by.pk)
    return carer


def carer_update(
    *,
    carer: Carer,
    recorded_by: User,
    full_name: str,
    relationship: str = "",
    email: str = "",
    phone: str = "",
    language: str = "",
    share_summaries: bool = False,
    share_ratings: bool = False,
    patient_confirmed: bool = False,
) -> Carer:
    """Change a carer's details and what the patient agrees to share.

    A change of consent (given, widened, narrowed or withdrawn) needs
    ``patient_confirmed`` and is recorded with ``recorded_by`` and the time;
    turning sharing on after a withdrawal is a new consent. A new email address
    ends the link to the account invited at the old one.
    """
    details = _clean_details(
        full_name=full_name, relationship=relationship, email=email, phone=phone, language=language
    )
    return _save(
        carer,
        recorded_by=recorded_by,
        details=details,
        share_summaries=share_summaries,
        share_ratings=share_ratings,
        patient_confirmed=patient_confirmed,
    )


def carer_withdraw_consent(*, carer: Carer, recorded_by: User) -> Carer:
    """The patient no longer agrees to share: from the carer's next request on
    they see nothing of this patient. Withdrawing twice changes nothing."""
    if not carer.has_consent:
        return carer
    now = timezone.now()
    _apply_consent(
        carer, share_summaries=False, share_ratings=False, recorded_by=recorded_by, now=now
    )
    history_by(carer, recorded_by)
    carer.save(
        update_fields=[
            "share_summaries",
            "share_ratings",
            "consent_withdrawn_at",
            "consent_recorded_at",
            "consent_recorded_by",
        ]
    )
    logger.info(
        "consent for carer %s of patient %s withdrawn by user %s",
        carer.pk,
        carer.patient.code,
        recorded_by.pk,
    )
    return carer


def _is_staff_account(user: User) -> bool:
    return user.is_staff or user.is_superuser or Membership.objects.filter(user=user).exists()


def _account_for(carer: Carer) -> User:
    """The account for the carer's email: found (any patient's carer) or created
    without a usable password, speaking the carer's language."""
    user = User.objects.filter(email__iexact=carer.email).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            return User.objects.create_user(
                carer.email,
                password=None,
                full_name=carer.full_name,
                language=carer_language(carer, own=""),
            )
    except IntegrityError:
        # Invited at the same moment from another tablet: use that account.
        return User.objects.get(email__iexact=carer.email)


def carer_invite(*, carer: Carer, invited_by: User) -> Carer:
    """Email the carer a link to choose a password and sign in; send it again
    when asked. Returns the carer, linked to their account, with ``invited_at``.

    Refused (``ValidationError``) without an email address, and when the address
    belongs to a clinic's staff: the message does not say which clinic. The
    invitation is in the carer's language and says nothing about the patient.
    """
    if not carer.email:
        raise ValidationError(
            _("Add the carer's email address first: the invitation is sent there."),
            code="no_email",
        )
    existing = User.objects.filter(email__iexact=carer.email).first()
    if existing is not None and _is_staff_account(existing):
        raise ValidationError(
            _(
                "This email address belongs to a staff account, so it cannot be a carer's "
                "sign-in. Ask the carer for another address."
            ),
            code="staff_account",
        )
    try:
        with transaction.atomic():
            user = _account_for(carer)
            carer.user = user
            carer.invited_at = timezone.now()
            history_by(carer, invited_by)
            carer.save(update_fields=["user", "invited_at"])
            invitation_send(
                user=user,
                invited_by=invited_by,
                clinic=carer.patient.clinic,
                language=carer_language(carer),
                role=gettext_lazy("a carer"),
            )
    except (SMTPException, OSError) as exc:
        logger.warning("invitation to carer %s could not be sent: %s", carer.pk, exc)
        carer.refresh_from_db()
        raise ValidationError(
            _("The invitation could not be sent just now. Nothing was changed; try again later."),
            code="send_failed",
        ) from exc
    logger.info(
        "carer %s of patient %s invited by user %s",
        carer.pk,
        carer.patient.code,
        invited_by.pk,
    )
    return carer
