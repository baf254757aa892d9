"""DIALOGPLUS_VAR_DIR: a value in .env counts, and importing the settings makes no folder."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = (
    "import dialogplus.settings as s; "
    "print(s.VAR_DIR); print(s.DATABASES['default']['NAME']); print(s.EMAIL_FILE_PATH)"
)


def _settings_in(tmp_path, env_file):
    """Import a copy of the settings whose .env is ``env_file``; its printed paths."""
    checkout = tmp_path / "checkout"
    shutil.copytree(
        ROOT / "dialogplus", checkout / "dialogplus", ignore=shutil.ignore_patterns("__pycache__")
    )
    (checkout / ".env").write_text(env_file)
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=checkout,
        env={"PYTHONPATH": str(checkout), "PATH": "/usr/bin:/bin", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return checkout, result.stdout.split()


def test_var_dir_from_env_file_is_honoured_and_not_created(tmp_path):
    var_dir = tmp_path / "elsewhere" / "var"
    checkout, (printed_var, database, outbox) = _settings_in(
        tmp_path, f"DEBUG=1\nDIALOGPLUS_VAR_DIR={var_dir}\n"
    )
    assert Path(printed_var) == var_dir
    assert Path(database) == var_dir / "db.sqlite3"
    assert Path(outbox) == var_dir / "outbox"
    assert not var_dir.exists()
    assert not (checkout / "var").exists()


def test_default_var_dir_is_beside_the_code_and_not_created(tmp_path):
    checkout, (printed_var, database, _outbox) = _settings_in(tmp_path, "DEBUG=1\n")
    assert Path(printed_var) == checkout / "var"
    assert Path(database) == checkout / "var" / "db.sqlite3"
    assert not (checkout / "var").exists()


def test_sqlite_makes_its_folder_when_it_first_connects(tmp_path):
    from dialogplus.sqlite.base import DatabaseWrapper

    folder = tmp_path / "new" / "var"
    wrapper = DatabaseWrapper({"NAME": str(folder / "db.sqlite3"), **_SQLITE_DEFAULTS})
    # Straight to the driver: no Django connection of the test run is involved.
    connection = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        assert (folder / "db.sqlite3").exists()
    finally:
        connection.close()


_SQLITE_DEFAULTS = {
    "ENGINE": "dialogplus.sqlite",
    "USER": "",
    "PASSWORD": "",
    "HOST": "",
    "PORT": "",
    "OPTIONS": {},
    "TIME_ZONE": None,
    "CONN_MAX_AGE": 0,
    "CONN_HEALTH_CHECKS": False,
    "AUTOCOMMIT": True,
    "ATOMIC_REQUESTS": False,
    "TEST": {},
}
