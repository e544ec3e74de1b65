"""The demo's TPS registry: Kaltim's published TPS and DPT per kab/kota, spread over the desa.

Where a figure is not published (DPT of the other kab/kota, TPS per desa), it is spread in
proportion to the real Pemilu 2024 TPS-per-desa distribution, so totals stay exact.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from typing import Any

from core.demo import largest_remainder
from regions import actions as tps_actions
from regions import importers
from regions.boundaries import TPS_PER_VILLAGE_CSV
from regions.models import Level, PollingStation, Region

PROVINCE_DPT = 2_821_202

# kab/kota code -> (TPS, DPT or None when not published, DPT male or None)
KABKOTA: dict[str, tuple[int, int | None, int | None]] = {
    "64.01": (484, None, None),  # Paser
    "64.02": (1_443, 552_469, 287_725),  # Kutai Kartanegara
    "64.03": (469, None, None),  # Berau
    "64.07": (321, None, None),  # Kutai Barat
    "64.08": (701, None, None),  # Kutai Timur
    "64.09": (293, None, None),  # Penajam Paser Utara
    "64.11": (77, None, None),  # Mahakam Ulu
    "64.71": (998, 520_986, None),  # Balikpapan
    "64.72": (1_201, 612_072, None),  # Samarinda
    "64.74": (277, None, None),  # Bontang
}
# Upstream Kukar kecamatan reached by river (Tabang's farthest desa by air).
RIVER_KECAMATAN = {
    "64.02.12": ("Tabang", 480),
    "64.02.10": ("Kembang Janggut", 300),
    "64.02.18": ("Muara Wis", 240),
    "64.02.01": ("Muara Muntai", 180),
    "64.02.09": ("Kenohan", 150),
}
AIR_VILLAGES_IN_TABANG = 3


def _pemilu_weights() -> dict[str, int]:
    with gzip.open(TPS_PER_VILLAGE_CSV, "rt", encoding="utf-8") as f:
        return {r["village_code"]: int(r["tps_count"]) for r in csv.DictReader(f)}


def tps_rows() -> list[list[Any]]:
    """Every demo TPS as an import row (kode_desa, no_tps, alamat, dpt_l, dpt_p, ...)."""
    weights = _pemilu_weights()
    known = sum(d for _, d, _ in KABKOTA.values() if d)
    unknown = [k for k, (_, d, _) in KABKOTA.items() if not d]
    # DPT not published per kab/kota: the province's remainder, split by TPS count, summing exactly.
    spread = dict(zip(unknown, largest_remainder(PROVINCE_DPT - known, [KABKOTA[k][0] for k in unknown]), strict=True))
    rows: list[list[Any]] = []
    special_left = 30
    for kab, (n_tps, dpt, male) in KABKOTA.items():
        villages = list(Region.objects.filter(level=Level.DESA, code__startswith=kab + ".").order_by("code"))
        # one TPS per desa, the rest in proportion to the desa's Pemilu 2024 TPS count
        extra = largest_remainder(n_tps - len(villages), [weights.get(v.code, 1) for v in villages])
        per_village = [1 + e for e in extra]
        if dpt is None:
            dpt = spread[kab]
        # gentle deterministic variation between TPS so not every TPS looks the same
        tps_weights = [1.0 + 0.15 * math.sin(i * 1.7) for i in range(n_tps)]
        dpts = largest_remainder(dpt, tps_weights)
        males = largest_remainder(male, [float(x) for x in dpts]) if male else [round(x * 0.505) for x in dpts]
        specials = {n_tps - 1, n_tps - 2, n_tps - 3}
        i = 0
        for v, count in zip(villages, per_village, strict=True):
            kec = v.code[:8]
            river = RIVER_KECAMATAN.get(kec)
            for k in range(count):
                mode, minutes = "road", 10 + (i * 7) % 80
                if river:
                    mode, minutes = "river", river[1] - (i * 13) % 90
                    if kec == "64.02.12" and v.code.endswith(
                        tuple(f"{j:03d}" for j in range(1, AIR_VILLAGES_IN_TABANG + 1))
                    ):
                        mode, minutes = "air", 90
                special = i in specials and special_left > 0
                lat = (v.lat or 0) + 0.004 * math.sin(i * 2.3) if v.lat else ""
                lng = (v.lng or 0) + 0.004 * math.cos(i * 2.3) if v.lng else ""
                rows.append(
                    [
                        v.code,
                        f"{k + 1:03d}",
                        f"RT {k + 1:02d}, {v.name}",
                        males[i],
                        dpts[i] - males[i],
                        0,
                        0,
                        f"{lat:.5f}" if lat != "" else "",
                        f"{lng:.5f}" if lng != "" else "",
                        mode,
                        minutes,
                        "1" if special else "0",
                    ]
                )
                special_left -= int(special)
                i += 1
    return rows


def load(ctx: dict[str, Any]) -> int:
    election = ctx["election"]
    tps_created = 0
    if not PollingStation.objects.filter(election=election).exists():
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(list(importers.COLUMNS))
        w.writerows(tps_rows())
        result = tps_actions.import_polling_stations(None, election, buf.getvalue().encode(), "demo-kaltim-2024.csv")
        tps_created = result["created"]
    return tps_created
