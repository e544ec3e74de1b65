"""D: region pages from the summary rows at national volume, and E: public figures under load.

D times the data of the nation, a province (Jawa Barat, the largest) and a kabupaten page read
from ``RegionSummary`` (``regions.summaries.region_totals``: the region's totals and its
children's) next to the full aggregate over the TPS registry (``regions.selectors`` as the pages
used it before) in the same run. Target: < 100 ms per page.

D also times the logistics panel of the same pages (home tile and region page: per chain level
total / dispatched / received, nodes at risk) read from ``LogisticsSummary``
(``logistics.summaries.panel``) next to the aggregate over the nodes it replaced
(``logistics.selectors.level_progress`` + ``risk_count``), on the nodes benchmark C built, and
the refresh the actions' follow-up job runs for one desa.

E starts the production WSGI server (gunicorn, 2 workers) on a loopback port against the same
database and drives it with 8 concurrent clients (threads + http.client, a bounded number of
requests and seconds) at ``/healthz`` (hello world) and at ``/api/v1/public/regions/{code}`` for
Kukar and Kaltim. Target: the public endpoint serves >= 0.8x the requests per second of /healthz.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.logistics import best

PAGES = (("nation", ""), ("province 32 Jawa Barat", "32"), ("kabupaten 64.02 Kukar", "64.02"))
PAGE_TARGET_S = 0.100
WORKERS = 2
CLIENTS = 8
REQUESTS = 2000  # per endpoint and round
SECONDS = 10.0  # per endpoint and round, at most
ROUNDS = 3
WARMUP = 200
THROUGHPUT_TARGET = 0.8
ENDPOINTS = ("/healthz", "/api/v1/public/regions/64.02", "/api/v1/public/regions/64")
ROOT = Path(__file__).resolve().parent.parent


def bench_pages(election: Any, say: Callable[[str], None]) -> tuple[list[dict[str, Any]], list[str]]:
    from regions import selectors, summaries
    from regions.models import PollingStation, Region

    start = time.perf_counter()
    summaries.refresh(election)
    rebuild_s = time.perf_counter() - start
    n_tps = PollingStation.objects.filter(election=election).count()
    problems = summaries.check()
    notes = [
        f"S  summaries rebuilt from scratch for {n_tps:,} TPS in {rebuild_s:.2f} s; "
        f"check_summaries: {len(problems)} difference(s)"
    ]
    say(notes[0])
    figures = []
    qs = PollingStation.objects.filter(election=election)
    for label, code in PAGES:
        region = Region.objects.filter(code=code).first() if code else None

        def children() -> list[Any]:
            return list(region.children.order_by("code") if region else Region.objects.filter(parent=None))  # noqa: B023

        def ours() -> Any:
            return summaries.region_totals(election, code), children()  # noqa: B023

        def full() -> Any:
            return selectors.totals(selectors.tps_in(qs, region)), selectors.totals_by_child(qs, region), children()  # noqa: B023

        (total, by_child), _ = ours()
        want_total, want_by_child, _ = full()
        if total != want_total or by_child != want_by_child:
            raise RuntimeError(f"summary totals of {label} differ from the full aggregate")
        ours_s, full_s = best(ours), best(full, 3)
        mark = "ok" if ours_s < PAGE_TARGET_S else "OVER"
        line = (
            f"S  page data, {label}: summaries {ours_s * 1000:.1f} ms, full aggregate {full_s * 1000:.0f} ms, "
            f"{full_s / ours_s:,.0f}x faster; target < {PAGE_TARGET_S * 1000:.0f} ms {mark}"
        )
        say(line)
        notes.append(line)
        figures.append({"name": f"S  page data, {label}", "rows": n_tps, "ours_s": [ours_s], "baseline_s": [full_s]})
    return figures, notes


def bench_logistics_panel(election: Any, say: Callable[[str], None]) -> tuple[list[dict[str, Any]], list[str]]:
    from django.contrib.auth.models import User

    from logistics import selectors, summaries
    from logistics.models import LogisticsSummary, Node
    from regions.models import Region

    start = time.perf_counter()
    summaries.refresh(election)
    rebuild_s = time.perf_counter() - start
    n_nodes = Node.objects.filter(election=election).count()
    start = time.perf_counter()
    problems = summaries.check()
    check_s = time.perf_counter() - start
    as_of = LogisticsSummary.objects.filter(election=election).values_list("as_of", flat=True).first()
    assert as_of is not None, "the bench election has nodes, so it has summary rows"
    desa = Node.objects.filter(election=election, level=4, region_id__gte="64.02.", region_id__lt="64.02/").order_by(
        "region_id"
    )
    desa_code = desa.values_list("region_id", flat=True).first() or ""
    partial_s = best(lambda: summaries.refresh(election, {desa_code}))
    notes = [
        f"D  logistics summaries rebuilt from scratch for {n_nodes:,} nodes in {rebuild_s:.2f} s "
        f"(check {check_s:.1f} s: {len(problems)} difference(s)); one desa ({desa_code}) and its ancestors "
        f"{partial_s * 1000:.1f} ms"
    ]
    say(notes[0])
    everyone = User(username="bench", is_superuser=True, is_active=True)  # unsaved: grants() = everywhere
    figures = []
    for label, code in PAGES:
        region = Region.objects.filter(code=code).first() if code else None

        def ours() -> Any:
            return summaries.panel(everyone, election, code)  # noqa: B023

        def full() -> Any:
            nodes = Node.objects.all()
            return (
                selectors.level_progress(nodes, election, region),  # noqa: B023
                selectors.risk_count(election, region, as_of, nodes),  # noqa: B023
            )

        got = ours() or {"levels": [], "risks": 0}
        want_levels, want_risks = full()
        if got["levels"] != want_levels or got["risks"] != want_risks:
            raise RuntimeError(f"the logistics panel of {label} differs from the aggregate over the nodes")
        ours_s, full_s = best(ours), best(full, 3)
        mark = "ok" if ours_s < PAGE_TARGET_S else "OVER"
        line = (
            f"D  logistics panel, {label}: summaries {ours_s * 1000:.1f} ms, aggregate over the nodes "
            f"{full_s * 1000:.0f} ms, {full_s / ours_s:,.0f}x faster; target < {PAGE_TARGET_S * 1000:.0f} ms {mark}"
        )
        say(line)
        notes.append(line)
        n = sum(lv["total"] for lv in got["levels"])
        figures.append({"name": f"D  logistics panel, {label}", "rows": n, "ours_s": [ours_s], "baseline_s": [full_s]})
    return figures, notes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> int:
    """One GET on a fresh connection (the sync workers close it after each response); the status.

    A raw socket rather than http.client: the client shares the machine's CPUs with the server,
    so the less it spends per request, the more the figures measure the server."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        head = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            head = head or chunk
    return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0


def _client(port: int, path: str, requests: int, deadline: float) -> tuple[int, int]:
    ok = failed = 0
    for _ in range(requests):
        if time.time() >= deadline:
            break
        try:
            if _get(port, path) == 200:
                ok += 1
            else:
                failed += 1
        except OSError:
            failed += 1
    return ok, failed


def drive(port: int, path: str, requests: int = REQUESTS, seconds: float = SECONDS) -> tuple[float, int, int]:
    """(req/s, done, failed): ``CLIENTS`` client processes (no shared GIL) share ``requests``
    requests, each stopping at ``seconds``."""
    deadline = time.time() + seconds
    shares = [requests // CLIENTS + (i < requests % CLIENTS) for i in range(CLIENTS)]
    with multiprocessing.get_context("fork").Pool(CLIENTS) as pool:
        start = time.perf_counter()
        results = pool.starmap(_client, [(port, path, n, deadline) for n in shares])
        elapsed = time.perf_counter() - start
    ok = sum(r[0] for r in results)
    return ok / elapsed, ok, sum(r[1] for r in results)


def bench_throughput(say: Callable[[str], None]) -> list[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "DEMO": "0",
        "INSECURE_HTTP": "1",  # loopback, no TLS: no redirect to https
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [gunicorn, "sinergi.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)
    notes: list[str] = []
    try:
        for _ in range(100):
            try:
                if _get(port, "/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer on /healthz")
        for path in ENDPOINTS:
            drive(port, path, WARMUP, 10)  # both workers: connections, caches
        # interleaved rounds, best of each: load from other processes hits every endpoint alike
        rates: dict[str, float] = dict.fromkeys(ENDPOINTS, 0.0)
        for _ in range(ROUNDS):
            for path in ENDPOINTS:
                rate, ok, failed = drive(port, path)
                if failed:
                    raise RuntimeError(f"{failed} requests to {path} failed")
                rates[path] = max(rates[path], rate)
                say(f"W  {path}: {rate:,.0f} req/s ({ok:,} requests)")
        hello = rates["/healthz"]
        notes.append(
            f"W  gunicorn {WORKERS} workers, {CLIENTS} concurrent clients: /healthz {hello:,.0f} req/s (hello world)"
        )
        for path in ENDPOINTS[1:]:
            ratio = rates[path] / hello
            mark = "ok" if ratio >= THROUGHPUT_TARGET else "below"
            notes.append(f"W  {path}: {rates[path]:,.0f} req/s, ratio {ratio:.2f}  >= {THROUGHPUT_TARGET} {mark}")
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    return notes


def bench_summaries(election: Any, say: Callable[[str], None]) -> tuple[list[dict[str, Any]], list[str]]:
    figures, notes = bench_pages(election, say)
    more, more_notes = bench_logistics_panel(election, say)
    figures += more
    notes += more_notes
    from django.db import connection

    connection.close()  # the server's workers open their own
    notes += bench_throughput(say)
    return figures, notes
