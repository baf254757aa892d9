from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from dialogplus.languages import LANGUAGE_CODES, languages_for_country
from dialogplus.text import StoredTextField

from .handback_pin import PIN_MAX_LENGTH, pin_problem
from .models import User


def language_options(country=None):
    """The app's languages for a picker, the country's own first.

    Each is ``{"code", "local", "name"}``: its name in itself ("Српски",
    "Shqip") so a person who cannot read the current interface language still
    finds their own, and its name in the interface language.
    """
    names = dict(settings.LANGUAGES)
    options = []
    for code in languages_for_country(country):
        local = get_language_info(code)["name_local"]
        # Standing alone as a label, a name starts with a capital ("Shqip").
        local = local[:1].upper() + local[1:]
        name = str(names[code])
        options.append({"code": code, "local": local, "name": name, "same": local == name})
    return options


def language_choices(country=None):
    """``(code, label)`` pairs for a select, the country's own languages first."""
    return [
        (
            option["code"],
            option["local"]
            if option["same"]
            # Translators: a language in a list: its own name, then its name in the
            # interface language, e.g. "Shqip (Albanian)".
            else gettext("%(local)s (%(name)s)") % option,
        )
        for option in language_options(country)
    ]


def sign_in_email_field(**kwargs):
    """The large email field a person signs in (or asks for a reset) with."""
    return forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={
                "autofocus": True,
                "autocomplete": "email",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "form-control-lg",
            }
        ),
        **kwargs,
    )


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with email and password; the email is matched case-insensitively."""

    username = sign_in_email_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control-lg"}
        ),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email and password do not match an account. Check both and try again."
        ),
        "inactive": _("This account is switched off. Ask your clinic admin."),
    }

    def clean_username(self):
        # Addresses are stored in lower case (UserManager), so match them so.
        return self.cleaned_data["username"].strip().lower()


class LanguageForm(forms.Form):
    """The language picker: one of the app's languages."""

    language = forms.ChoiceField(
        choices=[(code, code) for code in LANGUAGE_CODES],
        error_messages={"invalid_choice": _("Choose one of the languages shown.")},
    )
    next = forms.CharField(required=False, max_length=2000)


class ProfileForm(forms.ModelForm):
    """What a signed-in person may change about themselves."""

    class Meta:
        model = User
        fields = ["full_name", "language"]
        labels = {"full_name": _("Your name"), "language": _("Language of the app")}
        field_classes = {"full_name": StoredTextField}

    def __init__(self, *args, clinic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = _("Enter your name.")
        if clinic is not None:
            default_name = dict(settings.LANGUAGES).get(clinic.default_language, "")
            empty = gettext("Same as the clinic (%(language)s)") % {"language": default_name}
        else:
            empty = gettext("Not chosen")
        language = self.fields["language"]
        language.choices = [("", empty), *language_choices(clinic.country if clinic else None)]
        language.help_text = _("The language of menus, buttons and messages for you.")
        language.error_messages["invalid_choice"] = _("Choose one of the languages shown.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save"), css_class="btn-primary"))

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."), code="required")
        return name


class UnlockForm(forms.Form):
    """The lock screen: the signed-in person's own password, nothing else."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={
                "autocomplete": "current-password",
                "autofocus": True,
                "class": "form-control-lg",
            }
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right. Try again."), code="invalid")
        return password


def _current_password_field():
    return forms.CharField(
        label=_("Your password"),
        help_text=_("So that nobody else changes your PIN."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


def _pin_widget():
    # Digits only on a tablet's keyboard; a browser should not offer to save it.
    return forms.PasswordInput(
        attrs={
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": "[0-9]*",
            "maxlength": PIN_MAX_LENGTH,
            "class": "form-control-lg pin-input",
        }
    )


class PinCurrentPasswordMixin:
    """Every change to the PIN is confirmed with the signed-in person's password."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right. Try again."), code="invalid")
        return password


class PinSetForm(PinCurrentPasswordMixin, forms.Form):
    """A new hand-back PIN, typed twice, confirmed with the password."""

    pin = forms.CharField(
        label=_("New PIN"),
        help_text=_("4 to 6 digits."),
        strip=True,
        widget=_pin_widget(),
        error_messages={"required": _("Enter a PIN.")},
    )
    pin_again = forms.CharField(
        label=_("The same PIN again"),
        strip=True,
        widget=_pin_widget(),
        error_messages={"required": _("Enter the PIN a second time.")},
    )
    password = _current_password_field()

    def clean_pin(self):
        pin = self.cleaned_data["pin"]
        problem = pin_problem(pin)
        if problem:
            raise forms.ValidationError(problem, code="invalid")
        return pin

    def clean(self):
        cleaned = super().clean()
        pin, again = cleaned.get("pin"), cleaned.get("pin_again")
        if pin and again is not None and pin != again:
            self.add_error("pin_again", _("The two PINs are not the same."))
        return cleaned


class PinRemoveForm(PinCurrentPasswordMixin, forms.Form):
    """Removing the PIN: the password, nothing else."""

    password = _current_password_field()
