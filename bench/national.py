"""A national-scale TPS file: 823,220 TPS over the real desa/kelurahan of the region tree.

TPS are spread over the desa/kelurahan in proportion to the real Pemilu 2024 TPS count per
desa (``regions/data/pemilu2024-tps-per-village.csv.gz``; a desa missing there weighs 1), by
largest remainder so the total is exact, and every desa gets at least one TPS. The rest of
each row (DPT, address, coordinates, access) is deterministic pseudo-random data that passes
the import checks: DPT <= 600 per TPS, coordinates inside Indonesia.
"""

from __future__ import annotations

import csv
import gzip
import math
import os
import random
from collections.abc import Iterable
from pathlib import Path

from regions.boundaries import TPS_PER_VILLAGE_CSV
from regions.importers import COLUMNS
from regions.models import LAT_MAX, LAT_MIN, LNG_MAX, LNG_MIN

TOTAL_TPS = 823_220  # Pemilu 2024, TPS in Indonesia (KPU); the Pemilu file itself sums to 820,161
MAX_DPT = 600
FALLBACK_POINT = (-2.5, 118.0)  # central Indonesia, for regions without a shipped centroid
MAX_TPS_PER_VILLAGE = 999  # TPS numbers are three digits
# (mode, cumulative probability)
ACCESS = (("road", 0.90), ("river", 0.96), ("foot", 0.99), ("air", 1.0))

Village = tuple[str, str, float | None, float | None]  # code, name, lat, lng


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that sum exactly to it."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def pemilu_weights(path: Path = TPS_PER_VILLAGE_CSV) -> dict[str, int]:
    """village code -> TPS count in Pemilu 2024."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {r["village_code"]: int(r["tps_count"]) for r in csv.DictReader(f)}


def tps_per_village(codes: list[str], weights: dict[str, int], total: int = TOTAL_TPS) -> list[int]:
    """TPS count per desa: proportional to ``weights`` (missing: 1), each >= 1, summing to ``total``."""
    if total < len(codes):
        raise ValueError(f"{total} TPS cannot give each of {len(codes)} desa at least one")
    counts = largest_remainder(total, [float(max(weights.get(c, 1), 0)) for c in codes])
    # A desa the proportional split left at 0 (weight 0 or tiny) takes one TPS from the largest.
    short = [i for i, n in enumerate(counts) if n < 1]
    if short:
        donors = sorted(range(len(counts)), key=lambda i: (-counts[i], i))
        d = 0
        for i in short:
            while counts[donors[d]] <= 1:
                d += 1
            counts[donors[d]] -= 1
            counts[i] += 1
    if max(counts) > MAX_TPS_PER_VILLAGE:
        raise ValueError("a desa would need more than 999 TPS")
    return counts


def bench_total() -> int:
    """TPS in the benchmark file: ``BENCH_TPS`` (for a quick run) or the national 823,220."""
    raw = os.environ.get("BENCH_TPS", "").replace(".", "").replace("_", "")
    return int(raw) if raw.isdecimal() and int(raw) > 0 else TOTAL_TPS


def villages_for(villages: list[Village], total: int) -> list[Village]:
    """All desa for the national file; for a smaller one every k-th desa (all provinces), ~10 TPS each."""
    if total >= TOTAL_TPS:
        return villages
    return villages[:: max(1, math.ceil(len(villages) / max(1, total // 10)))]


def _clamp(value: float, lo: float, hi: float) -> float:
    return min(max(value, lo), hi)


def village_point(
    code: str, lat: float | None, lng: float | None, points: dict[str, tuple[float, float]]
) -> tuple[float, float]:
    """The desa's centroid, else its kab/kota's, else its province's, else a fixed point."""
    if lat is not None and lng is not None:
        return lat, lng
    return points.get(code[:5]) or points.get(code[:2]) or FALLBACK_POINT


def rows(
    villages: list[Village],
    counts: list[int],
    points: dict[str, tuple[float, float]],
    seed: int = 2024,
) -> Iterable[list[object]]:
    """Import rows (the template header, ``regions.importers.COLUMNS``), deterministic for a seed."""
    rnd = random.Random(seed).random
    for (code, name, vlat, vlng), n in zip(villages, counts, strict=True):
        lat0, lng0 = village_point(code, vlat, vlng, points)
        for k in range(1, n + 1):
            dpt = 120 + int(rnd() * 261)  # 120..380, mean ~250 (Pemilu 2024: 204.8 M DPT / 820 k TPS)
            male = dpt // 2 + int(rnd() * 21) - 10
            r = rnd()
            mode = next(m for m, p in ACCESS if r <= p)
            travel = "" if rnd() < 0.3 else str(5 + int(rnd() * 175))
            row = {
                "kode_desa": code,
                "no_tps": f"{k:03d}",
                "alamat": f"RT {k:03d}, {name}",
                "dpt_l": male,
                "dpt_p": dpt - male,
                "dpph": int(rnd() * 4),
                "dptb": int(rnd() * 6),
                "lat": f"{_clamp(lat0 + (rnd() - 0.5) * 0.04, LAT_MIN, LAT_MAX):.5f}",
                "lng": f"{_clamp(lng0 + (rnd() - 0.5) * 0.04, LNG_MIN, LNG_MAX):.5f}",
                "akses": mode,
                "waktu_tempuh_menit": travel,
                "lokasi_khusus": "1" if rnd() < 0.002 else "0",
            }
            row["jenis_lokasi_khusus"] = "lapas" if row["lokasi_khusus"] == "1" else ""
            yield [row[h] for h in COLUMNS]


def write_csv(
    path: Path,
    villages: list[Village],
    points: dict[str, tuple[float, float]],
    weights: dict[str, int],
    total: int = TOTAL_TPS,
) -> int:
    """Write the national TPS file (CSV, import header); returns the number of TPS rows."""
    counts = tps_per_village([v[0] for v in villages], weights, total)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(COLUMNS))
        w.writerows(rows(villages, counts, points))
    return sum(counts)
