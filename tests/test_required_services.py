"""PostgreSQL- and Redis-only tests skip on a laptop and fail where CI requires them."""

from pathlib import Path

import pytest

from tests.required_services import REQUIRE_VARIABLE, missing_services

pytest_plugins = ["pytester"]

NEEDY_TEST = """
import pytest

@pytest.mark.needs("postgres", "redis")
def test_needs_both():
    pass
"""

CONFTEST = """
from tests.required_services import check_item

def pytest_runtest_setup(item):
    check_item(item)

def pytest_configure(config):
    config.addinivalue_line("markers", "needs(*services): needs a service")
"""


@pytest.fixture
def needy(pytester, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    # The inner run imports tests.required_services from this checkout.
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(NEEDY_TEST)
    return pytester


def run(pytester):
    return pytester.runpytest_subprocess("-p", "no:django", "-p", "no:cacheprovider", "-rs")


def test_missing_services_skip_without_the_requirement(needy, monkeypatch):
    monkeypatch.delenv(REQUIRE_VARIABLE, raising=False)
    result = run(needy)
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)*"])


def test_missing_services_fail_when_required(needy, monkeypatch):
    monkeypatch.setenv(REQUIRE_VARIABLE, "1")
    result = run(needy)
    # Failed in setup: reported as an error, which fails the run like a failure.
    result.assert_outcomes(errors=1)
    assert result.ret != 0
    result.stdout.fnmatch_lines([f"*{REQUIRE_VARIABLE}=1 but this test needs PostgreSQL*"])


def test_configured_services_run(needy, monkeypatch):
    monkeypatch.setenv(REQUIRE_VARIABLE, "1")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    run(needy).assert_outcomes(passed=1)


def test_only_the_missing_service_is_named(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert missing_services(["postgres", "redis"]) == ["Redis (REDIS_URL)"]
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    assert missing_services(["postgres"]) == ["PostgreSQL (DATABASE_URL)"]


def test_an_unknown_service_name_is_an_error():
    with pytest.raises(ValueError, match="mysql"):
        missing_services(["mysql"])
