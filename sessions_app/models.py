"""A DIALOG+ session and everything entered in it.

Rows that can be edited from a tablet carry a ``revision`` counter: a save names
the revision it started from, and a save from a stale screen is refused as a
conflict instead of silently overwriting another device's answer.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogplus.encryption import EncryptedCharField, EncryptedTextField
from patients.models import Carer, Patient, new_code
from scale.models import Domain, ScaleVersion


class Stage(models.TextChoices):
    """The screens of a session, in the order of docs/dialog.md §2."""

    REVIEW_ACTIONS = "review_actions", _("Review last actions")
    RATE = "rate", _("Rate")
    REVIEW = "review", _("Review ratings")
    SELECT = "select", _("Choose areas")
    STEPS = "steps", _("Four steps")
    SUMMARY = "summary", _("Summary")


STAGE_ORDER = [stage.value for stage in Stage]


class DialogSession(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        ABANDONED = "abandoned", _("Abandoned")

    class Attendance(models.TextChoices):
        ALONE = "alone", _("Patient alone")
        WITH_CARER = "with_carer", _("Patient with carer")
        OTHER = "other", _("Other")

    class RatingsOnlyReason(models.TextChoices):
        NO_TIME = "no_time", _("No time today")
        PATIENT_DECLINED = "patient_declined", _("The patient did not want to discuss")
        OTHER = "other", _("Other")

    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sessions")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dialog_sessions"
    )
    scale_version = models.ForeignKey(ScaleVersion, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("session number"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RATE)
    attendance = models.CharField(
        _("who attended"), max_length=20, choices=Attendance.choices, default=Attendance.ALONE
    )
    attendance_note = EncryptedCharField(_("who else attended"), max_length=200, blank=True)
    ask_help_question = models.BooleanField(default=True)
    comparison_shown = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    next_appointment = models.DateTimeField(_("next appointment"), null=True, blank=True)
    # Set when a short appointment finished with the ratings only: the session is
    # completed (its ratings count everywhere), and this says why.
    ratings_only_reason = models.CharField(
        _("why ratings only"), max_length=20, choices=RatingsOnlyReason.choices, blank=True
    )
    ratings_only_note = EncryptedCharField(_("more about why"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The clock (sessions_app/active_time.py): time spent with the patient, as
    # opposed to started_at..ended_at, which includes breaks and other days.
    # A session's fidelity "duration" is this, not the wall clock.
    active_seconds = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    last_activity_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    history = HistoricalRecords(
        # Every request moves the clock: history keeps what people changed.
        excluded_fields=["active_seconds", "last_activity_at", "last_activity_stage"]
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["patient", "number"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "number"], name="session_unique_number"),
            # Starting twice (a double tap, two tablets) resumes the open session.
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="in_progress"),
                name="session_one_open_per_patient",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["patient", "status", "-number"])]

    def __str__(self):
        return f"{self.patient} #{self.number}"

    @property
    def is_open(self):
        return self.status == self.Status.IN_PROGRESS

    @property
    def is_ratings_only(self):
        return bool(self.ratings_only_reason)

    @property
    def active_minutes(self):
        """Whole minutes of the clock so far (sessions_app/active_time.py)."""
        return self.active_seconds // 60


class SessionStageTime(models.Model):
    """Active seconds spent on one stage of a session (sessions_app/active_time.py)."""

    session = models.ForeignKey(DialogSession, on_delete=models.CASCADE, related_name="stage_times")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "stage"], name="stage_time_once_per_stage"),
        ]

    def __str__(self):
        return f"{self.session} · {self.stage}: {self.seconds} s"


class SessionHandover(models.Model):
    """A colleague of the same clinic took over an open session (nurse rates,
    psychiatrist discusses). The session's history records the change too;
    these rows say who worked on it, in order, for the summary."""

    session = models.ForeignKey(DialogSession, on_delete=models.CASCADE, related_name="handovers")
    from_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.session}: {self.from_clinician} → {self.to_clinician}"


class Rating(models.Model):
    session = models.ForeignKey(DialogSession, on_delete=models.CASCADE, related_name="ratings")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    # Empty means skipped: a rating is never defaulted.
    value = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    needs_help = models.BooleanField(_("needs more help"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["session", "domain"], name="rating_one_per_domain"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=1, value__lte=7),
                name="rating_value_1_to_7",
            ),
        ]

    def __str__(self):
        return f"{self.domain}: {self.value}"


class SelectedArea(models.Model):
    """An area the patient chose to discuss, worked through in the four steps."""

    session = models.ForeignKey(DialogSession, on_delete=models.CASCADE, related_name="areas")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    # Step 4 may end with "no action yet — the patient will think about the options".
    think_it_over = models.BooleanField(
        _("no action yet: the patient will think it over"), default=False
    )
    steps_visited = models.PositiveSmallIntegerField(default=0)
    # Which step sections of the one-page view have been on screen (bit n-1 for
    # step n): they report in any order, steps_visited counts them in order.
    steps_seen = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chosen area")
        verbose_name_plural = _("chosen areas")
        ordering = ["session", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "domain"], name="area_once_per_session"),
        ]

    def __str__(self):
        return str(self.domain)


class StepNote(models.Model):
    area = models.ForeignKey(SelectedArea, on_delete=models.CASCADE, related_name="notes")
    step = models.PositiveSmallIntegerField()
    text = EncryptedTextField(_("note"), blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "step"], name="note_one_per_step"),
            models.CheckConstraint(
                condition=models.Q(step__gte=1, step__lte=4), name="note_step_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.area} · {self.step}"


class Action(models.Model):
    class Owner(models.TextChoices):
        PATIENT = "patient", _("Patient")
        CLINICIAN = "clinician", _("Clinician")
        CARER = "carer", _("Carer")
        OTHER = "other", _("Someone else")

    area = models.ForeignKey(SelectedArea, on_delete=models.CASCADE, related_name="actions")
    # Made by the form that adds the action, so a resubmitted form adds nothing twice.
    client_token = models.UUIDField(default=uuid.uuid4)
    text = EncryptedCharField(_("what will be done"), max_length=500)
    owner = models.CharField(_("who"), max_length=20, choices=Owner.choices)
    owner_name = EncryptedCharField(_("name"), max_length=200, blank=True)
    # When a carer of the patient is the owner: the carer sees it in their summary.
    carer = models.ForeignKey(
        Carer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("carer"),
    )
    due_date = models.DateField(_("due by"), null=True, blank=True)
    # Actions are edited in place on the steps page (text, owner), autosaved.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not columns: set on the actions a selector hands to a page
    # (selectors.actions_to_review, open_actions_for_patient).
    last_review: "ActionReview | None"
    this_review: "ActionReview | None"
    latest_review: "ActionReview | None"
    times_reviewed: int
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["area", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "client_token"], name="action_unique_token"),
        ]

    def __str__(self):
        return self.text


class ActionReview(models.Model):
    """What became of an action, reviewed at a later session.

    An action "not done" or "partly done" comes back at each following session
    until it is done or no longer relevant (docs/dialog.md §2.1): one review per
    action and session.
    """

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        PARTLY = "partly", _("Partly done")
        NOT_DONE = "not_done", _("Not done")
        NOT_RELEVANT = "not_relevant", _("No longer relevant")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reviews")
    session = models.ForeignKey(
        DialogSession, on_delete=models.CASCADE, related_name="action_reviews"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    comment = EncryptedTextField(_("comment"), blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action review")
        verbose_name_plural = _("action reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "session"], name="action_review_once_per_session"
            ),
        ]

    def __str__(self):
        return f"{self.action}: {self.status or '–'}"


class RatingLink(models.Model):
    """A link that lets the patient rate one session before the appointment.

    Only a hash of the token is stored: the link itself exists only in what
    was shown or sent when it was made (sessions_app/rating_links.py).
    """

    session = models.ForeignKey(
        DialogSession, on_delete=models.CASCADE, related_name="rating_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # Nobody when a reminder made it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The appointment's day on the clinic's calendar: the patient recognises the link by it.
    day = models.DateField(_("appointment day"))
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The first answer saved through it, and when the patient reached the end.
    answered_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rating link")
        verbose_name_plural = _("rating links")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.session} · {self.created_at:%Y-%m-%d %H:%M}"
