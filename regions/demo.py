"""The demo's TPS registry: Kaltim's published TPS and DPT per kab/kota, spread over the desa.

The published figures (FACTS: KPU announcements and plenaries) are stored as reference figures
with their source and date. Where a figure is not published (DPT of six kab/kota, the L/P split
of eight), Sinergi's estimate is stored as *estimated*: the province's remainder, split in
proportion, so every total stays exact. The spread over desa and TPS follows the real Pemilu 2024
TPS-per-desa distribution and is *illustrative*: every demo TPS row points at that source.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import math
from typing import Any

from core.demo import largest_remainder
from core.models import Source, SourceStatus
from elections.models import Figure, ReferenceFigure
from regions import actions as tps_actions
from regions import importers
from regions.boundaries import TPS_PER_VILLAGE_CSV
from regions.models import Level, PollingStation, Region, SpecialKind

PROVINCE = "64"
# KPU Kaltim DPT plenary, 22 Sep 2024
PROVINCE_DPT = 2_821_202
PROVINCE_MALE = 1_456_666
PROVINCE_TPS_AT_PLENARY = 6_274

# kab/kota code -> (TPS of 16 Sep 2024, DPT or None when not published, DPT male or None)
KABKOTA: dict[str, tuple[int, int | None, int | None]] = {
    "64.01": (484, None, None),  # Paser
    "64.02": (1_443, 552_469, 287_725),  # Kutai Kartanegara
    "64.03": (469, None, None),  # Berau
    "64.07": (321, 128_104, 67_365),  # Kutai Barat (KPU Kubar, 20 Sep 2024)
    "64.08": (701, None, None),  # Kutai Timur
    "64.09": (293, None, None),  # Penajam Paser Utara
    "64.11": (77, None, None),  # Mahakam Ulu
    "64.71": (998, 520_986, None),  # Balikpapan
    "64.72": (1_201, 612_072, None),  # Samarinda
    "64.74": (277, None, None),  # Bontang
}
# The 30 TPS lokasi khusus of the 22 Sep plenary by kab/kota: 57% prisons, 36% companies, 7% campuses.
# kab/kota -> (kecamatan or kab code they are placed in, [(place, kind, TPS there)])
SPECIAL: dict[str, tuple[str, list[tuple[str, str, int]]]] = {
    "64.01": ("64.01", [("Rutan Tanah Grogot", SpecialKind.PRISON, 1), ("Perkebunan sawit", SpecialKind.COMPANY, 4)]),
    "64.02": (
        "64.02.06",  # Tenggarong
        [
            ("Lapas Kelas IIA Tenggarong", SpecialKind.PRISON, 4),
            ("Lapas Perempuan Kelas IIA Tenggarong", SpecialKind.PRISON, 2),
        ],
    ),
    "64.03": ("64.03", [("Perkebunan dan tambang", SpecialKind.COMPANY, 3)]),
    "64.08": ("64.08", [("Tambang batu bara", SpecialKind.COMPANY, 2)]),
    "64.71": (
        "64.71",
        [("Lapas Balikpapan", SpecialKind.PRISON, 3), ("Kilang dan perusahaan", SpecialKind.COMPANY, 1)],
    ),
    "64.72": ("64.72", [("Lapas dan rutan Samarinda", SpecialKind.PRISON, 5), ("Kampus", SpecialKind.CAMPUS, 2)]),
    "64.74": ("64.74", [("Lapas Bontang", SpecialKind.PRISON, 2), ("Kawasan industri", SpecialKind.COMPANY, 1)]),
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

# Sources: (key, status, publisher, title, as of, note)
KPU_KALTIM = "KPU Provinsi Kalimantan Timur"
KPU_KUKAR = "KPU Kabupaten Kutai Kartanegara"
SOURCES: dict[str, tuple[str, str, str, dt.date, str]] = {
    "kpu-kaltim-tps-2024-09-16": (
        SourceStatus.OFFICIAL,
        KPU_KALTIM,
        "Pengumuman jumlah TPS per kabupaten/kota Pilkada 2024",
        dt.date(2024, 9, 16),
        "Diumumkan sebagai 6.262 TPS; rincian per kabupaten/kota berjumlah 6.264.",
    ),
    "kpu-kaltim-dpt-2024-09-22": (
        SourceStatus.OFFICIAL,
        KPU_KALTIM,
        "Rapat pleno rekapitulasi DPT Pilkada 2024",
        dt.date(2024, 9, 22),
        "",
    ),
    "kpu-kota-dpt-2024": (
        SourceStatus.OFFICIAL,
        "KPU Kota Balikpapan dan KPU Kota Samarinda",
        "DPT Pilkada 2024",
        dt.date(2024, 9, 22),
        "Tanggal pleno provinsi; tanggal penetapan di kota tidak tercatat.",
    ),
    "kpu-kukar-dps-2024-08-10": (
        SourceStatus.OFFICIAL,
        KPU_KUKAR,
        "Daftar Pemilih Sementara (DPS)",
        dt.date(2024, 8, 10),
        "",
    ),
    "kpu-kukar-dpt-2024-09-16": (
        SourceStatus.OFFICIAL,
        KPU_KUKAR,
        "Penetapan DPT dan TPS Pilkada 2024",
        dt.date(2024, 9, 16),
        "",
    ),
    "kpu-kukar-psu-2025": (
        SourceStatus.OFFICIAL,
        KPU_KUKAR,
        "Pemungutan suara ulang (PSU) Bupati Kutai Kartanegara",
        dt.date(2025, 4, 19),
        "",
    ),
    "kpu-kubar-dpt-2024-09-20": (
        SourceStatus.OFFICIAL,
        "KPU Kabupaten Kutai Barat",
        "Penetapan DPT Pilkada 2024",
        dt.date(2024, 9, 20),
        "",
    ),
    "sinergi-estimate-dpt-2024": (
        SourceStatus.ESTIMATED,
        "Sinergi",
        "Perkiraan: sisa DPT dan pemilih laki-laki provinsi dibagi menurut jumlah TPS dan DPT kabupaten/kota",
        dt.date(2024, 9, 22),
        "DPT kabupaten/kota ini belum tercatat dari sumber resmi.",
    ),
    "sinergi-demo-spread": (
        SourceStatus.ILLUSTRATIVE,
        "Sinergi (demo)",
        "Sebaran TPS dan DPT per desa dan per TPS",
        dt.date(2024, 9, 22),
        "Jumlah per kabupaten/kota mengikuti angka di atas; pembagian ke desa dan TPS, alamat, "
        "koordinat dan waktu tempuh dibuat untuk demo mengikuti sebaran TPS Pemilu 2024, bukan data KPU.",
    ),
}
DEMO_SPREAD = "sinergi-demo-spread"


def kabkota_figures() -> dict[str, tuple[int, int, int, bool, bool]]:
    """Per kab/kota: (TPS, DPT, male, DPT estimated?, male estimated?), summing to the province exactly."""
    known = sum(d for _, d, _ in KABKOTA.values() if d)
    unknown = [k for k, (_, d, _) in KABKOTA.items() if not d]
    spread = dict(zip(unknown, largest_remainder(PROVINCE_DPT - known, [KABKOTA[k][0] for k in unknown]), strict=True))
    dpt = {k: d or spread[k] for k, (_, d, _) in KABKOTA.items()}
    known_male = sum(m for _, _, m in KABKOTA.values() if m)
    no_male = [k for k, (_, _, m) in KABKOTA.items() if not m]
    males = dict(zip(no_male, largest_remainder(PROVINCE_MALE - known_male, [dpt[k] for k in no_male]), strict=True))
    return {k: (n, dpt[k], m or males[k], not d, not m) for k, (n, d, m) in KABKOTA.items()}


def _pemilu_weights() -> dict[str, int]:
    with gzip.open(TPS_PER_VILLAGE_CSV, "rt", encoding="utf-8") as f:
        return {r["village_code"]: int(r["tps_count"]) for r in csv.DictReader(f)}


def tps_rows() -> list[list[Any]]:
    """Every demo TPS as an import row (kode_desa, no_tps, alamat, dpt_l, dpt_p, ...)."""
    weights = _pemilu_weights()
    figures = kabkota_figures()
    rows: list[list[Any]] = []
    for kab, (n_tps, dpt, male, _, _) in figures.items():
        villages = list(Region.objects.filter(level=Level.DESA, code__startswith=kab + ".").order_by("code"))
        # one TPS per desa, the rest in proportion to the desa's Pemilu 2024 TPS count
        extra = largest_remainder(n_tps - len(villages), [weights.get(v.code, 1) for v in villages])
        per_village = [1 + e for e in extra]
        # gentle deterministic variation between TPS so not every TPS looks the same
        tps_weights = [1.0 + 0.15 * math.sin(i * 1.7) for i in range(n_tps)]
        dpts = largest_remainder(dpt, tps_weights)
        males = largest_remainder(male, [float(x) for x in dpts])
        placed = [v.code for v, count in zip(villages, per_village, strict=True) for _ in range(count)]
        specials = _special_places(kab, placed)
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
                special = specials.get(i)
                lat = (v.lat or 0) + 0.004 * math.sin(i * 2.3) if v.lat else ""
                lng = (v.lng or 0) + 0.004 * math.cos(i * 2.3) if v.lng else ""
                rows.append(
                    [
                        v.code,
                        f"{k + 1:03d}",
                        f"{special[0]}, {v.name}" if special else f"RT {k + 1:02d}, {v.name}",
                        males[i],
                        dpts[i] - males[i],
                        0,
                        0,
                        f"{lat:.5f}" if lat != "" else "",
                        f"{lng:.5f}" if lng != "" else "",
                        mode,
                        minutes,
                        "1" if special else "0",
                        str(special[1]) if special else "",
                    ]
                )
                i += 1
    return rows


def _special_places(kab: str, placed: list[str]) -> dict[int, tuple[str, str]]:
    """Which TPS (by index in the kab/kota) are lokasi khusus: the last ones inside the area given."""
    if kab not in SPECIAL:
        return {}
    area, places = SPECIAL[kab]
    candidates = [i for i, code in enumerate(placed) if code.startswith(area + ".")]
    wanted = [(name, kind) for name, kind, n in places for _ in range(n)]
    return dict(zip(candidates[-len(wanted) :], wanted, strict=True))


def reference_rows() -> list[tuple[str, str, str, int]]:
    """The reference figures of the demo: (source key, region code, figure, value)."""
    rows: list[tuple[str, str, str, int]] = [
        ("kpu-kaltim-tps-2024-09-16", PROVINCE, Figure.TPS, sum(n for n, _, _ in KABKOTA.values())),
        ("kpu-kaltim-dpt-2024-09-22", PROVINCE, Figure.TPS, PROVINCE_TPS_AT_PLENARY),
        ("kpu-kaltim-dpt-2024-09-22", PROVINCE, Figure.TPS_SPECIAL, 30),
        ("kpu-kaltim-dpt-2024-09-22", PROVINCE, Figure.DPT, PROVINCE_DPT),
        ("kpu-kaltim-dpt-2024-09-22", PROVINCE, Figure.DPT_MALE, PROVINCE_MALE),
        ("kpu-kaltim-dpt-2024-09-22", PROVINCE, Figure.DPT_FEMALE, PROVINCE_DPT - PROVINCE_MALE),
        ("kpu-kukar-dps-2024-08-10", "64.02", Figure.TPS, 1_441),
        ("kpu-kukar-psu-2025", "64.02", Figure.TPS, 1_447),
    ]
    published = {"64.02": "kpu-kukar-dpt-2024-09-16", "64.07": "kpu-kubar-dpt-2024-09-20"}
    for kab, (n, dpt, male, dpt_estimated, male_estimated) in kabkota_figures().items():
        rows.append(("kpu-kaltim-tps-2024-09-16", kab, Figure.TPS, n))
        if kab in published:
            rows.append((published[kab], kab, Figure.TPS, n))
        if kab in SPECIAL:
            rows.append(("kpu-kaltim-dpt-2024-09-22", kab, Figure.TPS_SPECIAL, sum(c for _, _, c in SPECIAL[kab][1])))
        dpt_source = "sinergi-estimate-dpt-2024" if dpt_estimated else published.get(kab, "kpu-kota-dpt-2024")
        rows.append((dpt_source, kab, Figure.DPT, dpt))
        split_source = "sinergi-estimate-dpt-2024" if male_estimated else dpt_source
        rows.append((split_source, kab, Figure.DPT_MALE, male))
        rows.append((split_source, kab, Figure.DPT_FEMALE, dpt - male))
    return rows


def sources() -> dict[str, Source]:
    out = {}
    for key, (status, publisher, title, as_of, note) in SOURCES.items():
        out[key], _ = Source.objects.update_or_create(
            key=key, defaults={"status": status, "publisher": publisher, "title": title, "as_of": as_of, "note": note}
        )
    return out


def load(ctx: dict[str, Any]) -> int:
    election = ctx["election"]
    by_key = sources()
    for key, code, figure, value in reference_rows():
        ReferenceFigure.objects.update_or_create(
            election=election, region_id=code, figure=figure, source=by_key[key], defaults={"value": value}
        )
    tps_created = 0
    if not PollingStation.objects.filter(election=election).exists():
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(list(importers.COLUMNS))
        w.writerows(tps_rows())
        result = tps_actions.import_polling_stations(None, election, buf.getvalue().encode(), "demo-kaltim-2024.csv")
        tps_created = result["created"]
        # every demo TPS row is the illustrative spread, whatever its kab/kota total is
        PollingStation.objects.filter(election=election).update(source=by_key[DEMO_SPREAD])
    return tps_created
