"""Hostile or broken input gets a message or a 404, never a server error.

Run on both databases: PostgreSQL enforces column lengths and integer ranges
that SQLite lets through, so a value that slips past a form shows up there.
"""

import uuid

import pytest
from django.urls import reverse

from patients.models import Patient
from patients.name_index import patients_named
from sessions_app import services
from sessions_app.models import Action, ActionReview, DialogSession, Rating, StepNote
from tests.factories import PASSWORD, session_complete

pytestmark = pytest.mark.django_db

LONG = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
HUGE = "9" * 30
HX = {"HX-Request": "true"}


def url(name, session, *args):
    return reverse(f"sessions:{name}", args=[session.code, *args])


def domain_id(session, key):
    return session.scale_version.domains.get(key=key).id


@pytest.fixture
def session(patient, clinician):
    # `patient`'s first session, in progress, with "job" chosen.
    session = services.session_start(patient=patient, clinician=clinician, attendance="alone")
    services.areas_select(session=session.session, domain_ids=[domain_id(session.session, "job")])
    return session.session


@pytest.fixture
def area(session):
    return session.areas.get()


@pytest.fixture
def reviewing(patient, clinician):
    # A second session that reviews the action agreed in the first.
    session_complete(patient, ratings={"job": 3}, actions={"job": ["Phone the job centre"]})
    return services.session_start(patient=patient, clinician=clinician, attendance="alone").session


def step_four(**data):
    return {"note": "", "revision": "0", "client_token": str(uuid.uuid4()), **data}


# --- 10,000 characters -------------------------------------------------------------------


def test_a_10000_character_note_is_stored_whole(clinician_client, session, area):
    response = clinician_client.post(url("step", session, area.id, 1), {"note": LONG})

    assert response.status_code == 302
    assert StepNote.objects.get(area=area, step=1).text == LONG


def test_a_10000_character_note_autosave_is_stored_whole(clinician_client, session, area):
    response = clinician_client.post(
        url("step_note", session, area.id, 2), {"note": LONG}, headers=HX
    )

    assert response.status_code == 200
    assert StepNote.objects.get(area=area, step=2).text == LONG


@pytest.mark.parametrize(
    "data",
    [
        {"text": LONG, "owner": "patient"},
        {"text": "Walk to the park", "owner": "other", "owner_name": LONG},
        {"text": "Walk to the park", "owner": LONG},
        {"text": "Walk to the park", "owner": "patient", "due_date": LONG},
    ],
    ids=["text", "owner name", "owner", "due date"],
)
def test_a_10000_character_action_field_is_refused_with_422(clinician_client, session, area, data):
    response = clinician_client.post(url("step", session, area.id, 4), step_four(**data))

    assert response.status_code == 422
    assert not Action.objects.exists()


def test_a_10000_character_review_comment_over_htmx_is_refused_with_422(
    clinician_client, reviewing
):
    action = Action.objects.get()

    response = clinician_client.post(
        url("review_action_save", reviewing, action.id),
        {"status": "done", "comment": LONG},
        headers=HX,
    )

    assert response.status_code == 422
    assert not ActionReview.objects.exists()


def test_a_10000_character_review_comment_in_the_plain_form_is_refused_with_422(
    clinician_client, reviewing
):
    action = Action.objects.get()

    response = clinician_client.post(
        url("review_actions", reviewing),
        {f"status-{action.id}": "done", f"comment-{action.id}": LONG},
    )

    assert response.status_code == 422
    assert not ActionReview.objects.exists()


def test_a_10000_character_attendance_note_at_start_is_dropped_not_stored(
    clinician_client, patient
):
    response = clinician_client.post(
        reverse("sessions:start", args=[patient.code]),
        {"attendance": "other", "attendance_note": LONG},
    )

    session = DialogSession.objects.get(patient=patient)
    assert response.url == url("resume", session)
    assert (session.attendance, session.attendance_note) == ("other", "")


def test_a_10000_character_attendance_note_at_the_end_is_refused_with_422(
    clinician_client, session
):
    response = clinician_client.post(
        url("summary", session), {"attendance": "other", "attendance_note": LONG}
    )

    assert response.status_code == 422
    session.refresh_from_db()
    assert session.status == DialogSession.Status.IN_PROGRESS
    assert session.attendance_note == ""


def test_a_10000_character_search_is_cut_to_100_and_answered(clinician_client, patient):
    response = clinician_client.post(reverse("patients:list"), {"q": LONG})

    assert response.status_code == 200
    assert response.context["query"] == "x" * 100


def test_a_10000_character_patient_name_is_refused_with_a_message(clinician_client, clinician):
    response = clinician_client.post(
        reverse("patients:create"),
        {
            "full_name": LONG,
            "language": "en",
            "key_clinician": clinician.pk,
            "planned_sessions": "6",
            "session_interval_days": "30",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    assert not patients_named(LONG)


def test_a_10000_digit_rating_is_refused_with_422(clinician_client, session):
    response = clinician_client.post(url("rate_item", session, 1), {"value": "7" * 10_000})

    assert response.status_code == 422
    assert "1 to 7" in response.content.decode()
    assert not Rating.objects.filter(session=session, value__isnull=False).exists()


@pytest.mark.parametrize(
    "picked", [HUGE, "-1", "job", LONG], ids=["huge", "negative", "key", "long"]
)
def test_an_unknown_area_id_is_refused_with_422(clinician_client, session, area, picked):
    response = clinician_client.post(url("select", session), {"domain": [picked]})

    assert response.status_code == 422
    assert list(session.areas.all()) == [area]


def test_a_10000_character_email_at_sign_in_is_refused_with_a_message(client_for):
    response = client_for("anonymous").post(
        reverse("accounts:login"), {"username": LONG + "@example.org", "password": LONG}
    )

    assert response.status_code == 200
    assert response.context["form"].errors


# --- markup is shown as text ----------------------------------------------------------------


@pytest.fixture
def scripted(patient, clinician):
    """Every free-text field of the record holds a script tag.

    Returns the finished first session (its action and the action's owner name),
    and the open second session: the review comment of that action, then an
    area with a step note and a new action.
    """
    patient.full_name = SCRIPT
    patient.save()
    first = services.session_start(patient=patient, clinician=clinician, attendance="alone").session
    [job] = services.areas_select(session=first, domain_ids=[domain_id(first, "job")])
    action = services.action_add(
        session=first,
        area=job,
        text=SCRIPT,
        owner="other",
        owner_name=SCRIPT,
        client_token=uuid.uuid4(),
    )
    services.session_finish(session=first)
    second = services.session_start(patient=patient, clinician=clinician, attendance="alone")
    second = second.session
    services.action_review_record(session=second, action=action, comment=SCRIPT)
    [area] = services.areas_select(session=second, domain_ids=[domain_id(second, "friendships")])
    services.step_note_save(session=second, area=area, step=1, text=SCRIPT)
    services.action_add(
        session=second, area=area, text=SCRIPT, owner="patient", client_token=uuid.uuid4()
    )
    return first, second, area


SCRIPT_PAGES = {
    "step 1 (note)": lambda first, second, area: url("step", second, area.id, 1),
    "step 4 (action)": lambda first, second, area: url("step", second, area.id, 4),
    "review of actions (action, comment)": lambda first, second, area: url(
        "review_actions", second
    ),
    "summary (action)": lambda first, second, area: url("summary", first),
    "print (action)": lambda first, second, area: url("print", first),
    "patient page (name, action)": lambda first, second, area: reverse(
        "patients:detail", args=[first.patient.code]
    ),
    "patient list (name)": lambda first, second, area: reverse("patients:list"),
}


@pytest.mark.parametrize("page", SCRIPT_PAGES)
def test_a_script_tag_typed_into_the_record_is_shown_as_text(clinician_client, scripted, page):
    response = clinician_client.get(SCRIPT_PAGES[page](*scripted))

    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html
    assert ESCAPED in html


def test_a_script_tag_is_shown_as_text_to_a_carer(carer_with_consent_client, scripted):
    first, _second, _area = scripted

    response = carer_with_consent_client.get(reverse("sessions:carer_summary", args=[first.code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html
    assert ESCAPED in html


def test_a_script_tag_in_a_note_autosave_conflict_is_shown_as_text(clinician_client, session, area):
    services.step_note_save(session=session, area=area, step=1, text=SCRIPT)

    response = clinician_client.post(
        url("step_note", session, area.id, 1), {"note": "mine", "revision": "0"}, headers=HX
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert SCRIPT not in html
    assert ESCAPED in html


# --- addresses that do not exist --------------------------------------------------------------


NOT_FOUND_PATHS = {
    "unknown session": lambda s, a: "/sessions/NOSUCHCODE/",
    "10,000-character session code": lambda s, a: f"/sessions/{LONG}/rate/",
    "unknown session's rating": lambda s, a: "/sessions/NOSUCHCODE/rate/1/",
    "position 0": lambda s, a: url("rate_item", s, 0),
    "position 12": lambda s, a: url("rate_item", s, 12),
    "negative position": lambda s, a: f"/sessions/{s.code}/rate/-1/",
    "huge position": lambda s, a: f"/sessions/{s.code}/rate/{HUGE}/",
    "step 0": lambda s, a: url("step", s, a.id, 0),
    "step 5": lambda s, a: url("step", s, a.id, 5),
    "negative step": lambda s, a: f"/sessions/{s.code}/areas/{a.id}/step/-1/",
    "huge step": lambda s, a: f"/sessions/{s.code}/areas/{a.id}/step/{HUGE}/",
    "huge area": lambda s, a: f"/sessions/{s.code}/areas/{HUGE}/step/1/",
    "unknown area": lambda s, a: url("step", s, a.id + 1000, 1),
    "unknown patient": lambda s, a: "/patients/NOSUCHCODE/",
    "10,000-character patient code": lambda s, a: f"/patients/{LONG}/edit/",
    "unknown shared summary": lambda s, a: "/sessions/carer/NOSUCHCODE/",
    "patient list page 9999": lambda s, a: "/patients/?page=9999",
    "patient list page abc": lambda s, a: "/patients/?page=abc",
}


@pytest.mark.parametrize("case", NOT_FOUND_PATHS)
def test_an_address_that_does_not_exist_is_a_404(clinician_client, session, area, case):
    response = clinician_client.get(NOT_FOUND_PATHS[case](session, area))

    assert response.status_code == 404


NOT_FOUND_POSTS = {
    "note of a huge step": lambda s, a: f"/sessions/{s.code}/areas/{a.id}/step/{HUGE}/note/",
    "note of step 5": lambda s, a: url("step_note", s, a.id, 5),
    "note of a huge area": lambda s, a: f"/sessions/{s.code}/areas/{HUGE}/step/1/note/",
    "removing a huge action": lambda s, a: f"/sessions/{s.code}/actions/{HUGE}/remove/",
    "removing an unknown action": lambda s, a: url("action_remove", s, 999_999),
    "reviewing a huge action": lambda s, a: f"/sessions/{s.code}/review-actions/{HUGE}/",
    "rating a huge position": lambda s, a: f"/sessions/{s.code}/rate/{HUGE}/",
}


@pytest.mark.parametrize("case", NOT_FOUND_POSTS)
def test_a_post_to_an_address_that_does_not_exist_is_a_404(clinician_client, session, area, case):
    response = clinician_client.post(NOT_FOUND_POSTS[case](session, area), {"note": "x"})

    assert response.status_code == 404


# --- revisions that are not numbers ---------------------------------------------------------------

# "²" passes str.isdigit() but not int(); a huge number is a revision from nowhere.
ODD_REVISIONS = ["abc", "-1", "1.5", "", "²", HUGE]
ODD_IDS = ["letters", "negative", "decimal", "empty", "superscript two", "huge"]


@pytest.mark.parametrize("revision", ODD_REVISIONS, ids=ODD_IDS)
def test_an_odd_revision_on_a_rating_saves_or_conflicts_but_never_fails(
    clinician_client, session, revision
):
    response = clinician_client.post(
        url("rate_item", session, 1), {"value": "5", "revision": revision}
    )

    stored = Rating.objects.get(session=session, domain__key="mental_health").value
    if revision == HUGE:
        assert (response.status_code, stored) == (409, None)
    else:
        assert (response.status_code, stored) == (302, 5)


@pytest.mark.parametrize("revision", ODD_REVISIONS, ids=ODD_IDS)
def test_an_odd_revision_on_a_step_note_saves_or_conflicts_but_never_fails(
    clinician_client, session, area, revision
):
    services.step_note_save(session=session, area=area, step=1, text="Before")

    response = clinician_client.post(
        url("step", session, area.id, 1), {"note": "After", "revision": revision}
    )

    stored = StepNote.objects.get(area=area, step=1).text
    if revision == HUGE:
        assert (response.status_code, stored) == (409, "Before")
    else:
        assert (response.status_code, stored) == (302, "After")


@pytest.mark.parametrize("revision", ODD_REVISIONS, ids=ODD_IDS)
def test_an_odd_revision_on_a_note_autosave_saves_or_conflicts_but_never_fails(
    clinician_client, session, area, revision
):
    services.step_note_save(session=session, area=area, step=1, text="Before")

    response = clinician_client.post(
        url("step_note", session, area.id, 1), {"note": "After", "revision": revision}, headers=HX
    )

    stored = StepNote.objects.get(area=area, step=1).text
    if revision == HUGE:
        assert (response.status_code, stored) == (409, "Before")
    else:
        assert (response.status_code, stored) == (200, "After")


@pytest.mark.parametrize(
    "revision",
    [r for r in ODD_REVISIONS if r],
    ids=[i for r, i in zip(ODD_REVISIONS, ODD_IDS, strict=True) if r],
)
def test_an_odd_revision_on_an_action_review_is_refused_and_nothing_stored(
    clinician_client, reviewing, revision
):
    action = Action.objects.get()

    response = clinician_client.post(
        url("review_action_save", reviewing, action.id),
        {"status": "done", "revision": revision},
        headers=HX,
    )

    assert response.status_code == (409 if revision == HUGE else 422)
    assert not ActionReview.objects.filter(status="done").exists()


# --- forged posts without the CSRF token ---------------------------------------------------


CSRF_POSTS = {
    "start": lambda p, s, a: (reverse("sessions:start", args=[p.code]), {"attendance": "alone"}),
    "rate": lambda p, s, a: (url("rate_item", s, 1), {"value": "5"}),
    "note": lambda p, s, a: (url("step_note", s, a.id, 1), {"note": "forged"}),
    "finish": lambda p, s, a: (url("summary", s), {"attendance": "alone"}),
    "abandon": lambda p, s, a: (url("abandon", s), {}),
    "edit patient": lambda p, s, a: (
        reverse("patients:edit", args=[p.code]),
        {
            "full_name": "Forged",
            "language": "en",
            "planned_sessions": 6,
            "session_interval_days": 30,
        },
    ),
    "language": lambda p, s, a: (reverse("accounts:language"), {"language": "sq"}),
    "sign out": lambda p, s, a: (reverse("accounts:logout"), {}),
}


def state(patient, session):
    session = DialogSession.objects.get(pk=session.pk)
    patient = Patient.objects.get(pk=patient.pk)
    return (
        DialogSession.objects.filter(patient=patient).count(),
        session.status,
        list(session.ratings.values_list("value", flat=True)),
        list(StepNote.objects.filter(area__session=session).values_list("text", flat=True)),
        patient.full_name,
        patient.key_clinician.language,
    )


@pytest.mark.parametrize("case", CSRF_POSTS)
def test_a_post_without_the_csrf_token_is_refused_with_403_and_changes_nothing(
    client_for, patient, clinician, session, area, case
):
    client = client_for("clinician", enforce_csrf_checks=True)
    path, data = CSRF_POSTS[case](patient, session, area)
    before = state(patient, session)

    response = client.post(path, data)

    assert response.status_code == 403
    assert state(patient, session) == before
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in


def test_a_sign_in_without_the_csrf_token_is_refused_with_403(client_for, clinician):
    client = client_for("anonymous", enforce_csrf_checks=True)

    response = client.post(
        reverse("accounts:login"), {"username": clinician.email, "password": PASSWORD}
    )

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
