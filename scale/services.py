"""Writes to the DIALOG scale: a validated wording becomes a new version.

The scale is global: every clinic rates with the same current version. We
choose to let a clinic admin (not only the system administrator) paste a
clinic's officially validated translation, because the clinics hold those
translations; a wording validated by one clinic's admin is therefore validated
for every clinic, and new sessions everywhere are rated with it. Sessions keep
the version they were rated with, so their history reads as it was asked.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from modeltranslation.settings import DEFAULT_LANGUAGE
from modeltranslation.utils import build_localized_fieldname

from dialogplus.languages import LANGUAGE_CODES
from dialogplus.text import check_text

from .models import (
    ActionSuggestion,
    Domain,
    RatingLabel,
    ScaleVersion,
    Step,
    StepPrompt,
    WordingStatus,
)

# Texts that may span lines; every other text is one line, so a line break
# pasted from a PDF becomes a space.
MULTILINE_FIELDS = {(Step, "guidance")}
# TextField has no max_length; the guidance of the reference wording is ~250 characters.
MULTILINE_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = ScaleVersion._meta.get_field("note").max_length
# Times to look for the current version when others keep replacing it meanwhile.
LOCK_ATTEMPTS = 5


@dataclass(frozen=True)
class WordingText:
    """One translatable text of a version: its key in ``texts`` and the row holding it."""

    key: str
    row: object
    field: str

    def value(self, language):
        """The text in ``language`` exactly as stored (no fallback), "" when missing."""
        return getattr(self.row, build_localized_fieldname(self.field, language)) or ""

    @property
    def multiline(self):
        return (type(self.row), self.field) in MULTILINE_FIELDS

    @property
    def max_length(self):
        if self.multiline:
            return MULTILINE_MAX_LENGTH
        return self.row._meta.get_field(self.field).max_length


class WordingConflict(Exception):
    """The language's wording changed after the form was loaded (another admin saved)."""

    def __init__(self, current):
        super().__init__("wording conflict")
        self.current = current


def wording_texts(version):
    """Every translatable text of ``version``, in reading order.

    The help question, then each item's short name and question, the seven
    rating labels, and each step's title, guidance and prompts. Keys are stable
    across versions (domain keys, label values, step and prompt numbers), so a
    form built from one version fits the next. Uses ``version``'s prefetched
    rows when there are any (see ``scale.selectors.scale_get``).
    """
    texts = [WordingText("help_question", version, "help_question")]
    for domain in version.domains.all():
        texts.append(WordingText(f"domain-{domain.key}-short_name", domain, "short_name"))
        texts.append(WordingText(f"domain-{domain.key}-question", domain, "question"))
    for label in version.labels.all():
        texts.append(WordingText(f"label-{label.value}", label, "text"))
    for step in version.steps.all():
        texts.append(WordingText(f"step-{step.number}-title", step, "title"))
        texts.append(WordingText(f"step-{step.number}-guidance", step, "guidance"))
        for prompt in step.prompts.all():
            texts.append(WordingText(f"prompt-{step.number}-{prompt.position}", prompt, "text"))
    return texts


def _version_with_rows(queryset):
    return queryset.prefetch_related("domains", "labels", "steps__prompts", "statuses").first()


def _lock_current_version():
    """The current version, locked: two admins saving at once are served in turn.

    On PostgreSQL the second waits for the first to commit; by then the row it
    waited for is no longer current, so it looks again and locks the new one.
    """
    for _attempt in range(LOCK_ATTEMPTS):
        current = _version_with_rows(
            ScaleVersion.objects.select_for_update().filter(is_current=True)
        )
        if current is not None:
            return current
    raise WordingConflict(_version_with_rows(ScaleVersion.objects.filter(is_current=True)))


def _normalise(text, *, multiline):
    """Trim the ends; one-line texts lose pasted line breaks and doubled spaces."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return text if multiline else " ".join(text.split())


def _clean_texts(items, texts):
    """``{key: text}`` for every item, or a ValidationError naming each bad key."""
    known = {item.key for item in items}
    unknown = sorted(set(texts) - known)
    if unknown:
        raise ValidationError(
            _("These texts are not part of the DIALOG scale: %(keys)s."),
            code="unknown_text",
            params={"keys": ", ".join(unknown)},
        )
    cleaned, errors = {}, {}
    for item in items:
        text = _normalise(texts.get(item.key), multiline=item.multiline)
        if not text:
            errors[item.key] = ValidationError(
                _("This text is empty. Paste the validated wording here."), code="required"
            )
        elif len(text) > item.max_length:
            errors[item.key] = ValidationError(
                _("This text is too long: at most %(limit_value)s characters."),
                code="max_length",
                params={"limit_value": item.max_length},
            )
        cleaned[item.key] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def _copy(row, **changes):
    """An unsaved copy of ``row`` with every column (all languages) and ``changes``."""
    model = type(row)
    values = {
        field.attname: getattr(row, field.attname)
        for field in model._meta.concrete_fields
        if not field.primary_key
    }
    values.update(changes)
    return model(**values)


def _language_differs(language, earlier, current):
    """Whether ``language``'s wording of ``current`` differs from that of ``earlier``
    (a version that does not exist counts as different)."""
    if earlier is None:
        return True
    before = {item.key: item.value(language) for item in wording_texts(earlier)}
    return before != {item.key: item.value(language) for item in wording_texts(current)}


def scale_version_validate(*, language, texts, source, user, based_on=None) -> ScaleVersion:
    """Store an officially validated wording of the scale in ``language`` as a new version.

    ``texts`` maps every key of ``wording_texts`` to its text; every one is
    needed (an empty text raises ValidationError keyed by the text's key, and
    nothing is stored). In one transaction this copies the current version,
    every row of it and every language's text, applies ``texts`` in
    ``language``, copies the wording statuses and marks ``language`` validated
    with ``source``, then makes the copy the current version. The old version
    stays, no longer current: sessions rated with it keep their wording.

    The scale is shared by all clinics (see the module docstring): what one
    clinic's admin validates is validated for everyone. ``user`` is recorded in
    the new version's note.

    ``based_on`` is the version number the form was loaded from. If another
    admin has since changed this language's wording, WordingConflict is raised
    with the current version instead of silently overwriting their text.
    """
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Choose one of the languages shown."), code="unknown_language")
    source = _normalise(source, multiline=False)
    source_max = WordingStatus._meta.get_field("source").max_length
    if not source:
        raise ValidationError(
            {"source": ValidationError(_("Say where this wording comes from."), code="required")}
        )
    if len(source) > source_max:
        raise ValidationError(
            {
                "source": ValidationError(
                    _("This text is too long: at most %(limit_value)s characters."),
                    code="max_length",
                    params={"limit_value": source_max},
                )
            }
        )

    # The original (untranslated) columns mirror the default language, whatever
    # language the admin's interface speaks: copy and save under it.
    with transaction.atomic(), translation.override(DEFAULT_LANGUAGE):
        current = _lock_current_version()
        if based_on is not None and based_on != current.number:
            earlier = _version_with_rows(ScaleVersion.objects.filter(number=based_on))
            if _language_differs(language, earlier, current):
                raise WordingConflict(current)

        items = wording_texts(current)
        cleaned = _clean_texts(items, texts)

        number = (ScaleVersion.objects.aggregate(Max("number"))["number__max"] or 0) + 1
        note = f"{language}: {source} ({user.email})"[:NOTE_MAX_LENGTH]
        version = _copy(current, number=number, is_current=False, note=note)
        copies = {
            ScaleVersion: {current.pk: version},
            Domain: {row.pk: _copy(row) for row in current.domains.all()},
            RatingLabel: {row.pk: _copy(row) for row in current.labels.all()},
            Step: {row.pk: _copy(row) for row in current.steps.all()},
            StepPrompt: {
                row.pk: _copy(row) for step in current.steps.all() for row in step.prompts.all()
            },
        }
        for item in items:
            row = copies[type(item.row)][item.row.pk]
            setattr(row, build_localized_fieldname(item.field, language), cleaned[item.key])

        version.save()
        for model in (Domain, RatingLabel):
            rows = list(copies[model].values())
            for row in rows:
                row.version_id = version.pk
            model.objects.bulk_create(rows)
        for step in copies[Step].values():
            step.version_id = version.pk
            step.save()
        prompts = list(copies[StepPrompt].values())
        for prompt in prompts:
            prompt.step_id = copies[Step][prompt.step_id].pk
        StepPrompt.objects.bulk_create(prompts)

        statuses = {status.language: _copy(status) for status in current.statuses.all()}
        statuses[language] = WordingStatus(
            language=language, status=WordingStatus.Status.VALIDATED, source=source
        )
        for status in statuses.values():
            status.version_id = version.pk
        WordingStatus.objects.bulk_create(statuses.values())

        # One current version at a time (scale_one_current_version): unset the
        # old one before setting the new.
        ScaleVersion.objects.filter(pk=current.pk).update(is_current=False)
        version.is_current = True
        version.save(update_fields=["is_current"])
    return version


SUGGESTION_MAX_LENGTH = ActionSuggestion._meta.get_field("text").max_length


def _suggestion_text(text):
    text = " ".join(str(text).split())
    if not text:
        raise ValidationError(_("Write the suggested action."), code="empty_suggestion")
    # The one text rule (dialogplus/text.py): no control characters, the limit as seen.
    return check_text(text, limit=SUGGESTION_MAX_LENGTH, storage_limit=SUGGESTION_MAX_LENGTH)


def _every_language(row, text):
    # A clinic writes its suggestions in its own words; they read the same in
    # every language the clinicians use, rather than falling back to English.
    for language in LANGUAGE_CODES:
        setattr(row, build_localized_fieldname("text", language), text)
    row.text = text


def suggestion_save(*, clinic, domain_key, text, suggestion=None, hidden=False):
    """Add a clinic's own suggestion, or change or hide one for this clinic only.

    ``suggestion`` is a row the clinic sees: a default (then the clinic gets
    its own row that replaces it) or one of the clinic's rows. Defaults and
    other clinics' rows are never written.
    """
    # Compared in Python: a posted key may hold anything, NUL included, which
    # PostgreSQL refuses to take as a query parameter.
    keys = set(Domain.objects.filter(version__is_current=True).values_list("key", flat=True))
    if domain_key not in keys:
        raise ValidationError(_("Choose an area from the list."), code="invalid_domain")
    text = _suggestion_text(text) if not hidden or suggestion is None else None
    with transaction.atomic():
        if suggestion is None:
            row = ActionSuggestion(clinic=clinic, domain_key=domain_key, status="validated")
            last = ActionSuggestion.objects.filter(domain_key=domain_key).aggregate(
                Max("position")
            )["position__max"]
            row.position = (last or 0) + 1
        elif suggestion.clinic_id == clinic.id:
            row = suggestion
        elif suggestion.clinic_id is None:
            row, _created = ActionSuggestion.objects.get_or_create(
                clinic=clinic,
                replaces=suggestion,
                defaults={
                    "domain_key": suggestion.domain_key,
                    "position": suggestion.position,
                    "text": suggestion.text,
                    "status": "validated",
                },
            )
        else:
            raise ValidationError(_("Choose a suggestion from the list."), code="foreign")
        if text is not None:
            _every_language(row, text)
        row.hidden = hidden
        row.save()
    return row
