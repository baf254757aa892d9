"""One timeline of every change to a patient's record, built from simple-history.

django-simple-history keeps a full copy of a row at each save ("+" created,
"~" changed, "-" deleted). The timeline compares each copy with the one before
it of the same row and keeps the fields people recognise; technical fields
(revision counters, the stage a session is at, timestamps of the row itself)
are left out, so a save that changed only those shows nothing.

Who reads it decides what it shows. A patient's clinicians may read every
note and action anyway, so they see the values. A clinic admin sees the same
entries (when, who, what changed) but never a clinical value: free text reads
"(text changed)" and other clinical values "(value changed)"; the masked value
is never put in the page's context.

Cost: one query per audited model plus one for names and one for domains,
whatever the length of the record (no query per row). Every history row of the
patient is read, so the work grows with the record; a busy record has a few
thousand rows, which takes milliseconds.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from patients.models import Carer, Patient
from scale.models import Domain
from sessions_app.models import (
    Action,
    ActionReview,
    DialogSession,
    Rating,
    SelectedArea,
    StepNote,
)

# How a field's values may be shown to someone who does not read clinical records.
PLAIN = "plain"  # not clinical: shown to everyone who may see the timeline
VALUE = "value"  # a clinical value (a rating, a status): hidden from clinic admins
TEXT = "text"  # free text typed by a person: hidden from clinic admins

MASKS = {
    TEXT: gettext_lazy("(text changed)"),
    VALUE: gettext_lazy("(value changed)"),
}
EMPTY = "—"

CREATED, CHANGED, DELETED = "+", "~", "-"
VERBS = {
    CREATED: gettext_lazy("Added"),
    CHANGED: gettext_lazy("Changed"),
    DELETED: gettext_lazy("Removed"),
}

# The fields shown per audited model, in the order they are listed.
FIELDS = {
    Patient: {
        "full_name": PLAIN,
        "language": PLAIN,
        "key_clinician": PLAIN,
        "planned_sessions": PLAIN,
        "session_interval_days": PLAIN,
        "pseudonymised_at": PLAIN,
    },
    Carer: {
        "full_name": PLAIN,
        "relationship": TEXT,
        "user": PLAIN,
        "email": VALUE,
        "phone": VALUE,
        "language": PLAIN,
        "invited_at": PLAIN,
        "share_summaries": PLAIN,
        "share_ratings": PLAIN,
        "consent_recorded_at": PLAIN,
        "consent_recorded_by": PLAIN,
        "consent_withdrawn_at": PLAIN,
    },
    DialogSession: {
        "status": PLAIN,
        "clinician": PLAIN,
        "started_at": PLAIN,
        "ended_at": PLAIN,
        "attendance": PLAIN,
        "attendance_note": TEXT,
        "next_appointment": PLAIN,
    },
    Rating: {"value": VALUE, "needs_help": VALUE},
    SelectedArea: {"domain": VALUE, "think_it_over": VALUE},
    StepNote: {"text": TEXT},
    Action: {
        "text": TEXT,
        "owner": VALUE,
        "owner_name": TEXT,
        "carer": VALUE,
        "due_date": VALUE,
    },
    ActionReview: {"status": VALUE, "comment": TEXT},
}

# Labels for fields whose verbose name is missing or reads oddly out of context.
LABELS = {
    (Patient, "pseudonymised_at"): gettext_lazy("pseudonymised"),
    (Carer, "user"): gettext_lazy("sign-in account"),
    (SelectedArea, "domain"): gettext_lazy("area"),
    (Carer, "consent_recorded_at"): gettext_lazy("consent recorded"),
    (Carer, "consent_recorded_by"): gettext_lazy("consent recorded by"),
    (Carer, "consent_withdrawn_at"): gettext_lazy("consent withdrawn"),
    (DialogSession, "status"): gettext_lazy("status"),
    (DialogSession, "clinician"): gettext_lazy("clinician"),
    (DialogSession, "started_at"): gettext_lazy("started"),
    (DialogSession, "ended_at"): gettext_lazy("ended"),
}


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""
    # Set instead of before/after when the reader may not see the values.
    masked: str = ""


@dataclass
class Entry:
    at: datetime
    who: str
    verb: str
    subject: str
    changes: list = field(default_factory=list)
    order: tuple = ()


def _history(model):
    return model.history.model


def _rows(patient):
    """Every history row of the patient's record, per audited model (8 queries).

    Rows of notes and actions are found through every area the sessions ever
    had, so a removed area's notes still show.
    """
    sessions = _history(DialogSession).objects.filter(patient_id=patient.pk).values("id")
    areas = _history(SelectedArea).objects.filter(session_id__in=sessions).values("id")
    scopes = {
        Patient: models.Q(id=patient.pk),
        Carer: models.Q(patient_id=patient.pk),
        DialogSession: models.Q(patient_id=patient.pk),
        Rating: models.Q(session_id__in=sessions),
        SelectedArea: models.Q(session_id__in=sessions),
        StepNote: models.Q(area_id__in=areas),
        Action: models.Q(area_id__in=areas),
        ActionReview: models.Q(session_id__in=sessions),
    }
    return {
        model: list(_history(model).objects.filter(scope).order_by("history_date", "history_id"))
        for model, scope in scopes.items()
    }


class _Names:
    """Names of the people, carers, domains and sessions the rows point at."""

    def __init__(self, rows):
        user_ids = set()
        for model, model_rows in rows.items():
            user_fields = [
                name
                for name in FIELDS[model]
                if _field(model, name).is_relation
                and _field(model, name).related_model is get_user_model()
            ]
            for row in model_rows:
                user_ids.add(row.history_user_id)
                user_ids.update(getattr(row, f"{name}_id") for name in user_fields)
        user_ids.discard(None)
        self.users = {
            user.pk: str(user)
            for user in get_user_model().objects.filter(pk__in=user_ids).only("full_name", "email")
        }
        # The latest name each carer, session and area had.
        self.carers = {row.id: row.full_name for row in rows[Carer]}
        self.session_numbers = {row.id: row.number for row in rows[DialogSession]}
        self.areas = {row.id: (row.session_id, row.domain_id) for row in rows[SelectedArea]}
        self.action_areas = {row.id: row.area_id for row in rows[Action]}
        domain_ids = {row.domain_id for row in rows[Rating]} | {
            domain_id for _session, domain_id in self.areas.values()
        }
        self.domains = {
            domain.pk: domain.short_name for domain in Domain.objects.filter(pk__in=domain_ids)
        }

    def user(self, pk):
        return self.users.get(pk, EMPTY) if pk else EMPTY

    def session(self, session_id):
        return self.session_numbers.get(session_id, "?")


def _field(model, name):
    return model._meta.get_field(name)


def _label(model, name):
    return capfirst(str(LABELS.get((model, name)) or _field(model, name).verbose_name))


def _display(model, name, row, names):
    """A field's value as the page shows it, in the reader's language and clinic time."""
    model_field = _field(model, name)
    if model_field.is_relation:
        pk = getattr(row, model_field.attname)
        if pk is None:
            return EMPTY
        if model_field.related_model is Carer:
            return names.carers.get(pk, EMPTY)
        if model_field.related_model is Domain:
            return names.domains.get(pk, EMPTY)
        return names.user(pk)
    value = getattr(row, name)
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _subject(model, row, names, *, reads_clinical):
    """What the entry is about: "Session 3 · Rating: Job". Clinic admins are not
    told which areas a patient chose to talk about."""
    if model is Patient:
        return _("Patient details")
    if model is Carer:
        return _("Carer: %(name)s") % {"name": names.carers.get(row.id, row.full_name)}
    if model is DialogSession:
        return _("Session %(number)s") % {"number": row.number}
    if model is Rating:
        return _("Session %(number)s · Rating: %(domain)s") % {
            "number": names.session(row.session_id),
            "domain": names.domains.get(row.domain_id, "?"),
        }
    if model is ActionReview:
        agreed_in = names.areas.get(names.action_areas.get(row.action_id), (None, None))[0]
        return _("Session %(number)s · Review of an action from session %(earlier)s") % {
            "number": names.session(row.session_id),
            "earlier": names.session(agreed_in),
        }
    area_id = row.id if model is SelectedArea else row.area_id
    session_id, domain_id = names.areas.get(area_id, (None, None))
    number = names.session(session_id)
    domain = names.domains.get(domain_id, "?")
    if model is SelectedArea:
        if reads_clinical:
            return _("Session %(number)s · Area chosen: %(domain)s") % {
                "number": number,
                "domain": domain,
            }
        return _("Session %(number)s · Area chosen") % {"number": number}
    if model is StepNote:
        if reads_clinical:
            return _("Session %(number)s · %(domain)s · Note on step %(step)s") % {
                "number": number,
                "domain": domain,
                "step": row.step,
            }
        return _("Session %(number)s · Note on step %(step)s") % {
            "number": number,
            "step": row.step,
        }
    if reads_clinical:
        return _("Session %(number)s · %(domain)s · Action") % {"number": number, "domain": domain}
    return _("Session %(number)s · Action") % {"number": number}


def _changes(model, row, previous, names, *, reads_clinical):
    """The shown fields that differ from the previous copy of the row.

    A row without a previous copy is compared with an empty one: rows created
    in bulk (a session's eleven blank ratings) have no "+" copy, and their
    first answer is what the reader wants to see. A removed row lists what it
    held.
    """
    changes = []
    for name, visibility in FIELDS[model].items():
        attname = _field(model, name).attname
        value = getattr(row, attname)
        if row.history_type == DELETED or previous is None:
            # Against nothing, an unticked box says nothing either.
            if value is None or value == "" or value is False:
                continue
        elif getattr(previous, attname) == value:
            continue
        label = _label(model, name)
        if visibility != PLAIN and not reads_clinical:
            changes.append(Change(label=label, masked=str(MASKS[visibility])))
            continue
        shown = _display(model, name, row, names)
        if row.history_type == DELETED:
            changes.append(Change(label=label, before=shown, after=EMPTY))
        elif previous is None:
            changes.append(Change(label=label, before=EMPTY, after=shown))
        else:
            before = _display(model, name, previous, names)
            changes.append(Change(label=label, before=before, after=shown))
    return changes


def change_history_for_patient(patient, *, reads_clinical):
    """Every change to ``patient``'s record, newest first, as ``Entry`` objects.

    ``reads_clinical``: the reader is one of the patient's clinicians; without
    it (a clinic admin) no clinical value reaches the entries.
    """
    rows = _rows(patient)
    names = _Names(rows)
    entries = []
    with timezone.override(patient.clinic.time_zone):
        for position, (model, model_rows) in enumerate(rows.items()):
            previous_of = {}
            shown = set()
            for row in model_rows:
                previous = previous_of.get(row.id)
                previous_of[row.id] = row
                changes = _changes(model, row, previous, names, reads_clinical=reads_clinical)
                # A save that changed nothing shown is left out; a row created
                # empty (a note opened, then typed) appears when it gets content.
                if not changes:
                    continue
                if row.history_type == DELETED:
                    verb = VERBS[DELETED]
                else:
                    verb = VERBS[CHANGED] if row.id in shown else VERBS[CREATED]
                shown.add(row.id)
                entries.append(
                    Entry(
                        at=row.history_date,
                        who=names.user(row.history_user_id)
                        if row.history_user_id
                        else _("the system"),
                        verb=str(verb),
                        subject=_subject(model, row, names, reads_clinical=reads_clinical),
                        changes=changes,
                        order=(row.history_date, position, row.history_id),
                    )
                )
    entries.sort(key=attrgetter("order"), reverse=True)
    return entries
