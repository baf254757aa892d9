"""The core rows of the access matrix (sign-in, patients, the session flow,
reminders, carers' pages) and the fixtures their worlds are built from.

Who is who (tests/conftest.py): `clinician` is `patient`'s key clinician in
clinic A; `colleague` works in clinic A too; `clinic_admin` manages clinic A;
`outsider` and `other_admin` belong to clinic B; the carers are `patient`'s.
"""

import uuid

import pytest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.invitations import invitation_tokens
from sessions_app import services
from sessions_app.models import Action, DialogSession
from tests.access.common import (
    COMPLETED,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    OPEN,
    REVIEWING,
    RedirectTo,
    Row,
    Status,
    _session,
    clinic_a_clinicians,
    every_clinician,
    everyone_signed_in,
    expect,
    public,
)
from tests.dates import local_input, soon_day
from tests.factories import ClinicianFactory, PatientFactory, session_complete
from tests.reminders.factories import reminder_for

pytestmark = pytest.mark.django_db

# URLs outside the app's own screens: Django's admin has its own permissions,
# and static files are served by WhiteNoise.


# --- the world a row's URL is built from ------------------------------------------


class World:
    """Lazy access to the objects a row needs; only what a row asks for is built."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return self._request.getfixturevalue(name)


@pytest.fixture
def world(request):
    return World(request)


@pytest.fixture
def open_session(patient, clinician):
    # `patient`'s first session, in progress, with one area chosen ("job").
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    job = session.scale_version.domains.get(key="job")
    services.areas_select(session=session, domain_ids=[job.id])
    return session


@pytest.fixture
def open_area(open_session):
    return open_session.areas.get()


@pytest.fixture
def todays_action(open_session, open_area):
    return services.action_add(
        session=open_session,
        area=open_area,
        text="Ask Ana about the course",
        owner=Action.Owner.PATIENT,
        client_token=uuid.uuid4(),
    )


@pytest.fixture
def completed(patient):
    # `patient`'s first session, finished, with one agreed action.
    return session_complete(patient, ratings={"job": 3}, actions={"job": ["Phone the job centre"]})


@pytest.fixture
def reviewing_session(completed, patient, clinician):
    # `patient`'s second session, in progress, opening on the review of last time's action.
    return services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session


@pytest.fixture
def earlier_action(completed):
    return Action.objects.get(area__session=completed)


@pytest.fixture
def neighbours_completed(clinic, colleague):
    # A completed session of another clinic-A patient, not the carers' patient.
    neighbour = PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Nina Neighbour")
    return session_complete(neighbour, ratings={"job": 4})


@pytest.fixture
def invitation_kwargs(clinic):
    # A clinician invited to clinic A who has not chosen a password yet.
    invitee = ClinicianFactory(clinic=clinic, email="new.nurse@example.org")
    invitee.set_unusable_password()
    invitee.save()
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(invitee.pk)),
        "token": invitation_tokens.make_token(invitee),
    }


@pytest.fixture
def failed_reminder(patient):
    # A reminder to `patient` (clinic A) that could not be delivered.
    return reminder_for(patient, status="failed", last_error="SMS gateway answered 400")


@pytest.fixture
def other_clinics_completed(other_patient):
    return session_complete(other_patient, ratings={"job": 4})


# --- the table ------------------------------------------------------------------------

PATIENT_FORM = {
    "full_name": "Nora New",
    "language": "sr",
    "key_clinician": "",
    "planned_sessions": "6",
    "session_interval_days": "30",
}

CONTACT_FORM = {
    "channel": "sms",
    "phone": "+381 64 123 4567",
    "email": "",
    "consent": "on",
}


ROWS = [
    # --- site and accounts
    Row(
        "home",
        expect(
            RedirectTo("sessions:carer_home"),
            clinician=RedirectTo("patients:list"),
            colleague=RedirectTo("patients:list"),
            outsider=RedirectTo("patients:list"),
            clinic_admin=RedirectTo("accounts:clinic"),
            other_admin=RedirectTo("accounts:clinic"),
        ),
    ),
    Row("healthz", public(OK)),
    Row("accounts:login", expect(RedirectTo("home"), anonymous=OK)),
    Row("accounts:logout", public(RedirectTo("accounts:login")), method="post"),
    # Django's LogoutView takes no GET: a link or a prefetch signs nobody out.
    Row("accounts:logout", public(NOT_ALLOWED)),
    Row(
        "accounts:language",
        expect(RedirectTo("home"), anonymous=RedirectTo("accounts:login")),
        method="post",
        data={"language": "en"},
    ),
    Row("accounts:profile", everyone_signed_in(OK)),
    # Only clinicians hand a tablet over, so only they have a hand-back PIN;
    # a post with nothing in it shows the form again with its messages.
    Row("accounts:handback_pin", every_clinician(OK)),
    Row("accounts:handback_pin", every_clinician(OK), method="post"),
    Row("accounts:first_language", everyone_signed_in(OK)),
    Row("accounts:clinic", expect(NOT_FOUND, clinic_admin=OK, other_admin=OK)),
    # An invitation link works for whoever holds it (whoever was signed in is
    # signed out first); the token moves to the session, out of the address bar.
    Row(
        "accounts:invitation_accept",
        public(RedirectTo("accounts:invitation_accept")),
        kwargs=lambda w: w.invitation_kwargs,
    ),
    Row(
        "accounts:invitation_accept",
        public(NOT_FOUND),
        kwargs=lambda w: {**w.invitation_kwargs, "token": "1-forged"},
        variant="forged",
    ),
    # Unlocking a locked-out member: their own clinic's admin only.
    Row(
        "accounts:unlock_user",
        expect(NOT_FOUND, clinic_admin=RedirectTo("accounts:clinic")),
        kwargs=lambda w: {"pk": w.clinician.pk},
        method="post",
    ),
    Row(
        "accounts:unlock_user",
        expect(NOT_FOUND, clinic_admin=NOT_ALLOWED, other_admin=NOT_ALLOWED),
        kwargs=lambda w: {"pk": w.clinician.pk},
    ),
    # Not locked: the lock screen sends the person on to where they were (home).
    Row("accounts:lock", everyone_signed_in(RedirectTo("home"))),
    Row("accounts:lock", everyone_signed_in(RedirectTo("home")), method="post"),
    Row("accounts:lock_now", everyone_signed_in(RedirectTo("accounts:lock")), method="post"),
    # The "Lock" button answers POST only, like sign-out.
    Row("accounts:lock_now", public(NOT_ALLOWED)),
    # --- patients
    Row("patients:list", every_clinician(OK)),
    Row("patients:list", every_clinician(OK), method="post", data={"q": "Petra"}),
    Row("patients:create", every_clinician(OK)),
    Row(
        "patients:create",
        every_clinician(RedirectTo("patients:detail")),
        method="post",
        data=PATIENT_FORM,
    ),
    Row("patients:detail", clinic_a_clinicians(OK), kwargs=lambda w: {"code": w.patient.code}),
    Row("patients:edit", clinic_a_clinicians(OK), kwargs=lambda w: {"code": w.patient.code}),
    Row(
        "patients:edit",
        clinic_a_clinicians(RedirectTo("patients:detail")),
        kwargs=lambda w: {"code": w.patient.code},
        method="post",
        data=PATIENT_FORM,
    ),
    # --- starting and the session flow (an open session of `patient`)
    Row(
        "sessions:start",
        clinic_a_clinicians(RedirectTo("sessions:resume")),
        kwargs=lambda w: {"patient_code": w.patient.code},
        method="post",
        data={"attendance": "alone"},
    ),
    # The session is `clinician`'s: a colleague is asked to take it over first.
    Row(
        "sessions:resume",
        expect(NOT_FOUND, clinician=RedirectTo("sessions:rate"), colleague=OK),
        kwargs=OPEN,
    ),
    Row(
        "sessions:resume",
        clinic_a_clinicians(RedirectTo("sessions:rate")),
        kwargs=OPEN,
        method="post",
    ),
    Row("sessions:heartbeat", clinic_a_clinicians(OK), kwargs=OPEN, method="post"),
    Row(
        "sessions:heartbeat",
        clinic_a_clinicians(OK),
        kwargs=COMPLETED,
        method="post",
        variant="closed",
    ),
    Row("sessions:heartbeat", public(NOT_ALLOWED), kwargs=OPEN),
    Row("sessions:abandon", clinic_a_clinicians(OK), kwargs=OPEN),
    Row(
        "sessions:abandon",
        clinic_a_clinicians(RedirectTo("patients:detail")),
        kwargs=OPEN,
        method="post",
    ),
    Row("sessions:review_actions", clinic_a_clinicians(OK), kwargs=REVIEWING),
    Row(
        "sessions:review_actions",
        clinic_a_clinicians(RedirectTo("sessions:rate")),
        kwargs=REVIEWING,
        method="post",
    ),
    Row(
        "sessions:review_action_save",
        clinic_a_clinicians(RedirectTo("sessions:review_actions")),
        kwargs=lambda w: {"code": w.reviewing_session.code, "action_id": w.earlier_action.id},
        method="post",
        data={"status": "done"},
    ),
    Row("sessions:rate", clinic_a_clinicians(RedirectTo("sessions:rate_item")), kwargs=OPEN),
    Row("sessions:rate_done", clinic_a_clinicians(OK), kwargs=OPEN),
    Row(
        "sessions:rate_item",
        clinic_a_clinicians(OK),
        kwargs=lambda w: {"code": w.open_session.code, "position": 1},
    ),
    Row(
        "sessions:rate_item",
        clinic_a_clinicians(RedirectTo("sessions:rate_item")),
        kwargs=lambda w: {"code": w.open_session.code, "position": 1},
        method="post",
        data={"value": "5"},
    ),
    Row(
        "sessions:handover",
        clinic_a_clinicians(RedirectTo("sessions:rate")),
        kwargs=OPEN,
        method="post",
    ),
    # Nothing is handed over, so there is nothing to take back: on to the session.
    Row("sessions:handback", clinic_a_clinicians(RedirectTo("sessions:resume")), kwargs=OPEN),
    Row("sessions:review", clinic_a_clinicians(OK), kwargs=OPEN),
    Row("sessions:select", clinic_a_clinicians(OK), kwargs=OPEN),
    Row(
        "sessions:step",
        clinic_a_clinicians(OK),
        kwargs=lambda w: {"code": w.open_session.code, "area_id": w.open_area.id, "step": 1},
    ),
    Row(
        "sessions:area",
        clinic_a_clinicians(OK),
        kwargs=lambda w: {"code": w.open_session.code, "area_id": w.open_area.id},
    ),
    Row(
        "sessions:steps_seen",
        clinic_a_clinicians(Status(204)),
        kwargs=lambda w: {"code": w.open_session.code, "area_id": w.open_area.id},
        method="post",
        data={"seen": "1"},
    ),
    Row(
        "sessions:action_add",
        clinic_a_clinicians(RedirectTo("sessions:step")),
        kwargs=lambda w: {"code": w.open_session.code, "area_id": w.open_area.id},
        method="post",
        data={"text": "Call Ana", "owner": "patient", "client_token": str(uuid.uuid4())},
    ),
    Row(
        "sessions:area_think",
        clinic_a_clinicians(RedirectTo("sessions:step")),
        kwargs=lambda w: {"code": w.open_session.code, "area_id": w.open_area.id},
        method="post",
        data={"think_it_over": "on"},
    ),
    Row(
        "sessions:action_edit",
        clinic_a_clinicians(RedirectTo("sessions:step")),
        kwargs=lambda w: {"code": w.open_session.code, "action_id": w.todays_action.id},
        method="post",
        data={"text": "Call Ana on Monday", "owner": "clinician", "revision": "0"},
    ),
    # The rating is not finished in this world: back to where the session stopped.
    Row("sessions:ratings_only", clinic_a_clinicians(RedirectTo("sessions:rate")), kwargs=OPEN),
    Row(
        "sessions:step_note",
        clinic_a_clinicians(RedirectTo("sessions:step")),
        kwargs=lambda w: {"code": w.open_session.code, "area_id": w.open_area.id, "step": 1},
        method="post",
        data={"note": "Works two mornings a week"},
    ),
    Row(
        "sessions:action_remove",
        clinic_a_clinicians(RedirectTo("sessions:step")),
        kwargs=lambda w: {"code": w.open_session.code, "action_id": w.todays_action.id},
        method="post",
    ),
    Row("sessions:summary", clinic_a_clinicians(OK), kwargs=OPEN),
    Row("sessions:print", clinic_a_clinicians(OK), kwargs=COMPLETED),
    # --- DIALOG wording: tests/access/wording.py
    # --- reminder delivery: each clinic's admin sees and retries their own clinic's
    Row("reminders:delivery", expect(NOT_FOUND, clinic_admin=OK, other_admin=OK)),
    Row(
        "reminders:retry",
        expect(NOT_FOUND, clinic_admin=RedirectTo("reminders:delivery")),
        kwargs=lambda w: {"pk": w.failed_reminder.pk},
        method="post",
    ),
    # GET changes nothing; answered before any lookup, so it tells nothing either.
    Row(
        "reminders:retry",
        expect(NOT_FOUND, clinic_admin=NOT_ALLOWED, other_admin=NOT_ALLOWED),
        kwargs=lambda w: {"pk": w.failed_reminder.pk},
    ),
    # --- appointments and contact details: the patient's clinicians; the agenda is
    # every clinician's own clinic's
    Row("reminders:agenda", every_clinician(OK)),
    Row(
        "reminders:contact",
        clinic_a_clinicians(OK),
        kwargs=lambda w: {"code": w.patient.code},
    ),
    Row(
        "reminders:contact",
        clinic_a_clinicians(RedirectTo("patients:detail")),
        kwargs=lambda w: {"code": w.patient.code},
        method="post",
        data=CONTACT_FORM,
    ),
    Row(
        "reminders:appointment",
        clinic_a_clinicians(OK),
        kwargs=lambda w: {"code": w.patient.code},
    ),
    Row(
        "reminders:appointment",
        clinic_a_clinicians(RedirectTo("patients:detail")),
        kwargs=lambda w: {"code": w.completed.patient.code},
        method="post",
        data={"when": local_input(soon_day(), 10, 30)},
    ),
    # --- carers
    Row("sessions:carer_home", everyone_signed_in(OK)),
    Row(
        "sessions:carer_summary",
        expect(NOT_FOUND, carer_with_consent=OK),
        kwargs=COMPLETED,
        variant="shared",
    ),
    Row("sessions:carer_summary", expect(NOT_FOUND), kwargs=OPEN, variant="in progress"),
    Row(
        "sessions:carer_summary",
        expect(NOT_FOUND),
        kwargs=_session(lambda w: w.neighbours_completed),
        variant="another patient",
    ),
    Row(
        "sessions:carer_summary",
        expect(NOT_FOUND),
        kwargs=_session(lambda w: w.other_clinics_completed),
        variant="another clinic",
    ),
]
