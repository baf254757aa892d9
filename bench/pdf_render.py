"""How long one PDF session summary takes to make, as a clinician's download does.

Writes its own patient into the bench database (never the development one, see
bench/common.py): a Serbian (Cyrillic) patient with ``--sessions`` completed
sessions, the last with three areas, a note in each of the four steps and two
actions per area, so the document has the chart column, notes and two pages.
Then it builds the context and renders the PDF ``--runs`` times, in process
(no HTTP: WeasyPrint's layout is the cost), and prints the median and p95.

Run: ``python bench/pdf_render.py [--runs 20] [--sessions 6]``.
"""

import argparse
import datetime
import sys
import time
import uuid
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

CLINIC_NAME = "PDF bench clinic"
NOTE = (
    "Ради два јутра недељно и каже да му то прија; највише брине "
    "како ће стићи на посао када аутобус не иде. Sestra može pomoći."
)


def _session(sessions):
    """The bench patient's latest completed session, made on the first run."""
    from django.utils import timezone

    from accounts.models import Clinic, Membership, User
    from patients.models import Patient
    from sessions_app import services
    from sessions_app.models import Action, DialogSession

    clinic, _created = Clinic.objects.get_or_create(
        name=CLINIC_NAME, defaults={"time_zone": "Europe/Belgrade"}
    )
    clinician, _created = User.objects.get_or_create(
        email="pdf@bench.test", defaults={"full_name": "Бранка Петровић"}
    )
    Membership.objects.get_or_create(
        user=clinician, clinic=clinic, defaults={"role": Membership.Role.CLINICIAN}
    )
    patient, _created = Patient.objects.get_or_create(
        clinic=clinic,
        full_name="Марко Јовановић",
        defaults={"language": "sr", "key_clinician": clinician},
    )
    done = DialogSession.objects.filter(patient=patient, status=DialogSession.Status.COMPLETED)
    while done.count() < sessions:
        session = services.session_start(
            patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
        ).session
        domains = list(session.scale_version.domains.order_by("position"))
        for index, domain in enumerate(domains):
            value = None if index == 4 else 1 + (index + session.number) % 7
            services.rating_record(
                session=session, domain_id=domain.id, value=value, needs_help=index % 3 == 0
            )
        areas = services.areas_select(session=session, domain_ids=[d.id for d in domains[:3]])
        for area in areas:
            for step in range(1, 5):
                services.step_note_save(session=session, area=area, step=step, text=NOTE)
            for text in ("Позвати биро за запошљавање", "Прошетати сваког јутра"):
                services.action_add(
                    session=session,
                    area=area,
                    text=text,
                    owner=Action.Owner.PATIENT,
                    due_date=timezone.localdate() + datetime.timedelta(days=14),
                    client_token=uuid.uuid4(),
                )
        services.session_finish(
            session=session, next_appointment=timezone.now() + datetime.timedelta(days=30)
        )
    return done.select_related("patient", "patient__clinic", "clinician", "scale_version").latest(
        "number"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=6)
    args = parser.parse_args()

    common.setup_django()
    from django.core.management import call_command
    from django.utils import translation

    from dialogplus.pdf import pdf_bytes
    from sessions_app.views.pdf import TEMPLATE, pdf_summary_context

    call_command("migrate", verbosity=0, interactive=False)
    session = _session(args.sessions)
    language = session.patient.language

    def render():
        with translation.override(language):
            context = pdf_summary_context(session, include_ratings=True, include_notes=True)
        return pdf_bytes(
            TEMPLATE, context, language=language, time_zone=session.patient.clinic.time_zone
        )

    first_started = time.perf_counter()
    content = render()  # loads Pango and the fonts: reported apart
    first = time.perf_counter() - first_started
    seconds = []
    for _ in range(args.runs):
        started = time.perf_counter()
        render()
        seconds.append(time.perf_counter() - started)
    median, p95 = common.summarize(seconds)
    print(
        f"PDF summary ({len(content) / 1024:.0f} KB, session {session.number} of "
        f"{args.sessions}): median {median:.0f} ms, p95 {p95:.0f} ms over {args.runs} runs; "
        f"first in a process {first * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
