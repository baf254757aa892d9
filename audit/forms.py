"""Filters of the access log and of "who saw my record".

Both are GET forms: they change nothing, and a filtered page can be bookmarked
or printed. Dates are days on the clinic's calendar; the selectors turn them
into a range of instants in the clinic's time zone.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import AccessLog

# Patient codes are short (patients.models.new_code); anything longer is a typo.
CODE_MAX_LENGTH = 16


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as YYYY-MM-DD in any language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%d")


DATE_ERRORS = {"invalid": _("Enter a date such as 2026-03-01.")}


class PeriodForm(forms.Form):
    """From one day to another, both included; either may be left empty."""

    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages=DATE_ERRORS,
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages=DATE_ERRORS,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("This day is before the first day. Choose a later one."))
        return cleaned

    def filters(self):
        """The valid filters only: a mistyped field is reported, the others still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class AccessLogFilterForm(PeriodForm):
    """The clinic admin's filters: patient, staff member, kind of page, period."""

    patient = forms.CharField(
        label=_("Patient code"),
        required=False,
        max_length=CODE_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "characters"}
        ),
        error_messages={"max_length": _("A patient code has at most 16 characters.")},
    )
    user = forms.ModelChoiceField(
        label=_("Staff member"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("Everyone"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose a member of the clinic's staff.")},
    )
    kind = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("Everything"))] + AccessLog.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose one of the listed kinds.")},
    )

    field_order = ["patient", "user", "kind", "date_from", "date_to"]

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff

    def clean_patient(self):
        # Codes are written in capitals; people type them as they hear them.
        return "".join(self.cleaned_data["patient"].split()).upper()
