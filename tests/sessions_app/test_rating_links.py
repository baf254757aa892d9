"""The patient's rating link: the token, its day, what it opens and refuses,
the access log, the throttle, the reminder that carries it, and where the
clinician finds the answers (the session opens on the review; the agenda)."""

import base64
import datetime
import hashlib
import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from reminders.models import Appointment, Reminder
from reminders.services import reminder_send, reminders_claim_due
from sessions_app import rating_links, services
from sessions_app.models import DialogSession, Rating, RatingLink, Stage
from sessions_app.rating_links import Refusal, rating_link_create, rating_link_for_token
from sessions_app.views.link import LINK_TRIES
from tests.dates import local_input, soon_day
from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, session_complete
from tests.reminders.factories import (
    CarerContactPreferenceFactory,
    ContactPreferenceFactory,
    MemorySMSBackend,
    appointment_for,
    reminder_for,
)

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def no_wrong_tries_counted():
    cache.clear()


@pytest.fixture
def phone(client_for):
    """The patient's phone: nobody signed in."""
    return client_for("anonymous")


def token_of(url):
    return urlsplit(url).path.strip("/").split("/")[-1]


def make_link(patient, by, **kwargs):
    return rating_link_create(patient=patient, created_by=by, **kwargs)


# --- the token -------------------------------------------------------------------------


def test_a_token_carries_128_random_bits_and_only_its_hash_is_stored(patient, clinician):
    first = make_link(patient, clinician)
    second = make_link(patient, clinician)

    for new in (first, second):
        raw = base64.urlsafe_b64decode(new.token + "=" * (-len(new.token) % 4))
        assert len(raw) * 8 >= 128
        assert new.link.token_hash == hashlib.sha256(new.token.encode()).hexdigest()
        stored = RatingLink.objects.filter(pk=new.link.pk).values().get()
        assert not any(new.token in str(value) for value in stored.values())
        assert new.url.endswith(f"/r/{new.token}/")
    assert first.token != second.token


def test_the_link_lives_on_the_sites_public_address(patient, clinician, settings):
    settings.DIALOGPLUS_PUBLIC_URL = "https://dialogplus.example.org/"

    new = make_link(patient, clinician)

    assert new.url == f"https://dialogplus.example.org/r/{new.token}/"


# --- its day, on the clinic's clock ---------------------------------------------------------


@pytest.fixture
def belgrade_patient(db):
    clinic = ClinicFactory(time_zone="Europe/Belgrade")
    clinician = ClinicianFactory(clinic=clinic)
    return PatientFactory(clinic=clinic, key_clinician=clinician)


def test_without_an_appointment_a_link_ends_with_the_clinics_day_not_utcs(belgrade_patient):
    # 22:30 UTC on 10 June is already 00:30 on 11 June in Belgrade (UTC+2).
    now = datetime.datetime(2026, 6, 10, 22, 30, tzinfo=UTC)

    new = rating_link_create(
        patient=belgrade_patient, created_by=belgrade_patient.key_clinician, now=now
    )

    assert new.link.day == datetime.date(2026, 6, 11)
    # Midnight after 11 June in Belgrade.
    assert new.link.expires_at == datetime.datetime(2026, 6, 11, 22, 0, tzinfo=UTC)


def test_a_link_ends_with_the_appointment_day_on_the_clinics_clock(belgrade_patient, settings):
    # 21:30 UTC on 12 June is 23:30 in Belgrade: still 12 June there.
    appointment_for(belgrade_patient, datetime.datetime(2026, 6, 12, 21, 30, tzinfo=UTC))
    now = datetime.datetime(2026, 6, 10, 21, 59, tzinfo=UTC)

    new = rating_link_create(
        patient=belgrade_patient, created_by=belgrade_patient.key_clinician, now=now
    )

    assert new.link.day == datetime.date(2026, 6, 12)
    assert new.link.expires_at == datetime.datetime(2026, 6, 12, 22, 0, tzinfo=UTC)
    link, refusal = rating_link_for_token(
        new.token, now=datetime.datetime(2026, 6, 12, 21, 59, tzinfo=UTC)
    )
    assert refusal is None
    link, refusal = rating_link_for_token(
        new.token, now=datetime.datetime(2026, 6, 12, 22, 0, tzinfo=UTC)
    )
    assert refusal == Refusal.EXPIRED

    settings.DIALOGPLUS_RATING_LINK_EXTRA_DAYS = 2
    longer = rating_link_create(
        patient=belgrade_patient, created_by=belgrade_patient.key_clinician, now=now
    )
    assert longer.link.expires_at == datetime.datetime(2026, 6, 14, 22, 0, tzinfo=UTC)


# --- which session, and which link works -----------------------------------------------


def test_making_a_link_starts_the_next_session_with_its_maker_or_reuses_the_open_one(
    patient, colleague
):
    new = make_link(patient, colleague)

    session = new.link.session
    assert (session.status, session.stage, session.clinician) == (
        DialogSession.Status.IN_PROGRESS,
        Stage.RATE,
        colleague,
    )
    assert make_link(patient, colleague).link.session == session
    assert patient.sessions.count() == 1


def test_a_new_link_revokes_the_old_one_and_a_clinician_can_revoke_it(patient, clinician):
    old = make_link(patient, clinician)
    new = make_link(patient, clinician)

    assert rating_link_for_token(old.token)[1] == Refusal.REVOKED
    assert rating_link_for_token(new.token) == (new.link, None)

    assert rating_links.rating_link_revoke(session=new.link.session) == 1
    assert rating_link_for_token(new.token)[1] == Refusal.REVOKED


def test_a_link_stops_once_the_session_moves_past_rating_or_closes(patient, clinician):
    new = make_link(patient, clinician)
    session = new.link.session

    services.session_advance(session=session, stage=Stage.REVIEW)

    assert rating_link_for_token(new.token)[1] == Refusal.USED
    with pytest.raises(Exception, match="already being discussed"):
        make_link(patient, clinician)
    services.session_abandon(session=session)
    assert rating_link_for_token(new.token)[1] == Refusal.USED


def test_a_guessed_token_is_unknown(patient, clinician):
    make_link(patient, clinician)

    assert rating_link_for_token("A" * 22) == (None, Refusal.UNKNOWN)


# --- the patient's pages -----------------------------------------------------------------


def link_url(name, token, *args):
    kwargs = {"token": token}
    if args:
        kwargs["position"] = args[0]
    return reverse(f"rating_link:{name}", kwargs=kwargs)


def logged(kind):
    return AccessLog.objects.filter(kind=kind)


def test_the_link_opens_the_first_open_question_in_the_patients_language_and_nothing_else(
    phone, patient, clinician
):
    patient.language = "sr"
    patient.save()
    new = make_link(patient, clinician)

    response = phone.get(link_url("start", new.token))
    page = phone.get(response.url)

    assert response.url == link_url("item", new.token, 1)
    assert page.status_code == 200
    assert page["Content-Language"] == "sr"
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    first_name = patient.full_name.split()[0]
    assert first_name in html
    assert patient.full_name not in html
    assert patient.code not in html
    assert patient.clinic.name in html
    # No header, no stage bar, no link anywhere but the link's own pages.
    assert "app-header" not in html
    assert "stagebar" not in html.lower()
    hrefs = re.findall(r'href="([^"]+)"', html)
    pages = [h for h in hrefs if not h.startswith("/static/") and h != "#main"]
    assert pages
    assert all(h.startswith(f"/r/{new.token}/") for h in pages), pages
    assert all(a.startswith(f"/r/{new.token}/") for a in re.findall(r'action="([^"]+)"', html))
    assert logged(AccessLog.Kind.RATING_LINK_OPENED).get().role == AccessLog.Role.PATIENT


def test_each_tap_is_saved_and_the_first_answer_is_logged_once(phone, patient, clinician):
    new = make_link(patient, clinician)
    session = new.link.session
    first = session.scale_version.domains.first()

    response = phone.post(
        link_url("item", new.token, 1), {"value": "6", "revision": "0"}, headers=HX
    )
    assert response.status_code == 200
    response = phone.post(
        link_url("item", new.token, 1), {"needs_help": "yes", "revision": "1"}, headers=HX
    )

    rating = Rating.objects.get(session=session, domain=first)
    assert (rating.value, rating.needs_help) == (6, True)
    assert response["HX-Push-Url"] == link_url("item", new.token, 2)
    answered = logged(AccessLog.Kind.RATING_LINK_ANSWERED).get()
    assert (answered.user, answered.session_code) == (None, session.code)


def test_a_broken_answer_gets_a_message_and_keeps_what_was_saved(phone, patient, clinician):
    new = make_link(patient, clinician)
    phone.post(link_url("item", new.token, 1), {"value": "4", "revision": "0"})

    response = phone.post(link_url("item", new.token, 1), {"value": "9", "revision": "1"})

    assert response.status_code == 422
    first = new.link.session.scale_version.domains.first()
    assert Rating.objects.get(session=new.link.session, domain=first).value == 4
    assert phone.get(link_url("item", new.token, 12)).status_code == 404


def rate_everything_by_link(phone, token, session):
    for position in range(1, session.scale_version.domains.count() + 1):
        phone.post(link_url("item", token, position), {"value": str(1 + position % 7)})
        if session.ask_help_question:
            phone.post(link_url("item", token, position), {"needs_help": "no"})
    return phone.get(link_url("done", token))


def test_after_the_last_item_the_patient_is_thanked_and_the_clinician_lands_on_the_review(
    phone, clinician_client, patient, clinician
):
    new = make_link(patient, clinician)
    session = new.link.session

    done = rate_everything_by_link(phone, new.token, session)

    assert done.status_code == 200
    assert "Your clinician will see your answers" in done.content.decode()
    assert Rating.objects.filter(session=session, value__isnull=False).count() == 11
    # Opening the session changes nothing: it shows the end of the scale, and
    # the clinician's tap there starts the discussion.
    resumed = clinician_client.get(reverse("sessions:resume", args=[session.code]))
    assert resumed.url == reverse("sessions:rate_done", args=[session.code])
    session.refresh_from_db()
    assert session.stage == Stage.RATE
    reviewing = clinician_client.post(resumed.url)
    assert reviewing.url == reverse("sessions:review", args=[session.code])
    session.refresh_from_db()
    assert session.stage == Stage.REVIEW
    # Now past rating: the link opens nothing more, and the refusal is logged.
    refused = phone.get(link_url("start", new.token))
    assert refused.status_code == 404
    assert logged(AccessLog.Kind.RATING_LINK_REFUSED).count() == 1


def test_the_end_page_with_nothing_answered_leaves_the_rating_to_the_clinic(
    phone, clinician_client, patient, clinician
):
    new = make_link(patient, clinician)
    session = new.link.session

    assert phone.get(link_url("done", new.token)).status_code == 200

    resumed = clinician_client.get(reverse("sessions:resume", args=[session.code]))
    assert resumed.url != reverse("sessions:review", args=[session.code])
    session.refresh_from_db()
    assert session.stage != Stage.REVIEW


def test_with_actions_to_review_those_come_first_then_the_review(
    phone, clinician_client, patient, clinician
):
    session_complete(patient, ratings={"job": 3}, actions={"job": ["Phone the job centre"]})
    new = make_link(patient, clinician)
    session = new.link.session
    assert session.stage == Stage.REVIEW_ACTIONS

    rate_everything_by_link(phone, new.token, session)
    resumed = clinician_client.get(reverse("sessions:resume", args=[session.code]))
    assert resumed.url == reverse("sessions:review_actions", args=[session.code])
    earlier = patient.sessions.get(number=1).areas.get().actions.get()
    moved_on = clinician_client.post(
        reverse("sessions:review_actions", args=[session.code]),
        {f"status-{earlier.id}": "done", f"comment-{earlier.id}": ""},
    )

    assert moved_on.url == reverse("sessions:review", args=[session.code])


def test_an_expired_link_is_refused_and_logged(phone, patient, clinician):
    new = make_link(patient, clinician)
    RatingLink.objects.filter(pk=new.link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = phone.get(link_url("start", new.token))

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert logged(AccessLog.Kind.RATING_LINK_REFUSED).get().session_code == new.link.session.code
    assert not logged(AccessLog.Kind.RATING_LINK_OPENED).exists()


def test_wrong_tokens_are_throttled_even_a_right_one_during_the_cool_off(phone, patient, clinician):
    new = make_link(patient, clinician)
    for attempt in range(LINK_TRIES):
        assert phone.get(link_url("start", f"guess{attempt:017d}")).status_code == 404

    refused = phone.get(link_url("start", new.token))

    assert refused.status_code == 429
    assert "Too many tries" in refused.content.decode()
    assert not logged(AccessLog.Kind.RATING_LINK_OPENED).exists()
    elsewhere = phone.get(link_url("start", new.token), REMOTE_ADDR="10.9.8.7")
    # Counted per address: another device is not locked out.
    assert elsewhere.status_code == 302
    cache.clear()  # the cool-off ends
    assert phone.get(link_url("start", new.token)).status_code == 302


# --- the clinician's side -----------------------------------------------------------------


def test_the_clinician_makes_a_link_and_sees_it_once_as_qr_code_and_short_link(
    clinician_client, patient
):
    response = clinician_client.post(reverse("sessions:link_create", args=[patient.code]))

    html = response.content.decode()
    assert response.status_code == 200
    url = re.search(r'<code class="rating-link-url">([^<]+)</code>', html).group(1)
    assert "<svg" in html and 'role="img"' in html
    link, refusal = rating_link_for_token(token_of(url))
    assert refusal is None
    assert link.session.patient == patient
    assert str(link.created_by.pk) == clinician_client.session["_auth_user_id"]


def test_the_patient_page_shows_the_active_link_and_the_answers_so_far(
    phone, clinician_client, patient, clinician
):
    new = make_link(patient, clinician)
    phone.post(link_url("item", new.token, 1), {"value": "5"})
    phone.post(link_url("item", new.token, 1), {"needs_help": "no"})
    phone.post(link_url("item", new.token, 2), {"value": "3"})

    page = clinician_client.get(reverse("patients:detail", args=[patient.code])).content.decode()

    assert "A rating link is active until" in page
    assert "2 of 11 items answered so far." in page
    clinician_client.post(reverse("sessions:link_revoke", args=[new.link.session.code]))
    page = clinician_client.get(reverse("patients:detail", args=[patient.code])).content.decode()
    assert "A rating link is active until" not in page
    assert rating_link_for_token(new.token)[1] == Refusal.REVOKED


def test_the_agenda_lists_the_sessions_rated_and_waiting_in_the_users_clinic_only(
    phone, clinician_client, outsider_client, patient, clinician, colleague
):
    new = make_link(patient, clinician)
    rate_everything_by_link(phone, new.token, new.link.session)
    neighbour = PatientFactory(clinic=patient.clinic, key_clinician=colleague)
    by_nurse = services.session_start(
        patient=neighbour, clinician=colleague, attendance=DialogSession.Attendance.ALONE
    ).session
    services.session_advance(session=by_nurse, stage=Stage.REVIEW)
    still_rating = PatientFactory(clinic=patient.clinic, key_clinician=clinician)
    services.session_start(
        patient=still_rating, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    )

    page = clinician_client.get(reverse("reminders:agenda")).content.decode()
    other = outsider_client.get(reverse("reminders:agenda")).content.decode()

    assert reverse("sessions:resume", args=[new.link.session.code]) in page
    assert reverse("sessions:resume", args=[by_nurse.code]) in page
    assert still_rating.full_name not in page
    assert "rated by the patient's link" in page
    assert patient.full_name not in other
    assert new.link.session.code not in other


# --- the reminder ---------------------------------------------------------------------------


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "tests.reminders.factories.MemorySMSBackend"
    MemorySMSBackend.sent = []
    MemorySMSBackend.failures = 0
    yield MemorySMSBackend
    MemorySMSBackend.sent = []


def send(row):
    reminders_claim_due()
    reminder_send(reminder_id=row.id)
    row.refresh_from_db()
    return row


def test_the_consenting_patients_reminder_carries_a_working_link(patient, sms, settings, phone):
    settings.DIALOGPLUS_PUBLIC_URL = "https://dialogplus.example.org"
    ContactPreferenceFactory(patient=patient)

    send(reminder_for(patient))

    text = sms.sent[0]["text"]
    found = re.search(r"https://dialogplus\.example\.org(/r/[\w-]+/)", text)
    assert found, text
    link, refusal = rating_link_for_token(token_of(found.group(1)))
    assert refusal is None
    assert link.created_by is None
    assert link.session.clinician == patient.key_clinician
    assert phone.get(found.group(1)).status_code == 302


def test_no_link_without_consent_without_the_choice_or_to_a_carer(
    patient, carer_with_consent, sms, mailoutbox
):
    from patients.models import Carer

    carer = Carer.objects.get(user=carer_with_consent)
    CarerContactPreferenceFactory(carer=carer)
    pref = ContactPreferenceFactory(patient=patient, consent_to_reminders=False)
    row = reminder_for(patient)
    to_carer = Reminder.objects.create(
        clinic=patient.clinic,
        patient=patient,
        carer=carer,
        kind=Reminder.Kind.APPOINTMENT_CARER,
        recipient_key=f"carer:{carer.pk}",
        channel="email",
        appointment=row.appointment,
        event_at=row.event_at,
        due_at=row.due_at,
    )

    assert send(row).status == Reminder.Status.CANCELLED
    assert send(to_carer).status == Reminder.Status.SENT
    assert "/r/" not in mailoutbox[0].body
    assert not RatingLink.objects.exists()

    pref.consent_to_reminders = True
    pref.save()
    Appointment.objects.filter(pk=row.appointment_id).update(send_rating_link=False)
    Reminder.objects.filter(pk=row.pk).update(status=Reminder.Status.QUEUED)
    assert send(row).status == Reminder.Status.SENT
    assert "/r/" not in sms.sent[0]["text"]
    assert not RatingLink.objects.exists()


def test_the_appointment_form_stores_the_choice(clinician_client, patient):
    url = reverse("reminders:appointment", args=[patient.code])

    form = clinician_client.get(url).content.decode()
    clinician_client.post(url, {"when": local_input(soon_day(), 10, 30)})

    assert "Send a rating link with the reminder" in form
    assert re.search(r'name="send_rating_link"[^>]*checked', form)
    assert Appointment.objects.get(patient=patient).send_rating_link is False
    clinician_client.post(url, {"when": local_input(soon_day(), 10, 30), "send_rating_link": "on"})
    assert Appointment.objects.get(patient=patient, cancelled_at=None).send_rating_link is True


def test_the_links_accesses_read_as_the_patients_in_the_clinics_log_and_who_saw_it(
    phone, clinic_admin_client, clinician_client, patient, clinician
):
    new = make_link(patient, clinician)
    phone.get(link_url("start", new.token))

    log = clinic_admin_client.get(reverse("audit:log")).content.decode()
    report = clinician_client.get(
        reverse("audit:access_report", args=[patient.code])
    ).content.decode()

    for page in (log, report):
        assert "Patient (rating link)" in page
        assert "Rating link opened" in page
