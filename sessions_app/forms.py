from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogplus.dates import check_appointment_time, check_due_date, latest_plannable_date
from dialogplus.text import TextField

from .models import Action, ActionReview, DialogSession
from .services import validate_rating_value


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


class RatingValueField(forms.Field):
    """A rating tapped on the card: the service's rule (whole number 1-7) decides,
    so the form and every other caller of ``rating_record`` refuse the same values."""

    def to_python(self, value):
        return validate_rating_value(value)


class RatingTapForm(forms.Form):
    """One tap on a rating card: a rating, a skip, or the help answer.

    Used by the clinician's rating screens and by the patient's rating link.
    ``domain`` is the item the card is about (from its address); it must belong
    to the session's scale version. Only "skip" clears a rating: an empty or
    missing value is refused, so a broken post never erases an answer.
    """

    ANSWER_MISSING = _("Choose a rating from 1 to 7, or skip this question.")

    value = RatingValueField(required=False)
    skip = forms.ChoiceField(
        choices=[("1", "1"), ("again", "again")],
        required=False,
        error_messages={"invalid_choice": ANSWER_MISSING},
    )
    needs_help = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")],
        coerce=lambda answer: answer == "yes",
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Answer yes or no.")},
    )

    def __init__(self, *args, session, domain, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.domain = domain

    def clean(self):
        data = super().clean()
        if self.domain is None or self.domain.version_id != self.session.scale_version_id:
            raise forms.ValidationError(
                _("That item is not part of this session."), code="invalid_domain"
            )
        posted = set(self.data)
        if "needs_help" in posted and not self.data.get("needs_help"):
            self.add_error("needs_help", _("Answer yes or no."))
        if "skip" not in posted and "value" in posted and data.get("value", ...) is None:
            # An empty value: a broken form, not a skip.
            self.add_error("value", self.ANSWER_MISSING)
        if not posted & {"skip", "value", "needs_help"}:
            raise forms.ValidationError(self.ANSWER_MISSING, code="no_answer")
        return data

    @property
    def just_skipped(self):
        """A first skip: the help question is asked for the skipped item too."""
        return self.cleaned_data.get("skip") == "1"

    def answer(self):
        """What the tap changes, as ``rating_record`` arguments (left out: kept)."""
        fields = {}
        if "skip" in self.data:
            fields["value"] = None
        elif "value" in self.data:
            fields["value"] = self.cleaned_data["value"]
        if "needs_help" in self.data:
            fields["needs_help"] = self.cleaned_data["needs_help"]
        return fields

    def error_text(self):
        """All the form's problems as one sentence for the card's alert."""
        return " ".join(message for errors in self.errors.values() for message in errors)


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


# The owner radios as large touch targets, each with the field's own id.
OWNER_FIELD_TEMPLATE = "sessions_app/partials/owner_field.html"


class ActionForm(forms.Form):
    """An agreed action. With ``carers`` (the patient's carers with consent),
    "Carer" becomes one choice per carer, by name, and "Another carer" for
    someone typed by name: one tap names the carer who owns the action.

    Step 4 renders it with crispy-forms (``helper``), so the limits here (max
    lengths, the due date's range) are the only ones: the template repeats
    none. The template writes the ``<form>`` tag, which carries the htmx
    attributes and the address.
    """

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
    owner_name = TextField(
        label=_("Name (needed for someone else)"), max_length=200, required=False
    )
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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self.layout()

    def layout(self):
        return Layout(
            "client_token",
            "text",
            Field("owner", template=OWNER_FIELD_TEMPLATE),
            Row(
                Column("owner_name", css_class="col-md-7"),
                Column("due_date", css_class="col-md-5"),
                css_class="g-2",
            ),
        )

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
    """An agreed action changed in place: the words and who does it.

    Several are on one page, one per action: pass ``auto_id`` naming the
    action (``action_edit_form`` does) so every field, each owner radio too,
    has an id that stays the same when htmx swaps the list in again, and the
    focus stays where it was.
    """

    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    client_token = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("due_date")

    def layout(self):
        return Layout(
            "revision", "text", Field("owner", template=OWNER_FIELD_TEMPLATE), "owner_name"
        )

    def clean(self):
        data = super().clean()
        # Both are needed, but checked here rather than as "required" fields:
        # the card autosaves on each change, and a browser's own "required"
        # check would silently stop a cleared text from being answered.
        if not (data.get("text") or "").strip() and "text" not in self.errors:
            self.add_error("text", _("Say what will be done."))
        if not data.get("owner") and "owner" not in self.errors:
            self.add_error("owner", _("Choose who will do it."))
        return data


def action_edit_form(action, *, carers, data=None):
    """The form of one agreed action as its card shows it: what is stored, or
    ``data`` (what was posted and refused), so nothing typed or tapped is lost."""
    if data is None:
        data = {
            "text": action.text,
            "owner": f"{CARER_PREFIX}{action.carer_id}" if action.carer_id else action.owner,
            # A carer's name comes with the carer; the field is for anyone else.
            "owner_name": "" if action.carer_id else action.owner_name,
        }
    initial = {name: data.get(name, "") for name in ("text", "owner", "owner_name")}
    initial["revision"] = action.revision
    return ActionEditForm(initial=initial, carers=carers, auto_id=f"action-%s-{action.pk}")


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
