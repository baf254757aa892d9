"""A patient's full record with a marker string in every piece of it.

``build_record(patient, marker)`` fills every model the export reads and the
erasure changes, each text carrying ``marker``, so a test can look for the
marker of one patient in an export (it must be there) and for a neighbour's
marker (it must not). It also leaves copies in the history tables that the
live tables no longer hold: a carer who was removed, and an area that was
un-chosen with its note.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.utils import timezone

from audit.models import AccessLog
from audit.services import log_access
from patients.models import Carer
from reminders.models import Appointment, Channel, ContactChannel, ContactPreference, Reminder
from sessions_app import services
from sessions_app.models import Action, DialogSession
from tests.factories import UserFactory


@dataclass
class Record:
    patient: object
    marker: str
    name: str
    phone: str
    email: str
    carer: object
    carer_name: str
    carer_phone: str
    carer_email: str
    removed_carer_name: str
    first: object
    second: object
    carer_action: object
    appointment: object
    texts: list  # every clinical free text written, in the order written

    @property
    def identifying(self):
        """What must be nowhere once the patient is pseudonymised."""
        return [
            self.name,
            self.phone,
            self.email,
            self.carer_name,
            self.carer_phone,
            self.carer_email,
            self.removed_carer_name,
        ]


def _domains(session):
    return {domain.key: domain for domain in session.scale_version.domains.all()}


def build_record(patient, marker, *, phone_digits="641234567"):
    """Fill ``patient``'s record; every text carries ``marker``. Returns a ``Record``."""
    clinician = patient.key_clinician
    now = timezone.now()
    phone = f"+381{phone_digits}"
    email = f"{marker.lower()}.patient@example.org"
    ContactPreference.objects.create(
        patient=patient,
        phone=phone,
        email=email,
        channel=ContactChannel.SMS,
        consent_to_reminders=True,
        consent_recorded_at=now,
        consent_recorded_by=clinician,
    )
    carer_name = f"{marker} Carerson"
    carer = Carer.objects.create(
        patient=patient,
        user=UserFactory(full_name=carer_name),
        full_name=carer_name,
        relationship="aunt",
        email=f"{marker.lower()}.carer@example.org",
        phone=f"+381{phone_digits[::-1]}",
        share_summaries=True,
        consent_recorded_at=now,
        consent_recorded_by=clinician,
    )
    # A second consent decision: the history then holds two.
    carer.share_ratings = True
    carer.save()
    removed_name = f"{marker} Formercarer"
    removed = Carer.objects.create(patient=patient, full_name=removed_name, phone="+38160999888")
    removed.delete()

    texts = []

    def text(what):
        value = f"{marker} {what}"
        texts.append(value)
        return value

    first = services.session_start(
        patient=patient,
        clinician=clinician,
        attendance=DialogSession.Attendance.OTHER,
        attendance_note=text("attendance note"),
    ).session
    domains = _domains(first)
    services.rating_record(session=first, domain_id=domains["job"].id, value=3, needs_help=True)
    services.rating_record(session=first, domain_id=domains["leisure"].id, value=6)
    job, leisure = services.areas_select(
        session=first, domain_ids=[domains["job"].id, domains["leisure"].id]
    )
    # Written, cleared, and the area un-chosen: the note lives on in history only.
    services.step_note_save(session=first, area=leisure, step=1, text=text("unchosen note"))
    services.step_note_save(session=first, area=leisure, step=1, text="")
    (job,) = services.areas_select(session=first, domain_ids=[domains["job"].id])
    for step in range(1, 5):
        services.step_note_save(session=first, area=job, step=step, text=text(f"note {step}"))
    carer_action = services.action_add(
        session=first,
        area=job,
        text=text("carer action"),
        owner=Action.Owner.CARER,
        carer=carer,
        client_token=uuid.uuid4(),
    )
    services.action_add(
        session=first,
        area=job,
        text=text("patient action"),
        owner=Action.Owner.PATIENT,
        due_date=timezone.localdate() + datetime.timedelta(days=5),
        client_token=uuid.uuid4(),
    )
    first = services.session_finish(session=first)

    second = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.WITH_CARER
    ).session
    services.action_review_record(
        session=second, action=carer_action, status="partly", comment=text("review comment")
    )
    services.rating_record(session=second, domain_id=domains["job"].id, value=4)
    second = services.session_finish(session=second)

    # An appointment moved once (the first booking cancelled), and reminders as
    # the scheduler leaves them: one sent, one waiting, one to the carer.
    moved = Appointment.objects.create(
        clinic=patient.clinic,
        patient=patient,
        starts_at=now + datetime.timedelta(days=6, hours=1),
        session=first,
        created_by=clinician,
        cancelled_at=now - datetime.timedelta(hours=1),
    )
    appointment = Appointment.objects.create(
        clinic=patient.clinic,
        patient=patient,
        starts_at=now + datetime.timedelta(days=7, hours=1),
        session=first,
        created_by=clinician,
    )
    common = {
        "clinic": patient.clinic,
        "patient": patient,
        "appointment": appointment,
        "event_at": appointment.starts_at,
    }
    Reminder.objects.create(
        **common,
        kind=Reminder.Kind.APPOINTMENT_PATIENT,
        recipient_key=f"patient:{patient.pk}",
        channel=Channel.SMS,
        due_at=now - datetime.timedelta(days=1),
        status=Reminder.Status.SENT,
        sent_at=now - datetime.timedelta(days=1),
    )
    Reminder.objects.create(
        clinic=patient.clinic,
        patient=patient,
        appointment=moved,
        event_at=moved.starts_at,
        kind=Reminder.Kind.APPOINTMENT_PATIENT,
        recipient_key=f"patient:{patient.pk}",
        channel=Channel.SMS,
        due_at=now + datetime.timedelta(days=5),
        status=Reminder.Status.CANCELLED,
    )
    Reminder.objects.create(
        **common,
        kind=Reminder.Kind.APPOINTMENT_CARER,
        recipient_key=f"carer:{carer.pk}",
        carer=carer,
        channel=Channel.EMAIL,
        due_at=now + datetime.timedelta(days=6),
    )
    log_access(user=clinician, patient=patient, kind=AccessLog.Kind.PATIENT)
    return Record(
        patient=patient,
        marker=marker,
        name=patient.full_name,
        phone=phone,
        email=email,
        carer=carer,
        carer_name=carer_name,
        carer_phone=carer.phone,
        carer_email=carer.email,
        removed_carer_name=removed_name,
        first=first,
        second=second,
        carer_action=carer_action,
        appointment=appointment,
        texts=texts,
    )
