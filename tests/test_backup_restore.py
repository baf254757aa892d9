"""A backup restores: the README's pg_dump and pg_restore, into a fresh database.

The copy holds the encrypted columns as ciphertext; with the keys they read
back as they were entered, with another key they do not open at all.
"""

import subprocess
import uuid

import psycopg2
import pytest
from django.db import connection

from dialogplus.encryption import DecryptionError, decrypt
from sessions_app.models import Action
from tests.factories import CarerFactory, ensure_scale, session_complete

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.needs("postgres")]

ACTION_TEXT = "Call the housing office on Monday"
CARER_PHONE = "+381 64 123 4567"


@pytest.fixture(autouse=True)
def _scale(transactional_db):
    ensure_scale()


def _run(*command):
    # The PostgreSQL client tools, found on PATH as an operator would run them.
    subprocess.run(command, check=True)  # noqa: S603


def _server_args():
    db = connection.settings_dict
    args = ["-h", db["HOST"] or "127.0.0.1", "-U", db["USER"] or "postgres"]
    return args + (["-p", str(db["PORT"])] if db["PORT"] else [])


@pytest.fixture
def restored_database(tmp_path):
    """The name of a fresh database restored from a dump of the test database."""
    dump = tmp_path / "dialogplus.dump"
    name = f"restore_{uuid.uuid4().hex[:12]}"
    source = connection.settings_dict["NAME"]
    # The commands of the README's "Backups" section.
    _run("pg_dump", "-Fc", *_server_args(), "-f", str(dump), source)
    _run("createdb", *_server_args(), name)
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", *_server_args(), "-d", name, str(dump))
        yield name
    finally:
        _run("dropdb", "--if-exists", *_server_args(), name)


def _read(database, sql, *params):
    db = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=database,
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"] or "postgres",
            password=db["PASSWORD"] or None,
        ) as raw,
        raw.cursor() as cursor,
    ):
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.fixture
def record(patient):
    session = session_complete(
        patient, ratings={"accommodation": 2}, actions={"accommodation": [ACTION_TEXT]}
    )
    carer = CarerFactory(patient=patient, phone=CARER_PHONE)
    return session, Action.objects.get(area__session=session), carer


def test_a_dump_restores_and_the_encrypted_fields_read_back_with_the_keys(
    record, restored_database, settings
):
    session, action, carer = record
    stored_text = _read(
        restored_database, "SELECT text FROM sessions_app_action WHERE id = %s", action.pk
    )
    stored_phone = _read(
        restored_database, "SELECT phone FROM patients_carer WHERE id = %s", carer.pk
    )
    rating = _read(
        restored_database,
        "SELECT r.value FROM sessions_app_rating r JOIN scale_domain d ON d.id = r.domain_id "
        "WHERE r.session_id = %s AND d.key = 'accommodation'",
        session.pk,
    )

    assert rating == 2
    # Ciphertext in the copy: a stolen backup does not read like a case file.
    assert ACTION_TEXT not in stored_text and CARER_PHONE not in stored_phone
    # With the keys the copy reads as it was entered.
    assert decrypt(stored_text) == ACTION_TEXT
    assert decrypt(stored_phone) == CARER_PHONE
    # With another key nothing opens: the keys are half of the backup.
    settings.DIALOGPLUS_ENCRYPTION_KEYS = ["x" * 43 + "="]
    with pytest.raises(DecryptionError):
        decrypt(stored_text)


def test_a_dump_names_nobody(record, restored_database):
    # Who is a patient at which clinic: the names, the carers' names and how
    # they are related are ciphertext in the copy, in the history tables too.
    session, _action, carer = record
    patient = session.patient
    stored = {
        "patient": _read(
            restored_database, "SELECT full_name FROM patients_patient WHERE id = %s", patient.pk
        ),
        "patient history": _read(
            restored_database,
            "SELECT string_agg(full_name, ' ') FROM patients_historicalpatient WHERE id = %s",
            patient.pk,
        ),
        "carer": _read(
            restored_database,
            "SELECT full_name || ' ' || relationship FROM patients_carer WHERE id = %s",
            carer.pk,
        ),
        "carer history": _read(
            restored_database,
            "SELECT string_agg(full_name || ' ' || relationship, ' ') "
            "FROM patients_historicalcarer WHERE id = %s",
            carer.pk,
        ),
        "name index": _read(
            restored_database,
            "SELECT string_agg(digest || ' ' || key_tag, ' ') FROM patients_patientnametoken",
        ),
    }
    clear = [patient.full_name, *patient.full_name.split(), carer.full_name, carer.relationship]

    for where, text in stored.items():
        assert text, where
        assert not any(word.casefold() in text.casefold() for word in clear), where
    assert decrypt(stored["patient"]) == patient.full_name
