"""Carers from the patient page: consent, invitation, withdrawal, history, and
what a carer then reads, through the real HTTP layer.

Personas (tests/conftest.py): `clinician` looks after `patient` in clinic A;
`carer_with_consent` and `carer_withdrawn` are `patient`'s carers' accounts.
"""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership
from audit.models import AccessLog
from patients import carer_services
from patients.models import Carer
from sessions_app import services
from sessions_app.models import Action, DialogSession
from tests.factories import (
    CarerFactory,
    ClinicianFactory,
    PatientFactory,
    UserFactory,
    in_days,
    session_complete,
)

pytestmark = pytest.mark.django_db

User = get_user_model()

CARER_FORM = {
    "full_name": "  Marija   Jovanović ",
    "relationship": "mother",
    "email": "Marija.J@example.org",
    "phone": "+381 64 123 4567",
    "language": "sr-latn",
    "share_summaries": "on",
    "confirm": "on",
}


def html(response):
    return response.content.decode()


def carer_url(name, carer):
    return reverse(f"patients:{name}", kwargs={"code": carer.patient.code, "carer_id": carer.pk})


def add_url(patient):
    return reverse("patients:carer_add", kwargs={"code": patient.code})


def form_for(carer, **changes):
    """The edit form as the clinician would send it back, with ``changes``."""
    data = {
        "full_name": carer.full_name,
        "relationship": carer.relationship,
        "email": carer.email,
        "phone": carer.phone,
        "language": carer.language,
    }
    if carer.has_consent:
        data["share_summaries"] = "on"
        if carer.share_ratings:
            data["share_ratings"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def marija(patient, clinician):
    """`patient`'s mother, consent to share summaries recorded, not yet invited."""
    return carer_services.carer_create(
        patient=patient,
        recorded_by=clinician,
        full_name="Marija Jovanović",
        relationship="mother",
        email="marija@example.org",
        phone="+381641234567",
        share_summaries=True,
        patient_confirmed=True,
    )


@pytest.fixture
def finished(patient):
    """`patient`'s first session: finished, an action, a note, a next appointment."""
    session = services.session_start(
        patient=patient, clinician=patient.key_clinician, attendance="alone"
    ).session
    job = session.scale_version.domains.get(key="job")
    services.rating_record(session=session, domain_id=job.id, value=3)
    (area,) = services.areas_select(session=session, domain_ids=[job.id])
    services.step_note_save(session=session, area=area, step=1, text="Lost the job in May")
    services.action_add(
        session=session,
        area=area,
        text="Phone the job centre",
        owner="patient",
        client_token=uuid.uuid4(),
    )
    return services.session_finish(session=session, next_appointment=in_days(20))


# --- the panel on the patient page -----------------------------------------------------------


def test_the_patient_page_says_when_no_carer_is_recorded(clinician_client, patient):
    page = html(clinician_client.get(reverse("patients:detail", args=[patient.code])))

    assert "No carer is recorded." in page
    assert reverse("patients:carer_add", args=[patient.code]) in page


def test_the_patient_page_shows_each_carer_with_consent_and_masked_contacts(
    clinician_client, patient, marija
):
    page = html(clinician_client.get(reverse("patients:detail", args=[patient.code])))

    assert "Marija Jovanović" in page
    assert "Session summaries, without the ratings" in page
    assert "Active" in page
    assert "recorded" in page and "by Clara Clinician" in page
    assert "Not invited" in page
    assert "m•••••@example.org" in page
    assert "+381••••••567" in page
    assert "marija@example.org" not in page
    assert "+381641234567" not in page
    for name in ("carer_edit", "carer_invite", "carer_withdraw", "carer_history"):
        assert carer_url(name, marija) in page


def test_the_patient_page_shows_a_withdrawn_consent_and_offers_no_withdrawal(
    clinician_client, patient, marija, clinician
):
    carer_services.carer_withdraw_consent(carer=marija, recorded_by=clinician)

    page = html(clinician_client.get(reverse("patients:detail", args=[patient.code])))

    assert "Withdrawn" in page
    assert ">Nothing<" in page
    assert carer_url("carer_withdraw", marija) not in page


def test_the_panel_shows_invited_and_signed_in_carers(clinician_client, patient, marija, rf):
    carer_services.carer_invite(carer=marija, invited_by=patient.key_clinician)
    detail = reverse("patients:detail", args=[patient.code])

    assert "Invited on" in html(clinician_client.get(detail))
    assert "Send the invitation again" in html(clinician_client.get(detail))

    marija.user.last_login = timezone.now()
    marija.user.save(update_fields=["last_login"])
    page = html(clinician_client.get(detail))
    assert "Has signed in" in page
    assert carer_url("carer_invite", marija) not in page


# --- adding and editing ---------------------------------------------------------------------------


def test_adding_a_carer_records_the_consent_with_who_and_when(clinician_client, patient, clinician):
    response = clinician_client.post(add_url(patient), CARER_FORM)

    assert response.status_code == 302
    assert response.url == reverse("patients:detail", args=[patient.code]) + "#carers"
    carer = Carer.objects.get(patient=patient)
    assert carer.full_name == "Marija Jovanović"
    assert (carer.email, carer.phone, carer.language) == (
        "marija.j@example.org",
        "+381641234567",
        "sr-latn",
    )
    assert carer.has_consent and not carer.share_ratings
    assert carer.consent_recorded_by == clinician
    assert abs((timezone.now() - carer.consent_recorded_at).total_seconds()) < 60
    assert carer.user is None and carer.invited_at is None


def test_consent_needs_the_confirmation_and_nothing_typed_is_lost(clinician_client, patient):
    data = {**CARER_FORM}
    del data["confirm"]

    response = clinician_client.post(add_url(patient), data)

    page = html(response)
    assert response.status_code == 200
    assert "Confirm that the patient told you this today." in page
    assert 'value="  Marija   Jovanović "' in page
    assert 'value="Marija.J@example.org"' in page
    assert 'value="+381 64 123 4567"' in page
    assert not Carer.objects.exists()


def test_ratings_are_shared_only_with_the_summaries(clinician_client, patient):
    data = {**CARER_FORM, "share_ratings": "on"}
    del data["share_summaries"]

    response = clinician_client.post(add_url(patient), data)

    assert response.status_code == 200
    assert "Ratings are shared only together with the summaries." in html(response)
    assert not Carer.objects.exists()


def test_a_phone_number_without_country_code_is_refused_beside_the_field(clinician_client, patient):
    response = clinician_client.post(add_url(patient), {**CARER_FORM, "phone": "064 123"})

    page = html(response)
    assert "Enter a mobile number with the country code" in page
    assert 'value="064 123"' in page
    assert not Carer.objects.exists()


def test_a_carer_without_consent_needs_no_confirmation(clinician_client, patient):
    response = clinician_client.post(
        add_url(patient), {"full_name": "Ivan Jovanović", "relationship": "brother"}
    )

    assert response.status_code == 302
    carer = Carer.objects.get()
    assert not carer.has_consent
    assert carer.consent_recorded_at is None


def test_the_add_form_offers_the_patients_language_as_the_default(clinician_client, patient):
    page = html(clinician_client.get(add_url(patient)))

    assert "The patient&#x27;s language (English)" in page
    assert "The patient agrees to share session summaries with this carer" in page
    assert "The patient also agrees to share the ratings" in page


def test_fixing_a_phone_number_needs_no_confirmation_and_keeps_the_consent_record(
    client_for, clinician_client, marija, colleague
):
    recorded = (marija.consent_recorded_at, marija.consent_recorded_by)

    response = client_for(colleague).post(
        carer_url("carer_edit", marija), form_for(marija, phone="+381 65 999 0000")
    )

    assert response.status_code == 302
    marija.refresh_from_db()
    assert marija.phone == "+381659990000"
    assert (marija.consent_recorded_at, marija.consent_recorded_by) == recorded


def test_sharing_the_ratings_too_is_a_new_consent_by_whoever_records_it(
    client_for, marija, colleague
):
    response = client_for(colleague).post(
        carer_url("carer_edit", marija), form_for(marija, share_ratings="on", confirm="on")
    )

    assert response.status_code == 302
    marija.refresh_from_db()
    assert marija.has_consent and marija.share_ratings
    assert marija.consent_recorded_by == colleague


def test_unticking_the_summaries_withdraws_the_consent(clinician_client, marija):
    data = form_for(marija, confirm="on")
    del data["share_summaries"]

    clinician_client.post(carer_url("carer_edit", marija), data)

    marija.refresh_from_db()
    assert not marija.has_consent
    assert marija.consent_withdrawn_at is not None


def test_sharing_again_after_a_withdrawal_is_a_new_consent(
    client_for, clinician_client, marija, clinician, colleague
):
    carer_services.carer_withdraw_consent(carer=marija, recorded_by=clinician)
    marija.refresh_from_db()

    response = client_for(colleague).post(
        carer_url("carer_edit", marija), form_for(marija, share_summaries="on", confirm="on")
    )

    assert response.status_code == 302
    marija.refresh_from_db()
    assert marija.has_consent
    assert marija.consent_withdrawn_at is None
    assert marija.consent_recorded_by == colleague


def test_the_edit_form_shows_sharing_as_it_stands_after_a_withdrawal(
    clinician_client, patient, clinician
):
    # A carer withdrawn before this page existed still has the flags set.
    carer = CarerFactory(patient=patient, withdrawn=True, share_ratings=True)

    page = html(clinician_client.get(carer_url("carer_edit", carer)))

    assert 'name="share_summaries"' in page
    assert not re.search(r'name="share_summaries"[^>]*checked', page)
    assert not re.search(r'name="share_ratings"[^>]*checked', page)


def test_a_new_email_address_ends_the_link_to_the_invited_account(clinician_client, marija, rf):
    carer_services.carer_invite(carer=marija, invited_by=marija.patient.key_clinician)
    old_account = marija.user

    response = clinician_client.post(
        carer_url("carer_edit", marija), form_for(marija, email="marija.new@example.org")
    )

    assert response.status_code == 302
    marija.refresh_from_db()
    assert marija.user is None and marija.invited_at is None
    assert not old_account.carer_links.exists()


def test_a_carer_of_another_patient_is_a_404_through_this_patients_page(
    clinician_client, patient, clinic, clinician
):
    neighbour = PatientFactory(clinic=clinic, key_clinician=clinician)
    theirs = CarerFactory(patient=neighbour)
    url = reverse("patients:carer_edit", kwargs={"code": patient.code, "carer_id": theirs.pk})

    assert clinician_client.get(url).status_code == 404


def test_an_outsider_gets_404_for_the_carer_pages(outsider_client, marija):
    for name in ("carer_edit", "carer_withdraw", "carer_history"):
        assert outsider_client.get(carer_url(name, marija)).status_code == 404
    assert outsider_client.post(carer_url("carer_invite", marija)).status_code == 404
    marija.refresh_from_db()
    assert marija.user is None


# --- invitation ---------------------------------------------------------------------------------


@pytest.fixture
def sent(monkeypatch):
    """Every invitation sent through the carer service, with its arguments."""
    calls = []
    real = carer_services.invitation_send

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(carer_services, "invitation_send", spy)
    return calls


def test_inviting_creates_the_carers_account_in_their_language_and_emails_the_link(
    clinician_client, marija, mailoutbox, sent
):
    marija.language = "sq"
    marija.save()

    response = clinician_client.post(carer_url("carer_invite", marija))

    assert response.status_code == 302
    marija.refresh_from_db()
    user = marija.user
    assert user.email == "marija@example.org"
    assert user.full_name == "Marija Jovanović"
    assert user.language == "sq"
    assert not user.has_usable_password()
    assert not user.memberships.exists()
    assert marija.invited_at is not None
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["marija@example.org"]
    assert "/accounts/invitation/" in mailoutbox[0].body
    assert sent[0]["language"] == "sq"
    assert sent[0]["clinic"] == marija.patient.clinic
    # Nothing about the patient goes into the message.
    assert marija.patient.full_name not in mailoutbox[0].body
    assert marija.patient.full_name not in mailoutbox[0].subject


def test_without_a_language_of_their_own_the_carer_is_invited_in_the_patients(
    clinician_client, marija, sent
):
    marija.patient.language = "mk"
    marija.patient.save()

    clinician_client.post(carer_url("carer_invite", marija))

    marija.refresh_from_db()
    assert marija.user.language == "mk"
    assert sent[0]["language"] == "mk"


def test_a_carer_of_two_patients_has_one_account(clinician_client, marija, clinic, clinician):
    clinician_client.post(carer_url("carer_invite", marija))
    sister = PatientFactory(clinic=clinic, key_clinician=clinician)
    second = carer_services.carer_create(
        patient=sister,
        recorded_by=clinician,
        full_name="Marija Jovanović",
        email="MARIJA@example.org",
        share_summaries=True,
        patient_confirmed=True,
    )

    clinician_client.post(carer_url("carer_invite", second))

    marija.refresh_from_db()
    second.refresh_from_db()
    assert second.user == marija.user
    assert User.objects.filter(email__iexact="marija@example.org").count() == 1


def test_sending_again_keeps_the_account_and_sends_a_new_link(clinician_client, marija, mailoutbox):
    clinician_client.post(carer_url("carer_invite", marija))
    marija.refresh_from_db()
    first_user, first_time = marija.user, marija.invited_at

    clinician_client.post(carer_url("carer_invite", marija))

    marija.refresh_from_db()
    assert marija.user == first_user
    assert marija.invited_at > first_time
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("where", ["this clinic", "another clinic"])
def test_a_staff_email_is_refused_without_saying_which_clinic(
    clinician_client, marija, mailoutbox, clinic, other_clinic, where
):
    staff = ClinicianFactory(
        clinic=clinic if where == "this clinic" else other_clinic, email="staff@example.org"
    )
    marija.email = "Staff@Example.org"
    marija.save()

    response = clinician_client.post(carer_url("carer_invite", marija), follow=True)

    message = re.search(r'<div class="messages".*?</div>\s*</div>', html(response), re.S).group(0)
    assert "belongs to a staff account" in message
    assert clinic.name not in message and other_clinic.name not in message
    marija.refresh_from_db()
    assert marija.user is None and marija.invited_at is None
    assert not mailoutbox
    assert Membership.objects.filter(user=staff).count() == 1
    assert staff.carer_links.count() == 0


def test_an_inactive_staff_membership_still_keeps_the_account_out(
    clinician_client, marija, other_clinic, mailoutbox
):
    staff = ClinicianFactory(clinic=other_clinic, email="former@example.org")
    staff.memberships.update(is_active=False)
    marija.email = "former@example.org"
    marija.save()

    clinician_client.post(carer_url("carer_invite", marija))

    marija.refresh_from_db()
    assert marija.user is None
    assert not mailoutbox


def test_inviting_needs_an_email_address(clinician_client, patient, clinician, mailoutbox):
    carer = carer_services.carer_create(
        patient=patient, recorded_by=clinician, full_name="Ivan", share_summaries=False
    )

    response = clinician_client.post(carer_url("carer_invite", carer), follow=True)

    assert "Add the carer&#x27;s email address first" in html(response)
    carer.refresh_from_db()
    assert carer.user is None
    assert not mailoutbox


def test_an_invitation_that_cannot_be_sent_changes_nothing(clinician_client, marija, monkeypatch):
    def broken(**kwargs):
        raise OSError("mail server unreachable")

    monkeypatch.setattr(carer_services, "invitation_send", broken)

    response = clinician_client.post(carer_url("carer_invite", marija), follow=True)

    assert "could not be sent just now" in html(response)
    marija.refresh_from_db()
    assert marija.user is None and marija.invited_at is None
    assert not User.objects.filter(email="marija@example.org").exists()


def test_inviting_is_post_only(clinician_client, marija):
    assert clinician_client.get(carer_url("carer_invite", marija)).status_code == 405


def test_the_invited_carer_sets_a_password_and_reads_the_summary_without_a_second_factor(
    clinician_client, marija, finished, mailoutbox, client
):
    clinician_client.post(carer_url("carer_invite", marija))
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mailoutbox[0].body).group(0)
    path = urlsplit(link).path

    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "blue kettle on a hill", "new_password2": "blue kettle on a hill"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("sessions:carer_home")
    assert "Phone the job centre" not in html(response)  # the list, not the summary
    assert f"Session {finished.number}" in html(response)
    summary = client.get(reverse("sessions:carer_summary", args=[finished.code]))
    assert summary.status_code == 200
    assert "Phone the job centre" in html(summary)


# --- withdrawal ---------------------------------------------------------------------------------


def test_withdrawing_asks_for_confirmation_first(clinician_client, marija):
    response = clinician_client.get(carer_url("carer_withdraw", marija))

    assert response.status_code == 200
    assert "no longer agrees to share with Marija Jovanović" in html(response)
    marija.refresh_from_db()
    assert marija.has_consent


def test_withdrawal_takes_effect_on_the_carers_very_next_request(
    clinician_client, patient, finished, carer_with_consent, carer_with_consent_client, clinician
):
    summary = reverse("sessions:carer_summary", args=[finished.code])
    assert carer_with_consent_client.get(summary).status_code == 200
    link = carer_with_consent.carer_links.get()

    response = clinician_client.post(carer_url("carer_withdraw", link))

    assert response.status_code == 302
    assert carer_with_consent_client.get(summary).status_code == 404
    home = html(carer_with_consent_client.get(reverse("sessions:carer_home")))
    assert "Nothing has been shared with you yet." in home
    assert finished.code not in home
    link.refresh_from_db()
    assert link.consent_withdrawn_at is not None
    assert not link.share_summaries and not link.share_ratings
    assert link.consent_recorded_by == clinician


def test_withdrawing_twice_records_one_change(clinician_client, marija):
    clinician_client.post(carer_url("carer_withdraw", marija))
    changes = marija.history.count()

    clinician_client.post(carer_url("carer_withdraw", marija))

    assert marija.history.count() == changes


def test_a_withdrawn_carer_is_no_longer_offered_for_withdrawal(clinician_client, marija, clinician):
    carer_services.carer_withdraw_consent(carer=marija, recorded_by=clinician)

    response = clinician_client.get(carer_url("carer_withdraw", marija))

    assert response.status_code == 302


# --- consent history ------------------------------------------------------------------------------


def test_the_consent_history_says_who_changed_what_and_when(
    client_for, clinician_client, marija, colleague, clinician
):
    client_for(colleague).post(
        carer_url("carer_edit", marija), form_for(marija, share_ratings="on", confirm="on")
    )
    carer_services.carer_withdraw_consent(carer=marija, recorded_by=clinician)

    response = clinician_client.get(carer_url("carer_history", marija))

    page = html(response)
    assert response.status_code == 200
    entries = re.findall(
        r"<li class=\"card card-body\">(.*?)</li>\s*(?=<li class=\"card|</ol>)", page, re.S
    )
    assert len(entries) == 3
    newest, middle, oldest = entries
    assert "Clara Clinician" in newest
    assert "Shares session summaries: Yes → No" in newest
    assert "Shares ratings: Yes → No" in newest
    assert "Consent withdrawn: — →" in newest
    assert "Colin Colleague" in middle
    assert "Shares ratings: No → Yes" in middle
    assert "Carer added" in oldest
    assert "Shares session summaries: Yes" in oldest
    # Contact details stay masked here too.
    assert "marija@example.org" not in page
    assert AccessLog.objects.filter(kind=AccessLog.Kind.HISTORY, patient=marija.patient).exists()


def test_the_consent_history_speaks_the_clinicians_language(clinician_client, clinician, marija):
    clinician.language = "sr"
    clinician.save(update_fields=["language"])

    page = html(clinician_client.get(carer_url("carer_history", marija)))

    assert '<html lang="sr"' in page


# --- what the carer reads -------------------------------------------------------------------------


def test_a_carer_with_nothing_shared_is_told_so_kindly(client_for):
    carer = UserFactory(full_name="New Carer")

    page = html(client_for(carer).get(reverse("sessions:carer_home")))

    assert "Nothing has been shared with you yet." in page
    assert "ask the patient or their clinician" in page


def test_the_carer_home_lists_finished_sessions_newest_first_per_patient(
    patient, carer_with_consent, carer_with_consent_client, clinic, clinician
):
    first = session_complete(patient, ratings={"job": 3})
    second = session_complete(patient, ratings={"job": 4})
    open_one = services.session_start(
        patient=patient, clinician=clinician, attendance="alone"
    ).session
    neighbour = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Nina Neighbour")
    theirs = session_complete(neighbour, ratings={"job": 5})

    page = html(carer_with_consent_client.get(reverse("sessions:carer_home")))

    assert page.index(second.code) < page.index(first.code)
    assert open_one.code not in page
    assert theirs.code not in page
    assert "Nina Neighbour" not in page


def test_a_patient_with_no_finished_session_yet_has_a_kind_empty_state(
    carer_with_consent_client, patient
):
    page = html(carer_with_consent_client.get(reverse("sessions:carer_home")))

    assert "Petra Patient" in page
    assert "No summary yet." in page


def test_a_carer_of_two_patients_sees_both(
    client_for, patient, clinic, clinician, carer_with_consent
):
    sister = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Sara Sister")
    CarerFactory(patient=sister, user=carer_with_consent)
    mine = session_complete(patient, ratings={"job": 3})
    hers = session_complete(sister, ratings={"job": 4})

    page = html(client_for(carer_with_consent).get(reverse("sessions:carer_home")))

    assert mine.code in page and hers.code in page
    assert "Petra Patient" in page and "Sara Sister" in page


def test_the_summary_shows_areas_actions_and_next_appointment_never_notes(
    carer_with_consent_client, finished
):
    response = carer_with_consent_client.get(
        reverse("sessions:carer_summary", args=[finished.code])
    )

    page = html(response)
    assert response.status_code == 200
    assert "Job situation" in page
    assert "Phone the job centre" in page
    assert "Who: Patient" in page
    assert "Next appointment" in page
    assert "Lost the job in May" not in page
    assert "Your action" not in page
    assert '<h2 class="h5">Ratings</h2>' not in page


def test_the_summary_shows_ratings_only_when_the_patient_shares_them(
    carer_with_consent, carer_with_consent_client, finished
):
    link = carer_with_consent.carer_links.get()
    link.share_ratings = True
    link.save()

    page = html(
        carer_with_consent_client.get(reverse("sessions:carer_summary", args=[finished.code]))
    )

    assert '<h2 class="h5">Ratings</h2>' in page
    assert "3 · " in page


def test_the_carers_own_action_is_marked(client_for, patient, carer_with_consent, clinician):
    link = carer_with_consent.carer_links.get()
    session = services.session_start(
        patient=patient, clinician=clinician, attendance="alone"
    ).session
    job = session.scale_version.domains.get(key="job")
    (area,) = services.areas_select(session=session, domain_ids=[job.id])
    for text, carer in (("Drive Petra to the interview", link), ("Call the job centre", None)):
        services.action_add(
            session=session,
            area=area,
            text=text,
            owner=Action.Owner.CARER if carer else Action.Owner.PATIENT,
            carer=carer,
            client_token=uuid.uuid4(),
        )
    services.session_finish(session=session)

    page = html(
        client_for(carer_with_consent).get(reverse("sessions:carer_summary", args=[session.code]))
    )

    assert page.count("Your action") == 1
    mine = page.index("Drive Petra to the interview")
    assert mine < page.index("Your action") < page.index("Call the job centre")
    assert f"Who: Carer ({link.full_name})" in page


def test_opening_a_summary_is_logged_as_a_carer_reading_it(
    carer_with_consent, carer_with_consent_client, finished
):
    carer_with_consent_client.get(reverse("sessions:carer_summary", args=[finished.code]))

    log = AccessLog.objects.get(kind=AccessLog.Kind.CARER_SUMMARY)
    assert (log.user, log.patient, log.session_code, log.role) == (
        carer_with_consent,
        finished.patient,
        finished.code,
        AccessLog.Role.CARER,
    )


def test_a_summary_the_carer_may_not_read_is_not_logged(carer_withdrawn_client, finished):
    response = carer_withdrawn_client.get(reverse("sessions:carer_summary", args=[finished.code]))

    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_an_abandoned_session_is_never_shown(carer_with_consent_client, patient, clinician):
    session = services.session_start(
        patient=patient, clinician=clinician, attendance="alone"
    ).session
    services.session_abandon(session=session)

    page = html(carer_with_consent_client.get(reverse("sessions:carer_home")))

    assert session.code not in page
    assert session.status == DialogSession.Status.ABANDONED


@pytest.mark.parametrize(
    ("account_language", "carer_language", "expected"),
    [("", "sq", "sq"), ("", "", "mk"), ("hr", "sq", "hr")],
    ids=["the carer's language", "the patient's", "the account's own choice"],
)
def test_the_carer_reads_in_their_own_language(
    client_for, carer_with_consent, finished, account_language, carer_language, expected
):
    carer_with_consent.language = account_language
    carer_with_consent.save(update_fields=["language"])
    link = carer_with_consent.carer_links.get()
    link.language = carer_language
    link.save()
    patient = finished.patient
    patient.language = "mk"
    patient.save()
    client = client_for(carer_with_consent)
    job = finished.scale_version.domains.get(key="job")

    for url in (
        reverse("sessions:carer_home"),
        reverse("sessions:carer_summary", args=[finished.code]),
    ):
        page = html(client.get(url))
        assert f'<html lang="{expected}"' in page, url
    with translation.override(expected):
        assert job.short_name in page
