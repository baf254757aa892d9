"""`make run`'s process pair (scripts/serve.sh): a dead worker leaves the site up."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "serve.sh"
# Stands in for runserver: lives until it is stopped.
WEB = f"{sys.executable} -c 'import time; time.sleep(60)'"


def start(web, worker):
    return subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        ["bash", str(SCRIPT), web, worker],  # noqa: S607
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def children_of(pid):
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_the_web_server_keeps_serving_when_the_worker_dies_and_says_so():
    process = start(WEB, "exit 3")
    try:
        # The worker is gone at once; the web server must still be running a while later.
        assert wait_for(lambda: children_of(process.pid) and len(children_of(process.pid)) == 1)
        time.sleep(1)
        assert process.poll() is None, process.stderr.read()
    finally:
        os.killpg(process.pid, signal.SIGINT)
        _out, err = process.communicate(timeout=20)
    assert "WARNING: the Celery worker stopped (exit status 3)" in err
    assert "The web server keeps" in err


def test_stopping_stops_both():
    process = start(WEB, WEB)
    assert wait_for(lambda: len(children_of(process.pid)) == 2)
    pids = children_of(process.pid)
    os.killpg(process.pid, signal.SIGINT)
    process.communicate(timeout=20)
    assert process.returncode == 130
    assert wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in pids), timeout=10)


def test_the_web_server_ending_ends_the_run():
    process = start("exit 4", WEB)
    process.communicate(timeout=20)
    assert process.returncode == 4
