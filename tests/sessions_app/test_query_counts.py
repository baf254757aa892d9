"""Screens make the same number of queries whatever the length of the history.

For each screen, a patient with one past session and a patient with eight are
set up the same way today; both screens are loaded once (first visits record
the stage and the steps seen) and then measured. Equal counts mean nothing is
queried per past session; the ceiling catches a screen that grows in any case.
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions_app import services
from sessions_app.models import DialogSession, Stage
from tests.factories import DOMAIN_KEYS, PatientFactory, session_complete

pytestmark = pytest.mark.django_db

CEILING = 25
FEW, MANY = 1, 8


def _domain_ids(session, *keys):
    ids = dict(session.scale_version.domains.values_list("key", "id"))
    return [ids[key] for key in keys]


def patient_with_history(clinic, clinician, past_sessions, name):
    """A patient with ``past_sessions`` finished sessions (a few ratings and an
    action each) and one in progress today: rated in full, two areas chosen, a
    note and an action on the first."""
    patient = PatientFactory(clinic=clinic, key_clinician=clinician, full_name=name)
    for number in range(past_sessions):
        session_complete(
            patient,
            ratings={"job": 1 + number % 7, "friendships": 5, "medication": 7 - number % 7},
            needs_help={"job": True},
            actions={"job": [f"Action of session {number + 1}"]},
        )
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    for domain_id, key in zip(_domain_ids(session, *DOMAIN_KEYS), DOMAIN_KEYS, strict=True):
        services.rating_record(
            session=session, domain_id=domain_id, value=4, needs_help=key == "job"
        )
    job, _friendships = services.areas_select(
        session=session, domain_ids=_domain_ids(session, "job", "friendships")
    )
    services.step_note_save(session=session, area=job, step=1, text="A note")
    services.action_add(
        session=session, area=job, text="Call Ana", owner="patient", client_token=uuid.uuid4()
    )
    return patient, session


def _step(step):
    def url(patient, session):
        area = session.areas.order_by("position").first()
        return reverse("sessions:step", args=[session.code, area.id, step])

    return url


def _last_area(patient, session):
    # The last chosen area's page ends with the summary and the finish form.
    area = session.areas.order_by("position").last()
    return reverse("sessions:area", args=[session.code, area.id])


def _ratings_only(patient, session):
    # Offered once the ratings have been reviewed.
    services.session_advance(session=session, stage=Stage.REVIEW)
    return reverse("sessions:ratings_only", args=[session.code])


def _session_page(name):
    return lambda patient, session: reverse(f"sessions:{name}", args=[session.code])


SCREENS = {
    "review_actions": _session_page("review_actions"),
    "rate_item": lambda patient, session: reverse("sessions:rate_item", args=[session.code, 1]),
    "review": _session_page("review"),
    "select": _session_page("select"),
    "step 1": _step(1),
    "step 4": _step(4),
    "last area with the summary": _last_area,
    "ratings only": _ratings_only,
    "summary": _session_page("summary"),
    "print": _session_page("print"),
    "patient page": lambda patient, session: reverse("patients:detail", args=[patient.code]),
    "patient list": lambda patient, session: reverse("patients:list"),
}


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize("screen", SCREENS)
def test_a_screen_makes_as_many_queries_for_eight_past_sessions_as_for_one(
    clinic, clinician, clinician_client, screen
):
    url_for = SCREENS[screen]
    few = url_for(*patient_with_history(clinic, clinician, FEW, "Fay Few"))
    many = url_for(*patient_with_history(clinic, clinician, MANY, "Manny Many"))
    for url in (few, many):
        clinician_client.get(url)  # first visit: stage reached, step seen

    with_few = queries_for(clinician_client, few)
    with_many = queries_for(clinician_client, many)

    assert len(with_many) == len(with_few), "\n".join(
        sql for sql in with_many if sql not in with_few
    )
    assert len(with_many) <= CEILING, "\n".join(with_many)
