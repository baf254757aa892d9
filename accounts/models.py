from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogplus.languages import COUNTRY_LANGUAGES, LANGUAGES


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in: clinician, clinic admin or carer. Email is the login."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    language = models.CharField(
        _("interface language"),
        max_length=10,
        choices=LANGUAGES,
        blank=True,
        help_text=_("Empty until chosen: the clinic's language applies."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # A short PIN that takes a handed-over tablet back, and nothing else (see
    # accounts.handback_pin). Kept as a password hash, never the digits; empty
    # while none is set. Not editable: only its own profile page sets it.
    handback_pin = models.CharField(_("hand-back PIN"), max_length=128, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Clinic(models.Model):
    """The tenant: every patient belongs to exactly one clinic."""

    class Country(models.TextChoices):
        BOSNIA = "BA", _("Bosnia and Herzegovina")
        KOSOVO = "XK", _("Kosovo")
        NORTH_MACEDONIA = "MK", _("North Macedonia")
        MONTENEGRO = "ME", _("Montenegro")
        SERBIA = "RS", _("Serbia")

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Belgrade")
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        choices=LANGUAGES,
        blank=True,
        help_text=_("Leave empty for the country's first language."),
    )
    ask_help_question = models.BooleanField(
        _("ask “Do you need more help in this area?”"), default=True
    )
    session_interval_days = models.PositiveSmallIntegerField(_("days between sessions"), default=30)
    planned_sessions = models.PositiveSmallIntegerField(_("sessions in a plan"), default=6)
    # How long the clinic must keep a patient's clinical record after the last
    # contact (the law of the country; set by the clinic). Until then, erasure
    # only removes what identifies the patient.
    record_retention_years = models.PositiveSmallIntegerField(
        _("years a record must be kept"), default=10
    )
    # Whether clinicians may take a handed-over tablet back with a PIN instead
    # of their password.
    handback_pins_allowed = models.BooleanField(
        _("clinicians may take the tablet back with a PIN"), default=True
    )

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session_interval_days__gte=1)
                & models.Q(planned_sessions__gte=1),
                name="clinic_plan_positive",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Each country's own first language is a new clinic's default
        # (Kosovo: Albanian, North Macedonia: Macedonian, ...).
        if not self.default_language:
            self.default_language = COUNTRY_LANGUAGES.get(self.country, ["en"])[0]
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A user's place in a clinic: role decides what they may do there."""

    class Role(models.TextChoices):
        CLINICIAN = "clinician", _("Clinician")
        ADMIN = "admin", _("Clinic admin")

    class Profession(models.TextChoices):
        PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
        NURSE = "nurse", _("Nurse")
        PSYCHOLOGIST = "psychologist", _("Psychologist")
        SOCIAL_WORKER = "social_worker", _("Social worker")
        OTHER = "other", _("Other")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    profession = models.CharField(
        _("profession"), max_length=20, choices=Profession.choices, default=Profession.OTHER
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who changed a role or deactivated someone, and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="membership_unique_user_clinic")
        ]

    def __str__(self):
        return f"{self.user} @ {self.clinic} ({self.get_role_display()})"


# Django loads an app's models from this module; the set-up codes of two-step
# sign-in live beside the rest of it.
from .two_factor.models import EnrolmentCode  # noqa: E402, F401
