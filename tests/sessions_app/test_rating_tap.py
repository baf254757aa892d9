"""A tap on a rating card, refused the same way on the clinician's tablet and on
the patient's rating link: one form (``RatingTapForm``) decides for both.

A refused tap stores nothing, answers 422 with a message the card shows, and the
card still shows the answer stored before.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from scale.models import Domain, ScaleVersion
from sessions_app.forms import RatingTapForm
from sessions_app.models import Rating
from sessions_app.rating_links import rating_link_create

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def no_wrong_tries_counted():
    cache.clear()


@pytest.fixture(params=["tablet", "link"])
def card(request, patient, clinician, client_for):
    """``(post(position, data), session)`` for the clinician's screen or the link."""
    if request.param == "tablet":
        client = client_for("clinician")
        session = request.getfixturevalue("session")

        def item_url(position):
            return reverse("sessions:rate_item", args=[session.code, position])

    else:
        client = client_for("anonymous")
        new = rating_link_create(patient=patient, created_by=clinician)
        session = new.link.session

        def item_url(position):
            return reverse("rating_link:item", kwargs={"token": new.token, "position": position})

    def post(position, data, **kwargs):
        return client.post(item_url(position), data, **kwargs)

    return post, session


def first_rating(session):
    return Rating.objects.get(session=session, domain=session.scale_version.domains.first())


def stored_answers(session):
    return sorted(
        Rating.objects.filter(session=session).values_list("domain_id", "value", "needs_help")
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "0"}, "Choose a rating from 1 to 7."),
        ({"value": "8"}, "Choose a rating from 1 to 7."),
        ({"value": "-3"}, "Choose a rating from 1 to 7."),
        ({"value": "five"}, "Choose a rating from 1 to 7."),
        ({"value": "4.5"}, "Choose a rating from 1 to 7."),
        ({"value": "\x00"}, "Choose a rating from 1 to 7."),
        ({"value": "5\x00"}, "Choose a rating from 1 to 7."),
        ({"value": ""}, "Choose a rating from 1 to 7, or skip this question."),
        ({"needs_help": "maybe"}, "Answer yes or no."),
        ({"needs_help": "yes\x00"}, "Answer yes or no."),
        ({"needs_help": ""}, "Answer yes or no."),
        ({"skip": "\x00"}, "Choose a rating from 1 to 7, or skip this question."),
        ({}, "Choose a rating from 1 to 7, or skip this question."),
    ],
    ids=[
        "zero",
        "eight",
        "negative",
        "word",
        "decimal",
        "nul",
        "digit-and-nul",
        "empty",
        "help-maybe",
        "help-nul",
        "help-empty",
        "skip-nul",
        "nothing",
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_a_bad_tap_is_refused_with_a_message_and_stores_nothing(card, data, message, htmx):
    post, session = card
    post(1, {"value": "4", "revision": "0"})
    before = stored_answers(session)
    revision = first_rating(session).revision

    response = post(1, {**data, "revision": str(revision)}, headers=HX if htmx else {})

    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page
    # The card still shows the stored rating, pressed.
    assert 'value="4" class="scale-btn scale-4" aria-pressed="true"' in page
    assert stored_answers(session) == before
    assert first_rating(session).revision == revision


@pytest.mark.parametrize("position", [0, 12, 99])
def test_a_question_missing_from_the_scale_is_not_found_and_stores_nothing(card, position):
    post, session = card
    before = stored_answers(session)

    response = post(position, {"value": "5", "revision": "0"})

    assert response.status_code == 404
    assert stored_answers(session) == before


@pytest.fixture
def next_version(scale):
    """A later scale version with a twelfth item the session's version lacks."""
    version = ScaleVersion.objects.create(number=scale.number + 1, help_question="More help?")
    extra = Domain.objects.create(
        version=version,
        key="extra",
        position=12,
        kind=Domain.Kind.LIFE,
        short_name="Extra",
        question="How satisfied are you with the extra item?",
    )
    return extra


def test_an_item_of_another_scale_version_is_not_found_and_stores_nothing(card, next_version):
    post, session = card
    before = stored_answers(session)

    response = post(next_version.position, {"value": "5", "revision": "0"})

    assert response.status_code == 404
    assert stored_answers(session) == before
    assert not Rating.objects.filter(domain=next_version).exists()


def test_the_form_refuses_an_item_of_another_scale_version(session, next_version):
    form = RatingTapForm({"value": "5"}, session=session, domain=next_version)

    assert not form.is_valid()
    assert form.error_text() == "That item is not part of this session."


def test_the_form_refuses_a_missing_item(session):
    form = RatingTapForm({"value": "5"}, session=session, domain=None)

    assert not form.is_valid()
    assert form.error_text() == "That item is not part of this session."


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        ({"value": "5"}, {"value": 5}),
        ({"value": " 6 "}, {"value": 6}),
        ({"skip": "1", "value": ""}, {"value": None}),
        ({"skip": "again"}, {"value": None}),
        ({"needs_help": "yes"}, {"needs_help": True}),
        ({"needs_help": "no"}, {"needs_help": False}),
        ({"value": "2", "needs_help": "no"}, {"value": 2, "needs_help": False}),
    ],
)
def test_a_good_tap_gives_what_the_service_stores(session, data, answer):
    domain = session.scale_version.domains.first()
    form = RatingTapForm(data, session=session, domain=domain)

    assert form.is_valid(), form.errors
    assert form.answer() == answer
    assert form.just_skipped is (data.get("skip") == "1")
