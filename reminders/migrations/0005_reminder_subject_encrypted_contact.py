"""Reminders are about an appointment, an action or an agenda day, never a
session; the patient's address columns become encrypted (0006 encrypts the
rows already there)."""

from django.db import migrations, models

import dialogplus.encryption


class Migration(migrations.Migration):
    dependencies = [("reminders", "0004_appointments_from_sessions")]

    operations = [
        migrations.RemoveConstraint(
            model_name="reminder", name="reminder_once_per_session_kind_recipient"
        ),
        migrations.RemoveField(model_name="reminder", name="session"),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("appointment__isnull", False),
                    ("action__isnull", False),
                    ("agenda_date__isnull", False),
                    _connector="OR",
                ),
                name="reminder_has_subject",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("patient__isnull", False), ("kind", "agenda_clinician"), _connector="OR"
                ),
                name="reminder_patient_unless_agenda",
            ),
        ),
        migrations.AlterField(
            model_name="contactpreference",
            name="email",
            field=dialogplus.encryption.EncryptedEmailField(
                blank=True, max_length=254, verbose_name="email address"
            ),
        ),
        migrations.AlterField(
            model_name="contactpreference",
            name="phone",
            field=dialogplus.encryption.EncryptedCharField(
                blank=True,
                help_text="With the country code.",
                max_length=32,
                verbose_name="mobile phone",
            ),
        ),
    ]
