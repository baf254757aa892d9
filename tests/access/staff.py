"""Access-matrix rows for clinic staff management and the clinic's settings.

Only a clinic admin manages, and only their own clinic: every page about a
member of clinic A (``pk`` is the user's id) is a 404 for clinic B's admin,
like a user that does not exist. The list, invitation, reassignment and
settings pages are each admin's own clinic's, so both admins open them.
"""

import pytest

from tests.access.common import NOT_ALLOWED, NOT_FOUND, OK, RedirectTo, Row, expect
from tests.factories import ClinicianFactory


@pytest.fixture
def pending_member(clinic):
    # Invited to clinic A, has not chosen a password yet.
    invitee = ClinicianFactory(clinic=clinic, full_name="Nina New", email="nina.new@example.org")
    invitee.set_unusable_password()
    invitee.save()
    return invitee


def admins(outcome):
    """A page of the admin's own clinic: both clinics' admins in, nobody else."""
    return expect(NOT_FOUND, clinic_admin=outcome, other_admin=outcome)


def clinic_a_admin(outcome):
    """A page about someone of clinic A: clinic A's admin only."""
    return expect(NOT_FOUND, clinic_admin=outcome)


def post_only():
    """GET is answered before any lookup (405 for admins), so it tells nothing."""
    return expect(NOT_FOUND, clinic_admin=NOT_ALLOWED, other_admin=NOT_ALLOWED)


CLINICIAN = lambda w: {"pk": w.clinician.pk}  # noqa: E731
PENDING = lambda w: {"pk": w.pending_member.pk}  # noqa: E731

INVITE_FORM = {
    "full_name": "Nada Nova",
    "email": "nada.nova@example.org",
    "role": "clinician",
    "profession": "nurse",
    "language": "",
}

CLINIC_FORM = {
    "name": "Renamed clinic",
    "time_zone": "Europe/Sarajevo",
    "default_language": "sr",
    "ask_help_question": "on",
    "session_interval_days": "21",
    "planned_sessions": "8",
    "record_retention_years": "15",
}

ROWS = [
    Row("accounts:staff_list", admins(OK)),
    Row("accounts:staff_invite", admins(OK)),
    Row(
        "accounts:staff_invite",
        admins(RedirectTo("accounts:staff_list")),
        method="post",
        data=INVITE_FORM,
    ),
    # An empty form comes back with its messages; nothing is created.
    Row("accounts:staff_invite", admins(OK), method="post", data={}, variant="empty"),
    Row("accounts:staff_detail", clinic_a_admin(OK), kwargs=CLINICIAN),
    Row("accounts:staff_edit", clinic_a_admin(OK), kwargs=CLINICIAN),
    Row(
        "accounts:staff_edit",
        clinic_a_admin(RedirectTo("accounts:staff_detail")),
        kwargs=CLINICIAN,
        method="post",
        data={"role": "clinician", "profession": "psychologist"},
    ),
    Row("accounts:staff_deactivate", clinic_a_admin(OK), kwargs=CLINICIAN),
    Row(
        "accounts:staff_deactivate",
        clinic_a_admin(RedirectTo("accounts:staff_detail")),
        kwargs=CLINICIAN,
        method="post",
    ),
    Row(
        "accounts:staff_reactivate",
        clinic_a_admin(RedirectTo("accounts:staff_detail")),
        kwargs=CLINICIAN,
        method="post",
    ),
    Row("accounts:staff_reactivate", post_only(), kwargs=CLINICIAN),
    Row(
        "accounts:staff_resend_invitation",
        clinic_a_admin(RedirectTo("accounts:staff_detail")),
        kwargs=PENDING,
        method="post",
    ),
    Row("accounts:staff_resend_invitation", post_only(), kwargs=PENDING),
    Row("accounts:staff_reassign", admins(OK)),
    Row("accounts:staff_reassign_patients", clinic_a_admin(OK), kwargs=CLINICIAN),
    # Without a new key clinician the form comes back with a message; nothing moves.
    Row(
        "accounts:staff_reassign_patients",
        clinic_a_admin(OK),
        kwargs=CLINICIAN,
        method="post",
        data={"scope": "all"},
    ),
    Row("accounts:staff_clinic_settings", admins(OK)),
    Row(
        "accounts:staff_clinic_settings",
        admins(RedirectTo("accounts:clinic")),
        method="post",
        data=CLINIC_FORM,
    ),
]
