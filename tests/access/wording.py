"""Access-matrix rows for the DIALOG wording and its review.

Clinic A and clinic B are both in Serbia, so both admins see and write
Serbia's versions (and read the shared default); nobody else reaches a wording
page. Neither admin holds ``scale.validate_wording``, so an approval or a
rejection by either is refused on the version's page (tests/scale covers
validators and superusers). A version of another country is a 404 for
everyone, like one that does not exist.
"""

import pytest

from accounts.models import Clinic
from scale.services import version_propose
from tests.access.common import NOT_ALLOWED, NOT_FOUND, OK, RedirectTo, Row, expect
from tests.factories import ClinicAdminFactory, ClinicFactory
from tests.scale.conftest import write


@pytest.fixture
def serbian_draft(scale, clinic_admin):
    # Serbia's draft, with Serbian written by clinic A's admin.
    return write(clinic_admin, "sr", **{"domain-job-short_name": "Посао"})


@pytest.fixture
def serbian_proposal(scale, other_admin):
    # Serbia's proposal, written and proposed by clinic B's admin.
    draft = write(other_admin, "sr", **{"domain-job-short_name": "Посао"})
    return version_propose(version=draft, user=other_admin)


@pytest.fixture
def macedonian_draft(scale):
    # A draft of a clinic in North Macedonia: another scope, seen by nobody here.
    clinic = ClinicFactory(name="Skopje clinic", country=Clinic.Country.NORTH_MACEDONIA)
    return write(ClinicAdminFactory(clinic=clinic), "mk", source="Macedonian translation")


def admins(outcome):
    """Both (Serbian) clinics' admins get ``outcome``; everyone else a 404."""
    return expect(NOT_FOUND, clinic_admin=outcome, other_admin=outcome)


def nobody():
    return expect(NOT_FOUND)


def post_only():
    return admins(NOT_ALLOWED)


DRAFT = lambda w: {"pk": w.serbian_draft.pk}  # noqa: E731
PROPOSAL = lambda w: {"pk": w.serbian_proposal.pk}  # noqa: E731
ELSEWHERE = lambda w: {"pk": w.macedonian_draft.pk}  # noqa: E731
BACK = RedirectTo("scale:version")

ROWS = [
    Row("scale:wording_list", admins(OK)),
    # Each clinic's admin sees and edits the suggested actions for their own clinic.
    Row("scale:suggestions", admins(OK)),
    Row("scale:draft_start", admins(BACK), method="post"),
    Row("scale:draft_start", post_only()),
    Row("scale:version", admins(OK), kwargs=DRAFT),
    Row("scale:version", admins(OK), kwargs=PROPOSAL, variant="proposed"),
    Row("scale:version", admins(OK), kwargs=lambda w: {"pk": w.scale.pk}, variant="shared"),
    Row("scale:version", nobody(), kwargs=ELSEWHERE, variant="another country"),
    Row(
        "scale:wording_edit",
        admins(OK),
        kwargs=lambda w: {"pk": w.serbian_draft.pk, "language": "sr"},
    ),
    # An empty form is refused and shown again; nothing is saved.
    Row(
        "scale:wording_edit",
        admins(OK),
        kwargs=lambda w: {"pk": w.serbian_draft.pk, "language": "sr"},
        method="post",
        data={"source": ""},
        variant="empty",
    ),
    # The shared default is read, never written, from these pages.
    Row(
        "scale:wording_edit",
        admins(OK),
        kwargs=lambda w: {"pk": w.scale.pk, "language": "sr"},
        variant="shared",
    ),
    Row(
        "scale:wording_edit",
        nobody(),
        kwargs=lambda w: {"pk": w.scale.pk, "language": "sr"},
        method="post",
        data={"source": ""},
        variant="shared",
    ),
    Row(
        "scale:wording_edit",
        nobody(),
        kwargs=lambda w: {"pk": w.macedonian_draft.pk, "language": "mk"},
        variant="another country",
    ),
    Row(
        "scale:wording_edit",
        nobody(),
        kwargs=lambda w: {"pk": w.macedonian_draft.pk, "language": "mk"},
        method="post",
        data={"source": ""},
        variant="another country",
    ),
    Row("scale:propose", admins(BACK), kwargs=DRAFT, method="post"),
    Row("scale:propose", post_only(), kwargs=DRAFT),
    Row("scale:propose", nobody(), kwargs=ELSEWHERE, method="post", variant="another country"),
    # Neither admin may validate (and clinic B's proposed it): refused on the version's page.
    Row("scale:approve", admins(BACK), kwargs=PROPOSAL, method="post", data={"revision": "1"}),
    Row("scale:approve", post_only(), kwargs=PROPOSAL),
    Row("scale:approve", nobody(), kwargs=ELSEWHERE, method="post", variant="another country"),
    Row("scale:reject", admins(BACK), kwargs=PROPOSAL, method="post", data={"reason": "No"}),
    # A reason is asked for before anything else; nothing is changed.
    Row("scale:reject", admins(OK), kwargs=PROPOSAL, method="post", variant="empty"),
    Row("scale:reject", post_only(), kwargs=PROPOSAL),
    Row(
        "scale:reject",
        nobody(),
        kwargs=ELSEWHERE,
        method="post",
        data={"reason": "No"},
        variant="another country",
    ),
]
