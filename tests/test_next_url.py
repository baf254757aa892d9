"""A ``next`` address leads back into this site and nowhere else, on every page
that takes one (dialogplus.next_url)."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import RequestFactory
from django.urls import reverse

from dialogplus.next_url import is_safe_next, safe_next
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOSTILE = [
    pytest.param("//evil.example/", id="scheme-relative"),
    pytest.param("https://evil.example/", id="another host"),
    pytest.param("http://testserver@evil.example/", id="user-info"),
    pytest.param("javascript:alert(1)", id="javascript"),
    pytest.param("JavaScript:alert(1)", id="javascript capitals"),
    pytest.param("\\\\evil.example", id="backslashes"),
    pytest.param("/\\evil.example", id="slash backslash"),
    pytest.param("/patients/\\evil", id="backslash inside"),
    pytest.param("\x00//evil.example", id="leading NUL"),
    pytest.param("/patients/\x00", id="NUL inside"),
    pytest.param("/patients/\r\nSet-Cookie: a=b", id="header break"),
    pytest.param("\t//evil.example", id="leading tab"),
    pytest.param("data:text/html,<script>alert(1)</script>", id="data"),
    pytest.param("https:///evil.example", id="three slashes"),
]


def request(secure=False):
    return RequestFactory().get("/", secure=secure)


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_next_is_refused(url):
    assert not is_safe_next(request(), url)
    assert safe_next(request(), url) == reverse("home")


@pytest.mark.parametrize(
    "url", ["/patients/", "/patients/?status=all#top", "http://testserver/patients/"]
)
def test_an_address_on_this_site_is_kept(url):
    assert safe_next(request(), url) == url


def test_plain_http_back_to_this_site_is_refused_on_https():
    assert not is_safe_next(request(secure=True), "http://testserver/patients/")
    assert is_safe_next(request(secure=True), "https://testserver/patients/")


def test_nothing_given_is_the_default_and_the_first_safe_candidate_wins():
    assert safe_next(request(), None, "", default="accounts:login") == reverse("accounts:login")
    assert safe_next(request(), "//evil.example/", "/patients/") == "/patients/"


@pytest.mark.parametrize("url", HOSTILE)
def test_the_lock_screen_never_sends_anyone_away(clinician_client, url):
    response = clinician_client.get(reverse("accounts:lock"), {"next": url})

    assert response.status_code == 302
    assert response.url == reverse("home")


@pytest.mark.parametrize("url", HOSTILE)
def test_the_language_picker_ignores_a_hostile_next_and_referer(clinician_client, url):
    response = clinician_client.post(
        reverse("accounts:language"), {"language": "en", "next": url}, HTTP_REFERER=url
    )

    assert response.url == reverse("home")


@pytest.mark.parametrize("url", HOSTILE)
def test_signing_in_with_a_hostile_next_lands_home(anonymous_client, carer_with_consent, url):
    # A carer: no second factor owed, so the sign-in goes straight to ``next``.
    carer_with_consent.language = "en"
    carer_with_consent.save()

    response = anonymous_client.post(
        reverse("accounts:login"),
        {"username": carer_with_consent.email, "password": PASSWORD, "next": url},
    )

    assert response.status_code == 302
    assert response.url == resolve_url(settings.LOGIN_REDIRECT_URL)


def test_signing_in_keeps_a_next_on_this_site(anonymous_client, carer_with_consent):
    carer_with_consent.language = "en"
    carer_with_consent.save()
    target = reverse("accounts:profile")

    response = anonymous_client.post(
        reverse("accounts:login"),
        {"username": carer_with_consent.email, "password": PASSWORD, "next": target},
    )

    assert response.url == target
