"""The one field of two-step sign-in: a code, checked as the form is cleaned."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services


class CodeForm(forms.Form):
    """A code from the authenticator app, or (unless ``pending``) a backup code.

    Cleaning checks the code against the user's devices, which counts a wrong
    one towards django-otp's throttling: the form is only ever bound to a POST.
    After a valid form, ``self.check.device`` is the device that accepted it.
    """

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        error_messages={"required": _("Type the code.")},
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                # The keypad for digits; backup codes are digits too.
                "inputmode": "numeric",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "class": "form-control-lg code-input",
            }
        ),
    )

    def __init__(self, *args, user, pending=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.pending = pending
        self.check = None
        field = self.fields["code"]
        if pending is not None:
            field.label = _("The 6-digit code the app shows")
        else:
            field.label = _("Code from your authenticator app")
            field.help_text = _("Or one of your backup codes (10 digits).")

    def clean_code(self):
        code = self.cleaned_data["code"]
        check = services.code_check(user=self.user, code=code, pending=self.pending)
        if not check.attempted:
            raise forms.ValidationError(self._wait_message(check.wait_seconds), code="throttled")
        if not check.ok:
            if self.pending is not None:
                message = _(
                    "That code is not right. Check that the app shows DIALOG+ and type the "
                    "6 digits it shows now."
                )
            elif check.backup:
                message = _(
                    "That is not the app's code nor one of your unused backup codes. "
                    "The app's code has 6 digits, a backup code 10."
                )
            else:
                message = _("That code is not right. Type the 6 digits your app shows now.")
            errors = [forms.ValidationError(message, code="invalid")]
            # Say so when the next try has to wait long enough to notice.
            if check.wait_seconds >= 5:
                errors.append(
                    forms.ValidationError(self._wait_message(check.wait_seconds), code="throttled")
                )
            raise forms.ValidationError(errors)
        self.check = check
        return code

    @staticmethod
    def _wait_message(seconds):
        return ngettext(
            "Too many wrong codes. Wait %(seconds)d second, then try again.",
            "Too many wrong codes. Wait %(seconds)d seconds, then try again.",
            seconds,
        ) % {"seconds": seconds}


class EnrolmentCodeForm(forms.Form):
    """The set-up code a clinic admin gave; the view checks it (it needs the session)."""

    code = forms.CharField(
        label=_("Set-up code"),
        max_length=32,
        help_text=_("8 digits, from your clinic admin."),
        error_messages={"required": _("Type the set-up code.")},
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "class": "form-control-lg code-input",
            }
        ),
    )

    def refuse(self):
        self.add_error(
            "code",
            _(
                "That set-up code is not right, or it was used or has expired. Check it, or "
                "ask your clinic admin for a new one."
            ),
        )
