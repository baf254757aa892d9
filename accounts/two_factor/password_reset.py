"""A forgotten password: Django's reset views, in the person's language.

The link in the email works once and for PASSWORD_RESET_TIMEOUT (an hour).
Choosing a new password never signs anyone in: the next sign-in asks for the
password *and* the second factor, so an email account alone cannot open the app.
Someone with no second factor yet (a reset one, say) may set it up at that
next sign-in in the same browser: the emailed link is proof beyond the password.
The page answers the same whether or not the address has an account.
"""

import hashlib

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.cache import cache
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.forms import sign_in_email_field
from accounts.languages import user_language
from accounts.lockout import lockout_reset

from .session_state import enrolment_grant

# Reset emails to one address per hour, so the form cannot flood an inbox.
EMAILS_PER_HOUR = 3


def _under_email_limit(email):
    key = "dialogplus:password-reset:" + hashlib.sha256(email.lower().encode()).hexdigest()
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= EMAILS_PER_HOUR
    except ValueError:  # expired between add and incr: a new hour
        cache.set(key, 1, timeout=3600)
        return True


class ResetRequestForm(PasswordResetForm):
    email = sign_in_email_field(
        error_messages={
            "required": _("Type the email address you sign in with."),
            "invalid": _("Type a whole email address, like name@example.org."),
        },
    )

    def get_users(self, email):
        if not _under_email_limit(email):
            return iter(())
        return super().get_users(email)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # Each person reads the email in their own language, whatever the page spoke.
        with translation.override(user_language(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class NewPasswordForm(SetPasswordForm):
    """Django's form (the password validators of settings), with large fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control-lg"
        self.fields["new_password1"].widget.attrs["autofocus"] = True


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset/request.html"
    form_class = ResetRequestForm
    subject_template_name = "accounts/password_reset/email_subject.txt"
    email_template_name = "accounts/password_reset/email_body.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset/sent.html"


class ResetChooseView(auth_views.PasswordResetConfirmView):
    """Choose the new password; not signed in afterwards (``post_reset_login``)."""

    template_name = "accounts/password_reset/choose.html"
    form_class = NewPasswordForm
    post_reset_login = False
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_form(self, form_class=None):
        # Once the link is known good, speak the person's own language.
        if self.validlink:
            language = user_language(self.user)
            translation.activate(language)
            self.request.LANGUAGE_CODE = language
        return super().get_form(form_class)

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever reads the email may try the new password at once, even from
        # an address locked out by earlier wrong guesses.
        lockout_reset(user=form.user)
        # Whoever was signed in here (the old password's session ends anyway)
        # is signed out now, so the grant below is not lost with their session.
        if self.request.user.is_authenticated:
            logout(self.request)
        enrolment_grant(self.request, form.user)
        return response


class ResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset/done.html"
