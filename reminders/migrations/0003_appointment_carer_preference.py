"""Appointments of their own, carers' reminder preferences, opt-out links and
the daily agenda: the new tables and columns. Reminders are moved from the
session to the appointment in 0004; the session column goes in 0005."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

KIND_CHOICES = [
    ("appointment_patient", "Appointment (patient)"),
    ("appointment_carer", "Appointment (carer)"),
    ("appointment_clinician", "Appointment (clinician)"),
    ("action_due", "Action due"),
    ("agenda_clinician", "Daily agenda (clinician)"),
]
CHANNEL_CHOICES = [("sms", "SMS"), ("email", "Email"), ("none", "No reminders")]
OPT_OUT_SOURCES = [("clinic", "recorded by the clinic"), ("link", "by the link in a reminder")]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_retention_membership_history"),
        ("patients", "0002_carer_contact_history_pseudonymised"),
        ("reminders", "0002_contact_consent"),
        ("sessions_app", "0003_encrypt_existing_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Appointment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="appointment")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "cancelled_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="cancelled"),
                ),
                (
                    "clinic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="appointments",
                        to="accounts.clinic",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="appointments",
                        to="patients.patient",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="appointments",
                        to="sessions_app.dialogsession",
                    ),
                ),
            ],
            options={
                "verbose_name": "appointment",
                "verbose_name_plural": "appointments",
                "ordering": ["starts_at", "id"],
                "indexes": [
                    models.Index(fields=["clinic", "starts_at"], name="appointment_clinic_starts"),
                    models.Index(
                        fields=["patient", "starts_at"], name="appointment_patient_starts"
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("cancelled_at__isnull", True)),
                        fields=("patient", "starts_at"),
                        name="appointment_once_per_patient_time",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CarerContactPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=CHANNEL_CHOICES,
                        default="sms",
                        max_length=10,
                        verbose_name="remind by",
                    ),
                ),
                (
                    "consent_to_reminders",
                    models.BooleanField(default=False, verbose_name="agrees to receive reminders"),
                ),
                ("consent_recorded_at", models.DateTimeField(blank=True, null=True)),
                (
                    "opted_out_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="opted out"),
                ),
                (
                    "opt_out_source",
                    models.CharField(blank=True, choices=OPT_OUT_SOURCES, max_length=10),
                ),
                (
                    "opt_out_key",
                    models.CharField(editable=False, max_length=12, null=True, unique=True),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "carer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminder_preference",
                        to="patients.carer",
                    ),
                ),
                (
                    "consent_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "carer's reminder preference",
                "verbose_name_plural": "carers' reminder preferences",
            },
        ),
        migrations.AddField(
            model_name="contactpreference",
            name="opt_out_key",
            field=models.CharField(editable=False, max_length=12, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="contactpreference",
            name="opt_out_source",
            field=models.CharField(blank=True, choices=OPT_OUT_SOURCES, max_length=10),
        ),
        # The old "session or action" check goes now; 0005 adds its successor.
        migrations.RemoveConstraint(model_name="reminder", name="reminder_has_subject"),
        migrations.AddField(
            model_name="reminder",
            name="agenda_date",
            field=models.DateField(blank=True, null=True, verbose_name="day"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="appointment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders",
                to="reminders.appointment",
            ),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="kind",
            field=models.CharField(choices=KIND_CHOICES, max_length=32, verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="patient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders",
                to="patients.patient",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(
                condition=models.Q(("appointment__isnull", False)),
                fields=("appointment", "kind", "recipient_key"),
                name="reminder_once_per_appointment_kind_recipient",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(
                condition=models.Q(("agenda_date__isnull", False)),
                fields=("clinic", "kind", "recipient_key", "agenda_date"),
                name="reminder_agenda_once_per_user_day",
            ),
        ),
    ]
