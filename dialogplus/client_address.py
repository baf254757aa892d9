"""The address a request came from, as far as it can be trusted.

Behind the TLS proxy the README asks for, every request arrives from the
proxy's address (``REMOTE_ADDR``); the person's own address is in
``X-Forwarded-For``, which each proxy extends with the address it saw. Only the
entries added by our own proxies can be believed: a client may send the header
itself, with anything in it. So with ``TRUSTED_PROXIES = N`` (the number of
proxies in front of the app, from the environment; 0 by default) the client is
the N-th entry from the right. With none, or when the header is shorter than
the chain or not an address, ``REMOTE_ADDR`` is the answer.

Sign-in lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``) and every throttle
read the address here.
"""

import ipaddress

from django.conf import settings


def _address(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = header.split(",") if header else []
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
