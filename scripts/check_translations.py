"""Fail when the interface is not fully translated.

Every language of ``dialogplus.languages.LANGUAGE_CODES`` but English needs
``locale/<locale>/LC_MESSAGES/django.po``; in every catalog under ``locale/``
(English excepted: its msgids are the text) no entry may be fuzzy or have an
empty translation. Obsolete entries (``#~``) and the header are ignored.

Run: ``python scripts/check_translations.py`` (exit 1 with a list of problems).
"""

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from django.utils.translation import to_locale  # noqa: E402

from dialogplus.languages import LANGUAGE_CODES  # noqa: E402

LOCALE_DIR = BASE_DIR / "locale"
SOURCE_LANGUAGE = "en"


@dataclass
class Entry:
    line: int
    flags: set = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict = field(default_factory=dict)  # {None: str} or {index: str}

    @property
    def is_header(self):
        return self.msgid == "" and self.msgctxt is None

    def problems(self, nplurals=None):
        if self.msgid is None or self.is_header:
            return []
        label = repr(self.msgid if len(self.msgid) <= 60 else self.msgid[:57] + "...")
        found = []
        if "fuzzy" in self.flags:
            found.append(f"line {self.line}: fuzzy: {label}")
        missing_forms = (
            self.msgid_plural is not None and nplurals is not None and len(self.msgstr) < nplurals
        )
        if not self.msgstr or missing_forms or any(not text for text in self.msgstr.values()):
            found.append(f"line {self.line}: untranslated: {label}")
        return found


def _unquote(text, path, number):
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError) as exc:
        raise ValueError(f"{path}:{number}: cannot read string {text!r}") from exc
    if not isinstance(value, str):
        raise ValueError(f"{path}:{number}: not a string: {text!r}")
    return value


def parse_po(path):
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr[n], flags.

    A minimal reader of the gettext format as makemessages writes it:
    keywords followed by one or more quoted lines, comments starting with #.
    """
    entries = []
    entry = None
    target = None  # (attribute, plural index) that continuation lines extend

    def start(number):
        nonlocal entry
        if entry is None or entry.msgid is not None and entry.msgstr:
            entry = Entry(line=number)
            entries.append(entry)
        return entry

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        if line.startswith("#~"):
            # Obsolete: kept by msgmerge for reference, not part of the catalog.
            entry, target = None, None
            continue
        if line.startswith("#,"):
            current = start(number)
            current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            start(number)
            continue
        if line.startswith('"'):
            if entry is None or target is None:
                raise ValueError(f"{path}:{number}: string outside an entry")
            text = _unquote(line, path, number)
            attribute, index = target
            if attribute == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, attribute, getattr(entry, attribute) + text)
            continue
        keyword, _space, rest = line.partition(" ")
        text = _unquote(rest.strip(), path, number)
        if keyword == "msgctxt":
            current = start(number)
            current.msgctxt, target = text, ("msgctxt", None)
        elif keyword == "msgid":
            current = start(number)
            if current.msgid is not None:
                # A msgid right after a msgstr begins the next entry.
                current = Entry(line=number)
                entries.append(current)
                entry = current
            current.msgid, target = text, ("msgid", None)
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = text, ("msgid_plural", None)
        elif keyword == "msgstr":
            entry.msgstr[None], target = text, ("msgstr", None)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[7:-1])
            entry.msgstr[index], target = text, ("msgstr", index)
        else:
            raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
    return [e for e in entries if e.msgid is not None]


def _nplurals(entries):
    """The number of plural forms the catalog's header declares, or None."""
    for entry in entries:
        if entry.is_header:
            match = re.search(r"nplurals\s*=\s*(\d+)", entry.msgstr.get(None, ""))
            return int(match.group(1)) if match else None
    return None


def check(locale_dir=LOCALE_DIR, language_codes=LANGUAGE_CODES):
    """Every problem found, as lines of text; empty when all is translated."""
    problems = []
    for code in language_codes:
        if code == SOURCE_LANGUAGE:
            continue
        catalog = locale_dir / to_locale(code) / "LC_MESSAGES" / "django.po"
        if not catalog.is_file():
            problems.append(f"{catalog.relative_to(BASE_DIR)}: missing (language {code})")
    for path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        if path.parent.parent.name == SOURCE_LANGUAGE:
            continue
        try:
            entries = parse_po(path)
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(f"{path.relative_to(BASE_DIR)}: unreadable: {exc}")
            continue
        nplurals = _nplurals(entries)
        for entry in entries:
            for problem in entry.problems(nplurals):
                problems.append(f"{path.relative_to(BASE_DIR)}: {problem}")
    return problems


def main():
    problems = check()
    if problems:
        sys.stderr.write("Translations are incomplete:\n")
        for problem in problems:
            sys.stderr.write(f"  {problem}\n")
        sys.stderr.write(f"{len(problems)} problem(s).\n")
        return 1
    sys.stdout.write("Translations complete.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
