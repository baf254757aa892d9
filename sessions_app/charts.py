"""Server-rendered SVG charts of DIALOG ratings.

Pure functions: values in, SVG markup out. No JavaScript and no ``style``
attributes (the Content-Security-Policy forbids inline styles); the look is
SVG presentation attributes from ``chart_style``, the one definition the
screen and the PDF documents share. The classes (``.chart .grid .axis-label
.line .dot`` and ``.spark``) only name the parts. All text is escaped.

A value is a rating 1–7 or ``None`` (skipped, or no session); ``None`` leaves a
gap in the line rather than joining its neighbours, so a skipped item never
reads as a trend.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from . import chart_style as style

RATING_MIN = 1
RATING_MAX = 7

# Chart geometry in viewBox units; CSS scales the whole drawing to its box.
WIDTH = 320
HEIGHT = 170
LEFT = 26
RIGHT = 10
TOP = 10
BOTTOM = 26
# Past this many points the x axis labels every n-th session, so labels never overlap.
MAX_X_LABELS = 12

SPARK_WIDTH = 100
SPARK_HEIGHT = 28
SPARK_PAD = 3


def _num(value):
    """A coordinate with at most one decimal, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _x_positions(count, *, left, right):
    if count == 0:
        return []
    if count == 1:
        return [(left + right) / 2]
    step = (right - left) / (count - 1)
    return [left + i * step for i in range(count)]


def _y_position(value, *, top, bottom):
    share = (value - RATING_MIN) / (RATING_MAX - RATING_MIN)
    return bottom - share * (bottom - top)


def _clean(value):
    """Only whole ratings inside the scale are drawn; anything else is a gap."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if RATING_MIN <= number <= RATING_MAX else None


def _clean_score(value):
    """A score (a one-decimal mean) inside the scale, or a gap."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if RATING_MIN <= number <= RATING_MAX else None


def _path(points):
    """An SVG path through ``points`` that lifts the pen at every ``None``."""
    parts = []
    pen_down = False
    for point in points:
        if point is None:
            pen_down = False
            continue
        x, y = point
        parts.append(f"{'L' if pen_down else 'M'}{_num(float(x))} {_num(float(y))}")
        pen_down = True
    return " ".join(parts)


def _description(values, names, title):
    """The text a screen reader hears: the title, then every point's value."""
    not_rated = gettext("not rated")
    points = [
        # Translators: one point of a ratings chart read out by a screen reader,
        # e.g. "Session 3: 5".
        gettext("%(point)s: %(value)s")
        % {"point": name, "value": not_rated if value is None else value}
        for name, value in zip(names, values, strict=True)
    ]
    if not points:
        return f"{title}. {gettext('No ratings yet.')}"
    return f"{title}. {'; '.join(points)}."


def domain_chart_svg(values, *, labels, title, point_names=None, scores=False):
    """A line-and-points chart of one item's ratings over sessions.

    ``values``: one rating (1–7) or ``None`` per session, oldest first.
    ``labels``: one short x-axis label per value (a session number or date).
    ``title``: what the chart shows, e.g. the domain's short name.
    ``point_names``: optional longer names per value for the accessible
    description (e.g. "Session 3, 4 March 2025"); the labels otherwise.

    Returns safe SVG markup with ``role="img"`` and an ``aria-label`` that
    reads every value, so the chart is not only visual. With ``scores``, the
    values are one-decimal means (the DIALOG scores) rather than whole ratings.
    """
    values = [_clean_score(v) if scores else _clean(v) for v in values]
    labels = [str(label) for label in labels]
    if len(labels) != len(values):
        raise ValueError("domain_chart_svg needs one label per value.")
    names = [str(name) for name in point_names] if point_names is not None else labels
    if len(names) != len(values):
        raise ValueError("domain_chart_svg needs one point name per value.")

    plot_left, plot_right = LEFT + 8, WIDTH - RIGHT - 8
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    xs = _x_positions(len(values), left=plot_left, right=plot_right)

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(_description(values, names, title))}" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f"<title>{escape(title)}</title>",
    ]
    # Gridlines and y labels for every point of the scale.
    for rating in range(RATING_MIN, RATING_MAX + 1):
        y = _num(_y_position(rating, top=plot_top, bottom=plot_bottom))
        out.append(
            f'<line class="grid" {style.attrs(style.GRID)} '
            f'x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>'
            f'<text class="axis-label" {style.attrs(style.AXIS_LABEL)} x="{LEFT - 6}" y="{y}" '
            f'text-anchor="end" dominant-baseline="middle" aria-hidden="true">{rating}</text>'
        )
    # X labels: all of them, or every n-th (always the last) when there are many.
    every = max(1, -(-len(values) // MAX_X_LABELS))
    last = len(values) - 1
    for i, (x, label) in enumerate(zip(xs, labels, strict=True)):
        if i % every and i != last:
            continue
        if i != last and last - i < every:
            # Too close to the last label, which is always shown.
            continue
        out.append(
            f'<text class="axis-label" {style.attrs(style.AXIS_LABEL)} '
            f'x="{_num(x)}" y="{HEIGHT - 8}" '
            f'text-anchor="middle" aria-hidden="true">{escape(label)}</text>'
        )
    points = [
        None if v is None else (x, _y_position(v, top=plot_top, bottom=plot_bottom))
        for x, v in zip(xs, values, strict=True)
    ]
    path = _path(points)
    if path:
        out.append(f'<path class="line" {style.attrs(style.LINE)} d="{path}"/>')
    for point in points:
        if point is not None:
            cx, cy = _num(float(point[0])), _num(float(point[1]))
            out.append(f'<circle class="dot" {style.attrs(style.DOT)} cx="{cx}" cy="{cy}"/>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def sparkline_svg(values, *, label=None):
    """A tiny trend line for a table row, the latest value marked by a dot.

    Decorative by default (``aria-hidden``) because the row shows the numbers;
    pass ``label`` to give it an accessible name instead.
    """
    values = [_clean(v) for v in values]
    xs = _x_positions(len(values), left=SPARK_PAD, right=SPARK_WIDTH - SPARK_PAD)
    points = [
        None if v is None else (x, _y_position(v, top=SPARK_PAD, bottom=SPARK_HEIGHT - SPARK_PAD))
        for x, v in zip(xs, values, strict=True)
    ]
    accessible = f'role="img" aria-label="{escape(label)}"' if label else 'aria-hidden="true"'
    out = [
        f'<svg class="spark" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" {accessible} '
        'xmlns="http://www.w3.org/2000/svg" focusable="false">'
    ]
    path = _path(points)
    if path:
        out.append(f'<path class="line" {style.attrs(style.SPARK_LINE)} d="{path}"/>')
    latest = next((p for p in reversed(points) if p is not None), None)
    if latest is not None:
        cx, cy = _num(latest[0]), _num(latest[1])
        out.append(f'<circle class="dot" {style.attrs(style.SPARK_DOT)} cx="{cx}" cy="{cy}"/>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - no text but an escaped label


@dataclass(frozen=True)
class DomainChart:
    """One domain's chart and the values behind it, ready for a template."""

    domain: object
    values: list
    svg: str


def history_charts(domains, sessions, series):
    """A chart per domain from ``rating_history`` output.

    ``domains``: scale rows (``key``, ``short_name``) in display order.
    ``sessions``: the sessions the series are indexed by (``number``).
    ``series``: ``{domain key: [value or None per session]}``; a domain with
    no ratings at all gets an all-gap series.
    """
    labels, names = style.session_labels(sessions)
    charts = []
    for domain in domains:
        values = series.get(domain.key) or [None] * len(sessions)
        charts.append(
            DomainChart(
                domain=domain,
                values=values,
                svg=domain_chart_svg(
                    values, labels=labels, title=domain.short_name, point_names=names
                ),
            )
        )
    return charts


@dataclass(frozen=True)
class ScoreChart:
    """One DIALOG score over sessions: its name, values and chart."""

    key: str
    title: str
    values: list
    svg: str


def score_trend_charts(domains, sessions, series):
    """Quality of life (items 1–8) and treatment satisfaction (items 9–11) per
    session, from ``rating_history`` output, as two charts.

    ``domains`` give each key its kind (life or treatment); a session with too
    few answers for a score leaves a gap, as the score itself is not computed.
    """
    from .scores import scores_for

    kinds = {domain.key: domain.kind for domain in domains}
    per_session = []
    for index in range(len(sessions)):
        by_kind = {"life": [], "treatment": []}
        for key, values in series.items():
            if key in kinds:
                by_kind[kinds[key]].append(values[index])
        per_session.append(scores_for(by_kind))
    labels, names = style.session_labels(sessions)
    titles = {
        "quality_of_life": gettext("Quality of life (items 1–8)"),
        "treatment": gettext("Treatment satisfaction (items 9–11)"),
    }
    charts = []
    for key, title in titles.items():
        values = [score[key].value if score[key] else None for score in per_session]
        svg = domain_chart_svg(values, labels=labels, title=title, point_names=names, scores=True)
        charts.append(ScoreChart(key=key, title=title, values=values, svg=svg))
    return charts
