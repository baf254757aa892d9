"""A keyed blind index of patients' names: search without the names in clear.

Patients' names are encrypted (a leaked backup must not list who is a
psychiatric patient where), so the database cannot compare them. Instead each
patient has rows of ``PatientNameToken``: an HMAC-SHA256, under a key derived
from the encryption keys (``dialogplus.encryption.blind_index_keys``), of every
prefix of every word of their name after normalising it:

* case-folded, Cyrillic written in Latin letters (Serbian and Macedonian), and
  accents dropped, so "petrovic", "Petrović" and "Петровић" are one word;
* "đ" both as "dj" and as "d", the two ways it is typed without the letter;
* a word with inner punctuation ("Ana-Marija", "O'Brien") as its parts and as
  one word ("anamarija", "obrien").

A search matches a patient when every word typed is the beginning of a word of
their name: "mar pet" finds "Marko Petrović". It no longer finds a name by a
piece from its middle ("etrov"), which an index of prefixes cannot do.

What the index gives away: which patients' names share a beginning, never
what it is. A pseudonymised patient has no index rows (they are found by code
only). The rows are written with the newest key, searched with every listed
key (so search keeps working while keys rotate) and rebuilt by
``rotate_encryption_keys``.
"""

import hashlib
import hmac
import re
import unicodedata

from django.db import transaction
from django.db.models import Q

from dialogplus.encryption import blind_index_keys

# Longer prefixes add rows and nothing a clinician types.
MAX_PREFIX = 24
# A search with more words than this uses the first ones (the form takes 100 characters).
MAX_QUERY_WORDS = 6

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    # Macedonian
    "ѓ": "gj", "ѕ": "dz", "ќ": "kj",
    # Russian and Ukrainian letters seen in names
    "й": "j", "ы": "y", "э": "e", "ю": "ju", "я": "ja", "ё": "e", "щ": "šč",
    "ъ": "", "ь": "", "є": "je", "і": "i", "ї": "ji", "ґ": "g",
}  # fmt: skip
_TO_LATIN = str.maketrans(_CYRILLIC)
_WORD_PART = re.compile(r"[^\W_]+")


def _strip_accents(text):
    if text.isascii():  # most names in a list: lists sort thousands at a time
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text):
    """``text`` as the index compares it: lower case, Latin letters, no accents
    (with "đ" kept, for ``_spellings`` to write both ways)."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    return _strip_accents(text.translate(_TO_LATIN))


def _spellings(word):
    if "đ" not in word:
        return {word}
    return {word.replace("đ", "dj"), word.replace("đ", "d")}


def _name_words(name):
    """Every word of ``name`` the index holds (each whole, not yet its prefixes)."""
    words = set()
    for chunk in fold(name).split():
        parts = _WORD_PART.findall(chunk)
        if len(parts) > 1:
            parts.append("".join(parts))
        for part in parts:
            words |= _spellings(part)
    return words


def _query_words(query):
    """The words typed, each as the set of its spellings; all must match."""
    return [_spellings(part) for part in _WORD_PART.findall(fold(query))][:MAX_QUERY_WORDS]


def _digest(key, text):
    return hmac.new(key, text[:MAX_PREFIX].encode(), hashlib.sha256).hexdigest()


def key_tag(key):
    """A short mark of the index key a row was written with (rotation finds old rows)."""
    return hmac.new(key, b"\x00key tag", hashlib.sha256).hexdigest()[:16]


def name_digests(name, *, key=None):
    """The index entries of ``name`` under ``key`` (the newest key by default)."""
    key = key or blind_index_keys()[0]
    prefixes = {word[:length] for word in _name_words(name) for length in range(1, len(word) + 1)}
    return {_digest(key, prefix) for prefix in prefixes if len(prefix) <= MAX_PREFIX}


def name_matches(query):
    """A condition on ``Patient`` for the patients whose name matches every word
    of ``query`` (see the module's docstring), or ``None`` when it has no word."""
    from .models import PatientNameToken

    words = _query_words(query)
    if not words:
        return None
    keys = blind_index_keys()
    condition = Q()
    for spellings in words:
        digests = {_digest(key, spelling) for key in keys for spelling in spellings}
        condition &= Q(
            id__in=PatientNameToken.objects.filter(digest__in=digests).values("patient_id")
        )
    return condition


def sort_key(name):
    """How lists order names in Python (the database holds only ciphertext):
    by the folded name, so accents and scripts do not split the alphabet."""
    return (fold(name).replace("đ", "dj"), str(name).casefold())


def _rows_for(patients, key):
    from .models import PatientNameToken

    tag = key_tag(key)
    return [
        PatientNameToken(patient_id=patient.pk, digest=digest, key_tag=tag)
        for patient in patients
        if patient.pseudonymised_at is None
        for digest in sorted(name_digests(patient.full_name, key=key))
    ]


def index_patients(patients):
    """(Re)write the index rows of ``patients`` (saved ``Patient`` objects with
    ``full_name`` and ``pseudonymised_at``) with the newest key."""
    from .models import PatientNameToken

    patients = list(patients)
    if not patients:
        return
    key = blind_index_keys()[0]
    with transaction.atomic():
        PatientNameToken.objects.filter(patient_id__in=[p.pk for p in patients]).delete()
        PatientNameToken.objects.bulk_create(_rows_for(patients, key), batch_size=1000)


def patients_named(name, queryset=None):
    """The patients (of ``queryset``) whose full name is exactly ``name``: the
    index narrows them down, the decrypted names decide. For commands and
    tests that know a patient by name; the app finds patients by code."""
    from .models import Patient

    queryset = Patient.objects.all() if queryset is None else queryset
    condition = name_matches(name)
    if condition is None:
        return []
    return [patient for patient in queryset.filter(condition) if patient.full_name == name]


def patient_named(name, queryset=None):
    """The one patient named exactly ``name``; ``Patient.DoesNotExist`` or
    ``MultipleObjectsReturned`` otherwise, like ``QuerySet.get``."""
    from .models import Patient

    found = patients_named(name, queryset)
    if not found:
        raise Patient.DoesNotExist(f"No patient is named {name!r}.")
    if len(found) > 1:
        raise Patient.MultipleObjectsReturned(f"{len(found)} patients are named {name!r}.")
    return found[0]
