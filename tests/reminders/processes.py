"""Real processes for the integration tests: Celery workers and beat, a
gunicorn web server, a redis-server of the test's own, and an SMS gateway
that de-duplicates on the client reference as real gateways do.

Every process is started by a context manager that stops it in its
``finally``, whatever the test did; waits poll with a deadline, never sleep a
fixed time to decide anything.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def wait_for(predicate, *, timeout=60, every=0.2):
    """Poll ``predicate`` until it is true or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url():
    """The URL of the database pytest-django created, for the child processes."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def app_env(tmp_path, **extra):
    """The environment of a web, worker or beat process of these tests."""
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DIALOGPLUS_VAR_DIR": str(tmp_path),
        "SMS_BACKEND": "file",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "CONN_MAX_AGE": "0",
        "QUIET_HOURS": "off",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DEBUG", None)
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Process:
    """A child process with its log file; ``stop()`` ends it for good."""

    def __init__(self, name, command, env, log_path):
        self.name = name
        self.log_path = log_path
        self._log = log_path.open("a")
        self.popen = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    @property
    def pid(self):
        return self.popen.pid

    def log(self):
        return self.log_path.read_text(errors="replace")

    def kill(self):
        """SIGKILL: no shutdown, no acknowledgement, no cleanup."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self):
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        self._log.close()


@contextlib.contextmanager
def running(process):
    try:
        yield process
    finally:
        process.stop()


def celery(tmp_path, name, *args, env):
    command = [sys.executable, "-m", "celery", "-A", "dialogplus", *args, "--loglevel", "INFO"]
    return Process(name, command, env, tmp_path / f"{name}.log")


def worker(tmp_path, env, *, name="worker", queue=None):
    """``celery worker --pool solo``, on ``queue`` (or the default queue of ``env``)."""
    args = ["worker", "--pool", "solo", "--without-gossip", "--without-mingle"]
    args += ["--without-heartbeat", "--hostname", f"{name}-{uuid.uuid4().hex[:8]}@%h"]
    if queue:
        args += ["--queues", queue]
    return celery(tmp_path, name, *args, env=env)


def beat(tmp_path, env):
    schedule = tmp_path / f"beat-schedule-{uuid.uuid4().hex[:8]}"
    return celery(tmp_path, "beat", "beat", "--schedule", str(schedule), env=env)


def gunicorn(tmp_path, env, port):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "dialogplus.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--worker-class=sync",
        "--workers=2",
        "--timeout=60",
        f"--chdir={BASE_DIR}",
    ]
    return Process("web", command, env, tmp_path / "web.log")


class RedisServer:
    """A redis-server of the test's own, on its own port, that can be stopped
    and started again on the same port (no persistence: a restart loses what
    was queued, as a crash would)."""

    def __init__(self, tmp_path):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.dir = tmp_path / "redis"
        self.dir.mkdir()
        self.tmp_path = tmp_path
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.dir),
        ]
        self.process = Process("redis", command, dict(os.environ), self.tmp_path / "redis.log")
        assert wait_for(self.answers, timeout=20), self.process.log()

    def answers(self):
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return client.ping()
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop(self):
        if self.process is not None:
            self.process.stop()
            self.process = None


class DedupingGateway:
    """An HTTP SMS gateway on 127.0.0.1 that, like real ones, accepts a message
    once per client reference and answers a repeat with the first message's id.

    With ``hold_first``, it accepts the first message and then holds the
    request open until ``release()``: a send that is in flight when its worker
    is killed.
    """

    def __init__(self, *, hold_first=False):
        self.received = []  # every request's reference, in order
        self.delivered = {}  # reference -> (message id, text), first acceptance only
        self.arrived = threading.Event()
        self._release = threading.Event()
        self._hold = hold_first
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                length = int(self.headers["Content-Length"])
                payload = json.loads(self.rfile.read(length))
                reference = self.headers.get("Idempotency-Key") or payload["reference"]
                with gateway._lock:
                    gateway.received.append(reference)
                    first = reference not in gateway.delivered
                    if first:
                        gateway.delivered[reference] = (f"gw-{uuid.uuid4().hex}", payload["text"])
                    hold, gateway._hold = gateway._hold, False
                if hold:
                    gateway.arrived.set()
                    gateway._release.wait(timeout=120)
                body = json.dumps(
                    {"id": gateway.delivered[reference][0], "duplicate": not first}
                ).encode()
                with contextlib.suppress(OSError):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def release(self):
        self._release.set()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)
