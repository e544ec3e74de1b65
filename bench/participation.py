"""P: participation at national volume (every TPS of the nation reports its turnout).

- P1 voting-day turnout nation-wide as reports arrive (``participation.selectors.voting_day``: the
  current report of each TPS added up with the DPT of the reporting TPS, the TPS count, the target).
  Baseline, same run and table: one plain ``SELECT COUNT(*), SUM(voters)`` over the current reports.
- P2 a province's gap to the target per kabupaten/kota (``participation.selectors.gap``: DPT per
  child from the TPS, the latest turnout of each place or the nearest above it, outreach counts,
  voters needed, the focus list). Baseline: the one ``GROUP BY`` of the DPT per child over the same
  TPS.

The reports are written by ``INSERT ... SELECT`` from the TPS table (setup, not timed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bench.logistics import best

PROVINCE = "32"  # Jawa Barat: the largest province


def _setup(db: Any, election: Any, province: str) -> int:
    from django.db import connection, transaction

    from core.models import Source, SourceStatus
    from participation.models import Target, TurnoutHistory, TurnoutReport
    from regions.models import PollingStation

    report, tps = TurnoutReport._meta.db_table, PollingStation._meta.db_table
    current = connection.ops.quote_name("current")
    db.execute(f"DELETE FROM {report} WHERE election_id = %s", [election.pk])
    stamp = "2024-02-14 15:00:00+00" if db.vendor == "postgresql" else "2024-02-14 15:00:00"
    with transaction.atomic():
        db.execute(
            f"INSERT INTO {report} (election_id, tps_id, village_id, voters, reported_on, reported_at, {current})"
            f" SELECT election_id, id, village_id, (dpt_male + dpt_female) * 7 / 10, %s, %s, %s FROM {tps}"
            f" WHERE election_id = %s",
            [election.voting_date, stamp, True, election.pk],
        )
        source, _ = Source.objects.get_or_create(
            key="bench-participation",
            defaults={
                "status": SourceStatus.ILLUSTRATIVE,
                "publisher": "bench",
                "title": "bench",
                "as_of": dt.date(2023, 1, 1),
            },
        )
        Target.objects.get_or_create(
            election=election,
            region_id=province,
            defaults={"value": Decimal("77.5"), "cited_on": dt.date(2023, 6, 1), "source": source},
        )
        TurnoutHistory.objects.get_or_create(
            region_id=province,
            label="Pemilu 2019",
            defaults={
                "held_on": dt.date(2019, 4, 17),
                "percent": Decimal("70"),  # below the target, so every place has voters to gain
                "as_of": dt.date(2019, 5, 21),
                "source": source,
            },
        )
    if db.vendor == "postgresql":
        db.execute(f"ANALYZE {report}")
    return db.count(report)  # type: ignore[no-any-return]


def bench_participation(
    db: Any, election: Any, say: Callable[[str], None], province: str = PROVINCE
) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import override_settings

    from participation import selectors
    from participation.models import TurnoutReport
    from regions.models import PollingStation, Region

    n = _setup(db, election, province)
    say(f"P  {n:,} voting-day turnout reports (setup)")
    report, tps = TurnoutReport._meta.db_table, PollingStation._meta.db_table
    current = connection.ops.quote_name("current")

    def raw_turnout() -> None:
        with connection.cursor() as c:
            c.execute(
                f"SELECT COUNT(*), SUM(voters) FROM {report} WHERE election_id = %s AND {current} = %s",
                [election.pk, True],
            )
            c.fetchall()

    with override_settings(SINERGI_TODAY=election.voting_date.isoformat()):
        ours = best(lambda: selectors.voting_day(election, ""), 2)
        nation = selectors.voting_day(election, "")
    assert nation is not None and nation["reported"] == n, nation
    figures = [
        {
            "name": "P1 voting-day turnout nation-wide",
            "rows": n,
            "ours_s": [ours],
            "baseline_s": [best(raw_turnout, 2)],
        }
    ]

    def raw_dpt() -> None:
        with connection.cursor() as c:
            c.execute(
                f"SELECT SUBSTR(village_id, 1, 5), SUM(dpt_male + dpt_female) FROM {tps} "
                f"WHERE election_id = %s AND village_id >= %s AND village_id < %s GROUP BY SUBSTR(village_id, 1, 5)",
                [election.pk, province, province + "/"],
            )
            c.fetchall()

    place = Region.objects.get(code=province)
    rows = PollingStation.objects.filter(
        election=election, village_id__gte=province, village_id__lt=province + "/"
    ).count()
    with override_settings(SINERGI_TODAY="2024-01-15"):
        gap = best(lambda: selectors.gap(election, place), 2)
        result = selectors.gap(election, place)
    assert result["rows"] and result["focus"], result
    figures.append(
        {
            "name": "P2 a province's gap to the target per kabupaten/kota",
            "rows": rows,
            "ours_s": [gap],
            "baseline_s": [best(raw_dpt, 2)],
        }
    )
    return figures
