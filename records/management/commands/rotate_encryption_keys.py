"""Re-encrypt every encrypted column with the newest key.

Rotation: put the new key first in DIALOGPLUS_ENCRYPTION_KEYS (keep the old
ones after it), restart the app, run this command, then drop the old keys.
Rows are rewritten with ``QuerySet.update()`` on purpose: re-encryption
changes no content, so it makes no entry in the change history.

The blind index of patients' names (patients/name_index.py) is keyed by a key
derived from the newest encryption key, so its rows written under an older
key are rebuilt too. Search finds them under any listed key until then.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from dialogplus.encryption import blind_index_keys, encrypted_fields, is_current, rotate
from patients.models import Patient, PatientNameToken
from patients.name_index import index_patients, key_tag


class Command(BaseCommand):
    help = "Re-encrypt all encrypted text with the first key in DIALOGPLUS_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count the values not yet under the newest key; exit 1 if any.",
        )
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, check=False, batch=500, **options):
        stale_total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            names = [field.attname for field in fields]
            stale = self._rotate_model(model, names, batch=batch, dry_run=check)
            stale_total += stale
            done = "under an older key" if check else "re-encrypted"
            self.stdout.write(f"{model._meta.label}: {stale} row(s) {done}")
        stale = self._rebuild_name_index(batch=batch, dry_run=check)
        stale_total += stale
        done = "indexed under an older key" if check else "re-indexed"
        self.stdout.write(f"Name index: {stale} patient(s) {done}")
        if check and stale_total:
            raise SystemExit(1)

    @staticmethod
    def _rebuild_name_index(*, batch, dry_run):
        current = key_tag(blind_index_keys()[0])
        stale = list(
            PatientNameToken.objects.exclude(key_tag=current)
            .order_by("patient_id")
            .values_list("patient_id", flat=True)
            .distinct()
        )
        if not dry_run:
            for start in range(0, len(stale), batch):
                ids = stale[start : start + batch]
                index_patients(
                    Patient.objects.filter(id__in=ids).only("pk", "full_name", "pseudonymised_at")
                )
        return len(stale)

    @staticmethod
    def _rotate_model(model, names, *, batch, dry_run):
        # Cast() reads the stored token itself, not the text the field decrypts,
        # and Value() writes a token as it is, without encrypting it again.
        raw = {f"raw_{name}": Cast(name, output_field=TextField()) for name in names}
        rows = model._base_manager.order_by("pk").annotate(**raw).values_list("pk", *raw)
        changed = 0
        for start in range(0, rows.count(), batch):
            with transaction.atomic():
                for pk, *stored in rows[start : start + batch]:
                    stale = {
                        name: token
                        for name, token in zip(names, stored, strict=True)
                        if not is_current(token)
                    }
                    if not stale:
                        continue
                    changed += 1
                    if not dry_run:
                        model._base_manager.filter(pk=pk).update(
                            **{
                                name: Value(rotate(token), output_field=TextField())
                                for name, token in stale.items()
                            }
                        )
        return changed
