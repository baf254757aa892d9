"""Reminders of an action go to whoever agreed to do it (issue 9, item 8d):
the patient, a carer with both consents, or the clinician, each once."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from reminders.models import Reminder
from reminders.services import reminders_schedule_for_session
from reminders.services.messages import message_for
from sessions_app import services
from sessions_app.models import Action, DialogSession

from .factories import CarerContactPreferenceFactory

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")
KIND = Reminder.Kind
DUE = datetime.date(2030, 5, 6)
NOW = datetime.datetime(2030, 1, 1, tzinfo=BELGRADE)


@pytest.fixture
def carer(patient, carer_with_consent):
    carer = patient.carers.get(user=carer_with_consent)
    CarerContactPreferenceFactory(carer=carer)
    return carer


def finished_session_with(patient, clinician, owners):
    """A finished session with one action per owner (``"carer"`` needs a carer)."""
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    job = session.scale_version.domains.get(key="job")
    [area] = services.areas_select(session=session, domain_ids=[job.id])
    for owner, carer in owners:
        services.action_add(
            session=session,
            area=area,
            text=f"Action of the {owner}",
            owner=owner,
            owner_name="Someone" if owner == "other" else "",
            carer=carer,
            client_token=uuid.uuid4(),
        )
    services.session_finish(session=session)
    Action.objects.filter(area__session=session).update(due_date=DUE)
    return session


def rows():
    return {(r.kind, r.recipient_key): r for r in Reminder.objects.all()}


def test_each_owner_of_an_action_gets_its_own_reminder_once(reachable_patient, clinician, carer):
    session = finished_session_with(
        reachable_patient,
        clinician,
        [("patient", None), ("carer", carer), ("clinician", None), ("other", None)],
    )

    reminders_schedule_for_session(session=session, now=NOW)
    reminders_schedule_for_session(session=session, now=NOW)

    found = rows()
    assert set(found) == {
        (KIND.ACTION_DUE, f"patient:{reachable_patient.pk}"),
        (KIND.ACTION_DUE_CARER, f"carer:{carer.pk}"),
        (KIND.ACTION_DUE_CLINICIAN, f"user:{clinician.pk}"),
    }
    carer_row = found[(KIND.ACTION_DUE_CARER, f"carer:{carer.pk}")]
    clinician_row = found[(KIND.ACTION_DUE_CLINICIAN, f"user:{clinician.pk}")]
    assert carer_row.action.text == "Action of the carer"
    assert (carer_row.carer, carer_row.channel) == (carer, "email")
    assert (clinician_row.user, clinician_row.channel) == (clinician, "email")
    nine = datetime.datetime(2030, 5, 6, 9, tzinfo=BELGRADE)
    assert {r.due_at for r in found.values()} == {nine}


def test_the_carer_and_the_clinician_are_written_in_their_own_language(
    reachable_patient, clinician, carer
):
    carer.language = "mk"
    carer.save()
    clinician.language = "sq"
    clinician.save()
    session = finished_session_with(
        reachable_patient, clinician, [("carer", carer), ("clinician", None)]
    )
    reminders_schedule_for_session(session=session, now=NOW)
    found = rows()

    to_carer, _ = message_for(found[(KIND.ACTION_DUE_CARER, f"carer:{carer.pk}")])
    to_clinician, _ = message_for(found[(KIND.ACTION_DUE_CLINICIAN, f"user:{clinician.pk}")])

    assert (to_carer.language, to_carer.address) == ("mk", carer.email or carer.user.email)
    assert (to_clinician.language, to_clinician.address) == ("sq", clinician.email)
    # Neither names the action itself (no clinical content in a reminder).
    assert "Action of the" not in to_carer.body + to_clinician.body


def test_english_wording_of_the_carer_and_clinician_reminders(reachable_patient, clinician, carer):
    carer.language = "en"
    carer.save()
    clinician.language = "en"
    clinician.save()
    session = finished_session_with(
        reachable_patient, clinician, [("carer", carer), ("clinician", None)]
    )
    reminders_schedule_for_session(session=session, now=NOW)
    found = rows()

    to_carer, _ = message_for(found[(KIND.ACTION_DUE_CARER, f"carer:{carer.pk}")])
    to_clinician, _ = message_for(found[(KIND.ACTION_DUE_CLINICIAN, f"user:{clinician.pk}")])

    assert "something you agreed to do for the person you support is due on" in to_carer.body
    assert "Stop reminders:" in to_carer.body
    assert f"with patient {reachable_patient.code}" in to_clinician.body


def test_a_carer_without_their_own_consent_to_reminders_gets_none(
    reachable_patient, clinician, carer_with_consent
):
    carer = reachable_patient.carers.get(user=carer_with_consent)
    session = finished_session_with(reachable_patient, clinician, [("carer", carer)])

    reminders_schedule_for_session(session=session, now=NOW)

    assert not Reminder.objects.exists()


def test_withdrawn_consent_cancels_the_carers_pending_action_reminder(
    reachable_patient, clinician, carer
):
    session = finished_session_with(reachable_patient, clinician, [("carer", carer)])
    reminders_schedule_for_session(session=session, now=NOW)
    pref = carer.reminder_preference
    pref.consent_to_reminders = False
    pref.save()

    reminders_schedule_for_session(session=session, now=NOW)

    assert Reminder.objects.get().status == Reminder.Status.CANCELLED


def test_a_clinician_who_left_the_clinic_gets_no_action_reminder(reachable_patient, clinician):
    session = finished_session_with(reachable_patient, clinician, [("clinician", None)])
    clinician.memberships.update(is_active=False)

    reminders_schedule_for_session(session=session, now=NOW)

    assert not Reminder.objects.exists()


def test_the_database_refuses_a_second_row_per_action_kind_and_recipient(
    reachable_patient, clinician, carer
):
    session = finished_session_with(reachable_patient, clinician, [("carer", carer)])
    reminders_schedule_for_session(session=session, now=NOW)
    row = Reminder.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            clinic=row.clinic,
            kind=row.kind,
            channel=row.channel,
            patient=row.patient,
            carer=row.carer,
            recipient_key=row.recipient_key,
            action=row.action,
            event_at=row.event_at,
            due_at=row.due_at,
        )
