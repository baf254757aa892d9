"""The languages of the five countries, in one place.

Django knows every one of them but Montenegrin (ISO 639-3 ``cnr``), which
``register_montenegrin`` adds to ``LANG_INFO`` before anything asks for it.
"""

from django.conf import locale, settings
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


def _value(given):
    # A step may be handed over as a function, so that nothing is looked up
    # (a query, say) once an earlier step has answered.
    return given() if callable(given) else given


def preferred_language(*, own="", recorded=(), clinic="", fallback=None):
    """The language to speak or write to one person in: the first step that has one.

    1. ``own``: the language the person chose themselves, on their account
       (``User.language``). Only they know for sure which language they read
       best, and they can change it any time on their profile; a choice they
       made must not be overruled by a note someone else wrote, so their pages,
       their emails and their reminders all follow it.
    2. ``recorded``: languages someone recorded for them, most specific first:
       the carer's language the clinician noted, then the language of the
       patient they care for (families share a language more often than not);
       a patient's own language. A person asked about it, which is better
       than a guess from where they are treated.
    3. ``clinic``: the clinic's default language, what most people there read:
       a staff member who has not chosen one yet, a notice about a clinic.
    4. ``fallback``: what a page already speaks (the browser's language or the
       language cookie, as ``LocaleMiddleware`` negotiated it), else the site's
       default (``settings.LANGUAGE_CODE``).

    Plain values, so the bottom layer knows no app: ``own`` and ``clinic`` are
    codes, ``recorded`` an iterable of codes; an empty code is skipped. Any of
    them may be a function returning that, called only when the steps before
    it gave nothing. ``accounts.languages.user_language`` (a signed-in person)
    and ``patients.carer_services.carer_language`` (a carer row) fill them in.
    """
    if code := _value(own):
        return code
    for code in _value(recorded):
        if code:
            return code
    if code := _value(clinic):
        return code
    return _value(fallback) or settings.LANGUAGE_CODE
