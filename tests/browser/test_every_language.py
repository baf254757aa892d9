"""The key screens in every language: axe-core clean, right `lang`, nothing wider than the tablet.

Long words (Serbian, Macedonian and Albanian labels are longer than English
ones) are what break a layout, and a page's language must be declared for a
screen reader to pronounce it.
"""

import uuid

import pytest

from accounts.models import User
from dialogplus.languages import LANGUAGE_CODES
from patients.models import Patient
from sessions_app import services
from sessions_app.models import Action, DialogSession

pytestmark = pytest.mark.browser

DEMO_CLINICIAN = "clinician@demo.test"


def open_session(patient, clinician):
    """An open session of a demo patient, rated, with one area and one action."""
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    domains = list(session.scale_version.domains.all())
    for domain, value in zip(domains, [3, 4, 5, 2, 6, 4, 5, 3, 6, 5, 4], strict=True):
        services.rating_record(session=session, domain_id=domain.id, value=value)
        services.rating_record(session=session, domain_id=domain.id, needs_help=value < 4)
    area = services.areas_select(session=session, domain_ids=[domains[3].id])[0]
    services.action_add(
        session=session,
        area=area,
        text="Visit the housing office",
        owner=Action.Owner.PATIENT,
        client_token=uuid.uuid4(),
    )
    return session, area


def test_key_screens_are_accessible_in_every_language(new_tablet):
    clinician = User.objects.get(email=DEMO_CLINICIAN)
    patient = (
        Patient.objects.filter(key_clinician=clinician, sessions__status="completed")
        .distinct()
        .first()
    )
    previous = patient.sessions.filter(status="completed").order_by("-number").first()
    session, area = open_session(patient, clinician)
    tablet = new_tablet("languages")
    tablet.login()
    screens = [
        ("patient list", "/patients/"),
        ("patient page", f"/patients/{patient.code}/"),
        ("rate item", f"/sessions/{session.code}/rate/4/"),
        ("review", f"/sessions/{session.code}/review/"),
        ("select", f"/sessions/{session.code}/select/"),
        ("step 4", f"/sessions/{session.code}/areas/{area.id}/step/4/"),
        ("summary", f"/sessions/{session.code}/summary/"),
        ("profile", "/accounts/profile/"),
    ]
    for language in LANGUAGE_CODES:
        clinician.language = language
        clinician.save(update_fields=["language"])
        for name, path in screens:
            tablet.goto(path)
            assert tablet.page.locator("html").get_attribute("lang") == language, (language, name)
            tablet.check(f"{language} {name}")
        # The printout speaks the patient's language, whatever the clinician reads.
        patient.language = language
        patient.save(update_fields=["language"])
        tablet.goto(f"/sessions/{previous.code}/print/")
        assert tablet.page.locator("html").get_attribute("lang") == language
        tablet.check(f"{language} print")
    # The sign-in page, then every screen in every language.
    assert len(tablet.checked) == 1 + len(LANGUAGE_CODES) * (len(screens) + 1)
