"""The one rule for typed text (dialogplus/text.py), on the penetration test's cases.

A comment or a step note with a NUL is refused with a message and comes back
without it; a refused action shows its one message; text over a limit is
refused, never cut; an emoji counts as one character.
"""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogplus.text import CONTROL_MESSAGE, TextField, visible_length
from sessions_app import services
from sessions_app.models import Action, ActionReview, StepNote
from sessions_app.selectors import actions_to_review
from tests.factories import session_complete

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
FAMILY = "👩‍👩‍👧"


def html(response):
    return response.content.decode()


@pytest.fixture
def session(patient, clinician):
    session = services.session_start(patient=patient, clinician=clinician, attendance="alone")
    job = session.session.scale_version.domains.get(key="job")
    services.areas_select(session=session.session, domain_ids=[job.id])
    return session.session


@pytest.fixture
def area(session):
    return session.areas.get()


@pytest.fixture
def reviewing(patient, clinician):
    session_complete(patient, ratings={"job": 3}, actions={"job": ["Phone the job centre"]})
    return services.session_start(patient=patient, clinician=clinician, attendance="alone").session


def test_a_review_comment_with_a_nul_is_refused_and_the_rest_is_kept(clinician_client, reviewing):
    action = actions_to_review(reviewing)[0]
    url = reverse("sessions:review_action_save", args=[reviewing.code, action.id])

    response = clinician_client.post(
        url, {f"comment-{action.id}": "Called\x00 twice", "revision": "0"}, headers=HX
    )

    assert response.status_code == 422
    assert str(CONTROL_MESSAGE) in html(response)
    assert ">Called twice</textarea>" in html(response)
    assert not ActionReview.objects.filter(action=action, session=reviewing).exists()


def test_a_step_note_with_a_nul_is_refused_never_changed(clinician_client, session, area):
    services.step_note_save(session=session, area=area, step=1, text="Sleeps badly")
    autosave = reverse("sessions:step_note", args=[session.code, area.id, 1])

    response = clinician_client.post(
        autosave, {"note": "Sleeps\x00 well", "revision": "1"}, headers=HX
    )

    assert response.status_code == 422
    assert str(CONTROL_MESSAGE) in html(response)
    # The box is not replaced (the typing stays); its revision is not moved on.
    assert 'name="revision"' not in html(response)
    assert StepNote.objects.get(area=area, step=1).text == "Sleeps badly"

    # Without JavaScript the page comes back with the text, less the NUL.
    page = reverse("sessions:step", args=[session.code, area.id, 1])
    response = clinician_client.post(page, {"note": "Sleeps\x00 well", "revision": "1"})

    assert response.status_code == 422
    assert str(CONTROL_MESSAGE) in html(response)
    assert "Sleeps well</textarea>" in html(response)
    assert StepNote.objects.get(area=area, step=1).text == "Sleeps badly"


def test_a_refused_action_shows_its_one_message(clinician_client, session, area):
    url = reverse("sessions:action_add", args=[session.code, area.id])
    data = {
        "text": "x" * 501,
        "owner": "other",
        "owner_name": "Ana",
        "client_token": str(uuid.uuid4()),
    }

    response = clinician_client.post(url, data, headers=HX)

    assert response.status_code == 422
    assert "Keep this to 500 characters: it has 501, 1 too many." in html(response)
    assert "Say what will be done." not in html(response)
    assert "x" * 501 in html(response)  # nothing cut
    assert not Action.objects.exists()


def test_an_emoji_counts_as_one_character_and_nothing_is_cut(clinician_client, session, area):
    url = reverse("sessions:action_add", args=[session.code, area.id])
    text = FAMILY * 500  # 500 as seen; 2,500 code points, 4,000 UTF-16 units

    response = clinician_client.post(
        url, {"text": text, "owner": "patient", "client_token": str(uuid.uuid4())}, headers=HX
    )

    assert response.status_code == 200
    assert Action.objects.get().text == text


def test_the_step_4_fallback_with_a_refused_action_keeps_the_note_unsaved_and_shown(
    clinician_client, session, area
):
    url = reverse("sessions:step", args=[session.code, area.id, 4])
    data = {
        "note": "Will ask his brother",
        "revision": "0",
        "text": "Call\x00 the centre",
        "owner": "patient",
        "client_token": str(uuid.uuid4()),
    }

    response = clinician_client.post(url, data)

    assert response.status_code == 422
    assert html(response).count(str(CONTROL_MESSAGE)) == 1
    assert "Say what will be done." not in html(response)
    assert 'value="Call the centre"' in html(response)
    assert "Will ask his brother</textarea>" in html(response)
    assert not StepNote.objects.filter(area=area, step=4).exists()
    assert not Action.objects.exists()


def test_a_limited_field_has_a_counter_and_no_maxlength():
    field = TextField(max_length=500)
    rendered = field.widget.render("text", "", attrs=field.widget_attrs(field.widget))

    assert 'data-text-limit="500"' in rendered
    assert "data-text-over=" in rendered
    assert "maxlength" not in rendered


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\tb\r\nc", None),
        ("bell\x07", "control_character"),
        ("del\x7f", "control_character"),
        ("x" * 11, "max_length"),
        ("e\u0301" * 10, None),
    ],
)
def test_the_rule_on_one_field(text, message):
    field = TextField(max_length=10, required=False, strip=False)
    try:
        field.clean(text)
    except ValidationError as exc:
        assert exc.code == message
    else:
        assert message is None
        assert visible_length(text) <= 10
