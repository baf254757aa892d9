"""Encrypt the free text written before its columns were encrypted.

Reading a value that is not yet a token returns it as it is; saving it again
stores it encrypted (dialogplus/encryption.py).
"""

from django.db import migrations

COLUMNS = {
    "StepNote": ["text"],
    "Action": ["text", "owner_name"],
    "ActionReview": ["comment"],
    "DialogSession": ["attendance_note"],
}


def encrypt_existing(apps, schema_editor):
    for model_name, fields in COLUMNS.items():
        model = apps.get_model("sessions_app", model_name)
        for row in model.objects.only("pk", *fields).iterator(chunk_size=500):
            row.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0002_encrypted_text_history_carer_owner")]

    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
