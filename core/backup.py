"""Backup and restore of the whole installation: the database and the uploaded files (MEDIA_ROOT).

A backup is one ``.tar.gz`` holding ``sinergi-backup.json`` (what it is, which database engine),
the database (``db.sqlite3``, made with SQLite's online backup API, or ``db.dump``, a PostgreSQL
custom-format ``pg_dump``) and ``media/`` with the uploaded files. Generic: it knows tables and
files, no app.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from core import stamps

MANIFEST = "sinergi-backup.json"
FORMAT = "sinergi-backup"
FORMAT_VERSION = 1
SQLITE_FILE = "db.sqlite3"
POSTGRES_FILE = "db.dump"


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with a message for the operator."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Backup supports SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def create(path: Path) -> dict[str, Any]:
    """Write a backup of the database and MEDIA_ROOT to ``path``; returns the manifest."""
    kind = engine()
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="sinergi-backup-") as tmp:
        db_name = SQLITE_FILE if kind == "sqlite" else POSTGRES_FILE
        db_file = Path(tmp) / db_name
        if kind == "sqlite":
            _sqlite_backup(db_file)
        else:
            _run([_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(db_file), *_pg_args()])
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "engine": kind,
            "database": db_name,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "media_files": len(files),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_name)
            for f in files:
                tar.add(f, arcname=f"media/{f.relative_to(media).as_posix()}")
        partial.replace(path)
    return manifest


def read_manifest(tar: tarfile.TarFile, path: Path) -> dict[str, Any]:
    not_ours = BackupError(_("%(file)s is not a Sinergi backup.") % {"file": path})
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, ValueError):
        raise not_ours from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise not_ours
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("%(file)s is a Sinergi backup of format version %(v)s; this version reads %(ours)s.")
            % {"file": path, "v": manifest.get("version"), "ours": FORMAT_VERSION}
        )
    return manifest


def restore(path: Path) -> dict[str, Any]:
    """Replace the database and MEDIA_ROOT with the contents of the backup at ``path``."""
    kind = engine()
    if not path.is_file():
        raise BackupError(_("%(file)s does not exist.") % {"file": path})
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115  (closed by the with below)
    except (tarfile.TarError, OSError):
        raise BackupError(_("%(file)s is not a Sinergi backup.") % {"file": path}) from None
    with tar, tempfile.TemporaryDirectory(prefix="sinergi-restore-") as tmp:
        manifest = read_manifest(tar, path)
        if manifest.get("engine") != kind:
            raise BackupError(
                _("%(file)s is a backup of a %(theirs)s database; this installation runs on %(ours)s.")
                % {"file": path, "theirs": manifest.get("engine"), "ours": kind}
            )
        tar.extractall(tmp, filter="data")
        db_file = Path(tmp) / str(manifest["database"])
        if not db_file.is_file():
            raise BackupError(_("%(file)s is incomplete: the database is missing.") % {"file": path})
        if kind == "sqlite":
            _sqlite_restore(db_file)
        else:
            connection.close()
            _run(
                [
                    _pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    *_pg_args(),
                    str(db_file),
                ]
            )
        _replace_media(Path(tmp) / "media")
    stamps.bump_all()  # whatever was cached reflects the data before the restore
    return manifest


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        connection.connection.backup(dest)
    finally:
        dest.close()


def _sqlite_restore(source: Path) -> None:
    src = sqlite3.connect(source)
    try:
        check = src.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(_("The database in the backup is damaged."))
        connection.ensure_connection()
        src.backup(connection.connection)
    except sqlite3.DatabaseError as e:
        raise BackupError(_("The database in the backup cannot be read: %(error)s") % {"error": e}) from e
    finally:
        src.close()


def _replace_media(source: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        for child in media.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    media.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, media, dirs_exist_ok=True)


def _pg_args() -> list[str]:
    s = connection.settings_dict
    args = ["--dbname", str(s["NAME"])]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    return args


def _pg_tool(name: str) -> str:
    """The client tool: from PATH, else the newest under /usr/lib/postgresql/*/bin (Debian)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return candidates[-1]
    raise BackupError(_("%(tool)s was not found; install the PostgreSQL client tools.") % {"tool": name})


def _run(cmd: list[str]) -> None:
    env = {**os.environ}
    password = connection.settings_dict.get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": Path(cmd[0]).name, "error": proc.stderr.strip()[-2000:]}
        )
