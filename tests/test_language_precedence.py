"""Which language to speak to a person in: one order of steps, everywhere.

Own choice on the account, then a language someone recorded for them (a
carer's, then their patient's), then the clinic's default, then what the page
already speaks or the site's default (``dialogplus.languages.preferred_language``).
"""

import pytest
from django.urls import reverse

from accounts.languages import user_language
from dialogplus.languages import preferred_language
from patients.carer_services import carer_language
from patients.models import Carer
from reminders.models import Reminder
from reminders.services.messages import message_for
from tests.factories import ClinicianFactory, UserFactory
from tests.reminders.factories import CarerContactPreferenceFactory, reminder_for

# --- the steps, on plain values --------------------------------------------------------


def test_the_persons_own_choice_wins_over_everything():
    assert preferred_language(own="hr", recorded=["sq", "mk"], clinic="sr", fallback="bs") == "hr"


def test_a_recorded_language_wins_over_the_clinics_the_first_one_set():
    assert preferred_language(own="", recorded=["", "sq", "mk"], clinic="sr") == "sq"


def test_the_clinics_default_when_nothing_is_chosen_or_recorded():
    assert preferred_language(own="", recorded=["", ""], clinic="mk", fallback="bs") == "mk"


def test_the_fallback_when_there_is_no_clinic():
    assert preferred_language(fallback="bs") == "bs"


def test_the_sites_default_when_nothing_else_is_known(settings):
    settings.LANGUAGE_CODE = "en"

    assert preferred_language() == "en"


def test_a_step_given_as_a_function_is_not_called_once_an_earlier_one_answered():
    def never():
        raise AssertionError("looked up although the person chose their own language")

    assert preferred_language(own="sq", recorded=never, clinic=never, fallback=never) == "sq"
    assert preferred_language(own=lambda: "", recorded=lambda: ["mk"], clinic=never) == "mk"


# --- a signed-in person ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_clinician_who_chose_reads_their_own_language(clinician, clinic):
    clinic.default_language = "sr"
    clinic.save()
    clinician.language = "sq"

    assert user_language(clinician) == "sq"


@pytest.mark.django_db
def test_a_clinician_who_has_not_chosen_reads_their_clinics_language(clinic):
    clinic.default_language = "mk"
    clinic.save()
    clinician = ClinicianFactory(clinic=clinic)

    assert user_language(clinician, fallback="bs") == "mk"


@pytest.mark.django_db
def test_the_clinic_a_caller_names_is_the_clinic_step(clinician, other_clinic):
    other_clinic.default_language = "cnr"

    assert user_language(clinician, clinic=other_clinic) == "cnr"


@pytest.mark.django_db
def test_a_carers_own_choice_wins_over_the_language_recorded_for_them(carer_with_consent):
    carer_with_consent.language = "hr"
    link = carer_with_consent.carer_links.get()
    link.language = "sq"
    link.save()

    assert user_language(carer_with_consent) == "hr"


@pytest.mark.django_db
def test_a_carer_who_has_not_chosen_reads_the_language_recorded_for_them(carer_with_consent):
    link = carer_with_consent.carer_links.get()
    link.language = "sq"
    link.save()
    link.patient.language = "mk"
    link.patient.save()

    assert user_language(carer_with_consent) == "sq"


@pytest.mark.django_db
def test_else_the_language_of_the_patient_they_care_for(carer_with_consent, patient):
    patient.language = "mk"
    patient.save()

    assert user_language(carer_with_consent) == "mk"


@pytest.mark.django_db
def test_someone_with_no_clinic_and_no_carer_row_gets_the_fallback_or_the_sites(settings):
    settings.LANGUAGE_CODE = "en"
    user = UserFactory()

    assert user_language(user, fallback="bs") == "bs"
    assert user_language(user) == "en"


@pytest.mark.django_db
def test_a_carer_page_speaks_the_recorded_language_of_a_carer_who_has_not_chosen(
    client_for, carer_with_consent
):
    link = carer_with_consent.carer_links.get()
    link.language = "sq"
    link.save()

    # The profile is not a carer page of its own: the middleware decides.
    page = client_for(carer_with_consent).get(reverse("accounts:profile"))

    assert page["Content-Language"] == "sq"


# --- a carer row: invitations and reminders --------------------------------------------


@pytest.mark.django_db
def test_a_carer_rows_language_puts_the_accounts_own_choice_first(carer_with_consent):
    carer = Carer.objects.get(user=carer_with_consent)
    carer.language = "sq"
    carer_with_consent.language = "hr"
    carer_with_consent.save()

    assert carer_language(carer) == "hr"
    # An account being made has no choice of its own yet.
    assert carer_language(carer, own="") == "sq"


@pytest.mark.django_db
def test_a_carer_without_account_or_recorded_language_gets_the_patients(patient):
    patient.language = "mk"
    patient.save()
    carer = Carer.objects.create(patient=patient, full_name="Nora Neighbour")

    assert carer_language(carer) == "mk"


@pytest.mark.django_db
def test_a_carers_reminder_follows_their_own_choice_like_their_pages(
    patient, carer_with_consent, client_for
):
    # Once the two disagreed: the pages put the account's language first, the
    # reminders the one recorded on the carer row.
    carer = Carer.objects.get(user=carer_with_consent)
    carer.language = "mk"
    carer.save()
    carer_with_consent.language = "sq"
    carer_with_consent.save()
    CarerContactPreferenceFactory(carer=carer)
    reminder = reminder_for(
        patient,
        kind=Reminder.Kind.APPOINTMENT_CARER,
        recipient_key=f"carer:{carer.pk}",
        carer=carer,
        channel="email",
    )

    message, reason = message_for(reminder)
    page = client_for(carer_with_consent).get(reverse("sessions:carer_home"))

    assert reason == ""
    assert message.language == page["Content-Language"] == "sq"
