"""Change stamps shared by every process of one host, without a database query.

A stamp is a small file under ``SINERGI_STAMP_DIR`` (default ``var/stamps``) holding a random
token; ``bump(name)`` replaces it atomically, ``current(name)`` reads it (a few microseconds). Caches
key their entries by the stamp of what they depend on, so a bump makes every process build afresh.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings


def _dir() -> Path:
    return Path(getattr(settings, "SINERGI_STAMP_DIR", None) or Path(settings.DATA_DIR) / "stamps")


def current(name: str) -> str:
    try:
        with open(_dir() / name, encoding="ascii") as f:
            return f.read()
    except FileNotFoundError:
        return "0"


def bump(name: str) -> str:
    folder = _dir()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(8)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(token)
    os.replace(tmp, folder / name)
    return token


def bump_all() -> None:
    """After a restore: everything cached under any stamp is stale."""
    folder = _dir()
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and not path.name.startswith("."):
                bump(path.name)
