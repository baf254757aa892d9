from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.settings import DEFAULT_LANGUAGE

from dialogplus.text import StoredTextField

from .models import Domain, RatingLabel, ScaleVersion, Step, StepPrompt, WordingStatus
from .services import wording_texts

REQUIRED = _("This text is empty. Paste the validated wording here.")
TOO_LONG = _("This text is too long: at most %(limit_value)s characters.")


def _verbose(model, field):
    return capfirst(model._meta.get_field(field).verbose_name)


class WordingForm(forms.Form):
    """Every text of a draft version in one language, prefilled, plus where it comes from.

    Fields are named by the keys of ``scale.services.wording_texts``, so
    ``texts()`` is what ``draft_wording_save`` takes. With ``read_only`` every
    field is shown disabled (a validator reading, or a validated version). ``groups`` lists the
    fields under headings for the template, each with the English reference.
    """

    source = StoredTextField(
        label=_("Source of this wording"),
        max_length=WordingStatus._meta.get_field("source").max_length,
        help_text=_("For example: Official Serbian translation, 2021."),
        error_messages={
            "required": _("Say where this wording comes from."),
            "max_length": TOO_LONG,
        },
    )
    # The version's revision the form was loaded at (see draft_wording_save).
    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, version, language, read_only=False, **kwargs):
        self.version = version
        self.language = language
        self.items = wording_texts(version)
        initial = {item.key: item.value(language) for item in self.items}
        initial["revision"] = version.revision
        initial["source"] = _current_source(version, language)
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        for item in self.items:
            self.fields[item.key] = self._field_for(item)
        self.order_fields([item.key for item in self.items] + ["source"])
        if read_only:
            for field in self.fields.values():
                field.disabled = True
        self.now_in_use = {}

    def show_conflict(self, current):
        """Keep what was typed, show what another admin saved meanwhile, and let a
        second save go through on top of the version as it is now."""
        self.data = self.data.copy()
        self.data["revision"] = current.revision
        for item in wording_texts(current):
            text = item.value(self.language)
            if text != self.cleaned_data.get(item.key, self.data.get(item.key)):
                self.now_in_use[item.key] = text
        self.add_error(
            None,
            ValidationError(
                gettext(
                    "Another admin saved this draft while you were editing. Nothing of yours "
                    "was saved, and what you typed is kept below. Where their text differs, "
                    "it is shown under the field. Save again to use your text."
                ),
                code="conflict",
            ),
        )

    def _field_for(self, item):
        attrs = {"lang": self.language, "spellcheck": "true"}
        if item.multiline:
            widget = forms.Textarea(attrs={**attrs, "rows": 5})
        elif item.max_length >= 200:
            widget = forms.Textarea(attrs={**attrs, "rows": 2})
        else:
            widget = forms.TextInput(attrs=attrs)
        return StoredTextField(
            label=self._label(item),
            max_length=item.max_length,
            widget=widget,
            help_text=self._reference(item),
            error_messages={"required": REQUIRED, "max_length": TOO_LONG},
        )

    def _label(self, item):
        row = item.row
        if isinstance(row, ScaleVersion):
            return gettext("Question after each rating")
        if isinstance(row, Domain):
            return _verbose(Domain, item.field)
        if isinstance(row, RatingLabel):
            return gettext("Rating %(value)s") % {"value": row.value}
        if isinstance(row, StepPrompt):
            return gettext("Prompt %(number)s") % {"number": row.position}
        return _verbose(Step, item.field)

    def _reference(self, item):
        """The English reference text beside each field (not for English itself)."""
        if self.language == DEFAULT_LANGUAGE:
            return ""
        return format_html(
            '{} <span lang="{}">{}</span>',
            pgettext("reference wording", "English:"),
            DEFAULT_LANGUAGE,
            item.value(DEFAULT_LANGUAGE),
        )

    @property
    def groups(self):
        """``[{"title", "fields"}]``: help question, each item, the labels, each step.

        Each of ``fields`` is ``{"field", "now_in_use"}``: the bound field and,
        after a conflict, the text another admin saved meanwhile if it differs.
        """
        groups, by_row = [], {}
        for item in self.items:
            row = item.row
            owner = row.step if isinstance(row, StepPrompt) else row
            if isinstance(row, RatingLabel):
                owner = RatingLabel
            key = (type(owner), getattr(owner, "pk", owner))
            if key not in by_row:
                by_row[key] = {"title": _group_title(owner), "fields": []}
                groups.append(by_row[key])
            by_row[key]["fields"].append(
                {"field": self[item.key], "now_in_use": self.now_in_use.get(item.key)}
            )
        return groups

    @property
    def fields_with_errors(self):
        """``[(field id, "Group · Label")]`` of the fields that have errors, in page order."""
        found = [
            (row["field"].id_for_label, f"{group['title']} · {row['field'].label}")
            for group in self.groups
            for row in group["fields"]
            if row["field"].errors
        ]
        if self["source"].errors:
            found.append((self["source"].id_for_label, str(self["source"].label)))
        return found

    def clean_revision(self):
        # Not something a person types: anything but a number means "unknown",
        # which no version has, so the save is treated as conflicting.
        value = self.cleaned_data["revision"]
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1

    def texts(self):
        return {item.key: self.cleaned_data[item.key] for item in self.items}


def _group_title(owner):
    # Headings name each item and step in the interface language, so an admin
    # finds their way whichever language they are pasting.
    if isinstance(owner, ScaleVersion):
        return gettext("Help question")
    if owner is RatingLabel:
        return gettext("Rating labels (1 to 7)")
    if isinstance(owner, Domain):
        return gettext("Item %(number)s: %(name)s") % {
            "number": owner.position,
            "name": owner.short_name,
        }
    return gettext("Step %(number)s: %(title)s") % {"number": owner.number, "title": owner.title}


def _current_source(version, language):
    """The recorded source of a wording validated or written by a person; empty for
    a seeded draft translation (it must be given)."""
    for status in version.statuses.all():
        if status.language == language and (
            status.status == WordingStatus.Status.VALIDATED or status.edited_by_id is not None
        ):
            return status.source
    return ""


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("What needs to change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The draft goes back to its writers with this reason."),
        error_messages={"required": _("Say what needs to change."), "max_length": TOO_LONG},
    )
