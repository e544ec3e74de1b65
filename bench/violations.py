"""X: violations at a volume well above any election's (one case per eight TPS of the nation,
some 100,000 cases; Bawaslu records thousands in a national election).

- X1 a holiday added: every open case's deadline re-derived (``violations.actions.recompute``:
  the deadline per distinct state and date, then one UPDATE). Baseline, same run and table: one
  plain ``UPDATE`` setting every open case's deadline to its day of receipt.
- X2 a province's statistics (``violations.selectors.statistics``: counts by status, category,
  party kind, origin, kecamatan and week, ASN neutrality). Baseline: the one ``GROUP BY status``
  over the same subtree.
- X3 the cases near or past their deadline, nation-wide, as the Desk sees them
  (``violations.selectors.due``). Baseline: the plain SELECT of the open cases due within a week.

The cases are written by ``INSERT ... SELECT`` from the TPS table (setup, not timed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from bench.logistics import best

PROVINCE = "32"  # Jawa Barat: the largest province


def _setup(db: Any, election: Any) -> int:
    from django.db import transaction

    from regions.models import PollingStation
    from violations.models import Case, Step

    case, step, tps = Case._meta.db_table, Step._meta.db_table, PollingStation._meta.db_table
    e = election.pk
    db.execute(f"DELETE FROM {step} WHERE case_id IN (SELECT id FROM {case} WHERE election_id = %s)", [e])
    db.execute(f"DELETE FROM {case} WHERE election_id = %s", [e])
    if db.vendor == "postgresql":
        received = "DATE '2024-10-01' + (id %% 50)::int"
        now = "2024-11-15 12:00:00+00"
    else:
        received = "date('2024-10-01', '+' || (id %% 50) || ' days')"
        now = "2024-11-15 12:00:00"
    status = (
        "CASE id %% 5 WHEN 0 THEN 'received' WHEN 1 THEN 'review' WHEN 2 THEN 'investigation' "
        "WHEN 3 THEN 'closed' ELSE 'referred' END"
    )
    category = (
        "CASE id %% 4 WHEN 0 THEN 'administrasi' WHEN 1 THEN 'pidana' WHEN 2 THEN 'other_law' ELSE 'kode_etik' END"
    )
    party = "CASE id %% 3 WHEN 0 THEN 'asn' WHEN 1 THEN 'campaign' ELSE 'organiser' END"
    with transaction.atomic():
        db.execute(
            f"INSERT INTO {case} (version, created_at, updated_at, election_id, number, origin, occurred_on, "
            f"known_on, received_on, region_id, party_kind, party_name, party_unit, category, summary, "
            f"description, status, not_registered_reason, finding, extended, referred_to, outcome, sanction, "
            f"stage_started_on, deadline_rule) "
            f"SELECT 1, %s, %s, election_id, id, CASE WHEN id %% 2 = 0 THEN 'laporan' ELSE 'temuan' END, "
            f"{received}, {received}, {received}, village_id, {party}, 'bench', '', {category}, 'bench', '', "
            f"{status}, '', '', %s, '', '', '', {received}, '' FROM {tps} WHERE election_id = %s AND id %% 8 = 0",
            [now, now, False, e],
        )
    if db.vendor == "postgresql":
        db.execute(f"ANALYZE {case}")
    return db.count(case)  # type: ignore[no-any-return]


def bench_violations(db: Any, election: Any, say: Callable[[str], None]) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from violations import actions, selectors
    from violations.models import FINISHED, Case, Holiday

    n = _setup(db, election)
    say(f"X  {n:,} violation cases (setup)")
    table = Case._meta.db_table
    finished = list(FINISHED)

    def ours_recompute() -> None:
        with transaction.atomic():
            actions.recompute(election)

    def raw_recompute() -> None:
        with transaction.atomic():
            db.execute(
                f"UPDATE {table} SET deadline = received_on WHERE election_id = %s AND status NOT IN (%s, %s)",
                [election.pk, *finished],
            )

    Holiday.objects.get_or_create(election=election, day=dt.date(2024, 11, 27), defaults={"name": "Pilkada"})
    open_cases = Case.objects.filter(election=election).exclude(status__in=finished).count()
    ours, base = [], []
    for _ in range(2):
        db.settle()
        ours.append(best(ours_recompute, 1))
        db.settle()
        base.append(best(raw_recompute, 1))
    ours_recompute()  # leave the true deadlines behind for X3
    figures = [
        {"name": "X1 deadlines re-derived after a holiday", "rows": open_cases, "ours_s": ours, "baseline_s": base}
    ]

    def raw_counts() -> None:
        with connection.cursor() as c:
            c.execute(
                f"SELECT status, COUNT(*) FROM {table} WHERE election_id = %s AND region_id >= %s AND region_id < %s "
                f"GROUP BY status",
                [election.pk, PROVINCE, PROVINCE + "/"],
            )
            c.fetchall()

    rows = Case.objects.filter(election=election, region_id__gte=PROVINCE, region_id__lt=PROVINCE + "/").count()
    figures.append(
        {
            "name": "X2 a province's violation statistics",
            "rows": rows,
            "ours_s": [best(lambda: selectors.statistics(election, PROVINCE), 2)],
            "baseline_s": [best(raw_counts, 2)],
        }
    )

    desk, _created = get_user_model().objects.get_or_create(username="bench-desk", defaults={"is_superuser": True})
    today = dt.date(2024, 11, 18)

    def raw_due() -> None:
        with connection.cursor() as c:
            c.execute(
                f"SELECT id, deadline FROM {table} WHERE election_id = %s AND status NOT IN (%s, %s) "
                f"AND deadline <= %s ORDER BY deadline",
                [election.pk, *finished, today + dt.timedelta(days=7)],
            )
            c.fetchall()

    from django.test import override_settings

    with override_settings(SINERGI_TODAY=today.isoformat()):
        due = best(lambda: selectors.due(desk, election), 2)
        late = selectors.due(desk, election)
    due_rows = len(late["overdue"]) + len(late["near"])
    figures.append(
        {
            "name": "X3 cases near or past their deadline (nation)",
            "rows": due_rows,
            "ours_s": [due],
            "baseline_s": [best(raw_due, 2)],
        }
    )
    return figures
