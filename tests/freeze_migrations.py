"""Record the migrations on main so a committed migration is never rewritten.

A database migrated at an earlier commit has recorded each migration by name; editing or renaming
one afterwards leaves such a database unable to migrate (a renamed migration runs twice: "duplicate
column"). tests/test_migrations_frozen.py compares every migration file with the hash recorded here.

After adding a new migration: ``python -m tests.freeze_migrations`` (adds it, never changes a line).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "tests" / "migrations.sha256"
APPS = (
    "core",
    "regions",
    "elections",
    "agencies",
    "logistics",
    "meetings",
    "security",
    "violations",
    "participation",
    "budget",
)


def migration_files() -> dict[str, str]:
    out = {}
    for app in APPS:
        for path in sorted((ROOT / app / "migrations").glob("[0-9]*.py")):
            out[path.relative_to(ROOT).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def recorded() -> dict[str, str]:
    if not LOCK.exists():
        return {}
    rows = (line.split("  ", 1) for line in LOCK.read_text().splitlines() if line.strip())
    return {name: digest for digest, name in rows}


def main() -> None:
    known = recorded()
    for name, digest in migration_files().items():
        known.setdefault(name, digest)
    LOCK.write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(known.items())))


if __name__ == "__main__":
    main()
