"""How the ratings charts look, on screen and in PDF documents: one definition.

``charts.py`` draws every chart with SVG presentation attributes taken from
here, rather than leaving the look to a stylesheet: WeasyPrint does not apply
the document's stylesheet to an inline SVG, and the Content-Security-Policy
forbids ``style`` attributes and ``<style>`` elements on the page, while
presentation attributes work in both. So the screen, the browser's printout
and the PDF show the same colours, widths and sizes, and the stylesheets
(``static/css/app.css``, ``static/css/pdf.css``) only size the drawing: a
test fails if either paints chart elements itself.

The colours are the app's palette (``--dp-brand`` and ``--dp-muted`` in
``static/css/app.css``; a test keeps them equal).
"""

from django.utils.html import escape
from django.utils.translation import gettext

BRAND = "#1f5f5b"
MUTED = "#4f5d5d"
GRID_COLOUR = "#e4e0d7"

# Sizes in viewBox units: the whole drawing scales to its box.
LABEL_FONT_SIZE = 11

GRID = {"stroke": GRID_COLOUR, "stroke-width": "1"}
AXIS_LABEL = {"font-size": str(LABEL_FONT_SIZE), "fill": MUTED}
LINE = {"fill": "none", "stroke": BRAND, "stroke-width": "2.5"}
DOT = {"fill": BRAND, "r": "4"}
# The table's sparkline: thinner, with a smaller dot, as it is drawn small.
SPARK_LINE = {"fill": "none", "stroke": BRAND, "stroke-width": "2"}
SPARK_DOT = {"fill": BRAND, "r": "2.5"}


def attrs(style):
    """``style`` as SVG attributes, e.g. ``stroke="#1f5f5b" stroke-width="2"``."""
    return " ".join(f'{name}="{escape(value)}"' for name, value in style.items())


def session_labels(sessions):
    """The x axis's short labels (the session number) and the longer names a
    screen reader hears ("Session 3"), one per session, for every chart."""
    labels = [str(session.number) for session in sessions]
    names = [gettext("Session %(number)s") % {"number": session.number} for session in sessions]
    return labels, names
