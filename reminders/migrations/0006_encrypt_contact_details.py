"""Encrypt the patients' phone numbers and email addresses stored before
their columns were encrypted.

Reading a value that is not yet a token returns it as it is; saving it again
stores it encrypted (dialogplus/encryption.py). Nothing filters or orders by
these columns, so nothing else changes.
"""

from django.db import migrations

FIELDS = ["email", "phone"]


def encrypt_existing(apps, schema_editor):
    model = apps.get_model("reminders", "ContactPreference")
    for row in model.objects.only("pk", *FIELDS).iterator(chunk_size=500):
        row.save(update_fields=FIELDS)


class Migration(migrations.Migration):
    dependencies = [("reminders", "0005_reminder_subject_encrypted_contact")]

    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
