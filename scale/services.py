"""Writes to the DIALOG scale: wording is reviewed before any session uses it.

A version belongs to a scope (scale/scopes.py: a country for now). A clinic
admin starts a draft for their clinic's scope (a copy of the wording the scope
uses), writes each language's wording into it, and proposes it. Someone else
who may validate for that scope (``scale.selectors.may_validate``) approves
it, and only then does it become the scope's current version and new sessions
of that scope's clinics are rated with it; other scopes are untouched. A draft
or a proposal can be corrected (a typo) and stays what it was: saving never
validates. Sessions keep the version they were rated with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone, translation
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
from .scopes import scope_of_clinic, scope_of_version
from .selectors import may_validate, scale_current_for_clinic

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import Clinic, User

    from .scopes import Scope

M = TypeVar("M", bound=models.Model)

# Texts that may span lines; every other text is one line, so a line break
# pasted from a PDF becomes a space.
MULTILINE_FIELDS = {(Step, "guidance")}
# TextField has no max_length; the guidance of the reference wording is ~250 characters.
MULTILINE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000
SOURCE_MAX_LENGTH = int(WordingStatus._meta.get_field("source").max_length or 0)
# Tries to number a new draft while other scopes' drafts take numbers meanwhile.
NUMBER_ATTEMPTS = 3


@dataclass(frozen=True)
class WordingText:
    """One translatable text of a version: its key in ``texts`` and the row holding it."""

    key: str
    row: models.Model
    field: str

    def value(self, language: str) -> str:
        """The text in ``language`` exactly as stored (no fallback), "" when missing."""
        return getattr(self.row, build_localized_fieldname(self.field, language)) or ""

    @property
    def multiline(self) -> bool:
        return (type(self.row), self.field) in MULTILINE_FIELDS

    @property
    def max_length(self) -> int:
        if self.multiline:
            return MULTILINE_MAX_LENGTH
        field = cast(models.CharField, self.row._meta.get_field(self.field))
        return cast(int, field.max_length)  # every wording CharField has one


class WordingConflictError(Exception):
    """The version's wording changed after the form was loaded (another admin saved)."""

    def __init__(self, current: ScaleVersion) -> None:
        super().__init__("wording conflict")
        self.current = current


class WordingRefusedError(Exception):
    """A step of the review that this person may not take, or not now.

    ``message`` is written for the person (shown on the page as it is).
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def wording_texts(version: ScaleVersion) -> list[WordingText]:
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


def _version_with_rows(queryset: QuerySet[ScaleVersion]) -> ScaleVersion | None:
    return queryset.prefetch_related("domains", "labels", "steps__prompts", "statuses").first()


def _lock(version: ScaleVersion) -> ScaleVersion:
    """``version`` again, locked and with its rows: reviews and saves take turns."""
    # The row exists (it was passed in); ``cast`` is for mypy.
    return cast(
        "ScaleVersion",
        _version_with_rows(ScaleVersion.objects.select_for_update().filter(pk=version.pk)),
    )


def _normalise(text: str | None, *, multiline: bool) -> str:
    """Trim the ends; one-line texts lose pasted line breaks and doubled spaces."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return text if multiline else " ".join(text.split())


def _clean_texts(items: Sequence[WordingText], texts: Mapping[str, str]) -> dict[str, str]:
    """``{key: text}`` for every item, or a ValidationError naming each bad key."""
    known = {item.key for item in items}
    unknown = sorted(set(texts) - known)
    if unknown:
        raise ValidationError(
            _("These texts are not part of the DIALOG scale: %(keys)s."),
            code="unknown_text",
            params={"keys": ", ".join(unknown)},
        )
    cleaned: dict[str, str] = {}
    errors: dict[str, ValidationError] = {}
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


def _copy(row: M, **changes: Any) -> M:
    """An unsaved copy of ``row`` with every column (all languages) and ``changes``."""
    model = type(row)
    values = {
        field.attname: getattr(row, field.attname)
        for field in model._meta.concrete_fields
        if not field.primary_key
    }
    values.update(changes)
    return model(**values)


def _copy_version(base: ScaleVersion, **changes: Any) -> ScaleVersion:
    """A saved copy of ``base`` with every row and every language's text, and ``changes``."""
    version = _copy(base, **changes)
    copies: dict[type[models.Model], list[Any]] = {
        Domain: [_copy(row) for row in base.domains.all()],
        RatingLabel: [_copy(row) for row in base.labels.all()],
    }
    version.save()
    for model, rows in copies.items():
        for row in rows:
            row.version_id = version.pk
        model._default_manager.bulk_create(rows)
    prompts = []
    for step in base.steps.all():
        new_step = _copy(step, version_id=version.pk)
        new_step.save()
        prompts += [_copy(prompt, step_id=new_step.pk) for prompt in step.prompts.all()]
    StepPrompt.objects.bulk_create(prompts)
    # Statuses come along as they were; nobody has edited this copy yet.
    WordingStatus.objects.bulk_create(
        _copy(status, version_id=version.pk, edited_by_id=None) for status in base.statuses.all()
    )
    return version


def _refuse_unless_open(version: ScaleVersion) -> None:
    if version.state not in (ScaleVersion.State.DRAFT, ScaleVersion.State.PROPOSED):
        raise WordingRefusedError(
            _("This version is validated and can no longer be changed. Start a new draft."),
            code="not_open",
        )


def open_version_for_scope(scope: Scope) -> ScaleVersion | None:
    """The scope's draft or proposal, or None (there is at most one)."""
    return ScaleVersion.objects.filter(
        state__in=[ScaleVersion.State.DRAFT, ScaleVersion.State.PROPOSED], **scope.lookup()
    ).first()


def draft_start(*, clinic: Clinic, user: User) -> ScaleVersion:
    """A draft for ``clinic``'s scope, copied from the wording its sessions use now.

    If the scope already has a draft or a proposal, that one is returned: the
    scope's admins work on one at a time. Nothing any session uses changes.
    """
    scope = scope_of_clinic(clinic)
    existing = open_version_for_scope(scope)
    if existing is not None:
        return existing
    # The current version exists (it was just read); ``cast`` is for mypy.
    base = cast(
        "ScaleVersion",
        _version_with_rows(ScaleVersion.objects.filter(pk=scale_current_for_clinic(clinic).pk)),
    )
    # Numbers are shared by every scope: another scope's draft may take the one
    # chosen here at the same moment, and the next try takes the one after.
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic(), translation.override(DEFAULT_LANGUAGE):
                number = (ScaleVersion.objects.aggregate(Max("number"))["number__max"] or 0) + 1
                return _copy_version(
                    base,
                    **scope.lookup(),
                    number=number,
                    state=ScaleVersion.State.DRAFT,
                    is_current=False,
                    note="",
                    based_on_id=base.pk,
                    revision=0,
                    created_by_id=user.pk,
                    proposed_by_id=None,
                    proposed_at=None,
                    validated_by_id=None,
                    validated_at=None,
                    rejected_by_id=None,
                    rejected_at=None,
                    rejection_reason="",
                )
        except IntegrityError:
            # Another admin of the scope started one meanwhile: theirs is ours.
            existing = open_version_for_scope(scope)
            if existing is not None:
                return existing
    raise WordingRefusedError(
        _("Several drafts were being started at once. Please try again."), code="busy"
    )


def _clean_source(source: str) -> str:
    source = _normalise(source, multiline=False)
    if not source:
        raise ValidationError(
            {"source": ValidationError(_("Say where this wording comes from."), code="required")}
        )
    if len(source) > SOURCE_MAX_LENGTH:
        raise ValidationError(
            {
                "source": ValidationError(
                    _("This text is too long: at most %(limit_value)s characters."),
                    code="max_length",
                    params={"limit_value": SOURCE_MAX_LENGTH},
                )
            }
        )
    return source


def draft_wording_save(
    *,
    version: ScaleVersion,
    language: str,
    texts: Mapping[str, str],
    source: str,
    user: User,
    revision: int | None = None,
) -> ScaleVersion:
    """Write ``language``'s wording into a draft or proposed ``version``, in place.

    ``texts`` maps every key of ``wording_texts`` to its text; every one is
    needed (an empty text raises ValidationError keyed by the text's key, and
    nothing is stored). The version keeps its state: a typo fixed in a
    proposal is still a proposal, and nothing is validated by saving. No
    session uses a draft or a proposal, so its rows are changed where they are.
    The language's status records ``source`` and ``user`` (who therefore may
    not approve this version).

    ``revision`` is the version's revision the form was loaded at: if another
    admin saved meanwhile, WordingConflictError is raised with the version as it is
    now, instead of silently overwriting their text.
    """
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Choose one of the languages shown."), code="unknown_language")
    source = _clean_source(source)
    # The original (untranslated) columns mirror the default language, whatever
    # language the admin's interface speaks: save under it.
    with transaction.atomic(), translation.override(DEFAULT_LANGUAGE):
        version = _lock(version)
        _refuse_unless_open(version)
        if revision is not None and revision != version.revision:
            raise WordingConflictError(version)
        items = wording_texts(version)
        cleaned = _clean_texts(items, texts)
        changed = set()
        for item in items:
            column = build_localized_fieldname(item.field, language)
            if getattr(item.row, column) != cleaned[item.key]:
                setattr(item.row, column, cleaned[item.key])
                changed.add(item.row)
        for row in changed:
            row.save()
        WordingStatus.objects.update_or_create(
            version=version,
            language=language,
            defaults={"status": WordingStatus.Status.DRAFT, "source": source, "edited_by": user},
        )
        version.revision += 1
        version.save(update_fields=["revision"])
    return version


def version_propose(*, version: ScaleVersion, user: User) -> ScaleVersion:
    """Ask for ``version`` (a draft) to be validated for its scope."""
    with transaction.atomic():
        version = _lock(version)
        if version.state != ScaleVersion.State.DRAFT:
            raise WordingRefusedError(_("Only a draft can be proposed."), code="not_draft")
        if not version.statuses.filter(edited_by__isnull=False).exists():
            raise WordingRefusedError(
                _("Nothing has been changed in this draft yet, so there is nothing to propose."),
                code="unchanged",
            )
        version.state = ScaleVersion.State.PROPOSED
        version.proposed_by = user
        version.proposed_at = timezone.now()
        version.save(update_fields=["state", "proposed_by", "proposed_at"])
    return version


def _check_reviewer(version: ScaleVersion, user: User) -> None:
    if version.state != ScaleVersion.State.PROPOSED:
        raise WordingRefusedError(
            _("This version is not waiting for approval any more."), code="not_proposed"
        )
    if not may_validate(user, version):
        raise WordingRefusedError(
            _("You may not validate wording for this country."), code="not_a_validator"
        )


def version_approve(*, version: ScaleVersion, user: User, revision: int) -> ScaleVersion:
    """Validate a proposed ``version``: it becomes its scope's current version.

    ``user`` must be allowed to validate for the scope and be someone else:
    neither the person who proposed it nor anyone who wrote its wording. The
    approval is of the text ``user`` read (``revision``); if it was corrected
    since, they are asked to read it again. Languages written in this version
    become validated. The scope's previous version stays, no longer current:
    sessions rated with it keep it. Other scopes are untouched.
    """
    with transaction.atomic():
        version = _lock(version)
        _check_reviewer(version, user)
        editors = set(version.statuses.exclude(edited_by=None).values_list("edited_by", flat=True))
        if user.pk == version.proposed_by_id or user.pk in editors:
            raise WordingRefusedError(
                _(
                    "You proposed or wrote this wording, so someone else must approve it. "
                    "Ask another person who may validate for this country."
                ),
                code="own_proposal",
            )
        if revision != version.revision:
            raise WordingRefusedError(
                _(
                    "The wording was corrected after you opened this page. Nothing was approved. "
                    "Read it again, then approve."
                ),
                code="changed",
            )
        # One current version per scope (scale_one_current_version_per_scope):
        # unset the old one before setting the new.
        ScaleVersion.objects.filter(is_current=True, **scope_of_version(version).lookup()).update(
            is_current=False
        )
        version.statuses.exclude(edited_by=None).update(status=WordingStatus.Status.VALIDATED)
        version.state = ScaleVersion.State.VALIDATED
        version.is_current = True
        version.validated_by = user
        version.validated_at = timezone.now()
        version.save(update_fields=["state", "is_current", "validated_by", "validated_at"])
    return version


def version_reject(*, version: ScaleVersion, user: User, reason: str) -> ScaleVersion:
    """Send a proposed ``version`` back to draft, with the reason, for correction."""
    reason = (reason or "").replace("\r\n", "\n").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say what needs to change."), code="required")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("This text is too long: at most %(limit_value)s characters."),
                    code="max_length",
                    params={"limit_value": REASON_MAX_LENGTH},
                )
            }
        )
    with transaction.atomic():
        version = _lock(version)
        _check_reviewer(version, user)
        version.state = ScaleVersion.State.DRAFT
        version.rejected_by = user
        version.rejected_at = timezone.now()
        version.rejection_reason = reason
        version.save(update_fields=["state", "rejected_by", "rejected_at", "rejection_reason"])
    return version


SUGGESTION_MAX_LENGTH = ActionSuggestion._meta.get_field("text").max_length


def _suggestion_text(text: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        raise ValidationError(_("Write the suggested action."), code="empty_suggestion")
    # The one text rule (dialogplus/text.py): no control characters, the limit as seen.
    return check_text(text, limit=SUGGESTION_MAX_LENGTH, storage_limit=SUGGESTION_MAX_LENGTH)


def _every_language(row: ActionSuggestion, text: str) -> None:
    # A clinic writes its suggestions in its own words; they read the same in
    # every language the clinicians use, rather than falling back to English.
    for language in LANGUAGE_CODES:
        setattr(row, build_localized_fieldname("text", language), text)
    row.text = text


def suggestion_save(
    *,
    clinic: Clinic,
    domain_key: str,
    text: str,
    suggestion: ActionSuggestion | None = None,
    hidden: bool = False,
) -> ActionSuggestion:
    """Add a clinic's own suggestion, or change or hide one for this clinic only.

    ``suggestion`` is a row the clinic sees: a default (then the clinic gets
    its own row that replaces it) or one of the clinic's rows. Defaults and
    other clinics' rows are never written.
    """
    # Compared in Python: a posted key may hold anything, NUL included, which
    # PostgreSQL refuses to take as a query parameter.
    keys = {domain.key for domain in scale_current_for_clinic(clinic).domains.all()}
    if domain_key not in keys:
        raise ValidationError(_("Choose an area from the list."), code="invalid_domain")
    new_text = _suggestion_text(text) if not hidden or suggestion is None else None
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
        if new_text is not None:
            _every_language(row, new_text)
        row.hidden = hidden
        row.save()
    return row
