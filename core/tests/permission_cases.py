"""Permission cases for the shell's own pages (see tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix import LOGGED_IN, Case


def cases(w: Any) -> list[Case]:
    return [
        Case("core:home", "/", anonymous=200),
        Case("core:healthz", "/healthz", anonymous=200),
        # Everyone sees the changes of their own area (the matrix checks none from elsewhere leaks).
        Case("core:audit", "/audit/", allowed=LOGGED_IN, hidden={"Alamat TPS Rawa Makmur": frozenset()}),
    ]
