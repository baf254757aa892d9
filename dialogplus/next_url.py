"""Where to send someone back to: a ``next`` address, only if it stays on this site.

A ``next`` comes from the query string, a form or a header, so anyone can write
one: a link to another site (``//evil.example``, ``https://evil.example``, a
backslash that some browsers read as a slash), a ``javascript:`` address, or
control characters that browsers strip or that end a header. Django's
``url_has_allowed_host_and_scheme`` refuses the first kinds; control
characters and backslashes anywhere are refused here as well, since no page
of this site has them in its address.
"""

import unicodedata

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(request, url):
    """Whether ``url`` leads to this site (this host; https when the request is)."""
    if not isinstance(url, str) or not url:
        return False
    if "\\" in url or any(unicodedata.category(char) == "Cc" for char in url):
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, *candidates, default="home"):
    """The first of ``candidates`` that leads to this site, else ``default``
    (a URL name or path, as ``redirect`` takes)."""
    for url in candidates:
        if is_safe_next(request, url):
            return url
    return resolve_url(default)
