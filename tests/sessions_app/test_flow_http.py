"""A DIALOG+ session, stage by stage, through the real HTTP layer as the clinician.

Each answer is posted the way the tablet posts it (htmx or the plain form), and
each test reads back what was stored, so a screen that renders but does not
save fails here.
"""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from sessions_app import services
from sessions_app.middleware import HANDOVER_KEY
from sessions_app.models import (
    Action,
    ActionReview,
    DialogSession,
    Rating,
    SelectedArea,
    Stage,
    StepNote,
)
from tests.factories import DOMAIN_KEYS, PASSWORD, in_days, session_complete

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
CLINIC_TZ = ZoneInfo("Europe/Belgrade")  # ClinicFactory's time zone


def url(name, session, *args):
    return reverse(f"sessions:{name}", args=[session.code, *args])


def stored(session, key):
    return Rating.objects.get(session=session, domain__key=key)


def domain_id(session, key):
    return session.scale_version.domains.get(key=key).id


def rate(session, key, value, needs_help=...):
    return services.rating_record(
        session=session, domain_id=domain_id(session, key), value=value, needs_help=needs_help
    )


def choose(session, *keys):
    return services.areas_select(
        session=session, domain_ids=[domain_id(session, key) for key in keys]
    )


def add_action(session, area, text="Phone the job centre"):
    return services.action_add(
        session=session, area=area, text=text, owner="patient", client_token=uuid.uuid4()
    )


def local_input(moment):
    """What a datetime-local field sends for ``moment``, in the clinic's time zone."""
    return timezone.localtime(moment, CLINIC_TZ).strftime("%Y-%m-%dT%H:%M")


def html(response):
    return response.content.decode()


# --- start and resume ------------------------------------------------------------------


@pytest.mark.parametrize("attendance", ["alone", "with_carer", "other"])
def test_each_attendance_button_starts_a_session_with_that_attendance(
    clinician_client, patient, attendance
):
    response = clinician_client.post(
        reverse("sessions:start", args=[patient.code]), {"attendance": attendance}
    )

    session = DialogSession.objects.get(patient=patient)
    assert response.status_code == 302
    assert response.url == url("resume", session)
    assert session.attendance == attendance
    assert session.status == DialogSession.Status.IN_PROGRESS


def test_starting_with_someone_else_keeps_who_it_was(clinician_client, patient):
    clinician_client.post(
        reverse("sessions:start", args=[patient.code]),
        {"attendance": "other", "attendance_note": "A neighbour"},
    )

    assert DialogSession.objects.get(patient=patient).attendance_note == "A neighbour"


def test_a_double_tap_on_start_resumes_the_same_session_and_stores_one_row(
    clinician_client, patient
):
    start_url = reverse("sessions:start", args=[patient.code])

    first = clinician_client.post(start_url, {"attendance": "alone"})
    second = clinician_client.post(start_url, {"attendance": "alone"}, follow=True)

    assert DialogSession.objects.filter(patient=patient).count() == 1
    assert second.redirect_chain[0] == (first.url, 302)
    assert "A session was already open for this patient" in html(second)


def test_start_without_a_known_attendance_starts_nothing_and_says_why(clinician_client, patient):
    response = clinician_client.post(
        reverse("sessions:start", args=[patient.code]), {"attendance": "everyone"}, follow=True
    )

    assert response.redirect_chain == [(reverse("patients:detail", args=[patient.code]), 302)]
    assert "Choose who attended." in html(response)
    assert not DialogSession.objects.filter(patient=patient).exists()


@pytest.mark.parametrize(
    ("stage", "screen"),
    [
        (Stage.RATE, "rate"),
        (Stage.REVIEW, "review"),
        (Stage.SELECT, "select"),
        (Stage.SUMMARY, "summary"),
    ],
)
def test_resume_opens_the_stage_where_the_session_stopped(clinician_client, session, stage, screen):
    services.session_advance(session=session, stage=stage)

    response = clinician_client.get(url("resume", session))

    assert response.status_code == 302
    assert response.url == url(screen, session)


def test_resume_in_the_four_steps_opens_the_first_chosen_areas_page(clinician_client, session):
    first, _second = choose(session, "friendships", "job")
    services.session_advance(session=session, stage=Stage.STEPS)

    response = clinician_client.get(url("resume", session))

    assert response.url == url("area", session, first.id)


# --- review of last session's actions -----------------------------------------------------


@pytest.fixture
def last_time(patient):
    # The patient's first session, finished, with one action agreed on "job".
    return session_complete(patient, ratings={"job": 3}, actions={"job": ["Phone the job centre"]})


@pytest.fixture
def earlier_action(last_time):
    return Action.objects.get(area__session=last_time)


@pytest.fixture
def reviewing(last_time, start, patient):
    # The second session, open on the review of last time's action.
    return start(patient)


def test_resume_opens_the_review_of_last_times_actions_first(clinician_client, reviewing):
    response = clinician_client.get(url("resume", reviewing))

    assert response.url == url("review_actions", reviewing)


def test_the_review_screen_lists_last_times_actions(clinician_client, reviewing):
    response = clinician_client.get(url("review_actions", reviewing))

    assert response.status_code == 200
    assert "Phone the job centre" in html(response)


def test_an_htmx_status_tap_is_saved_and_answered_with_the_actions_partial(
    clinician_client, reviewing, earlier_action
):
    response = clinician_client.post(
        url("review_action_save", reviewing, earlier_action.id),
        {"status": "done", "revision": "0"},
        headers=HX,
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "sessions_app/partials/action_review.html"
    assert f'id="review-{earlier_action.id}"' in html(response)
    assert "<html" not in html(response)
    assert ActionReview.objects.get(action=earlier_action).status == "done"


def test_the_plain_review_form_saves_every_answer_and_goes_on_to_rating(
    clinician_client, reviewing, earlier_action
):
    response = clinician_client.post(
        url("review_actions", reviewing),
        {f"status-{earlier_action.id}": "partly", f"comment-{earlier_action.id}": "Called once"},
    )

    review = ActionReview.objects.get(action=earlier_action)
    assert response.url == url("rate", reviewing)
    assert (review.status, review.comment, review.session) == ("partly", "Called once", reviewing)


def test_a_plain_status_tap_on_one_action_is_saved_and_returns_to_the_review(
    clinician_client, reviewing, earlier_action
):
    response = clinician_client.post(
        url("review_action_save", reviewing, earlier_action.id),
        {f"status-{earlier_action.id}": "not_done"},
    )

    assert response.url == url("review_actions", reviewing)
    assert ActionReview.objects.get(action=earlier_action).status == "not_done"


def test_an_unknown_status_over_htmx_is_refused_with_422_and_nothing_stored(
    clinician_client, reviewing, earlier_action
):
    response = clinician_client.post(
        url("review_action_save", reviewing, earlier_action.id),
        {"status": "finished-ish", "revision": "0"},
        headers=HX,
    )

    assert response.status_code == 422
    assert "Choose one of the statuses shown." in html(response)
    assert not ActionReview.objects.exists()


def test_an_unknown_status_in_the_plain_review_form_is_refused_with_422_and_nothing_stored(
    clinician_client, reviewing, earlier_action
):
    response = clinician_client.post(
        url("review_actions", reviewing), {f"status-{earlier_action.id}": "finished-ish"}
    )

    assert response.status_code == 422
    assert "Choose one of the statuses shown." in html(response)
    assert not ActionReview.objects.exists()
    reviewing.refresh_from_db()
    assert reviewing.stage == Stage.REVIEW_ACTIONS


# --- rating ----------------------------------------------------------------------------


def test_a_tapped_rating_is_saved_and_the_help_question_comes_next(clinician_client, session):
    response = clinician_client.post(url("rate_item", session, 1), {"value": "5", "revision": "0"})

    assert response.url == url("rate_item", session, 1)
    assert stored(session, "mental_health").value == 5
    page = html(clinician_client.get(response.url))
    assert session.scale_version.help_question in page
    assert 'name="needs_help" value="yes"' in page


@pytest.mark.parametrize(
    "value", ["0", "8", "abc", "3.5", ""], ids=["zero", "eight", "letters", "decimal", "empty"]
)
def test_a_rating_outside_1_to_7_is_refused_with_422_and_the_stored_value_kept(
    clinician_client, session, value
):
    revision = rate(session, "mental_health", 4).revision

    response = clinician_client.post(
        url("rate_item", session, 1), {"value": value, "revision": str(revision)}
    )

    assert response.status_code == 422
    assert "1 to 7" in html(response)
    assert stored(session, "mental_health").value == 4


def test_a_post_with_neither_rating_nor_skip_is_refused_with_422(clinician_client, session):
    response = clinician_client.post(url("rate_item", session, 1), {"revision": "0"})

    assert response.status_code == 422
    assert "Choose a rating from 1 to 7, or skip this question." in html(response)


def test_skip_leaves_the_item_empty_and_still_asks_the_help_question(clinician_client, session):
    rate(session, "mental_health", 4, needs_help=True)

    response = clinician_client.post(url("rate_item", session, 1), {"skip": "1"})

    assert response.url == url("rate_item", session, 1) + "?skipped=1"
    rating = stored(session, "mental_health")
    assert (rating.value, rating.needs_help) == (None, None)


@pytest.mark.parametrize(("answer", "saved"), [("yes", True), ("no", False)])
def test_the_help_answer_is_saved_and_moves_to_the_next_item(
    clinician_client, session, answer, saved
):
    rate(session, "mental_health", 4)

    response = clinician_client.post(url("rate_item", session, 1), {"needs_help": answer})

    assert response.url == url("rate_item", session, 2)
    assert stored(session, "mental_health").needs_help is saved


def test_a_help_answer_other_than_yes_or_no_is_refused_with_422(clinician_client, session):
    rate(session, "mental_health", 4)

    response = clinician_client.post(url("rate_item", session, 1), {"needs_help": "maybe"})

    assert response.status_code == 422
    assert "Answer yes or no." in html(response)
    assert stored(session, "mental_health").needs_help is None


def test_a_rating_from_a_stale_screen_is_a_409_showing_both_answers(clinician_client, session):
    rate(session, "mental_health", 3)  # another tablet, after this screen was loaded

    response = clinician_client.post(url("rate_item", session, 1), {"value": "6", "revision": "0"})

    assert response.status_code == 409
    assert "This answer was changed on another device to 3. Your answer here was 6." in html(
        response
    )
    assert stored(session, "mental_health").value == 3


def test_an_htmx_answer_returns_the_next_items_card_and_pushes_its_url(clinician_client, session):
    rate(session, "mental_health", 4)

    response = clinician_client.post(url("rate_item", session, 1), {"needs_help": "no"}, headers=HX)

    page = html(response)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == url("rate_item", session, 2)
    assert "Question 2 of 11" in page
    assert "How satisfied are you with your physical health?" in page
    assert "<html" not in page


def test_after_the_eleventh_item_the_clinician_lands_on_the_review(clinician_client, session):
    for key in DOMAIN_KEYS[:10]:
        rate(session, key, 5, needs_help=False)

    rated = clinician_client.post(url("rate_item", session, 11), {"value": "6", "revision": "0"})
    answered = clinician_client.post(url("rate_item", session, 11), {"needs_help": "no"})

    assert rated.url == url("rate_item", session, 11)
    assert answered.url == url("review", session)
    session.refresh_from_db()
    assert session.stage == Stage.REVIEW


# --- handing the tablet to the patient -------------------------------------------------------


@pytest.fixture
def handed_over(clinician_client, session):
    response = clinician_client.post(url("handover", session))
    assert response.url == url("rate", session)
    return clinician_client


def test_while_handed_over_the_patient_list_leads_to_the_hand_back_screen(handed_over, session):
    response = handed_over.get(reverse("patients:list"))

    assert response.status_code == 302
    assert response.url == url("handback", session)


def test_the_handed_over_rating_screen_speaks_the_patients_language_and_hides_their_name(
    clinician_client, session, patient
):
    patient.language = "sr"
    patient.save()
    before = html(clinician_client.get(url("rate_item", session, 1)))

    clinician_client.post(url("handover", session))
    page = html(clinician_client.get(url("rate_item", session, 1)))

    assert '<html lang="en"' in before and "Petra Patient" in before
    assert '<html lang="sr"' in page
    assert "Petra Patient" not in page
    assert patient.code not in page.replace(session.code, "")


def test_a_wrong_password_on_hand_back_is_a_422_and_the_tablet_stays_locked(handed_over, session):
    response = handed_over.post(url("handback", session), {"password": "not-the-password"})

    assert response.status_code == 422
    assert "That password is not right." in html(response)
    assert handed_over.get(reverse("patients:list")).url == url("handback", session)


def test_five_wrong_passwords_on_hand_back_sign_the_clinician_out(handed_over, session):
    for _attempt in range(4):
        assert handed_over.post(url("handback", session), {"password": "guess"}).status_code == 422

    response = handed_over.post(url("handback", session), {"password": "guess"})

    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in handed_over.session
    assert handed_over.get(reverse("patients:list")).url.startswith(reverse("accounts:login"))


def test_the_right_password_takes_the_tablet_back_to_the_review(handed_over, session):
    response = handed_over.post(url("handback", session), {"password": PASSWORD})

    assert response.url == url("review", session)
    assert HANDOVER_KEY not in handed_over.session
    assert handed_over.get(reverse("patients:list")).status_code == 200


# --- review of the ratings and choosing areas ------------------------------------------------


def test_the_review_shows_todays_scores_beside_last_times(clinician_client, patient, start):
    session_complete(patient, ratings=dict.fromkeys(DOMAIN_KEYS, 3))
    session = start(patient)
    for key in DOMAIN_KEYS:
        rate(session, key, 6 if key == "job" else 5)

    page = html(clinician_client.get(url("review", session)))

    assert '<td class="text-center rating-prev">3</td>' in page
    assert '<td class="text-center rating-now">6</td>' in page
    assert "up 3" in page
    assert '<div class="score">5.1</div>' in page  # (7 × 5 + 6) / 8
    assert "last time 3.0" in page


def test_choosing_no_area_is_refused_with_422_and_a_message(clinician_client, session):
    response = clinician_client.post(url("select", session), {})

    assert response.status_code == 422
    assert "Choose at least one area to talk about." in html(response)
    assert not SelectedArea.objects.exists()


def test_a_fourth_area_is_allowed_with_a_gentle_warning(clinician_client, session):
    keys = ("job", "friendships", "leisure", "safety")
    three = clinician_client.post(
        url("select", session), {"domain": [domain_id(session, k) for k in keys[:3]]}
    )
    hidden = html(clinician_client.get(url("select", session)))

    four = clinician_client.post(
        url("select", session), {"domain": [domain_id(session, k) for k in keys]}
    )
    shown = html(clinician_client.get(url("select", session)))

    first = SelectedArea.objects.get(session=session, position=0)
    assert three.status_code == four.status_code == 302
    assert four.url == url("area", session, first.id)
    assert SelectedArea.objects.filter(session=session).count() == 4
    warning = 'id="area-warning" class="alert alert-warning mt-3" role="status"'
    assert f"{warning} hidden>" in hidden
    assert f"{warning}>" in shown


def test_unchoosing_an_area_with_notes_is_refused_and_nothing_is_lost(clinician_client, session):
    job, friendships = choose(session, "job", "friendships")
    services.step_note_save(session=session, area=job, step=1, text="Lost the job in May")

    response = clinician_client.post(
        url("select", session), {"domain": [domain_id(session, "friendships")]}
    )

    assert response.status_code == 422
    assert "already has notes or actions, so it stays chosen" in html(response)
    assert list(SelectedArea.objects.filter(session=session).order_by("position")) == [
        job,
        friendships,
    ]
    assert StepNote.objects.get(area=job, step=1).text == "Lost the job in May"


# --- the four steps --------------------------------------------------------------------------


@pytest.fixture
def area(session):
    [job] = choose(session, "job")
    return job


def step_four(session, area, **data):
    data.setdefault("note", "")
    data.setdefault("revision", "0")
    data.setdefault("client_token", str(uuid.uuid4()))
    return data


def test_a_note_posted_with_the_plain_form_is_saved_and_the_next_step_opens(
    clinician_client, session, area
):
    response = clinician_client.post(
        url("step", session, area.id, 1), {"note": "Lost the job in May", "revision": "0"}
    )

    # The steps are sections of one page: the next one is scrolled to.
    assert response.url == url("step", session, area.id, 2) + "#step-2"
    assert StepNote.objects.get(area=area, step=1).text == "Lost the job in May"


def test_a_note_autosaved_over_htmx_is_stored_and_confirmed(clinician_client, session, area):
    response = clinician_client.post(
        url("step_note", session, area.id, 2),
        {"note": "A café job, mornings", "revision": "0"},
        headers=HX,
    )

    assert response.status_code == 200
    assert "Saved" in html(response)
    assert StepNote.objects.get(area=area, step=2).text == "A café job, mornings"


def test_a_note_from_a_stale_screen_is_a_409_that_keeps_the_typed_text(
    clinician_client, session, area
):
    services.step_note_save(session=session, area=area, step=1, text="From the other tablet")

    response = clinician_client.post(
        url("step", session, area.id, 1), {"note": "Typed here", "revision": "0"}
    )

    page = html(response)
    assert response.status_code == 409
    assert ">Typed here</textarea>" in page
    assert "From the other tablet" in page
    assert StepNote.objects.get(area=area, step=1).text == "From the other tablet"


def test_a_note_autosave_from_a_stale_screen_is_a_409(clinician_client, session, area):
    services.step_note_save(session=session, area=area, step=1, text="From the other tablet")

    response = clinician_client.post(
        url("step_note", session, area.id, 1), {"note": "Typed here", "revision": "0"}, headers=HX
    )

    assert response.status_code == 409
    assert "From the other tablet" in html(response)
    assert StepNote.objects.get(area=area, step=1).text == "From the other tablet"


def test_an_action_posted_twice_with_the_same_token_is_saved_once(clinician_client, session, area):
    data = step_four(session, area, text="Call Ana about the course", owner="patient")

    first = clinician_client.post(url("step", session, area.id, 4), data)
    second = clinician_client.post(url("step", session, area.id, 4), data)

    assert first.url == second.url == url("summary", session)
    action = Action.objects.get(area=area)
    assert (action.text, action.owner) == ("Call Ana about the course", "patient")


def test_step_four_with_neither_action_nor_think_it_over_is_refused_with_422(
    clinician_client, session, area
):
    response = clinician_client.post(url("step", session, area.id, 4), step_four(session, area))

    assert response.status_code == 422
    assert "Agree at least one action, or tick" in html(response)


def test_think_it_over_ends_step_four_without_an_action(clinician_client, session, area):
    response = clinician_client.post(
        url("step", session, area.id, 4), step_four(session, area, think_it_over="on")
    )

    assert response.url == url("summary", session)
    area.refresh_from_db()
    assert area.think_it_over is True
    assert not Action.objects.exists()


def test_an_action_for_someone_else_without_a_name_is_refused_with_422(
    clinician_client, session, area
):
    response = clinician_client.post(
        url("step", session, area.id, 4),
        step_four(session, area, text="Drive to the interview", owner="other"),
    )

    assert response.status_code == 422
    assert "Name the person who will do it." in html(response)
    assert not Action.objects.exists()


def test_an_action_due_in_the_past_is_refused_with_422(clinician_client, session, area):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = clinician_client.post(
        url("step", session, area.id, 4),
        step_four(session, area, text="Call Ana", owner="patient", due_date=yesterday.isoformat()),
    )

    assert response.status_code == 422
    assert "The due date cannot be in the past." in html(response)
    assert not Action.objects.exists()


def test_an_action_agreed_by_mistake_can_be_removed(clinician_client, session, area):
    action = add_action(session, area)

    response = clinician_client.post(url("action_remove", session, action.id))

    assert response.url == url("step", session, area.id, 4) + "#step-4"
    assert not Action.objects.filter(pk=action.pk).exists()


# --- summary and finishing ---------------------------------------------------------------------


def finish(client, session, next_appointment):
    return client.post(
        url("summary", session),
        {"attendance": "alone", "attendance_note": "", "next_appointment": next_appointment},
    )


def test_finishing_with_a_future_appointment_completes_the_session(clinician_client, session):
    appointment = in_days(28).replace(second=0, microsecond=0)

    response = finish(clinician_client, session, local_input(appointment))

    session.refresh_from_db()
    assert response.url == url("summary", session)
    assert session.status == DialogSession.Status.COMPLETED
    assert session.ended_at is not None
    assert session.next_appointment == appointment


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (local_input(in_days(-1)), "The next appointment must be in the future."),
        ("next tuesday", "Enter a date and time"),
    ],
    ids=["in the past", "garbage"],
)
def test_finishing_with_a_bad_appointment_is_a_422_and_the_session_stays_open(
    clinician_client, session, typed, message
):
    response = finish(clinician_client, session, typed)

    assert response.status_code == 422
    assert message in html(response)
    session.refresh_from_db()
    assert session.status == DialogSession.Status.IN_PROGRESS
    assert session.ended_at is None


# --- a finished session takes no more answers -----------------------------------------------------


@pytest.fixture
def finished(session):
    # A session with a rating, one area with a note and an action, then finished.
    rate(session, "job", 3, needs_help=True)
    [job] = choose(session, "job")
    services.step_note_save(session=session, area=job, step=1, text="Lost the job in May")
    add_action(session, job)
    return services.session_finish(session=session, next_appointment=in_days(30))


def snapshot(session):
    session = DialogSession.objects.get(pk=session.pk)
    return (
        (session.status, session.stage, session.ended_at, session.next_appointment),
        list(session.ratings.order_by("id").values_list("value", "needs_help", "revision")),
        list(SelectedArea.objects.filter(session=session).values_list("id", "domain_id")),
        list(StepNote.objects.filter(area__session=session).values_list("step", "text")),
        list(Action.objects.filter(area__session=session).values_list("id", "text")),
    )


def _area_id(s):
    return s.areas.get().id


def _action_id(s):
    return Action.objects.get(area__session=s).id


AFTER_FINISH = [
    ("resume", "get", lambda s: [], {}),
    ("abandon", "get", lambda s: [], {}),
    ("abandon", "post", lambda s: [], {}),
    ("review_actions", "get", lambda s: [], {}),
    ("review_actions", "post", lambda s: [], {}),
    ("review_action_save", "post", lambda s: [_action_id(s)], {"status": "done"}),
    ("rate", "get", lambda s: [], {}),
    ("rate_done", "get", lambda s: [], {}),
    ("rate_done", "post", lambda s: [], {}),
    ("rate_item", "get", lambda s: [3], {}),
    ("rate_item", "post", lambda s: [3], {"value": "7"}),
    ("rate_item", "post", lambda s: [3], {"skip": "1"}),
    ("handover", "post", lambda s: [], {}),
    ("review", "get", lambda s: [], {}),
    ("review", "post", lambda s: [], {}),
    ("select", "get", lambda s: [], {}),
    ("select", "post", lambda s: [], {"domain": ["1", "2"]}),
    ("step", "get", lambda s: [_area_id(s), 1], {}),
    ("step", "post", lambda s: [_area_id(s), 1], {"note": "Changed", "revision": "1"}),
    ("step_note", "post", lambda s: [_area_id(s), 1], {"note": "Changed"}),
    ("action_remove", "post", lambda s: [_action_id(s)], {}),
    ("summary", "post", lambda s: [], {"attendance": "other", "attendance_note": "Someone"}),
]


@pytest.mark.parametrize(
    ("name", "method", "args", "data"),
    AFTER_FINISH,
    ids=[
        f"{name} {method.upper()} {' '.join(data)}".strip()
        for name, method, _a, data in AFTER_FINISH
    ],
)
def test_after_finishing_every_flow_url_leads_to_the_summary_and_changes_nothing(
    clinician_client, finished, name, method, args, data
):
    before = snapshot(finished)

    response = getattr(clinician_client, method)(url(name, finished, *args(finished)), data)

    assert response.status_code == 302
    assert response.url == url("summary", finished)
    assert snapshot(finished) == before
    assert HANDOVER_KEY not in clinician_client.session


def test_the_summary_of_a_finished_session_shows_it_without_the_finish_form(
    clinician_client, finished
):
    page = html(clinician_client.get(url("summary", finished)))

    assert "Phone the job centre" in page
    assert "Finish session" not in page


# --- abandoning --------------------------------------------------------------------------------


def test_abandon_asks_for_confirmation_first(clinician_client, session):
    response = clinician_client.get(url("abandon", session))

    assert response.status_code == 200
    assert "Abandon this session?" in html(response)
    session.refresh_from_db()
    assert session.status == DialogSession.Status.IN_PROGRESS


def test_abandoning_marks_the_session_and_keeps_it(clinician_client, session, patient):
    response = clinician_client.post(url("abandon", session))

    assert response.url == reverse("patients:detail", args=[patient.code])
    session.refresh_from_db()
    assert session.status == DialogSession.Status.ABANDONED
    assert session.ended_at is not None


# --- printing and carers -----------------------------------------------------------------------


@pytest.fixture
def shared(finished, patient):
    # The finished session of a patient who speaks Serbian.
    patient.language = "sr"
    patient.save()
    return finished


def test_the_printed_summary_speaks_the_patients_language_and_leaves_out_the_notes(
    clinician_client, shared
):
    page = html(clinician_client.get(url("print", shared)))

    assert '<html lang="sr"' in page
    assert "Phone the job centre" in page
    assert "Lost the job in May" not in page


@pytest.mark.parametrize("share_ratings", [True, False])
def test_a_carer_sees_ratings_only_if_the_patient_shares_them_and_never_the_notes(
    carer_with_consent, carer_with_consent_client, shared, share_ratings
):
    carer_with_consent.carer_links.update(share_ratings=share_ratings)

    response = carer_with_consent_client.get(reverse("sessions:carer_summary", args=[shared.code]))

    page = html(response)
    # The carer has no interface language yet: they read the patient's (Serbian).
    with translation.override("sr"):
        heading = f'<h2 class="h5">{gettext("Ratings")}</h2>'
    assert response.status_code == 200
    assert "Phone the job centre" in page
    assert (heading in page) is share_ratings
    assert "Lost the job in May" not in page


def test_a_carer_reads_the_next_appointment_on_the_clinics_clock(
    carer_with_consent, carer_with_consent_client, shared
):
    # 08:30 UTC on a winter day is 09:30 in Belgrade, the clinic's time zone.
    shared.next_appointment = datetime.datetime(2027, 1, 20, 8, 30, tzinfo=datetime.UTC)
    shared.save(update_fields=["next_appointment"])
    carer_with_consent.language = "en"
    carer_with_consent.save(update_fields=["language"])

    summary = reverse("sessions:carer_summary", args=[shared.code])
    page = html(carer_with_consent_client.get(summary))

    assert "20 Jan 2027, 09:30" in page
    assert "08:30" not in page
