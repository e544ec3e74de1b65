"""The Kaltim Pilkada 2024 demo: the election, its PKPU 2/2024 stages, contests and candidate pairs.

Figures are from ../shared/domain/FACTS.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from elections.models import CandidatePair, Contest, ContestKind, Election, ElectionKind, Stage

D = dt.date
ELECTION_NAME = "Pilkada Serentak 2024 — Kalimantan Timur"
PROVINCE = "64"
KUKAR = "64.02"

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


def load(ctx: dict[str, Any]) -> Election:
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
            # the contest exists from the day MK read the decision (24 Feb 2025, MK's ruling session)
            "effective_from": D(2025, 2, 24),
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
    ctx["election"] = election
    return election
