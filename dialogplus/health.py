"""What ``/healthz`` reports: the state of the database, the cache and the broker.

Each check runs in its own daemon thread and all of them share one deadline, so
a server that does not answer (a firewalled host, a hung connection) makes the
check say "error" after about two seconds instead of hanging the request. Only
the database decides the status code: without it nothing works, while a cache
or broker outage degrades (reminders are rows and wait for the broker).
Details of a failure go to the log, never into the public response.
"""

import logging
import tempfile
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)

DEADLINE_SECONDS = 1.8
# Short socket timeouts for Redis and other brokers, well inside the deadline.
SOCKET_TIMEOUT_SECONDS = 0.8

OK = "ok"
ERROR = "error"


def _check_database():
    # A thread has its own connection: close it, or every check leaks one.
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connections.close_all()


def _redis_ping(url):
    import redis

    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
    )
    try:
        if not client.ping():
            raise RuntimeError("Redis did not answer PONG")
    finally:
        client.close()


def _check_cache():
    cache_settings = settings.CACHES["default"]
    if cache_settings["BACKEND"].endswith("RedisCache"):
        # Django's Redis client has no socket timeout: ping with one instead.
        location = cache_settings["LOCATION"]
        _redis_ping(location[0] if isinstance(location, list | tuple) else location)
        return
    from django.core.cache import cache

    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("cache did not return what was stored")
    finally:
        cache.delete(key)


def _check_filesystem_broker():
    """The embedded broker is a folder: the web server must be able to write there."""
    folder = Path(settings.CELERY_BROKER_FOLDER)
    for sub in ("in", "processed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    # Written beside the queue folders, never inside "in", where the worker
    # would read it as a message.
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-") as probe:
        probe.write(b"ok")
        probe.flush()


def _check_broker():
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        _check_filesystem_broker()
    elif url.startswith(("redis://", "rediss://", "unix://")):
        _redis_ping(url)
    else:
        from kombu import Connection

        with Connection(url, connect_timeout=SOCKET_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1)


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
}


def _run(name, check, results):
    try:
        check()
    except Exception:
        logger.warning("healthz: %s check failed", name, exc_info=True)
        results[name] = ERROR
    else:
        results[name] = OK


def health_state():
    """``{"database": "ok"|"error", "cache": ..., "broker": ...}`` within the deadline."""
    results = {}
    threads = [
        threading.Thread(target=_run, args=(name, check, results), daemon=True)
        for name, check in CHECKS.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + DEADLINE_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    state = {}
    for name in CHECKS:
        if name not in results:
            logger.warning("healthz: %s check timed out", name)
        state[name] = results.get(name, ERROR)
    return state


def health_response():
    """200 when the database answers, 503 otherwise; the body says what is up."""
    state = health_state()
    status = 200 if state["database"] == OK else 503
    response = JsonResponse(state, status=status)
    response["Cache-Control"] = "no-store"
    return response
