"""PDF documents from templates, with WeasyPrint.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0) and a font
that covers Cyrillic and the Latin letters of the region's languages
(fonts-dejavu-core); `.ci/run` and the Dockerfile install them. Nothing is
fetched over the network: the document's stylesheet is read from this app's
static files, and any other URL is refused.
"""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

PDF_STYLESHEET = "css/pdf.css"


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"PDF documents load nothing from outside: {url}")


def pdf_bytes(template_name, context, *, language):
    """The PDF of ``template_name`` rendered in ``language``."""
    from weasyprint import CSS, HTML  # imported on use: Pango loads with it

    with translation.override(language):
        html = render_to_string(template_name, {**context, "pdf_language": language})
    stylesheet = CSS(filename=finders.find(PDF_STYLESHEET))
    document = HTML(string=html, url_fetcher=_refuse_fetch)
    return document.write_pdf(stylesheets=[stylesheet])


def pdf_response(template_name, context, *, language, filename, download=False):
    """An HTTP response carrying the PDF; never cached (it holds patient data)."""
    response = HttpResponse(pdf_bytes(template_name, context, language=language), "application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
