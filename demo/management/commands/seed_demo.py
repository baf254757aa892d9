"""Demo data: a clinic in each of the five countries, its people and their history.

Safe to run twice: clinics are found by name, users by email and patients by
name within their clinic; whatever exists is left as it is. Histories are built
through the session services, as a clinician would build them, and then moved
into the past (the services only write "now").
"""

import datetime
import random
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Clinic, Membership, User
from demo.demo_data import (
    CARER,
    CLINICS,
    NOTES,
    REVIEWS,
    SERBIA,
    SERBIAN_STAFF,
    SOON_APPOINTMENT_HOURS,
    STEP4_NOTE,
    Owner,
    Profession,
    Role,
    patient_email,
)
from dialogplus.languages import COUNTRY_LANGUAGES
from patients.models import Carer, Patient
from patients.name_index import patients_named
from reminders.models import Appointment, CarerContactPreference, ContactChannel, ContactPreference
from reminders.services import agenda_reminders_schedule, appointment_set
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
from sessions_app.rating_links import (
    rating_link_create,
    rating_link_mark_answered,
    rating_link_mark_finished,
)
from sessions_app.selectors import actions_to_review


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
        # Today's and tomorrow's agenda emails for the clinicians (beat does this
        # every ten minutes; now, so `make run` shows them at once).
        agenda_reminders_schedule()
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
        booked_soon = False
        for patient_spec in spec.patients:
            if patients_named(patient_spec.name, Patient.objects.filter(clinic=clinic)):
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
            self._contact(patient, clinician)
            History(self, patient, clinician, carer, ZoneInfo(spec.time_zone)).build(
                patient_spec.sessions
            )
            if patient_spec.sessions and not booked_soon:
                booked_soon = self._book_soon(patient, ZoneInfo(spec.time_zone))
            elif not patient_spec.sessions:
                self._book_first(patient, ZoneInfo(spec.time_zone))
            if patient_spec.rated_by_link:
                self._rated_by_link(patient, staff["nurse"])
            created += 1
        return created

    def _contact(self, patient, clinician):
        """Email reminders, consented, at an address only the outbox sees."""
        ContactPreference.objects.get_or_create(
            patient=patient,
            defaults={
                "channel": ContactChannel.EMAIL,
                "email": patient_email(patient.full_name),
                "consent_to_reminders": True,
                "consent_recorded_at": self.now,
                "consent_recorded_by": clinician,
            },
        )

    def _book_soon(self, patient, tz):
        """An appointment in a few hours, so its reminders are due right away."""
        soon = (self.now + datetime.timedelta(hours=SOON_APPOINTMENT_HOURS)).astimezone(tz)
        appointment_set(
            patient=patient,
            when=soon.replace(minute=0, second=0, microsecond=0),
            by=patient.key_clinician,
        )
        return True

    def _rated_by_link(self, patient, nurse):
        """Today's session, rated by the patient on the nurse's link in the waiting
        room: the agenda lists it as waiting for the discussion."""
        link = rating_link_create(patient=patient, created_by=nurse).link
        values = [4, 3, 2, 5, 3, 4, 5, 6, 4, 3, 5]
        for domain, value in zip(self.domains, values, strict=True):
            services.rating_record(
                session=link.session, domain_id=domain.id, value=value, needs_help=value <= 3
            )
        rating_link_mark_answered(link=link)
        rating_link_mark_finished(link=link)

    def _book_first(self, patient, tz):
        """A first appointment, two days ahead at 10:00, for a patient with no session yet."""
        day = (self.now + datetime.timedelta(days=2)).astimezone(tz)
        when = day.replace(hour=10, minute=0, second=0, microsecond=0)
        appointment_set(patient=patient, when=when, by=patient.key_clinician)

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
                "email": email,
                "invited_at": self.now,
                "share_summaries": True,
                "consent_recorded_at": self.now,
                "consent_recorded_by": clinician,
            },
        )
        # The carer agreed to appointment reminders, by email (to the outbox).
        CarerContactPreference.objects.get_or_create(
            carer=carer,
            defaults={
                "channel": ContactChannel.EMAIL,
                "consent_to_reminders": True,
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
        for action in actions_to_review(session):
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
            owner_name, carer = "", None
            if owner == Owner.CLINICIAN:
                owner_name = self.clinician.full_name
            elif owner == Owner.CARER:
                if self.carer is None:
                    owner, owner_name = Owner.OTHER, self.rng.choice(["Sister", "Brother"])
                else:
                    # The demo carer sees these as "Your action".
                    owner_name, carer = self.carer.full_name, self.carer
            services.action_add(
                session=session,
                area=area,
                text=text,
                owner=owner,
                owner_name=owner_name,
                carer=carer,
                client_token=uuid.uuid4(),
            )

    def _move_into_past(self, session, start, next_appointment):
        """Give the session its real dates: the services can only write 'now'."""
        end = start + datetime.timedelta(minutes=self.rng.choice([30, 35, 40, 45, 50]))
        DialogSession.objects.filter(pk=session.pk).update(
            started_at=start, ended_at=end, next_appointment=next_appointment, updated_at=end
        )
        Appointment.objects.filter(session=session).update(created_at=end)
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
