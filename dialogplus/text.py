"""The one rule for text a person types, on every form and autosave.

- Invisible control characters (C0, e.g. NUL, except tab and line breaks) are
  refused with a message, never dropped or changed in silence: they arrive by
  pasting from other programs and a database may not store them. The text is
  shown again without them, so nothing the person can see is lost.
- A limit is counted as the person sees characters: an emoji made of several
  code points, a letter with a combining accent, a flag, a line break are one
  each. ``static/js/app.js`` (``visibleLength``) counts the same way and shows
  "120 / 500" under the field as the person types; the browser's own
  ``maxlength`` is not used, since it counts UTF-16 units (an emoji as two) and
  cuts pasted text without a word.
- Text over the limit is refused with the limit and how much is over; it is
  never cut.

``TextField`` is the form field; ``check_text`` is the same rule for a view
that takes a text without a form (the autosaved step notes).
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

ZERO_WIDTH_JOINER = "\u200d"
ALLOWED_CONTROLS = frozenset("\t\n\r")
CONTROL_MESSAGE = _(
    "The text held an invisible control character (often pasted in from another "
    "program), which cannot be saved. It is taken out of the text shown here: "
    "check the text and save again."
)
STORAGE_MESSAGE = _("This text has too many combined symbols to be stored. Shorten it, please.")
# Shown by the counter under the field once the text is over its limit.
COUNTER_OVER = _("%(count)s / %(limit)s, shorten by %(over)s")


def _is_regional_indicator(char):
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _joins_previous(char):
    """True for a code point drawn as part of the character before it."""
    return (
        unicodedata.category(char).startswith("M")  # accents, variation selectors
        or char == ZERO_WIDTH_JOINER
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin tones
        or "\U000e0020" <= char <= "\U000e007f"  # tags (subdivision flags)
    )


def visible_length(text):
    """How many characters a person sees: see the module's docstring.

    A close, dependency-free approximation of Unicode grapheme clusters; the
    JavaScript counter applies exactly these rules, so both sides agree.
    """
    count = 0
    previous = ""
    pending_flag = False  # a regional indicator waiting for its pair
    for char in text:
        if previous == ZERO_WIDTH_JOINER or _joins_previous(char):
            pass
        elif char == "\n" and previous == "\r":
            pass  # the browser posts a line break as \r\n: one character
        elif _is_regional_indicator(char) and pending_flag:
            pending_flag = False
        else:
            count += 1
            pending_flag = _is_regional_indicator(char)
        previous = char
    return count


def _is_refused(char):
    return (char < " " and char not in ALLOWED_CONTROLS) or char == "\x7f"


def has_control(text):
    return any(_is_refused(char) for char in text)


def without_controls(text):
    """The text as it can be shown again: the refused characters taken out."""
    return "".join(char for char in text if not _is_refused(char))


def too_long_message(count, limit):
    over = count - limit
    return ngettext(
        "Keep this to %(limit)s characters: it has %(count)s, %(over)s too many.",
        "Keep this to %(limit)s characters: it has %(count)s, %(over)s too many.",
        over,
    ) % {"limit": limit, "count": count, "over": over}


def check_text(text, *, limit=None, storage_limit=None):
    """Raise ``ValidationError`` when the text breaks the rule; else return it."""
    if has_control(text):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")
    if limit is not None:
        count = visible_length(text)
        if count > limit:
            raise ValidationError(too_long_message(count, limit), code="max_length")
    if storage_limit is not None and len(text) > storage_limit:
        raise ValidationError(STORAGE_MESSAGE, code="storage_length")
    return text


def text_ok(text, *, limit=None, storage_limit=None):
    """True when ``check_text`` would take the text."""
    try:
        check_text(text, limit=limit, storage_limit=storage_limit)
    except ValidationError:
        return False
    return True


def limit_attrs(limit):
    """The widget attributes that turn on the counter (static/js/app.js)."""
    # The message stays lazy: a form field is built once, shown in many languages.
    return {"data-text-limit": str(limit), "data-text-over": COUNTER_OVER}


class TextField(forms.CharField):
    """A free-text form field under the rule above.

    ``max_length`` is the limit as the person counts. ``storage_limit`` (code
    points) guards a plain varchar column, which counts code points, against
    text made of many combined symbols; an encrypted column needs none.
    """

    def __init__(self, *, max_length=None, storage_limit=None, **kwargs):
        self.limit = max_length
        self.storage_limit = storage_limit
        # Not passed on: Django's max_length counts code points and sets the
        # browser's maxlength, which counts UTF-16 units and cuts silently.
        super().__init__(**kwargs)
        # Django refuses NUL with a message of its own; the rule below says it once.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.limit is not None and not widget.is_hidden:
            attrs.update(limit_attrs(self.limit))
        return attrs

    def validate(self, value):
        super().validate(value)
        if value not in self.empty_values:
            check_text(value, limit=self.limit, storage_limit=self.storage_limit)

    def prepare_value(self, value):
        # Shown again after a refusal: everything typed, except what was refused.
        if isinstance(value, str):
            return without_controls(value)
        return super().prepare_value(value)


class StoredTextField(TextField):
    """A ``TextField`` for a column whose width is counted in code points (a
    plain varchar, or a model checked by ``full_clean``): the limit is also
    the storage limit. ``Meta.field_classes`` of a model form takes it."""

    def __init__(self, *, max_length=None, **kwargs):
        kwargs.setdefault("storage_limit", max_length)
        super().__init__(max_length=max_length, **kwargs)
