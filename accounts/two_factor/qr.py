"""What the set-up page shows of a new authenticator app: a QR code and its secret.

The QR code is an inline SVG drawn by segno, so no image is fetched and no
``data:`` URL is needed; it uses presentation attributes only (no ``style``),
which the strict Content-Security-Policy allows.
"""

from base64 import b32encode

import segno
from django.utils.safestring import mark_safe


def qr_svg(url, *, title):
    """``url`` as an inline, accessible SVG QR code (sized by the ``qr-code`` CSS class).

    Black on a white quiet zone whatever the page's colours, so every camera
    reads it. ``title`` is the image's text alternative (segno escapes it).
    """
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=1,
        border=4,
        dark="#000",
        light="#fff",
        title=str(title),
        svgclass="qr-code",
        omitsize=True,
    )
    # segno's markup is ours (numbers and the escaped title): safe to insert.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def secret_groups(device):
    """The app's secret in base32, in groups of four, for typing in by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]
