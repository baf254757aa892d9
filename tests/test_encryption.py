"""Encryption at rest: what a leaked backup shows, and key rotation.

The tests read the raw columns with SQL, as someone holding a copy of the
database would, and check that no clinical text or contact detail is there
in the clear, in the live tables or in their change history.
"""

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from dialogplus.encryption import TOKEN_PREFIX, DecryptionError
from sessions_app import services
from sessions_app.models import Action, ActionReview, DialogSession, StepNote
from tests.factories import CarerFactory, PatientFactory, session_complete

pytestmark = pytest.mark.django_db

NOTE = "Hears voices at night; afraid to tell the family"
ACTION = "Call sister Mira on Sunday"
PHONE = "+381 64 555 0101"
EMAIL = "mira.carer@example.org"


def raw_values(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - names are constants
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def written(patient, clinician):
    """One session with a note, an action and a review comment, and a carer with contacts."""
    session = session_complete(patient, ratings={"job": 3}, actions={"job": [ACTION]})
    area = session.areas.get()
    services_session = services.session_start(
        patient=patient,
        clinician=clinician,
        attendance=DialogSession.Attendance.OTHER,
        attendance_note="Neighbour Zoran",
    ).session
    note = StepNote.objects.create(area=area, step=1, text=NOTE)
    action = Action.objects.get(area=area)
    services.action_review_record(
        session=services_session, action=action, status="partly", comment="Only once"
    )
    carer = CarerFactory(patient=patient, email=EMAIL, phone=PHONE)
    return {"note": note, "action": action, "carer": carer, "session": services_session}


@pytest.mark.parametrize(
    ("table", "column", "clear"),
    [
        ("sessions_app_stepnote", "text", NOTE),
        ("sessions_app_action", "text", ACTION),
        ("sessions_app_actionreview", "comment", "Only once"),
        ("sessions_app_dialogsession", "attendance_note", "Neighbour Zoran"),
        ("patients_carer", "email", EMAIL),
        ("patients_carer", "phone", PHONE),
        # The change history keeps copies: they are encrypted too.
        ("sessions_app_historicalstepnote", "text", NOTE),
        ("sessions_app_historicalaction", "text", ACTION),
        ("patients_historicalcarer", "phone", PHONE),
    ],
)
def test_a_database_copy_shows_only_tokens(written, table, column, clear):
    stored = [value for value in raw_values(table, column) if value]

    assert stored, f"nothing written to {table}.{column}"
    assert all(value.startswith(TOKEN_PREFIX) for value in stored), stored
    assert not any(clear in value for value in stored)


def test_the_app_reads_the_clear_text(written):
    assert StepNote.objects.get(pk=written["note"].pk).text == NOTE
    assert Action.objects.get(pk=written["action"].pk).text == ACTION
    assert ActionReview.objects.get().comment == "Only once"
    carer = type(written["carer"]).objects.get(pk=written["carer"].pk)
    assert (carer.email, carer.phone) == (EMAIL, PHONE)
    assert StepNote.history.filter(id=written["note"].pk).first().text == NOTE


def test_the_same_text_twice_is_stored_differently(patient):
    # A random IV per value: equal notes cannot be spotted as equal in a backup.
    session = session_complete(patient, ratings={"job": 3}, actions={"job": [ACTION, ACTION]})

    tokens = raw_values("sessions_app_action", "text")

    assert Action.objects.filter(area__session=session).count() == 2
    assert len(set(tokens)) == 2


def test_empty_text_stays_empty_so_forms_can_tell(patient, clinician):
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session

    assert raw_values("sessions_app_dialogsession", "attendance_note") == [""]
    assert DialogSession.objects.filter(pk=session.pk, attendance_note="").exists()


def test_max_length_is_checked_on_the_clear_text(patient):
    session = session_complete(patient, ratings={"job": 3}, actions={"job": ["x"]})
    action = Action.objects.get(area__session=session)
    action.text = "y" * 501

    with pytest.raises(ValidationError) as error:
        action.full_clean()

    assert "text" in error.value.message_dict


def test_content_lookups_are_refused_rather_than_silently_wrong():
    # A LIKE on a ciphertext would never match; asking for one is a programming error.
    with pytest.raises(Exception, match="icontains"):
        list(StepNote.objects.filter(text__icontains="voices"))


def test_an_equality_lookup_on_content_is_refused(written):
    # It would match nothing (each token differs), so it is an error, not an empty answer.
    with pytest.raises(ValueError, match="encrypted"):
        Action.objects.get(text=ACTION)


def test_key_rotation_keeps_old_rows_readable_then_moves_them(written, settings):
    old_key = settings.DIALOGPLUS_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before = set(raw_values("sessions_app_stepnote", "text"))

    # The new key goes first; the old one still opens what it wrote.
    settings.DIALOGPLUS_ENCRYPTION_KEYS = [new_key, old_key]
    assert StepNote.objects.get(pk=written["note"].pk).text == NOTE
    with pytest.raises(SystemExit):
        call_command("rotate_encryption_keys", "--check", stdout=io.StringIO())

    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)

    assert "sessions_app.StepNote: 1 row(s) re-encrypted" in out.getvalue()
    assert set(raw_values("sessions_app_stepnote", "text")).isdisjoint(before)
    call_command("rotate_encryption_keys", "--check", stdout=io.StringIO())
    # Once rotated, the old key can go.
    settings.DIALOGPLUS_ENCRYPTION_KEYS = [new_key]
    assert StepNote.objects.get(pk=written["note"].pk).text == NOTE
    assert StepNote.history.filter(id=written["note"].pk).first().text == NOTE
    carer = type(written["carer"]).objects.get(pk=written["carer"].pk)
    assert carer.phone == PHONE


def test_rotation_makes_no_change_history(written, settings):
    history_rows = StepNote.history.count()
    settings.DIALOGPLUS_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.DIALOGPLUS_ENCRYPTION_KEYS,
    ]

    call_command("rotate_encryption_keys", stdout=io.StringIO())

    assert StepNote.history.count() == history_rows


def test_a_value_no_configured_key_opens_is_an_error_not_garbage(written, settings):
    settings.DIALOGPLUS_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(DecryptionError):
        StepNote.objects.get(pk=written["note"].pk)


def test_text_written_before_encryption_is_read_and_encrypted_on_save(patient):
    session = session_complete(patient, ratings={"job": 3}, actions={"job": ["placeholder"]})
    action = Action.objects.get(area__session=session)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sessions_app_action SET text = %s WHERE id = %s", [ACTION, action.pk]
        )

    action = Action.objects.get(pk=action.pk)
    assert action.text == ACTION
    action.save()

    assert raw_values("sessions_app_action", "text")[0].startswith(TOKEN_PREFIX)


def test_production_settings_refuse_to_start_without_a_key(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DIALOGPLUS_ENCRYPTION_KEYS", "DEBUG", "DATABASE_URL")
    }
    env.update(SECRET_KEY="s" * 20 + uuid.uuid4().hex * 2, DIALOGPLUS_VAR_DIR=str(tmp_path))

    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={**env, "DJANGO_SETTINGS_MODULE": "dialogplus.settings"},
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "DIALOGPLUS_ENCRYPTION_KEYS must be set" in result.stderr


def test_a_malformed_key_says_how_to_make_one(settings, patient):
    settings.DIALOGPLUS_ENCRYPTION_KEYS = ["not-a-key"]

    with pytest.raises(Exception, match="Fernet.generate_key"):
        PatientFactory(clinic=patient.clinic)
        CarerFactory(patient=patient, phone=PHONE)
