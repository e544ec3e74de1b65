"""Per-region TPS and DPT totals (``RegionSummary``), kept set-based by :func:`refresh`.

Every level is one ``INSERT ... SELECT`` grouped by the code prefix (``substr(code, 1, n)``):
desa rows from the TPS registry, each higher level from the rows one level below, the nation
(level 0, code "") from the provinces. Plain SQL that SQLite and PostgreSQL both run.

:func:`refresh` is correct whenever it is called, inside or outside the writer's transaction:
it deletes and re-inserts the rows concerned inside one ``transaction.atomic()`` and, once that
commits, bumps the ``region-summaries`` stamp (``core.stamps``) the public figures are cached
under. :func:`check` recomputes everything from scratch in memory and lists every differing row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import stamps
from elections.models import Election
from regions.models import PollingStation, RegionSummary

# Length of a region code at each level: nation "", "64", "64.02", "64.02.07", "64.02.07.2001".
CODE_LENGTH = {0: 0, 1: 2, 2: 5, 3: 8, 4: 13}
FIELDS = ("tps", "dpt_male", "dpt_female", "dpph", "dptb")
# More desa than this in one change: recompute the whole election (a national import).
PARTIAL_LIMIT = 2000
CHUNK = 500  # codes per IN (...) list
STAMP = "region-summaries"  # core.stamps: bumped after every refresh commits


def level_of(code: str) -> int:
    return 0 if code == "" else code.count(".") + 1


def refresh(election: Election | int, village_codes: Iterable[str] | None = None) -> None:
    """Recompute the summary rows of ``village_codes`` (desa) and their ancestors, or of the whole
    election when None. Call it after TPS of ``election`` were created, changed or deleted."""
    election_id = election if isinstance(election, int) else election.pk
    codes = None if village_codes is None else sorted(set(village_codes))
    if codes is not None and len(codes) > PARTIAL_LIMIT:
        codes = None
    if codes == []:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    summary = RegionSummary._meta.db_table
    tps = PollingStation._meta.db_table
    cols = "election_id, region_code, level, tps, dpt_male, dpt_female, dpph, dptb, updated_at"
    with transaction.atomic(), connection.cursor() as cur:
        # desa rows straight from the registry
        desa_select = (
            f"INSERT INTO {summary} ({cols}) "
            f"SELECT election_id, village_id, 4, COUNT(*), COALESCE(SUM(dpt_male), 0), COALESCE(SUM(dpt_female), 0), "
            f"COALESCE(SUM(dpph_expected), 0), COALESCE(SUM(dptb_expected), 0), %s FROM {tps} WHERE election_id = %s"
        )
        if codes is None:
            cur.execute(f"DELETE FROM {summary} WHERE election_id = %s", [election_id])
            cur.execute(desa_select + " GROUP BY election_id, village_id", [now, election_id])
        else:
            for chunk in _chunks(codes):
                marks = ", ".join(["%s"] * len(chunk))
                cur.execute(
                    f"DELETE FROM {summary} WHERE election_id = %s AND level = 4 AND region_code IN ({marks})",
                    [election_id, *chunk],
                )
                cur.execute(
                    desa_select + f" AND village_id IN ({marks}) GROUP BY election_id, village_id",
                    [now, election_id, *chunk],
                )
        # each higher level from the rows one level below, grouped by the code prefix
        for level in (3, 2, 1, 0):
            n = CODE_LENGTH[level]
            prefix = f"substr(region_code, 1, {n})" if n else "''"
            select = (
                f"INSERT INTO {summary} ({cols}) "
                f"SELECT election_id, {prefix}, {level}, SUM(tps), SUM(dpt_male), SUM(dpt_female), SUM(dpph), "
                f"SUM(dptb), %s FROM {summary} WHERE election_id = %s AND level = {level + 1}"
            )
            group = f" GROUP BY election_id, {prefix}" if n else " GROUP BY election_id"
            if codes is None or level == 0:
                if codes is not None:
                    cur.execute(f"DELETE FROM {summary} WHERE election_id = %s AND level = 0", [election_id])
                cur.execute(select + group, [now, election_id])
                continue
            prefixes = sorted({c[:n] for c in codes})
            for chunk in _chunks(prefixes):
                marks = ", ".join(["%s"] * len(chunk))
                cur.execute(
                    f"DELETE FROM {summary} WHERE election_id = %s AND level = {level} AND region_code IN ({marks})",
                    [election_id, *chunk],
                )
                # one index range per prefix: code >= p AND code < p + "/" (see core.scoping.subtree_q)
                ranges = " OR ".join(["(region_code >= %s AND region_code < %s)"] * len(chunk))
                params: list[Any] = [now, election_id]
                for p in chunk:
                    params += [p + ".", p + "/"]
                cur.execute(select + f" AND ({ranges})" + group, params)
        # cached public figures are keyed by this stamp: the next read after the commit is fresh
        transaction.on_commit(lambda: stamps.bump(STAMP))


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


# --- rebuild and check (core.registry.summaries) ---------------------------------------------


def rebuild() -> int:
    """Recompute the summaries of every election from scratch; returns the number of elections."""
    ids = list(Election.objects.order_by("pk").values_list("pk", flat=True))
    for election_id in ids:
        refresh(election_id)
    RegionSummary.objects.exclude(election_id__in=ids).delete()
    return len(ids)


def expected() -> dict[tuple[int, str], tuple[int, ...]]:
    """The summary rows computed from scratch in memory: {(election id, code): (tps, L, P, DPPh, DPTb)}."""
    out: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0] * len(FIELDS))
    rows = PollingStation.objects.values_list(
        "election_id", "village_id", "dpt_male", "dpt_female", "dpph_expected", "dptb_expected"
    ).order_by()
    for election_id, village, male, female, dpph, dptb in rows.iterator(chunk_size=20000):
        for n in (13, 8, 5, 2, 0):
            acc = out[(election_id, village[:n])]
            acc[0] += 1
            acc[1] += male
            acc[2] += female
            acc[3] += dpph
            acc[4] += dptb
    return {k: tuple(v) for k, v in out.items()}


def check() -> list[str]:
    """Every row that differs between the stored summaries and a recomputation from scratch."""
    want = expected()
    have = {
        (e, code): (level, tuple(vals))
        for e, code, level, *vals in RegionSummary.objects.values_list("election_id", "region_code", "level", *FIELDS)
        .order_by()
        .iterator(chunk_size=20000)
    }
    problems: list[str] = []
    for key in sorted(set(want) | set(have)):
        election_id, code = key
        where = {"election": election_id, "region": code or _("(nation)")}
        if key not in have:
            problems.append(
                _("election %(election)s, region %(region)s: missing, expected %(want)s")
                % {**where, "want": _fmt(want[key])}
            )
        elif key not in want:
            problems.append(
                _("election %(election)s, region %(region)s: stored %(have)s, expected no row")
                % {**where, "have": _fmt(have[key][1])}
            )
        elif have[key][1] != want[key] or have[key][0] != level_of(code):
            problems.append(
                _("election %(election)s, region %(region)s: stored %(have)s, expected %(want)s")
                % {**where, "have": _fmt(have[key][1]), "want": _fmt(want[key])}
            )
    return problems


def _fmt(values: tuple[int, ...]) -> str:
    return ", ".join(f"{name}={v}" for name, v in zip(FIELDS, values, strict=True))


# --- reading -----------------------------------------------------------------------------------

EMPTY = {"tps": 0, "dpt": 0, "dpt_male": 0, "dpt_female": 0}


def _totals(row: dict[str, int] | None) -> dict[str, int]:
    if row is None:
        return dict(EMPTY)
    return {
        "tps": row["tps"],
        "dpt_male": row["dpt_male"],
        "dpt_female": row["dpt_female"],
        "dpt": row["dpt_male"] + row["dpt_female"],
    }


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a[k] + b[k] for k in EMPTY}


def _covers(scope: str | None, code: str) -> bool:
    """Does a grant on ``scope`` (None: everywhere) cover the whole of ``code``'s subtree?"""
    return scope is None or (code != "" and (code == scope or code.startswith(scope + ".")))


def _inside(scope: str, code: str) -> bool:
    """Is ``scope`` strictly inside ``code``'s subtree?"""
    return code == "" or scope.startswith(code + ".")


def region_totals(
    election: Election | None, code: str, scopes: list[str | None] | None = None
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Totals of region ``code`` ("" for the nation) and of each of its children, from the summary rows.

    ``scopes`` narrows them to what a user may see (``core.scoping.grants``: None in the list
    = everywhere; an empty list = nothing); None means unnarrowed (public figures). Two indexed
    queries: the region's own row and its children's rows (plus one for scopes inside the region).
    """
    if election is None:
        return dict(EMPTY), {}
    level = level_of(code)
    rows = RegionSummary.objects.filter(election=election).values("region_code", *FIELDS)
    own = rows.filter(level=level, region_code=code).first() if level <= 4 else None
    children: dict[str, dict[str, int]] = {}
    if level < 4:
        child_rows = rows.filter(level=level + 1)
        if code:
            child_rows = child_rows.filter(region_code__gte=code + ".", region_code__lt=code + "/")
        children = {r["region_code"]: _totals(r) for r in child_rows}
    if scopes is None or any(_covers(s, code) for s in scopes):
        return _totals(own), children
    # Narrowed: the user sees only the parts of this region their scopes cover.
    inner = sorted({s for s in scopes if s is not None and _inside(s, code)})
    inner = [s for s in inner if not any(o != s and _covers(o, s) for o in inner)]
    scope_rows = {r["region_code"]: _totals(r) for r in rows.filter(region_code__in=inner)} if inner else {}
    total = dict(EMPTY)
    for s in inner:
        total = _add(total, scope_rows.get(s, EMPTY))
    narrowed: dict[str, dict[str, int]] = {}
    for child in children:
        part = dict(EMPTY)
        for s in inner:
            if s == child or s.startswith(child + "."):
                part = _add(part, scope_rows.get(s, EMPTY))
        if part["tps"]:
            narrowed[child] = part
    return total, narrowed
