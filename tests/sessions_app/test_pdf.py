"""PDF summaries: the clinician's copy in the patient's language, the carer's
copy with only what is shared, fonts that print every letter, and the log.

The text is read back out of the PDF with pypdf, so these tests see what a
reader sees: a missing glyph, a wrong language or a leaked note fails them.
"""

import datetime
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from audit.models import AccessLog
from dialogplus.pdf import pdf_bytes
from patients.models import Carer
from sessions_app import services
from sessions_app.models import Action, DialogSession
from tests.factories import (
    ClinicFactory,
    ClinicianFactory,
    PatientFactory,
    in_days,
    session_complete,
)

pytestmark = pytest.mark.django_db

# A note in each language with the letters a font most often lacks.
NOTES = {
    "sr": "Ради два јутра недељно; ђак, џеп, љубав, њушка, ћерка.",
    "mk": "Ѓорѓи ќе помогне; ѕвезда, љубов, њива, џеб.",
    "sq": "Çdo mëngjes del në shëtitje; ëndrra, çaj, shkëlqyer.",
    "cnr": "Śutra će sa źetom; đak, čaj, šuma, žaba.",
}
ACTION = {
    "sr": "Позвати биро за запошљавање",
    "mk": "Да се јави во Агенцијата за вработување",
    "sq": "Të telefonojë zyrën e punësimit",
    "cnr": "Nazvati biro za zapošljavanje",
}


def pdf_text(content):
    """Every page's text, as a reader copying it out of the PDF would get it."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(content):
    """The names of the fonts embedded in the PDF (subset prefix removed)."""
    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            # A composite (Type0) font, as WeasyPrint writes, keeps it on its descendant.
            described = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = described.get("/FontDescriptor")
            # Only an embedded font has its program in the descriptor.
            if descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


def rich_session(patient, *, note, action, previous=True, finish=True):
    """A session with ratings (and last time's), a help answer, one area with
    notes in steps 1 and 3, an action with a due date and the next appointment."""
    if previous:
        session_complete(patient, ratings={"job": 5, "mental_health": 4})
    session = services.session_start(
        patient=patient, clinician=patient.key_clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    domains = {domain.key: domain for domain in session.scale_version.domains.all()}
    services.rating_record(session=session, domain_id=domains["job"].id, value=3, needs_help=True)
    services.rating_record(session=session, domain_id=domains["mental_health"].id, value=6)
    (area,) = services.areas_select(session=session, domain_ids=[domains["job"].id])
    services.step_note_save(session=session, area=area, step=1, text=note)
    services.step_note_save(session=session, area=area, step=3, text="Step three note.")
    services.action_add(
        session=session,
        area=area,
        text=action,
        owner=Action.Owner.PATIENT,
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        client_token=uuid.uuid4(),
    )
    if finish:
        services.session_finish(session=session, next_appointment=in_days(30))
    return session


def in_language(language, text):
    with translation.override(language):
        return gettext(text)


def domain_name(session, key, language):
    with translation.override(language):
        return session.scale_version.domains.get(key=key).short_name


# --- the clinician's copy -----------------------------------------------------------


@pytest.mark.parametrize("language", ["sr", "mk", "sq", "cnr"])
def test_clinicians_pdf_is_in_the_patients_language_with_every_letter(
    language, clinic, clinician, clinician_client
):
    patient = PatientFactory(clinic=clinic, key_clinician=clinician, language=language)
    session = rich_session(patient, note=NOTES[language], action=ACTION[language])

    response = clinician_client.get(reverse("sessions:summary_pdf", args=[session.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Language"] == language
    text = pdf_text(response.content)
    # The DIALOG wording and the interface text, both in the patient's language
    # (the clinician's interface is English).
    assert domain_name(session, "job", language) in text
    assert domain_name(session, "mental_health", language) in text
    heading = in_language(language, "DIALOG+ session summary")
    assert heading != "DIALOG+ session summary"
    assert heading in text
    assert NOTES[language] in text
    assert ACTION[language] in text
    assert "DejaVuSans" in {name.replace("-", "") for name in pdf_fonts(response.content)}


def test_serbian_pdf_prints_cyrillic_wording(clinic, clinician, clinician_client):
    patient = PatientFactory(clinic=clinic, key_clinician=clinician, language="sr")
    session = rich_session(patient, note=NOTES["sr"], action=ACTION["sr"])

    response = clinician_client.get(reverse("sessions:summary_pdf", args=[session.code]))

    text = pdf_text(response.content)
    # Literal Cyrillic, so a Latin fallback of the wording would fail here.
    assert "Радна ситуација" in text
    assert "Ментално здравље" in text


@pytest.mark.parametrize("language", ["sr", "mk"])
def test_a_cyrillic_patients_pdf_has_no_english_left(language, client_for):
    # Everything written in Cyrillic too: any Latin word left in the document is
    # interface text that missed the catalog (or wording that fell back to English).
    clinic = ClinicFactory(name="Клиника Центар", time_zone="Europe/Belgrade")
    clinician = ClinicianFactory(clinic=clinic, full_name="Јелена Петровић")
    patient = PatientFactory(
        clinic=clinic, key_clinician=clinician, full_name="Марко Јовановић", language=language
    )
    session = rich_session(patient, note="Белешка о разговору.", action="Позвати сестру")

    response = client_for(clinician).get(reverse("sessions:summary_pdf", args=[session.code]))

    text = pdf_text(response.content).replace("Step three note.", " ")
    latin = sorted(set(re.findall(r"[A-Za-z][A-Za-z'’]+", text)) - {"DIALOG", "PDF"})
    assert not latin, f"Latin text in the {language} PDF (outside gettext?): {latin}"


def test_clinicians_pdf_holds_the_whole_summary(clinic, clinician, clinician_client):
    patient = PatientFactory(clinic=clinic, key_clinician=clinician, language="en")
    session = rich_session(
        patient, note="Works two mornings a week.", action="Phone the job centre"
    )
    session.refresh_from_db()

    response = clinician_client.get(reverse("sessions:summary_pdf", args=[session.code]))

    text = pdf_text(response.content)
    with translation.override("en"), timezone.override(clinic.time_zone):
        from django.utils.formats import date_format

        started = date_format(timezone.localtime(session.started_at), "DATE_FORMAT")
        next_appointment = date_format(
            timezone.localtime(session.next_appointment), "DATETIME_FORMAT"
        )
        due = date_format(timezone.localdate() + datetime.timedelta(days=14), "SHORT_DATE_FORMAT")
    assert patient.full_name in text
    assert started in text
    assert "Clara Clinician" in text  # who ran the session
    # Ratings with last time's value, the change and the help answer.
    assert "Last time" in text
    assert "Job situation 3 · fairly dissatisfied 5 (−2) Yes" in " ".join(text.split())
    # The chosen area, its step notes under the steps' titles, the action.
    assert "Works two mornings a week." in text
    assert "Step three note." in text
    assert "Understanding" in text
    assert "Exploring options" in text
    assert f"Phone the job centre — Patient · due {due}" in text
    assert next_appointment in text


def test_pdf_filename_is_the_session_code_and_nothing_is_cached(
    clinic, clinician, clinician_client
):
    patient = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Petra Patient")
    session = session_complete(patient, ratings={"job": 4})

    response = clinician_client.get(reverse("sessions:summary_pdf", args=[session.code]))

    assert response["Content-Disposition"] == f'attachment; filename="dialog-{session.code}.pdf"'
    assert "Petra" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_pdf_of_an_open_session_says_it_may_still_change(clinic, clinician, clinician_client):
    # The printout's rule: a clinician may print a session that is still open.
    patient = PatientFactory(clinic=clinic, key_clinician=clinician)
    session = rich_session(patient, note="Draft note.", action="Draft action", finish=False)

    response = clinician_client.get(reverse("sessions:summary_pdf", args=[session.code]))

    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert "This session is still in progress: this summary may change." in text
    assert "Draft action" in text


def test_pdf_download_is_logged(clinic, clinician, clinician_client):
    patient = PatientFactory(clinic=clinic, key_clinician=clinician)
    session = session_complete(patient, ratings={"job": 4})

    clinician_client.get(reverse("sessions:summary_pdf", args=[session.code]))

    entry = AccessLog.objects.get()
    assert (entry.user, entry.patient, entry.kind, entry.session_code, entry.role) == (
        clinician,
        patient,
        AccessLog.Kind.PDF,
        session.code,
        AccessLog.Role.CLINICIAN,
    )


@pytest.mark.parametrize("persona", ["outsider", "clinic_admin", "carer_with_consent"])
def test_only_the_patients_clinicians_get_the_clinicians_pdf(persona, patient, client_for):
    session = rich_session(patient, note="Private note.", action="An action")

    response = client_for(persona).get(reverse("sessions:summary_pdf", args=[session.code]))

    assert response.status_code == 404
    assert not AccessLog.objects.exists()


# --- the carer's copy ---------------------------------------------------------------


@pytest.fixture
def carer_link(carer_with_consent):
    return Carer.objects.get(user=carer_with_consent)


def carer_pdf(client, session):
    return client.get(reverse("sessions:carer_summary_pdf", args=[session.code]))


def test_carers_pdf_has_no_notes_and_no_ratings_unless_shared(
    patient, carer_link, carer_with_consent_client
):
    assert not carer_link.share_ratings
    session = rich_session(patient, note="Private note about work.", action="Phone the centre")

    response = carer_pdf(carer_with_consent_client, session)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="dialog-{session.code}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "Phone the centre" in text  # agreed actions are shared
    assert "Next appointment:" in text
    assert "Private note about work." not in text
    assert "Step three note." not in text
    assert "Understanding" not in text  # not even the steps' titles
    assert "Ratings" not in text
    assert "fairly dissatisfied" not in text
    assert "Quality of life" not in text


def test_carers_pdf_shows_ratings_when_the_patient_shares_them(
    patient, carer_link, carer_with_consent_client
):
    carer_link.share_ratings = True
    carer_link.save()
    session = rich_session(patient, note="Private note about work.", action="Phone the centre")

    text = " ".join(pdf_text(carer_pdf(carer_with_consent_client, session).content).split())

    assert "Ratings" in text
    assert "Job situation 3 · fairly dissatisfied" in text
    assert "Private note about work." not in text


def test_carers_pdf_is_in_the_language_the_carer_reads(
    patient, carer_link, carer_with_consent, carer_with_consent_client
):
    # The carer page's rule: the account's language, else the one recorded for
    # the carer, else the patient's.
    patient.language = "sr"
    patient.save()
    session = rich_session(patient, note="Белешка.", action=ACTION["sr"])
    assert not carer_with_consent.language

    serbian = pdf_text(carer_pdf(carer_with_consent_client, session).content)
    carer_link.language = "sq"
    carer_link.save()
    albanian = pdf_text(carer_pdf(carer_with_consent_client, session).content)
    carer_with_consent.language = "mk"
    carer_with_consent.save()
    macedonian = pdf_text(carer_pdf(carer_with_consent_client, session).content)

    heading = "Areas discussed and agreed actions"
    assert in_language("sr", heading) in serbian
    assert in_language("sq", heading) in albanian
    assert domain_name(session, "job", "sq") in albanian
    assert ACTION["sr"] in albanian  # what was typed stays as typed
    assert in_language("mk", heading) in macedonian
    assert domain_name(session, "job", "mk") in macedonian


def test_carers_own_actions_are_marked(patient, carer_link, carer_with_consent_client):
    session = services.session_start(
        patient=patient, clinician=patient.key_clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    job = session.scale_version.domains.get(key="job")
    (area,) = services.areas_select(session=session, domain_ids=[job.id])
    services.action_add(
        session=session,
        area=area,
        text="Drive to the centre",
        owner=Action.Owner.CARER,
        carer=carer_link,
        client_token=uuid.uuid4(),
    )
    services.action_add(
        session=session,
        area=area,
        text="Fill in the form",
        owner=Action.Owner.PATIENT,
        client_token=uuid.uuid4(),
    )
    services.session_finish(session=session)

    text = " ".join(pdf_text(carer_pdf(carer_with_consent_client, session).content).split())

    assert "Drive to the centre (Your action)" in text
    assert "Fill in the form (Your action)" not in text


def test_carers_pdf_download_is_logged_as_a_carers_pdf(
    patient, carer_with_consent, carer_with_consent_client
):
    session = session_complete(patient, ratings={"job": 4})

    carer_pdf(carer_with_consent_client, session)

    entry = AccessLog.objects.get()
    assert (entry.user, entry.kind, entry.role, entry.session_code) == (
        carer_with_consent,
        AccessLog.Kind.PDF,
        AccessLog.Role.CARER,
        session.code,
    )


def test_withdrawn_carer_gets_404(patient, carer_withdrawn_client):
    session = session_complete(patient, ratings={"job": 4})

    assert carer_pdf(carer_withdrawn_client, session).status_code == 404
    assert not AccessLog.objects.exists()


def test_withdrawing_consent_ends_the_carers_pdf_at_once(
    patient, carer_link, carer_with_consent_client
):
    session = session_complete(patient, ratings={"job": 4})
    assert carer_pdf(carer_with_consent_client, session).status_code == 200

    carer_link.consent_withdrawn_at = timezone.now()
    carer_link.save()

    assert carer_pdf(carer_with_consent_client, session).status_code == 404


@pytest.mark.parametrize("persona", ["clinician", "outsider", "anonymous"])
def test_nobody_but_the_carer_gets_the_carers_pdf(persona, patient, client_for):
    session = session_complete(patient, ratings={"job": 4})

    response = carer_pdf(client_for(persona), session)

    assert response.status_code in (404, 302)
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 404


def test_carer_gets_no_pdf_of_an_open_session(patient, carer_with_consent_client):
    session = rich_session(patient, note="Note.", action="Action", finish=False)

    assert carer_pdf(carer_with_consent_client, session).status_code == 404


# --- links and the document machinery ---------------------------------------------------


def test_download_links_on_the_summary_print_and_patient_pages(
    patient, clinician_client, carer_with_consent_client
):
    session = session_complete(patient, ratings={"job": 4})
    pdf_url = reverse("sessions:summary_pdf", args=[session.code])

    for page in (
        reverse("sessions:summary", args=[session.code]),
        reverse("sessions:print", args=[session.code]),
        reverse("patients:detail", args=[patient.code]),
    ):
        assert f'href="{pdf_url}"' in clinician_client.get(page).content.decode(), page
    carer_page = carer_with_consent_client.get(
        reverse("sessions:carer_summary", args=[session.code])
    ).content.decode()
    assert f'href="{reverse("sessions:carer_summary_pdf", args=[session.code])}"' in carer_page


def test_pdf_documents_load_nothing_from_outside(tmp_path, settings, caplog):
    # A document that asks for a file on the disk and a stylesheet on the network:
    # both are refused, and the document is still made.
    image = tmp_path / "dot.png"
    image.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
        )
    )
    (tmp_path / "outside.html").write_text(
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
        f'<body><p>Inside</p><img src="file://{image}" alt=""></body></html>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    with caplog.at_level("WARNING", logger="dialogplus.pdf"):
        content = pdf_bytes("outside.html", {}, language="en")

    reader = PdfReader(io.BytesIO(content))
    assert "Inside" in reader.pages[0].extract_text()
    assert not reader.pages[0].images
    assert sum("nothing is fetched" in record.getMessage() for record in caplog.records) == 2
