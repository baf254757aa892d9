"""Tests that need PostgreSQL or Redis: skipped on a laptop without them, failed in CI.

Mark a test (or a module, through ``pytestmark``) with
``pytest.mark.needs("postgres")`` or ``pytest.mark.needs("postgres", "redis")``.
A service counts as there when its URL is configured: ``DATABASE_URL`` pointing
at PostgreSQL, ``REDIS_URL`` set. With ``DIALOGPLUS_REQUIRE_SERVICES=1`` (set
by ``.ci/run``) a missing one fails the test instead of skipping it, so a CI
machine that lost a server cannot pass by running fewer tests.
"""

import os

import pytest

REQUIRE_VARIABLE = "DIALOGPLUS_REQUIRE_SERVICES"

SERVICES = {
    "postgres": (
        lambda: os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
        "PostgreSQL (DATABASE_URL)",
    ),
    "redis": (lambda: bool(os.environ.get("REDIS_URL")), "Redis (REDIS_URL)"),
}


def missing_services(names):
    """The descriptions of the named services that are not configured."""
    unknown = set(names) - set(SERVICES)
    if unknown:
        raise ValueError(f"unknown service(s) for pytest.mark.needs: {sorted(unknown)}")
    return [SERVICES[name][1] for name in names if not SERVICES[name][0]()]


def check_item(item):
    """Skip or fail ``item`` when a service its ``needs`` marks name is missing."""
    names = [name for mark in item.iter_markers("needs") for name in mark.args]
    missing = missing_services(names)
    if not missing:
        return
    reason = "needs " + " and ".join(missing)
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_VARIABLE}=1 but this test {reason}", pytrace=False)
    pytest.skip(reason)
