"""How fast reminders are claimed and sent: 100,000 due rows, bulk inserted.

Writes its own clinic into the bench database (never the development one, see
bench/common.py): patients who agreed to SMS reminders, each with a carer who
agreed to email reminders and an appointment tomorrow, and for every
appointment one reminder to the patient (SMS, console backend) and one to the
carer (email, locmem backend), all already due. Then it times

* claiming: ``reminders_claim_due`` in batches of ``REMINDER_DISPATCH_BATCH``
  until nothing is due (what the beat job does every minute), and
* sending: ``reminder_send`` for the first ``--send`` claimed rows, as the
  worker's task does, without the broker in between.

Run: ``python bench/reminders_dispatch.py [--rows 100000] [--send 10000]``.
Each run starts from fresh rows; the bench clinic's patients are reused.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

CLINIC_NAME = "Reminder bench clinic"
BATCH = 5000


def _patients(count, now):
    """``count`` patients of the bench clinic, each with a consenting carer and
    an appointment tomorrow; created on the first run. Returns the clinic and
    ``(appointment id, patient id, carer id, starts_at)`` rows."""
    from django.db import transaction

    from accounts.models import Clinic, Membership, User
    from patients.models import Carer, Patient
    from reminders.models import (
        Appointment,
        CarerContactPreference,
        ContactChannel,
        ContactPreference,
        new_opt_out_key,
    )

    clinic, _created = Clinic.objects.get_or_create(
        name=CLINIC_NAME, defaults={"time_zone": "Europe/Belgrade"}
    )
    clinician, _created = User.objects.get_or_create(
        email="reminders@bench.test", defaults={"full_name": "Bench Reminders"}
    )
    Membership.objects.get_or_create(
        user=clinician, clinic=clinic, defaults={"role": Membership.Role.CLINICIAN}
    )
    have = Patient.objects.filter(clinic=clinic).count()
    if have < count:
        with transaction.atomic():
            patients = Patient.objects.bulk_create(
                [
                    Patient(
                        clinic=clinic,
                        full_name=f"Reminder Patient {have + i:06d}",
                        language="sr",
                        key_clinician=clinician,
                    )
                    for i in range(count - have)
                ],
                batch_size=BATCH,
            )
            # bulk_create skips save(): the opt-out keys are given here.
            ContactPreference.objects.bulk_create(
                [
                    ContactPreference(
                        patient=patient,
                        phone="+381641234567",
                        channel=ContactChannel.SMS,
                        consent_to_reminders=True,
                        opt_out_key=new_opt_out_key(),
                    )
                    for patient in patients
                ],
                batch_size=BATCH,
            )
    # Patients of an earlier run may lack a carer: each gets one.
    lonely = Patient.objects.filter(clinic=clinic, carers__isnull=True)
    if lonely.exists():
        with transaction.atomic():
            carers = Carer.objects.bulk_create(
                [
                    Carer(
                        patient=patient,
                        full_name="Bench Carer",
                        email="carer@bench.test",
                        share_summaries=True,
                        consent_recorded_at=now,
                    )
                    for patient in lonely
                ],
                batch_size=BATCH,
            )
            CarerContactPreference.objects.bulk_create(
                [
                    CarerContactPreference(
                        carer=carer,
                        channel=ContactChannel.EMAIL,
                        consent_to_reminders=True,
                        opt_out_key=new_opt_out_key(),
                    )
                    for carer in carers
                ],
                batch_size=BATCH,
            )
    starts_at = now + datetime.timedelta(days=1)
    with transaction.atomic():
        Appointment.objects.filter(clinic=clinic).delete()
        Appointment.objects.bulk_create(
            [
                Appointment(clinic=clinic, patient_id=patient_id, starts_at=starts_at)
                for patient_id in Patient.objects.filter(clinic=clinic).values_list(
                    "id", flat=True
                )[:count]
            ],
            batch_size=BATCH,
        )
    carer_of = dict(Carer.objects.filter(patient__clinic=clinic).values_list("patient_id", "id"))
    appointments = Appointment.objects.filter(clinic=clinic).values_list(
        "id", "patient_id", "starts_at"
    )
    return clinic, [(a, p, carer_of[p], s) for a, p, s in appointments]


def schedule(rows, now):
    """Delete the bench clinic's reminders and bulk insert ``rows`` due ones."""
    from django.db import transaction

    from reminders.models import Channel, Reminder

    clinic, appointments = _patients((rows + 1) // 2, now)
    Reminder.objects.filter(clinic=clinic).delete()
    due_at = now - datetime.timedelta(minutes=1)
    reminders = []
    for appointment_id, patient_id, carer_id, starts_at in appointments:
        common_values = {
            "clinic": clinic,
            "patient_id": patient_id,
            "appointment_id": appointment_id,
            "event_at": starts_at,
            "due_at": due_at,
        }
        reminders.append(
            Reminder(
                kind=Reminder.Kind.APPOINTMENT_PATIENT,
                channel=Channel.SMS,
                recipient_key=f"patient:{patient_id}",
                **common_values,
            )
        )
        reminders.append(
            Reminder(
                kind=Reminder.Kind.APPOINTMENT_CARER,
                channel=Channel.EMAIL,
                carer_id=carer_id,
                recipient_key=f"carer:{carer_id}",
                **common_values,
            )
        )
    reminders = reminders[:rows]
    started = time.perf_counter()
    with transaction.atomic():
        Reminder.objects.bulk_create(reminders, batch_size=BATCH)
    return len(reminders), time.perf_counter() - started


def claim_all(now):
    """Claim every due row the way the beat job does; returns the ids."""
    from django.conf import settings

    from reminders import services

    claimed = []
    while True:
        ids = services.reminders_claim_due(now=now, limit=settings.REMINDER_DISPATCH_BATCH)
        if not ids:
            return claimed
        claimed.extend(ids)


def send(ids, now):
    from reminders import services
    from reminders.models import Reminder

    for reminder_id in ids:
        reminder = services.reminder_send(reminder_id=reminder_id, now=now)
        if reminder.status != Reminder.Status.SENT:
            raise SystemExit(
                f"reminder {reminder_id} ended {reminder.status}: {reminder.last_error}"
            )


def rate(count, seconds):
    return f"{count:>7,} rows in {seconds:7.2f} s = {count / seconds:>9,.0f} rows/s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="reminder rows to schedule")
    parser.add_argument("--send", type=int, default=10_000, help="claimed rows to send")
    args = parser.parse_args()

    # Development channels: SMS to the log (quiet at the bench's WARNING level),
    # email kept in memory; nothing leaves the machine.
    os.environ["SMS_BACKEND"] = "console"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    common.setup_django()
    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    out = sys.stdout
    out.write(f"Database: {common.BENCH_DATABASE_URL}\n")

    count, seconds = schedule(args.rows, now)
    out.write(f"schedule (bulk_create) {rate(count, seconds)}\n")

    started = time.perf_counter()
    claimed = claim_all(now)
    seconds = time.perf_counter() - started
    out.write(f"claim (reminders_claim_due) {rate(len(claimed), seconds)}\n")
    if len(claimed) != count:
        raise SystemExit(f"claimed {len(claimed)} of {count} due rows")

    mail.outbox = []
    sample = claimed[: args.send]
    started = time.perf_counter()
    send(sample, now)
    seconds = time.perf_counter() - started
    out.write(f"send (reminder_send) {rate(len(sample), seconds)}\n")
    out.write(f"  emails in the locmem outbox: {len(mail.outbox)}\n")
    if sample:
        estimate = seconds / len(sample) * count
        out.write(f"  all {count:,} rows with one sender: about {estimate:,.0f} s\n")


if __name__ == "__main__":
    main()
