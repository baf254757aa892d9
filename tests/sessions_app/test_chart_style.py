"""The charts look the same on screen and in the PDF: one definition of their
style (sessions_app/chart_style.py), and nothing that paints them twice.

These fail when the PDF and the screen disagree: a PDF that restyles the
chart, a stylesheet that paints chart parts on one side only, or a palette
that moved away from the app's.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from dialogplus import pdf
from sessions_app import chart_style
from sessions_app.charts import domain_chart_svg, sparkline_svg
from tests.factories import PatientFactory
from tests.sessions_app.test_pdf import rich_session

pytestmark = pytest.mark.django_db

CSS = Path(settings.BASE_DIR) / "static" / "css"
SPARK = re.compile(r'<svg class="spark".*?</svg>', re.S)
# What a stylesheet must not set on a chart's parts: the chart draws them itself.
PAINT = ("fill", "stroke", "stroke-width", "font-size", "font-family", "color", "opacity", "r")


@pytest.fixture
def open_session(clinic, clinician):
    """A session with last time's ratings to compare with, open at the review."""
    patient = PatientFactory(clinic=clinic, key_clinician=clinician, language="en")
    return rich_session(patient, note="A note.", action="Phone the job centre", finish=False)


@pytest.fixture
def pdf_html(monkeypatch):
    """Catches the HTML each PDF is made from, as WeasyPrint gets it."""
    pages = []
    render = pdf.render_to_string

    def keep(*args, **kwargs):
        html = render(*args, **kwargs)
        pages.append(html)
        return html

    monkeypatch.setattr(pdf, "render_to_string", keep)
    return pages


def test_the_pdf_draws_the_same_trend_lines_as_the_review_screen(
    open_session, clinician_client, pdf_html
):
    screen = clinician_client.get(reverse("sessions:review", args=[open_session.code]))
    response = clinician_client.get(reverse("sessions:summary_pdf", args=[open_session.code]))

    assert screen.status_code == response.status_code == 200
    on_screen = SPARK.findall(screen.content.decode())
    (document,) = pdf_html
    in_pdf = SPARK.findall(document)
    assert len(on_screen) == open_session.scale_version.domains.count()
    assert in_pdf == on_screen


def test_the_pdf_strokes_its_lines_in_the_charts_colour(open_session, clinician_client):
    response = clinician_client.get(reverse("sessions:summary_pdf", args=[open_session.code]))

    reader = PdfReader(io.BytesIO(response.content))
    drawn = b"".join(page.get_contents().get_data() for page in reader.pages).decode("latin-1")
    red, green, blue = (int(chart_style.BRAND[i : i + 2], 16) / 255 for i in (1, 3, 5))
    # WeasyPrint sets the stroke colour with "r g b RG", in 0-1 fractions.
    strokes = [
        tuple(float(part) for part in match)
        for match in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) RG", drawn)
    ]
    assert any(
        abs(r - red) < 0.01 and abs(g - green) < 0.01 and abs(b - blue) < 0.01
        for r, g, b in strokes
    ), strokes


def css_rules(name):
    text = re.sub(r"/\*.*?\*/", "", (CSS / name).read_text(), flags=re.S)
    return re.findall(r"([^{}]+)\{([^{}]*)\}", text)


@pytest.mark.parametrize("stylesheet", ["app.css", "pdf.css"])
def test_no_stylesheet_paints_the_charts(stylesheet):
    """A rule here would change the look on one side only (WeasyPrint ignores
    the document's stylesheet inside an SVG; the screen applies it)."""
    chart_part = re.compile(r"\.(chart|spark)(?![\w-])")
    painted = [
        (selector.strip(), declaration.strip())
        for selector, body in css_rules(stylesheet)
        if chart_part.search(selector)
        for declaration in body.split(";")
        if declaration.split(":")[0].strip() in PAINT
    ]

    assert painted == []


def test_the_charts_colours_are_the_apps_palette():
    variables = dict(re.findall(r"(--dp-[\w-]+):\s*([^;]+);", (CSS / "app.css").read_text()))

    assert variables["--dp-brand"].strip() == chart_style.BRAND
    assert variables["--dp-muted"].strip() == chart_style.MUTED


def test_every_part_of_a_chart_carries_its_style():
    chart = str(domain_chart_svg([3, None, 5], labels=["1", "2", "3"], title="Job"))
    spark = str(sparkline_svg([3, 5]))

    for part, style in [
        ("grid", chart_style.GRID),
        ("axis-label", chart_style.AXIS_LABEL),
        ("line", chart_style.LINE),
        ("dot", chart_style.DOT),
    ]:
        assert f'class="{part}" {chart_style.attrs(style)} ' in chart, part
    assert f'class="line" {chart_style.attrs(chart_style.SPARK_LINE)} ' in spark
    assert f'class="dot" {chart_style.attrs(chart_style.SPARK_DOT)} ' in spark
    assert "style=" not in chart + spark
    assert "<style" not in chart + spark
