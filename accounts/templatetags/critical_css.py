"""Inline the stylesheets into the sign-in page.

The sign-in page is the first screen of every first visit. On Slow 3G a
stylesheet costs a whole extra round trip before anything is painted, so that
one page carries its CSS inline (allowed by a hash in the Content-Security-
Policy, never by 'unsafe-inline') and asks the browser to prefetch the files
that every later page links to.
"""

import base64
import hashlib
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

STYLESHEETS = ("vendor/bootstrap/bootstrap.subset.css", "css/app.css")


@lru_cache(maxsize=1)
def _inline_css():
    parts = []
    for name in STYLESHEETS:
        with open(finders.find(name), encoding="utf-8") as handle:
            parts.append(handle.read())
    css = "\n".join(parts).replace("</", "<\\/")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


@register.simple_tag(takes_context=True)
def critical_css(context):
    """The page's CSS in a <style> element, its hash added to the page's CSP."""
    css, source = _inline_css()
    request = context.get("request")
    if request is not None:
        request.csp_style_sources = [*getattr(request, "csp_style_sources", []), source]
    return format_html("<style>{}</style>", mark_safe(css))  # noqa: S308 - our own files


@register.simple_tag
def prefetch_stylesheets():
    """Let the browser fetch the shared stylesheets while the person types."""
    return format_html_join(
        "\n",
        '<link rel="prefetch" href="{}" as="style">',
        ((static(name),) for name in STYLESHEETS),
    )
