"""Demo data: a clinic in each of the five countries, its people and their history.

Safe to run twice: clinics are found by name, users by email and patients by
name within their clinic; whatever exists is left as it is. Histories are built
through the session services, as a clinician would build them, and then moved
into the past (the services only write "now").
"""

import datetime
import random
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Clinic, Membership, User
from dialogplus.languages import COUNTRY_LANGUAGES
from patients.models import Carer, Patient
from scale.selectors import scale_current
from sessions_app import services
from sessions_app.models import (
    Action,
    ActionReview,
    DialogSession,
    Rating,
    SelectedArea,
    Stage,
    StepNote,
)

SERBIA = Clinic.Country.SERBIA
Role = Membership.Role
Profession = Membership.Profession
Owner = Action.Owner


@dataclass
class PatientSpec:
    name: str
    language: str
    sessions: int  # completed sessions in the past; 0 = waiting for a first one
    clinician: str = "nurse"  # key of the clinic's staff who sees the patient
    interval: int = 30


@dataclass
class ClinicSpec:
    country: str
    name: str
    time_zone: str
    nurse: tuple  # (email, full name)
    patients: list = field(default_factory=list)


CLINICS = [
    ClinicSpec(
        SERBIA,
        "Belgrade Community Mental Health Centre (demo)",
        "Europe/Belgrade",
        ("nurse@rs.demo.test", "Vesna Milosavljević"),
        [
            PatientSpec("Marko Jovanović", "sr", 6, "clinician"),
            PatientSpec("Dragana Ilić", "sr-latn", 5, "clinician", 28),
            PatientSpec("Nenad Stojanović", "sr", 4, "clinician"),
            PatientSpec("Milica Pavlović", "sr-latn", 3, "clinician", 21),
            PatientSpec("Zoran Đorđević", "sr", 5, "colleague"),
            PatientSpec("Snežana Kostić", "sr", 4, "colleague", 42),
            PatientSpec("Dejan Popović", "sr-latn", 3, "nurse"),
            PatientSpec("Ivana Stanković", "sr", 0, "clinician"),
        ],
    ),
    ClinicSpec(
        Clinic.Country.BOSNIA,
        "Sarajevo Community Mental Health Centre (demo)",
        "Europe/Sarajevo",
        ("nurse@ba.demo.test", "Amra Hadžić"),
        [
            PatientSpec("Amer Hodžić", "bs", 5),
            PatientSpec("Ivan Jurić", "hr", 4),
            PatientSpec("Dragan Savić", "sr", 3, interval=28),
            PatientSpec("Selma Mujić", "bs", 0),
        ],
    ),
    ClinicSpec(
        Clinic.Country.KOSOVO,
        "Prishtina Community Mental Health Centre (demo)",
        "Europe/Belgrade",
        ("nurse@xk.demo.test", "Valbona Krasniqi"),
        [
            PatientSpec("Arben Berisha", "sq", 4),
            PatientSpec("Drita Gashi", "sq", 3, interval=42),
            PatientSpec("Stefan Stojković", "sr", 3),
            PatientSpec("Blerim Hoxha", "sq", 0),
        ],
    ),
    ClinicSpec(
        Clinic.Country.NORTH_MACEDONIA,
        "Skopje Community Mental Health Centre (demo)",
        "Europe/Skopje",
        ("nurse@mk.demo.test", "Biljana Trajkovska"),
        [
            PatientSpec("Aleksandar Petrovski", "mk", 5),
            PatientSpec("Marija Stojanovska", "mk", 3),
            PatientSpec("Besnik Ademi", "sq", 4, interval=28),
            PatientSpec("Elena Nikolovska", "mk", 0),
        ],
    ),
    ClinicSpec(
        Clinic.Country.MONTENEGRO,
        "Podgorica Community Mental Health Centre (demo)",
        "Europe/Podgorica",
        ("nurse@me.demo.test", "Danijela Radović"),
        [
            PatientSpec("Vuk Vujović", "cnr", 4),
            PatientSpec("Jovana Bulatović", "cnr", 3),
            PatientSpec("Edin Kalač", "bs", 3, interval=42),
            PatientSpec("Nikola Vukčević", "sr-latn", 0),
        ],
    ),
]

# The Serbian clinic's staff besides its nurse: (key, email, name, role, profession).
SERBIAN_STAFF = [
    (
        "clinician",
        "clinician@demo.test",
        "Jelena Marković",
        Role.CLINICIAN,
        Profession.PSYCHIATRIST,
    ),
    ("admin", "admin@demo.test", "Milan Petrović", Role.ADMIN, Profession.OTHER),
    ("colleague", "colleague@demo.test", "Ana Nikolić", Role.CLINICIAN, Profession.PSYCHOLOGIST),
]
CARER = ("carer@demo.test", "Slavica Jovanović", "Mother", "Marko Jovanović")

# Per domain: what step 1–3 notes say, and the actions agreed in step 4.
NOTES = {
    "mental_health": (
        "Low mood most mornings and sleeping badly. Still gets up and walks the dog every day.",
        "At 7 would enjoy things again. One point better: sleeping through most nights.",
        "Patient: regular bedtime. Service: review sleep next time. Sister: join the walks.",
        [
            ("Go to bed by 23:00 on weekdays and keep a sleep diary", Owner.PATIENT),
            ("Ask the sister to join the morning walk twice a week", Owner.PATIENT),
        ],
    ),
    "physical_health": (
        "Back pain and weight gain since the medication change. Walks to the shop daily.",
        "At 7 fit enough to garden again. One point better: a short walk without pain.",
        "Patient: daily 20-minute walk. Clinician: letter to the GP. Neighbour walks too.",
        [
            ("Book a GP appointment about the back pain", Owner.PATIENT),
            ("Send a referral letter to the GP", Owner.CLINICIAN),
        ],
    ),
    "job": (
        "Out of work for two years and feels useless. Does odd jobs for neighbours.",
        "At 7 a steady part-time job. One point better: knowing which jobs are open.",
        "Patient: job centre board. Service: supported employment. Cousin knows a bakery.",
        [
            ("Visit the job centre and ask about part-time work", Owner.PATIENT),
            ("Find out about the supported employment programme", Owner.CLINICIAN),
        ],
    ),
    "accommodation": (
        "Shares a small flat with the parents, no room of their own. The flat is warm and safe.",
        "At 7 a room of their own. One point better: a quiet corner to read.",
        "Patient: rearrange the living room. Service: housing support. Family: talk about space.",
        [
            ("Ask the social worker about housing support", Owner.CLINICIAN),
            ("Talk with the parents about a quiet corner at home", Owner.PATIENT),
        ],
    ),
    "leisure": (
        "Stays in most evenings watching TV. Used to play chess and still follows the games.",
        "At 7 an activity every week with other people. One point better: one evening out.",
        "Patient: chess club at the community centre. Service: day-centre list. Brother plays.",
        [
            ("Go to the chess club at the community centre once", Owner.PATIENT),
            ("Bring the day-centre activity list", Owner.CLINICIAN),
        ],
    ),
    "friendships": (
        "Lost touch with friends after the hospital stay. One old friend still calls.",
        "At 7 meeting friends every week. One point better: calling the friend back.",
        "Patient: call back. Service: peer support group. Carer: help arrange a coffee.",
        [
            ("Call the old friend back this week", Owner.PATIENT),
            ("Give details of the peer support group", Owner.CLINICIAN),
        ],
    ),
    "partner_family": (
        "Arguments at home about money. Mother is supportive and listens.",
        "At 7 calm evenings together. One point better: one meal a week without arguing.",
        "Patient: suggest a family meal. Service: a family meeting. Carer: money talk once a week.",
        [
            ("Arrange a family meeting at the clinic", Owner.CLINICIAN),
            ("Keep money talk for Sunday evening only", Owner.CARER),
        ],
    ),
    "safety": (
        "Feels unsafe on the bus at night after an incident. Feels safe at home.",
        "At 7 travelling anywhere without worry. One point better: the bus at dusk with someone.",
        "Patient: travel with a friend. Service: practise coping skills. Brother can drive.",
        [("Take the evening bus once together with the brother", Owner.PATIENT)],
    ),
    "medication": (
        "Tired in the day and has put on weight. The tablets help with the voices.",
        "At 7 no tiredness in the day. One point better: less sleepy in the morning.",
        "Patient: side-effect diary. Clinician: review dose timing. Pharmacist: explain.",
        [
            ("Keep a side-effect diary for two weeks", Owner.PATIENT),
            ("Review the timing of the evening dose", Owner.CLINICIAN),
        ],
    ),
    "practical_help": (
        "Struggles with the disability allowance forms. The social worker helps sometimes.",
        "At 7 the allowance sorted and bills paid on time. One point better: the form sent in.",
        "Patient: gather documents. Service: social worker. Carer: help fill in the form.",
        [
            ("Fill in the allowance form together", Owner.CARER),
            ("Book an appointment with the social worker", Owner.CLINICIAN),
        ],
    ),
    "professionals": (
        "Appointments feel rushed. Likes seeing the same doctor each time.",
        "At 7 enough time to talk about everything. One point better: a list of questions.",
        "Patient: write questions down. Clinician: keep ten minutes for them. Carer: come along.",
        [("Bring a written list of questions to the next appointment", Owner.PATIENT)],
    ),
}
STEP4_NOTE = "Agreed what to try before the next appointment."
REVIEWS = [
    (ActionReview.Status.DONE, "Done as agreed."),
    (ActionReview.Status.DONE, ""),
    (ActionReview.Status.PARTLY, "Started, needs more time."),
    (ActionReview.Status.NOT_DONE, "Did not manage; felt too tired."),
    (ActionReview.Status.NOT_RELEVANT, "The situation has changed."),
]


class Command(BaseCommand):
    help = "Create demo clinics, users, patients and session histories (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (not for production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates known logins: it runs with DEBUG=1 or --force.")
        self.password = make_password(settings.DIALOGPLUS_DEMO_PASSWORD)  # hashed once: fast
        self.version = scale_current()
        self.domains = list(self.version.domains.all())
        self.now = timezone.now()
        created = 0
        with transaction.atomic():
            for spec in CLINICS:
                created += self._seed_clinic(spec)
        self.stdout.write(f"Demo data ready ({created} new patients).")
        self._print_logins()

    # --- people ---------------------------------------------------------------
    def _user(self, email, full_name, language):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(
                email=email, full_name=full_name, language=language, password=self.password
            )
        return user

    def _member(self, user, clinic, role, profession):
        Membership.objects.get_or_create(
            user=user, clinic=clinic, defaults={"role": role, "profession": profession}
        )

    def _seed_clinic(self, spec):
        default_language = COUNTRY_LANGUAGES[spec.country][0]
        clinic, _created = Clinic.objects.get_or_create(
            name=spec.name,
            defaults={
                "country": spec.country,
                "time_zone": spec.time_zone,
                "default_language": default_language,
            },
        )
        staff = {}
        nurse_email, nurse_name = spec.nurse
        staff["nurse"] = self._user(nurse_email, nurse_name, default_language)
        self._member(staff["nurse"], clinic, Role.CLINICIAN, Profession.NURSE)
        if spec.country == SERBIA:
            for key, email, name, role, profession in SERBIAN_STAFF:
                staff[key] = self._user(email, name, "en")
                self._member(staff[key], clinic, role, profession)
        created = 0
        for patient_spec in spec.patients:
            if Patient.objects.filter(clinic=clinic, full_name=patient_spec.name).exists():
                continue
            clinician = staff[patient_spec.clinician]
            patient = Patient.objects.create(
                clinic=clinic,
                full_name=patient_spec.name,
                language=patient_spec.language,
                key_clinician=clinician,
                session_interval_days=patient_spec.interval,
                planned_sessions=max(6, patient_spec.sessions + 1),
            )
            carer = self._carer(patient, clinician)
            History(self, patient, clinician, carer, ZoneInfo(spec.time_zone)).build(
                patient_spec.sessions
            )
            created += 1
        return created

    def _carer(self, patient, clinician):
        email, name, relationship, patient_name = CARER
        if patient.full_name != patient_name:
            return None
        user = self._user(email, name, "en")
        carer, _created = Carer.objects.get_or_create(
            patient=patient,
            user=user,
            defaults={
                "full_name": name,
                "relationship": relationship,
                "share_summaries": True,
                "consent_recorded_at": self.now,
                "consent_recorded_by": clinician,
            },
        )
        return carer

    def _print_logins(self):
        password = settings.DIALOGPLUS_DEMO_PASSWORD
        self.stdout.write(f"\nDemo logins (password for all: {password}):")
        rows = [
            ("clinician@demo.test", "clinician (psychiatrist), Belgrade"),
            ("colleague@demo.test", "clinician (psychologist), Belgrade"),
            ("admin@demo.test", "clinic admin, Belgrade"),
            ("carer@demo.test", "carer of Marko Jovanović (consented to share summaries)"),
        ] + [(spec.nurse[0], f"clinician (nurse), {spec.name}") for spec in CLINICS]
        for email, what in rows:
            self.stdout.write(f"  {email:<22} {what}")


class History:
    """Past completed sessions of one patient, built through the services."""

    def __init__(self, command, patient, clinician, carer, tz):
        self.patient = patient
        self.clinician = clinician
        self.carer = carer
        self.tz = tz
        self.now = command.now
        self.domains = command.domains
        self.rng = random.Random(f"dialogplus-demo:{patient.full_name}")
        # Where each domain starts and how fast it improves over the plan.
        self.base = {d.key: self.rng.choice([2, 3, 3, 4, 4, 5]) for d in self.domains}
        self.trend = {d.key: self.rng.choice([-0.2, 0, 0.3, 0.4, 0.6]) for d in self.domains}

    def build(self, count):
        if not count:
            return
        interval = self.patient.session_interval_days
        days_ago = self.rng.randint(3, max(3, min(20, interval - 3)))
        starts = []
        for k in range(count):
            day = self.now - datetime.timedelta(days=days_ago + (count - 1 - k) * interval)
            local = day.astimezone(self.tz).replace(
                hour=self.rng.choice([9, 10, 11, 12, 13, 14]),
                minute=self.rng.choice([0, 15, 30, 45]),
                second=0,
                microsecond=0,
            )
            starts.append(local)
        next_visit = (self.now + datetime.timedelta(days=interval - days_ago)).astimezone(self.tz)
        starts.append(next_visit.replace(hour=10, minute=0, second=0, microsecond=0))
        previous = {}
        for k in range(count):
            previous = self._session(k, starts[k], starts[k + 1], previous, last=k == count - 1)

    def _rating(self, key, k):
        if key == "job" and self.base[key] <= 2 and self.rng.random() < 0.5:
            return None  # not working: some patients leave it out
        if self.rng.random() < 0.04:
            return None
        value = round(self.base[key] + self.trend[key] * k + self.rng.uniform(-0.8, 0.8))
        return min(7, max(1, value))

    def _session(self, k, start, next_appointment, previous, *, last):
        rng = self.rng
        attendance = DialogSession.Attendance.ALONE
        if self.carer is not None and k % 2:
            attendance = DialogSession.Attendance.WITH_CARER
        elif rng.random() < 0.1:
            attendance = DialogSession.Attendance.OTHER
        session = services.session_start(
            patient=self.patient,
            clinician=self.clinician,
            attendance=attendance,
            attendance_note="Support worker" if attendance == "other" else "",
        ).session
        for action in Action.objects.filter(area__session__patient=self.patient).exclude(
            review__isnull=False
        ):
            status, comment = rng.choice(REVIEWS)
            services.action_review_record(
                session=session, action=action, status=status, comment=comment
            )
        services.session_advance(session=session, stage=Stage.RATE)
        values = {}
        for domain in self.domains:
            value = self._rating(domain.key, k)
            values[domain.key] = value
            if value is None:
                continue
            needs_help = ...
            if session.ask_help_question:
                needs_help = rng.random() < {1: 0.8, 2: 0.7, 3: 0.5, 4: 0.15}.get(value, 0.0)
            services.rating_record(
                session=session, domain_id=domain.id, value=value, needs_help=needs_help
            )
        services.session_advance(session=session, stage=Stage.SELECT)
        rated = [d for d in self.domains if values[d.key] is not None]
        rated.sort(key=lambda d: (values[d.key] + rng.uniform(0, 1.5), d.position))
        chosen = rated[: rng.choice([1, 2, 2, 3])]
        areas = services.areas_select(session=session, domain_ids=[d.id for d in chosen])
        services.session_advance(session=session, stage=Stage.STEPS)
        for area in areas:
            self._steps(session, area, values[area.domain.key], previous.get(area.domain.key))
        services.session_finish(
            session=session, next_appointment=next_appointment if last else None
        )
        self._move_into_past(session, start, next_appointment)
        return values

    def _steps(self, session, area, value, before):
        understanding, forward, options, actions = NOTES[area.domain.key]
        if before is not None and before != value:
            word = "Up" if value > before else "Down"
            understanding = f"{word} from {before} last time. {understanding}"
        for step, text in enumerate([understanding, forward, options, STEP4_NOTE], start=1):
            services.step_visit(area=area, step=step)
            services.step_note_save(session=session, area=area, step=step, text=text)
        if self.rng.random() < 0.15:
            services.area_think_it_over(session=session, area=area, value=True)
            return
        for text, owner in self.rng.sample(actions, self.rng.randint(1, len(actions))):
            owner_name = ""
            if owner == Owner.CLINICIAN:
                owner_name = self.clinician.full_name
            elif owner == Owner.CARER:
                if self.carer is None:
                    owner, owner_name = Owner.OTHER, self.rng.choice(["Sister", "Brother"])
                else:
                    owner_name = self.carer.full_name
            services.action_add(
                session=session,
                area=area,
                text=text,
                owner=owner,
                owner_name=owner_name,
                client_token=uuid.uuid4(),
            )

    def _move_into_past(self, session, start, next_appointment):
        """Give the session its real dates: the services can only write 'now'."""
        end = start + datetime.timedelta(minutes=self.rng.choice([30, 35, 40, 45, 50]))
        DialogSession.objects.filter(pk=session.pk).update(
            started_at=start, ended_at=end, next_appointment=next_appointment, updated_at=end
        )
        during = start + datetime.timedelta(minutes=10)
        Rating.objects.filter(session=session).update(updated_at=during)
        SelectedArea.objects.filter(session=session).update(created_at=during)
        StepNote.objects.filter(area__session=session).update(updated_at=end)
        ActionReview.objects.filter(session=session).update(updated_at=start)
        due = (next_appointment - datetime.timedelta(days=3)).date()
        Action.objects.filter(area__session=session).update(created_at=end)
        Action.objects.filter(area__session=session, owner=Owner.CLINICIAN).update(due_date=due)
        if self.carer is not None and session.number == 1:
            Carer.objects.filter(pk=self.carer.pk).update(consent_recorded_at=end)
