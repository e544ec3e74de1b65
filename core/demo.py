"""The Kaltim Pilkada 2024 demo: deterministic, idempotent, built from the real figures.

Figures are from ../shared/domain/FACTS.md: TPS per kab/kota, Kukar's DPT split, the DPT of
Samarinda, Balikpapan and the province, the candidate pairs, the PKPU 2/2024 stages. Where a
figure is not published (DPT of the other kab/kota, TPS per desa), it is spread in proportion
to the real Pemilu 2024 TPS-per-desa distribution, so totals stay exact.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import math
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from agencies.models import Agency, AgencyKind, Membership, Role
from elections.models import CandidatePair, Contest, ContestKind, Election, ElectionKind, Stage
from regions import actions as tps_actions
from regions import importers
from regions.boundaries import TPS_PER_VILLAGE_CSV
from regions.models import Level, PollingStation, Region

D = dt.date
ELECTION_NAME = "Pilkada Serentak 2024 — Kalimantan Timur"
DEMO_PASSWORD = "sinergi-demo-2024"
PROVINCE = "64"
KUKAR = "64.02"
SEBULU = "64.02.07"
MUARA_BADAK = "64.02.05"
MARANG_KAYU = "64.02.17"
BONTANG = "64.74"
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

STAGES = [
    ("Penetapan DPT oleh KPU kabupaten/kota", D(2024, 9, 19), D(2024, 9, 21)),
    ("Penetapan pasangan calon", D(2024, 9, 22), D(2024, 9, 22)),
    ("Pengundian nomor urut", D(2024, 9, 23), D(2024, 9, 23)),
    ("Kampanye", D(2024, 9, 25), D(2024, 11, 23)),
    ("Masa tenang", D(2024, 11, 24), D(2024, 11, 26)),
    ("Pemungutan suara (07.00–13.00)", D(2024, 11, 27), D(2024, 11, 27)),
    ("Penghitungan suara dan rekapitulasi", D(2024, 11, 27), D(2024, 12, 16)),
    ("Rekapitulasi PPS ke PPK", D(2024, 11, 28), D(2024, 11, 30)),
    ("Rekapitulasi PPK (kecamatan)", D(2024, 11, 28), D(2024, 12, 3)),
    ("Rekapitulasi KPU kabupaten/kota", D(2024, 11, 29), D(2024, 12, 6)),
    ("Rekapitulasi KPU provinsi", D(2024, 11, 30), D(2024, 12, 9)),
]

PERSONAS = [
    # username, full name, agency, role, scope, title
    (
        "desk.kukar",
        "Admin Desk Pilkada Kukar",
        "Desk Pilkada Kabupaten Kutai Kartanegara",
        Role.ADMIN,
        KUKAR,
        "Kesbangpol Kukar",
    ),
    (
        "kpu.kukar",
        "Operator Logistik KPU Kukar",
        "KPU Kabupaten Kutai Kartanegara",
        Role.OPERATOR,
        KUKAR,
        "Operator logistik",
    ),
    (
        "bawaslu.kukar",
        "Penyidik Bawaslu Kukar",
        "Bawaslu Kabupaten Kutai Kartanegara",
        Role.OPERATOR,
        KUKAR,
        "Staf penanganan pelanggaran",
    ),
    # scope None: the agency's whole jurisdiction
    ("polres.kukar", "Perwira Polres Kukar", "Polres Kutai Kartanegara", Role.OPERATOR, None, "Kabag Ops"),
    ("polres.bontang", "Perwira Polres Bontang", "Polres Bontang", Role.OPERATOR, None, "Kabag Ops"),
    ("camat.sebulu", "Camat Sebulu", "Kecamatan Sebulu", Role.ADMIN, SEBULU, "Camat"),
    ("ppk.sebulu", "Ketua PPK Sebulu", "PPK Sebulu", Role.OPERATOR, SEBULU, "Ketua PPK"),
    (
        "desk.kaltim",
        "Admin Desk Pilkada Kaltim",
        "Desk Pilkada Provinsi Kalimantan Timur",
        Role.ADMIN,
        PROVINCE,
        "Kesbangpol Kaltim",
    ),
    ("kpu.samarinda", "Operator KPU Samarinda", "KPU Kota Samarinda", Role.OPERATOR, "64.72", "Operator data"),
]
AGENCIES = [
    ("Desk Pilkada Provinsi Kalimantan Timur", AgencyKind.DESK, PROVINCE),
    ("KPU Provinsi Kalimantan Timur", AgencyKind.KPU, PROVINCE),
    ("Bawaslu Provinsi Kalimantan Timur", AgencyKind.BAWASLU, PROVINCE),
    ("Polda Kalimantan Timur", AgencyKind.POLRI, PROVINCE),
    ("Desk Pilkada Kabupaten Kutai Kartanegara", AgencyKind.DESK, KUKAR),
    ("KPU Kabupaten Kutai Kartanegara", AgencyKind.KPU, KUKAR),
    ("Bawaslu Kabupaten Kutai Kartanegara", AgencyKind.BAWASLU, KUKAR),
    ("Polres Kutai Kartanegara", AgencyKind.POLRI, KUKAR),
    ("Kodim 0906/Kutai Kartanegara", AgencyKind.TNI, KUKAR),
    ("Kejaksaan Negeri Kutai Kartanegara", AgencyKind.KEJAKSAAN, KUKAR),
    ("DPRD Kabupaten Kutai Kartanegara", AgencyKind.DPRD, KUKAR),
    ("Kecamatan Sebulu", AgencyKind.KECAMATAN, SEBULU),
    ("PPK Sebulu", AgencyKind.PPK, SEBULU),
    ("KPU Kota Samarinda", AgencyKind.KPU, "64.72"),
    ("Polres Bontang", AgencyKind.POLRI, BONTANG),
    ("Kodim 0908/Bontang", AgencyKind.TNI, BONTANG),
]
# Police and army areas cross the administrative tree (FACTS.md): Muara Badak and Marang Kayu
# (146 Kukar TPS) are under Polres Bontang and Kodim 0908/Bontang; Polres Kukar and Kodim 0906
# cover the other 18 Kukar kecamatan.
KUKAR_KECAMATAN = [f"{KUKAR}.{i:02d}" for i in range(1, 21)]
BONTANG_AREA = [BONTANG, MUARA_BADAK, MARANG_KAYU]
JURISDICTIONS = {
    "Polres Bontang": BONTANG_AREA,
    "Kodim 0908/Bontang": BONTANG_AREA,
    "Polres Kutai Kartanegara": [k for k in KUKAR_KECAMATAN if k not in (MUARA_BADAK, MARANG_KAYU)],
    "Kodim 0906/Kutai Kartanegara": [k for k in KUKAR_KECAMATAN if k not in (MUARA_BADAK, MARANG_KAYU)],
}


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that sum exactly to it."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(x) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


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


@transaction.atomic
def load(stdout: Any = None) -> dict[str, Any]:
    election, _ = Election.objects.update_or_create(
        name=ELECTION_NAME,
        defaults={
            "kind": ElectionKind.PILKADA,
            "region_id": PROVINCE,
            "voting_date": D(2024, 11, 27),
            "timezone": "Asia/Makassar",
            "max_voters_per_tps": 600,
        },
    )
    for name, start, end in STAGES:
        Stage.objects.update_or_create(election=election, name=name, defaults={"start": start, "end": end})
    gov, _ = Contest.objects.update_or_create(
        election=election,
        kind=ContestKind.GOVERNOR,
        region_id=PROVINCE,
        revote_of=None,
        defaults={"name": "Pemilihan Gubernur dan Wakil Gubernur Kalimantan Timur 2024"},
    )
    bup, _ = Contest.objects.update_or_create(
        election=election,
        kind=ContestKind.REGENT,
        region_id=KUKAR,
        revote_of=None,
        defaults={"name": "Pemilihan Bupati dan Wakil Bupati Kutai Kartanegara 2024"},
    )
    psu, _ = Contest.objects.update_or_create(
        election=election,
        kind=ContestKind.REGENT,
        region_id=KUKAR,
        revote_of=bup,
        defaults={
            "name": "PSU Pemilihan Bupati dan Wakil Bupati Kutai Kartanegara 2025",
            "voting_date": D(2025, 4, 19),
            "revote_basis": "Putusan MK 195/PHPU.BUP-XXIII/2025",
            "effective_from": D(2025, 2, 24),  # the day MK read the decision
        },
    )
    pairs = {
        gov: [(1, "Isran Noor", "Hadi Mulyadi", False), (2, "Rudy Mas'ud", "Seno Aji", False)],
        bup: [
            (1, "Edi Damansyah", "Rendi Solihin", False),
            (2, "Awang Yacoub Luthman", "Akhmad Zais", True),
            (3, "Dendi Suryadi", "Alif Turiadi", False),
        ],
        psu: [
            (1, "Aulia Rahman Basri", "Rendi Solihin", False),
            (2, "Awang Yacoub Luthman", "Akhmad Zais", True),
            (3, "Dendi Suryadi", "Alif Turiadi", False),
        ],
    }
    for contest, plist in pairs.items():
        for number, head, deputy, independent in plist:
            CandidatePair.objects.update_or_create(
                contest=contest,
                number=number,
                defaults={"head_name": head, "deputy_name": deputy, "independent": independent},
            )
    agencies = {}
    for name, kind, region in AGENCIES:
        agencies[name], _ = Agency.objects.update_or_create(
            name=name, defaults={"kind": kind, "region_id": region, "jurisdiction": JURISDICTIONS.get(name, [])}
        )
    User = get_user_model()
    for username, full, agency, role, scope, title in PERSONAS:
        user, created = User.objects.get_or_create(username=username)
        first, _, last = full.partition(" ")
        user.first_name, user.last_name = first, last
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(
            user=user, agency=agencies[agency], defaults={"role": role, "scope_id": scope, "title": title}
        )
    tps_created = 0
    if not PollingStation.objects.filter(election=election).exists():
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(list(importers.COLUMNS))
        w.writerows(tps_rows())
        result = tps_actions.import_polling_stations(None, election, buf.getvalue().encode(), "demo-kaltim-2024.csv")
        tps_created = result["created"]
    from logistics import demo as logistics_demo

    logistics = logistics_demo.load(election)
    return {"election": election, "tps_created": tps_created, "logistics": logistics}
