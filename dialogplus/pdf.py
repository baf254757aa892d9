"""PDF documents from templates, with WeasyPrint.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0; and
libharfbuzz-subset0, which it uses to embed only the glyphs a document uses)
and a font that covers Cyrillic and the Latin letters of the region's
languages (fonts-dejavu-core: "DejaVu Sans"); `.ci/run` and the Dockerfile
install them. Nothing is fetched over the network or from the disk: the
document's stylesheet is read from this app's static files, and any URL in
the document is refused (the resource is left out, the document still made).
"""

import logging

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

PDF_STYLESHEET = "css/pdf.css"

logger = logging.getLogger(__name__)
# WeasyPrint reports each step of every document at INFO: ten lines per PDF in
# the server log, saying nothing an operator needs. Its warnings still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _refuse(url):
    # WeasyPrint catches the error, logs it and leaves the resource out.
    logger.warning("A PDF document asked for %s; nothing is fetched.", url[:200])
    raise ValueError(f"PDF documents load nothing from outside: {url[:200]}")


def _url_fetcher():
    """A fetcher that fetches nothing.

    WeasyPrint 68 replaced plain fetcher functions by a ``URLFetcher`` class
    whose attributes it reads when a fetch fails (a plain function then
    crashes the whole document); older versions take a function.
    """
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint < 68
        return lambda url, *args, **kwargs: _refuse(url)

    class RefusingFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            _refuse(url)

    return RefusingFetcher()


def pdf_bytes(template_name, context, *, language, time_zone=None):
    """The PDF of ``template_name`` rendered in ``language``.

    ``time_zone``: the clock dates and times are shown on (the clinic's), so a
    document reads the same whoever downloads it; the current one if None.
    The template gets ``pdf_language`` for ``<html lang>``, which also goes
    into the PDF's metadata for screen readers.
    """
    from weasyprint import CSS, HTML  # imported on use: Pango loads with it

    with (
        translation.override(language),
        timezone.override(time_zone or timezone.get_current_timezone()),
    ):
        html = render_to_string(template_name, {**context, "pdf_language": language})
    fetcher = _url_fetcher()
    stylesheet = CSS(filename=finders.find(PDF_STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher)
    # Tagged PDF: headings, tables and lists stay readable with a screen reader.
    return document.write_pdf(stylesheets=[stylesheet], pdf_tags=True)


def pdf_response(template_name, context, *, language, filename, download=False, time_zone=None):
    """An HTTP response carrying the PDF; never cached (it holds patient data).

    ``filename`` must name no person: it is shown in download lists and kept
    in the browser's history of downloads.
    """
    content = pdf_bytes(template_name, context, language=language, time_zone=time_zone)
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    # The document's language, not the interface's (LocaleMiddleware keeps this).
    response["Content-Language"] = language
    return response
