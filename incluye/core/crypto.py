"""Encryption at rest of the most sensitive fields and files (psychosocial notes, identity numbers,
scans of documents), with keys that live outside the database.

Keys: `INCLUYE_FIELD_KEYS` (comma-separated Fernet keys; the first encrypts, all decrypt, so a new
key goes first and the old ones stay until `manage.py rotate_field_keys` has re-encrypted
everything) and `INCLUYE_SEARCH_KEY` (the HMAC key of the blind index that keeps identity numbers
searchable by exact value; it does not rotate with the field keys). Either may instead come from
`INCLUYE_KEYS_FILE` (lines `field=…` and `search=…`). A development machine without them gets a key
file under `var/keys/` created on first use; production refuses to start without keys.

Stored form: "enc1:" + a Fernet token (AES-128-CBC + HMAC-SHA256, with its timestamp). A value
without the prefix is read as plain text, so existing rows keep working until they are migrated.
"""

import hashlib
import hmac
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models

PREFIX = "enc1:"
FILE_MAGIC = b"INCLUYE-ENC1\n"


def _keys_file() -> Path:
    return Path(
        getattr(settings, "INCLUYE_KEYS_FILE", "") or settings.BASE_DIR / "var" / "keys" / "incluye.keys"
    )


def _from_file(path: Path) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {"field": [], "search": []}
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name.strip() in values and value.strip():
            values[name.strip()].append(value.strip())
    return values


@cache
def keys() -> tuple[list[str], bytes]:
    """(field keys, newest first; the search key)."""
    field = [k.strip() for k in (settings.INCLUYE_FIELD_KEYS or "").split(",") if k.strip()]
    search = settings.INCLUYE_SEARCH_KEY or ""
    if not field or not search:
        path = _keys_file()
        if not path.exists():
            if not settings.DEBUG and not getattr(settings, "TESTING", False):
                raise ImproperlyConfigured(
                    "Set INCLUYE_FIELD_KEYS and INCLUYE_SEARCH_KEY (or INCLUYE_KEYS_FILE): the keys that "
                    "encrypt sensitive fields live outside the database. Make them with "
                    "`manage.py rotate_field_keys --new-key`."
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                f"field={Fernet.generate_key().decode()}\nsearch={Fernet.generate_key().decode()}\n"
            )
            path.chmod(0o600)
        from_file = _from_file(path)
        field = field or from_file["field"]
        search = search or (from_file["search"][0] if from_file["search"] else "")
    if not field or not search:
        raise ImproperlyConfigured("The keys file has no field= or search= line.")
    return field, search.encode()


def key_problems() -> list[str]:
    """What is wrong with the configured keys, without creating a key file (for the system check
    that stops production from starting without them). An empty list: the keys are usable."""
    field = [k.strip() for k in (settings.INCLUYE_FIELD_KEYS or "").split(",") if k.strip()]
    search = settings.INCLUYE_SEARCH_KEY or ""
    if not field or not search:
        path = _keys_file()
        from_file = _from_file(path) if path.is_file() else {"field": [], "search": []}
        field = field or from_file["field"]
        search = search or (from_file["search"][0] if from_file["search"] else "")
    problems = []
    if not field:
        problems.append("INCLUYE_FIELD_KEYS is not set (nor a field= line in INCLUYE_KEYS_FILE)")
    for number, key in enumerate(field, 1):
        try:
            Fernet(key)
        except ValueError:
            problems.append(f"field key number {number} is not a Fernet key (32 url-safe base64 bytes)")
    if not search:
        problems.append("INCLUYE_SEARCH_KEY is not set (nor a search= line in INCLUYE_KEYS_FILE)")
    elif len(search) < 16:
        problems.append("INCLUYE_SEARCH_KEY is shorter than 16 characters")
    return problems


def reset() -> None:
    keys.cache_clear()
    _fernet.cache_clear()


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys()[0]])


def encrypt(value: str) -> str:
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        return value  # plain text written before encryption (read as is; migrated on next save)
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A value cannot be decrypted with the configured INCLUYE_FIELD_KEYS: was a key removed "
            "before `rotate_field_keys` re-encrypted everything?"
        ) from error


def rotate(value: str) -> str:
    """The same value encrypted with the newest key."""
    if not value.startswith(PREFIX):
        return encrypt(value)
    return PREFIX + _fernet().rotate(value[len(PREFIX) :].encode()).decode()


def blind_index(value: str) -> str:
    """Keyed hash for exact-match search of an encrypted value (HMAC-SHA256, hex)."""
    return hmac.new(keys()[1], value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text encrypted in the database, plain in Python. Only `isnull` lookups make sense on it."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or value.startswith(PREFIX):
            return value
        return encrypt(value)


class BlindIndexField(models.CharField):
    """The keyed hash of another field of the model, kept up to date on every save (also by
    `bulk_create` and `insert_many`, which call `pre_save`)."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.source)
        hashed = blind_index(value) if value else ""
        setattr(model_instance, self.attname, hashed)
        return hashed


class EncryptedFileSystemStorage(FileSystemStorage):
    """Files encrypted on disk (scans of identity documents): written encrypted, read decrypted."""

    def _save(self, name, content):
        content.seek(0)
        data = FILE_MAGIC + _fernet().encrypt(content.read())
        return super()._save(name, ContentFile(data))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as f:
            raw = f.read()
        return ContentFile(decrypt_file_bytes(raw), name=name)

    def size(self, name):
        with self._open(name) as f:
            return len(f.read())


def decrypt_file_bytes(raw: bytes) -> bytes:
    if not raw.startswith(FILE_MAGIC):
        return raw  # stored before encryption
    try:
        return _fernet().decrypt(raw[len(FILE_MAGIC) :])
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A file cannot be decrypted with the configured INCLUYE_FIELD_KEYS."
        ) from error


def rotate_file_bytes(raw: bytes) -> bytes:
    if not raw.startswith(FILE_MAGIC):
        return FILE_MAGIC + _fernet().encrypt(raw)
    return FILE_MAGIC + _fernet().rotate(raw[len(FILE_MAGIC) :])


def new_key() -> str:
    return Fernet.generate_key().decode()


def scans_storage():
    return EncryptedFileSystemStorage()
