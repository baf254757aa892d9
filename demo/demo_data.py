"""The demo clinics, people and what their notes and actions say (seed_demo)."""

import unicodedata
from dataclasses import dataclass, field

from accounts.models import Clinic, Membership
from sessions_app.models import Action, ActionReview

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
    # An open session for today, rated on a rating link before the appointment.
    rated_by_link: bool = False


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
            PatientSpec("Dejan Popović", "sr-latn", 3, "nurse", rated_by_link=True),
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


# Demo patients agreed to email reminders at an address like this one, so
# reminders land in the development outbox (var/outbox) and nowhere else.
PATIENT_EMAIL_DOMAIN = "patient.demo.test"
# The first patient with a history in each clinic is booked this many hours
# from seeding, so their reminders are due at once and `make run` shows them.
SOON_APPOINTMENT_HOURS = 3


def patient_email(full_name):
    """``Zoran Đorđević`` → ``zoran.djordjevic@patient.demo.test``."""
    ascii_name = unicodedata.normalize("NFKD", full_name.lower().replace("đ", "dj")).encode(
        "ascii", "ignore"
    )
    return f"{'.'.join(ascii_name.decode().split())}@{PATIENT_EMAIL_DOMAIN}"
