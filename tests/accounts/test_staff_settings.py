"""A clinic admin edits the clinic's settings; superusers create clinics in
Django's admin. Wrong values come back with a message and what was typed."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Clinic, Membership
from tests.factories import ClinicianFactory, UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:staff_clinic_settings")

VALID = {
    "name": "Dom zdravlja Centar",
    "time_zone": "Europe/Sarajevo",
    "default_language": "sr-latn",
    "ask_help_question": "",
    "session_interval_days": "21",
    "planned_sessions": "8",
    "record_retention_years": "15",
}


def html(response):
    return response.content.decode()


def test_an_admin_saves_the_clinics_settings(clinic_admin_client, clinic):
    response = clinic_admin_client.post(SETTINGS, VALID, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:clinic")
    clinic.refresh_from_db()
    assert (
        clinic.name,
        clinic.time_zone,
        clinic.default_language,
        clinic.ask_help_question,
        clinic.session_interval_days,
        clinic.planned_sessions,
        clinic.record_retention_years,
    ) == ("Dom zdravlja Centar", "Europe/Sarajevo", "sr-latn", False, 21, 8, 15)
    assert "Dom zdravlja Centar" in html(response)


def test_the_form_offers_the_regions_zones_and_the_countrys_languages_first(
    clinic_admin_client, clinic
):
    clinic.country = "XK"
    clinic.time_zone = "Europe/Vienna"
    clinic.save()

    page = html(clinic_admin_client.get(SETTINGS))

    for zone in (
        "Europe/Belgrade",
        "Europe/Sarajevo",
        "Europe/Podgorica",
        "Europe/Skopje",
        "Europe/Zagreb",
        "Europe/Tirane",
    ):
        assert f'value="{zone}"' in page
    assert 'value="Europe/Vienna" selected' in page
    languages = page[page.index('name="default_language"') :]
    # Kosovo: Albanian, then Serbian, then the rest.
    assert (
        languages.index('value="sq"')
        < languages.index('value="sr"')
        < languages.index('value="en"')
    )


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("0", "Keep records for at least one year."),
        ("101", "Enter at most 100 years."),
        ("ten", "Enter a whole number of years."),
        ("", "Enter how many years a record must be kept."),
    ],
)
def test_wrong_retention_years_are_refused_and_what_was_typed_stays(
    clinic_admin_client, clinic, years, message
):
    response = clinic_admin_client.post(SETTINGS, {**VALID, "record_retention_years": years})

    page = html(response)
    assert response.status_code == 200
    assert message in page
    assert 'value="Dom zdravlja Centar"' in page
    assert 'value="21"' in page and 'value="8"' in page
    clinic.refresh_from_db()
    assert (clinic.name, clinic.record_retention_years) == ("Clinic A", 10)
    # The header still shows the clinic's real name.
    assert '<span class="app-clinic">Clinic A</span>' in page


def test_an_unknown_time_zone_is_refused_and_what_was_typed_stays(clinic_admin_client, clinic):
    response = clinic_admin_client.post(SETTINGS, {**VALID, "time_zone": "Mars/Olympus_Mons"})

    page = html(response)
    assert "Choose one of the time zones shown." in page
    assert 'value="Dom zdravlja Centar"' in page
    clinic.refresh_from_db()
    assert clinic.time_zone == "Europe/Belgrade"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "Enter the clinic&#x27;s name."),
        ("default_language", "de", "Choose one of the languages shown."),
        ("planned_sessions", "0", "Plan at least one session."),
        ("session_interval_days", "400", "Sessions can be at most 365 days apart."),
    ],
)
def test_other_wrong_settings_are_refused(clinic_admin_client, clinic, field, value, message):
    response = clinic_admin_client.post(SETTINGS, {**VALID, field: value})

    assert message in html(response)
    clinic.refresh_from_db()
    assert clinic.name == "Clinic A"


def test_the_settings_messages_speak_the_admins_language(clinic_admin_client, clinic_admin):
    clinic_admin.language = "sr"
    clinic_admin.save(update_fields=["language"])

    response = clinic_admin_client.post(SETTINGS, {**VALID, "record_retention_years": "0"})

    assert '<html lang="sr"' in html(response)


def test_each_admin_edits_only_their_own_clinic(client_for, clinic, other_clinic):
    client_for("other_admin").post(SETTINGS, VALID)

    clinic.refresh_from_db()
    other_clinic.refresh_from_db()
    assert clinic.name == "Clinic A"
    assert other_clinic.name == "Dom zdravlja Centar"


# --- Django's admin: superusers create clinics and send the first admin's invitation ---------


@pytest.fixture
def superuser_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True, full_name="Root"))


CLINIC_ADMIN_FORM = {
    "name": "Klinika Skopje",
    "country": "MK",
    "time_zone": "Europe/Skopje",
    "default_language": "",
    "ask_help_question": "on",
    "session_interval_days": "30",
    "planned_sessions": "6",
    "record_retention_years": "10",
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}


def test_a_superuser_creates_a_clinic_in_djangos_admin(superuser_client):
    response = superuser_client.post(reverse("admin:accounts_clinic_add"), CLINIC_ADMIN_FORM)

    assert response.status_code == 302, html(response)
    clinic = Clinic.objects.get(name="Klinika Skopje")
    assert (clinic.time_zone, clinic.default_language) == ("Europe/Skopje", "mk")


def test_djangos_admin_refuses_a_misspelt_time_zone(superuser_client):
    response = superuser_client.post(
        reverse("admin:accounts_clinic_add"), {**CLINIC_ADMIN_FORM, "time_zone": "Europe/Skoplje"}
    )

    assert response.status_code == 200
    assert "Enter a time zone such as Europe/Belgrade." in html(response)
    assert not Clinic.objects.filter(name="Klinika Skopje").exists()


def test_a_clinic_admin_cannot_use_djangos_admin(clinic_admin_client):
    response = clinic_admin_client.get(reverse("admin:accounts_clinic_add"))

    assert response.status_code in (302, 403)


def test_a_superuser_sends_the_first_admins_invitation_from_djangos_admin(superuser_client, clinic):
    first = ClinicianFactory(clinic=clinic, role="admin", email="first.admin@example.org")
    first.set_unusable_password()
    first.save()
    membership = Membership.objects.get(user=first)

    response = superuser_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "send_invitation", "_selected_action": [membership.pk]},
        follow=True,
    )

    assert "1 invitation sent." in html(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["first.admin@example.org"]
    assert "/accounts/invitation/" in mail.outbox[0].body
