"""Actions not done come back for review at each following session (issue 9, item 8c).

One review per action and session: "not done" or "partly done" (or no status)
brings the action back next time; "done" or "no longer relevant" ends it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from records.export import record_export
from sessions_app import services
from sessions_app.models import Action, ActionReview, Stage
from sessions_app.selectors import (
    actions_to_review,
    open_actions_for_patient,
    session_has_actions_to_review,
)
from tests.factories import session_complete

pytestmark = pytest.mark.django_db


def review_and_finish(session, statuses):
    """Review each action to review by its text, then finish the session."""
    for action in actions_to_review(session):
        if action.text in statuses:
            services.action_review_record(
                session=session, action=action, status=statuses[action.text]
            )
    services.session_finish(session=session)


@pytest.fixture
def first(patient):
    return session_complete(patient, actions={"job": ["Call", "Write", "Visit", "Ask"]})


def texts(session):
    return [a.text for a in actions_to_review(session)]


def test_not_done_and_partly_done_come_back_done_and_dropped_do_not(first, start, patient):
    second = start(patient)
    review_and_finish(
        second, {"Call": "done", "Write": "partly", "Visit": "not_done", "Ask": "not_relevant"}
    )

    third = start(patient)

    assert third.stage == Stage.REVIEW_ACTIONS
    assert texts(third) == ["Write", "Visit"]
    assert session_has_actions_to_review(third)


def test_an_action_comes_back_until_it_is_done(first, start, patient):
    for _ in range(2):
        review_and_finish(start(patient), {"Visit": "not_done"})
    fourth = start(patient)
    [visit] = [a for a in actions_to_review(fourth) if a.text == "Visit"]

    assert visit.times_reviewed == 2
    assert visit.last_review.status == "not_done"
    assert visit.this_review is None

    review_and_finish(fourth, {"Visit": "done"})
    assert "Visit" not in texts(start(patient))
    assert ActionReview.objects.filter(action=visit).count() == 3


def test_an_earlier_action_never_reviewed_does_not_come_back(first, start, patient):
    services.session_finish(session=start(patient))  # nothing reviewed

    third = start(patient)

    assert texts(third) == []
    assert third.stage == Stage.RATE


def test_a_review_in_an_abandoned_session_does_not_count(first, start, patient):
    review_and_finish(start(patient), {"Write": "partly"})
    mistaken = start(patient)
    [write] = [a for a in actions_to_review(mistaken) if a.text == "Write"]
    services.action_review_record(session=mistaken, action=write, status="done")
    services.session_abandon(session=mistaken)

    again = start(patient)
    [write] = actions_to_review(again)

    assert (write.text, write.last_review.status, write.times_reviewed) == ("Write", "partly", 1)


def test_each_session_keeps_its_own_review_of_the_same_action(first, start, patient):
    second = start(patient)
    review_and_finish(second, {"Write": "partly"})
    third = start(patient)
    [write] = actions_to_review(third)

    services.action_review_record(session=third, action=write, status="done", comment="At last")

    reviews = ActionReview.objects.filter(action=write).order_by("session__number")
    assert [(r.session, r.status) for r in reviews] == [(second, "partly"), (third, "done")]
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionReview.objects.create(action=write, session=third)


def test_a_closed_action_cannot_be_reviewed_again(first, start, patient):
    review_and_finish(start(patient), {"Call": "done"})
    third = start(patient)
    call = next(a for a in Action.objects.filter(area__session=first) if a.text == "Call")

    with pytest.raises(ValidationError):
        services.action_review_record(session=third, action=call, status="partly")


def test_the_review_screen_says_where_an_action_comes_from_and_how_it_went(
    first, start, patient, clinician_client
):
    review_and_finish(start(patient), {"Write": "partly"})
    third = start(patient)

    page = clinician_client.get(reverse("sessions:review_actions", args=[third.code]))

    html = page.content.decode()
    assert "Back for review after 1 review" in html
    assert "From session 1; last time: Partly done" in html


def test_a_closed_action_posted_to_the_review_is_a_404(first, start, patient, clinician_client):
    review_and_finish(start(patient), {"Call": "done", "Write": "partly"})
    third = start(patient)
    call = next(a for a in Action.objects.filter(area__session=first) if a.text == "Call")

    response = clinician_client.post(
        reverse("sessions:review_action_save", args=[third.code, call.id]), {"status": "partly"}
    )

    assert response.status_code == 404


def test_the_patient_page_and_export_show_the_latest_and_every_review(
    first, start, patient, clinician_client
):
    review_and_finish(start(patient), {"Write": "not_done"})
    review_and_finish(start(patient), {"Write": "partly"})

    [write] = [a for a in open_actions_for_patient(patient) if a.text == "Write"]
    assert write.latest_review.status == "partly"
    page = clinician_client.get(reverse("patients:detail", args=[patient.code])).content.decode()
    assert "Partly done" in page

    exported = record_export(patient, exported_by=patient.key_clinician)
    actions = [
        action
        for session in exported["sessions"]
        for area in session["chosen_areas"]
        for action in area["actions"]
    ]
    [write] = [a for a in actions if a["text"] == "Write"]
    assert [(r["session_number"], r["status"]) for r in write["reviews"]] == [
        (2, "not_done"),
        (3, "partly"),
    ]
