import pytest
from django.core.exceptions import ValidationError

from sessions_app.services import validate_rating_value


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5, 6, 7])
def test_whole_numbers_from_1_to_7_are_ratings(value):
    assert validate_rating_value(value) == value


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("7", 7), (" 4 ", 4), ("5\n", 5)])
def test_rating_text_from_a_form_becomes_a_number(value, expected):
    assert validate_rating_value(value) == expected


@pytest.mark.parametrize("value", ["", None])
def test_an_empty_rating_means_skipped(value):
    assert validate_rating_value(value) is None


@pytest.mark.parametrize("value", [0, 8, -1, 100, "0", "8", "-1", "+4", "04"])
def test_numbers_outside_1_to_7_are_refused(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_rating_value(value)

    assert excinfo.value.code == "out_of_range"


@pytest.mark.parametrize("value", ["3.5", 3.5, 4.0, "abc", "4 stars", "four", "½", True, [4]])
def test_anything_but_a_whole_number_is_refused(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_rating_value(value)

    assert excinfo.value.code in {"not_a_number", "out_of_range"}


def test_the_refusal_tells_the_patient_what_to_choose():
    with pytest.raises(ValidationError) as excinfo:
        validate_rating_value("abc")

    assert excinfo.value.messages == ["Choose a rating from 1 to 7."]
