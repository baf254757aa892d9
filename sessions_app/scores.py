"""DIALOG scores (DIALOG.md §1).

Quality of life is the mean of the answered life items (1–8), treatment
satisfaction the mean of the answered treatment items (9–11). A subscale with
fewer than half of its items answered has no score.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

LIFE_ITEMS = 8
TREATMENT_ITEMS = 3


@dataclass(frozen=True)
class Score:
    value: Decimal
    answered: int
    of: int

    @property
    def verdict(self):
        if self.value < 4:
            return "dissatisfied"
        if self.value > 4:
            return "satisfied"
        return "middle"


def mean_score(values, *, items):
    """The one-decimal mean of the answered values, or None below half answered."""
    answered = [v for v in values if v is not None]
    if not answered or len(answered) * 2 < items:
        return None
    mean = Decimal(sum(answered)) / Decimal(len(answered))
    return Score(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), len(answered), items)


def scores_for(ratings_by_kind):
    """Both subscale scores from ``{"life": [values], "treatment": [values]}``."""
    return {
        "quality_of_life": mean_score(ratings_by_kind.get("life", []), items=LIFE_ITEMS),
        "treatment": mean_score(ratings_by_kind.get("treatment", []), items=TREATMENT_ITEMS),
    }
