"""A DIALOG+ session that fits a short appointment, through the real HTTP layer.

Finishing with the ratings only, areas carried over to the next session, one
page per area with its four steps, and the common actions as one-tap chips.
"""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from sessions_app import services
from sessions_app.models import Action, DialogSession, SelectedArea, Stage, StepNote
from sessions_app.selectors import rating_history
from tests.factories import DOMAIN_KEYS, CarerFactory, PatientFactory, session_complete

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def url(name, session, *args):
    return reverse(f"sessions:{name}", args=[session.code, *args])


def html(response):
    return response.content.decode()


def domain_id(session, key):
    return session.scale_version.domains.get(key=key).id


def rate_all(session, value=4):
    for key in DOMAIN_KEYS:
        services.rating_record(session=session, domain_id=domain_id(session, key), value=value)
    services.session_advance(session=session, stage=Stage.REVIEW)


def choose(session, key):
    return services.area_choose(session=session, domain_id=domain_id(session, key))


# --- Finishing with the ratings only ----------------------------------------


def test_ratings_only_finish_completes_the_session_and_records_why(clinician_client, session):
    rate_all(session, 5)

    response = clinician_client.post(
        url("ratings_only", session),
        {"reason": "no_time", "note": "Came late", "next_appointment": ""},
    )

    session.refresh_from_db()
    assert response.status_code == 302
    assert response.url == url("summary", session)
    assert session.status == DialogSession.Status.COMPLETED
    assert session.ended_at is not None
    assert session.ratings_only_reason == "no_time"
    assert session.ratings_only_note == "Came late"
    summary = html(clinician_client.get(url("summary", session)))
    assert "Ratings only today:" in summary
    assert "No time today" in summary
    assert "Came late" in summary


def test_a_ratings_only_session_counts_as_last_time_in_the_next_review_and_charts(
    clinician_client, session, start, patient
):
    rate_all(session, 2)
    services.session_finish_ratings_only(session=session, reason="patient_declined")

    following = start(patient)
    # Nothing to review: a ratings-only session agreed no action.
    assert following.stage == Stage.RATE
    rate_all(following, 6)
    review = html(clinician_client.get(url("review", following)))

    assert review.count('<td class="text-center rating-prev">2</td>') == len(DOMAIN_KEYS)
    sessions, series = rating_history(patient)
    assert [s.number for s in sessions] == [1]
    assert series["job"] == [2]


@pytest.mark.parametrize("name", ["summary", "print", "summary_pdf"])
def test_every_view_of_a_ratings_only_session_works(clinician_client, session, name):
    rate_all(session)
    services.session_finish_ratings_only(session=session, reason="other", note="Phone call")

    response = clinician_client.get(url(name, session))

    assert response.status_code == 200
    if name != "summary_pdf":
        assert "Ratings only today:" in html(response)


def test_a_carer_reads_a_ratings_only_summary(carer_with_consent_client, patient, session):
    rate_all(session)
    services.session_finish_ratings_only(session=session, reason="no_time")

    response = carer_with_consent_client.get(reverse("sessions:carer_summary", args=[session.code]))

    assert response.status_code == 200


def test_ratings_only_needs_a_reason_and_keeps_what_was_typed(clinician_client, session):
    rate_all(session)

    response = clinician_client.post(
        url("ratings_only", session), {"reason": "<script>", "note": "Typed note"}
    )

    session.refresh_from_db()
    assert response.status_code == 422
    assert "Choose why it is ratings only today." in html(response)
    assert 'value="Typed note"' in html(response)
    assert session.status == DialogSession.Status.IN_PROGRESS


def test_ratings_only_waits_for_the_rating_to_be_done(clinician_client, session):
    response = clinician_client.post(url("ratings_only", session), {"reason": "no_time"})

    session.refresh_from_db()
    assert response.url == url("rate", session)
    assert session.status == DialogSession.Status.IN_PROGRESS


# --- Carried over ------------------------------------------------------------


def test_an_area_of_a_ratings_only_session_is_offered_first_next_time(
    clinician_client, session, start, patient
):
    rate_all(session)
    choose(session, "leisure")
    services.session_finish_ratings_only(session=session, reason="no_time")

    following = start(patient)
    rate_all(following)
    select = html(clinician_client.get(url("select", following)))
    review = html(clinician_client.get(url("review", following)))

    leisure = domain_id(following, "leisure")
    first_choice = select.index('name="domain" value="')
    assert select[first_choice:].startswith(f'name="domain" value="{leisure}"')
    assert "carried over from last time" in select
    assert "Carried over from last time" in review
    assert f'name="domain" value="{leisure}"' in review


def test_only_areas_whose_steps_never_started_are_carried_over(
    clinician_client, session, start, patient
):
    rate_all(session)
    worked = choose(session, "job")
    choose(session, "friendships")
    services.steps_seen(session=session, area=worked, seen={1, 2, 3, 4})
    services.session_finish(session=session)

    following = start(patient)
    rate_all(following)
    select = html(clinician_client.get(url("select", following)))

    friendships = domain_id(following, "friendships")
    assert select.index('name="domain" value="').__eq__(
        select.index(f'name="domain" value="{friendships}"')
    )
    assert select.count("carried over from last time") == 1


def test_nothing_is_carried_over_from_an_abandoned_session(
    clinician_client, session, start, patient
):
    rate_all(session)
    choose(session, "leisure")
    services.session_abandon(session=session)

    following = start(patient)
    rate_all(following)

    assert "carried over" not in html(clinician_client.get(url("select", following)))


# --- Tapping an area on the review --------------------------------------------


def test_tapping_an_area_on_the_review_chooses_it_and_opens_its_steps(clinician_client, session):
    rate_all(session)

    response = clinician_client.post(url("review", session), {"domain": domain_id(session, "job")})

    area = SelectedArea.objects.get(session=session)
    session.refresh_from_db()
    assert area.domain.key == "job"
    assert response.url == url("area", session, area.id)
    assert session.stage == Stage.STEPS
    assert session.comparison_shown is True


def test_choose_more_than_one_area_opens_the_choosing_page(clinician_client, session):
    rate_all(session)

    response = clinician_client.post(url("review", session))

    assert response.url == url("select", session)
    assert not SelectedArea.objects.filter(session=session).exists()


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "1e3", ""])
def test_a_forged_area_on_the_review_is_refused_with_a_message(clinician_client, session, value):
    rate_all(session)

    response = clinician_client.post(url("review", session), {"domain": value})

    assert response.status_code == 422
    assert "Choose areas from the list." in html(response)
    assert not SelectedArea.objects.filter(session=session).exists()


# --- One page per area ----------------------------------------------------------


def test_the_area_page_shows_all_four_steps_and_ends_with_the_summary(clinician_client, session):
    rate_all(session)
    area = choose(session, "job")

    page = html(clinician_client.get(url("area", session, area.id)))

    for step in session.scale_version.steps.all():
        assert f'id="step-{step.number}"' in page
        assert f'id="note-text-{step.number}"' in page
        for prompt in step.prompts.all():
            assert prompt.text in page
    assert page.count('<details class="guidance') == 4
    assert "Finish session" in page
    assert f'action="{url("summary", session)}"' in page


def test_steps_count_as_visited_only_when_every_step_before_was_seen(clinician_client, session):
    rate_all(session)
    area = choose(session, "job")

    def seen(step):
        response = clinician_client.post(
            url("steps_seen", session, area.id), {"seen": step}, headers=HX
        )
        assert response.status_code == 204
        area.refresh_from_db()
        return area.steps_visited

    assert seen("1") == 1
    assert seen("4") == 1  # scrolled straight past steps 2 and 3
    assert seen("2") == 2
    assert seen("3") == 4  # step 4 was seen already, so the gap is filled
    assert seen("x,99,-1") == 4


def test_each_note_autosaves_with_its_own_revision(clinician_client, session):
    """The page posts each note's own small form, as htmx does: the note and
    its revision. Many saves of step 1 never make step 2's save a conflict."""
    rate_all(session)
    area = choose(session, "job")
    page = html(clinician_client.get(url("area", session, area.id)))
    # Every note has a form of its own, holding only its note and revision.
    assert page.count('class="note-form"') == 4

    for revision, text in enumerate(["One", "One two", "One two three"]):
        response = clinician_client.post(
            url("step_note", session, area.id, 1), {"note": text, "revision": revision}, headers=HX
        )
        assert response.status_code == 200
        assert f'id="note-revision-1" value="{revision + 1}"' in html(response)
    response = clinician_client.post(
        url("step_note", session, area.id, 2), {"note": "What works", "revision": "0"}, headers=HX
    )

    assert response.status_code == 200
    assert 'id="note-revision-2" value="1"' in html(response)
    notes = dict(StepNote.objects.filter(area=area).values_list("step", "text"))
    assert notes == {1: "One two three", 2: "What works"}


def test_a_stale_note_is_a_conflict_and_keeps_the_stored_text(clinician_client, session):
    rate_all(session)
    area = choose(session, "job")
    services.step_note_save(session=session, area=area, step=3, text="From the other tablet")

    response = clinician_client.post(
        url("step_note", session, area.id, 3), {"note": "Mine", "revision": "0"}, headers=HX
    )

    assert response.status_code == 409
    assert "From the other tablet" in html(response)
    assert StepNote.objects.get(area=area, step=3).text == "From the other tablet"


# --- Actions in one tap ------------------------------------------------------------


def test_the_domains_suggestions_are_chips_in_the_clinicians_language(
    clinician_client, clinician, session
):
    rate_all(session)
    area = choose(session, "friendships")

    english = html(clinician_client.get(url("area", session, area.id)))
    clinician.language = "sr"
    clinician.save()
    serbian = html(clinician_client.get(url("area", session, area.id)))

    assert "Meet a friend for a coffee" in english
    assert "Go for a short walk every day" not in english  # another domain's
    assert "Наћи се с пријатељем на кафи" in serbian


def test_one_tap_on_a_chip_agrees_the_action_for_the_patient(clinician_client, session):
    rate_all(session)
    area = choose(session, "friendships")
    token = str(uuid.uuid4())
    chip = {"text": "Meet a friend for a coffee", "owner": "patient", "client_token": token}

    first = clinician_client.post(url("action_add", session, area.id), chip, headers=HX)
    again = clinician_client.post(url("action_add", session, area.id), chip, headers=HX)

    action = Action.objects.get(area=area)
    assert first.status_code == again.status_code == 200
    assert action.text == "Meet a friend for a coffee"
    assert action.owner == Action.Owner.PATIENT
    # The agreed action is now an editable field, and its chip is not offered twice.
    assert f'id="action-text-{action.id}"' in html(first)
    assert 'action-chip">Meet a friend for a coffee' not in html(first)


def test_the_last_areas_page_updates_its_summary_after_a_chip(clinician_client, session):
    rate_all(session)
    area = choose(session, "friendships")

    response = clinician_client.post(
        url("action_add", session, area.id),
        {"text": "Meet a friend for a coffee", "owner": "patient", "client_token": uuid.uuid4()},
        headers=HX,
    )

    assert 'id="summary-areas" hx-swap-oob="true"' in html(response)


def test_an_action_is_changed_in_place_owner_by_one_tap(clinician_client, session, patient):
    carer = CarerFactory(patient=patient, full_name="Marija Jovanović")
    rate_all(session)
    area = choose(session, "job")
    action = services.action_add(
        session=session, area=area, text="Call Ana", owner="patient", client_token=uuid.uuid4()
    )

    to_carer = clinician_client.post(
        url("action_edit", session, action.id),
        {"text": "Call Ana", "owner": f"carer:{carer.id}", "revision": "0"},
        headers=HX,
    )
    reworded = clinician_client.post(
        url("action_edit", session, action.id),
        {"text": "Call Ana on Monday", "owner": "clinician", "owner_name": "", "revision": "1"},
        headers=HX,
    )

    action.refresh_from_db()
    assert to_carer.status_code == reworded.status_code == 200
    assert (action.text, action.owner, action.carer, action.revision) == (
        "Call Ana on Monday",
        "clinician",
        None,
        2,
    )


def test_the_carer_chip_names_the_carer(clinician_client, session, patient):
    carer = CarerFactory(patient=patient, full_name="Marija Jovanović")
    rate_all(session)
    area = choose(session, "job")
    services.action_add(
        session=session, area=area, text="Call Ana", owner="patient", client_token=uuid.uuid4()
    )

    page = html(clinician_client.get(url("area", session, area.id)))

    assert f'value="carer:{carer.id}"' in page
    assert "Carer: Marija Jovanović" in page


def test_a_stale_action_edit_is_a_conflict(clinician_client, session):
    rate_all(session)
    area = choose(session, "job")
    action = services.action_add(
        session=session, area=area, text="Call Ana", owner="patient", client_token=uuid.uuid4()
    )
    services.action_update(session=session, action=action, text="Call Ana today", owner="patient")

    response = clinician_client.post(
        url("action_edit", session, action.id),
        {"text": "Mine", "owner": "patient", "revision": "0"},
        headers=HX,
    )

    action.refresh_from_db()
    assert response.status_code == 409
    assert action.text == "Call Ana today"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "", "owner": "patient"}, "Say what will be done."),
        (
            {"text": "x" * 501, "owner": "patient"},
            "Keep this to 500 characters: it has 501, 1 too many.",
        ),
        ({"text": "Call", "owner": "boss"}, "Choose who will do it."),
        ({"text": "Call", "owner": "other", "owner_name": " "}, "Name the person"),
        ({"text": "Call", "owner": "patient", "revision": "-3"}, ""),
    ],
)
def test_a_bad_action_edit_is_refused_with_a_message(clinician_client, session, data, message):
    rate_all(session)
    area = choose(session, "job")
    action = services.action_add(
        session=session, area=area, text="Call Ana", owner="patient", client_token=uuid.uuid4()
    )

    response = clinician_client.post(url("action_edit", session, action.id), data, headers=HX)

    action.refresh_from_db()
    assert response.status_code == 422
    assert message in html(response)
    assert action.text == "Call Ana"


def test_a_refused_edit_keeps_the_tap_and_asks_for_the_name(clinician_client, session):
    rate_all(session)
    area = choose(session, "job")
    action = services.action_add(
        session=session, area=area, text="Call Ana", owner="patient", client_token=uuid.uuid4()
    )

    response = clinician_client.post(
        url("action_edit", session, action.id),
        {"text": "Call Ana", "owner": "other", "owner_name": "", "revision": "0"},
        headers=HX,
    )

    page = html(response)
    assert response.status_code == 422
    assert "Name the person who will do it." in page
    assert 'name="owner" value="other" checked' in page
    action.refresh_from_db()
    assert action.owner == "patient"


def test_an_action_of_another_patient_cannot_be_edited(clinician_client, clinic, session):
    other = PatientFactory(clinic=clinic)
    past = session_complete(other, actions={"job": ["Theirs"]})
    action = Action.objects.get(area__session=past)

    response = clinician_client.post(
        url("action_edit", session, action.id), {"text": "Mine", "owner": "patient"}
    )

    action.refresh_from_db()
    assert response.status_code == 404
    assert action.text == "Theirs"


def test_without_javascript_a_chip_posts_and_comes_back_to_step_four(clinician_client, session):
    rate_all(session)
    area = choose(session, "job")

    response = clinician_client.post(
        url("action_add", session, area.id),
        {"text": "Visit the employment office", "owner": "patient", "client_token": uuid.uuid4()},
    )

    assert response.url == url("step", session, area.id, 4) + "#step-4"
    assert Action.objects.get(area=area).text == "Visit the employment office"


def test_no_action_yet_is_one_tap_too(clinician_client, session):
    rate_all(session)
    area = choose(session, "job")

    clinician_client.post(url("area_think", session, area.id), {"think_it_over": "on"}, headers=HX)

    area.refresh_from_db()
    assert area.think_it_over is True


def test_finishing_from_the_last_areas_page(clinician_client, session):
    rate_all(session)
    area = choose(session, "job")
    services.action_add(
        session=session, area=area, text="Call Ana", owner="patient", client_token=uuid.uuid4()
    )

    with translation.override("en"):
        response = clinician_client.post(
            url("summary", session), {"attendance": "alone", "next_appointment": ""}
        )

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.status == DialogSession.Status.COMPLETED
    assert not session.is_ratings_only


def test_finishing_waits_for_an_action_or_no_action_yet(clinician_client, session):
    rate_all(session)
    choose(session, "job")

    response = clinician_client.post(
        url("summary", session), {"attendance": "alone", "next_appointment": ""}
    )

    session.refresh_from_db()
    assert response.status_code == 422
    assert "Agree at least one action for “Job situation”" in html(response)
    assert session.status == DialogSession.Status.IN_PROGRESS


def test_a_saved_note_counts_its_step_as_seen(clinician_client, session):
    rate_all(session)
    area = choose(session, "job")

    clinician_client.post(url("step_note", session, area.id, 1), {"note": "Why 4", "revision": 0})

    area.refresh_from_db()
    assert area.steps_visited == 1
