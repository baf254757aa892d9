"""DIALOG scores (docs/dialog.md §1).

Quality of life is the mean of the answered life items (1–8), treatment
satisfaction the mean of the answered treatment items (9–11). A subscale with
fewer than half of its items answered has no score.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

LIFE_ITEMS = 8
TREATMENT_ITEMS = 3


MIDDLE = 4  # the scale's midpoint, labelled "in the middle"


@dataclass(frozen=True)
class Score:
    value: Decimal
    answered: int
    of: int
    # The exact mean; the verdict is read from it, not from the rounded value.
    mean: Fraction | None = None

    @property
    def exact(self):
        return self.value if self.mean is None else self.mean

    @property
    def verdict(self):
        """Below the midpoint dissatisfied, above it satisfied, exactly on it "in
        the middle" as the scale's label 4 reads (3.96 is dissatisfied)."""
        if self.exact < MIDDLE:
            return "dissatisfied"
        if self.exact > MIDDLE:
            return "satisfied"
        return "middle"

    @property
    def near_middle(self):
        """Shown as 4.0 without being exactly 4: the wording says how it leans."""
        return self.value == MIDDLE and self.exact != MIDDLE


def mean_score(values, *, items):
    """The one-decimal mean of the answered values, or None below half answered."""
    answered = [v for v in values if v is not None]
    if not answered or len(answered) * 2 < items:
        return None
    mean = Fraction(sum(answered), len(answered))
    shown = (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return Score(shown, len(answered), items, mean)


def scores_for(ratings_by_kind):
    """Both subscale scores from ``{"life": [values], "treatment": [values]}``."""
    return {
        "quality_of_life": mean_score(ratings_by_kind.get("life", []), items=LIFE_ITEMS),
        "treatment": mean_score(ratings_by_kind.get("treatment", []), items=TREATMENT_ITEMS),
    }
