"""Fresh planner statistics before a big set-based statement on PostgreSQL.

Rows written in the still-open transaction (a demo replay, a national import and the rebuild that
follows it) are invisible to autovacuum, so the planner may take a table of a million rows for an
empty one and nest loops over it: the same INSERT ... SELECT that takes seconds then runs for
hours. ANALYZE inside the transaction samples those rows too.
"""

from __future__ import annotations

from typing import Any

from django.db import connection


def refresh(*models: Any) -> bool:
    """ANALYZE the tables of ``models`` on PostgreSQL (SQLite plans without statistics: nothing to
    do there); returns whether it ran."""
    if connection.vendor != "postgresql":
        return False
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
    return True


def refresh_all() -> bool:
    """ANALYZE every table on PostgreSQL: after the demo is loaded, whose thousands of fresh rows
    autovacuum has not sampled yet (a live server's first scoped TPS list once planned nested
    loops over the whole region tree and ran for over a minute)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
