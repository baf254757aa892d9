""" "Has two-step sign-in on": one definition, the same answer for one person and
for a list (the staff list asks for everyone at once)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.selectors import user_has_two_factor, users_with_two_factor
from accounts.two_factor import services
from tests.conftest import totp_device_for

pytestmark = pytest.mark.django_db


def both(user):
    """The answer for one person, and the answer the bulk question gives them."""
    return user_has_two_factor(user), user.pk in users_with_two_factor([user.pk])


def test_nobody_has_it_without_a_device(clinician):
    assert both(clinician) == (False, False)


def test_a_confirmed_app_turns_it_on(clinician):
    totp_device_for(clinician)

    assert both(clinician) == (True, True)


def test_an_app_still_being_set_up_does_not(clinician):
    TOTPDevice.objects.create(user=clinician, name="Half set up", confirmed=False)

    assert both(clinician) == (False, False)


def test_backup_codes_alone_do_not(clinician):
    StaticDevice.objects.create(user=clinician, name="Backup codes", confirmed=True)

    assert both(clinician) == (False, False)


def test_an_unsaved_user_has_none():
    assert user_has_two_factor(User(email="new@example.org")) is False


def test_the_sign_in_asks_for_the_code_exactly_when_it_is_on(clinician):
    # The entry page follows the same definition as the staff pages.
    assert services.two_factor_entry_url(clinician) == reverse("accounts:two_factor_setup")
    totp_device_for(clinician)

    assert services.two_factor_entry_url(clinician) == reverse("accounts:two_factor_verify")
