"""The patient page's trend of both DIALOG scores over sessions (issue 9, item 8e)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.charts import score_trend_charts
from sessions_app.selectors import rating_history
from tests.factories import session_complete

pytestmark = pytest.mark.django_db

LIFE = ["mental_health", "physical_health", "job", "accommodation"]
TREATMENT = ["medication", "practical_help", "professionals"]


@pytest.fixture
def history(patient):
    # Session 1: life 4 items at 3, treatment all 6. Session 2: life all 5,
    # treatment only one item (too few for a score). Session 3: life 2,2,3,3.
    session_complete(patient, ratings={**dict.fromkeys(LIFE, 3), **dict.fromkeys(TREATMENT, 6)})
    session_complete(patient, ratings={**dict.fromkeys(LIFE, 5), "medication": 2})
    session_complete(patient, ratings={"mental_health": 2, "job": 2, "safety": 3, "leisure": 3})
    return patient


def test_both_scores_are_computed_per_completed_session(history, scale):
    sessions, series = rating_history(history)

    charts = score_trend_charts(scale.domains.all(), sessions, series)

    assert [c.key for c in charts] == ["quality_of_life", "treatment"]
    assert charts[0].values == [Decimal("3.0"), Decimal("5.0"), Decimal("2.5")]
    assert charts[1].values == [Decimal("6.0"), None, None]
    # A line with one point per score; a gap where there is none.
    assert charts[0].svg.count('class="dot"') == 3
    assert charts[1].svg.count('class="dot"') == 1
    assert 'role="img"' in charts[0].svg
    assert "Session 3: 2.5" in charts[0].svg


def test_the_patient_page_shows_the_score_trend_with_a_table(clinician_client, history):
    page = clinician_client.get(reverse("patients:detail", args=[history.code])).content.decode()

    trend = page[page.index('id="scores-heading"') : page.index("Each area")]
    assert trend.count('<svg class="chart"') == 2
    assert "Quality of life (items 1–8)" in trend
    assert "Treatment satisfaction (items 9–11)" in trend
    cells = re.findall(r"<td>([^<]*)</td>", trend)
    assert cells[:3] == ["3.0", "5.0", "2.5"]
    assert cells[3] == "6.0"
    assert "no score" in trend


def test_a_patient_without_completed_sessions_has_no_trend(clinician_client, patient):
    page = clinician_client.get(reverse("patients:detail", args=[patient.code])).content.decode()

    assert 'id="scores-heading"' not in page
