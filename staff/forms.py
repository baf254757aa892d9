"""Forms of staff management. Every message is translated and shown beside its field."""

from zoneinfo import available_timezones

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import language_choices
from accounts.models import Clinic, Membership
from dialogplus.text import StoredTextField
from patients.forms import planned_sessions_field, session_interval_field
from patients.name_index import sort_key

# The clinics' own region; a clinic elsewhere keeps the zone it has.
REGION_TIME_ZONES = [
    ("Europe/Belgrade", pgettext_lazy("time zone", "Belgrade")),
    ("Europe/Sarajevo", pgettext_lazy("time zone", "Sarajevo")),
    ("Europe/Podgorica", pgettext_lazy("time zone", "Podgorica")),
    ("Europe/Skopje", pgettext_lazy("time zone", "Skopje")),
    ("Europe/Zagreb", pgettext_lazy("time zone", "Zagreb")),
    ("Europe/Tirane", pgettext_lazy("time zone", "Tirana")),
]
RETENTION_MIN, RETENTION_MAX = 1, 100

ROLE_ERRORS = {
    "required": _("Choose a role."),
    "invalid_choice": _("Choose one of the roles shown."),
}
PROFESSION_ERRORS = {
    "required": _("Choose a profession."),
    "invalid_choice": _("Choose one of the professions shown."),
}


def time_zone_choices(current=""):
    """The region's zones, plus ``current`` when it is a real zone outside them."""
    choices = [(zone, f"{label} ({zone})") for zone, label in REGION_TIME_ZONES]
    if current and current not in dict(REGION_TIME_ZONES) and current in available_timezones():
        choices.append((current, current))
    return choices


# Radio and checkbox lists as big rows, easy to hit with a finger.
CHOICES_TEMPLATE = "accounts/staff/_choices.html"
CHECK_TEMPLATE = "accounts/staff/_check.html"
CHOICE_INPUT = {"class": "form-check-input m-0"}


def _helper(form, label, lists=()):
    """A crispy helper with one submit button; the fields named in ``lists``
    (radio or checkbox lists) are drawn as big rows."""
    helper = FormHelper()
    # The server's messages, in the person's language, beside the field; not
    # the browser's own bubbles, which speak the browser's language.
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*(_layout_field(form, name, lists) for name in form.fields))
    helper.add_input(Submit("save", label, css_class="btn-primary btn-lg"))
    return helper


def _layout_field(form, name, lists):
    if name in lists:
        return Field(name, template=CHOICES_TEMPLATE)
    widget = form.fields[name].widget
    if isinstance(widget, forms.CheckboxInput):
        widget.attrs.update(CHOICE_INPUT)
        return Field(name, template=CHECK_TEMPLATE)
    return name


class InviteForm(forms.Form):
    """Who to invite, as what, and the language of their invitation."""

    full_name = StoredTextField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter the person's full name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("The invitation goes to this address; it is also how they sign in."),
        error_messages={
            "required": _("Enter the person's email address."),
            "invalid": _("Enter an email address such as name@example.org."),
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.CLINICIAN,
        widget=forms.RadioSelect(attrs=CHOICE_INPUT),
        error_messages=ROLE_ERRORS,
    )
    profession = forms.ChoiceField(
        label=_("Profession"),
        choices=Membership.Profession.choices,
        error_messages=PROFESSION_ERRORS,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("Of the invitation and of the app for them. They can change it later."),
        error_messages={"invalid_choice": _("Choose one of the languages shown.")},
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        default_name = dict(settings.LANGUAGES).get(clinic.default_language, "")
        self.fields["language"].choices = [
            ("", gettext("Same as the clinic (%(language)s)") % {"language": default_name}),
            *language_choices(clinic.country),
        ]
        self.helper = _helper(self, _("Send invitation"), lists=["role"])

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the person's full name."), code="required")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MembershipForm(forms.ModelForm):
    """A member's role and profession in the clinic."""

    class Meta:
        model = Membership
        fields = ["role", "profession"]
        labels = {"role": _("Role"), "profession": _("Profession")}
        widgets = {"role": forms.RadioSelect(attrs=CHOICE_INPUT)}
        error_messages = {"role": ROLE_ERRORS, "profession": PROFESSION_ERRORS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio list needs no empty "---------" choice.
        self.fields["role"].choices = Membership.Role.choices
        self.helper = _helper(self, _("Save"), lists=["role"])


class ClinicSettingsForm(forms.ModelForm):
    """What a clinic admin may set about their clinic (the country is the
    system administrator's: it decides the clinic's languages and law)."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Appointments, reminders and dates are shown on this clock."),
        error_messages={
            "required": _("Choose the clinic's time zone."),
            "invalid_choice": _("Choose one of the time zones shown."),
        },
    )
    default_language = forms.ChoiceField(
        label=_("Default language"),
        help_text=_("For staff who have not chosen their own, and new patients."),
        error_messages={
            "required": _("Choose the clinic's language."),
            "invalid_choice": _("Choose one of the languages shown."),
        },
    )
    session_interval_days = session_interval_field(
        label=_("Days between sessions"),
        help_text=_("For new patients; each patient's own plan stays as it is."),
    )
    planned_sessions = planned_sessions_field(
        label=_("Sessions in a plan"),
        help_text=_("For new patients; each patient's own plan stays as it is."),
    )
    record_retention_years = forms.IntegerField(
        label=_("Years a record must be kept"),
        min_value=RETENTION_MIN,
        max_value=RETENTION_MAX,
        help_text=_(
            "How long after the last contact the law of your country requires a "
            "patient's record to be kept."
        ),
        error_messages={
            "required": _("Enter how many years a record must be kept."),
            "invalid": _("Enter a whole number of years."),
            "min_value": _("Keep records for at least one year."),
            "max_value": _("Enter at most %(limit_value)s years."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Clinic
        fields = [
            "name",
            "time_zone",
            "default_language",
            "ask_help_question",
            "session_interval_days",
            "planned_sessions",
            "record_retention_years",
            "handback_pins_allowed",
        ]
        labels = {
            "name": _("Name of the clinic"),
            "ask_help_question": _("Ask whether the patient needs more help in each area"),
            "handback_pins_allowed": _("Clinicians may take the tablet back with a PIN"),
        }
        help_texts = {
            "handback_pins_allowed": _(
                "A PIN of 4 to 6 digits, set by each clinician, instead of their password "
                "after handing the tablet to a patient. It works nowhere else."
            ),
        }
        error_messages = {"name": {"required": _("Enter the clinic's name.")}}
        field_classes = {"name": StoredTextField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        clinic = self.instance
        self.fields["time_zone"].choices = time_zone_choices(clinic.time_zone)
        self.fields["default_language"].choices = language_choices(clinic.country)
        self.helper = _helper(self, _("Save settings"))

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the clinic's name."), code="required")
        return name


class _PatientsByName(forms.models.ModelChoiceIterator):
    # Patients' names are encrypted: the database cannot order by them.
    def __iter__(self):
        patients = sorted(self.queryset, key=lambda p: (sort_key(p.full_name), p.code))
        for patient in patients:
            yield self.choice(patient)


class PatientChoiceField(forms.ModelMultipleChoiceField):
    iterator = _PatientsByName

    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.code})"


class ReassignForm(forms.Form):
    """Hand over one clinician's patients, all or a ticked few, to a colleague."""

    SCOPE_ALL = "all"
    SCOPE_TICKED = "ticked"

    to_clinician = forms.ModelChoiceField(
        queryset=None,
        label=_("New key clinician"),
        empty_label=_("Choose a clinician"),
        error_messages={
            "required": _("Choose who takes over the patients."),
            "invalid_choice": _("Choose an active clinician of this clinic."),
        },
    )
    scope = forms.ChoiceField(
        label=_("Which patients"),
        widget=forms.RadioSelect(attrs=CHOICE_INPUT),
        initial=SCOPE_ALL,
        error_messages={
            "required": _("Choose all patients or the ticked ones."),
            "invalid_choice": _("Choose all patients or the ticked ones."),
        },
    )
    patients = PatientChoiceField(
        queryset=None,
        to_field_name="code",
        required=False,
        label=_("Patients"),
        widget=forms.CheckboxSelectMultiple(attrs=CHOICE_INPUT),
        error_messages={
            "invalid_choice": _("Tick only patients of this list."),
            "invalid_pk_value": _("Tick only patients of this list."),
        },
    )

    def __init__(self, *args, patients, to_choices, count, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patients"].queryset = patients
        self.fields["to_clinician"].queryset = to_choices
        self.fields["scope"].choices = [
            (
                self.SCOPE_ALL,
                ngettext("Their %(count)s patient", "All %(count)s of their patients", count)
                % {"count": count},
            ),
            (self.SCOPE_TICKED, _("Only the patients ticked below")),
        ]
        self.helper = _helper(self, _("Reassign"), lists=["scope", "patients"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.SCOPE_TICKED and not cleaned.get("patients"):
            self.add_error("patients", _("Tick at least one patient, or choose all of them."))
        return cleaned

    def codes(self):
        """The codes to move, or None for every patient of the clinician."""
        if self.cleaned_data["scope"] == self.SCOPE_ALL:
            return None
        return [patient.code for patient in self.cleaned_data["patients"]]


class ClinicAdminForm(forms.ModelForm):
    """The clinic form of Django's admin (superusers): any real time zone, and
    the same ranges as the clinic admins' form. A misspelt zone would break
    every page of the clinic, which shows times on the clinic's clock."""

    class Meta:
        model = Clinic
        fields = [
            "name",
            "country",
            "time_zone",
            "default_language",
            "ask_help_question",
            "session_interval_days",
            "planned_sessions",
            "record_retention_years",
            "handback_pins_allowed",
        ]

    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"].strip()
        if zone not in available_timezones():
            raise forms.ValidationError(
                _("Enter a time zone such as Europe/Belgrade."), code="invalid_choice"
            )
        return zone

    def clean_record_retention_years(self):
        years = self.cleaned_data["record_retention_years"]
        if not RETENTION_MIN <= years <= RETENTION_MAX:
            raise forms.ValidationError(
                _("Enter a number of years from %(min)s to %(max)s.")
                % {"min": RETENTION_MIN, "max": RETENTION_MAX},
                code="range",
            )
        return years
