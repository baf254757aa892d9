"""Invitation links: the invitee chooses their own password, once, in time."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.invitations import invitation_send, invitation_tokens
from tests.factories import ClinicianFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "river stones and quiet tea"


@pytest.fixture
def invitee(clinic):
    user = ClinicianFactory(clinic=clinic, email="new.nurse@example.org", full_name="Vesna Nova")
    user.set_unusable_password()
    user.language = "sr"
    user.save()
    return user


def link_for(user, token=None):
    return reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": token or invitation_tokens.make_token(user),
        },
    )


def test_the_email_is_in_the_invitees_language_and_carries_the_link(
    invitee, clinic_admin, clinic, settings
):
    # The link is on the site's public address, whatever host sent the invitation.
    settings.DIALOGPLUS_PUBLIC_URL = "https://dialogplus.example.org"

    invitation_send(
        user=invitee,
        invited_by=clinic_admin,
        clinic=clinic,
        language="sr",
        role="медицинска сестра",
    )

    (message,) = mail.outbox
    assert message.to == [invitee.email]
    assert "https://dialogplus.example.org/accounts/invitation/" in message.body
    assert "медицинска сестра" in message.body
    # No password ever goes by email: the invitee chooses one.
    assert invitee.email not in message.subject
    assert not invitee.has_usable_password()


def test_the_token_leaves_the_address_bar_before_the_form_is_shown(anonymous_client, invitee):
    response = anonymous_client.get(link_for(invitee))

    assert response.status_code == 302
    assert response.url.endswith("/set-password/")
    page = anonymous_client.get(response.url)
    assert page.status_code == 200
    assert invitation_tokens.make_token(invitee) not in page.content.decode()
    # The page speaks the invitee's language.
    assert page.context["LANGUAGE_CODE"] == "sr"


def test_choosing_a_password_signs_in_and_the_link_then_dies(anonymous_client, invitee):
    link = link_for(invitee)
    form_url = anonymous_client.get(link).url

    response = anonymous_client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    invitee.refresh_from_db()
    assert invitee.check_password(NEW_PASSWORD)
    assert anonymous_client.session["_auth_user_id"] == str(invitee.pk)
    anonymous_client.logout()
    assert anonymous_client.get(link).status_code == 404


def test_a_weak_password_is_refused_and_the_link_still_works(anonymous_client, invitee):
    form_url = anonymous_client.get(link_for(invitee)).url

    response = anonymous_client.post(form_url, {"new_password1": "short", "new_password2": "short"})

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    invitee.refresh_from_db()
    assert not invitee.has_usable_password()
    assert anonymous_client.get(form_url).status_code == 200


def test_an_old_link_has_expired(anonymous_client, invitee, settings, monkeypatch):
    link = link_for(invitee)
    later = timezone.now() + timedelta(days=settings.DIALOGPLUS_INVITATION_DAYS, hours=1)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later.replace(tzinfo=None))

    response = anonymous_client.get(link)

    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


def test_the_set_password_page_needs_the_token_in_this_browser(anonymous_client, invitee):
    form_url = link_for(invitee, token="set-password")

    assert anonymous_client.get(form_url).status_code == 404
    assert anonymous_client.post(form_url, {"new_password1": NEW_PASSWORD}).status_code == 404
    invitee.refresh_from_db()
    assert not invitee.has_usable_password()


def test_whoever_was_signed_in_on_the_tablet_is_signed_out(client_for, invitee):
    client = client_for("clinician")

    response = client.get(link_for(invitee))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_garbled_user_id_is_a_plain_404(anonymous_client):
    url = reverse("accounts:invitation_accept", kwargs={"uidb64": "!!", "token": "1-abc"})

    assert anonymous_client.get(url).status_code == 404
