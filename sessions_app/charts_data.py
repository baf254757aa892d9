"""The rows of the rating review: now, last time, the trend, and what to praise."""

from .models import Rating
from .selectors import rating_history, session_previous, session_scores

HIGH_RATING = 6
SUGGEST_AT_OR_BELOW = 3


def review_rows(session, *, with_history=True):
    """One row per domain of the session's scale, in a fixed number of queries.

    Rows are matched to earlier sessions by domain key, so a new wording version
    still compares with the old one.
    """
    from .charts import sparkline_svg

    ratings = list(
        Rating.objects.filter(session=session).select_related("domain").order_by("domain__position")
    )
    previous = session_previous(session)
    previous_ratings = (
        list(Rating.objects.filter(session=previous).select_related("domain"))
        if previous is not None
        else []
    )
    previous_by_key = {r.domain.key: r for r in previous_ratings}
    history_sessions, series = (
        rating_history(session.patient, until_number=session.number) if with_history else ([], {})
    )
    rows = []
    for rating in ratings:
        key = rating.domain.key
        before = previous_by_key.get(key)
        before_value = before.value if before is not None else None
        value = rating.value
        improved = value is not None and before_value is not None and value > before_value
        worse = value is not None and before_value is not None and value < before_value
        rows.append(
            {
                "domain": rating.domain,
                "rating": rating,
                "value": value,
                "previous": before_value,
                "change": abs(value - before_value) if improved or worse else 0,
                "improved": improved,
                "worse": worse,
                "high": value is not None and value >= HIGH_RATING,
                "needs_help": rating.needs_help is True,
                "suggested": rating.needs_help is True
                or (value is not None and value <= SUGGEST_AT_OR_BELOW),
                "spark": sparkline_svg(series.get(key, [])) if with_history else "",
                "history": series.get(key, []),
            }
        )
    scores = session_scores(ratings)
    previous_scores = session_scores(previous_ratings) if previous is not None else None
    return rows, scores, previous_scores, history_sessions
