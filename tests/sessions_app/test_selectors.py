import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions_app import services
from sessions_app.models import Action, ActionReview, DialogSession
from sessions_app.selectors import (
    actions_to_review,
    open_actions_for_patient,
    rating_history,
    session_previous,
    session_scores,
)
from tests.factories import DOMAIN_KEYS, PatientFactory, session_complete

pytestmark = pytest.mark.django_db

ALL_SEVENS = dict.fromkeys(DOMAIN_KEYS, 7)


# --- rating_history -------------------------------------------------------------


def test_rating_history_lists_completed_sessions_with_one_value_per_session(patient, start):
    first = session_complete(patient, ratings={"job": 2, "safety": 6})
    abandoned = start(patient)
    services.session_abandon(session=abandoned)
    second = session_complete(patient, ratings={"job": 4})
    start(patient)  # open, not yet part of the history

    sessions, series = rating_history(patient)

    assert [s.pk for s in sessions] == [first.pk, second.pk]
    assert series["job"] == [2, 4]
    assert series["safety"] == [6, None]
    assert series["medication"] == [None, None]


def test_rating_history_up_to_an_open_session_includes_it_but_not_abandoned_ones(
    patient, start, domains
):
    first = session_complete(patient, ratings={"job": 2})
    services.session_abandon(session=start(patient))
    open_session = start(patient)
    services.rating_record(session=open_session, domain_id=domains["job"].id, value=5)

    sessions, series = rating_history(patient, until_number=open_session.number)

    assert [s.pk for s in sessions] == [first.pk, open_session.pk]
    assert series["job"] == [2, 5]


def test_rating_history_leaves_out_other_patients(patient, clinic):
    session_complete(PatientFactory(clinic=clinic), ratings={"job": 1})
    session_complete(patient, ratings={"job": 6})

    sessions, series = rating_history(patient)

    assert len(sessions) == 1
    assert series["job"] == [6]


def test_rating_history_takes_as_many_queries_for_10_sessions_as_for_1(
    patient, django_assert_max_num_queries
):
    session_complete(patient, ratings=ALL_SEVENS)
    with CaptureQueriesContext(connection) as one_session:
        rating_history(patient)
    for _ in range(9):
        session_complete(patient, ratings=ALL_SEVENS)

    with django_assert_max_num_queries(len(one_session.captured_queries)):
        sessions, series = rating_history(patient)

    assert len(sessions) == 10
    assert series["professionals"] == [7] * 10


# --- scores of a session ------------------------------------------------------------


def test_session_scores_split_life_and_treatment_items(patient):
    session = session_complete(
        patient,
        ratings={
            "mental_health": 3,
            "job": 2,
            "leisure": 4,
            "safety": 4,
            "medication": 6,
            "professionals": 5,
        },
    )

    scores = session_scores(session.ratings.select_related("domain"))

    assert str(scores["quality_of_life"].value) == "3.3"
    assert str(scores["treatment"].value) == "5.5"


# --- reviewing actions ------------------------------------------------------------------


def test_a_first_session_has_no_actions_to_review(session):
    assert actions_to_review(session) == []


def test_actions_to_review_are_those_of_the_previous_session_in_area_order(patient, start):
    session_complete(patient, actions={"leisure": ["Old action"]})
    session_complete(patient, actions={"safety": ["Fit a lock"], "job": ["Call", "Write"]})
    session = start(patient)

    actions = actions_to_review(session)

    assert [a.text for a in actions] == ["Fit a lock", "Call", "Write"]
    assert [a.this_review for a in actions] == [None, None, None]


def test_actions_to_review_carry_this_sessions_review(patient, start):
    session_complete(patient, actions={"job": ["Call"]})
    session = start(patient)
    [action] = actions_to_review(session)
    services.action_review_record(session=session, action=action, status="done")

    [action] = actions_to_review(session)

    assert action.this_review.status == "done"


def test_the_previous_session_is_the_last_completed_one(patient, start):
    completed = session_complete(patient)
    abandoned = start(patient)
    services.session_abandon(session=abandoned)
    session = start(patient)

    assert session_previous(session) == completed


@pytest.fixture
def five_actions(patient):
    session_complete(patient, actions={"job": ["done", "not done", "irrelevant", "partly", "new"]})
    return {action.text: action for action in Action.objects.filter(area__session__patient=patient)}


def test_open_actions_are_those_not_yet_done_or_dropped(patient, start, five_actions):
    session = start(patient)
    for text, status in [
        ("done", ActionReview.Status.DONE),
        ("not done", ActionReview.Status.NOT_DONE),
        ("irrelevant", ActionReview.Status.NOT_RELEVANT),
        ("partly", ActionReview.Status.PARTLY),
    ]:
        services.action_review_record(session=session, action=five_actions[text], status=status)

    assert sorted(a.text for a in open_actions_for_patient(patient)) == [
        "new",
        "not done",
        "partly",
    ]


def test_open_actions_leave_out_those_of_an_open_session_and_of_other_patients(
    patient, start, domains, clinic
):
    session_complete(PatientFactory(clinic=clinic), actions={"job": ["Someone else's"]})
    session_complete(patient, actions={"job": ["Agreed"]})
    session = start(patient)
    [area] = services.areas_select(session=session, domain_ids=[domains["safety"].id])
    services.action_add(
        session=session,
        area=area,
        text="Still being agreed",
        owner="patient",
        client_token=uuid.uuid4(),
    )

    assert [a.text for a in open_actions_for_patient(patient)] == ["Agreed"]


def test_open_actions_list_the_latest_session_first(patient):
    session_complete(patient, actions={"job": ["Older"]})
    session_complete(patient, actions={"job": ["Newer"]})

    assert [a.text for a in open_actions_for_patient(patient)] == ["Newer", "Older"]


def test_a_review_made_in_an_abandoned_session_does_not_close_the_action(
    patient, start, five_actions
):
    mistaken = start(patient)
    services.action_review_record(session=mistaken, action=five_actions["done"], status="done")
    services.session_abandon(session=mistaken)

    assert DialogSession.objects.get(pk=mistaken.pk).status == DialogSession.Status.ABANDONED
    assert "done" in {a.text for a in open_actions_for_patient(patient)}
