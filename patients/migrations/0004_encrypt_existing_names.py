"""Encrypt the names and relationships written before their columns were
encrypted, in the live and the history tables, and build the name index.

Reading a value that is not yet a token returns it as it is; saving it again
stores it encrypted (dialogplus/encryption.py). Backwards, the clear text is
written back (``Value`` skips the field's encryption), so the column can go
back to plain text.
"""

from django.db import migrations
from django.db.models import TextField, Value

from patients.name_index import key_tag, name_digests

COLUMNS = {
    "Patient": ["full_name"],
    "HistoricalPatient": ["full_name"],
    "Carer": ["full_name", "relationship"],
    "HistoricalCarer": ["full_name", "relationship"],
}


def encrypt_existing(apps, schema_editor):
    for model_name, fields in COLUMNS.items():
        model = apps.get_model("patients", model_name)
        for row in model.objects.only("pk", *fields).iterator(chunk_size=500):
            row.save(update_fields=fields)
    Patient = apps.get_model("patients", "Patient")
    Token = apps.get_model("patients", "PatientNameToken")
    from dialogplus.encryption import blind_index_keys

    key = blind_index_keys()[0]
    tag = key_tag(key)
    Token.objects.all().delete()  # built whole, so running it twice does no harm
    rows = []
    patients = Patient.objects.filter(pseudonymised_at__isnull=True).only("pk", "full_name")
    for patient in patients.iterator(chunk_size=500):
        rows += [
            Token(patient_id=patient.pk, digest=digest, key_tag=tag)
            for digest in sorted(name_digests(patient.full_name, key=key))
        ]
        if len(rows) >= 1000:
            Token.objects.bulk_create(rows)
            rows = []
    Token.objects.bulk_create(rows)


def decrypt_existing(apps, schema_editor):
    for model_name, fields in COLUMNS.items():
        model = apps.get_model("patients", model_name)
        for row in model.objects.only("pk", *fields).iterator(chunk_size=500):
            model.objects.filter(pk=row.pk).update(
                **{field: Value(getattr(row, field), output_field=TextField()) for field in fields}
            )
    apps.get_model("patients", "PatientNameToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("patients", "0003_encrypted_names_blind_index")]

    operations = [migrations.RunPython(encrypt_existing, decrypt_existing)]
