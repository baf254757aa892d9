"""Forms of the record pages: the admin's search and the erasure confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogplus.text import StoredTextField, TextField

SEARCH_MAX_LENGTH = 100
REASON_MAX_LENGTH = 200


class RecordSearchForm(forms.Form):
    """Find the patient a data-protection request is about, by name or code."""

    q = TextField(
        label=_("Name or code of the patient"),
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"required": _("Type the patient's name or code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "type": "search"}
        ),
    )

    def clean_q(self):
        query = " ".join(self.cleaned_data["q"].split())
        if not query:
            raise forms.ValidationError(_("Type the patient's name or code."), code="required")
        return query


class ExportReasonForm(forms.Form):
    """An admin's export answers a request: its reference goes into the access log."""

    reason = StoredTextField(
        label=_("Request reference or reason"),
        help_text=_(
            "For example the number of the patient's written request. "
            "It is shown in the access log; write no clinical details."
        ),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": _("Give the request's reference or the reason for this copy."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(
                _("Give the request's reference or the reason for this copy."), code="required"
            )
        return reason


def normalise_code(text):
    """A typed code as stored: capitals, no spaces or dashes (read out loud, it
    is often typed in groups)."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


class ErasureConfirmForm(forms.Form):
    """The admin types the patient's code: a deliberate act, on the right record."""

    code = forms.CharField(
        label=_("Type the patient's code to confirm"),
        max_length=40,
        error_messages={"required": _("Type the patient's code to confirm.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_code(self):
        if normalise_code(self.cleaned_data["code"]) != self.patient.code:
            raise forms.ValidationError(
                _(
                    "That is not this patient's code, so nothing was changed. "
                    "Type the code shown at the top of this page."
                ),
                code="wrong_code",
            )
        return self.patient.code
