"""Factories that keep related objects in one clinic by construction.

A patient's key clinician is a clinician of the patient's clinic; a carer's
consent is recorded by that clinician; a session is run by it. Pass ``clinic=``
(or ``patient=``) to place objects together; nothing here mixes two tenants
unless a test asks for it explicitly.
"""

import datetime
import functools
import uuid

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Clinic, Membership, User
from patients.models import Carer, Patient
from sessions_app import services
from sessions_app.models import DialogSession

# The 11 DIALOG items of the seeded scale v1, in order (docs/dialog.md §1).
DOMAIN_KEYS = (
    "mental_health",
    "physical_health",
    "job",
    "accommodation",
    "leisure",
    "friendships",
    "partner_family",
    "safety",
    "medication",
    "practical_help",
    "professionals",
)

# Every factory user signs in with this password.
PASSWORD = "correct-horse-battery-staple"


@functools.cache
def _password_hash():
    # Hashing costs a third of a second by design; hash once, not once per user.
    return make_password(PASSWORD)


class ClinicFactory(DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    country = Clinic.Country.SERBIA
    time_zone = "Europe/Belgrade"
    default_language = "en"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.LazyFunction(lambda: _password_hash())


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    role = Membership.Role.CLINICIAN
    profession = Membership.Profession.NURSE


class ClinicianFactory(UserFactory):
    """A user with an active clinician membership in ``clinic`` (a new one if omitted)."""

    class Params:
        clinic = factory.SubFactory(ClinicFactory)
        role = Membership.Role.CLINICIAN

    full_name = factory.Sequence(lambda n: f"Clinician {n}")
    membership = factory.RelatedFactory(
        MembershipFactory,
        factory_related_name="user",
        clinic=factory.SelfAttribute("..clinic"),
        role=factory.SelfAttribute("..role"),
    )


class ClinicAdminFactory(ClinicianFactory):
    """A user with an active clinic-admin membership in ``clinic``."""

    class Params:
        role = Membership.Role.ADMIN

    full_name = factory.Sequence(lambda n: f"Admin {n}")


class PatientFactory(DjangoModelFactory):
    """A patient whose key clinician works in the patient's clinic."""

    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    full_name = factory.Sequence(lambda n: f"Patient {n}")
    language = "en"
    key_clinician = factory.SubFactory(ClinicianFactory, clinic=factory.SelfAttribute("..clinic"))


class CarerFactory(DjangoModelFactory):
    """A carer who signs in, with the patient's consent to share summaries."""

    class Meta:
        model = Carer

    class Params:
        withdrawn = factory.Trait(
            consent_withdrawn_at=factory.LazyFunction(timezone.now),
        )

    patient = factory.SubFactory(PatientFactory)
    user = factory.SubFactory(UserFactory, full_name=factory.Sequence(lambda n: f"Carer {n}"))
    full_name = factory.SelfAttribute("user.full_name")
    relationship = "sister"
    share_summaries = True
    consent_recorded_at = factory.LazyFunction(timezone.now)
    consent_recorded_by = factory.SelfAttribute("patient.key_clinician")


def session_complete(
    patient,
    *,
    clinician=None,
    ratings=None,
    needs_help=None,
    actions=None,
    next_appointment=None,
):
    """A completed session built through the services, as a clinician would.

    ``ratings`` maps domain keys to values (unlisted items are skipped);
    ``needs_help`` maps domain keys to the help answer; ``actions`` maps the
    domain keys of chosen areas to lists of action texts (owner: patient).
    """
    clinician = clinician or patient.key_clinician
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    domains = {domain.key: domain for domain in session.scale_version.domains.all()}
    for key, value in (ratings or {}).items():
        services.rating_record(session=session, domain_id=domains[key].id, value=value)
    for key, answer in (needs_help or {}).items():
        services.rating_record(session=session, domain_id=domains[key].id, needs_help=answer)
    if actions:
        areas = services.areas_select(
            session=session, domain_ids=[domains[key].id for key in actions]
        )
        for area in areas:
            for text in actions[area.domain.key]:
                services.action_add(
                    session=session,
                    area=area,
                    text=text,
                    owner="patient",
                    client_token=uuid.uuid4(),
                )
    return services.session_finish(session=session, next_appointment=next_appointment)


def in_days(days):
    """An aware datetime ``days`` from now (negative: in the past)."""
    return timezone.now() + datetime.timedelta(days=days)


def ensure_scale():
    """Seed the DIALOG scale v1 (English and the seven drafts) if it is missing.

    Migrations seed it, but a transactional test empties every table when it
    ends, so the next transactional test (a live server, a real worker) finds
    no scale. Running the data migrations' own functions restores exactly what
    migrating gives, without serialized rollback (which collides with the
    content types that flushing recreates).
    """
    import importlib

    from django.apps import apps

    from scale.models import ActionSuggestion, ScaleVersion

    if not ActionSuggestion.objects.exists():
        suggestions = importlib.import_module("scale.migrations.0005_action_suggestions")
        suggestions.seed(apps, None)
    if ScaleVersion.objects.exists():
        return
    english = importlib.import_module("scale.migrations.0002_seed_english_wording")
    drafts = importlib.import_module("scale.migrations.0004_wording_translations")
    english.seed(apps, None)
    drafts.translate(apps, None)
