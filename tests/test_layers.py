"""The apps' one-way layers (docs/architecture.md), as import-linter checks them.

``make test`` runs ``lint-imports`` on the tree; these tests show the contract
holds today and that it does fail when an app imports from a layer above it.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _config():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _lint(cwd):
    return subprocess.run(  # noqa: S603 (our own lint-imports, fixed arguments)
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_tree(tmp_path):
    for package in _config()["root_packages"]:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")


def test_every_app_is_in_a_layer():
    """An app left out of the contract could import anything unnoticed."""
    config = _config()
    layered = {
        name.strip()
        for contract in config["contracts"]
        if contract["type"] == "layers"
        for layer in contract["layers"]
        for name in layer.split("|")
    }
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps, "no apps found"
    assert apps <= layered
    assert set(config["root_packages"]) == layered


def test_the_apps_import_only_downwards():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "message"),
    [
        (
            "accounts/_upward.py",
            "from patients import models\n",
            "accounts is not allowed to import patients",
        ),
        (
            "sessions_app/_upward.py",
            "def later():\n    from reminders import services\n",
            "sessions_app is not allowed to import reminders",
        ),
        (
            "dialogplus/_upward.py",
            "import audit.models\n",
            "dialogplus is not allowed to import audit",
        ),
        (
            "patients/_upward.py",
            "from records import export\n",
            "patients is not allowed to import records",
        ),
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, line, message):
    """The same tree with one import pointing up, even one inside a function, fails."""
    _copy_tree(tmp_path)
    (tmp_path / module).write_text(line)
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert message in result.stdout


def test_independent_siblings_do_not_import_each_other(tmp_path):
    _copy_tree(tmp_path)
    (tmp_path / "staff" / "_sideways.py").write_text("from sessions_app import models\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "staff is not allowed to import sessions_app" in result.stdout
