"""Write the Serbian Latin catalog from the Serbian Cyrillic one.

Serbian is translated once, in Cyrillic (``locale/sr``); the Latin catalog
(``locale/sr_Latn``) is derived from it letter by letter, so the two scripts
never drift apart. Only translations (``msgstr`` lines, also of obsolete
``#~`` entries) are transliterated; msgids, comments and flags are copied as
they are. The header entry of the existing Latin catalog is kept (it says
``Language: sr_Latn``), except that it is marked fuzzy only when the Cyrillic
header is; without one, the Cyrillic header is used with the language
changed. Running it again gives the same file.

Usage (from the project root)::

    python scripts/sr_latn_from_cyrillic.py            # rewrite locale/sr_Latn
    python scripts/sr_latn_from_cyrillic.py --check    # exit 1 if out of date
    python scripts/sr_latn_from_cyrillic.py SRC.po DEST.po

Run it after every change to ``locale/sr/LC_MESSAGES/django.po`` (for
example after ``makemessages`` and translating the new strings), then
``compilemessages``.
"""

import argparse
import re
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = BASE_DIR / "locale" / "sr" / "LC_MESSAGES" / "django.po"
DEFAULT_TARGET = BASE_DIR / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po"

LOWER = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "ђ": "đ",
    "е": "e",
    "ж": "ž",
    "з": "z",
    "и": "i",
    "ј": "j",
    "к": "k",
    "л": "l",
    "љ": "lj",
    "м": "m",
    "н": "n",
    "њ": "nj",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "ћ": "ć",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "č",
    "џ": "dž",
    "ш": "š",
}
UPPER = {cyr.upper(): lat.capitalize() for cyr, lat in LOWER.items()}
DIGRAPHS = {"Љ", "Њ", "Џ"}


def transliterate(text):
    """Serbian Cyrillic to Latin; Љ, Њ, Џ become LJ, NJ, DŽ inside capitals."""
    out = []
    for i, char in enumerate(text):
        if char in LOWER:
            out.append(LOWER[char])
        elif char in DIGRAPHS:
            after = text[i + 1] if i + 1 < len(text) else ""
            before = text[i - 1] if i > 0 else ""
            # "ЉУБАВ" → "LJUBAV", "Љубав" → "Ljubav", a lone "Џ" after "ПУ" → "DŽ".
            all_caps = after.isupper() or (not after.isalpha() and before.isupper())
            out.append(UPPER[char].upper() if all_caps else UPPER[char])
        elif char in UPPER:
            out.append(UPPER[char])
        else:
            out.append(char)
    return "".join(out)


MSGSTR = re.compile(r"^(#~ )?msgstr(\[\d+\])? ")
CONTINUATION = re.compile(r'^(#~ )?"')
FUZZY = "#, fuzzy"


def split_header(lines):
    """The lines of the header entry (comments included) and the rest."""
    for index, line in enumerate(lines):
        if line.startswith('msgid ""'):
            end = index + 1
            while end < len(lines) and lines[end].strip():
                end += 1
            return lines[:end], lines[end:]
    return [], lines


def convert(source_text, target_text=None):
    """The Latin catalog for ``source_text``, keeping the header of ``target_text``."""
    source_header, body = split_header(source_text.splitlines(keepends=True))
    target_header = split_header(target_text.splitlines(keepends=True))[0] if target_text else []
    if not target_header:
        target_header = [
            line.replace('"Language: sr\\n"', '"Language: sr_Latn\\n"') for line in source_header
        ]
    if not any(line.strip() == FUZZY for line in source_header):
        target_header = [line for line in target_header if line.strip() != FUZZY]
    result = list(target_header)
    in_msgstr = False
    for line in body:
        if MSGSTR.match(line):
            in_msgstr = True
        elif not (in_msgstr and CONTINUATION.match(line)):
            in_msgstr = False
        result.append(transliterate(line) if in_msgstr else line)
    return "".join(result)


def _entries(text):
    """The catalog's translations as comparable tuples (header and comments aside)."""
    import tempfile

    from check_translations import parse_po

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.po"
        path.write_text(text, encoding="utf-8")
        return sorted(
            (e.msgctxt or "", e.msgid, e.msgid_plural or "", sorted(e.msgstr.items(), key=str))
            for e in parse_po(path)
            if e.msgid and not e.is_header
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("target", nargs="?", type=Path, default=DEFAULT_TARGET)
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if the target is stale"
    )
    args = parser.parse_args(argv)

    source_text = args.source.read_text(encoding="utf-8")
    target_text = args.target.read_text(encoding="utf-8") if args.target.exists() else None
    new_text = convert(source_text, target_text)
    if args.check:
        # Compare what the catalogs say, not how lines are wrapped: makemessages
        # rewraps the Latin file its own way.
        if target_text is None or _entries(new_text) != _entries(target_text):
            print(f"{args.target} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    if new_text != target_text:
        args.target.parent.mkdir(parents=True, exist_ok=True)
        args.target.write_text(new_text, encoding="utf-8")
        print(f"wrote {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
