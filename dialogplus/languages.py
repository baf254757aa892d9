"""The languages of the five countries, in one place.

Django knows every one of them but Montenegrin (ISO 639-3 ``cnr``), which
``register_montenegrin`` adds to ``LANG_INFO`` before anything asks for it.
"""

from django.conf import locale
from django.utils.translation import gettext_lazy as _

# Order is the order of the language picker after a country's own languages.
LANGUAGES = [
    ("en", _("English")),
    ("sr", _("Serbian (Cyrillic)")),
    ("sr-latn", _("Serbian (Latin)")),
    ("bs", _("Bosnian")),
    ("hr", _("Croatian")),
    ("cnr", _("Montenegrin")),
    ("mk", _("Macedonian")),
    ("sq", _("Albanian")),
]

LANGUAGE_CODES = [code for code, _name in LANGUAGES]

# A country's own languages come first in pickers, and the first is the default
# language of a new clinic there.
COUNTRY_LANGUAGES = {
    "BA": ["bs", "hr", "sr", "sr-latn"],
    "XK": ["sq", "sr"],
    "MK": ["mk", "sq"],
    "ME": ["cnr", "sr-latn", "sq", "bs"],
    "RS": ["sr", "sr-latn"],
}


def register_montenegrin():
    """Teach Django the name of ``cnr``; idempotent."""
    locale.LANG_INFO.setdefault(
        "cnr",
        {
            "bidi": False,
            "code": "cnr",
            "name": "Montenegrin",
            "name_local": "crnogorski",
        },
    )


def languages_for_country(country):
    """Every language code, the country's own first."""
    own = COUNTRY_LANGUAGES.get(country, [])
    return own + [code for code in LANGUAGE_CODES if code not in own]
