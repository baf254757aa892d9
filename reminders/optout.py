"""Opt-out links: short, public, signed and unguessable.

Every reminder to a patient or a carer ends with a link like
``https://clinic.example/s/AbCd3fGh-kLmN0pQ`` (16 characters after ``/s/``,
short enough for an SMS). The first half is a random key stored on the
recipient's preference; the second half is an HMAC of it under the site's
``SECRET_KEY``. So the link names nobody and holds no id; it cannot be guessed
(96 bits between the two halves); and a copy of the database without the
secret key does not make working links. A link stays valid for as long as
its recipient exists, because a reminder sent months ago may be the one at
hand when someone wants them to stop.
"""

import base64

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from dialogplus.links import absolute_url

from .models import OPT_OUT_KEY_BYTES, CarerContactPreference, ContactPreference, new_opt_out_key

KEY_SALT = "dialogplus.reminders.opt-out"
SIGNATURE_BYTES = 6
# Both halves are URL-safe base64 of whole 3-byte groups: no padding.
KEY_LENGTH = OPT_OUT_KEY_BYTES * 4 // 3
TOKEN_LENGTH = KEY_LENGTH + SIGNATURE_BYTES * 4 // 3


def _signature(key, secret):
    digest = salted_hmac(KEY_SALT, key, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).decode()


def ensure_key(preference):
    """The preference's stored key, made (and saved) on first use."""
    if not preference.opt_out_key:
        preference.opt_out_key = new_opt_out_key()
        preference.save(update_fields=["opt_out_key", "updated_at"])
    return preference.opt_out_key


def token_for(preference):
    key = ensure_key(preference)
    return key + _signature(key, settings.SECRET_KEY)


def url_for(preference):
    """The absolute opt-out link of a patient's or a carer's preference."""
    path = reverse("optout:stop", kwargs={"token": token_for(preference)})
    return absolute_url(path)


def preference_for_token(token):
    """The ``ContactPreference`` or ``CarerContactPreference`` a token was made
    for, or None for anything forged, mangled or no longer there."""
    if len(token) != TOKEN_LENGTH:
        return None
    key, signature = token[:KEY_LENGTH], token[KEY_LENGTH:]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(signature, _signature(key, s)) for s in secrets):
        return None
    for model, related in (
        (ContactPreference, ["patient__clinic"]),
        (CarerContactPreference, ["carer__patient__clinic"]),
    ):
        preference = model.objects.select_related(*related).filter(opt_out_key=key).first()
        if preference is not None:
            return preference
    return None
