"""Personas and their logged-in clients.

Two clinics: ``clinic`` is where the action is, ``other_clinic`` is the
neighbouring tenant that must never show through. Each persona fixture is the
User who signs in; the comment says what they may see.
"""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client

from scale.selectors import scale_current

from .factories import (
    CarerFactory,
    ClinicAdminFactory,
    ClinicFactory,
    ClinicianFactory,
    PatientFactory,
)
from .required_services import check_item

# Every persona fixture by name, for access matrices (`user_for`, `client_for`).
PERSONAS = (
    "clinician",
    "colleague",
    "clinic_admin",
    "carer_with_consent",
    "carer_withdrawn",
    "outsider",
    "other_admin",
    "anonymous",
    "rating_link",
)


@pytest.fixture
def scale(db):
    """The current DIALOG scale (v1, seeded by scale's data migration)."""
    return scale_current()


@pytest.fixture
def domains(scale):
    """``{key: Domain}`` of the current scale."""
    return {domain.key: domain for domain in scale.domains.all()}


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Clinic A")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Clinic B")


@pytest.fixture
def clinician(clinic):
    # Sees every patient of clinic A; key clinician of `patient`.
    return ClinicianFactory(clinic=clinic, full_name="Clara Clinician")


@pytest.fixture
def patient(clinic, clinician):
    # Clinic A's patient, looked after by `clinician`.
    return PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Petra Patient")


@pytest.fixture
def colleague(clinic):
    # Sees every patient of clinic A, including `patient`, but is nobody's key clinician.
    return ClinicianFactory(clinic=clinic, full_name="Colin Colleague")


@pytest.fixture
def clinic_admin(clinic):
    # Manages clinic A (staff, settings); sees no patient data.
    return ClinicAdminFactory(clinic=clinic, full_name="Ada Admin")


@pytest.fixture
def carer_with_consent(patient):
    # Reads only the completed session summaries of `patient`, while consent stands.
    return CarerFactory(patient=patient, user__full_name="Carol Carer").user


@pytest.fixture
def carer_withdrawn(patient):
    # Was `patient`'s carer; consent withdrawn, so sees nothing.
    return CarerFactory(patient=patient, withdrawn=True, user__full_name="Wanda Withdrawn").user


@pytest.fixture
def other_patient(other_clinic, outsider):
    # Clinic B's patient: invisible to everyone in clinic A.
    return PatientFactory(clinic=other_clinic, key_clinician=outsider, full_name="Otto Other")


@pytest.fixture
def outsider(other_clinic):
    # Clinician of clinic B: sees clinic B's patients, nothing of clinic A.
    return ClinicianFactory(clinic=other_clinic, full_name="Oscar Outsider")


@pytest.fixture
def other_admin(other_clinic):
    # Admin of clinic B: manages clinic B, sees no patient data anywhere.
    return ClinicAdminFactory(clinic=other_clinic, full_name="Olga Admin")


@pytest.fixture
def anonymous():
    # Not signed in: sees nothing but the login page.
    return AnonymousUser()


class RatingLinkHolder(AnonymousUser):
    """Nobody signed in, holding (and having opened) a patient's rating link."""

    def __init__(self, url):
        self.rating_link_url = url


@pytest.fixture
def rated_patient(clinic, clinician):
    # Another clinic-A patient, who rates before the appointment by a rating link.
    return PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Rhea Rater")


@pytest.fixture
def rating_link_new(rated_patient, clinician):
    """A fresh rating link of `rated_patient` (it starts their session): ``NewLink``."""
    from sessions_app.rating_links import rating_link_create

    return rating_link_create(patient=rated_patient, created_by=clinician)


@pytest.fixture
def rating_link(rating_link_new):
    # Holds `rated_patient`'s rating link: its one rating stage, nothing else.
    return RatingLinkHolder(urlsplit(rating_link_new.url).path)


@pytest.fixture
def user_for(request):
    """``user_for("outsider")``: the persona's user, by fixture name."""

    def get(persona):
        assert persona in PERSONAS, persona
        return request.getfixturevalue(persona)

    return get


@pytest.fixture
def client_for(settings, user_for):
    """``client_for("clinician")`` (or a User): a test Client signed in as them.

    The anonymous persona gets a client that is signed in as nobody. Keyword
    arguments go to the Client, e.g. ``enforce_csrf_checks=True``.
    """
    # HTTPS is the proxy's job in production; tests speak plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    # Each test Client builds its own middleware, and WhiteNoise would index all
    # of STATIC_ROOT (800+ files, ~0.3 s) every time; looking a file up when it is
    # asked for serves the same files and keeps hundreds of HTTP tests fast.
    settings.WHITENOISE_AUTOREFRESH = True

    def make(persona, verified=True, **client_kwargs):
        user = user_for(persona) if isinstance(persona, str) else persona
        client = Client(**client_kwargs)
        if isinstance(user, RatingLinkHolder):
            client.get(user.rating_link_url)
        if user.is_authenticated:
            client.force_login(user)
            # Staff must pass a second factor (tests run with
            # DIALOGPLUS_REQUIRE_2FA on): their client has done so, unless
            # ``verified=False`` asks for a sign-in that stopped after the password.
            if verified and (user.is_superuser or user.memberships.filter(is_active=True).exists()):
                otp_verify(client, user)
        return client

    return make


def totp_device_for(user):
    """``user``'s confirmed authenticator app, created when they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


def totp_code(device, at=None):
    """The code ``device``'s app shows now (or at the Unix time ``at``)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"


def otp_verify(client, user):
    """Mark ``client``'s session as having passed the second factor, as django_otp.login does."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
    session.save()


@pytest.fixture
def clinician_client(client_for):
    return client_for("clinician")


@pytest.fixture
def colleague_client(client_for):
    return client_for("colleague")


@pytest.fixture
def clinic_admin_client(client_for):
    return client_for("clinic_admin")


@pytest.fixture
def carer_with_consent_client(client_for):
    return client_for("carer_with_consent")


@pytest.fixture
def carer_withdrawn_client(client_for):
    return client_for("carer_withdrawn")


@pytest.fixture
def outsider_client(client_for):
    return client_for("outsider")


@pytest.fixture
def other_admin_client(client_for):
    return client_for("other_admin")


@pytest.fixture
def anonymous_client(client_for):
    return client_for("anonymous")


@pytest.fixture(autouse=True)
def _forget_throttles():
    """Each test starts with no sign-in failures counted (they live in the cache)."""
    cache.clear()


def pytest_runtest_setup(item):
    # PostgreSQL- and Redis-only tests: skipped on a laptop, failed in CI.
    check_item(item)
