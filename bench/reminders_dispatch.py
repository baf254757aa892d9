"""How fast reminders are claimed and sent: 100,000 due rows, bulk inserted.

Writes its own clinic into the bench database (never the development one, see
bench/common.py): patients who agreed to SMS reminders, one completed session
each with an appointment tomorrow, and for every session one reminder to the
patient (SMS, console backend) and one to the clinician (email, locmem
backend), all already due. Then it times

* claiming: ``reminders_claim_due`` in batches of ``REMINDER_DISPATCH_BATCH``
  until nothing is due (what the beat job does every minute), and
* sending: ``reminder_send`` for the first ``--send`` claimed rows, as the
  worker's task does, without the broker in between.

Run: ``python bench/reminders_dispatch.py [--rows 100000] [--send 10000]``.
Each run starts from fresh rows; the bench clinic's sessions are reused.
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


def _sessions(count, now):
    """``count`` completed sessions of the bench clinic, one per patient, each
    with an appointment tomorrow; created on the first run."""
    from django.db import transaction

    from accounts.models import Clinic, Membership, User
    from patients.models import Patient
    from reminders.models import ContactChannel, ContactPreference
    from scale.selectors import scale_current
    from sessions_app.models import DialogSession

    clinic, _created = Clinic.objects.get_or_create(
        name=CLINIC_NAME, defaults={"time_zone": "Europe/Belgrade"}
    )
    clinician, _created = User.objects.get_or_create(
        email="reminders@bench.test", defaults={"full_name": "Bench Reminders"}
    )
    Membership.objects.get_or_create(
        user=clinician, clinic=clinic, defaults={"role": Membership.Role.CLINICIAN}
    )
    have = DialogSession.objects.filter(patient__clinic=clinic).count()
    if have < count:
        version = scale_current()
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
            ContactPreference.objects.bulk_create(
                [
                    ContactPreference(
                        patient=patient,
                        phone="+381641234567",
                        channel=ContactChannel.SMS,
                        consent_to_reminders=True,
                    )
                    for patient in patients
                ],
                batch_size=BATCH,
            )
            DialogSession.objects.bulk_create(
                [
                    DialogSession(
                        patient=patient,
                        clinician=clinician,
                        scale_version=version,
                        number=1,
                        status=DialogSession.Status.COMPLETED,
                        started_at=now - datetime.timedelta(hours=2),
                        ended_at=now - datetime.timedelta(hours=1),
                    )
                    for patient in patients
                ],
                batch_size=BATCH,
            )
    sessions = DialogSession.objects.filter(patient__clinic=clinic)
    sessions.update(next_appointment=now + datetime.timedelta(days=1))
    return clinic, clinician, list(sessions.values_list("id", "patient_id", "next_appointment"))


def schedule(rows, now):
    """Delete the bench clinic's reminders and bulk insert ``rows`` due ones."""
    from django.db import transaction

    from reminders.models import Channel, Reminder

    clinic, clinician, sessions = _sessions((rows + 1) // 2, now)
    Reminder.objects.filter(clinic=clinic).delete()
    due_at = now - datetime.timedelta(minutes=1)
    reminders = []
    for session_id, patient_id, appointment in sessions:
        common_values = {
            "clinic": clinic,
            "patient_id": patient_id,
            "session_id": session_id,
            "event_at": appointment,
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
                kind=Reminder.Kind.APPOINTMENT_CLINICIAN,
                channel=Channel.EMAIL,
                user=clinician,
                recipient_key=f"user:{clinician.pk}",
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
