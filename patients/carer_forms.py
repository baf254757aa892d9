from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import language_choices
from dialogplus.phone_numbers import clean_phone_number, phone_field
from dialogplus.text import StoredTextField

from .carer_services import consent_would_change


class CarerForm(forms.Form):
    """A carer's details and what the patient agrees to share with them.

    The confirmation that the patient said so today is asked for whenever the
    answers change what is shared (the service holds the same rule); fixing a
    phone number needs no confirmation.
    """

    full_name = StoredTextField(
        label=_("Carer's full name"),
        max_length=200,
        error_messages={"required": _("Enter the carer's full name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    relationship = StoredTextField(
        label=_("Relationship to the patient"),
        max_length=100,
        required=False,
        help_text=_("For example: mother, husband, friend."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Needed for the invitation to sign in."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        error_messages={"invalid": _("Enter an email address such as name@example.org.")},
    )
    phone = phone_field()
    language = forms.ChoiceField(
        label=_("Carer's language"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the languages shown.")},
    )
    share_summaries = forms.BooleanField(
        label=_("The patient agrees to share session summaries with this carer"),
        required=False,
        help_text=_(
            "The carer reads the areas discussed, the agreed actions and the next "
            "appointment of each finished session. Never the notes."
        ),
    )
    share_ratings = forms.BooleanField(
        label=_("The patient also agrees to share the ratings"),
        required=False,
        help_text=_("The scores of the 11 items, in the same summaries."),
    )
    confirm = forms.BooleanField(
        label=_("The patient told me this today"),
        required=False,
        help_text=_("Needed whenever what is shared changes."),
    )

    def __init__(self, *args, patient, carer=None, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.carer = carer
        patient_language = patient.get_language_display()
        self.fields["language"].choices = [
            (
                "",
                _("The patient's language (%(language)s)") % {"language": patient_language},
            ),
            *language_choices(patient.clinic.country),
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "full_name",
            "relationship",
            "email",
            "phone",
            "language",
            Fieldset(
                _("What the patient agrees to share"),
                "share_summaries",
                "share_ratings",
                "confirm",
                css_class="mt-3",
            ),
        )
        self.helper.add_input(Submit("save", submit_label, css_class="btn-primary btn-lg"))

    @classmethod
    def initial_for(cls, carer):
        """What the form shows for a stored carer: sharing as it stands now."""
        return {
            "full_name": carer.full_name,
            "relationship": carer.relationship,
            "email": carer.email,
            "phone": carer.phone,
            "language": carer.language,
            "share_summaries": carer.has_consent,
            "share_ratings": carer.has_consent and carer.share_ratings,
        }

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the carer's full name."), code="required")
        return name

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        summaries = cleaned.get("share_summaries", False)
        ratings = cleaned.get("share_ratings", False)
        if ratings and not summaries:
            self.add_error(
                "share_ratings", _("Ratings are shared only together with the summaries.")
            )
            return cleaned
        carer = self.carer
        changes = (
            consent_would_change(carer, share_summaries=summaries, share_ratings=ratings)
            if carer is not None
            else bool(summaries)
        )
        if changes and not cleaned.get("confirm"):
            self.add_error("confirm", _("Confirm that the patient told you this today."))
        return cleaned

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "relationship": data["relationship"],
            "email": data["email"],
            "phone": data["phone"],
            "language": data["language"],
            "share_summaries": data["share_summaries"],
            "share_ratings": data["share_ratings"],
            "patient_confirmed": data["confirm"],
        }
