from decimal import Decimal

import pytest

from sessions_app.scores import Score, mean_score, scores_for


def test_quality_of_life_is_the_mean_of_the_answered_life_items():
    scores = scores_for({"life": [1, 2, 3, 4, 5, 6, 7, 7]})

    assert scores["quality_of_life"].value == Decimal("4.4")
    assert scores["quality_of_life"].answered == 8
    assert scores["quality_of_life"].of == 8


def test_treatment_satisfaction_is_the_mean_of_the_answered_treatment_items():
    scores = scores_for({"treatment": [2, 3, 5]})

    assert scores["treatment"].value == Decimal("3.3")


def test_skipped_items_are_left_out_of_the_mean_not_counted_as_zero():
    score = mean_score([6, None, 4, None, 5, 5, None, None], items=8)

    assert score.value == Decimal("5.0")
    assert score.answered == 4


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([4, 4, 4, 5], "4.3"),  # 4.25: half-up, where banker's rounding would give 4.2
        ([1, 1, 1, 2], "1.3"),  # 1.25
        ([4, 4, 5], "4.3"),  # 4.333…
        ([4, 5, 5], "4.7"),  # 4.666…
        ([7, 7, 7, 7], "7.0"),
    ],
)
def test_scores_have_one_decimal_rounded_half_up(values, expected):
    score = mean_score(values, items=len(values))

    assert score.value == Decimal(expected)
    assert str(score.value) == expected


@pytest.mark.parametrize("answered", [0, 1, 2, 3])
def test_quality_of_life_needs_four_of_eight_items(answered):
    life = [5] * answered + [None] * (8 - answered)

    assert scores_for({"life": life})["quality_of_life"] is None


def test_quality_of_life_is_computed_with_exactly_four_of_eight_items():
    life = [5, 6, 6, 6, None, None, None, None]

    assert scores_for({"life": life})["quality_of_life"].value == Decimal("5.8")


@pytest.mark.parametrize("treatment", [[], [None, None, None], [3, None, None]])
def test_treatment_satisfaction_needs_two_of_three_items(treatment):
    assert scores_for({"treatment": treatment})["treatment"] is None


def test_treatment_satisfaction_is_computed_with_two_of_three_items():
    assert scores_for({"treatment": [3, None, 6]})["treatment"].value == Decimal("4.5")


def test_each_subscale_is_judged_on_its_own_answers():
    scores = scores_for({"life": [3, 3, 3, 3, None, None, None, None], "treatment": [6]})

    assert scores["quality_of_life"].value == Decimal("3.0")
    assert scores["treatment"] is None


def test_no_answers_at_all_give_no_scores():
    assert scores_for({}) == {"quality_of_life": None, "treatment": None}


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("1.0", "dissatisfied"),
        ("3.9", "dissatisfied"),
        ("4.0", "middle"),
        ("4.1", "satisfied"),
        ("7.0", "satisfied"),
    ],
)
def test_verdict_is_dissatisfied_below_4_and_satisfied_above(value, verdict):
    assert Score(Decimal(value), 8, 8).verdict == verdict


def test_verdict_is_read_from_the_exact_mean_not_the_rounded_score():
    # 3.96 shows as 4.0 but is below the middle.
    score = mean_score([4] * 24 + [3], items=25)

    assert score.value == Decimal("4.0")
    assert score.verdict == "dissatisfied"
    assert score.near_middle


@pytest.mark.parametrize(
    ("values", "verdict", "near"),
    [
        ([4, 4, 4, 4], "middle", False),
        ([3, 5, 4, 4], "middle", False),
        ([4] * 24 + [5], "satisfied", True),  # 4.04
        ([4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3], "dissatisfied", True),
        ([4, 4, 5], "satisfied", False),  # 4.3
    ],
)
def test_exactly_four_is_in_the_middle_and_near_four_leans(values, verdict, near):
    score = mean_score(values, items=len(values))

    assert (score.verdict, score.near_middle) == (verdict, near)


def _render_scores(values):
    from django.template.loader import render_to_string

    return render_to_string(
        "sessions_app/_scores.html", {"scores": {"quality_of_life": mean_score(values, items=8)}}
    )


@pytest.mark.parametrize(
    ("values", "shown", "wording"),
    [
        ([4] * 8, "4.0", "in the middle"),
        ([4] * 7 + [3], "3.9", "dissatisfied on average"),
        ([4] * 7 + [5], "4.1", "satisfied on average"),
    ],
)
def test_the_score_reads_like_the_scale_label_in_the_middle(values, shown, wording):
    page = _render_scores(values)

    assert f'<div class="score">{shown}</div>' in page
    assert wording in page
    assert ("just" in page) is False


def test_a_mean_shown_as_4_0_that_is_not_4_says_which_way_it_leans():
    page = _render_scores([4] * 24 + [3])

    assert '<div class="score">4.0</div>' in page
    assert "dissatisfied on average, just below the middle" in page
