from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogplus.dates import check_appointment_time, check_due_date, latest_plannable_date
from dialogplus.text import TextField

from .models import Action, ActionReview, DialogSession


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Who attended"),
        choices=DialogSession.Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who attended."),
            "invalid_choice": _("Choose who attended."),
        },
    )
    attendance_note = TextField(label=_("Who else attended"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("attendance") == "other" and not data.get("attendance_note", "").strip():
            self.add_error("attendance_note", _("Say who else attended."))
        return data


NOTE_MAX_LENGTH = 10000


class StepNoteForm(forms.Form):
    """A step's note as typed: autosaved while typing, so kept exactly (not stripped)."""

    note = TextField(max_length=NOTE_MAX_LENGTH, required=False, strip=False)


class ActionReviewForm(forms.Form):
    status = forms.ChoiceField(
        choices=ActionReview.Status.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the statuses shown.")},
    )
    comment = TextField(max_length=2000, required=False)
    revision = forms.IntegerField(required=False, min_value=0)


CARER_PREFIX = "carer:"


class OwnerField(forms.ChoiceField):
    """Who will do it; a named carer is one more choice ("carer:<id>")."""

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError:
            if str(value).startswith(CARER_PREFIX):
                # Offered when the page was loaded, gone now: consent withdrawn.
                raise forms.ValidationError(
                    _("This carer can no longer be chosen. Choose who will do it."),
                    code="carer_unavailable",
                ) from None
            raise


class ActionForm(forms.Form):
    """An agreed action. With ``carers`` (the patient's carers with consent),
    "Carer" becomes one choice per carer, by name, and "Another carer" for
    someone typed by name: one tap names the carer who owns the action."""

    text = TextField(
        label=_("What will be done?"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    owner = OwnerField(
        label=_("Who will do it?"),
        choices=Action.Owner.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose who will do it.")},
    )
    owner_name = TextField(label=_("Name"), max_length=200, required=False)
    due_date = forms.DateField(
        label=_("Due by (optional)"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a valid date.")},
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, carers=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The date picker offers only what the form accepts.
        today = timezone.localdate()
        self.fields["due_date"].widget.attrs.update(
            min=today.isoformat(), max=latest_plannable_date(today).isoformat()
        )
        self.carers = {f"{CARER_PREFIX}{carer.pk}": carer for carer in carers}
        if self.carers:
            choices = []
            for value, label in Action.Owner.choices:
                if value == Action.Owner.CARER:
                    choices.extend(
                        (key, _("Carer: %(name)s") % {"name": carer.full_name})
                        for key, carer in self.carers.items()
                    )
                    label = _("Another carer")
                choices.append((value, label))
            self.fields["owner"].choices = choices

    def clean(self):
        data = super().clean()
        data["carer"] = self.carers.get(data.get("owner"))
        if data["carer"] is not None:
            data["owner"] = Action.Owner.CARER
        if "text" in self.errors:
            # The text was refused with its own message: the checks below would
            # read it as empty and add a second, wrong one ("Say what will be done").
            return data
        text = (data.get("text") or "").strip()
        if text and not data.get("owner"):
            self.add_error("owner", _("Choose who will do it."))
        if not text and (data.get("owner_name") or data.get("due_date")):
            self.add_error("text", _("Say what will be done."))
        if (
            data.get("owner") == Action.Owner.OTHER
            and text
            and not data.get("owner_name", "").strip()
        ):
            self.add_error("owner_name", _("Name the person who will do it."))
        due = data.get("due_date")
        if due:
            try:
                check_due_date(due)
            except ValidationError as exc:
                self.add_error("due_date", exc)
        return data

    @property
    def has_action(self):
        return bool((self.cleaned_data.get("text") or "").strip())


class ActionEditForm(ActionForm):
    """An agreed action changed in place: the words and who does it."""

    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    client_token = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("due_date")
        self.fields["text"].required = True
        self.fields["text"].error_messages["required"] = _("Say what will be done.")
        self.fields["owner"].required = True
        self.fields["owner"].error_messages["required"] = _("Choose who will do it.")


class FinishForm(forms.Form):
    next_appointment = forms.DateTimeField(
        label=_("Next appointment"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
        ),
        error_messages={"invalid": _("Enter a date and time, for example 2026-12-01 10:30.")},
    )

    def clean_next_appointment(self):
        value = self.cleaned_data.get("next_appointment")
        if value is not None:
            check_appointment_time(value)
        return value


def suggested_next_appointment(patient):
    """The plan's interval from today, at 10:00 clinic time: a sensible default."""
    local = timezone.localtime() + timedelta(days=patient.session_interval_days)
    return local.replace(hour=10, minute=0, second=0, microsecond=0)


class RatingsOnlyForm(FinishForm):
    """Finishing a short appointment with the ratings only, and why."""

    reason = forms.ChoiceField(
        label=_("Why only the ratings today?"),
        choices=DialogSession.RatingsOnlyReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why it is ratings only today."),
            "invalid_choice": _("Choose why it is ratings only today."),
        },
    )
    note = TextField(label=_("Anything to add (optional)"), max_length=300, required=False)
