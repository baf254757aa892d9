"""Absolute links for messages (invitations, reminders, opt-out, the rating link).

Built from ``DIALOGPLUS_PUBLIC_URL``, the address people use, never from the
request that happened to send the message: a task has no request, and a
request's Host header is the sender's, not necessarily the public one.
"""

from django.conf import settings


def absolute_url(path):
    """``path`` (from ``reverse``) on the site's public address."""
    return settings.DIALOGPLUS_PUBLIC_URL.rstrip("/") + path
