"""Shared tablets: idle lock, absolute sign-in limit, the lock screen and sign-out."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from sessions_app.middleware import handover_start
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0
MINUTE = 60
HOUR = 3600


class Clock:
    """Stands in for the ``time`` module that accounts.session_lock reads."""

    def __init__(self):
        self.now = T0

    def time(self):
        return self.now


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("accounts.session_lock.time", SimpleNamespace(time=clock.time)):
        yield clock


@pytest.fixture
def tablet(client_for, clinician, clock):
    """The clinician's signed-in client, its clocks started at T0."""
    client = client_for(clinician)
    assert client.get(reverse("accounts:profile")).status_code == 200
    return client


def lock_url(next_path):
    return f"{reverse('accounts:lock')}?{urlencode({'next': next_path})}"


def test_idle_tablet_is_not_locked_before_the_idle_period(tablet, clock):
    clock.now = T0 + 15 * MINUTE - 1
    assert tablet.get(reverse("accounts:profile")).status_code == 200


def test_idle_tablet_locks_after_the_idle_period(tablet, clock):
    clock.now = T0 + 15 * MINUTE
    path = reverse("patients:list")
    response = tablet.get(path)
    assert response.status_code == 302
    assert response.url == lock_url(path)
    # And it stays locked, even for the next request.
    assert tablet.get(reverse("accounts:profile")).status_code == 302


def test_use_keeps_the_tablet_unlocked(tablet, clock):
    for minutes in (5, 10, 15, 20, 25):
        clock.now = T0 + minutes * MINUTE
        assert tablet.get(reverse("accounts:profile")).status_code == 200


def test_last_seen_is_written_at_most_once_a_minute(tablet, clock):
    seen = tablet.session["dialogplus_last_seen"]
    clock.now = T0 + 30
    tablet.get(reverse("accounts:profile"))
    assert tablet.session["dialogplus_last_seen"] == seen
    clock.now = T0 + MINUTE
    tablet.get(reverse("accounts:profile"))
    assert tablet.session["dialogplus_last_seen"] == T0 + MINUTE


def test_idle_lock_minutes_come_from_settings(tablet, clock, settings):
    settings.DIALOGPLUS_IDLE_LOCK_MINUTES = 2
    clock.now = T0 + 2 * MINUTE
    assert tablet.get(reverse("accounts:profile")).status_code == 302


def test_signed_out_after_the_absolute_limit_even_when_busy(tablet, clock):
    # A request every ten minutes: never idle, yet signed out at 10 hours.
    for minutes in range(10, 600, 10):
        clock.now = T0 + minutes * MINUTE - 1
        assert tablet.get(reverse("accounts:profile")).status_code == 200
    clock.now = T0 + 10 * HOUR
    response = tablet.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in tablet.session
    # Signed out, not locked: the next page asks for a sign-in.
    assert tablet.get(reverse("accounts:profile")).url.startswith(reverse("accounts:login"))


def test_lock_screen_shows_the_name_and_a_password_field(tablet, clock, clinician):
    clock.now = T0 + 20 * MINUTE
    response = tablet.get(lock_url(reverse("accounts:profile")))
    assert response.status_code == 200
    page = response.content.decode()
    assert clinician.full_name in page
    assert 'type="password"' in page
    assert "Switch user" in page


def test_right_password_returns_to_the_same_page(tablet, clock):
    clock.now = T0 + 20 * MINUTE
    path = reverse("patients:list") + "?q=Pe"
    assert tablet.get(path).url == lock_url(path)
    response = tablet.post(reverse("accounts:lock"), {"password": PASSWORD, "next": path})
    assert response.status_code == 302
    assert response.url == path
    assert tablet.get(path).status_code == 200


def test_unlock_never_leaves_the_site(tablet, clock):
    clock.now = T0 + 20 * MINUTE
    tablet.get(reverse("accounts:profile"))
    response = tablet.post(
        reverse("accounts:lock"), {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_wrong_password_stays_locked(tablet, clock):
    clock.now = T0 + 20 * MINUTE
    path = reverse("accounts:profile")
    response = tablet.post(reverse("accounts:lock"), {"password": "wrong", "next": path})
    assert response.status_code == 200
    assert "That password is not right" in response.content.decode()
    assert tablet.get(path).url == lock_url(path)


def test_five_wrong_unlock_passwords_sign_out(tablet, clock):
    clock.now = T0 + 20 * MINUTE
    for _ in range(4):
        tablet.post(reverse("accounts:lock"), {"password": "wrong"})
    assert "_auth_user_id" in tablet.session
    response = tablet.post(reverse("accounts:lock"), {"password": "wrong"})
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in tablet.session


def test_lock_button_locks_at_once(tablet):
    path = reverse("patients:list")
    page = tablet.get(path).content.decode()
    assert f'action="{reverse("accounts:lock_now")}"' in page
    response = tablet.post(reverse("accounts:lock_now"), {"next": path})
    assert response.url == lock_url(path)
    assert tablet.get(path).url == lock_url(path)


def test_idle_cover_is_on_signed_in_pages(tablet):
    page = tablet.get(reverse("patients:list")).content.decode()
    assert 'id="idle-cover"' in page
    assert 'data-idle-lock-seconds="900"' in page


def test_htmx_request_of_a_locked_tablet_gets_hx_redirect(tablet, clock):
    clock.now = T0 + 20 * MINUTE
    page = "http://testserver" + reverse("patients:list")
    response = tablet.post(
        reverse("patients:list"), {"q": "Pe"}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=page
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == lock_url(reverse("patients:list"))
    assert response.content == b""


def test_sign_out_clears_site_data_but_not_cookies(tablet):
    response = tablet.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_switch_user_on_the_lock_screen_signs_out(tablet, clock):
    clock.now = T0 + 20 * MINUTE
    response = tablet.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in tablet.session


def test_lock_screen_works_while_the_tablet_is_handed_over(tablet, clock):
    session = tablet.session
    handover_start(SimpleNamespace(session=session), "ABC123")
    session.save()
    clock.now = T0 + 20 * MINUTE
    rate = "/sessions/ABC123/rate/"
    assert tablet.get(rate).url == lock_url(rate)
    assert tablet.get(lock_url(rate)).status_code == 200
    response = tablet.post(reverse("accounts:lock"), {"password": PASSWORD, "next": rate})
    assert response.url == rate


def test_a_form_sent_from_a_locked_tablet_returns_to_its_page(tablet, clock):
    clock.now = T0 + 20 * MINUTE
    page = "http://testserver" + reverse("patients:list")
    tablet.post(reverse("accounts:lock_now"), HTTP_REFERER=page)
    # lock_now itself is answered while locked; any other form goes to its page.
    response = tablet.post(reverse("patients:list"), {"q": "Pe"}, HTTP_REFERER=page)
    assert response.url == lock_url(reverse("patients:list"))


def test_signing_in_through_the_form_starts_the_clocks(client, clinician, clock, settings):
    settings.SECURE_SSL_REDIRECT = False
    clock.now = T0 + 5 * HOUR
    response = client.post(
        reverse("accounts:login"), {"username": clinician.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["dialogplus_signed_in_at"] == T0 + 5 * HOUR
    assert client.session["dialogplus_locked"] is False
