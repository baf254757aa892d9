"""Setting up a first authenticator app needs more than the password (#12.4).

A sign-in that owes its second factor and has none may set one up only in the
browser that opened the invitation link or a password-reset link, or after
typing a set-up code the clinic admin made. Otherwise the password alone would
be enough to enrol an attacker's own app and pass two-step sign-in.
"""

import io
import re
import time
from base64 import b32decode
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.invitations import invitation_tokens
from accounts.models import EnrolmentCode, User
from accounts.two_factor import services
from tests.conftest import totp_device_for
from tests.factories import PASSWORD, ClinicAdminFactory, ClinicianFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "river stones and quiet tea"
SETUP = "accounts:two_factor_setup"
CODE_PAGE = "accounts:two_factor_enrolment_code"


def html(response):
    return response.content.decode()


def path_of(url):
    return urlsplit(url).path


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": password})


def secret_on(page):
    key = re.search(r'<code class="secret-key">(.*?)</code>', page, re.S).group(1)
    return "".join(re.findall(r"<span>([A-Z2-7]{4})</span>", key))


def app_code(secret):
    return f"{TOTP(b32decode(secret)).token():06d}"


def set_up_an_app(client):
    """Scan the page's key and confirm it, as a person with an app would."""
    secret = secret_on(html(client.get(reverse(SETUP))))
    return client.post(reverse(SETUP), {"code": app_code(secret)})


def confirmed(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verified(client):
    return DEVICE_ID_SESSION_KEY in client.session


@pytest.fixture
def client(client_for):
    return client_for("anonymous")


@pytest.fixture(autouse=True)
def english_speakers(clinician, clinic_admin):
    for user in (clinician, clinic_admin):
        user.language = "en"
        user.save(update_fields=["language"])


# --- the password alone ----------------------------------------------------------------


def test_a_password_alone_cannot_set_up_an_app(client, clinician):
    response = sign_in(client, clinician)
    assert path_of(response.url) == reverse(SETUP)

    page = client.get(reverse(SETUP))

    assert path_of(page.url) == reverse(CODE_PAGE)
    # Not even a key to scan was made.
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    code_page = client.get(page.url)
    assert code_page.status_code == 200
    assert "ask your clinic admin for a set-up code" in html(code_page)
    assert 'name="code"' in html(code_page)
    # Nothing else opens meanwhile.
    assert path_of(client.get(reverse("patients:list")).url) == reverse(SETUP)


def test_a_password_alone_cannot_confirm_an_app_being_set_up_elsewhere(client, clinician):
    # A key made in a browser that had the right (or by anyone): its code is no use here.
    pending = services.authenticator_pending(user=clinician)
    sign_in(client, clinician)

    response = client.post(reverse(SETUP), {"code": f"{TOTP(pending.bin_key).token():06d}"})

    assert path_of(response.url) == reverse(CODE_PAGE)
    assert not confirmed(clinician)
    assert not verified(client)


# --- the invitation link ------------------------------------------------------------------


@pytest.fixture
def invitee(clinic):
    user = ClinicianFactory(clinic=clinic, email="new.nurse@example.org", language="en")
    user.set_unusable_password()
    user.save()
    return user


def accept_invitation(client, user):
    link = reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    form_url = client.get(link).url
    return client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_the_invitation_link_lets_that_browser_set_up_the_app(client, invitee):
    accepted = accept_invitation(client, invitee)
    assert path_of(client.get(accepted.url).url) == reverse(SETUP)

    done = set_up_an_app(client)

    assert path_of(done.url) == reverse("accounts:two_factor_backup_codes")
    assert confirmed(invitee)
    assert verified(client)
    # The grant is spent with the set-up.
    assert services.ENROLMENT_GRANT_SESSION_KEY not in client.session


def test_signing_out_ends_the_invitation_grant(client, invitee):
    accept_invitation(client, invitee)
    client.post(reverse("accounts:logout"))
    sign_in(client, invitee, NEW_PASSWORD)

    assert path_of(client.get(reverse(SETUP)).url) == reverse(CODE_PAGE)


def test_the_invitation_grant_lasts_an_hour(client, invitee):
    accept_invitation(client, invitee)
    session = client.session
    grant = session[services.ENROLMENT_GRANT_SESSION_KEY]
    assert grant["until"] - time.time() == pytest.approx(services.ENROLMENT_GRANT_SECONDS, abs=60)
    session[services.ENROLMENT_GRANT_SESSION_KEY] = {**grant, "until": time.time() - 1}
    session.save()

    assert path_of(client.get(reverse(SETUP)).url) == reverse(CODE_PAGE)


def test_a_grant_is_for_its_person_only(client, invitee, clinician):
    # Someone else's grant, left in this session, is no use to a clinician's password.
    accept_invitation(client, invitee)
    session = client.session
    grant = session[services.ENROLMENT_GRANT_SESSION_KEY]
    client.post(reverse("accounts:logout"))
    sign_in(client, clinician)
    session = client.session
    session[services.ENROLMENT_GRANT_SESSION_KEY] = grant
    session.save()

    assert path_of(client.get(reverse(SETUP)).url) == reverse(CODE_PAGE)
    assert not TOTPDevice.objects.filter(user=clinician).exists()


# --- a password-reset link -----------------------------------------------------------------


def reset_password_by_link(client, user):
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", mail.outbox[-1].body)
    form_url = client.get(link.group(1)).url
    return client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_a_reset_link_lets_that_browser_set_up_the_app_after_signing_in(client, clinician):
    done = reset_password_by_link(client, clinician)
    assert done.url == reverse("accounts:password_reset_complete")
    assert "_auth_user_id" not in client.session  # still not signed in

    response = sign_in(client, clinician, NEW_PASSWORD)

    assert path_of(response.url) == reverse(SETUP)
    assert path_of(set_up_an_app(client).url) == reverse("accounts:two_factor_backup_codes")
    assert confirmed(clinician)


def test_a_reset_link_opened_mid_sign_in_still_grants_the_set_up(client, clinician):
    sign_in(client, clinician)
    reset_password_by_link(client, clinician)

    sign_in(client, clinician, NEW_PASSWORD)

    assert client.get(reverse(SETUP)).status_code == 200


def test_a_reset_link_opened_in_another_browser_grants_nothing_here(client, client_for, clinician):
    reset_password_by_link(client_for("anonymous"), clinician)

    sign_in(client, clinician, NEW_PASSWORD)

    assert path_of(client.get(reverse(SETUP)).url) == reverse(CODE_PAGE)


def test_a_reset_link_does_not_replace_an_app_that_is_set_up(client, clinician):
    device = totp_device_for(clinician)
    reset_password_by_link(client, clinician)
    sign_in(client, clinician, NEW_PASSWORD)

    response = client.get(reverse(SETUP))

    assert path_of(response.url) == reverse("accounts:two_factor_verify")
    assert list(TOTPDevice.objects.filter(user=clinician)) == [device]


# --- the clinic admin's set-up code ----------------------------------------------------------


def code_url(user):
    return reverse("accounts:staff_two_factor_code", args=[user.pk])


def admin_makes_code(client_for, member):
    response = client_for("clinic_admin").post(code_url(member))
    assert response.status_code == 200
    return re.search(r"<code[^>]*>(\d{4} \d{4})</code>", html(response)).group(1)


def type_code(client, code):
    return client.post(reverse(CODE_PAGE), {"code": code})


def test_a_set_up_code_from_the_admin_lets_the_member_set_up_the_app_once(
    client, client_for, clinician
):
    code = admin_makes_code(client_for, clinician)
    sign_in(client, clinician)

    typed = type_code(client, code)

    assert path_of(typed.url) == reverse(SETUP)
    assert path_of(set_up_an_app(client).url) == reverse("accounts:two_factor_backup_codes")
    assert confirmed(clinician)
    # Used up: another browser with the same code and password gets nowhere.
    services.two_factor_remove(user=clinician)
    other = client_for("anonymous")
    sign_in(other, clinician)
    again = type_code(other, code)
    assert again.status_code == 200
    assert "That set-up code is not right" in html(again)
    assert path_of(other.get(reverse(SETUP)).url) == reverse(CODE_PAGE)


def test_a_wrong_code_says_so_and_keeps_what_was_typed(client, client_for, clinician):
    admin_makes_code(client_for, clinician)
    sign_in(client, clinician)

    response = type_code(client, "1234 0000")

    assert response.status_code == 200
    assert "That set-up code is not right, or it was used or has expired." in html(response)
    assert 'value="1234 0000"' in html(response)
    assert path_of(client.get(reverse(SETUP)).url) == reverse(CODE_PAGE)


@pytest.mark.parametrize("typed", ["", "   ", "abcdefgh", "<script>", "9" * 32, "١٢٣٤٥٦٧٨"])
def test_odd_input_on_the_code_page_is_a_message_never_a_500(client, clinician, typed):
    sign_in(client, clinician)

    response = type_code(client, typed)

    assert response.status_code == 200
    assert 'class="invalid-feedback' in html(response)


def test_an_expired_code_is_refused(client, client_for, clinician):
    code = admin_makes_code(client_for, clinician)
    EnrolmentCode.objects.filter(user=clinician).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    sign_in(client, clinician)

    response = type_code(client, code)

    assert response.status_code == 200
    assert "That set-up code is not right" in html(response)
    assert path_of(client.get(reverse(SETUP)).url) == reverse(CODE_PAGE)


def test_a_code_lasts_a_day(client_for, clinician):
    before = timezone.now()
    admin_makes_code(client_for, clinician)

    stored = EnrolmentCode.objects.get(user=clinician)

    assert (
        timedelta(hours=23, minutes=59)
        < stored.expires_at - before
        <= timedelta(hours=24, minutes=1)
    )


def test_a_new_code_replaces_the_old_one(client, client_for, clinician):
    old = admin_makes_code(client_for, clinician)
    new = admin_makes_code(client_for, clinician)
    sign_in(client, clinician)

    assert type_code(client, old).status_code == 200
    assert path_of(type_code(client, new).url) == reverse(SETUP)


def test_a_few_wrong_codes_use_it_up(client, client_for, clinician):
    code = admin_makes_code(client_for, clinician)
    sign_in(client, clinician)
    for _ in range(services.ENROLMENT_CODE_TRIES):
        type_code(client, "00000000")

    response = type_code(client, code)

    assert response.status_code == 200
    assert not EnrolmentCode.objects.filter(user=clinician).exists()


def test_the_code_is_not_stored_as_typed(client_for, clinician):
    code = admin_makes_code(client_for, clinician).replace(" ", "")

    rows = list(EnrolmentCode.objects.values_list())

    assert len(rows) == 1
    assert not any(code in str(value) for value in rows[0])


@pytest.mark.parametrize("persona", ["other_admin", "clinician", "colleague", "carer_with_consent"])
def test_only_the_members_own_clinic_admin_makes_a_code(client_for, colleague, persona):
    client = client_for(persona)

    assert client.get(code_url(colleague)).status_code == 404
    assert client.post(code_url(colleague)).status_code == 404
    assert not EnrolmentCode.objects.exists()


def test_an_admin_makes_no_code_for_themselves_or_another_clinic(
    client_for, clinic_admin, other_clinic
):
    neighbour = ClinicianFactory(clinic=other_clinic)
    client = client_for("clinic_admin")

    assert client.post(code_url(clinic_admin)).status_code == 404
    assert client.post(code_url(neighbour)).status_code == 404
    assert not EnrolmentCode.objects.exists()


def test_a_member_with_an_app_needs_a_reset_not_a_code(client_for, clinician):
    totp_device_for(clinician)
    client = client_for("clinic_admin")

    page = client.get(code_url(clinician))
    posted = client.post(code_url(clinician))

    assert "They have two-step sign-in set up" in html(page)
    assert path_of(posted.url) == code_url(clinician)
    assert not EnrolmentCode.objects.exists()


def test_the_member_page_offers_a_code_to_someone_without_an_app(client_for, clinic, clinician):
    second_admin = ClinicAdminFactory(clinic=clinic)
    totp_device_for(second_admin)
    client = client_for("clinic_admin")

    without = html(client.get(reverse("accounts:staff_detail", args=[clinician.pk])))
    with_app = html(client.get(reverse("accounts:staff_detail", args=[second_admin.pk])))

    assert code_url(clinician) in without
    assert code_url(second_admin) not in with_app
    assert reverse("accounts:staff_two_factor_reset", args=[second_admin.pk]) in with_app


def test_the_reset_email_says_a_set_up_code_comes_from_the_admin(
    client_for, clinician, django_capture_on_commit_callbacks
):
    totp_device_for(clinician)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("clinic_admin").post(
            reverse("accounts:staff_two_factor_reset", args=[clinician.pk])
        )

    assert "type the set-up code your clinic admin gives you" in mail.outbox[0].body


# --- when no grant is needed -------------------------------------------------------------------


def test_a_signed_in_carer_turns_it_on_without_a_grant(client_for, carer_with_consent):
    client = client_for("carer_with_consent")

    assert client.get(reverse(SETUP)).status_code == 200
    assert client.get(reverse(CODE_PAGE)).url == reverse("home")


def test_with_two_step_sign_in_not_required_staff_turn_it_on_without_a_grant(
    client, clinician, settings
):
    settings.DIALOGPLUS_REQUIRE_2FA = False
    sign_in(client, clinician)

    assert path_of(set_up_an_app(client).url) == reverse("accounts:two_factor_backup_codes")
    assert confirmed(clinician)


def test_the_code_page_sends_a_session_with_a_grant_on_to_set_up(client, invitee):
    accept_invitation(client, invitee)

    response = client.get(reverse(CODE_PAGE))

    assert path_of(response.url) == reverse(SETUP)


# --- a superuser, whom no clinic admin serves --------------------------------------------------


def test_a_server_command_prints_a_set_up_code_for_a_superuser(client):
    root = User.objects.create_superuser("root@example.org", PASSWORD, language="en")
    out = io.StringIO()

    call_command("two_factor_setup_code", "ROOT@example.org", stdout=out)

    code = re.search(r"(\d{4} \d{4})", out.getvalue()).group(1)
    sign_in(client, root)
    assert path_of(client.get(reverse(SETUP)).url) == reverse(CODE_PAGE)
    assert path_of(type_code(client, code).url) == reverse(SETUP)
    assert client.get(reverse(SETUP)).status_code == 200


def test_the_command_refuses_an_unknown_address_or_someone_with_an_app(clinician):
    totp_device_for(clinician)

    with pytest.raises(CommandError, match="No account"):
        call_command("two_factor_setup_code", "nobody@example.org")
    with pytest.raises(CommandError, match="no code needed"):
        call_command("two_factor_setup_code", clinician.email)
    assert not EnrolmentCode.objects.exists()
