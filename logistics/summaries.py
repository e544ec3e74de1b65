"""Per-region logistics progress and risk (``LogisticsSummary``), kept set-based by :func:`refresh`.

Rows are per election × region (every level, the nation is "") × chain level (PPK, PPS, KPPS).
Each level is one ``INSERT ... SELECT`` grouped by code prefix, as ``regions.summaries`` does:
a region's row is the rows one level below it plus the nodes sitting on the region itself (the
PPK on its kecamatan, the PPS and KPPS on their desa). Plain SQL that SQLite and PostgreSQL run.

Risk depends on the clock. Every row of an election judges it by one clock, ``as_of``: a full
refresh (the periodic risk scan, ``rebuild``) sets it to now; a partial refresh after a shipment
or a receipt keeps it, so the figure reads "at risk as of <the last scan>, with every delivery
since then counted". :func:`check` recomputes every row from the nodes by that same clock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates, scoping
from elections.models import Election
from logistics.models import InboundState, LogisticsSummary, Node, NodeLevel

# Length of a region code at each level: nation "", "64", "64.02", "64.02.07", "64.02.07.2001".
CODE_LENGTH = {0: 0, 1: 2, 2: 5, 3: 8, 4: 13}
FIELDS = ("total", "dispatched", "received", "at_risk")
PARTIAL_LIMIT = 2000  # more region codes than this in one change: recompute the whole election
CHUNK = 500


def level_of(code: str) -> int:
    return 0 if code == "" else code.count(".") + 1


def _stored_as_of(election_id: int) -> dt.datetime | None:
    # unordered on purpose: first() would order by id and walk every row of the election
    clocks = LogisticsSummary.objects.filter(election_id=election_id, region_code="", level=0).order_by()
    found = list(clocks.values_list("as_of", flat=True)[:1])
    return found[0] if found else None


def refresh(
    election: Election | int, region_codes: Iterable[str] | None = None, now: dt.datetime | None = None
) -> None:
    """Recompute the rows of ``region_codes`` (the regions of changed nodes) and their ancestors,
    or of the whole election when None. A full refresh judges risk by ``now`` (default: the desk's
    now); a partial one by the clock the election's rows already carry."""
    target = election if isinstance(election, Election) else Election.objects.filter(pk=election).first()
    if target is None:
        return
    codes = None if region_codes is None else sorted({c for c in region_codes if c})
    if codes is not None and len(codes) > PARTIAL_LIMIT:
        codes = None
    if codes == []:
        return
    as_of = None if codes is None else _stored_as_of(target.pk)
    if as_of is None:
        codes = None  # nothing stored yet: build the whole election
        as_of = now or dates.now(target.timezone)
    adapt = connection.ops.adapt_datetimefield_value
    # at risk, as selectors.at_risk_nodes judges: goods on the way due after the node's due time,
    # or nothing sent and the latest safe dispatch passed (both derived by logistics.targets)
    risk_sql = (
        "CASE WHEN (inbound_state = %s AND inbound_eta > due_at) OR (inbound_state = %s AND inbound_depart_by < %s) "
        "THEN 1 ELSE 0 END"
    )
    risk_params: list[Any] = [InboundState.ON_THE_WAY.value, InboundState.NONE.value, adapt(as_of)]
    summary, node = LogisticsSummary._meta.db_table, Node._meta.db_table
    cols = "election_id, region_code, level, node_level, total, dispatched, received, at_risk, as_of, updated_at"
    stamp = [adapt(as_of), adapt(timezone.now())]
    e = target.pk
    nodes_select = (
        f"SELECT region_id AS code, level AS node_level, 1 AS total, "
        f"CASE WHEN inbound_state <> %s THEN 1 ELSE 0 END AS dispatched, "
        f"CASE WHEN inbound_state = %s THEN 1 ELSE 0 END AS received, {risk_sql} AS at_risk "
        f"FROM {node} WHERE election_id = %s AND level <> %s"
    )
    nodes_params: list[Any] = [
        InboundState.NONE.value,
        InboundState.RECEIVED.value,
        *risk_params,
        e,
        NodeLevel.WAREHOUSE.value,
    ]
    with transaction.atomic(), connection.cursor() as cur:
        if codes is None:
            cur.execute(f"DELETE FROM {summary} WHERE election_id = %s", [e])
        for level in (4, 3, 2, 1, 0):
            n = CODE_LENGTH[level]
            parts, params = [], []
            if level < 4:
                parts.append(
                    f"SELECT substr(region_code, 1, {n}) AS code, node_level, total, dispatched, received, at_risk "
                    f"FROM {summary} WHERE election_id = %s AND level = {level + 1}"
                )
                params.append(e)
            if level > 0:
                parts.append(nodes_select)
                params += nodes_params
            if codes is not None:
                prefixes = sorted({c[:n] for c in codes if level_of(c) >= level})
                if not prefixes:
                    continue
                marks = ", ".join(["%s"] * len(prefixes))
                cur.execute(
                    f"DELETE FROM {summary} WHERE election_id = %s AND level = {level} AND region_code IN ({marks})",
                    [e, *prefixes],
                )
                if level < 4 and n:
                    # one index range per prefix (see core.scoping.subtree_q)
                    parts[0] += (
                        " AND (" + " OR ".join(["(region_code >= %s AND region_code < %s)"] * len(prefixes)) + ")"
                    )
                    ranges: list[Any] = [x for p in prefixes for x in (p + ".", p + "/")]
                    params = [params[0], *ranges, *params[1:]]
                if level > 0:
                    parts[-1] += f" AND region_id IN ({marks})"
                    params += prefixes
            elif level > 0:
                parts[-1] += f" AND length(region_id) = {n}"
            cur.execute(
                f"INSERT INTO {summary} ({cols}) SELECT %s, code, {level}, node_level, SUM(total), SUM(dispatched), "
                f"SUM(received), SUM(at_risk), %s, %s FROM ({' UNION ALL '.join(parts)}) parts "
                f"GROUP BY code, node_level",
                [e, *stamp, *params],
            )


# --- rebuild and check (core.registry.summaries) ---------------------------------------------


def rebuild() -> int:
    """Recompute every election's rows from scratch, risk as of now; returns the number of elections."""
    ids = list(Election.objects.order_by("pk").values_list("pk", flat=True))
    for election_id in ids:
        refresh(election_id)
    LogisticsSummary.objects.exclude(election_id__in=ids).delete()
    return len(ids)


def expected(election: Election, as_of: dt.datetime) -> dict[tuple[str, int], tuple[int, ...]]:
    """The rows of ``election`` computed from the nodes in memory: {(code, chain level): (total, ...)}."""
    out: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * len(FIELDS))
    rows = (
        Node.objects.filter(election=election)
        .exclude(level=NodeLevel.WAREHOUSE)
        .values_list("region_id", "level", "inbound_state", "inbound_eta", "due_at", "inbound_depart_by")
        .order_by()
    )
    for code, level, state, eta, due, depart_by in rows.iterator(chunk_size=20000):
        risk = (state == InboundState.ON_THE_WAY and eta is not None and due is not None and eta > due) or (
            state == InboundState.NONE and depart_by is not None and depart_by < as_of
        )
        flags = (1, int(state != InboundState.NONE), int(state == InboundState.RECEIVED), int(risk))
        for lvl in range(level_of(code), -1, -1):
            acc = out[(code[: CODE_LENGTH[lvl]], level)]
            for i, f in enumerate(flags):
                acc[i] += f
    return {k: tuple(v) for k, v in out.items()}


def check() -> list[str]:
    """Every row that differs between the stored summaries and a recomputation from the nodes
    (risk judged by the clock the stored rows carry)."""
    problems: list[str] = []
    stored = LogisticsSummary.objects.order_by()
    for election in Election.objects.order_by("pk"):
        rows = stored.filter(election=election)
        clocks = set(rows.values_list("as_of", flat=True).distinct())
        where = {"election": election.pk}
        if len(clocks) > 1:
            problems.append(
                _("election %(election)s: the rows judge risk by %(n)s different clocks") % {**where, "n": len(clocks)}
            )
        as_of = min(clocks) if clocks else dates.now(election.timezone)
        want = expected(election, as_of)
        have = {
            (code, node_level): (level, tuple(vals))
            for code, node_level, level, *vals in rows.values_list("region_code", "node_level", "level", *FIELDS)
        }
        for key in sorted(set(want) | set(have)):
            code, node_level = key
            place = {**where, "region": code or _("(nation)"), "chain": NodeLevel(node_level).label}
            if key not in have:
                problems.append(
                    _("election %(election)s, region %(region)s, %(chain)s: missing, expected %(want)s")
                    % {**place, "want": _fmt(want[key])}
                )
            elif key not in want:
                problems.append(
                    _("election %(election)s, region %(region)s, %(chain)s: stored %(have)s, expected no row")
                    % {**place, "have": _fmt(have[key][1])}
                )
            elif have[key][1] != want[key] or have[key][0] != level_of(code):
                problems.append(
                    _("election %(election)s, region %(region)s, %(chain)s: stored %(have)s, expected %(want)s")
                    % {**place, "have": _fmt(have[key][1]), "want": _fmt(want[key])}
                )
    orphans = LogisticsSummary.objects.exclude(election__in=Election.objects.all()).count()
    if orphans:
        problems.append(_("%(n)s row(s) of deleted elections") % {"n": orphans})
    return problems


def _fmt(values: tuple[int, ...]) -> str:
    return ", ".join(f"{name}={v}" for name, v in zip(FIELDS, values, strict=True))


# --- reading -----------------------------------------------------------------------------------


def _covers(scope: str | None, code: str) -> bool:
    """Does a grant on ``scope`` (None: everywhere) cover the whole of ``code``'s subtree?"""
    return scope is None or (code != "" and scoping.in_subtree(code, scope))


def _inside(scope: str, code: str) -> bool:
    """Is ``scope`` strictly inside ``code``'s subtree?"""
    return code == "" or scope.startswith(code + ".")


def panel(user: Any, election: Election, code: str) -> dict[str, Any] | None:
    """Per chain level (total, dispatched, received, percent) and the nodes at risk in region
    ``code``, as far as ``user`` may see logistics there; one indexed query.

    ``narrowed`` is True when the user's scopes cover only part of the region: the figures are
    then the sum of the rows of their scopes inside it ("in your area").
    """
    scopes = scoping.grants(user, "logistics", scoping.VIEW)
    if not scopes:
        return None
    rows = LogisticsSummary.objects.filter(election=election).order_by()
    narrowed = not any(_covers(s, code) for s in scopes)
    if narrowed:
        inner = sorted({s for s in scopes if s is not None and _inside(s, code)})
        inner = [s for s in inner if not any(o != s and _covers(o, s) for o in inner)]
        if not inner:
            return None
        rows = rows.filter(region_code__in=inner)
    else:
        rows = rows.filter(region_code=code)
    sums: dict[int, list[int]] = {}
    as_of = None
    for node_level, clock, *vals in rows.values_list("node_level", "as_of", *FIELDS):
        acc = sums.setdefault(node_level, [0] * len(FIELDS))
        for i, v in enumerate(vals):
            acc[i] += v
        as_of = clock if as_of is None else min(as_of, clock)
    if not sums:
        return None
    labels = dict(NodeLevel.choices)
    levels = []
    for node_level in sorted(sums):
        total, dispatched, received, _risk = sums[node_level]
        levels.append(
            {
                "level": node_level,
                "total": total,
                "dispatched": dispatched,
                "received": received,
                "label": labels[node_level],
                "percent": round(100.0 * received / total, 1) if total else 0.0,
            }
        )
    return {"levels": levels, "risks": sum(v[3] for v in sums.values()), "as_of": as_of, "narrowed": narrowed}


def areas(user: Any, election: Election, region: Any, limit: int = 60) -> list[dict[str, Any]]:
    """Per area one level below ``region``: its TPS that received their goods, and its nodes at
    risk, from the stored rows (one indexed query). Empty when the user's scope covers only part
    of the region (an area's figure would not be the area's)."""
    from regions.models import Region

    scopes = scoping.grants(user, "logistics", scoping.VIEW)
    if not any(_covers(s, region.code) for s in scopes):
        return []
    children = {r.code: r.name for r in Region.objects.filter(parent=region).order_by("code")[:limit]}
    rows = LogisticsSummary.objects.filter(election=election, region_code__in=list(children)).order_by()
    kpps: dict[str, tuple[int, int]] = {}
    risks: dict[str, int] = {}
    for code, node_level, total, received, at_risk in rows.values_list(
        "region_code", "node_level", "total", "received", "at_risk"
    ):
        risks[code] = risks.get(code, 0) + at_risk
        if node_level == NodeLevel.KPPS:
            kpps[code] = (total, received)
    return [
        {
            "code": code,
            "name": name,
            "total": kpps[code][0],
            "received": kpps[code][1],
            "percent": round(100.0 * kpps[code][1] / kpps[code][0], 1) if kpps[code][0] else 0.0,
            "at_risk": risks.get(code, 0),
        }
        for code, name in children.items()
        if code in kpps
    ]
