"""Write the subset of Bootstrap's CSS that our templates use.

Bootstrap is vendored whole (static/vendor/bootstrap/bootstrap.min.css) but a
cheap tablet on a slow network should not wait for 230 KB of rules it never
applies. This keeps every rule whose selectors use only classes that occur in
our templates, forms and crispy-forms' templates, plus every rule with no
class at all (resets, :root variables), and drops the rest.

Usage:
    python scripts/bootstrap_subset.py          # rewrite bootstrap.subset.css
    python scripts/bootstrap_subset.py --check  # exit 1 if it is out of date

Run it after adding a Bootstrap class to a template; `make test` checks it.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static/vendor/bootstrap/bootstrap.min.css"
TARGET = ROOT / "static/vendor/bootstrap/bootstrap.subset.css"
HEADER = "/* Bootstrap v5.3 (MIT), subset written by scripts/bootstrap_subset.py */\n"

# Classes built at run time from a variable (e.g. alert-{{ message.tags }}).
DYNAMIC = {
    "alert-success",
    "alert-info",
    "alert-warning",
    "alert-danger",
    "is-invalid",
    "is-valid",
    "was-validated",
    "disabled",
    "active",
    "show",
}
CLASS_ATTR = re.compile(r"""class\s*=\s*["']([^"']*)["']""")
# Widget attrs ({"class": "..."}) and crispy-forms layouts (css_class="...").
PY_CLASS = re.compile(r"""(?:["']class["']\s*:|\bcss_class\s*=)\s*["']([^"']+)["']""")
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
TOKEN = re.compile(r"[_a-zA-Z][_a-zA-Z0-9-]*")


def template_dirs():
    dirs = [ROOT / "templates"]
    dirs += [p for p in ROOT.glob("*/templates") if p.is_dir()]
    try:
        import crispy_bootstrap5

        dirs.append(Path(crispy_bootstrap5.__file__).parent / "templates")
    except ImportError:  # pragma: no cover - the dev environment has it
        pass
    return dirs


def used_classes():
    used = set(DYNAMIC)
    for folder in template_dirs():
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            for value in CLASS_ATTR.findall(text):
                used.update(TOKEN.findall(value))
            # crispy templates and ours add classes inside template logic too
            used.update(re.findall(r"\b(?:form|btn|col|row|is|d|mb|mt|ms|me)-[a-z0-9-]+", text))
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts:
            continue
        for value in PY_CLASS.findall(path.read_text(encoding="utf-8")):
            used.update(TOKEN.findall(value))
    return used


def split_blocks(css):
    """Top-level blocks as (prelude, body) pairs; body is None for ``@x ...;``."""
    blocks, depth, start, prelude = [], 0, 0, None
    i = 0
    while i < len(css):
        ch = css[i]
        if ch == "{":
            if depth == 0:
                prelude = css[start:i].strip()
                body_start = i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                blocks.append((prelude, css[body_start:i]))
                start = i + 1
        elif ch == ";" and depth == 0:
            blocks.append((css[start:i].strip(), None))
            start = i + 1
        i += 1
    return blocks


def keep_selector(selector, used):
    classes = CSS_CLASS.findall(selector)
    return all(name in used for name in classes)


def subset(css, used):
    out = []
    for prelude, body in split_blocks(css):
        if body is None:
            if not prelude.startswith("@charset"):
                out.append(prelude + ";")
            continue
        if prelude.startswith(("@media", "@supports", "@container", "@layer")):
            inner = subset(body, used)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            selectors = [s for s in prelude.split(",") if keep_selector(s, used)]
            if selectors:
                out.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(out)


def drop_unused_keyframes(css):
    def used(match):
        name = match.group(1)
        rest = css.replace(match.group(0), "")
        return match.group(0) if re.search(rf"animation[^;}}]*\b{re.escape(name)}\b", rest) else ""

    return re.sub(r"@keyframes\s+([\w-]+)\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", used, css)


def build():
    css = SOURCE.read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return HEADER + drop_unused_keyframes(subset(css, used_classes())) + "\n"


def main(argv):
    result = build()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != result:
            name = TARGET.relative_to(ROOT)
            print(f"{name} is out of date: run python scripts/bootstrap_subset.py")
            return 1
        print("Bootstrap subset is up to date.")
        return 0
    TARGET.write_text(result, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(result)} bytes from {SOURCE.stat().st_size}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
