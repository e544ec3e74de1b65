"""``make bench``: run :mod:`bench.suite` on SQLite and (when configured) PostgreSQL.

Each database gets its own subprocess and an empty database: a temporary SQLite file, and for
PostgreSQL a dedicated ``sinergi_bench`` database created (and dropped afterwards) on the
server named by ``BENCH_DATABASE_URL`` or ``DATABASE_URL``. Figures are printed, never gated:
the exit status is non-zero only when something crashed.

    python -m bench.run [--db sqlite|postgresql|all] [--repeat N] [--profile] [--keep]

Each figure is the best of its runs (the region import always runs 3 times; the TPS import
``--repeat`` times, 1 by default), each run followed by its baseline, so load from other
processes hits both sides alike.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "sinergi_bench"
TARGET = 0.5  # ratio = raw baseline time / our time; 1.0 = as fast as the raw insert


def postgres_url() -> str | None:
    for name in ("BENCH_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "").strip()
        try:
            engine = dj_database_url.parse(url).get("ENGINE", "") if url else ""
        except ValueError:  # an unknown scheme
            continue
        if "postgres" in engine:  # postgresql, postgis
            return url
    return None


@contextlib.contextmanager
def postgres_bench_database(url: str) -> Iterator[str]:
    """Create an empty ``sinergi_bench`` on the server of ``url``; yield its URL; drop it after."""
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    given = {"host": cfg.get("HOST"), "port": cfg.get("PORT"), "user": cfg.get("USER"), "password": cfg.get("PASSWORD")}
    params: dict[str, Any] = {k: v for k, v in given.items() if v}
    params.update(cfg.get("OPTIONS") or {})

    def admin() -> psycopg.Connection[Any]:
        last: Exception | None = None
        for dbname in dict.fromkeys(["postgres", cfg.get("NAME") or "postgres"]):
            try:
                return psycopg.connect(dbname=dbname, autocommit=True, **params)
            except psycopg.OperationalError as e:
                last = e
        assert last is not None
        raise last

    drop = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(BENCH_DB))
    with admin() as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
    try:
        yield urlsplit(url)._replace(path="/" + BENCH_DB).geturl()
    finally:
        with admin() as conn:
            conn.execute(drop)


def run_suite(label: str, database_url: str, workdir: Path, repeat: int, profile: bool) -> dict[str, Any] | None:
    result = workdir / f"result-{label.lower()}.json"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "sinergi.settings",
        "DEBUG": "0",  # no query log
        "DEMO": "0",
        "BENCH_RESULT": str(result),
        "BENCH_WORKDIR": str(workdir),
        "BENCH_PROFILE": "1" if profile else "0",
        "BENCH_REPEAT": str(repeat),
        "PYTHONUNBUFFERED": "1",
    }
    print(f"\n== {label}", flush=True)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bench.suite"], cwd=ROOT, env=env, check=False)
    print(f"  ({label} done in {time.perf_counter() - start:.0f} s)", flush=True)
    if proc.returncode != 0 or not result.exists():
        print(f"  {label}: the benchmark crashed (exit status {proc.returncode})", flush=True)
        return None
    data: dict[str, Any] = json.loads(result.read_text())
    return data


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} MB"


def table(result: dict[str, Any]) -> str:
    widths = {"rows": 9, "runs": 5, "ours": 10, "rows/s": 10, "raw": 10, "rows/s ": 10, "ratio": 8}
    head = "benchmark".ljust(40) + "".join(k.strip().rjust(w) for k, w in widths.items()) + "  target"
    lines = [
        f"{result['database']} — raw baseline: {result['baseline']} of the same rows, same table and indexes",
        head,
        "-" * (len(head) + 8),
    ]
    for f in result["figures"]:
        ours, raw = min(f["ours_s"]), min(f["baseline_s"])
        ratio = math.floor(raw / ours * 100) / 100  # rounded down: 0.497 shows as 0.49, below 0.5
        mark = "ok" if ratio >= TARGET else "below"
        lines.append(
            f"{f['name']:<40}{f['rows']:>9,}{len(f['ours_s']):>5}{ours:>9.2f}s{f['rows'] / ours:>10,.0f}"
            f"{raw:>9.2f}s{f['rows'] / raw:>10,.0f}{ratio:>8.2f}  >= {TARGET} {mark}"
        )
    lines.append(
        f"memory: peak RSS (ru_maxrss) of the run {_mb(result['peak_rss_mb'])}; "
        f"during the TPS import {_mb(result.get('tps_import_peak_mb'))} "
        f"(RSS before it {_mb(result.get('rss_before_tps_import_mb'))})"
    )
    lines += result.get("notes", [])
    lines.append(
        "times: best of the runs; ratio = raw time / our time (1.0 = as fast as raw; the raw side has no "
        "file to parse or check)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the TPS import (best is reported)")
    parser.add_argument("--profile", action="store_true", help="also run each import once under cProfile")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (CSV, SQLite file)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="sinergi-bench-"))
    results: list[dict[str, Any]] = []
    crashed = 0
    skipped: str | None = None
    try:
        if args.db in ("sqlite", "all"):
            res = run_suite("SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}", workdir, args.repeat, args.profile)
            crashed += res is None
            results += [res] if res else []
        if args.db in ("postgresql", "all"):
            url = postgres_url()
            if url is None:
                skipped = (
                    "PostgreSQL: skipped (no PostgreSQL URL). To include it, set BENCH_DATABASE_URL "
                    f"(or DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/postgres; the run "
                    f"creates and drops a database named {BENCH_DB} on that server."
                )
                print(f"\n== {skipped}", flush=True)
            else:
                try:
                    with postgres_bench_database(url) as bench_url:
                        res = run_suite("PostgreSQL", bench_url, workdir, args.repeat, args.profile)
                except Exception as e:  # the server is unreachable, no CREATE DATABASE right, ...
                    print(f"  PostgreSQL ({BENCH_DB} on that server): {e}", flush=True)
                    res = None
                crashed += res is None
                results += [res] if res else []
    finally:
        if args.keep:
            print(f"\n(kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print("\n==== Results")
    for res in results:
        print()
        print(table(res))
    if skipped:
        print(f"\n{skipped}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
