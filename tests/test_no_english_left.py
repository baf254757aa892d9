"""No English sentence escapes gettext.

Every page a clinician sees is rendered in Serbian (Cyrillic) and Macedonian,
with all the data in Cyrillic too. Any run of Latin letters left on the page
is then interface text that never went through a catalog: a string outside
gettext, a missing translation, or DIALOG wording that fell back to English.
"""

import html
import re
import uuid

import pytest
from django.utils import timezone

from sessions_app import services
from sessions_app.models import Action, DialogSession
from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, session_complete

CYRILLIC_LANGUAGES = ["sr", "mk"]

# Latin-script words that are data or proper names, not interface text: the
# app's name and the native names of the languages in the language pickers.
ALLOWED_WORDS = {
    "DIALOG",
    # A file format's name, written so in every language ("Преузми PDF").
    "PDF",
    "English",
    "Srpski",
    "latinica",
    "Bosanski",
    "Hrvatski",
    "Crnogorski",
    "Shqip",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


def visible_text(response):
    """The page's text and its accessible names (aria-label, title, placeholder)."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<title>.*?</title>", " ", page, flags=re.S)
    labels = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *labels]))


def english_left(response, data_strings):
    text = visible_text(response)
    for value in data_strings:
        text = text.replace(value, " ")
    return sorted({w for w in LATIN_WORD.findall(text) if w not in ALLOWED_WORDS})


@pytest.fixture
def cyrillic_world(db):
    """A clinic whose people, patient, notes and actions are all written in Cyrillic."""
    clinic = ClinicFactory(name="Клиника Центар", time_zone="Europe/Belgrade")
    clinician = ClinicianFactory(clinic=clinic, full_name="Јелена Петровић")
    patient = PatientFactory(
        clinic=clinic, key_clinician=clinician, full_name="Марко Јовановић", language="sr"
    )
    session_complete(
        patient,
        ratings={"mental_health": 3, "job": 5, "medication": 6, "safety": 4},
        needs_help={"mental_health": True},
        actions={"mental_health": ["Шетња сваког дана"]},
        next_appointment=timezone.now() + timezone.timedelta(days=20),
    )
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    domains = list(session.scale_version.domains.all())
    for domain, value in zip(domains, [2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5], strict=True):
        services.rating_record(session=session, domain_id=domain.id, value=value)
    area = services.areas_select(session=session, domain_ids=[domains[0].id])[0]
    services.step_note_save(session=session, area=area, step=1, text="Белешка о разговору")
    services.action_add(
        session=session,
        area=area,
        text="Позвати сестру",
        owner=Action.Owner.PATIENT,
        client_token=uuid.uuid4(),
    )
    previous = patient.sessions.get(number=1)
    return {
        "clinician": clinician,
        "patient": patient,
        "session": session,
        "previous": previous,
        "area": area,
        "action": Action.objects.filter(area__session=previous).first(),
    }


def pages(world):
    code = world["session"].code
    patient = world["patient"].code
    area = world["area"].id
    yield f"/patients/{patient}/"
    yield "/patients/"
    yield "/patients/new/"
    yield f"/patients/{patient}/edit/"
    yield "/accounts/profile/"
    yield "/accounts/language/first/"
    yield f"/sessions/{code}/review-actions/"
    for position in (1, 11):
        yield f"/sessions/{code}/rate/{position}/"
    yield f"/sessions/{code}/rate/done/"
    yield f"/sessions/{code}/review/"
    yield f"/sessions/{code}/select/"
    for step in (1, 2, 3, 4):
        yield f"/sessions/{code}/areas/{area}/step/{step}/"
    yield f"/sessions/{code}/summary/"
    yield f"/sessions/{code}/abandon/"
    yield f"/sessions/{world['previous'].code}/summary/"
    yield f"/sessions/{world['previous'].code}/print/"


@pytest.mark.parametrize("language", CYRILLIC_LANGUAGES)
def test_no_latin_text_is_left_on_any_clinician_page(language, cyrillic_world, client_for):
    clinician = cyrillic_world["clinician"]
    clinician.language = language
    clinician.save(update_fields=["language"])
    patient = cyrillic_world["patient"]
    patient.language = language
    patient.save(update_fields=["language"])
    client = client_for(clinician)
    data = [
        clinician.email,
        patient.code,
        cyrillic_world["session"].code,
        cyrillic_world["previous"].code,
        "Europe/Belgrade",
    ]
    leftovers = {}
    for path in pages(cyrillic_world):
        response = client.get(path)
        assert response.status_code == 200, path
        words = english_left(response, data)
        if words:
            leftovers[path] = words
    assert not leftovers, f"Latin text on {language} pages (outside gettext?): {leftovers}"


@pytest.mark.parametrize("language", CYRILLIC_LANGUAGES)
def test_the_handed_over_screens_speak_only_the_patients_language(
    language, cyrillic_world, client_for
):
    patient = cyrillic_world["patient"]
    patient.language = language
    patient.save(update_fields=["language"])
    # The clinician reads English; the patient holding the tablet does not.
    client = client_for(cyrillic_world["clinician"])
    code = cyrillic_world["session"].code
    client.post(f"/sessions/{code}/handover/")
    for path in (f"/sessions/{code}/rate/3/", f"/sessions/{code}/rate/done/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'lang="{language}"' in response.content.decode()
        assert english_left(response, [code]) == [], path
