"""Reminder test helpers: contact preferences, rows, and SMS backends that
remember what they were asked to send."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reminders.channels import BaseSMSBackend, TransientSendError
from reminders.models import Channel, ContactPreference, Reminder
from tests.factories import PatientFactory, session_complete


class ContactPreferenceFactory(DjangoModelFactory):
    """A patient who agreed to SMS reminders."""

    class Meta:
        model = ContactPreference

    patient = factory.SubFactory(PatientFactory)
    phone = "+38970123456"
    email = "petra@example.org"
    channel = Channel.SMS
    consent_to_reminders = True


def reminder_for(patient, *, status=Reminder.Status.QUEUED, due_in_hours=-1, **values):
    """A patient's appointment reminder row on a completed session, due
    ``due_in_hours`` from now (negative: already due)."""
    session = session_complete(patient)
    now = timezone.now()
    session.next_appointment = now + datetime.timedelta(hours=due_in_hours + 24)
    session.save(update_fields=["next_appointment"])
    defaults = {
        "clinic": patient.clinic,
        "patient": patient,
        "kind": Reminder.Kind.APPOINTMENT_PATIENT,
        "recipient_key": f"patient:{patient.pk}",
        "channel": Channel.SMS,
        "session": session,
        "event_at": session.next_appointment,
        "due_at": now + datetime.timedelta(hours=due_in_hours),
        "status": status,
    }
    defaults.update(values)
    return Reminder.objects.create(**defaults)


class MemorySMSBackend(BaseSMSBackend):
    """Keeps every SMS in ``sent``; ``failures`` transient errors come first."""

    sent = []
    failures = 0

    def send(self, *, to, text, reference):
        if MemorySMSBackend.failures:
            MemorySMSBackend.failures -= 1
            raise TransientSendError("SMS gateway answered 503")
        MemorySMSBackend.sent.append({"to": to, "text": text, "reference": reference})
        return f"mem-{len(MemorySMSBackend.sent)}"
