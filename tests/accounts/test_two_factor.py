"""Two-step sign-in: who must use it, the code page, setting it up, enforcement,
the person's own settings and a clinic admin's reset, through the HTTP layer."""

import re
import time
from base64 import b32decode
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.selectors import user_has_two_factor
from accounts.two_factor import services
from tests.conftest import totp_code, totp_device_for
from tests.factories import PASSWORD, ClinicAdminFactory, ClinicianFactory

pytestmark = pytest.mark.django_db

TABLET = "10.0.0.1"


def html(response):
    return response.content.decode()


def sign_in(client, user, next_url=None, address=TABLET):
    """The password step of the sign-in form."""
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=address)


def enter_code(client, code, next_url=None):
    data = {"code": code}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:two_factor_verify"), data)


def path_of(url):
    return urlsplit(url).path


def next_of(url):
    return parse_qs(urlsplit(url).query).get("next", [None])[0]


def verified(client):
    return DEVICE_ID_SESSION_KEY in client.session


def wait_out_throttling(device):
    """As if the person waited long enough after their wrong codes."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
    )


def mail_languages(monkeypatch):
    """The language active as each two-step sign-in email is sent."""
    languages = []
    real = services.send_mail

    def send(*args, **kwargs):
        languages.append(translation.get_language())
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "send_mail", send)
    return languages


def type_set_up_code(client, user):
    """What a member does with the set-up code their clinic admin handed over."""
    code = services.enrolment_code_create(user=user, created_by=user)
    response = client.post(reverse("accounts:two_factor_enrolment_code"), {"code": code})
    assert path_of(response.url) == reverse("accounts:two_factor_setup"), response
    return response


def backup_codes_for(user, count=3):
    codes = services.backup_codes_generate(user=user)
    return codes[:count]


@pytest.fixture
def client(client_for):
    """A tablet nobody is signed in on."""
    return client_for("anonymous")


@pytest.fixture(autouse=True)
def english_speakers(clinician, colleague, clinic_admin):
    # Everyone has chosen a language, so the first-sign-in question stays out of the way.
    for user in (clinician, colleague, clinic_admin):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        "root@example.org", PASSWORD, full_name="Root", language="en"
    )


# --- who must use it -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["clinician", "clinic_admin", "superuser"])
def test_staff_and_superusers_must_set_it_up_after_the_password(client, request, persona):
    user = request.getfixturevalue(persona)

    response = sign_in(client, user)

    assert response.status_code == 302
    assert path_of(response.url) == reverse("accounts:two_factor_setup")
    assert not verified(client)
    # Nothing else opens until it is done.
    page = client.get(reverse("accounts:profile"))
    assert path_of(page.url) == reverse("accounts:two_factor_setup")


def test_a_carer_is_not_forced(client, carer_with_consent):
    carer_with_consent.language = "en"
    carer_with_consent.save(update_fields=["language"])

    response = sign_in(client, carer_with_consent)

    assert response.url == reverse("home")
    assert client.get(reverse("sessions:carer_home")).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_carer_who_turned_it_on_is_asked_for_the_code(client, carer_with_consent):
    carer_with_consent.language = "en"
    carer_with_consent.save(update_fields=["language"])
    totp_device_for(carer_with_consent)

    response = sign_in(client, carer_with_consent)

    assert path_of(response.url) == reverse("accounts:two_factor_verify")
    assert path_of(client.get(reverse("sessions:carer_home")).url) == path_of(response.url)


def test_with_the_setting_off_staff_are_not_forced(client, clinician, settings):
    settings.DIALOGPLUS_REQUIRE_2FA = False

    response = sign_in(client, clinician)

    assert response.url == reverse("home")
    assert client.get(reverse("patients:list")).status_code == 200


def test_with_the_setting_off_someone_who_turned_it_on_is_still_asked(client, clinician, settings):
    settings.DIALOGPLUS_REQUIRE_2FA = False
    device = totp_device_for(clinician)

    response = sign_in(client, clinician)

    assert path_of(response.url) == reverse("accounts:two_factor_verify")
    done = enter_code(client, totp_code(device), next_of(response.url))
    assert done.url == reverse("home")
    assert client.get(reverse("patients:list")).status_code == 200


# --- the code page -----------------------------------------------------------------------


def test_the_code_page_is_a_large_numeric_one_time_code_field(client, clinician):
    totp_device_for(clinician)
    response = sign_in(client, clinician)

    page = html(client.get(response.url))

    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", page).group(0)
    assert 'autocomplete="one-time-code"' in field
    assert 'inputmode="numeric"' in field
    assert "form-control-lg" in field
    assert "backup codes" in page


def test_an_app_code_signs_in_and_returns_to_the_page_asked_for(client, clinician, patient):
    device = totp_device_for(clinician)
    detail = reverse("patients:detail", args=[patient.code])

    response = sign_in(client, clinician, next_url=detail)
    assert path_of(response.url) == reverse("accounts:two_factor_verify")
    assert next_of(response.url) == detail

    done = enter_code(client, totp_code(device), next_of(response.url))

    assert done.url == detail
    assert verified(client)
    assert client.get(detail).status_code == 200


def test_an_app_code_works_only_once(client_for, clinician):
    device = totp_device_for(clinician)
    code = totp_code(device)
    first = client_for("anonymous")
    sign_in(first, clinician)
    assert enter_code(first, code).status_code == 302

    second = client_for("anonymous")
    sign_in(second, clinician)
    response = enter_code(second, code)

    assert response.status_code == 200
    assert "That code is not right." in html(response)
    assert not verified(second)


def test_a_backup_code_signs_in_once_only(client_for, clinician):
    totp_device_for(clinician)
    code = backup_codes_for(clinician, 1)[0]
    first = client_for("anonymous")
    sign_in(first, clinician)

    # Typed as printed, with its space.
    response = enter_code(first, f"{code[:5]} {code[5:]}")

    assert response.status_code == 302
    assert verified(first)
    assert services.backup_codes_remaining(clinician) == 9
    second = client_for("anonymous")
    sign_in(second, clinician)
    again = enter_code(second, code)
    assert again.status_code == 200
    assert "nor one of your unused backup codes" in html(again)
    assert not verified(second)


def test_using_a_backup_code_says_how_many_are_left(client, clinician):
    totp_device_for(clinician)
    codes = backup_codes_for(clinician, 10)
    StaticToken.objects.filter(token__in=codes[2:]).delete()
    sign_in(client, clinician)

    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]}, follow=True)

    assert "You used a backup code. 1 is left." in html(response)
    assert "Make new ones in your profile." in html(response)


def test_a_wrong_code_shows_a_clear_message_and_keeps_the_person_out(client, clinician, patient):
    totp_device_for(clinician)
    sign_in(client, clinician)

    response = enter_code(client, "123456")

    assert response.status_code == 200
    assert "That code is not right. Type the 6 digits your app shows now." in html(response)
    assert 'value="123456"' in html(response)
    assert not verified(client)
    detail = client.get(reverse("patients:detail", args=[patient.code]))
    assert path_of(detail.url) == reverse("accounts:two_factor_verify")


def test_wrong_codes_are_throttled_even_the_right_one(client, clinician):
    device = totp_device_for(clinician)
    sign_in(client, clinician)
    for _ in range(4):
        wait_out_throttling(device)
        enter_code(client, "000000")

    # Eight seconds to wait now: the right code is not even looked at.
    response = enter_code(client, totp_code(device))

    assert response.status_code == 200
    assert re.search(r"Too many wrong codes. Wait \d+ seconds, then try again.", html(response))
    assert not verified(client)
    wait_out_throttling(device)
    assert enter_code(client, totp_code(device)).status_code == 302
    assert verified(client)


@pytest.mark.parametrize(
    "typed", ["", "   ", "abcdef", "12 34 5", "9" * 32, "<script>", "١٢٣٤٥٦", "1234567890"]
)
def test_odd_input_on_the_code_page_is_a_message_never_a_500(client, clinician, typed):
    totp_device_for(clinician)
    sign_in(client, clinician)

    response = enter_code(client, typed)

    assert response.status_code == 200
    assert 'class="invalid-feedback' in html(response)
    assert not verified(client)


def test_a_code_page_post_without_the_csrf_token_is_refused(client_for, clinician):
    device = totp_device_for(clinician)
    client = client_for("anonymous", enforce_csrf_checks=True)
    page = client.get(reverse("accounts:login"))
    token = page.cookies["csrftoken"].value
    client.post(
        reverse("accounts:login"),
        {"username": clinician.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )

    response = client.post(reverse("accounts:two_factor_verify"), {"code": totp_code(device)})

    assert response.status_code == 403
    assert not verified(client)


def test_the_code_page_never_sends_anyone_to_another_site(client, clinician):
    device = totp_device_for(clinician)
    sign_in(client, clinician)

    response = enter_code(client, totp_code(device), "https://evil.example/")

    assert response.url == reverse("home")


# --- setting it up ---------------------------------------------------------------------


def setup_page(client):
    return html(client.get(reverse("accounts:two_factor_setup")))


def secret_on(page):
    """The key as the page shows it for typing by hand, in groups of four."""
    key = re.search(r'<code class="secret-key">(.*?)</code>', page, re.S).group(1)
    groups = re.findall(r"<span>([A-Z2-7]{1,4})</span>", key)
    assert len(groups) == 8 and all(len(g) == 4 for g in groups), groups
    return "".join(groups)


def code_for_secret(secret, at=None):
    totp = TOTP(b32decode(secret))
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def test_set_up_shows_an_inline_qr_code_and_the_key_in_groups(client, clinician):
    sign_in(client, clinician)
    type_set_up_code(client, clinician)

    page = setup_page(client)

    assert re.search(r'<svg role="img" viewBox="[^"]+" class="qr-code"><title>', page)
    assert "data:" not in page and "<img" not in page
    assert "style=" not in page
    secret = secret_on(page)
    device = TOTPDevice.objects.get(user=clinician)
    assert not device.confirmed
    assert b32decode(secret) == device.bin_key
    # Reloading shows the same key: it may already be scanned.
    assert secret_on(setup_page(client)) == secret


def test_set_up_then_backup_codes_then_the_page_asked_for(client, clinician, patient):
    detail = reverse("patients:detail", args=[patient.code])
    response = sign_in(client, clinician, next_url=detail)
    assert next_of(response.url) == detail
    type_set_up_code(client, clinician)
    secret = secret_on(html(client.get(response.url)))

    confirmed = client.post(
        reverse("accounts:two_factor_setup"), {"code": code_for_secret(secret), "next": detail}
    )

    assert path_of(confirmed.url) == reverse("accounts:two_factor_backup_codes")
    assert next_of(confirmed.url) == detail
    assert verified(client)
    assert TOTPDevice.objects.get(user=clinician).confirmed
    codes_page = client.get(confirmed.url)
    codes = re.findall(r"<li><code>(\d{5} \d{5})</code></li>", html(codes_page))
    assert len(codes) == 10
    assert "data-print" in html(codes_page)
    assert services.backup_codes_remaining(clinician) == 10
    saved = client.post(reverse("accounts:two_factor_backup_codes"), {"next": detail})
    assert saved.url == detail
    # Shown once: afterwards the page has nothing to show.
    assert client.get(reverse("accounts:two_factor_backup_codes")).url == reverse(
        "accounts:two_factor"
    )
    # The codes shown are the ones that work.
    other = type(client)()
    sign_in(other, clinician)
    assert enter_code(other, codes[3]).status_code == 302


def test_set_up_with_a_wrong_code_says_so_and_confirms_nothing(client, clinician):
    sign_in(client, clinician)
    type_set_up_code(client, clinician)
    setup_page(client)

    response = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})

    assert response.status_code == 200
    assert "That code is not right. Check that the app shows DIALOG+" in html(response)
    assert not TOTPDevice.objects.filter(user=clinician, confirmed=True).exists()
    assert not verified(client)


def test_a_stale_set_up_gets_a_fresh_key(client, clinician):
    sign_in(client, clinician)
    type_set_up_code(client, clinician)
    first = secret_on(setup_page(client))
    TOTPDevice.objects.filter(user=clinician).update(created_at=timezone.now() - timedelta(hours=2))

    assert secret_on(setup_page(client)) != first
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


def test_a_password_alone_cannot_add_an_app(client, clinician):
    device = totp_device_for(clinician)
    sign_in(client, clinician)

    response = client.get(reverse("accounts:two_factor_setup"))
    posted = client.post(reverse("accounts:two_factor_setup"), {"code": totp_code(device)})

    assert path_of(response.url) == reverse("accounts:two_factor_verify")
    assert path_of(posted.url) == reverse("accounts:two_factor_verify")
    assert list(TOTPDevice.objects.filter(user=clinician)) == [device]
    assert not verified(client)


def test_the_first_language_question_comes_first_and_next_is_kept(client, clinician, patient):
    clinician.language = ""
    clinician.save(update_fields=["language"])
    detail = reverse("patients:detail", args=[patient.code])

    response = sign_in(client, clinician, next_url=detail)

    assert path_of(response.url) == reverse("accounts:first_language")
    assert client.get(response.url).status_code == 200
    chosen = client.post(
        reverse("accounts:language"), {"language": "sq", "next": next_of(response.url)}
    )
    assert path_of(chosen.url) == reverse("accounts:two_factor_setup")
    assert next_of(chosen.url) == detail
    type_set_up_code(client, clinician)
    page = client.get(chosen.url)
    assert '<html lang="sq"' in html(page)
    secret = secret_on(html(page))
    client.post(
        reverse("accounts:two_factor_setup"), {"code": code_for_secret(secret), "next": detail}
    )
    done = client.post(reverse("accounts:two_factor_backup_codes"), {"next": detail})
    assert done.url == detail


# --- enforcement -----------------------------------------------------------------------


@pytest.fixture
def half_signed_in(client_for, clinician):
    """The clinician's tablet after the password, before the code (an app is set up)."""
    totp_device_for(clinician)
    return client_for("clinician", verified=False)


def test_a_patient_page_sends_an_unverified_session_to_the_code_page(half_signed_in, patient):
    detail = reverse("patients:detail", args=[patient.code])

    response = half_signed_in.get(detail)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': detail})}"


def test_a_form_sent_from_an_unverified_session_changes_nothing(half_signed_in, patient):
    edit = reverse("patients:edit", args=[patient.code])

    response = half_signed_in.post(edit, {"full_name": "Changed"}, HTTP_REFERER=edit)

    assert path_of(response.url) == reverse("accounts:two_factor_verify")
    patient.refresh_from_db()
    assert patient.full_name == "Petra Patient"


def test_an_htmx_request_of_an_unverified_session_gets_hx_redirect(half_signed_in):
    response = half_signed_in.get(
        reverse("patients:list"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="/patients/"
    )

    assert response.status_code == 200
    assert path_of(response["HX-Redirect"]) == reverse("accounts:two_factor_verify")
    assert response.content == b""


def test_staff_without_an_app_are_sent_to_set_it_up(client_for, clinician):
    client = client_for("clinician", verified=False)

    response = client.get(reverse("patients:list"))

    assert path_of(response.url) == reverse("accounts:two_factor_setup")


def test_sign_out_language_lock_static_and_health_stay_open(half_signed_in):
    assert half_signed_in.get("/healthz").status_code in (200, 503)
    assert half_signed_in.get(reverse("accounts:first_language")).status_code == 200
    language = half_signed_in.post(reverse("accounts:language"), {"language": "en"})
    assert path_of(language.url) != reverse("accounts:two_factor_verify")
    lock = half_signed_in.post(reverse("accounts:lock_now"))
    assert path_of(lock.url) == reverse("accounts:lock")
    assert half_signed_in.get(lock.url).status_code == 200
    signed_out = half_signed_in.post(reverse("accounts:logout"))
    assert signed_out.url == reverse("accounts:login")
    assert "_auth_user_id" not in half_signed_in.session


def test_unlocking_the_lock_screen_needs_the_password_only(client_for, patient):
    client = client_for("clinician")
    detail = reverse("patients:detail", args=[patient.code])
    client.post(reverse("accounts:lock_now"), {"next": detail})
    assert path_of(client.get(detail).url) == reverse("accounts:lock")

    response = client.post(reverse("accounts:lock"), {"password": PASSWORD, "next": detail})

    assert response.url == detail
    assert client.get(detail).status_code == 200


def test_a_removed_app_ends_the_verified_session(client_for, clinician):
    client = client_for("clinician")
    assert client.get(reverse("patients:list")).status_code == 200

    services.two_factor_remove(user=clinician)

    assert path_of(client.get(reverse("patients:list")).url) == reverse("accounts:two_factor_setup")


def test_a_new_password_sign_in_is_not_verified_by_an_old_session_key(client_for, clinician):
    client = client_for("clinician")
    client.post(reverse("accounts:logout"))
    # Whatever the session held before, the password step starts unverified.
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device_for(clinician).persistent_id
    session.save()

    response = sign_in(client, clinician)

    assert path_of(response.url) == reverse("accounts:two_factor_verify")
    assert not verified(client)


# --- lockout still per email and address ------------------------------------------------


def test_lockout_is_still_per_email_and_address(client_for, clinician, colleague):
    device = totp_device_for(colleague)
    guesser = client_for("anonymous")
    for _ in range(5):
        guesser.post(
            reverse("accounts:login"),
            {"username": clinician.email, "password": "wrong"},
            REMOTE_ADDR=TABLET,
        )
    assert sign_in(guesser, clinician).status_code == 429

    client = client_for("anonymous")
    response = sign_in(client, colleague)

    assert path_of(response.url) == reverse("accounts:two_factor_verify")
    assert enter_code(client, totp_code(device)).url == reverse("home")
    assert client.get(reverse("patients:list")).status_code == 200


def test_wrong_codes_do_not_lock_the_password_out(client, clinician):
    device = totp_device_for(clinician)
    sign_in(client, clinician)
    for _ in range(6):
        wait_out_throttling(device)
        enter_code(client, "000000")
    client.post(reverse("accounts:logout"))

    response = sign_in(client, clinician)

    assert response.status_code == 302
    assert path_of(response.url) == reverse("accounts:two_factor_verify")


# --- the person's own settings -----------------------------------------------------------


def test_the_profile_shows_it_is_on_and_the_backup_codes_left(client_for, clinician):
    client = client_for("clinician")
    backup_codes_for(clinician)

    page = html(client.get(reverse("accounts:profile")))

    assert "Two-step sign-in" in page
    assert "10 backup codes left." in page
    assert reverse("accounts:two_factor") in page


def test_the_profile_shows_it_is_off_for_a_carer(client_for):
    page = html(client_for("carer_with_consent").get(reverse("accounts:profile")))

    assert "Signing in asks for your password only." in page


def test_new_backup_codes_need_a_current_code_and_replace_the_old_ones(client_for, clinician):
    client = client_for("clinician")
    device = totp_device_for(clinician)
    old = backup_codes_for(clinician, 10)
    url = reverse("accounts:two_factor_new_codes")

    refused = client.post(url, {"code": "000000"})
    assert refused.status_code == 200
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)

    wait_out_throttling(device)
    response = client.post(url, {"code": totp_code(device)})

    assert path_of(response.url) == reverse("accounts:two_factor_backup_codes")
    new = {
        c.replace(" ", "")
        for c in re.findall(r"<code>([\d ]+)</code>", html(client.get(response.url)))
    }
    assert len(new) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == new
    assert not new & set(old)


def test_replacing_the_app_needs_a_current_code_and_retires_the_old_app(client_for, clinician):
    client = client_for("clinician")
    old = totp_device_for(clinician)
    backup_codes_for(clinician)
    assert path_of(client.get(reverse("accounts:two_factor_setup")).url) == reverse(
        "accounts:two_factor"
    )

    go_on = client.post(reverse("accounts:two_factor_replace"), {"code": totp_code(old)})

    assert path_of(go_on.url) == reverse("accounts:two_factor_setup")
    secret = secret_on(html(client.get(go_on.url)))
    done = client.post(reverse("accounts:two_factor_setup"), {"code": code_for_secret(secret)})
    assert done.url == reverse("accounts:two_factor")
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert services.backup_codes_remaining(clinician) == 10  # kept
    assert client.get(reverse("patients:list")).status_code == 200
    other = type(client)()
    sign_in(other, clinician)
    assert enter_code(other, totp_code(old, at=time.time() + 30)).status_code == 200
    assert not verified(other)


def test_staff_cannot_turn_it_off(client_for, clinician):
    client = client_for("clinician")
    device = totp_device_for(clinician)

    response = client.post(reverse("accounts:two_factor_turn_off"), {"code": totp_code(device)})

    assert response.url == reverse("accounts:two_factor")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert "Turn off two-step sign-in" not in html(client.get(reverse("accounts:two_factor")))


def test_a_carer_turns_it_on_and_off(client_for, carer_with_consent):
    client = client_for("carer_with_consent")
    page = html(client.get(reverse("accounts:two_factor")))
    assert "Turn on two-step sign-in" in page
    secret = secret_on(setup_page(client))
    confirmed = client.post(
        reverse("accounts:two_factor_setup"),
        {"code": code_for_secret(secret), "next": reverse("accounts:two_factor")},
    )
    assert path_of(confirmed.url) == reverse("accounts:two_factor_backup_codes")
    assert user_has_two_factor(carer_with_consent)

    device = TOTPDevice.objects.get(user=carer_with_consent)
    off = client.post(
        reverse("accounts:two_factor_turn_off"),
        {"code": totp_code(device, at=time.time() + 30)},
    )

    assert off.url == reverse("accounts:two_factor")
    assert not TOTPDevice.objects.filter(user=carer_with_consent).exists()
    assert not StaticDevice.objects.filter(user=carer_with_consent).exists()
    assert client.get(reverse("sessions:carer_home")).status_code == 200


# --- a clinic admin's reset --------------------------------------------------------------


def test_the_clinic_admin_resets_a_members_second_factor(
    client_for, clinician, monkeypatch, django_capture_on_commit_callbacks
):
    clinician.language = "sq"
    clinician.save(update_fields=["language"])
    totp_device_for(clinician)
    backup_codes_for(clinician)
    admin = client_for("clinic_admin")
    url = reverse("accounts:staff_two_factor_reset", args=[clinician.pk])
    languages = mail_languages(monkeypatch)

    confirm = admin.get(url)
    assert confirm.status_code == 200
    assert clinician.email in html(confirm)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url)

    assert response.status_code == 200
    code = re.search(r"<code[^>]*>(\d{4} \d{4})</code>", html(response)).group(1)
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert not StaticDevice.objects.filter(user=clinician).exists()
    # The member is told, in their own language, not the admin's.
    assert [m.to for m in mail.outbox] == [[clinician.email]]
    assert languages == ["sq"]
    # Their next sign-in sets up an app again, with the code the admin hands over.
    client = client_for("anonymous")
    assert path_of(sign_in(client, clinician).url) == reverse("accounts:two_factor_setup")
    assert path_of(client.get(reverse("accounts:two_factor_setup")).url) == reverse(
        "accounts:two_factor_enrolment_code"
    )
    typed = client.post(reverse("accounts:two_factor_enrolment_code"), {"code": code})
    assert path_of(typed.url) == reverse("accounts:two_factor_setup")
    assert client.get(typed.url).status_code == 200


@pytest.mark.parametrize("persona", ["other_admin", "colleague", "clinician", "carer_with_consent"])
def test_only_the_own_clinics_admin_may_reset(client_for, clinician, persona):
    device = totp_device_for(clinician)
    url = reverse("accounts:staff_two_factor_reset", args=[clinician.pk])
    client = client_for(persona)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_admin_gets_404_for_another_clinics_member(client_for, other_clinic):
    neighbour = ClinicianFactory(clinic=other_clinic)
    device = totp_device_for(neighbour)

    response = client_for("clinic_admin").post(
        reverse("accounts:staff_two_factor_reset", args=[neighbour.pk])
    )

    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_admin_resets_another_admin_of_their_clinic_but_not_themselves(
    client_for, clinic, clinic_admin
):
    second_admin = ClinicAdminFactory(clinic=clinic)
    device = totp_device_for(second_admin)
    client = client_for("clinic_admin")

    themselves = client.post(reverse("accounts:staff_two_factor_reset", args=[clinic_admin.pk]))
    other = client.post(reverse("accounts:staff_two_factor_reset", args=[second_admin.pk]))

    assert themselves.status_code == 404
    assert TOTPDevice.objects.filter(user=clinic_admin).exists()
    assert other.status_code == 200
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
