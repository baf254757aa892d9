import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ContactChannel

# E.164: a plus, a country code that does not start with 0, at most 15 digits.
PHONE_RE = re.compile(r"^\+[1-9]\d{7,14}$")
# What people type between digits; dropped before the number is checked.
PHONE_SEPARATORS = re.compile(r"[\s\-./()]")


class ContactPreferenceForm(forms.Form):
    """How the patient wants to be reminded, and the patient's consent."""

    channel = forms.ChoiceField(
        label=_("Remind by"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the patient is reminded."),
            "invalid_choice": _("Choose SMS, email or no reminders."),
        },
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=32,
        help_text=_("With the country code, for example +381 64 123 4567."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"max_length": _("This number is too long.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("Enter an email address such as name@example.org.")},
    )
    consent = forms.BooleanField(label=_("The patient agrees to receive reminders"), required=False)
    opted_out = forms.BooleanField(
        label=_("The patient asked to stop all reminders (opt-out)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save"), css_class="btn-primary btn-lg"))

    def clean_phone(self):
        typed = self.cleaned_data["phone"].strip()
        if not typed:
            return ""
        number = PHONE_SEPARATORS.sub("", typed)
        if number.startswith("00"):
            number = "+" + number[2:]
        if not PHONE_RE.match(number):
            raise forms.ValidationError(
                _("Enter a mobile number with the country code, for example +381 64 123 4567."),
                code="invalid",
            )
        return number

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("channel")
        if channel == ContactChannel.SMS and "phone" in cleaned and not cleaned["phone"]:
            self.add_error("phone", _("Enter a mobile number to remind the patient by SMS."))
        if channel == ContactChannel.EMAIL and "email" in cleaned and not cleaned["email"]:
            self.add_error("email", _("Enter an email address to remind the patient by email."))
        return cleaned


class AppointmentForm(forms.Form):
    """The next appointment, typed on the clinic's wall clock."""

    when = forms.DateTimeField(
        label=_("Next appointment"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
        ),
        error_messages={
            "required": _("Enter the date and time of the next appointment."),
            "invalid": _("Enter a date and time, for example 2026-12-01 10:30."),
        },
    )

    def __init__(self, *args, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Set appointment"), css_class="btn-primary btn-lg"))

    def full_clean(self):
        # The typed time is on the clinic's clock, whoever's clock the request has.
        with timezone.override(self.time_zone):
            super().full_clean()

    def clean_when(self):
        value = self.cleaned_data["when"]
        if value <= timezone.now():
            raise forms.ValidationError(
                _("The next appointment must be in the future."), code="appointment_in_past"
            )
        return value
