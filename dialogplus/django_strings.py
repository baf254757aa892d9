"""Django's own strings that our catalogs must carry.

Django ships no catalog for Montenegrin (``cnr``), so dates would show English
month names ("5. March 2026.") there. Marking Django's month names here makes
``makemessages`` copy them into every catalog in ``locale/``; the catalogs
give Django's own translations (Montenegrin: those of Serbian Latin), and a
project catalog takes precedence over Django's.

Nothing imports this module: it exists for ``makemessages`` only. The msgids
and contexts must stay exactly those of ``django/utils/dates.py``.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

# dates.MONTHS: the "F" date format (DATE_FORMAT "j. F Y.").
MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]

# dates.MONTHS_ALT: the "E" date format, where a language needs another case
# (Croatian: "5. ožujka 2026.").
MONTHS_ALT = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]

# Django's form validation messages that our forms show with their defaults;
# without these, a Montenegrin form error would read in English.
FORM_MESSAGES = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
]
