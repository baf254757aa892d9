"""Writes and rules of staff management.

Every membership change goes through ``.save()`` with the acting admin as the
history user, so the member page can say who changed what and when.
"""

from __future__ import annotations

import enum
import logging
import smtplib
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.invitations import invitation_send
from accounts.languages import user_language
from accounts.models import Clinic, Membership, User
from accounts.selectors import invitation_is_pending
from dialogplus.change_history import history_by
from dialogplus.languages import preferred_language
from patients.models import Carer, Patient
from patients.selectors import clinicians_for_clinic

logger = logging.getLogger(__name__)

# Mail that could not be handed to the mail server: the admin is told, nothing is kept.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


class InviteOutcome(enum.Enum):
    INVITED = "invited"
    RESENT = "resent"


# --- invitations ---------------------------------------------------------------------


def staff_invite(
    *,
    clinic: Clinic,
    invited_by: User,
    full_name: str,
    email: str,
    role: str,
    profession: str,
    language: str = "",
) -> InviteOutcome:
    """Invite someone to ``clinic`` by an emailed link to choose their password.

    - A new address: an account without a usable password and a membership
      are created, and the invitation is sent in ``language`` (or the clinic's).
    - A member of this clinic still waiting to arrive: their details are
      updated and a new link is sent (``RESENT``).
    - A member of this clinic who arrived, or was deactivated: refused with a
      message about the email field (the admin knows them already).
    - Anyone else with an account (another clinic's staff, a carer): nothing
      is created here and the admin hears the same "invitation sent" as for a
      new address, so the address's existence does not leak to another clinic.
      The person is told by email that they were invited and that one account
      is added to a second clinic by the system administrator.

    The email is sent before the transaction commits: if the mail server
    refuses it, nothing is kept and a ``ValidationError`` says so.
    """
    email = email.strip().lower()
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(email=email).first()
            if user is None:
                user = User(email=email, full_name=full_name, language=language)
                user.set_unusable_password()
                user.save()
                _membership_create(
                    user=user, clinic=clinic, role=role, profession=profession, by=invited_by
                )
                _send(invitation_send, user, invited_by, clinic, role, language)
                return InviteOutcome.INVITED
            membership = Membership.objects.filter(user=user, clinic=clinic).first()
            if membership is None:
                _send_account_exists(user=user, invited_by=invited_by, clinic=clinic)
                return InviteOutcome.INVITED
            if not (membership.is_active and user.is_active):
                raise ValidationError(
                    {
                        "email": _(
                            "%(name)s is on your staff list but deactivated. "
                            "Reactivate them on their page."
                        )
                        % {"name": str(user)}
                    }
                )
            if not invitation_is_pending(user):
                raise ValidationError(
                    {"email": _("%(name)s already works in this clinic.") % {"name": str(user)}}
                )
            # Still waiting to arrive: correct what the admin typed, send a new link.
            user.full_name = full_name
            user.language = language
            user.save(update_fields=["full_name", "language"])
            if (membership.role, membership.profession) != (role, profession):
                membership.role = role
                membership.profession = profession
                history_by(membership, invited_by)
                membership.save(update_fields=["role", "profession"])
            _send(invitation_send, user, invited_by, clinic, role, language)
            return InviteOutcome.RESENT
    except IntegrityError as exc:
        # Two admins invited the same new address at the same moment.
        raise ValidationError(
            {"email": _("This address was just invited. Look for it in the staff list.")}
        ) from exc


def staff_invitation_resend(*, membership: Membership, by: User) -> None:
    """Send a new invitation link to a member who has not arrived yet."""
    user = membership.user
    if not (membership.is_active and user.is_active):
        raise ValidationError(_("Reactivate %(name)s before inviting them again.") % _names(user))
    if not invitation_is_pending(user):
        raise ValidationError(
            _("%(name)s has already chosen a password; there is no invitation to send.")
            % _names(user)
        )
    _send(invitation_send, user, by, membership.clinic, membership.role, user.language)


def _names(user: User) -> dict[str, str]:
    return {"name": str(user)}


def _send(
    send: Callable[..., Any],
    user: User,
    invited_by: User,
    clinic: Clinic,
    role: str,
    language: str,
) -> None:
    try:
        send(
            user=user,
            invited_by=invited_by,
            clinic=clinic,
            language=preferred_language(own=language, clinic=clinic.default_language),
            role=Membership.Role(role).label,
        )
    except MAIL_ERRORS as exc:
        logger.warning("Invitation to user %s not sent: %s", user.pk, exc)
        raise ValidationError(
            _("The email could not be sent. Nothing was saved; try again in a few minutes.")
        ) from exc


def _send_account_exists(*, user: User, invited_by: User, clinic: Clinic) -> None:
    """Tell someone who already has an account that a clinic tried to invite them."""
    language = user_language(user, fallback=clinic.default_language)
    context = {
        "user": user,
        "invited_by": str(invited_by),
        "clinic": clinic,
    }
    with translation.override(language):
        subject = render_to_string("accounts/email/staff_account_exists_subject.txt", context)
        body = render_to_string("accounts/email/staff_account_exists_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except MAIL_ERRORS as exc:
        # Said the same way as for a new address: the admin must not learn more.
        logger.warning("Existing-account notice to user %s not sent: %s", user.pk, exc)
        raise ValidationError(
            _("The email could not be sent. Nothing was saved; try again in a few minutes.")
        ) from exc


def _membership_create(
    *, user: User, clinic: Clinic, role: str, profession: str, by: User
) -> Membership:
    membership = Membership(user=user, clinic=clinic, role=role, profession=profession)
    history_by(membership, by)
    membership.save()
    return membership


# --- roles, deactivation ------------------------------------------------------------


def _is_counted_admin(membership: Membership) -> bool:
    return membership.role == Membership.Role.ADMIN and membership.is_active


def _ensure_another_admin(membership: Membership) -> None:
    """Refuse a change that would leave the clinic without an admin who can sign in.

    Other admins still waiting for their invitation do not count: they cannot
    sign in yet. Their rows are locked so two admins cannot demote each other
    at the same moment.
    """
    others = (
        Membership.objects.select_for_update(of=("self",))
        .filter(
            clinic_id=membership.clinic_id,
            role=Membership.Role.ADMIN,
            is_active=True,
            user__is_active=True,
        )
        .exclude(pk=membership.pk)
        .select_related("user")
    )
    if not any(other.user.has_usable_password() for other in others):
        raise ValidationError(
            _(
                "The clinic must keep at least one active clinic admin. "
                "Make someone else a clinic admin first."
            ),
            code="last_admin",
        )


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("user", "clinic")
        .get(pk=membership.pk)
    )


def membership_change(
    *, membership: Membership, role: str, profession: str, by: User
) -> Membership:
    """Change a member's role and profession; the clinic keeps an active admin."""
    with transaction.atomic():
        membership = _locked(membership)
        if _is_counted_admin(membership) and role != Membership.Role.ADMIN:
            _ensure_another_admin(membership)
        if (membership.role, membership.profession) == (role, profession):
            return membership
        membership.role = role
        membership.profession = profession
        history_by(membership, by)
        membership.save(update_fields=["role", "profession"])
        return membership


def membership_deactivate(*, membership: Membership, by: User) -> int:
    """Switch a member off, at once.

    Their place in the clinic becomes inactive; their account too unless they
    still have a place elsewhere or are someone's carer. Every sign-in they
    have open ends now, and an invitation link they have not used stops
    working. Their patients and sessions are untouched: colleagues see the
    patients and resume the open sessions (patients/selectors.py draws the
    boundary by clinic, not by clinician). Returns how many sign-ins ended.
    """
    with transaction.atomic():
        membership = _locked(membership)
        user = membership.user
        if user.pk == by.pk:
            raise ValidationError(
                _("You cannot deactivate yourself. Ask another clinic admin."), code="self"
            )
        if _is_counted_admin(membership):
            _ensure_another_admin(membership)
        if membership.is_active:
            membership.is_active = False
            history_by(membership, by)
            membership.save(update_fields=["is_active"])
        fields = []
        if user.is_active and not _still_needed(user):
            user.is_active = False
            fields.append("is_active")
        if not user.has_usable_password():
            # A new unusable password changes the hash the invitation tokens
            # are made from, so links already sent stop working.
            user.set_unusable_password()
            fields.append("password")
        if fields:
            user.save(update_fields=fields)
        return user_sessions_end(user=user)


def _still_needed(user: User) -> bool:
    """Whether the account serves elsewhere: another clinic, or as a carer."""
    return (
        Membership.objects.filter(user=user, is_active=True).exists()
        or Carer.objects.filter(user=user, consent_withdrawn_at__isnull=True).exists()
    )


def membership_reactivate(*, membership: Membership, by: User) -> Membership:
    """Switch a member on again (their account too). Someone who had not yet
    arrived needs a new invitation: the old link was voided."""
    with transaction.atomic():
        membership = _locked(membership)
        if not membership.is_active:
            membership.is_active = True
            history_by(membership, by)
            membership.save(update_fields=["is_active"])
        user = membership.user
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        return membership


def user_sessions_end(*, user: User) -> int:
    """End every open sign-in of ``user`` now; returns how many ended.

    Sessions live in the database (django.contrib.sessions): each unexpired one
    is read, and those signed in as ``user`` are deleted through the session
    store (which also clears a cached copy with the ``cached_db`` engine).
    Their next request finds no session and goes to the sign-in page.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    try:
        model = store_class.get_model_class()
    except AttributeError:
        # Cookie or cache-only sessions cannot be listed; an account switched
        # off is still refused at its next request by the auth backend.
        logger.warning("Session engine %s cannot end sign-ins.", settings.SESSION_ENGINE)
        return 0
    user_id = str(user.pk)
    ended = 0
    sessions = model.objects.filter(expire_date__gt=timezone.now())
    for session in sessions.only("session_key", "session_data").iterator():
        if session.get_decoded().get(SESSION_KEY) == user_id:
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


# --- patients -----------------------------------------------------------------------


def patients_reassign(
    *,
    clinic: Clinic,
    from_user: User,
    to_user: User,
    by: User,
    codes: Iterable[str] | None = None,
) -> int:
    """Make ``to_user`` the key clinician of ``from_user``'s patients in ``clinic``
    (all of them, or those whose code is in ``codes``). Returns how many moved.

    ``to_user`` must be an active clinician of ``clinic``; patients of another
    clinic or clinician are never touched. Each patient is saved on its own,
    so its history records the change and who made it.
    """
    if to_user.pk == from_user.pk:
        raise ValidationError(_("Choose someone else to take over the patients."))
    if not clinicians_for_clinic(clinic).filter(pk=to_user.pk).exists():
        raise ValidationError(_("Choose an active clinician of this clinic."))
    with transaction.atomic():
        patients = Patient.objects.select_for_update().filter(
            clinic=clinic, key_clinician=from_user
        )
        if codes is not None:
            patients = patients.filter(code__in=list(codes))
        moved = 0
        for patient in patients:
            patient.key_clinician = to_user
            history_by(patient, by)
            patient.save(update_fields=["key_clinician", "updated_at"])
            moved += 1
        return moved
