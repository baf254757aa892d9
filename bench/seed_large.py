"""Seed the bench database with a large clinic: straight rows, bulk inserted.

2,000 patients with 10 past completed sessions each (20,000 sessions, 220,000
ratings), two chosen areas per session with one action each, and every action
reviewed in the next session. One more patient has a single past session, so
the bench can show that a screen's query count does not grow with history.

Run on its own: ``python bench/seed_large.py`` (flow_pages.py calls it too).
Safe to run twice: an existing bench clinic is kept as it is.
"""

import datetime
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

CLINIC_NAME = "Bench clinic"
PATIENTS = 2000
SESSIONS_PER_PATIENT = 10
BATCH = 2000
PATIENT_NAME = "Bench Patient {:04d}"
SHORT_HISTORY_NAME = "Bench Short History"


def seed(patients=PATIENTS, sessions_per_patient=SESSIONS_PER_PATIENT):
    """Create the bench clinic unless it exists; returns who and what to measure."""
    from django.db import transaction

    from accounts.models import Clinic

    clinic = Clinic.objects.filter(name=CLINIC_NAME).first()
    if clinic is None:
        started = time.perf_counter()
        with transaction.atomic():
            clinic = _create(patients, sessions_per_patient)
        sys.stdout.write(f"Seeded the bench clinic in {time.perf_counter() - started:.1f} s.\n")
    return _subjects(clinic)


def _subjects(clinic):
    from accounts.models import User
    from patients.models import Patient
    from patients.name_index import patient_named

    patients = Patient.objects.filter(clinic=clinic)
    return {
        "clinic": clinic,
        "clinician": User.objects.get(email=common.CLINICIAN_EMAIL),
        "patient": patient_named(PATIENT_NAME.format(0), patients),
        "short_patient": patient_named(SHORT_HISTORY_NAME, patients),
    }


def _create(patients, sessions_per_patient):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Clinic, Membership, User
    from patients.models import Patient
    from patients.name_index import index_patients
    from scale.selectors import scale_current

    rng = random.Random(20_000)
    clinic = Clinic.objects.create(
        name=CLINIC_NAME,
        country=Clinic.Country.SERBIA,
        time_zone="Europe/Belgrade",
        default_language="en",
    )
    clinician = User.objects.create(
        email=common.CLINICIAN_EMAIL,
        full_name="Bench Clinician",
        language="en",
        password=make_password(common.PASSWORD),
    )
    Membership.objects.create(
        user=clinician,
        clinic=clinic,
        role=Membership.Role.CLINICIAN,
        profession=Membership.Profession.PSYCHIATRIST,
    )
    version = scale_current()
    domains = list(version.domains.all())
    people = [
        Patient(clinic=clinic, full_name=PATIENT_NAME.format(i), language="sr-latn")
        for i in range(patients)
    ]
    people.append(Patient(clinic=clinic, full_name=SHORT_HISTORY_NAME, language="sr-latn"))
    for person in people:
        person.key_clinician = clinician
    Patient.objects.bulk_create(people, batch_size=BATCH)
    people = list(Patient.objects.filter(clinic=clinic).order_by("id"))
    # bulk_create skips Patient.save, which keeps the name index.
    index_patients(people)
    now = timezone.now()
    histories = [
        (person, 1 if person.full_name == SHORT_HISTORY_NAME else sessions_per_patient)
        for person in people
    ]
    sessions = _sessions(histories, clinician, version, now, rng)
    _ratings(sessions, domains, rng)
    _areas_and_actions(sessions, domains, rng)
    return clinic


def _sessions(histories, clinician, version, now, rng):
    from sessions_app.models import DialogSession, Stage

    rows = []
    for person, count in histories:
        for number in range(1, count + 1):
            start = now - datetime.timedelta(
                days=30 * (count - number + 1), minutes=rng.randint(0, 600)
            )
            rows.append(
                DialogSession(
                    patient=person,
                    clinician=clinician,
                    scale_version=version,
                    number=number,
                    status=DialogSession.Status.COMPLETED,
                    stage=Stage.SUMMARY,
                    comparison_shown=True,
                    started_at=start,
                    ended_at=start + datetime.timedelta(minutes=40),
                    next_appointment=start + datetime.timedelta(days=30),
                )
            )
    DialogSession.objects.bulk_create(rows, batch_size=BATCH)
    # Read back in order: (patient, number) -> id, whatever the backend returned.
    patient_ids = [person.id for person, _count in histories]
    return list(
        DialogSession.objects.filter(patient_id__in=patient_ids)
        .order_by("patient_id", "number")
        .only("id", "patient_id", "number")
    )


def _ratings(sessions, domains, rng):
    from sessions_app.models import Rating

    batch = []
    for session in sessions:
        for domain in domains:
            value = None if rng.random() < 0.04 else rng.randint(2, 6)
            batch.append(
                Rating(
                    session_id=session.id,
                    domain_id=domain.id,
                    value=value,
                    needs_help=None if value is None else value <= 3,
                    revision=1,
                )
            )
            if len(batch) >= BATCH * 5:
                Rating.objects.bulk_create(batch)
                batch = []
    Rating.objects.bulk_create(batch)


def _areas_and_actions(sessions, domains, rng):
    from sessions_app.models import Action, ActionReview, SelectedArea

    areas = []
    for session in sessions:
        for position, domain in enumerate(rng.sample(domains, 2)):
            areas.append(
                SelectedArea(
                    session_id=session.id, domain_id=domain.id, position=position, steps_visited=4
                )
            )
    SelectedArea.objects.bulk_create(areas, batch_size=BATCH)
    area_ids = SelectedArea.objects.filter(session_id__in=[s.id for s in sessions]).values_list(
        "id", "session_id"
    )
    Action.objects.bulk_create(
        [
            Action(area_id=area_id, text="Try one small step before next time", owner="patient")
            for area_id, _session_id in area_ids
        ],
        batch_size=BATCH,
    )
    # Each action is reviewed in the patient's next session.
    next_session = {}
    for before, after in zip(sessions, sessions[1:], strict=False):
        if before.patient_id == after.patient_id:
            next_session[before.id] = after.id
    statuses = [choice.value for choice in ActionReview.Status]
    reviews = [
        ActionReview(
            action_id=action_id,
            session_id=next_session[session_id],
            status=rng.choice(statuses),
            revision=1,
        )
        for action_id, session_id in Action.objects.filter(
            area__session_id__in=list(next_session)
        ).values_list("id", "area__session_id")
    ]
    ActionReview.objects.bulk_create(reviews, batch_size=BATCH)


def open_session(patient, clinician):
    """The patient's in-progress session, every item rated and two areas chosen,
    so that every flow page can be shown. Reuses the one already open."""
    from sessions_app import services
    from sessions_app.models import Stage

    session = services.session_start(
        patient=patient, clinician=clinician, attendance="alone"
    ).session
    domains = list(session.scale_version.domains.all())
    for index, domain in enumerate(domains):
        services.rating_record(
            session=session, domain_id=domain.id, value=2 + index % 5, needs_help=index % 3 == 0
        )
    areas = services.areas_select(session=session, domain_ids=[domains[1].id, domains[4].id])
    services.session_advance(session=session, stage=Stage.SUMMARY)
    return session, areas


def main():
    common.setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    subjects = seed()
    from sessions_app.models import DialogSession, Rating

    sys.stdout.write(
        f"{subjects['clinic']}: {DialogSession.objects.count()} sessions, "
        f"{Rating.objects.count()} ratings in {common.BENCH_DATABASE_URL}\n"
    )


if __name__ == "__main__":
    main()
