"""The opt-out link in every reminder: public, signed, in the reader's language."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.models import Carer
from reminders import optout
from reminders.models import CarerContactPreference, ContactPreference, Reminder
from reminders.services import reminder_send, reminders_claim_due

from .factories import CarerContactPreferenceFactory, ContactPreferenceFactory, reminder_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plain_http(settings):
    # HTTPS is the proxy's job in production; tests speak plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    settings.WHITENOISE_AUTOREFRESH = True


def stop_url(pref):
    return reverse("optout:stop", kwargs={"token": optout.token_for(pref)})


@pytest.fixture
def pref(patient):
    # `patient` agreed to SMS reminders.
    return ContactPreferenceFactory(patient=patient)


def test_the_link_opens_a_page_in_the_patients_language_that_names_nobody(patient, pref):
    patient.language = "mk"
    patient.save()

    response = Client().get(stop_url(pref))

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "mk"
    assert '<html lang="mk"' in page
    assert patient.full_name not in page
    assert patient.code not in page
    assert patient.clinic.name in page
    # Opening the link (a preview, a scanner) changes nothing.
    pref.refresh_from_db()
    assert pref.opted_out_at is None


def test_stopping_records_the_opt_out_and_withdraws_consent(
    patient, pref, django_capture_on_commit_callbacks
):
    row = reminder_for(patient)
    client = Client(enforce_csrf_checks=True)
    url = stop_url(pref)
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 302
    assert response.url == url
    pref.refresh_from_db()
    assert pref.opted_out_at is not None
    assert (pref.opt_out_source, pref.consent_to_reminders, pref.consent_recorded_by) == (
        "link",
        False,
        None,
    )
    row.refresh_from_db()
    assert row.status == Reminder.Status.CANCELLED
    assert "Reminders are stopped" in client.get(url).content.decode()


def test_nothing_goes_out_after_the_opt_out_even_a_row_already_claimed(patient, pref, sms):
    row = reminder_for(patient)
    reminders_claim_due()
    Client().post(stop_url(pref))

    reminder_send(reminder_id=row.id)

    row.refresh_from_db()
    assert sms.sent == []
    assert (row.status, row.last_error) == (Reminder.Status.CANCELLED, "patient opted out")


def test_stopping_twice_keeps_the_first_time(pref):
    url = stop_url(pref)
    Client().post(url)
    first = ContactPreference.objects.get(pk=pref.pk).opted_out_at

    Client().post(url)

    assert ContactPreference.objects.get(pk=pref.pk).opted_out_at == first


def test_a_carers_link_stops_the_carers_reminders_only(patient, pref, carer_with_consent):
    carer = Carer.objects.get(user=carer_with_consent)
    carer.language = "sq"
    carer.save()
    carer_pref = CarerContactPreferenceFactory(carer=carer)

    page = Client().get(stop_url(carer_pref))
    Client().post(stop_url(carer_pref))

    assert page["Content-Language"] == "sq"
    assert CarerContactPreference.objects.get(pk=carer_pref.pk).opted_out_at is not None
    assert ContactPreference.objects.get(pk=pref.pk).opted_out_at is None


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda token: token[:8] + "AAAAAAAA", id="forged signature"),
        pytest.param(lambda token: "AAAAAAAA" + token[8:], id="another key"),
        pytest.param(lambda token: token[:-1], id="cut short"),
        pytest.param(lambda token: token + "x", id="too long"),
    ],
)
def test_a_mangled_link_is_a_404(pref, mangle):
    token = mangle(optout.token_for(pref))

    assert Client().get(reverse("optout:stop", kwargs={"token": token})).status_code == 404
    assert Client().post(reverse("optout:stop", kwargs={"token": token})).status_code == 404
    pref.refresh_from_db()
    assert pref.opted_out_at is None


def test_a_link_made_with_another_secret_key_is_a_404(pref, settings):
    token = optout.token_for(pref)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert optout.preference_for_token(token) is None


def test_links_keep_working_after_the_secret_key_is_rotated(pref, settings):
    token = optout.token_for(pref)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "the-new-secret-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old]

    assert optout.preference_for_token(token) == pref


def test_the_link_of_a_deleted_preference_is_a_404(pref):
    url = stop_url(pref)
    pref.delete()

    assert Client().get(url).status_code == 404


def test_every_preference_has_its_key_from_the_start(patient):
    pref = ContactPreference.objects.create(patient=patient, opted_out_at=timezone.now())

    assert len(pref.opt_out_key) == 8


def test_stopping_cancels_the_pending_action_reminders_too(
    patient, pref, django_capture_on_commit_callbacks
):
    import datetime

    from reminders.services import reminders_schedule_for_session
    from sessions_app.models import Action
    from tests.factories import session_complete

    session = session_complete(patient, actions={"job": ["Phone the job centre"]})
    Action.objects.filter(area__session=session).update(due_date=datetime.date(2099, 5, 6))
    reminders_schedule_for_session(session=session)
    row = Reminder.objects.get(kind=Reminder.Kind.ACTION_DUE)

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(stop_url(pref))

    row.refresh_from_db()
    assert row.status == Reminder.Status.CANCELLED
