"""What the bench scripts share: their own database, a gunicorn server, an HTTP client.

The bench never touches the development database: it uses a SQLite file under
``var/bench`` (or ``$DIALOGPLUS_BENCH_DIR``), or, when DATABASE_URL is set, a
database of the same server whose name ends in ``_bench``. The server runs as
in production (gunicorn sync workers, DEBUG off) with ``bench.settings``, which
adds bare reference views beside the app's own URLs.
"""

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("DIALOGPLUS_BENCH_DIR", BASE_DIR / "var" / "bench"))
PASSWORD = "bench-password-not-secret"
CLINICIAN_EMAIL = "clinician@bench.test"
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


def _bench_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "dialogplus"
    if not name.endswith("_bench"):
        name += "_bench"
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


# Fixed at import, before setup_django() points DATABASE_URL at it.
BENCH_DATABASE_URL = os.environ.get("DIALOGPLUS_BENCH_DATABASE_URL") or _bench_database_url()


def bench_env():
    """The environment of the bench server and of the scripts' own Django."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            # Throwaway: a new one each run, only for this local server.
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or _random_key(),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "DATABASE_URL": BENCH_DATABASE_URL,
            "DIALOGPLUS_VAR_DIR": str(BENCH_DIR),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(BASE_DIR),
        }
    )
    return env


def _random_key():
    import secrets

    key = secrets.token_urlsafe(48)
    os.environ["BENCH_SECRET_KEY"] = key  # the server and this process agree
    return key


def _ensure_postgres_database(url):
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or ""),
        dbname="postgres",
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def setup_django():
    """Point this process at the bench database and set Django up."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(bench_env())
    if os.environ["DATABASE_URL"].startswith(("postgres", "pgsql")):
        _ensure_postgres_database(os.environ["DATABASE_URL"])
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def prepare_database():
    """Migrate, collect static files (DEBUG is off) and seed the large clinic."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from bench import seed_large

    return seed_large.seed()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(workers=WORKERS):
    """A production-like server on a free port; yields its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "dialogplus.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--worker-class=sync",
        f"--workers={workers}",
        "--log-level=warning",
        f"--chdir={BASE_DIR}",
    ]
    process = subprocess.Popen(command, env=bench_env(), cwd=BASE_DIR)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, process)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base_url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(base_url + "/healthz", timeout=2) as response,  # noqa: S310
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{base_url} did not answer /healthz within {timeout} s")


class _LocalCookiePolicy(DefaultCookiePolicy):
    # With DEBUG off the cookies are Secure; this client talks plain HTTP to a
    # local server, as a TLS-terminating proxy would.
    def return_ok_secure(self, cookie, request):
        return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Response:
    def __init__(self, status, headers, body, seconds):
        self.status = status
        self.headers = headers
        self.body = body
        self.seconds = seconds

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Client:
    """A cookie-keeping HTTP client (urllib only) that does not follow redirects."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = CookieJar(policy=_LocalCookiePolicy())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def cookie(self, name):
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - our own local server
            self.base_url + path, data=body, headers=headers or {}
        )
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                payload = response.read()
                status, response_headers = response.status, response.headers
        except urllib.error.HTTPError as error:  # 3xx, 4xx and 5xx
            payload = error.read()
            status, response_headers = error.code, error.headers
        return Response(status, response_headers, payload, time.perf_counter() - started)

    def get(self, path, headers=None):
        return self.request(path, headers=headers)

    def post(self, path, data, headers=None):
        token = self.cookie("csrftoken") or ""
        headers = {"X-CSRFToken": token, **(headers or {})}
        return self.request(path, data={"csrfmiddlewaretoken": token, **data}, headers=headers)


class _FormParser(HTMLParser):
    """The inputs of the first form that has a password field."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"action": attrs.get("action") or "", "inputs": []}
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None:
            self._current["inputs"].append(attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def login(client, login_path, email=CLINICIAN_EMAIL, password=PASSWORD):
    """Sign in through the real login form: its CSRF token, its field names."""
    page = client.get(login_path)
    if page.status != 200:
        raise RuntimeError(f"login page answered {page.status}")
    parser = _FormParser()
    parser.feed(page.text)
    form = next(
        (f for f in parser.forms if any(i.get("type") == "password" for i in f["inputs"])), None
    )
    if form is None:
        raise RuntimeError("no login form with a password field")
    data = {}
    for field in form["inputs"]:
        name, kind = field.get("name"), field.get("type", "text")
        if not name:
            continue
        if kind == "password":
            data[name] = password
        elif kind in ("email", "text") or name in ("username", "email", "login"):
            data[name] = email
        elif kind in ("hidden", "submit"):
            data[name] = field.get("value", "")
    target = urllib.parse.urlsplit(urllib.parse.urljoin(login_path, form["action"]))
    path = target.path + (f"?{target.query}" if target.query else "")
    response = client.request(path, data=data)
    location = response.headers.get("Location", "")
    if response.status not in (302, 303) or login_path in location:
        raise RuntimeError(f"login failed: {response.status} {location or response.text[:200]}")
    return response


def summarize(seconds):
    """(median ms, p95 ms) of a list of durations in seconds."""
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return statistics.median(ms), p95
