from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogplus.dates import check_appointment_time
from dialogplus.phone_numbers import clean_phone_number, phone_field

from .models import ContactChannel


class ReminderChoiceForm(forms.Form):
    """Channel, phone, email, consent and opt-out: the same questions for a
    patient and for a carer; the subclasses word them for each."""

    channel = forms.ChoiceField(
        label=_("Remind by"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose SMS, email or no reminders.")},
    )
    phone = phone_field()
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("Enter an email address such as name@example.org.")},
    )
    consent = forms.BooleanField(required=False)
    opted_out = forms.BooleanField(required=False)

    channel_required = None
    phone_required = None
    email_required = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].error_messages["required"] = self.channel_required
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save"), css_class="btn-primary btn-lg"))

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("channel")
        if channel == ContactChannel.SMS and "phone" in cleaned and not cleaned["phone"]:
            self.add_error("phone", self.phone_required)
        if channel == ContactChannel.EMAIL and "email" in cleaned and not cleaned["email"]:
            self.add_error("email", self.email_required)
        return cleaned


class ContactPreferenceForm(ReminderChoiceForm):
    """How the patient wants to be reminded, and the patient's consent."""

    channel_required = _("Choose how the patient is reminded.")
    phone_required = _("Enter a mobile number to remind the patient by SMS.")
    email_required = _("Enter an email address to remind the patient by email.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _("The patient agrees to receive reminders")
        self.fields["opted_out"].label = _("The patient asked to stop all reminders (opt-out)")


class CarerReminderForm(ReminderChoiceForm):
    """How a carer wants to be reminded of the patient's appointments."""

    channel_required = _("Choose how the carer is reminded.")
    phone_required = _("Enter a mobile number to remind the carer by SMS.")
    email_required = _("Enter an email address to remind the carer by email.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _("The carer agrees to receive appointment reminders")
        self.fields["opted_out"].label = _("The carer asked to stop all reminders (opt-out)")


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

    send_rating_link = forms.BooleanField(
        label=_("Send a rating link with the reminder"),
        required=False,
        initial=True,
        help_text=_(
            "Only to a patient who agreed to reminders. The patient answers the rating "
            "questions on their phone before the appointment."
        ),
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
        check_appointment_time(value)
        return value
