"""Clinic admins manage their own clinic's staff: the list, a member's page,
invitations by email link, and that nothing of another clinic shows through."""

import re
import smtplib
from datetime import timedelta
from html import unescape
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.invitations import InvitationTokenGenerator
from accounts.models import Membership, User
from tests.factories import ClinicianFactory, MembershipFactory

pytestmark = pytest.mark.django_db

INVITE = reverse("accounts:staff_invite")
STAFF = reverse("accounts:staff_list")
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "a calm morning by the river"


def html(response):
    return response.content.decode()


def rows(response):
    """``{name: row html}`` of the staff list."""
    found = re.findall(r'<tr class="patient-row">(.*?)</tr>', html(response), flags=re.S)
    return {
        unescape(re.search(r'patient-name"[^>]*>([^<]+)</a>', row).group(1)): row for row in found
    }


def invite(client, **fields):
    data = {
        "full_name": "Nada Nova",
        "email": "nada.nova@example.org",
        "role": "clinician",
        "profession": "nurse",
        "language": "",
        **fields,
    }
    return client.post(INVITE, data)


def link_in(message):
    return LINK.search(message.body).group(1)


def accept(client, link, password=NEW_PASSWORD):
    """Open an invitation link and choose a password, as the invitee does."""
    opened = client.get(link)
    assert opened.status_code == 302, opened.status_code
    form = client.get(opened.url)
    assert form.status_code == 200
    return client.post(opened.url, {"new_password1": password, "new_password2": password})


@pytest.fixture
def pending(clinic):
    # Invited to clinic A; has not chosen a password yet.
    user = ClinicianFactory(clinic=clinic, full_name="Nina New", email="nina.new@example.org")
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def team(clinic, clinician, colleague, clinic_admin, pending, outsider):
    """Clinic A with one of each state; clinic B's `outsider` must never show."""
    clinician.last_login = timezone.now() - timedelta(days=1)
    clinician.save(update_fields=["last_login"])
    TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    colleague.memberships.update(is_active=False)
    AccessAttempt.objects.create(
        username=clinic_admin.email,
        ip_address="10.0.0.1",
        user_agent="tablet",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
    )


# --- the staff list -----------------------------------------------------------------------


def test_the_staff_list_shows_each_members_role_and_state(team, clinic_admin_client):
    listed = rows(clinic_admin_client.get(STAFF, {"status": "all"}))

    assert set(listed) == {"Clara Clinician", "Colin Colleague", "Ada Admin", "Nina New"}
    clara = listed["Clara Clinician"]
    assert "Clinician" in clara and "Nurse" in clara and "Active" in clara
    assert "Two-step sign-in on" in clara and "Never" not in clara
    assert "Inactive" in listed["Colin Colleague"]
    assert "Invitation pending" in listed["Nina New"] and "Never" in listed["Nina New"]
    assert "Locked out" in listed["Ada Admin"] and "Clinic admin" in listed["Ada Admin"]
    assert "No two-step sign-in" in listed["Colin Colleague"]
    assert "Invitation pending" not in clara and "Locked out" not in clara


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("", {"Clara Clinician", "Ada Admin", "Nina New"}),
        ("active", {"Clara Clinician", "Ada Admin", "Nina New"}),
        ("inactive", {"Colin Colleague"}),
        ("all", {"Clara Clinician", "Colin Colleague", "Ada Admin", "Nina New"}),
    ],
)
def test_the_staff_list_filters_active_and_inactive(team, clinic_admin_client, status, names):
    response = clinic_admin_client.get(STAFF, {"status": status} if status else {})

    assert set(rows(response)) == names


def test_a_member_whose_account_is_switched_off_is_listed_as_inactive(
    clinic_admin_client, clinician
):
    clinician.is_active = False
    clinician.save(update_fields=["is_active"])

    assert "Clara Clinician" in rows(clinic_admin_client.get(STAFF, {"status": "inactive"}))
    assert "Clara Clinician" not in rows(clinic_admin_client.get(STAFF))


def test_the_clinic_overview_links_to_the_staff_pages(clinic_admin_client, clinician):
    page = html(clinic_admin_client.get(reverse("accounts:clinic")))

    for name in ("staff_list", "staff_invite", "staff_reassign", "staff_clinic_settings"):
        assert f'href="{reverse(f"accounts:{name}")}"' in page
    assert reverse("accounts:staff_detail", args=[clinician.pk]) in page


# --- a member's page ----------------------------------------------------------------------


def test_a_members_page_shows_their_state_and_what_can_be_done(
    team, clinic_admin_client, clinician, pending, patient
):
    clara = html(clinic_admin_client.get(reverse("accounts:staff_detail", args=[clinician.pk])))
    nina = html(clinic_admin_client.get(reverse("accounts:staff_detail", args=[pending.pk])))

    assert clinician.email in clara and "Nurse" in clara
    assert re.search(r"Two-step sign-in</dt>\s*<dd>On</dd>", clara)
    assert "1 patient" in clara
    assert reverse("accounts:staff_edit", args=[clinician.pk]) in clara
    assert reverse("accounts:staff_reassign_patients", args=[clinician.pk]) in clara
    assert reverse("accounts:staff_resend_invitation", args=[clinician.pk]) not in clara
    assert "Petra Patient" not in clara  # counts only: admins see no patient records here
    assert "nina.new@example.org" in nina and "Invitation pending" in nina
    assert re.search(r"Two-step sign-in</dt>\s*<dd>Not set up yet</dd>", nina)
    assert reverse("accounts:staff_resend_invitation", args=[pending.pk]) in nina
    assert reverse("accounts:staff_deactivate", args=[pending.pk]) in nina


def test_a_members_page_offers_unlock_and_returns_to_it(client_for, clinic_admin, colleague):
    AccessAttempt.objects.create(
        username=colleague.email,
        ip_address="10.0.0.1",
        user_agent="tablet",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
    )
    client = client_for("clinic_admin")
    page_url = reverse("accounts:staff_detail", args=[colleague.pk])
    page = html(client.get(page_url))
    assert "Locked out" in page and reverse("accounts:unlock_user", args=[colleague.pk]) in page

    response = client.post(reverse("accounts:unlock_user", args=[colleague.pk]), {"next": page_url})

    assert response.url == page_url
    assert not AccessAttempt.objects.filter(username=colleague.email).exists()


def test_a_members_page_links_to_the_reset_of_their_two_step_sign_in(
    clinic_admin_client, clinician
):
    TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    page_url = reverse("accounts:staff_detail", args=[clinician.pk])

    page = html(clinic_admin_client.get(page_url))

    reset = reverse("accounts:staff_two_factor_reset", kwargs={"pk": clinician.pk})
    assert f'href="{reset}?next={quote(page_url)}"' in page
    assert "Reset two-step sign-in" in page
    # The reset page answers and comes back to the member's page.
    assert f'value="{page_url}"' in html(clinic_admin_client.get(reset, {"next": page_url}))


def test_backup_codes_alone_are_not_two_step_sign_in(clinic_admin_client, colleague):
    StaticDevice.objects.create(user=colleague, name="Backup codes", confirmed=True)

    page = html(clinic_admin_client.get(reverse("accounts:staff_detail", args=[colleague.pk])))

    assert re.search(r"Two-step sign-in</dt>\s*<dd>Not set up yet</dd>", page)
    assert "Reset two-step sign-in" not in page
    assert "No two-step sign-in" in rows(clinic_admin_client.get(STAFF))["Colin Colleague"]


def test_an_admin_sees_no_deactivate_button_on_their_own_page(clinic_admin_client, clinic_admin):
    page = html(clinic_admin_client.get(reverse("accounts:staff_detail", args=[clinic_admin.pk])))

    assert reverse("accounts:staff_deactivate", args=[clinic_admin.pk]) not in page


# --- another clinic ------------------------------------------------------------------------

MEMBER_URLS = [
    ("accounts:staff_detail", "get"),
    ("accounts:staff_edit", "get"),
    ("accounts:staff_edit", "post"),
    ("accounts:staff_deactivate", "get"),
    ("accounts:staff_deactivate", "post"),
    ("accounts:staff_reactivate", "post"),
    ("accounts:staff_resend_invitation", "post"),
    ("accounts:staff_reassign_patients", "get"),
    ("accounts:staff_reassign_patients", "post"),
    ("accounts:unlock_user", "post"),
]


@pytest.mark.parametrize(("name", "method"), MEMBER_URLS)
@pytest.mark.parametrize("who", ["clinician", "clinic_admin", "pending"])
def test_another_clinics_admin_gets_404_on_every_staff_url_of_clinic_a(
    client_for, other_admin, patient, colleague, request, name, method, who
):
    member = request.getfixturevalue(who)
    before = list(Membership.objects.order_by("id").values_list("role", "profession", "is_active"))
    client = client_for("other_admin")
    data = {"role": "admin", "profession": "psychiatrist", "to_clinician": colleague.pk}

    response = getattr(client, method)(reverse(name, args=[member.pk]), data)

    assert response.status_code == 404
    after = list(Membership.objects.order_by("id").values_list("role", "profession", "is_active"))
    assert after == before
    patient.refresh_from_db()
    assert patient.key_clinician_id != colleague.pk
    assert mail.outbox == []


def test_the_staff_list_shows_only_the_admins_own_clinic(team, client_for):
    listed = rows(client_for("other_admin").get(STAFF, {"status": "all"}))

    assert set(listed) == {"Oscar Outsider", "Olga Admin"}


# --- invitations -----------------------------------------------------------------------------


def test_an_invitation_creates_the_account_and_sends_one_email_in_their_language(
    clinic_admin_client, clinic
):
    response = invite(clinic_admin_client, language="sr", role="clinician")

    assert response.url == STAFF
    user = User.objects.get(email="nada.nova@example.org")
    assert not user.has_usable_password() and user.last_login is None
    assert user.language == "sr"
    membership = Membership.objects.get(user=user)
    assert (membership.clinic, membership.role, membership.profession) == (
        clinic,
        "clinician",
        "nurse",
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nada.nova@example.org"]
    # The role is named in Serbian: the email was written in the invitee's language.
    assert "Клиничар" in message.body and "Clinician" not in message.body
    assert "Clinic A" in message.subject
    assert link_in(message)
    listed = rows(clinic_admin_client.get(STAFF))
    assert "Invitation pending" in listed["Nada Nova"]


def test_an_invitation_without_a_language_speaks_the_clinics(clinic_admin_client, clinic):
    clinic.default_language = "sq"
    clinic.save(update_fields=["default_language"])

    invite(clinic_admin_client, language="")

    body = mail.outbox[0].body
    with translation.override("sq"):
        assert gettext("Clinician") in body
    assert "Clinician" not in body
    assert User.objects.get(email="nada.nova@example.org").language == ""


def test_the_invitation_link_works_once(clinic_admin_client, client_for):
    invite(clinic_admin_client, full_name="Ana O'Brien & Co")
    message = mail.outbox[0]
    # Plain text: nothing HTML-escaped.
    assert "Ana O'Brien & Co" in message.body
    link = link_in(message)
    invitee = client_for("anonymous")

    response = accept(invitee, link)

    assert response.status_code == 302
    user = User.objects.get(email="nada.nova@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert invitee.session["_auth_user_id"] == str(user.pk)
    assert "Invitation pending" not in rows(clinic_admin_client.get(STAFF))["Ana O'Brien & Co"]
    again = client_for("anonymous").get(link)
    assert again.status_code == 404
    assert "This link no longer works" in html(again)


def test_the_invitation_page_speaks_the_invitees_language(clinic_admin_client, client_for):
    invite(clinic_admin_client, language="sq")
    invitee = client_for("anonymous")

    opened = invitee.get(link_in(mail.outbox[0]))

    assert '<html lang="sq"' in html(invitee.get(opened.url))


def test_without_a_language_the_invitation_page_speaks_the_clinics(
    clinic_admin_client, client_for, clinic
):
    clinic.default_language = "mk"
    clinic.save(update_fields=["default_language"])
    invite(clinic_admin_client, language="")
    invitee = client_for("anonymous")

    opened = invitee.get(link_in(mail.outbox[0]), HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="mk"' in html(invitee.get(opened.url, HTTP_ACCEPT_LANGUAGE="en"))


def test_the_invitation_link_expires(clinic_admin_client, client_for, monkeypatch, settings):
    invite(clinic_admin_client)
    link = link_in(mail.outbox[0])
    later = timezone.now() + timedelta(days=settings.DIALOGPLUS_INVITATION_DAYS, hours=1)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later.replace(tzinfo=None))

    response = client_for("anonymous").get(link)

    assert response.status_code == 404
    assert "This link no longer works" in html(response)


def test_inviting_a_pending_member_again_sends_a_new_link(clinic_admin_client, pending):
    response = invite(
        clinic_admin_client, email="NINA.NEW@example.org", full_name="Nina Newman", role="admin"
    )

    assert response.url == STAFF
    assert User.objects.filter(email="nina.new@example.org").count() == 1
    membership = Membership.objects.get(user=pending)
    assert membership.role == "admin"
    pending.refresh_from_db()
    assert pending.full_name == "Nina Newman"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina.new@example.org"]
    page = html(clinic_admin_client.get(STAFF))
    assert "A new invitation was sent to nina.new@example.org." in page


def test_inviting_someone_who_already_works_here_is_refused(clinic_admin_client, colleague):
    response = invite(clinic_admin_client, email=colleague.email, full_name="Typed Name")

    assert response.status_code == 200
    assert "Colin Colleague already works in this clinic." in html(response)
    assert 'value="Typed Name"' in html(response)
    assert mail.outbox == []


def test_inviting_a_deactivated_member_points_to_their_page(clinic_admin_client, colleague):
    colleague.memberships.update(is_active=False)

    response = invite(clinic_admin_client, email=colleague.email)

    assert "Reactivate them on their page." in html(response)
    assert mail.outbox == []


def test_inviting_another_clinics_user_tells_the_admin_nothing_more(
    clinic_admin_client, outsider, clinic
):
    fresh = invite(clinic_admin_client, email="someone.new@example.org")
    fresh_page = html(clinic_admin_client.get(STAFF))
    taken = invite(clinic_admin_client, email=outsider.email.upper(), full_name="Typed Name")
    taken_page = html(clinic_admin_client.get(STAFF))

    # The same answer as for an address nobody has.
    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url
    assert f"An invitation was sent to {outsider.email}." in taken_page
    assert "An invitation was sent to someone.new@example.org." in fresh_page
    # Nothing of theirs is shown or changed, and no membership in clinic A.
    assert "Oscar Outsider" not in taken_page
    assert not Membership.objects.filter(user=outsider, clinic=clinic).exists()
    outsider.refresh_from_db()
    assert outsider.full_name == "Oscar Outsider" and outsider.has_usable_password()
    # They hear of it by email, with no link that would change their password.
    notice = mail.outbox[-1]
    assert notice.to == [outsider.email]
    assert "already have a DIALOG+ account" in notice.body
    assert "/accounts/invitation/" not in notice.body


def test_inviting_a_carer_of_this_clinic_creates_no_staff_account(
    clinic_admin_client, carer_with_consent, clinic
):
    invite(clinic_admin_client, email=carer_with_consent.email)

    assert not Membership.objects.filter(user=carer_with_consent).exists()
    assert "/accounts/invitation/" not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-address"}, "Enter an email address such as name@example.org."),
        ({"full_name": "   "}, "Enter the person&#x27;s full name."),
        ({"role": "owner"}, "Choose one of the roles shown."),
        ({"profession": ""}, "Choose a profession."),
        ({"language": "xx"}, "Choose one of the languages shown."),
    ],
)
def test_a_wrong_invitation_comes_back_with_a_message_and_what_was_typed(
    clinic_admin_client, fields, message
):
    response = invite(clinic_admin_client, **{"full_name": "Kept Name", **fields})

    page = html(response)
    assert response.status_code == 200
    assert message in page
    if "full_name" not in fields:
        assert 'value="Kept Name"' in page
    assert not User.objects.filter(email="nada.nova@example.org").exists()
    assert mail.outbox == []


def test_an_invitation_that_cannot_be_sent_saves_nothing(clinic_admin_client, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("accounts.invitations.send_mail", refuse)

    response = invite(clinic_admin_client)

    assert response.status_code == 200
    assert "The email could not be sent." in html(response)
    assert not User.objects.filter(email="nada.nova@example.org").exists()


def test_resend_sends_a_fresh_link_to_a_pending_member(clinic_admin_client, pending, client_for):
    response = clinic_admin_client.post(
        reverse("accounts:staff_resend_invitation", args=[pending.pk]), follow=True
    )

    assert "A new invitation was sent to nina.new@example.org." in html(response)
    assert len(mail.outbox) == 1
    assert accept(client_for("anonymous"), link_in(mail.outbox[0])).status_code == 302


def test_resend_is_refused_for_someone_who_already_chose_a_password(clinic_admin_client, colleague):
    response = clinic_admin_client.post(
        reverse("accounts:staff_resend_invitation", args=[colleague.pk]), follow=True
    )

    assert "has already chosen a password" in html(response)
    assert mail.outbox == []


def test_a_member_of_two_clinics_is_managed_by_each_clinic_separately(
    client_for, clinician, other_clinic
):
    MembershipFactory(user=clinician, clinic=other_clinic, role="clinician")

    response = client_for("other_admin").get(reverse("accounts:staff_detail", args=[clinician.pk]))

    assert response.status_code == 200


# --- hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "accounts:staff_detail",
        "accounts:staff_edit",
        "accounts:staff_deactivate",
        "accounts:staff_reassign_patients",
    ],
)
def test_a_huge_number_in_a_staff_url_is_a_404(clinic_admin_client, name):
    response = clinic_admin_client.get(reverse(name, args=[10**30]))

    assert response.status_code == 404


def test_a_very_long_invitation_comes_back_with_messages(clinic_admin_client):
    response = invite(clinic_admin_client, full_name="x" * 10_000, email="x" * 10_000 + "@x.org")

    assert response.status_code == 200
    assert "Keep this to 150 characters: it has 10000, 9850 too many." in html(response)
    assert not User.objects.filter(full_name__startswith="xxx").exists()
