"""A forgotten password: the link by email, choosing a new one, and that the
second factor still stands afterwards. Also the password rules of settings."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.two_factor import password_reset
from tests.conftest import totp_code, totp_device_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "walk the dog to the river"


def html(response):
    return response.content.decode()


@pytest.fixture(autouse=True)
def fresh_cache():
    # The hourly limit on reset emails is counted in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client_for):
    return client_for("anonymous")


@pytest.fixture
def sent_languages(monkeypatch):
    """The language active as each reset email is built and sent."""
    languages = []
    real = password_reset.PasswordResetForm.send_mail

    def send(form, *args, **kwargs):
        languages.append(translation.get_language())
        return real(form, *args, **kwargs)

    monkeypatch.setattr(password_reset.PasswordResetForm, "send_mail", send)
    return languages


def ask_for_link(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def link_in(message):
    return re.search(r"https?://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


def choose_password(client, link, password=NEW_PASSWORD):
    """Open the link from the email, then send the new password twice."""
    form_page = client.get(link)
    assert form_page.status_code == 302  # the token moves from the address to the session
    return client.post(
        form_page.url, {"new_password1": password, "new_password2": password}
    ), form_page.url


def sign_in(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_the_sign_in_page_links_to_the_reset(client):
    page = html(client.get(reverse("accounts:login")))

    assert f'href="{reverse("accounts:password_reset")}"' in page
    assert "Forgot your password?" in page


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, clinician):
    known = ask_for_link(client, clinician.email.upper())
    unknown = ask_for_link(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("accounts:password_reset_done")
    assert [m.to for m in mail.outbox] == [[clinician.email]]
    page = html(client.get(known.url))
    assert "If that address has an account" in page


def test_a_bad_address_is_shown_again_with_a_message(client):
    response = ask_for_link(client, "not an address")

    assert response.status_code == 200
    assert "Type a whole email address" in html(response)
    assert 'value="not an address"' in html(response)


def test_the_email_is_in_the_users_language_not_the_pages(client, clinician, sent_languages):
    clinician.language = "mk"
    clinician.save(update_fields=["language"])
    client.cookies["django_language"] = "sq"

    page = client.get(reverse("accounts:password_reset"))
    ask_for_link(client, clinician.email)

    assert '<html lang="sq"' in html(page)
    assert sent_languages == ["mk"]
    assert len(mail.outbox) == 1


def test_without_a_language_of_their_own_the_clinics_applies(
    client, clinician, clinic, sent_languages
):
    clinic.default_language = "sr-latn"
    clinic.save(update_fields=["default_language"])

    ask_for_link(client, clinician.email)

    assert sent_languages == ["sr-latn"]


def test_the_link_opens_a_form_in_the_users_language(client, clinician):
    clinician.language = "sr"
    clinician.save(update_fields=["language"])
    ask_for_link(client, clinician.email)

    form_page = client.get(link_in(mail.outbox[0]), follow=True)

    assert form_page.status_code == 200
    assert '<html lang="sr"' in html(form_page)
    assert 'name="new_password1"' in html(form_page)


def test_a_new_password_does_not_sign_in_and_the_code_is_still_asked(client, clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    device = totp_device_for(clinician)
    ask_for_link(client, clinician.email)

    done, _ = choose_password(client, link_in(mail.outbox[0]))

    assert done.url == reverse("accounts:password_reset_complete")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("patients:list")).url.startswith(reverse("accounts:login"))
    assert sign_in(client, clinician.email, PASSWORD).status_code == 200  # the old one is gone
    response = sign_in(client, clinician.email, NEW_PASSWORD)
    assert urlsplit(response.url).path == reverse("accounts:two_factor_verify")
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert urlsplit(client.get(reverse("patients:list")).url).path == reverse(
        "accounts:two_factor_verify"
    )
    assert client.post(reverse("accounts:two_factor_verify"), {"code": totp_code(device)}).url == (
        reverse("home")
    )
    assert client.get(reverse("patients:list")).status_code == 200


def test_staff_who_never_set_up_an_app_must_set_it_up_after_a_reset(client, clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    ask_for_link(client, clinician.email)
    choose_password(client, link_in(mail.outbox[0]))

    response = sign_in(client, clinician.email, NEW_PASSWORD)

    assert urlsplit(response.url).path == reverse("accounts:two_factor_setup")


def test_a_reset_signs_out_the_sessions_signed_in_with_the_old_password(
    client, client_for, clinician
):
    tablet = client_for("clinician")
    assert tablet.get(reverse("patients:list")).status_code == 200
    ask_for_link(client, clinician.email)

    choose_password(client, link_in(mail.outbox[0]))

    assert tablet.get(reverse("patients:list")).url.startswith(reverse("accounts:login"))


def test_the_link_works_once(client, clinician):
    ask_for_link(client, clinician.email)
    link = link_in(mail.outbox[0])
    choose_password(client, link)

    again = client.get(link, follow=True)

    assert "This link does not work" in html(again)
    assert 'name="new_password1"' not in html(again)


def test_the_link_works_for_one_hour(client, clinician, monkeypatch):
    ask_for_link(client, clinician.email)
    link = link_in(mail.outbox[0])
    now = PasswordResetTokenGenerator()._now()
    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: now + timedelta(minutes=61)
    )

    response = client.get(link, follow=True)

    assert "This link does not work" in html(response)


def test_a_broken_link_says_so_never_a_500(client):
    response = client.get(
        reverse("accounts:password_reset_confirm", args=["!!", "x-y"]), follow=True
    )

    assert response.status_code == 200
    assert "This link does not work" in html(response)


def test_an_inbox_gets_at_most_three_reset_emails_an_hour(client, clinician):
    for _ in range(5):
        assert ask_for_link(client, clinician.email).url == reverse("accounts:password_reset_done")

    assert len(mail.outbox) == 3


def test_no_link_for_an_invitee_who_never_chose_a_password(client, clinician):
    clinician.set_unusable_password()
    clinician.save(update_fields=["password"])

    response = ask_for_link(client, clinician.email)

    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_reset_lets_a_locked_out_person_in_again(client, clinician, settings):
    settings.AXES_ENABLED = True
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": clinician.email, "password": "x"})
    assert sign_in(client, clinician.email, PASSWORD).status_code == 429
    ask_for_link(client, clinician.email)

    choose_password(client, link_in(mail.outbox[0]))

    assert not AccessAttempt.objects.filter(username=clinician.email).exists()
    assert sign_in(client, clinician.email, NEW_PASSWORD).status_code == 302


# --- the password rules (settings.AUTH_PASSWORD_VALIDATORS) -----------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass1", "This password is too short. It must contain at least 12 characters."),
        ("qwertyuiop12", "This password is too common."),
        ("123456123456", "This password is too common."),
    ],
)
def test_short_or_common_passwords_are_refused(client, clinician, password, message):
    ask_for_link(client, clinician.email)

    response, form_url = choose_password(client, link_in(mail.outbox[0]), password)

    assert response.status_code == 200
    assert message in html(response)
    assert clinician.__class__.objects.get(pk=clinician.pk).check_password(PASSWORD)


@pytest.mark.parametrize("password", ["twelve chars", "alllowercaseletters", "ДОБАР ДАН ВАМ"])
def test_no_rule_asks_for_digits_symbols_or_capitals(client, clinician, password):
    ask_for_link(client, clinician.email)

    response, _ = choose_password(client, link_in(mail.outbox[0]), password)

    assert response.url == reverse("accounts:password_reset_complete")
    assert clinician.__class__.objects.get(pk=clinician.pk).check_password(password)
