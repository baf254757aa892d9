"""Screens that must say what DIALOG says (issue 9): the first review, the summary's notes."""

import pytest
from django.urls import reverse

from sessions_app import services
from tests.factories import DOMAIN_KEYS, session_complete

pytestmark = pytest.mark.django_db


def url(name, session, *args):
    return reverse(f"sessions:{name}", args=[session.code, *args])


def html(response):
    return response.content.decode()


def rate_all(session, value):
    for domain in session.scale_version.domains.all():
        services.rating_record(session=session, domain_id=domain.id, value=value)


def test_the_first_sessions_review_says_there_is_nothing_to_compare_yet(clinician_client, session):
    rate_all(session, 5)

    page = html(clinician_client.get(url("review", session)))

    assert "nothing to compare with yet" in page
    assert "Last time" not in page
    assert "beside last time" not in page
    assert "rating-prev" not in page
    assert '<td class="text-center rating-now">5</td>' in page


def test_a_later_review_still_compares_with_last_time(clinician_client, patient, start):
    session_complete(patient, ratings=dict.fromkeys(DOMAIN_KEYS, 3))
    session = start(patient)
    rate_all(session, 5)

    page = html(clinician_client.get(url("review", session)))

    assert "nothing to compare with yet" not in page
    assert "Last time" in page
    assert '<td class="text-center rating-prev">3</td>' in page


def test_the_summary_shows_each_areas_step_notes_with_the_step_names(clinician_client, session):
    domains = {d.key: d for d in session.scale_version.domains.all()}
    job, leisure = services.areas_select(
        session=session, domain_ids=[domains["job"].id, domains["leisure"].id]
    )
    services.step_note_save(session=session, area=job, step=1, text="Lost the job in May")
    services.step_note_save(session=session, area=job, step=3, text="Ask about the café")
    services.step_note_save(session=session, area=leisure, step=2, text="   ")
    steps = {s.number: s.title for s in session.scale_version.steps.all()}

    page = html(clinician_client.get(url("summary", session)))

    notes = page[page.index('id="step-notes"') : page.index("Finish the session")]
    assert f"<dt>1. {steps[1]}</dt>" in notes
    assert f"<dt>3. {steps[3]}</dt>" in notes
    assert f"2. {steps[2]}" not in notes
    assert notes.index("Lost the job in May") < notes.index("Ask about the café")
    assert domains["job"].short_name in notes
    # An area whose notes are all blank is not listed.
    assert domains["leisure"].short_name not in notes


def test_the_summary_says_when_no_step_note_was_written(clinician_client, session):
    page = html(clinician_client.get(url("summary", session)))

    assert "No notes were written in the steps." in page


# --- the help question for a skipped item (item 8a) --------------------------------------------

HX = {"HX-Request": "true"}


def stored_rating(session, position):
    return session.ratings.get(domain__position=position)


def test_a_skipped_item_still_asks_the_help_question_and_stores_the_answer(
    clinician_client, session
):
    skipped = clinician_client.post(url("rate_item", session, 1), {"skip": "1"}, headers=HX)

    page = html(skipped)
    assert skipped.status_code == 200
    assert "Question 1 of 11" in page
    assert 'name="needs_help" value="yes"' in page
    assert "HX-Push-Url" not in skipped

    answered = clinician_client.post(
        url("rate_item", session, 1), {"needs_help": "yes"}, headers=HX
    )

    assert "Question 2 of 11" in html(answered)
    rating = stored_rating(session, 1)
    assert (rating.value, rating.needs_help) == (None, True)


def test_a_skip_without_htmx_shows_the_help_question_on_the_same_item(clinician_client, session):
    response = clinician_client.post(url("rate_item", session, 1), {"skip": "1"}, follow=True)

    page = html(response)
    assert "Question 1 of 11" in page
    assert 'name="needs_help" value="no"' in page

    clinician_client.post(url("rate_item", session, 1), {"needs_help": "no"})
    rating = stored_rating(session, 1)
    assert (rating.value, rating.needs_help) == (None, False)


def test_skipping_the_help_question_too_moves_on_with_both_empty(clinician_client, session):
    clinician_client.post(url("rate_item", session, 1), {"skip": "1"})
    shown = html(clinician_client.get(url("rate_item", session, 1) + "?skipped=1"))
    assert 'name="skip" value="again"' in shown

    response = clinician_client.post(url("rate_item", session, 1), {"skip": "again"})

    assert response.url == url("rate_item", session, 2)
    rating = stored_rating(session, 1)
    assert (rating.value, rating.needs_help) == (None, None)


def test_without_the_help_question_a_skip_moves_straight_on(clinician_client, session):
    session.ask_help_question = False
    session.save()

    response = clinician_client.post(url("rate_item", session, 1), {"skip": "1"})

    assert response.url == url("rate_item", session, 2)


def test_a_skipped_item_that_wants_help_is_flagged_in_the_review(clinician_client, session):
    clinician_client.post(url("rate_item", session, 1), {"skip": "1"})
    clinician_client.post(url("rate_item", session, 1), {"needs_help": "yes"})

    page = html(clinician_client.get(url("review", session)))

    row = page[page.index("1. ") : page.index("2. ")]
    assert "wants more help" in row
    assert "skipped" in row


# --- a score of exactly 4 reads like the scale's label 4 (item 8b) -----------------------------


@pytest.mark.parametrize("language", ["en", "sr", "sq"])
def test_a_score_of_exactly_4_reads_the_same_words_as_the_scale_label_4(session, language):
    from django.template.loader import render_to_string
    from django.utils import translation

    from sessions_app.scores import scores_for

    scores = scores_for({"life": [4] * 8, "treatment": [3, 5]})
    with translation.override(language):
        label = session.scale_version.labels.get(value=4).text
        page = render_to_string("sessions_app/_scores.html", {"scores": scores, "session": session})

    assert page.count(f"<div>{label}") == 2
    if language == "en":
        assert label == "in the middle"
