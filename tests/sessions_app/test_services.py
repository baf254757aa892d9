import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from scale.models import Domain, ScaleVersion
from scale.selectors import scale_current
from sessions_app import services
from sessions_app.models import (
    Action,
    ActionReview,
    DialogSession,
    Rating,
    SelectedArea,
    Stage,
    StepNote,
)
from sessions_app.selectors import actions_to_review
from sessions_app.services import EditConflictError, SessionClosedError
from tests.factories import DOMAIN_KEYS, PatientFactory, in_days, session_complete

pytestmark = pytest.mark.django_db


def stored_rating(session, key):
    return Rating.objects.get(session=session, domain__key=key)


def add_action(session, area, text="Phone the job centre", **kwargs):
    kwargs.setdefault("owner", Action.Owner.PATIENT)
    kwargs.setdefault("client_token", uuid.uuid4())
    return services.action_add(session=session, area=area, text=text, **kwargs)


def area_for(session, domain):
    [area] = services.areas_select(session=session, domain_ids=[domain.id])
    return area


# --- session_start ------------------------------------------------------------


def test_a_new_session_has_an_empty_rating_for_each_of_the_11_domains_in_order(session):
    ratings = list(session.ratings.select_related("domain").order_by("domain__position"))

    assert tuple(r.domain.key for r in ratings) == DOMAIN_KEYS
    assert {(r.value, r.needs_help, r.revision) for r in ratings} == {(None, None, 0)}


def test_a_new_session_records_the_current_scale_version_and_its_number(session, patient):
    assert session.scale_version == scale_current()
    assert session.number == 1
    assert session.status == DialogSession.Status.IN_PROGRESS
    assert session.started_at is not None

    services.session_finish(session=session)
    second = services.session_start(
        patient=patient, clinician=session.clinician, attendance="alone"
    ).session
    assert second.number == 2


def test_a_new_session_follows_the_clinics_help_question_setting(start, clinic):
    clinic.ask_help_question = False
    clinic.save()

    assert start(PatientFactory(clinic=clinic)).ask_help_question is False


def test_a_patients_first_session_starts_at_rating(session):
    assert session.stage == Stage.RATE


def test_the_session_after_one_with_actions_starts_at_reviewing_them(start, patient):
    session_complete(patient, actions={"job": ["Phone the job centre"]})

    assert start(patient).stage == Stage.REVIEW_ACTIONS


def test_the_session_after_one_without_actions_starts_at_rating(start, patient):
    session_complete(patient, ratings={"job": 3})

    assert start(patient).stage == Stage.RATE


def test_a_session_starts_at_rating_when_the_previous_one_left_nothing_to_review(start, patient):
    session_complete(patient, actions={"job": ["Phone the job centre"]})
    second = start(patient)
    services.session_finish(session=second)  # no actions agreed this time

    third = start(patient)

    assert actions_to_review(third) == []
    assert third.stage == Stage.RATE


def test_starting_twice_resumes_the_open_session(patient, clinician, colleague):
    first = services.session_start(patient=patient, clinician=clinician, attendance="alone")
    second = services.session_start(patient=patient, clinician=colleague, attendance="alone")

    assert first.created is True
    assert second.created is False
    assert second.session.pk == first.session.pk
    assert patient.sessions.count() == 1
    assert Rating.objects.filter(session__patient=patient).count() == 11


def test_the_note_on_who_attended_is_kept_only_for_other(start, patient, clinic):
    other = start(patient, attendance="other", attendance_note="a neighbour")
    alone = start(PatientFactory(clinic=clinic), attendance="alone", attendance_note="ignored")

    assert other.attendance_note == "a neighbour"
    assert alone.attendance_note == ""


def test_the_database_allows_one_open_session_per_patient(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        DialogSession.objects.create(
            patient=session.patient,
            clinician=session.clinician,
            scale_version=session.scale_version,
            number=2,
            started_at=timezone.now(),
        )


# --- rating_record --------------------------------------------------------------


def test_a_rating_is_saved_when_given(session, domains):
    rating = services.rating_record(session=session, domain_id=domains["job"].id, value="5")

    assert rating.value == 5
    assert stored_rating(session, "job").value == 5
    assert stored_rating(session, "job").revision == 1


def test_the_help_answer_is_saved_without_touching_the_rating(session, domains):
    job = domains["job"].id
    services.rating_record(session=session, domain_id=job, value=5)
    services.rating_record(session=session, domain_id=job, needs_help=True)

    stored = stored_rating(session, "job")
    assert (stored.value, stored.needs_help) == (5, True)


@pytest.mark.parametrize("skipped", [None, ""])
def test_skipping_an_item_clears_its_rating_and_help_answer(session, domains, skipped):
    job = domains["job"].id
    services.rating_record(session=session, domain_id=job, value=2, needs_help=True)

    services.rating_record(session=session, domain_id=job, value=skipped)

    stored = stored_rating(session, "job")
    assert (stored.value, stored.needs_help) == (None, None)


def test_an_invalid_rating_is_refused_and_nothing_is_saved(session, domains):
    with pytest.raises(ValidationError):
        services.rating_record(session=session, domain_id=domains["job"].id, value="8")

    assert stored_rating(session, "job").value is None
    assert stored_rating(session, "job").revision == 0


def test_repeating_the_same_save_changes_nothing(session, domains):
    job = domains["job"].id
    services.rating_record(session=session, domain_id=job, value=5, expected_revision=0)

    # The same tap again, sent from the screen loaded before the first save.
    again = services.rating_record(session=session, domain_id=job, value=5, expected_revision=0)

    assert again.revision == 1
    assert stored_rating(session, "job").revision == 1


def test_a_save_from_a_stale_screen_raises_a_conflict_with_the_stored_answer(session, domains):
    job = domains["job"].id
    services.rating_record(session=session, domain_id=job, value=5, expected_revision=0)

    with pytest.raises(EditConflictError) as excinfo:
        services.rating_record(session=session, domain_id=job, value=2, expected_revision=0)

    assert excinfo.value.current.value == 5
    assert excinfo.value.current.revision == 1
    assert stored_rating(session, "job").value == 5


def test_a_save_from_an_up_to_date_screen_bumps_the_revision(session, domains):
    job = domains["job"].id
    services.rating_record(session=session, domain_id=job, value=5, expected_revision=0)

    rating = services.rating_record(session=session, domain_id=job, value=2, expected_revision=1)

    assert (rating.value, rating.revision) == (2, 2)


@pytest.mark.parametrize("close", [services.session_finish, services.session_abandon])
def test_a_closed_session_takes_no_more_ratings(session, domains, close):
    close(session=session)
    reloaded = DialogSession.objects.get(pk=session.pk)

    with pytest.raises(SessionClosedError):
        services.rating_record(session=reloaded, domain_id=domains["job"].id, value=5)

    assert stored_rating(session, "job").value is None


@pytest.mark.parametrize("value", [0, 8])
def test_the_database_refuses_a_rating_outside_1_to_7(session, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(session=session).update(value=value)


def test_the_database_keeps_one_rating_per_domain_per_session(session, domains):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(session=session, domain=domains["job"])


# --- session_advance ----------------------------------------------------------


def test_the_session_remembers_the_furthest_screen_reached(session):
    services.session_advance(session=session, stage=Stage.SELECT)
    services.session_advance(session=session, stage=Stage.RATE)

    stored = DialogSession.objects.get(pk=session.pk)
    assert stored.stage == Stage.SELECT
    assert stored.comparison_shown is True


def test_reaching_the_review_screen_alone_does_not_count_as_comparison_shown(session):
    services.session_advance(session=session, stage=Stage.REVIEW)

    assert DialogSession.objects.get(pk=session.pk).comparison_shown is False


# --- areas_select -------------------------------------------------------------


def test_chosen_areas_keep_the_order_they_were_chosen_in(session, domains):
    keys = ["safety", "job", "medication"]

    areas = services.areas_select(session=session, domain_ids=[domains[k].id for k in keys])

    assert [area.domain.key for area in areas] == keys
    assert [area.position for area in areas] == [0, 1, 2]


def test_choosing_again_reorders_the_same_areas_and_drops_empty_ones(session, domains):
    first = services.areas_select(
        session=session, domain_ids=[domains["safety"].id, domains["job"].id]
    )
    ids = {area.domain.key: area.id for area in first}

    areas = services.areas_select(
        session=session, domain_ids=[str(domains["leisure"].id), str(domains["job"].id)]
    )

    assert [area.domain.key for area in areas] == ["leisure", "job"]
    assert areas[1].id == ids["job"]
    assert not SelectedArea.objects.filter(pk=ids["safety"]).exists()


def test_choosing_the_same_area_twice_keeps_it_once(session, domains):
    job = domains["job"].id

    areas = services.areas_select(session=session, domain_ids=[job, job])

    assert [area.domain_id for area in areas] == [job]


def test_an_area_with_a_note_cannot_be_unchosen(session, domains):
    area = area_for(session, domains["job"])
    services.step_note_save(session=session, area=area, step=1, text="Lost the job in May")

    with pytest.raises(ValidationError) as excinfo:
        services.areas_select(session=session, domain_ids=[domains["safety"].id])

    assert excinfo.value.code == "area_has_content"
    assert list(session.areas.values_list("domain__key", flat=True)) == ["job"]


def test_an_area_with_an_action_cannot_be_unchosen(session, domains):
    area = area_for(session, domains["job"])
    add_action(session, area)

    with pytest.raises(ValidationError):
        services.areas_select(session=session, domain_ids=[])

    assert session.areas.get().pk == area.pk


def test_an_area_with_only_empty_notes_can_be_unchosen(session, domains):
    area = area_for(session, domains["job"])
    services.step_note_save(session=session, area=area, step=1, text="")

    assert services.areas_select(session=session, domain_ids=[]) == []


@pytest.mark.parametrize("bad_id", [999_999, "abc"])
def test_an_area_outside_the_scale_is_refused(session, domains, bad_id):
    with pytest.raises(ValidationError) as excinfo:
        services.areas_select(session=session, domain_ids=[domains["job"].id, bad_id])

    assert excinfo.value.code == "invalid_area"
    assert not session.areas.exists()


def test_an_area_of_another_scale_version_is_refused(session):
    version = ScaleVersion.objects.create(number=2, help_question="More help?")
    foreign = Domain.objects.create(
        version=version, key="job", position=3, kind="life", short_name="Job", question="Job?"
    )

    with pytest.raises(ValidationError):
        services.areas_select(session=session, domain_ids=[foreign.id])

    assert not session.areas.exists()


# --- four steps -----------------------------------------------------------------


def test_a_step_note_is_saved(session, domains):
    area = area_for(session, domains["job"])

    note = services.step_note_save(session=session, area=area, step=2, text="Work two days")

    stored = StepNote.objects.get(area=area, step=2)
    assert (stored.text, stored.revision) == ("Work two days", 1)
    assert note.pk == stored.pk


def test_a_step_note_from_a_stale_screen_raises_a_conflict(session, domains):
    area = area_for(session, domains["job"])
    services.step_note_save(session=session, area=area, step=1, text="A", expected_revision=0)

    with pytest.raises(EditConflictError) as excinfo:
        services.step_note_save(session=session, area=area, step=1, text="B", expected_revision=0)

    assert excinfo.value.current.text == "A"
    assert StepNote.objects.get(area=area, step=1).text == "A"


@pytest.mark.parametrize("step", [0, 5])
def test_there_are_only_four_steps(session, domains, step):
    area = area_for(session, domains["job"])

    with pytest.raises(ValidationError):
        services.step_note_save(session=session, area=area, step=step, text="x")

    assert not StepNote.objects.exists()


def test_visiting_a_step_is_remembered_and_never_goes_back(session, domains):
    area = area_for(session, domains["job"])
    services.step_visit(area=area, step=3)
    services.step_visit(area=area, step=2)

    assert area.steps_visited == 3
    assert SelectedArea.objects.get(pk=area.pk).steps_visited == 3


# --- actions --------------------------------------------------------------------


def test_an_action_is_agreed_with_who_and_when(session, domains):
    area = area_for(session, domains["job"])
    due = timezone.localdate() + datetime.timedelta(days=14)

    action = add_action(
        session,
        area,
        text="  Ask about evening shifts ",
        owner="other",
        owner_name=" Ana ",
        due_date=due,
    )

    stored = Action.objects.get(pk=action.pk)
    assert (stored.text, stored.owner, stored.owner_name, stored.due_date) == (
        "Ask about evening shifts",
        "other",
        "Ana",
        due,
    )


def test_resubmitting_an_action_with_the_same_token_adds_it_once(session, domains):
    area = area_for(session, domains["job"])
    token = uuid.uuid4()

    first = add_action(session, area, client_token=token)
    second = add_action(session, area, client_token=token)

    assert first.pk == second.pk
    assert area.actions.count() == 1


def test_two_actions_with_different_tokens_are_both_kept(session, domains):
    area = area_for(session, domains["job"])
    add_action(session, area, text="One")
    add_action(session, area, text="Two")

    assert list(area.actions.values_list("text", flat=True)) == ["One", "Two"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"text": "   "}, "empty_action"),
        ({"owner": "neighbour"}, "invalid_owner"),
        ({"owner": "other", "owner_name": "  "}, "owner_name_required"),
        ({"due_date": timezone.localdate() - datetime.timedelta(days=1)}, "due_in_past"),
    ],
)
def test_an_incomplete_action_is_refused(session, domains, fields, code):
    area = area_for(session, domains["job"])

    with pytest.raises(ValidationError) as excinfo:
        add_action(session, area, **fields)

    assert excinfo.value.code == code
    assert not Action.objects.exists()


def test_an_action_may_be_due_today(session, domains):
    area = area_for(session, domains["job"])

    assert add_action(session, area, due_date=timezone.localdate()).pk is not None


def test_an_area_can_end_with_no_action_while_the_patient_thinks_it_over(session, domains):
    area = area_for(session, domains["job"])

    services.area_think_it_over(session=session, area=area, value=True)

    assert SelectedArea.objects.get(pk=area.pk).think_it_over is True


def test_agreeing_an_action_ends_thinking_it_over(session, domains):
    area = area_for(session, domains["job"])
    services.area_think_it_over(session=session, area=area, value=True)

    add_action(session, area)

    assert SelectedArea.objects.get(pk=area.pk).think_it_over is False


def test_an_action_of_another_session_cannot_be_removed(session, patient):
    earlier = session_complete(PatientFactory(clinic=patient.clinic), actions={"job": ["X"]})
    foreign = Action.objects.get(area__session=earlier)

    with pytest.raises(ValidationError):
        services.action_remove(session=session, action=foreign)

    assert Action.objects.filter(pk=foreign.pk).exists()


def test_a_closed_session_takes_no_more_actions(session, domains):
    area = area_for(session, domains["job"])
    services.session_finish(session=session)

    with pytest.raises(SessionClosedError):
        add_action(session, area)


# --- reviewing last session's actions ---------------------------------------------


@pytest.fixture
def reviewing(start, patient):
    """A second session, reviewing the one action agreed at the first."""
    session_complete(patient, actions={"job": ["Phone the job centre"]})
    session = start(patient)
    [action] = actions_to_review(session)
    return session, action


def test_an_action_review_records_status_and_comment(reviewing):
    session, action = reviewing

    services.action_review_record(session=session, action=action, status="partly")
    review = services.action_review_record(session=session, action=action, comment=" Once ")

    stored = ActionReview.objects.get(action=action)
    assert (stored.session, stored.status, stored.comment) == (session, "partly", "Once")
    assert review.revision == 2


def test_an_unknown_action_review_status_is_refused(reviewing):
    session, action = reviewing

    with pytest.raises(ValidationError):
        services.action_review_record(session=session, action=action, status="maybe")

    assert not ActionReview.objects.filter(status="maybe").exists()


def test_an_action_review_from_a_stale_screen_raises_a_conflict(reviewing):
    session, action = reviewing
    services.action_review_record(
        session=session, action=action, status="done", expected_revision=0
    )

    with pytest.raises(EditConflictError) as excinfo:
        services.action_review_record(
            session=session, action=action, status="not_done", expected_revision=0
        )

    assert excinfo.value.current.status == "done"


def test_an_action_reviewed_in_an_abandoned_session_can_be_reviewed_in_the_next(
    reviewing, start, patient
):
    mistaken, action = reviewing
    services.action_review_record(session=mistaken, action=action, status="done")
    services.session_abandon(session=mistaken)
    session = start(patient)

    review = services.action_review_record(session=session, action=action, status="not_done")

    assert (review.session, review.status) == (session, "not_done")


# --- finishing and abandoning -----------------------------------------------------


def test_finishing_records_end_time_and_next_appointment(session):
    appointment = in_days(30)

    services.session_finish(session=session, next_appointment=appointment)

    stored = DialogSession.objects.get(pk=session.pk)
    assert stored.status == DialogSession.Status.COMPLETED
    assert stored.stage == Stage.SUMMARY
    assert stored.started_at <= stored.ended_at <= timezone.now()
    assert stored.next_appointment == appointment


def test_the_next_appointment_must_be_in_the_future(session):
    with pytest.raises(ValidationError) as excinfo:
        services.session_finish(session=session, next_appointment=in_days(-1))

    assert excinfo.value.code == "appointment_in_past"
    assert DialogSession.objects.get(pk=session.pk).status == DialogSession.Status.IN_PROGRESS


def test_finishing_twice_is_refused_and_changes_nothing(session):
    appointment = in_days(30)
    services.session_finish(session=session, next_appointment=appointment)
    ended_at = DialogSession.objects.get(pk=session.pk).ended_at

    with pytest.raises(SessionClosedError):
        services.session_finish(
            session=DialogSession.objects.get(pk=session.pk), next_appointment=in_days(60)
        )

    stored = DialogSession.objects.get(pk=session.pk)
    assert (stored.ended_at, stored.next_appointment) == (ended_at, appointment)


def test_an_abandoned_session_cannot_be_finished(session):
    services.session_abandon(session=session)

    with pytest.raises(SessionClosedError):
        services.session_finish(session=session)

    assert DialogSession.objects.get(pk=session.pk).status == DialogSession.Status.ABANDONED


def test_an_abandoned_session_is_kept_with_its_answers(session, domains):
    services.rating_record(session=session, domain_id=domains["job"].id, value=4)

    services.session_abandon(session=session)

    stored = DialogSession.objects.get(pk=session.pk)
    assert stored.status == DialogSession.Status.ABANDONED
    assert stored.ended_at is not None
    assert stored_rating(stored, "job").value == 4


def test_after_abandoning_the_next_session_gets_a_new_number(session, start, patient):
    services.session_abandon(session=session)

    again = start(patient)

    assert again.pk != session.pk
    assert again.number == 2
    assert again.stage == Stage.RATE


def test_a_completed_session_cannot_be_abandoned(session):
    services.session_finish(session=session)

    with pytest.raises(SessionClosedError):
        services.session_abandon(session=session)

    assert DialogSession.objects.get(pk=session.pk).status == DialogSession.Status.COMPLETED
