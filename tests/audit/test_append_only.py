"""Access-log rows are written once and never changed or deleted.

Through the model (``save``, ``delete``, and the bulk queryset methods that
would skip them) the app refuses; on PostgreSQL the database's trigger
refuses raw SQL as well (audit/migrations/0002). CI runs on PostgreSQL, so the
trigger tests run there; on the embedded SQLite they are skipped.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AccessLog, AppendOnlyError
from audit.services import log_access

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.needs("postgres")


@pytest.fixture
def row(clinician, patient):
    return log_access(user=clinician, patient=patient, kind=AccessLog.Kind.PATIENT)


def stored(row):
    return AccessLog.objects.values().get(pk=row.pk)


def test_a_row_cannot_be_saved_again(row):
    before = stored(row)
    row.kind = AccessLog.Kind.EXPORT

    with pytest.raises(AppendOnlyError):
        row.save()

    assert stored(row) == before


def test_a_row_cannot_be_deleted(row):
    with pytest.raises(AppendOnlyError):
        row.delete()

    assert AccessLog.objects.filter(pk=row.pk).exists()


def test_a_bulk_update_is_refused(row):
    before = stored(row)

    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).update(user_name="Someone else")
    with pytest.raises(AppendOnlyError):
        row.user_name = "Someone else"
        AccessLog.objects.bulk_update([row], ["user_name"])

    assert stored(row) == before


def test_a_bulk_delete_is_refused(row):
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()

    assert AccessLog.objects.filter(pk=row.pk).exists()


def test_update_or_create_cannot_rewrite_a_row(row):
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.update_or_create(pk=row.pk, defaults={"user_name": "Someone else"})

    assert AccessLog.objects.get(pk=row.pk).user_name == "Clara Clinician"


def test_new_rows_can_still_be_added(row, clinician, patient):
    log_access(user=clinician, patient=patient, kind=AccessLog.Kind.HISTORY)

    assert AccessLog.objects.count() == 2


@needs_postgres
def test_postgresql_refuses_a_raw_update(row):
    before = stored(row)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_accesslog SET user_name = %s WHERE id = %s", ["Someone else", row.pk]
        )

    assert stored(row) == before


@needs_postgres
def test_postgresql_refuses_a_raw_delete(row):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_accesslog WHERE id = %s", [row.pk])

    assert AccessLog.objects.filter(pk=row.pk).exists()


@needs_postgres
def test_postgresql_still_takes_a_raw_insert(row, clinician, patient):
    # The trigger guards changes only: writing the log must keep working.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslog (at, clinic_id, patient_id, patient_code, user_id, "
            "user_name, role, kind, session_code) "
            "VALUES (now(), %s, %s, %s, %s, %s, 'clinician', 'patient', '')",
            [patient.clinic_id, patient.pk, patient.code, clinician.pk, "Clara Clinician"],
        )

    assert AccessLog.objects.count() == 2
