from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import language_choices
from dialogplus.text import StoredTextField

from .models import Patient
from .selectors import clinicians_for_clinic

# The database allows these ranges (patient_plan_in_range); say so in words first.
PLANNED_MIN, PLANNED_MAX = 1, 50
INTERVAL_MIN, INTERVAL_MAX = 1, 365


def planned_sessions_field(**kwargs):
    """How many sessions a plan has: a patient's own, or a clinic's default."""
    return forms.IntegerField(
        min_value=PLANNED_MIN,
        max_value=PLANNED_MAX,
        error_messages={
            "required": _("Enter how many sessions are planned."),
            "invalid": _("Enter a whole number of sessions."),
            "min_value": _("Plan at least one session."),
            "max_value": _("Plan at most %(limit_value)s sessions."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


def session_interval_field(**kwargs):
    """Days between sessions: a patient's own, or a clinic's default."""
    return forms.IntegerField(
        min_value=INTERVAL_MIN,
        max_value=INTERVAL_MAX,
        error_messages={
            "required": _("Enter the number of days between sessions."),
            "invalid": _("Enter a whole number of days."),
            "min_value": _("Sessions must be at least one day apart."),
            "max_value": _("Sessions can be at most %(limit_value)s days apart."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class PatientForm(forms.ModelForm):
    """A patient's details. The choices come from the patient's clinic: its
    languages first, and only its active clinicians as key clinician."""

    key_clinician = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Key clinician"),
        empty_label=_("No key clinician yet"),
        error_messages={
            "invalid_choice": _("Choose a key clinician from the list of this clinic's clinicians.")
        },
    )
    planned_sessions = planned_sessions_field(
        label=_("Planned sessions"), help_text=_("How many DIALOG+ sessions the plan has.")
    )
    session_interval_days = session_interval_field(label=_("Days between sessions"))

    class Meta:
        model = Patient
        fields = [
            "full_name",
            "language",
            "key_clinician",
            "planned_sessions",
            "session_interval_days",
        ]
        labels = {"full_name": _("Full name"), "language": _("Patient's language")}
        error_messages = {
            "full_name": {"required": _("Enter the patient's full name.")},
            "language": {
                "required": _("Choose the patient's language."),
                "invalid_choice": _("Choose one of the languages shown."),
            },
        }
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "off"})}
        field_classes = {"full_name": StoredTextField}

    def __init__(self, *args, clinic, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        # The instance is checked against its clinic's rules during validation.
        self.instance.clinic = clinic
        if self.instance.pk is None:
            self.fields["language"].initial = clinic.default_language
            self.fields["planned_sessions"].initial = clinic.planned_sessions
            self.fields["session_interval_days"].initial = clinic.session_interval_days
        self.fields["language"].choices = language_choices(clinic.country)
        self.fields["key_clinician"].queryset = clinicians_for_clinic(clinic)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label, css_class="btn-primary btn-lg"))

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the patient's full name."), code="required")
        return name
