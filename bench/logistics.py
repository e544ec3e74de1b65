"""C: logistics progress and risk at national volume (823,220 TPS, every one with a shipment).

Builds, with set-based SQL on the TPS imported by benchmark B: a PPK per kecamatan, a PPS per
desa, a KPPS per TPS; three items (ballots per voter, a box, four booths); a Supply row per TPS
and item; one shipment (three lines) to every TPS, 70% received. Then times what the logistics
page and ``logistics_status`` compute -- per-item progress, per-level progress, nodes at risk --
for a province, for the nation, and for one kabupaten (the page target: < 100 ms), each next to a
plain aggregate over the same table in the same run.
"""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from collections.abc import Callable
from typing import Any

REPEAT = 5
PROVINCE = "32"  # Jawa Barat: the largest province
KABUPATEN = "64.02"


def best(fn: Callable[[], Any], n: int = REPEAT) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def build(db: Any, election: Any, say: Callable[[str], None]) -> dict[str, int]:
    from django.db import connection
    from django.utils import timezone

    from logistics.models import Item, Node, Shipment, ShipmentLine, Supply
    from regions.models import PollingStation, Region

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    e = election.pk
    node, tps, region = Node._meta.db_table, PollingStation._meta.db_table, Region._meta.db_table
    start = time.perf_counter()
    items = [
        Item.objects.create(election=election, code="ballot", name="Ballots", kind="ballot", per_voter=True, order=1),
        Item.objects.create(election=election, code="box", name="Box", kind="box", per_tps=1, order=2),
        Item.objects.create(election=election, code="booth", name="Booth", kind="booth", per_tps=4, order=3),
    ]
    cols = (
        "election_id, level, name, region_id, polling_station_id, inbound_mode, inbound_minutes, inbound_state, "
        "version, created_at, updated_at"
    )
    db.execute(
        f"INSERT INTO {node} ({cols}) SELECT %s, 2, name, code, NULL, 'truck', 240, 'received', 1, %s, %s "
        f"FROM {region} WHERE level = 3",
        [e, now, now],
    )
    db.execute(
        f"INSERT INTO {node} ({cols}) SELECT %s, 3, name, code, NULL, 'car', 120, 'received', 1, %s, %s "
        f"FROM {region} WHERE level = 4",
        [e, now, now],
    )
    db.execute(
        f"INSERT INTO {node} ({cols}) SELECT %s, 4, 'KPPS', village_id, id, 'car', 60, 'none', 1, %s, %s FROM {tps} "
        f"WHERE election_id = %s",
        [e, now, now, e],
    )
    dpt = "(t.dpt_male + t.dpt_female)"
    required = {
        items[0].pk: f"(({dpt} * 1025 + 999) / 1000)",
        items[1].pk: "1",
        items[2].pk: "4",
    }
    supply = Supply._meta.db_table
    for item_id, expr in required.items():
        db.execute(
            f"INSERT INTO {supply} (election_id, node_id, item_id, region_id, required, dispatched, received, damaged, "
            f"missing) SELECT %s, n.id, %s, n.region_id, {expr}, {expr}, "
            f"CASE WHEN n.id %% 10 < 7 THEN {expr} ELSE 0 END, 0, 0 "
            f"FROM {node} n JOIN {tps} t ON t.id = n.polling_station_id WHERE n.election_id = %s AND n.level = 4",
            [e, item_id, e],
        )
    shipment = Shipment._meta.db_table
    db.execute(
        f"INSERT INTO {shipment} (election_id, origin_id, destination_id, status, is_return, dispatched_at, "
        f"expected_arrival, arrived_at, note, version, created_at, updated_at) "
        f"SELECT %s, p.id, k.id, CASE WHEN k.id %% 10 < 7 THEN 'received' ELSE 'dispatched' END, %s, %s, %s, NULL, "
        f"'', 1, %s, %s FROM {node} k JOIN {node} p ON p.region_id = k.region_id AND p.level = 3 "
        f"AND p.election_id = k.election_id WHERE k.election_id = %s AND k.level = 4",
        [e, False, now, now, now, now, e],
    )
    # where the goods are, as the actions keep it: 70% of the TPS received, the rest on the way
    db.execute(
        f"UPDATE {node} SET inbound_state = CASE WHEN id %% 10 < 7 THEN 'received' ELSE 'on_the_way' END, "
        f"inbound_eta = %s WHERE election_id = %s AND level = 4",
        [now, e],
    )
    line = ShipmentLine._meta.db_table
    for item in items:
        db.execute(
            f"INSERT INTO {line} (shipment_id, item_id, quantity, packed) SELECT s.id, %s, 1, 0 FROM {shipment} s "
            f"WHERE s.election_id = %s",
            [item.pk, e],
        )
    db.settle()
    counts = {"nodes": db.count(node), "supply": db.count(supply), "shipments": db.count(shipment)}
    say(
        f"C: built {counts['nodes']:,} nodes, {counts['supply']:,} supply rows, {counts['shipments']:,} shipments "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return counts


def bench_logistics(db: Any, election: Any, say: Callable[[str], None]) -> list[dict[str, Any]]:
    from django.db import connection

    from logistics import selectors
    from logistics.models import Node, Supply
    from regions.models import Region

    build(db, election, say)
    tz = zoneinfo.ZoneInfo(election.timezone)
    now = dt.datetime.combine(election.voting_date - dt.timedelta(days=9), dt.time(12), tzinfo=tz)
    supply = Supply._meta.db_table
    node = Node._meta.db_table
    figures = []

    def raw_progress(code: str | None) -> list[Any]:
        where, params = "election_id = %s", [election.pk]
        if code:
            where += " AND region_id >= %s AND region_id < %s"
            params += [code + ".", code + "/"]
        with connection.cursor() as c:
            c.execute(
                f"SELECT item_id, COUNT(*), SUM(required), SUM(dispatched), SUM(received), SUM(damaged), "
                f"SUM(missing) FROM {supply} WHERE {where} GROUP BY item_id",
                params,
            )
            return c.fetchall()

    def raw_nodes(code: str | None) -> list[Any]:
        where, params = "election_id = %s", [election.pk]
        if code:
            where += " AND region_id >= %s AND region_id < %s"
            params += [code + ".", code + "/"]
        with connection.cursor() as c:
            c.execute(f"SELECT level, COUNT(*) FROM {node} WHERE {where} GROUP BY level", params)
            return c.fetchall()

    for label, code in (("kabupaten " + KABUPATEN, KABUPATEN), ("province " + PROVINCE, PROVINCE), ("nation", None)):
        region = Region.objects.get(code=code) if code else None
        rows = Supply.objects.filter(election=election)
        if code:
            rows = rows.filter(region_id__gte=code + ".", region_id__lt=code + "/")
        n_tps = rows.filter(item__code="box").count()
        items = selectors.progress(Supply.objects.all(), election, region)
        ours_progress = best(lambda: selectors.progress(Supply.objects.all(), election, region))  # noqa: B023
        raw = best(lambda: raw_progress(code))  # noqa: B023
        figures.append(
            {"name": f"C  progress by item, {label}", "rows": n_tps, "ours_s": [ours_progress], "baseline_s": [raw]}
        )
        n = 1 if code is None else 3
        ours_levels = best(lambda: selectors.level_progress(Node.objects.all(), election, region), n)  # noqa: B023
        ours_risk = best(lambda: selectors.risk_count(election, region, now, Node.objects.all()), n)  # noqa: B023
        raw_n = best(lambda: raw_nodes(code), n)  # noqa: B023
        figures.append(
            {
                "name": f"C  levels + risk, {label}",
                "rows": n_tps,
                "ours_s": [ours_levels + ours_risk],
                "baseline_s": [raw_n],
            }
        )
        say(
            f"C: {label}: {n_tps:,} TPS; progress {ours_progress * 1000:.1f} ms (raw aggregate {raw * 1000:.1f} ms); "
            f"levels {ours_levels * 1000:.1f} ms + risk {ours_risk * 1000:.1f} ms "
            f"(raw node count {raw_n * 1000:.1f} ms); "
            f"ballots required {items[0]['required']:,}"
        )
        if code == KABUPATEN:
            page = ours_progress + ours_levels + ours_risk
            say(f"C: a kabupaten's progress page data at national volume: {page * 1000:.1f} ms (target < 100 ms)")
    return figures


def bench_rebuild(db: Any, election: Any, say: Callable[[str], None]) -> list[dict[str, Any]]:
    """D: ``rebuild_supply`` (set-based) for the nation and for one desa, after C built the rows.

    Baseline, same run and table: DELETE the same rows and INSERT ... SELECT them back as
    constants from the KPPS nodes joined to their TPS -- the least any rebuild must do.
    """
    from django.db import transaction

    from logistics import actions
    from logistics.models import Item, Node, Supply
    from regions.models import PollingStation

    supply, node, tps, item = (m._meta.db_table for m in (Supply, Node, PollingStation, Item))
    desa = (
        Node.objects.filter(election=election, level=4, region_id__gte=KABUPATEN + ".", region_id__lt=KABUPATEN + "/")
        .order_by("region_id")
        .values_list("region_id", flat=True)
        .first()
    )

    def raw(region: str | None) -> None:
        where, params = "election_id = %s", [election.pk]
        if region:
            where += " AND region_id >= %s AND region_id < %s"
            params += [region, region + "/"]
        with transaction.atomic():
            db.execute(f"DELETE FROM {supply} WHERE {where}", params)
            db.execute(
                f"INSERT INTO {supply} (election_id, node_id, item_id, region_id, required, dispatched, received, "
                f"damaged, missing) SELECT n.election_id, n.id, i.id, n.region_id, 1, 1, 1, 0, 0 "
                f"FROM (SELECT * FROM {node} WHERE {where} AND level = 4) n "
                f"JOIN {tps} t ON t.id = n.polling_station_id JOIN {item} i ON i.election_id = n.election_id",
                params,
            )

    figures = []
    for label, region, n in (("nation", None, 1), (f"one desa ({desa})", desa, REPEAT)):
        rows = Supply.objects.filter(election=election)
        if region:
            rows = rows.filter(region_id__gte=region, region_id__lt=region + "/")
        count = rows.count()
        ours_s, raw_s = [], []
        for _ in range(n):
            db.settle()
            ours_s.append(best(lambda: actions.rebuild_supply(election, region=region), 1))  # noqa: B023
            if rows.count() != count:
                raise RuntimeError("rebuild_supply wrote a different number of rows")
            db.settle()
            raw_s.append(best(lambda: raw(region), 1))  # noqa: B023
        actions.rebuild_supply(election, region=region)  # leave the real rows behind
        figures.append({"name": f"D  rebuild_supply, {label}", "rows": count, "ours_s": ours_s, "baseline_s": raw_s})
        say(
            f"D: rebuild_supply, {label}: {count:,} rows in {min(ours_s):.3f} s; "
            f"raw DELETE + INSERT ... SELECT {min(raw_s):.3f} s"
        )
    return figures


def bench_targets(db: Any, election: Any, say: Callable[[str], None]) -> list[dict[str, Any]]:
    """T: every node's due time and latest safe dispatch, derived backwards from the TPS deadline
    for the nation (what saving the plan does), after C built the nodes. The routes go in first
    (not timed): PPS -> KPPS by car, PPK -> PPS by car. Baseline, same run and table: one UPDATE
    writing the same two columns of every node with constants -- the least any derivation must
    write."""
    from django.db import transaction
    from django.utils import timezone

    from logistics import targets
    from logistics.models import Node, Route

    e = election.pk
    node, route = Node._meta.db_table, Route._meta.db_table
    now = db.connection.ops.adapt_datetimefield_value(timezone.now())
    cols = (
        "version, created_at, updated_at, origin_id, destination_id, mode, travel_minutes, condition, "
        "condition_note, condition_since"
    )
    for level, parent in ((4, "k.region_id"), (3, "substr(k.region_id, 1, 8)")):
        db.execute(
            f"INSERT INTO {route} ({cols}) SELECT 1, %s, %s, p.id, k.id, 'car', 60, '', '', NULL FROM {node} k "
            f"JOIN {node} p ON p.region_id = {parent} AND p.level = %s AND p.election_id = k.election_id "
            f"WHERE k.election_id = %s AND k.level = %s",
            [now, now, level - 1, e, level],
        )
    db.settle()
    due = dt.datetime.combine(election.voting_date, dt.time(0), tzinfo=zoneinfo.ZoneInfo(election.timezone))

    def ours() -> None:
        with transaction.atomic():
            Node.objects.filter(election=election).update(due_at=None, inbound_depart_by=None)
        start = time.perf_counter()
        targets.refresh(election)
        timings.append(time.perf_counter() - start)

    def raw() -> None:
        with transaction.atomic():
            db.execute(
                f"UPDATE {node} SET due_at = %s, inbound_depart_by = %s WHERE election_id = %s AND level <> 1",
                [due, due, e],
            )

    timings: list[float] = []
    ours()
    raw_s = best(raw, 1)
    ours()
    rows = Node.objects.filter(election=election, due_at__isnull=False).count()
    say(f"T: targets derived for {rows:,} nodes in {min(timings):.1f} s (raw UPDATE of the same columns {raw_s:.1f} s)")
    return [{"name": "T  targets derived, nation", "rows": rows, "ours_s": timings, "baseline_s": [raw_s]}]


def bench_scan(db: Any, election: Any, say: Callable[[str], None]) -> list[dict[str, Any]]:
    """R: the periodic risk and overdue scan for the nation, after C built the shipments.

    At noon on H-2: 70% of the TPS have their goods, the rest are on their way and due that
    evening, except 1% of the TPS whose shipment was due two days ago (about 8,200 overdue). The
    first scan raises an alert for each; the next (the worker runs it every hour) finds nothing
    new. Baseline, same run and table: one INSERT ... SELECT of the same overdue alerts with a
    constant message, and the same overdue rows counted against the open alerts -- the least any
    scan must do.
    """
    from django.db import transaction

    from logistics import actions
    from logistics.models import Alert, Node, Shipment

    tz = zoneinfo.ZoneInfo(election.timezone)
    now = dt.datetime.combine(election.voting_date - dt.timedelta(days=2), dt.time(12), tzinfo=tz)
    evening, late = now + dt.timedelta(hours=6), now - dt.timedelta(days=2)
    node, shipment, alert = Node._meta.db_table, Shipment._meta.db_table, Alert._meta.db_table
    e = election.pk
    db.execute(
        f"UPDATE {node} SET inbound_eta = CASE WHEN id %% 100 = 7 THEN %s ELSE %s END "
        f"WHERE election_id = %s AND level = 4 AND inbound_state = 'on_the_way'",
        [late, evening, e],
    )
    db.execute(
        f"UPDATE {shipment} SET expected_arrival = CASE WHEN destination_id %% 100 = 7 THEN %s ELSE %s END "
        f"WHERE election_id = %s AND status = 'dispatched'",
        [late, evening, e],
    )
    db.execute(f"DELETE FROM {alert} WHERE election_id = %s", [e])
    db.settle()
    overdue_rows = (
        f"FROM {shipment} s WHERE s.election_id = %s AND s.status IN ('dispatched', 'arrived') "
        f"AND s.is_return = %s AND s.expected_arrival <= %s"
    )
    cutoff = now - dt.timedelta(hours=2)  # the smallest tolerance: the baseline may only find more

    def raw_first() -> None:
        with transaction.atomic():
            db.execute(
                f"INSERT INTO {alert} (election_id, node_id, shipment_id, kind, message, created_at) "
                f"SELECT s.election_id, s.destination_id, s.id, 'overdue', 'overdue', s.expected_arrival "
                f"{overdue_rows}",
                [e, False, cutoff],
            )

    def raw_steady() -> None:
        with db.connection.cursor() as c:
            c.execute(
                f"SELECT COUNT(*) {overdue_rows} AND NOT EXISTS (SELECT 1 FROM {alert} a "
                f"WHERE a.shipment_id = s.id AND a.kind = 'overdue' AND a.resolved_at IS NULL)",
                [e, False, cutoff],
            )
            c.fetchone()

    def clear() -> None:
        db.execute(f"DELETE FROM {alert} WHERE election_id = %s", [e])
        db.settle()

    first, first_raw, steady, steady_raw, raised = [], [], [], [], 0
    for _ in range(3):
        clear()
        start = time.perf_counter()
        with transaction.atomic():
            raised = actions.scan_risks(election, now)
        first.append(time.perf_counter() - start)
        steady.append(best(lambda: actions.scan_risks(election, now), 1))
        clear()
        first_raw.append(best(raw_first, 1))
        steady_raw.append(best(raw_steady, 1))
    if not raised:
        raise RuntimeError("the scan raised no alert: the benchmark's overdue shipments were not seen")
    say(
        f"R: scan at H-2, nation: {raised:,} alerts raised in {min(first):.2f} s "
        f"(raw INSERT ... SELECT {min(first_raw):.2f} s); the hourly rescan with nothing new "
        f"{min(steady):.2f} s (raw anti-join count {min(steady_raw):.3f} s)"
    )
    clear()
    return [
        {"name": "R  risk + overdue scan, first", "rows": raised, "ours_s": first, "baseline_s": first_raw},
        {"name": "R  risk + overdue scan, hourly", "rows": raised, "ours_s": steady, "baseline_s": steady_raw},
    ]


def bench_custody(db: Any, election: Any, say: Callable[[str], None]) -> list[dict[str, Any]]:
    """K: custody of the sealed boxes, after C built the shipments: one box per TPS, carried by the
    TPS's shipment (70% received, the rest on the way). Times who holds the boxes of a kabupaten
    and of the largest province (the packages page's counts and its first 500 rows), each next to a
    plain join counting the same boxes by their shipment in the same run."""
    from django.utils import timezone

    from elections.models import Contest
    from logistics import selectors
    from logistics.models import Node, Package, Shipment, ShipmentPackage
    from regions.models import PollingStation, Region

    e = election.pk
    now = db.connection.ops.adapt_datetimefield_value(timezone.now())
    contest = Contest.objects.create(election=election, kind="governor", region_id=PROVINCE, name="Bench: kotak")
    package, link = Package._meta.db_table, ShipmentPackage._meta.db_table
    tps, node, shipment = PollingStation._meta.db_table, Node._meta.db_table, Shipment._meta.db_table
    start = time.perf_counter()
    db.execute(
        f"INSERT INTO {package} (election_id, contest_id, polling_station_id, region_id, label, seal_number, "
        f"packed_at) SELECT %s, %s, t.id, t.village_id, 'Kotak', 'S' || t.id, %s FROM {tps} t WHERE t.election_id = %s",
        [e, contest.pk, now, e],
    )
    db.execute(
        f"INSERT INTO {link} (shipment_id, package_id, seal_number, resealed) SELECT s.id, p.id, p.seal_number, "
        f"%s FROM {package} p "
        f"JOIN {node} k ON k.polling_station_id = p.polling_station_id AND k.election_id = %s AND k.level = 4 "
        f"JOIN {shipment} s ON s.destination_id = k.id WHERE p.election_id = %s",
        [False, e, e],
    )
    db.settle()
    say(f"K: packed {db.count(package):,} boxes on their shipments in {time.perf_counter() - start:.1f} s")

    def raw(code: str) -> None:
        with db.connection.cursor() as c:
            c.execute(
                f"SELECT s.status, s.is_return, n.level, COUNT(*) FROM {package} p "
                f"JOIN {link} sp ON sp.package_id = p.id JOIN {shipment} s ON s.id = sp.shipment_id "
                f"JOIN {node} n ON n.id = s.destination_id "
                f"WHERE p.election_id = %s AND p.region_id >= %s AND p.region_id < %s "
                f"GROUP BY s.status, s.is_return, n.level",
                [e, code + ".", code + "/"],
            )
            c.fetchall()

    figures = []
    for label, code in (("kabupaten " + KABUPATEN, KABUPATEN), ("province " + PROVINCE, PROVINCE)):
        region = Region.objects.get(code=code)
        boxes = selectors.region_packages(Package.objects.all(), election, region)
        n = boxes.count()

        def ours(boxes: Any = boxes) -> None:
            selectors.custody_counts(boxes)
            selectors.custody(selectors.custody_rows(boxes)[:500])

        ours_s, raw_s = best(ours, 3), best(lambda: raw(code), 3)  # noqa: B023
        figures.append({"name": f"K  custody, {label}", "rows": n, "ours_s": [ours_s], "baseline_s": [raw_s]})
        say(f"K: custody of {n:,} boxes, {label}: {ours_s * 1000:.0f} ms (plain join count {raw_s * 1000:.0f} ms)")
    return figures
