"""Reminder test helpers: contact preferences, appointments, rows, and SMS
backends that remember what they were asked to send."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reminders.channels import BaseSMSBackend, TransientSendError
from reminders.models import (
    Appointment,
    CarerContactPreference,
    Channel,
    ContactPreference,
    Reminder,
)
from tests.factories import PatientFactory


class ContactPreferenceFactory(DjangoModelFactory):
    """A patient who agreed to SMS reminders."""

    class Meta:
        model = ContactPreference

    patient = factory.SubFactory(PatientFactory)
    phone = "+38970123456"
    email = "petra@example.org"
    channel = Channel.SMS
    consent_to_reminders = True
    consent_recorded_at = factory.LazyFunction(timezone.now)


class CarerContactPreferenceFactory(DjangoModelFactory):
    """A carer who agreed to appointment reminders by email."""

    class Meta:
        model = CarerContactPreference

    channel = Channel.EMAIL
    consent_to_reminders = True
    consent_recorded_at = factory.LazyFunction(timezone.now)


def appointment_for(patient, starts_at, **values):
    """An appointment row, written directly (no reminders scheduled)."""
    return Appointment.objects.create(
        clinic=patient.clinic, patient=patient, starts_at=starts_at, **values
    )


def reminder_for(patient, *, status=Reminder.Status.QUEUED, due_in_hours=-1, **values):
    """A patient's appointment reminder row, due ``due_in_hours`` from now
    (negative: already due), for an appointment 24 hours after that."""
    now = timezone.now()
    appointment = values.pop("appointment", None) or appointment_for(
        patient, now + datetime.timedelta(hours=due_in_hours + 24)
    )
    defaults = {
        "clinic": patient.clinic,
        "patient": patient,
        "kind": Reminder.Kind.APPOINTMENT_PATIENT,
        "recipient_key": f"patient:{patient.pk}",
        "channel": Channel.SMS,
        "appointment": appointment,
        "event_at": appointment.starts_at,
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
