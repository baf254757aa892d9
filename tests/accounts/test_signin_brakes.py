"""The person's address behind a proxy, a brake per address and a growing delay per account."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import signin_throttle
from dialogplus.client_address import client_address
from tests.factories import PASSWORD, ClinicianFactory

pytestmark = pytest.mark.django_db

PROXY = "10.9.9.9"


@pytest.fixture
def login_client(settings):
    settings.SECURE_SSL_REDIRECT = False
    return Client()


def sign_in(client, email, password, *, address="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def address_of(settings, proxies, *, remote, forwarded=None):
    settings.TRUSTED_PROXIES = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


# --- the address -----------------------------------------------------------------


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    assert address_of(settings, 0, remote="203.0.113.5", forwarded="198.51.100.1") == (
        "203.0.113.5"
    )


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote(settings):
    # The client forged "1.1.1.1"; our proxy appended the address it really saw.
    assert address_of(settings, 1, remote=PROXY, forwarded="1.1.1.1, 198.51.100.7") == (
        "198.51.100.7"
    )
    assert address_of(settings, 2, remote=PROXY, forwarded="1.1.1.1, 198.51.100.7, 10.0.0.3") == (
        "198.51.100.7"
    )


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "198.51.100.7"])
def test_a_missing_short_or_broken_header_falls_back_to_the_connection(settings, forwarded):
    proxies = 2 if forwarded == "198.51.100.7" else 1
    assert address_of(settings, proxies, remote=PROXY, forwarded=forwarded) == PROXY


def test_behind_a_proxy_the_lockout_is_per_person_not_per_proxy(settings, login_client):
    settings.TRUSTED_PROXIES = 1
    victim = ClinicianFactory(email="ana@clinic.test")
    for _ in range(5):
        sign_in(login_client, victim.email, "wrong", address=PROXY, forwarded="198.51.100.66")
    attempt = AccessAttempt.objects.get(username="ana@clinic.test")
    assert attempt.ip_address == "198.51.100.66"
    cache.clear()  # the account's delay is another test's subject

    # Ana herself, at the clinic, behind the same proxy: not locked out.
    sign_in(login_client, victim.email, PASSWORD, address=PROXY, forwarded="203.0.113.10")
    assert signed_in(login_client)


# --- the address brake -----------------------------------------------------------


def test_many_failures_from_one_address_pause_that_address_only(settings, login_client):
    settings.SIGNIN_ADDRESS_LIMIT = 6
    person = ClinicianFactory(email="ivo@clinic.test")
    for n in range(6):
        sign_in(login_client, f"guess{n}@clinic.test", "wrong", address="198.51.100.9")

    response = sign_in(login_client, person.email, PASSWORD, address="198.51.100.9")
    assert response.status_code == 429
    assert "Too many wrong passwords from this network." in response.content.decode()
    assert not signed_in(login_client)

    sign_in(login_client, person.email, PASSWORD, address="198.51.100.10")
    assert signed_in(login_client)


# --- the account delay -------------------------------------------------------------


def test_failures_on_one_account_from_many_addresses_slow_it_down_not_lock_it(
    settings, login_client, monkeypatch
):
    settings.SIGNIN_ACCOUNT_FREE_FAILURES = 5
    clock = [1_000_000.0]
    monkeypatch.setattr(signin_throttle.time, "time", lambda: clock[0])
    person = ClinicianFactory(email="mila@clinic.test")
    # Five guesses from five addresses: no pair reaches the axes limit.
    for n in range(5):
        sign_in(login_client, person.email, "wrong", address=f"198.51.100.{n + 1}")

    # The sixth try must wait; even the right password is not looked at.
    response = sign_in(login_client, person.email, PASSWORD, address="203.0.113.1")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in to this account is paused after several wrong passwords." in page
    assert 'value="mila@clinic.test"' in page  # the email stays typed
    assert not signed_in(login_client)
    # Not looked at: a wrong password during the pause is no failure for axes either.
    paused = sign_in(login_client, person.email, "wrong", address="203.0.113.2")
    assert paused.status_code == 429
    assert not AccessAttempt.objects.filter(ip_address="203.0.113.2").exists()

    # The delay doubles with each failure ...
    clock[0] += 1.5
    sign_in(login_client, person.email, "wrong", address="198.51.100.50")
    assert signin_throttle.signin_wait(address="x", email=person.email, now=clock[0]) == (2, False)
    clock[0] += 2.5
    sign_in(login_client, person.email, "wrong", address="198.51.100.51")
    assert signin_throttle.signin_wait(address="x", email=person.email, now=clock[0]) == (4, False)

    # ... but never past the cap, after which the person signs in.
    settings.SIGNIN_MAX_DELAY = timedelta(seconds=8)
    for n in range(3):
        clock[0] += 10
        sign_in(login_client, person.email, "wrong", address=f"198.51.101.{n}")
    cap = settings.SIGNIN_MAX_DELAY.total_seconds()
    assert signin_throttle.signin_wait(address="x", email=person.email, now=clock[0]) == (
        cap,
        False,
    )
    clock[0] += cap + 1
    sign_in(login_client, person.email, PASSWORD, address="203.0.113.1")
    assert signed_in(login_client)
    assert signin_throttle.signin_wait(address="x", email=person.email, now=clock[0]) == (0, False)


def test_a_try_during_the_wait_does_not_lengthen_it(settings, login_client, monkeypatch):
    settings.SIGNIN_ACCOUNT_FREE_FAILURES = 5
    clock = [2_000_000.0]
    monkeypatch.setattr(signin_throttle.time, "time", lambda: clock[0])
    person = ClinicianFactory(email="zora@clinic.test")
    for n in range(6):
        clock[0] += 100  # each failure after the last one's wait
        sign_in(login_client, person.email, "wrong", address=f"198.51.100.{n + 1}")
    wait, _ = signin_throttle.signin_wait(address="x", email=person.email, now=clock[0])
    assert wait == 2
    for _ in range(10):
        assert (
            sign_in(login_client, person.email, "wrong", address="198.51.100.99").status_code == 429
        )
    assert signin_throttle.signin_wait(address="x", email=person.email, now=clock[0]) == (2, False)
