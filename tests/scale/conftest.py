"""People and helpers of the wording review (scale/services.py).

`clinic` and `other_clinic` (tests/conftest.py) are both in Serbia, so their
admins share a scope; `skopje_clinic` is in North Macedonia. `validator` is an
admin of a third Serbian clinic who holds ``scale.validate_wording``.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from accounts.models import Clinic
from scale.selectors import scale_get
from scale.services import (
    draft_start,
    draft_wording_save,
    version_approve,
    version_propose,
    wording_texts,
)
from sessions_app import services as session_services
from sessions_app.models import DialogSession
from tests.factories import ClinicAdminFactory, ClinicFactory, ClinicianFactory, PatientFactory

SOURCE = "Official Serbian translation, 2021"


def grant_validation(user):
    user.user_permissions.add(Permission.objects.get(codename="validate_wording"))
    # Django caches a user's permissions on the object.
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


@pytest.fixture
def validator(db):
    clinic = ClinicFactory(name="Clinic C (Novi Sad)", country=Clinic.Country.SERBIA)
    return grant_validation(ClinicAdminFactory(clinic=clinic, full_name="Vera Validator"))


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        "root@example.org", "x" * 20, full_name="Root Superuser"
    )


@pytest.fixture
def skopje_clinic(db):
    return ClinicFactory(name="Skopje clinic", country=Clinic.Country.NORTH_MACEDONIA)


@pytest.fixture
def skopje_admin(skopje_clinic):
    return ClinicAdminFactory(clinic=skopje_clinic, full_name="Marko Skopje")


@pytest.fixture
def skopje_validator(skopje_clinic):
    return grant_validation(ClinicAdminFactory(clinic=skopje_clinic, full_name="Ana Skopje"))


@pytest.fixture
def skopje_clinician(skopje_clinic):
    return ClinicianFactory(clinic=skopje_clinic, full_name="Stefan Skopje")


@pytest.fixture
def skopje_patient(skopje_clinic, skopje_clinician):
    return PatientFactory(
        clinic=skopje_clinic, key_clinician=skopje_clinician, full_name="Sara Skopje"
    )


def texts_of(version, language):
    """``{key: text}`` of every text of ``version`` in ``language``, as stored."""
    return {item.key: item.value(language) for item in wording_texts(scale_get(version.pk))}


def pasted(version, language="sr", **changes):
    """``version``'s wording in ``language`` with ``changes`` (keys of wording_texts)."""
    texts = texts_of(version, language)
    assert set(changes) <= set(texts), set(changes) - set(texts)
    texts.update(changes)
    return texts


def write(admin, language="sr", source=SOURCE, **changes):
    """``admin`` starts (or opens) their scope's draft and saves ``changes`` in ``language``."""
    clinic = admin.memberships.get().clinic
    draft = draft_start(clinic=clinic, user=admin)
    return draft_wording_save(
        version=draft,
        language=language,
        texts=pasted(draft, language, **changes),
        source=source,
        user=admin,
        revision=draft.revision,
    )


def through_review(admin, approver, language="sr", source=SOURCE, **changes):
    """The whole review: ``admin`` writes and proposes, ``approver`` approves."""
    draft = write(admin, language, source, **changes)
    version_propose(version=draft, user=admin)
    draft.refresh_from_db()
    return version_approve(version=draft, user=approver, revision=draft.revision)


def start_session(patient, clinician):
    return session_services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
