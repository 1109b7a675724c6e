"""Backups: the database and every stored file in one archive, and their restore into an empty
database with a check that every record and file came back.

The archive is a gzipped tar with `manifest.json` (when, which engine, the row count of every table
and the SHA-256 of every file), the database (`db.sqlite3` made with SQLite's online backup API, or
`db.dump` from `pg_dump --format=custom`) and the files under `media/`. Nothing is decrypted or
re-encoded on the way: the archive is as sensitive as the database, so store it like the database.
"""

import datetime
import glob
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def _tool(name: str) -> str:
    """A PostgreSQL client program: on PATH, or in Debian's versioned folder."""
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client programs.")
    return found


def _connection_parts(db: dict) -> dict:
    """Host, port, user and password of a DATABASES entry (OPTIONS may carry host and port)."""
    options = db.get("OPTIONS") or {}
    return {
        "host": db.get("HOST") or options.get("host"),
        "port": db.get("PORT") or options.get("port"),
        "user": db.get("USER") or options.get("user"),
        "password": db.get("PASSWORD") or options.get("password"),
    }


def _pg_env(db: dict) -> tuple[list[str], dict]:
    parts = _connection_parts(db)
    args = ["--dbname", db["NAME"]]
    if parts["host"]:
        args += ["--host", str(parts["host"])]
    if parts["port"]:
        args += ["--port", str(parts["port"])]
    if parts["user"]:
        args += ["--username", parts["user"]]
    env = {**os.environ}
    if parts["password"]:
        env["PGPASSWORD"] = parts["password"]
    return args, env


def cache_tables() -> set[str]:
    """The database cache's tables: rate-limit counters that change by the second and mean
    nothing after a restore (they are copied, not counted)."""
    return {
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache.get("BACKEND") == "django.core.cache.backends.db.DatabaseCache"
    }


def table_counts(conn=None) -> dict[str, int]:
    """Rows per table of the project's database (every table Django knows)."""
    conn = conn or connection
    tables = sorted(set(conn.introspection.table_names()) - cache_tables())
    with conn.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> list[dict]:
    if not root.exists():
        return []
    return [
        {"path": str(p.relative_to(root)), "sha256": _sha256(p), "size": p.stat().st_size}
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]


def backup(out: Path, *, media_root: Path | None = None) -> dict:
    """Writes the archive; returns its manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    db = connection.settings_dict
    manifest = {
        "format": 1,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": connection.vendor,
        "tables": table_counts(),
        "files": media_files(media_root),
    }
    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "sqlite":
            database = Path(tmp) / "db.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(database)
            with target:
                connection.connection.backup(target)
            target.close()
        elif connection.vendor == "postgresql":
            database = Path(tmp) / "db.dump"
            args, env = _pg_env(db)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(database), *args], env)
        else:
            raise BackupError(f"Backups of {connection.vendor} are not supported.")
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(out, "w:gz") as archive:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            for entry in manifest["files"]:
                archive.add(media_root / entry["path"], arcname=f"media/{entry['path']}")
    return manifest


@dataclass
class RestoreReport:
    tables: dict = field(default_factory=dict)  # table: (expected, found)
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603  # nosec B603
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Refusing an unsafe entry in the archive: {member.name}")
        yield member


def read_manifest(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as archive:
        return json.load(archive.extractfile("manifest.json"))


def restore(path: Path, *, database: dict, media_root: Path) -> RestoreReport:
    """Restores the archive into `database` (a Django DATABASES entry, which must be empty) and
    `media_root`, then checks every table's row count and every file's SHA-256 against the manifest."""
    report = RestoreReport()
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "r:gz") as archive:
        members = list(_members(archive))
        archive.extractall(tmp, members=members, filter="data")  # nosec B202
        manifest = json.loads(Path(tmp, "manifest.json").read_text())
        engine = manifest["engine"]
        # Table names end up in SQL: only plain identifiers are accepted from an archive.
        if not all(re.fullmatch(r"[a-z][a-z0-9_]*", table) for table in manifest["tables"]):
            raise BackupError("The archive's manifest names a table that is not a plain identifier.")
        if engine == "sqlite":
            target = str(database["NAME"])
            dest = sqlite3.connect(target, uri=target.startswith("file:"))
            if dest.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
                dest.close()
                raise BackupError(f"The target database {target} is not empty.")
            source = sqlite3.connect(Path(tmp) / "db.sqlite3")
            with dest:
                source.backup(dest)
            source.close()
            found = {}
            for table in manifest["tables"]:
                found[table] = dest.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608  # nosec B608
            dest.close()
        elif engine == "postgresql":
            import psycopg

            args, env = _pg_env(database)
            dsn = _dsn(database)
            with psycopg.connect(dsn) as conn:
                if conn.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                ).fetchone()[0]:
                    raise BackupError(f"The target database {database['NAME']} is not empty.")
            _run(
                [_tool("pg_restore"), "--no-owner", "--exit-on-error", *args, str(Path(tmp) / "db.dump")], env
            )
            found = {}
            with psycopg.connect(dsn) as conn:
                for table in manifest["tables"]:
                    found[table] = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608  # nosec B608
        else:
            raise BackupError(f"Unknown engine in the archive: {engine}")
        for table, expected in manifest["tables"].items():
            report.tables[table] = (expected, found.get(table))
            if found.get(table) != expected:
                report.problems.append(f"{table}: {expected} rows in the backup, {found.get(table)} restored")
        media_root.mkdir(parents=True, exist_ok=True)
        for entry in manifest["files"]:
            source = Path(tmp, "media", entry["path"])
            target = media_root / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            if _sha256(target) != entry["sha256"]:
                report.problems.append(f"{entry['path']}: the restored file differs from the backup")
            else:
                report.files += 1
    return report


def _dsn(database: dict) -> str:
    parts = {"dbname": database["NAME"], **_connection_parts(database)}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)
