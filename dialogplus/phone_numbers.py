"""Mobile numbers as people type them, stored in E.164.

Shared by the patient's and the carer's reminder forms and the carer form.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# E.164: a plus, a country code that does not start with 0, at most 15 digits.
PHONE_RE = re.compile(r"^\+[1-9]\d{7,14}$")
# What people type between digits; dropped before the number is checked.
PHONE_SEPARATORS = re.compile(r"[\s\-./()]")


def clean_phone_number(typed):
    """A typed mobile number in E.164 (``+381641234567``), or a ValidationError."""
    typed = typed.strip()
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


def phone_field(**kwargs):
    """A mobile number field; pair it with ``clean_phone_number`` in clean_phone."""
    return forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=32,
        help_text=_("With the country code, for example +381 64 123 4567."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"max_length": _("This number is too long.")},
        **kwargs,
    )
