from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand
from django.db import models, transaction

from incluye.core import crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and file with the newest key of INCLUYE_FIELD_KEYS (the first). "
        "To rotate: put a new key first (`--new-key` prints one), keep the old ones after it, run this "
        "command, then remove the old keys. `--new-key` only prints a key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="print a new key and stop")
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, **options):
        if options["new_key"]:
            self.stdout.write(crypto.new_key())
            return
        total = 0
        for model in apps.get_models():
            fields = [f.name for f in model._meta.concrete_fields if isinstance(f, crypto.EncryptedTextField)]
            if not fields:
                continue
            rows = model._base_manager.order_by("pk").values_list("pk", *fields)
            batch = []
            for pk, *values in rows.iterator(chunk_size=options["batch"]):
                raw = dict(zip(fields, values, strict=True))
                batch.append(model(pk=pk, **{k: crypto.rotate(v) if v else v for k, v in raw.items()}))
                if len(batch) == options["batch"]:
                    total += self._save(model, batch, fields)
                    batch = []
            total += self._save(model, batch, fields)
            self.stdout.write(f"{model._meta.label}: {', '.join(fields)} re-encrypted")
        files = 0
        plain = FileSystemStorage()
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField) and isinstance(
                    field.storage, crypto.EncryptedFileSystemStorage
                ):
                    for name in model._base_manager.values_list(field.name, flat=True).iterator():
                        if name and plain.exists(name):
                            path = plain.path(name)
                            with open(path, "rb") as f:
                                data = crypto.rotate_file_bytes(f.read())
                            with open(path, "wb") as f:
                                f.write(data)
                            files += 1
        self.stdout.write(f"{total} rows and {files} files now use the newest key.")

    @staticmethod
    def _save(model, batch, fields) -> int:
        if batch:
            with transaction.atomic():
                model._base_manager.bulk_update(batch, fields)
        return len(batch)
