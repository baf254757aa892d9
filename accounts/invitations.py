"""Invitation links: how staff and carers get into the app.

Nobody chooses a password for someone else. The inviter creates the account
(without a usable password) and ``invitation_send`` emails a link to it, in
the invitee's language. The link opens a page where the invitee chooses their
own password; choosing it signs them in (and, for staff, on to setting up the
second factor). A link works once (the token is tied to the password hash,
which the first use changes) and for ``DIALOGPLUS_INVITATION_DAYS`` days.

The token is moved from the URL into the session before the form is shown,
so it never stays in a shared tablet's address bar or history.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from dialogplus.links import absolute_url


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "dialogplus.accounts.invitations"

    def check_token(self, user, token):
        """Like a password-reset token, but valid for the invitation period."""
        if not (user and token) or token.count("-") != 1:
            return False
        timestamp_b36, _hash = token.split("-")
        try:
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return 0 <= age <= settings.DIALOGPLUS_INVITATION_DAYS * 24 * 3600


invitation_tokens = InvitationTokenGenerator()


def invitation_url(user):
    """The absolute link that lets ``user`` choose a password (for emails)."""
    path = reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return absolute_url(path)


def invitation_send(*, user, invited_by, clinic, language, role):
    """Email ``user`` a link to set their password and join ``clinic``.

    ``role`` says in words what they are invited as ("clinician", "carer of a
    patient"; already translated into ``language`` or lazy). Nothing about any
    patient is put in the message.
    """
    with translation.override(language):
        context = {
            "user": user,
            "invited_by": str(invited_by),
            "clinic": clinic,
            "role": str(role),
            "url": invitation_url(user),
            "days": settings.DIALOGPLUS_INVITATION_DAYS,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
