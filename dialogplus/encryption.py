"""Field encryption at rest: clinical free text and contact details.

A leaked database backup must not read like a case file. Values of the
``Encrypted*Field`` columns are stored as Fernet tokens (AES-128-CBC with an
HMAC-SHA256, a timestamp and a random IV) under the keys listed in
``DIALOGPLUS_ENCRYPTION_KEYS``, newest first:

* new values are always encrypted with the first key;
* any listed key decrypts, so a new key can be put in front while old rows
  still read; ``python manage.py rotate_encryption_keys`` then re-encrypts
  every row with the new key, after which the old key can be dropped.

The empty string stays empty (an empty note is not a secret, and forms test
for it). Encrypted columns cannot be searched or ordered by their content.
Names that must stay searchable get a keyed blind index beside them
(``blind_index_keys`` below; patients/name_index.py).
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact

# Every Fernet token starts with its version byte 0x80, base64 "gAAAAA".
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - a format marker, not a secret


class DecryptionError(Exception):
    """A stored value that none of the configured keys opens."""


def key_from_secret(secret):
    """A Fernet key derived from a passphrase (development only: ``make run``)."""
    digest = hashlib.sha256(b"dialogplus field encryption\x00" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


@cache
def _fernet_for(keys):
    if not keys:
        raise ImproperlyConfigured("DIALOGPLUS_ENCRYPTION_KEYS lists no key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "Each key in DIALOGPLUS_ENCRYPTION_KEYS must be 32 url-safe base64-encoded "
            "bytes (python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        ) from exc


def _fernet():
    return _fernet_for(tuple(settings.DIALOGPLUS_ENCRYPTION_KEYS))


# The label makes the index key a different key from the Fernet key it comes
# from: knowing one HMAC of the index tells nothing about the encryption.
BLIND_INDEX_LABEL = b"dialogplus blind index v1"


@cache
def _blind_index_keys_for(keys):
    _fernet_for(keys)  # the same clear message for a missing or malformed key
    derived = []
    for key in keys:
        raw = base64.urlsafe_b64decode(key.encode())
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=BLIND_INDEX_LABEL)
        derived.append(hkdf.derive(raw))
    return tuple(derived)


def blind_index_keys():
    """The HMAC keys of the blind indexes, newest first: one derived (HKDF with a
    fixed label) from each key in ``DIALOGPLUS_ENCRYPTION_KEYS``.

    Derived rather than a setting of their own, so there is one secret to keep
    and to rotate: index rows are written with the first key, searched with
    all of them while a rotation runs, and rebuilt by ``rotate_encryption_keys``.
    """
    return _blind_index_keys_for(tuple(settings.DIALOGPLUS_ENCRYPTION_KEYS))


def encrypt(text):
    if text is None or text == "":
        return text
    return _fernet().encrypt(str(text).encode()).decode()


def _open_with(operation, stored):
    """``operation`` (MultiFernet.decrypt or .rotate) on a stored token, with one
    error for a value that no configured key opens."""
    try:
        return operation(stored.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError(
            "A stored value does not open with any key in DIALOGPLUS_ENCRYPTION_KEYS."
        ) from exc


def decrypt(stored):
    if stored is None or stored == "":
        return stored
    if not stored.startswith(TOKEN_PREFIX):
        # Written before the column was encrypted (the migration that
        # encrypts it reads it once this way).
        return stored
    return _open_with(_fernet().decrypt, stored)


def rotate(stored):
    """``stored`` re-encrypted with the newest key (plaintext is encrypted)."""
    if stored is None or stored == "":
        return stored
    if not stored.startswith(TOKEN_PREFIX):
        return encrypt(stored)
    return _open_with(_fernet().rotate, stored)


def is_current(stored):
    """Whether ``stored`` is empty or a token made with the newest key."""
    if not stored:
        return True
    if not stored.startswith(TOKEN_PREFIX):
        return False
    newest = Fernet(settings.DIALOGPLUS_ENCRYPTION_KEYS[0].encode())
    try:
        newest.decrypt(stored.encode())
    except InvalidToken:
        return False
    return True


class EmptyOnlyExact(Exact):
    """``field=""`` works on an encrypted column; ``field="some text"`` cannot.

    Each encryption of a text differs (a random IV), so an equality test on
    content would silently match nothing: it is refused instead.
    """

    def get_prep_lookup(self):
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise ValueError(
                f"{self.lhs.target.model.__name__}.{self.lhs.target.name} is encrypted: "
                "only an empty value can be looked up; compare texts after reading them."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """A text column whose content is stored encrypted.

    ``max_length`` is checked by forms and ``full_clean()`` on the plaintext;
    the column itself is unbounded text, since a token is longer than its text.
    """

    encrypted = True
    form_class = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value)

    def get_db_prep_save(self, value, connection):
        # get_prep_value is where the value is encrypted; never twice.
        return models.Field.get_db_prep_save(self, value, connection)

    def formfield(self, **kwargs):
        if self.form_class is not None:
            kwargs.setdefault("form_class", self.form_class)
            # TextField.formfield would force a Textarea on every form class.
            return models.Field.formfield(self, max_length=self.max_length, **kwargs)
        return super().formfield(**kwargs)

    def get_lookup(self, lookup_name):
        # Only "is it empty / missing" can be asked of a ciphertext.
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None


class EncryptedCharField(EncryptedTextField):
    """One line of encrypted text (a name, an action, a phone number)."""

    form_class = forms.CharField


class EncryptedEmailField(EncryptedTextField):
    form_class = forms.EmailField
    default_validators = [validators.validate_email]


def encrypted_fields(model):
    return [field for field in model._meta.concrete_fields if getattr(field, "encrypted", False)]
