"""The DIALOG scale as content.

The wording is data, not code: every text field here is translated with
modeltranslation (see translation.py) and an admin can correct it. Changing
validated wording makes a new ScaleVersion; a session keeps the version it was
rated with, so its history reads as it was asked.

Each version belongs to a scope (scale/scopes.py: a country for now; an
organisation later) and moves draft -> proposed -> validated: a clinic admin
writes and proposes, someone else who may validate for that scope approves.
Only a validated version can be current, and each scope has at most one
current version; a scope without one uses the shared default (scope "").
"""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class ScaleVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        VALIDATED = "validated", _("Validated")

    number = models.PositiveIntegerField(_("version"), unique=True)
    # The scope the version belongs to: a country code, or "" for the shared
    # default every scope without a validated version of its own uses. Read and
    # compared through scale/scopes.py only, so an organisation can replace it.
    country = models.CharField(_("country"), max_length=2, blank=True, default="")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.VALIDATED
    )
    is_current = models.BooleanField(_("current"), default=False)
    help_question = models.CharField(_("help question"), max_length=200)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The version a draft was copied from.
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Bumped by every save of a draft's text: a stale form or an approval of
    # text that changed since it was read is refused.
    revision = models.PositiveIntegerField(default=0)
    # Who did what, kept (PROTECT) because the approval is the audit trail.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    # The last rejection (the version went back to draft), with its reason.
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("scale version")
        verbose_name_plural = _("scale versions")
        ordering = ["-number"]
        permissions = [
            (
                "validate_wording",
                "May approve DIALOG wording for the country of the clinic they administer",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=models.Q(is_current=True),
                name="scale_one_current_version_per_scope",
            ),
            # One draft or proposal at a time per scope: its admins work on the same one.
            models.UniqueConstraint(
                fields=["country"],
                condition=models.Q(state__in=["draft", "proposed"]),
                name="scale_one_open_version_per_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(is_current=False) | models.Q(state="validated"),
                name="scale_current_is_validated",
            ),
        ]

    def __str__(self):
        return f"DIALOG v{self.number}"

    @property
    def scope(self):
        """The version's scope (scale/scopes.py), e.g. for its name on a page."""
        from .scopes import scope_of_version  # scopes reads accounts; models load first

        return scope_of_version(self)

    @cached_property
    def midpoint_label(self):
        """The label of rating 4 ("in the middle"): a score of exactly 4 reads the
        same. Its ``text`` is read in the active language when shown."""
        return next((label for label in self.labels.all() if label.value == 4), None)


class Domain(models.Model):
    class Kind(models.TextChoices):
        LIFE = "life", _("Life domain")
        TREATMENT = "treatment", _("Treatment domain")

    version = models.ForeignKey(ScaleVersion, on_delete=models.PROTECT, related_name="domains")
    key = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    short_name = models.CharField(_("short name"), max_length=80)
    question = models.CharField(_("question"), max_length=200)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="domain_unique_key"),
            models.UniqueConstraint(fields=["version", "position"], name="domain_unique_position"),
        ]

    def __str__(self):
        return self.short_name


class RatingLabel(models.Model):
    version = models.ForeignKey(ScaleVersion, on_delete=models.PROTECT, related_name="labels")
    value = models.PositiveSmallIntegerField()
    text = models.CharField(_("label"), max_length=80)

    class Meta:
        verbose_name = _("rating label")
        verbose_name_plural = _("rating labels")
        ordering = ["version", "value"]
        constraints = [
            models.UniqueConstraint(fields=["version", "value"], name="label_unique_value"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=7), name="label_value_1_to_7"
            ),
        ]

    def __str__(self):
        return f"{self.value} – {self.text}"


class Step(models.Model):
    """One of the four solution-focused steps, with guidance for the clinician."""

    version = models.ForeignKey(ScaleVersion, on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40)
    title = models.CharField(_("title"), max_length=100)
    guidance = models.TextField(_("guidance for the clinician"))

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="step_unique_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=4), name="step_number_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class StepPrompt(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="prompts")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("prompt"), max_length=300)

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        ordering = ["step", "position"]
        constraints = [
            models.UniqueConstraint(fields=["step", "position"], name="prompt_unique_position")
        ]

    def __str__(self):
        return self.text


class WordingStatus(models.Model):
    """Whether a language's wording of a version is a draft or officially validated.

    Clinics hold validated translations of the DIALOG scale; until an admin has
    pasted and confirmed one, the wording shown in that language is a draft.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        VALIDATED = "validated", _("Validated")

    version = models.ForeignKey(ScaleVersion, on_delete=models.CASCADE, related_name="statuses")
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("source of the wording"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who last wrote this language's text in this (draft) version; empty when
    # copied unchanged. Approval marks these languages validated, and none of
    # these people may approve the version.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("wording status")
        verbose_name_plural = _("wording statuses")
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="wording_status_unique")
        ]

    def __str__(self):
        return f"{self.version} {self.language}: {self.get_status_display()}"


class ActionSuggestion(models.Model):
    """A common action for one DIALOG domain, offered as a one-tap chip in step 4.

    Keyed by the domain's ``key`` so it outlives new scale versions. Rows with
    no clinic are the defaults everyone sees; a clinic's own row either adds a
    suggestion or, with ``replaces``, changes or hides one default for that
    clinic only.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        VALIDATED = "validated", _("Validated")

    domain_key = models.SlugField(max_length=40)
    clinic = models.ForeignKey(
        "accounts.Clinic",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_suggestions",
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="overrides"
    )
    text = models.CharField(_("suggested action"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    hidden = models.BooleanField(_("hidden"), default=False)
    # Whether the non-English wording has been checked by a person; English is the reference.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("suggested action")
        verbose_name_plural = _("suggested actions")
        ordering = ["domain_key", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "replaces"],
                condition=models.Q(replaces__isnull=False),
                name="suggestion_one_override_per_clinic",
            ),
        ]

    def __str__(self):
        return self.text
