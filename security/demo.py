"""The demo's security picture of Pilkada 2024 in Kutai Kartanegara.

Published (FACTS.md), labelled official: Bawaslu's eight variables of the TPS-rawan mapping (data
of 10-15 Nov 2024), the IKP of Kukar (51.28, "rawan tinggi") and Kaltim (77.04), Polri's patterns
of Operasi Mantap Praja, Polres Kukar's 550 personnel (70 BKO, 3 URC platoons) and Polres
Bontang's 1,266 (846 Linmas) as reported on 25 Nov 2024.

Invented for the demo, labelled illustrative: the weights and thresholds, which indicators apply
at each TPS (upstream TPS served by water flagged for location and logistics, some money politics
and neutrality near the town), Polri's category per TPS, the split of each Polres's personnel over
its Polsek, the Linmas of Polres Kukar's kecamatan (three short), the daily situation and a dozen
incidents. Nothing exists before it happened: the replay writes each record at its own time.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import Counter, defaultdict
from typing import Any

from django.db import transaction

from agencies.models import Agency
from core import dates
from core.demo import largest_remainder
from core.demo import sources as demo_sources
from core.models import Source, SourceStatus
from core.scoping import subtree_q
from elections.models import Election
from regions.models import PollingStation, Region
from security import actions, selectors
from security.models import (
    Assessment,
    Category,
    ForcePool,
    IkpBand,
    Incident,
    Indicator,
    Pattern,
    RegionalIndex,
    SituationStatus,
    TpsGuard,
    Variable,
)

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
PROV, KUKAR, BONTANG = "64", "64.02", "64.74"
POLRES_KUKAR, POLRES_BONTANG = "Polres Kutai Kartanegara", "Polres Bontang"
BAWASLU_KUKAR = "Bawaslu Kabupaten Kutai Kartanegara"
# Upstream kecamatan served by river, and those around the town (Tenggarong, Tenggarong Seberang,
# Loa Kulu, Loa Janan) where the demo puts most money-politics and neutrality indicators.
UPSTREAM = {"64.02.12", "64.02.10", "64.02.18", "64.02.01", "64.02.09", "64.02.08"}
NEAR_TOWN = {"64.02.06", "64.02.16", "64.02.02", "64.02.03"}
SHORT_OF_LINMAS = {"64.02.12": 14, "64.02.10": 8, "64.02.11": 10}  # Tabang, Kembang Janggut, Muara Kaman
GUARDS_FROM = dt.datetime(2024, 11, 16, 10, tzinfo=WITA)
POOLS_FROM = dt.datetime(2024, 11, 25, 9, tzinfo=WITA)

# (number, variable, [(code, indicator, weight)]): the variables are Bawaslu's; the weights are the demo's.
VARIABLES: list[tuple[int, str, list[tuple[str, str, int]]]] = [
    (
        1,
        "Penggunaan hak pilih",
        [
            ("1.1", "Pemilih DPT tidak memenuhi syarat (meninggal, ganda, TNI/Polri)", 1),
            ("1.2", "Pemilih pindahan (DPTb)", 1),
            ("1.3", "Potensi pemilih tidak terdaftar (DPK)", 1),
            ("1.4", "Pemilih disabilitas terdaftar di DPT", 1),
            ("1.5", "Riwayat pemungutan suara ulang (PSU)", 3),
        ],
    ),
    (
        2,
        "Keamanan",
        [
            ("2.1", "Riwayat kekerasan di TPS", 4),
            ("2.2", "Riwayat intimidasi kepada penyelenggara atau pemilih", 4),
            ("2.3", "Riwayat penolakan penyelenggaraan pemungutan suara", 4),
        ],
    ),
    (
        3,
        "Politik uang",
        [("3.1", "Riwayat politik uang di sekitar TPS", 3), ("3.2", "Pemberian barang atau sembako", 3)],
    ),
    (
        4,
        "Politisasi SARA",
        [("4.1", "Riwayat politisasi SARA di sekitar TPS", 3), ("4.2", "Ujaran kebencian atau hoaks", 2)],
    ),
    (
        5,
        "Netralitas",
        [
            ("5.1", "Penyelenggara pemilu tidak netral", 3),
            ("5.2", "ASN tidak netral", 3),
            ("5.3", "TNI/Polri tidak netral", 3),
            ("5.4", "Kepala desa atau perangkat desa tidak netral", 3),
        ],
    ),
    (
        6,
        "Logistik",
        [
            ("6.1", "Riwayat kerusakan logistik", 2),
            ("6.2", "Riwayat kekurangan logistik", 2),
            ("6.3", "Riwayat keterlambatan distribusi logistik", 2),
        ],
    ),
    (
        7,
        "Lokasi TPS",
        [
            ("7.1", "TPS sulit dijangkau", 2),
            ("7.2", "TPS di wilayah rawan konflik", 4),
            ("7.3", "TPS di wilayah rawan bencana (banjir, longsor)", 3),
            ("7.4", "TPS dekat posko atau rumah pasangan calon", 2),
            ("7.5", "TPS lokasi khusus", 1),
        ],
    ),
    (8, "Listrik dan internet", [("8.1", "TPS tanpa aliran listrik", 1), ("8.2", "TPS tanpa jaringan internet", 1)]),
]

SOURCES = {
    "bawaslu-tps-rawan-2024": (
        SourceStatus.OFFICIAL,
        "Bawaslu RI",
        "Pemetaan TPS rawan Pilkada 2024: 8 variabel (data 10-15 November 2024)",
        dt.date(2024, 11, 15),
        "Variabel dari Bawaslu; rumusan indikator diringkas.",
    ),
    "demo-security-2024": (
        SourceStatus.ILLUSTRATIVE,
        "Sinergi (demo)",
        "Skenario kerawanan dan pengamanan Pilkada 2024 di Kutai Kartanegara",
        dt.date(2024, 11, 15),
        "Bobot, ambang, indikator tiap TPS, kategori Polri per TPS, pembagian personel per Polsek, Linmas "
        "Polres Kukar, status harian dan kejadian dibuat untuk demo, bukan catatan Bawaslu atau Polri.",
    ),
    "bawaslu-ikp-pilkada-2024": (
        SourceStatus.OFFICIAL,
        "Bawaslu RI",
        "Indeks Kerawanan Pemilu (IKP) Pilkada 2024",
        dt.date(2024, 8, 26),
        "Skor dari pemberitaan; tanggal peluncuran IKP perlu dikonfirmasi. "
        "Skor per dimensi tidak dipublikasikan di sini.",
    ),
    "polri-mantap-praja-2024": (
        SourceStatus.OFFICIAL,
        "Polri",
        "Operasi Mantap Praja 2024: pola pengamanan TPS (Polri-TPS-Linmas)",
        dt.date(2024, 11, 1),
        "Pola berbeda antar-Polres (sebagian 2-8-16 untuk kurang rawan).",
    ),
    "polres-kukar-bontang-2024-11-25": (
        SourceStatus.OFFICIAL,
        "Polres Kutai Kartanegara dan Polres Bontang",
        "Pergeseran pasukan pengamanan TPS Pilkada 2024",
        dt.date(2024, 11, 25),
        "Polres Kukar 550 personel (termasuk 70 BKO dan 3 peleton URC) untuk 1.301 TPS; Polres Bontang "
        "1.266 personel termasuk 846 Linmas untuk 423 TPS. Pembagian per Polsek dibuat untuk demo.",
    ),
}

# A dozen incidents of November 2024, invented for the demo in real places:
# (key, occurred, reported after (minutes), kecamatan, kind, severity, title, description,
#  [(status, after (hours), note)], referred (hours after, note) or None)
INCIDENTS: list[tuple[Any, ...]] = [
    (
        "hoaks-muara-kaman",
        (11, 2, 20),
        90,
        "64.02.11",
        "sara",
        "low",
        "Hoaks tentang pasangan calon di grup WhatsApp desa",
        "Pesan berantai yang menuduh salah satu pasangan calon; dilaporkan Bhabinkamtibmas.",
        [
            ("verified", 20, "Pesan ditemukan di tiga grup."),
            ("handled", 48, "Klarifikasi oleh Kominfo dan Panwascam."),
            ("closed", 96, "Tidak beredar lagi."),
        ],
        None,
    ),
    (
        "apk-tenggarong",
        (11, 5, 23),
        45,
        "64.02.06",
        "other",
        "low",
        "Alat peraga kampanye dirusak",
        "Baliho pasangan calon di jalan poros dirobek orang tak dikenal.",
        [
            ("verified", 12, "Dicek Satpol PP."),
            ("handled", 30, "Diganti tim kampanye; dipantau patroli."),
            ("closed", 72, "Tidak terulang."),
        ],
        None,
    ),
    (
        "sembako-loa-kulu",
        (11, 8, 19),
        120,
        "64.02.02",
        "money",
        "medium",
        "Dugaan pembagian sembako oleh tim kampanye",
        "Warga melaporkan pembagian paket sembako disertai stiker pasangan calon.",
        [("verified", 24, "Foto dan keterangan dua saksi.")],
        (30, "Memenuhi unsur dugaan politik uang; diteruskan ke Bawaslu Kukar."),
    ),
    (
        "kades-sebulu",
        (11, 10, 15),
        60,
        "64.02.07",
        "neutrality",
        "medium",
        "Kepala desa hadir di kampanye terbuka",
        "Seorang kepala desa terlihat berorasi di panggung kampanye.",
        [("verified", 18, "Rekaman video dari Panwascam.")],
        (20, "Dugaan pelanggaran netralitas kepala desa."),
    ),
    (
        "banjir-muara-wis",
        (11, 12, 6),
        30,
        "64.02.18",
        "disaster",
        "medium",
        "Air sungai naik, dua TPS terendam",
        "Banjir musiman merendam lokasi dua TPS di tepi sungai; KPPS menyiapkan lokasi pengganti.",
        [("verified", 6, "Dicek camat dan Polsek."), ("handled", 72, "Lokasi TPS dipindah ke balai desa.")],
        None,
    ),
    (
        "intimidasi-tenggarong-seberang",
        (11, 14, 21),
        240,
        "64.02.16",
        "intimidation",
        "medium",
        "Tim kampanye diancam saat memasang spanduk",
        "Dua anggota tim kampanye mengaku diancam sekelompok orang.",
        [("verified", 24, "Keterangan korban diambil Polsek.")],
        None,
    ),
    (
        "bentrok-kota-bangun",
        (11, 16, 16),
        20,
        "64.02.08",
        "violence",
        "high",
        "Keributan antar-pendukung selepas kampanye",
        "Adu mulut berujung pemukulan; satu orang luka ringan.",
        [("verified", 2, "Polsek di lokasi."), ("handled", 26, "Mediasi kedua pihak; pelaku diperiksa.")],
        None,
    ),
    (
        "asn-anggana",
        (11, 17, 10),
        300,
        "64.02.04",
        "neutrality",
        "low",
        "Unggahan ASN mendukung pasangan calon",
        "Seorang ASN kecamatan mengunggah dukungan di media sosial.",
        [],
        None,
    ),
    (
        "surut-tabang",
        (11, 21, 8),
        60,
        "64.02.12",
        "disaster",
        "medium",
        "Sungai surut, kapal logistik tertahan",
        "Air Sungai Belayan surut; longboat logistik tidak bisa melewati riam.",
        [("verified", 4, "Dicek PPK dan Polsek.")],
        None,
    ),
    (
        "uang-samboja",
        (11, 24, 22),
        60,
        "64.02.13",
        "money",
        "high",
        "Dugaan serangan fajar di masa tenang",
        "Warga menangkap orang membawa amplop berisi uang dan daftar nama pemilih.",
        [("verified", 3, "Barang bukti diamankan Polsek.")],
        (5, "Dugaan politik uang di masa tenang."),
    ),
    (
        "keberatan-muara-badak",
        (11, 27, 14),
        40,
        "64.02.05",
        "other",
        "medium",
        "Keberatan saksi saat penghitungan",
        "Saksi pasangan calon menyatakan keberatan atas surat suara tidak sah; dicatat di formulir kejadian khusus.",
        [("verified", 2, "Dicatat PKD.")],
        None,
    ),
    (
        "kotak-basah-kenohan",
        (11, 27, 18),
        30,
        "64.02.09",
        "logistics",
        "low",
        "Kotak suara basah dalam perjalanan kembali",
        "Hujan deras; satu kotak suara basah di perahu menuju PPS.",
        [],
        None,
    ),
]
# Kecamatan whose status is not "aman" on a day: (kecamatan, first day, last day, level, note)
SITUATIONS = [
    ("64.02.18", (11, 12), (11, 16), "waspada", "Banjir musiman; dua TPS dipindah."),
    ("64.02.08", (11, 16), (11, 20), "waspada", "Pasca-keributan antar-pendukung; patroli ditambah."),
    ("64.02.12", (11, 21), (11, 27), "waspada", "Sungai surut; logistik lewat jalur alternatif."),
    ("64.02.13", (11, 24), (11, 26), "siaga", "Dugaan politik uang di masa tenang; patroli malam."),
]


def _pick(*parts: object) -> int:
    """A deterministic number 0..9999 for a choice: the same demo every time."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "sinergi-demo/security/" + "/".join(map(str, parts))).int % 10000


def _sources() -> dict[str, Source]:
    return demo_sources(SOURCES)


def _election(ctx: dict[str, Any]) -> Election | None:
    if ctx.get("election") is not None:
        return ctx["election"]  # type: ignore[no-any-return]
    return Election.objects.filter(region_id=PROV, voting_date=dt.date(2024, 11, 27)).first()


def indicators_for(tps: PollingStation) -> list[str]:
    """What the demo's PKD finds at a TPS: remote ones by water flagged for location and
    logistics, money politics and neutrality more often near the town."""
    kec = str(tps.village_id)[:8]
    found = []
    p = lambda tag: _pick(tps.pk, tag)  # noqa: E731
    if tps.special_location:
        found.append("7.5")
    if tps.dptb_expected:
        found.append("1.2")
    if p("1.4") < 3500:
        found.append("1.4")
    if p("1.1") < 1500:
        found.append("1.1")
    if tps.access_mode != "road" or kec in UPSTREAM:
        found += ["7.1", "6.3"]
        if p("8.2") < 6000:
            found.append("8.2")
        if p("7.3") < 3000:
            found.append("7.3")
    if kec in NEAR_TOWN:
        if p("3.1") < 2200:
            found.append("3.1")
        if p("5.4") < 1200:
            found.append("5.4")
        if p("5.2") < 800:
            found.append("5.2")
    elif p("3.1") < 600:
        found.append("3.1")
    if p("4.2") < 500:
        found.append("4.2")
    if p("2.2") < 150:
        found.append("2.2")
    return sorted(set(found))


def _polri_category(tps: PollingStation, bawaslu: str) -> str:
    """Polri's own reading: mostly kurang rawan; its sangat rawan and rawan come from the
    security and conflict signs it knows, not from Bawaslu's score."""
    if tps.special_location:
        return Category.KHUSUS
    p = _pick(tps.pk, "polri")
    if bawaslu == Category.SANGAT_RAWAN and p < 3000:
        return Category.SANGAT_RAWAN
    if bawaslu in (Category.RAWAN, Category.SANGAT_RAWAN) and p < 2500:
        return Category.RAWAN
    return Category.KURANG_RAWAN


@transaction.atomic
def load(ctx: dict[str, Any]) -> dict[str, int]:
    from core.demo import current_moment

    return replay(ctx, ctx.get("moment") or current_moment())


def _static(election: Election, src: dict[str, Source]) -> None:
    """What does not change between the demo's moments: the indicator set, the scheme, the IKP
    and the patterns (all dated before the first moment)."""
    if Variable.objects.filter(election=election).exists():
        return
    scheme = actions.scheme_for(election)
    scheme.source = src["demo-security-2024"]
    scheme.save(update_fields=["source"])
    for number, name, items in VARIABLES:
        variable = Variable.objects.create(election=election, number=number, name=name)
        Indicator.objects.bulk_create([Indicator(variable=variable, code=c, name=n, weight=w) for c, n, w in items])
    ikp = src["bawaslu-ikp-pilkada-2024"]
    for code, score, rank in ((KUKAR, "51.28", "Tertinggi di Kalimantan Timur"), (PROV, "77.04", "")):
        RegionalIndex.objects.create(
            election=election,
            region_id=code,
            score=score,
            band=IkpBand.TINGGI,
            rank=rank,
            published_on=ikp.as_of,
            source=ikp,
        )
    polri = src["polri-mantap-praja-2024"]
    for category, (a, b, c) in selectors.DEFAULT_PATTERNS.items():
        Pattern.objects.create(election=election, category=category, polri=a, tps=b, linmas=c, source=polri)
    kukar = Agency.objects.filter(name=POLRES_KUKAR).first()
    if kukar is not None:  # the demo's assumption for Polres Kukar: 2-8-16 where kurang rawan
        Pattern.objects.create(
            election=election,
            agency=kukar,
            category=Category.KURANG_RAWAN,
            polri=2,
            tps=8,
            linmas=16,
            source=src["demo-security-2024"],
        )


def _assess(election: Election, src: dict[str, Source]) -> int:
    """Every Kukar TPS assessed on a day of 10-15 Nov 2024, by the PKD of its desa."""
    if Assessment.objects.filter(election=election, source=src["demo-security-2024"]).exists():
        return 0
    stations = list(PollingStation.objects.filter(subtree_q("village", KUKAR), election=election))
    indicators = actions.indicator_map(election)
    by_day: dict[dt.date, list[actions.AssessmentRow]] = defaultdict(list)
    for tps in stations:
        day = dt.date(2024, 11, 10 + _pick(tps.pk, "day") % 6)
        by_day[day].append(actions.AssessmentRow(tps, day, tuple(indicators_for(tps)), evidence="Form pemetaan PKD"))
    bawaslu = Agency.objects.filter(name=BAWASLU_KUKAR).first()
    who = ("PKD (demo)", bawaslu)  # the PKD of each desa, for Bawaslu Kukar
    for day, rows in sorted(by_day.items()):
        with dates.pinned(dt.datetime(day.year, day.month, day.day, 17, tzinfo=WITA)):
            actions.write_assessments(None, election, rows, indicators, source=src["demo-security-2024"], assessor=who)
    return len(stations)


def _guards(election: Election, src: dict[str, Source]) -> None:
    """Polri's category and guard per TPS of Kukar and Bontang (from 16 Nov), and from 25 Nov the
    published personnel of both Polres, split over their Polsek."""
    demo = src["demo-security-2024"]
    bawaslu = dict(Assessment.objects.filter(election=election, current=True).values_list("tps_id", "category"))
    stations = list(
        PollingStation.objects.filter(subtree_q("village", KUKAR) | subtree_q("village", BONTANG), election=election)
    )
    names = dict(Region.objects.filter(level=3).values_list("code", "name"))
    with dates.pinned(GUARDS_FROM):
        TpsGuard.objects.bulk_create(
            [
                TpsGuard(
                    election=election,
                    tps=t,
                    village_id=t.village_id,
                    category=_polri_category(t, bawaslu.get(t.pk, Category.KURANG_RAWAN)),
                    unit=f"Polsek {names.get(str(t.village_id)[:8], '')}"[:100],
                    source=demo,
                )
                for t in stations
            ],
            batch_size=1000,
        )


def _pools(election: Election, src: dict[str, Source]) -> None:
    kukar = Agency.objects.filter(name=POLRES_KUKAR).first()
    bontang = Agency.objects.filter(name=POLRES_BONTANG).first()
    if kukar is None or bontang is None:
        return
    names = dict(Region.objects.filter(level=3).values_list("code", "name"))
    need = _need_by_kecamatan(election)
    demo = src["demo-security-2024"]
    with dates.pinned(POOLS_FROM):
        # Polres Kukar: 480 organic + 70 BKO = 550; 40 and the 3 URC platoons kept at headquarters,
        # the other 510 split over the Polsek by what their TPS need.
        kec = sorted(k for k in need if kukar.covers(k))
        polri = largest_remainder(510, [float(max(need[k][0], 1)) for k in kec])
        bko = largest_remainder(70, [float(max(need[k][0], 1)) for k in kec])
        for k, p, b in zip(kec, polri, bko, strict=True):
            linmas = max(need[k][1] - SHORT_OF_LINMAS.get(k, 0), 0)
            ForcePool.objects.create(
                election=election,
                agency=kukar,
                unit=f"Polsek {names.get(k, k)}",
                region_id=k,
                organic=p - b,
                bko=b,
                linmas=linmas,
                source=demo,
            )
        ForcePool.objects.create(
            election=election,
            agency=kukar,
            unit="Polres Kukar (cadangan)",
            region_id=KUKAR,
            organic=40,
            urc_platoons=3,
            source=src["polres-kukar-bontang-2024-11-25"],
        )
        # Polres Bontang: 1,266 = 420 Polri + 846 Linmas (two per TPS) for 423 TPS.
        kec = sorted(k for k in need if bontang.covers(k))
        tps = [float(need[k][2]) for k in kec]
        for k, p, lm in zip(kec, largest_remainder(420, tps), largest_remainder(846, tps), strict=True):
            ForcePool.objects.create(
                election=election,
                agency=bontang,
                unit=f"Polsek {names.get(k, k)}",
                region_id=k,
                organic=p,
                linmas=lm,
                source=demo,
            )


def _need_by_kecamatan(election: Election) -> dict[str, tuple[int, int, int]]:
    """(officers, Linmas, TPS) each kecamatan's guard needs under its Polres's patterns."""
    patterns = selectors.patterns_for(election)
    rows = TpsGuard.objects.filter(election=election).values_list("village_id", "category")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for village, category in rows:
        counts[str(village)[:8]][category] += 1
    polres = selectors.polres_by_kecamatan(list(counts))
    out = {}
    for k, c in counts.items():
        a = polres.get(k)
        officers = linmas = 0
        for category, n in c.items():
            o, lm = selectors.need(n, patterns.get((a.pk if a else None, category)) or patterns[(None, category)])
            officers += o
            linmas += lm
        out[k] = (officers, linmas, sum(c.values()))
    return out


def _situation(election: Election, moment: dt.datetime) -> None:
    """Each morning from 16 Nov the Polsek sets its kecamatan's status: the moment's day and the day before."""
    day = moment.astimezone(WITA).date()
    kecamatan = list(Region.objects.filter(parent_id=KUKAR).values_list("code", flat=True))
    polres = selectors.polres_by_kecamatan(kecamatan)
    for d in (day - dt.timedelta(days=1), day):
        if d < dt.date(2024, 11, 16) or d > dt.date(2024, 11, 28):
            continue
        when = dt.datetime(d.year, d.month, d.day, 7, tzinfo=WITA)
        if when > moment:
            continue
        for k in kecamatan:
            level, note = "aman", ""
            for code, (m1, d1), (m2, d2), lv, nt in SITUATIONS:
                if code == k and dt.date(2024, m1, d1) <= d <= dt.date(2024, m2, d2):
                    level, note = lv, nt
            SituationStatus.objects.create(
                election=election,
                region_id=k,
                day=d,
                level=level,
                note=note,
                agency=polres.get(k),
                set_by_name="Kapolsek (demo)",
                set_at=when,
                source=_demo_source(),
            )


def _demo_source() -> Source:
    return Source.objects.get(key="demo-security-2024")


def _incidents(election: Election, moment: dt.datetime) -> int:
    demo = _demo_source()
    agency = Agency.objects.filter(name=POLRES_KUKAR).first()
    written = 0
    for key, (m, d, h), after, kec, kind, severity, title, text, steps, referred in INCIDENTS:
        occurred = dt.datetime(2024, m, d, h, tzinfo=WITA)
        reported = occurred + dt.timedelta(minutes=after)
        if reported > moment:
            continue
        village = list(Region.objects.filter(parent_id=kec).order_by("code").values_list("code", flat=True))
        place = Region.objects.filter(code=village[_pick(key) % len(village)] if village else kec).first()
        if place is None:  # a partial region tree (the tests' slice of Kukar)
            continue
        with dates.pinned(reported):
            incident = actions.report_incident(
                None,
                election,
                {
                    "kind": kind,
                    "severity": severity,
                    "occurred_at": occurred,
                    "region": place,
                    "tps": None,
                    "lat": place.lat,
                    "lng": place.lng,
                    "title": title,
                    "description": text,
                },
                client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"sinergi-demo/security/incident/{key}"),
                source=demo,
            )
        Incident.objects.filter(pk=incident.pk).update(agency=agency)
        for status, hours, note in steps:
            when = reported + dt.timedelta(hours=hours)
            if when > moment:
                break
            with dates.pinned(when):
                incident = actions.advance_incident(None, incident, status, note, incident.version)
        if referred is not None and reported + dt.timedelta(hours=referred[0]) <= moment:
            with dates.pinned(reported + dt.timedelta(hours=referred[0])):
                actions.refer_incident(None, incident, referred[1], incident.version)
        written += 1
    return written


@transaction.atomic
def replay(ctx: dict[str, Any], moment: dt.datetime) -> dict[str, int]:
    """The security records exactly as they stood at ``moment``."""
    election = _election(ctx)
    if election is None or not PollingStation.objects.filter(subtree_q("village", KUKAR), election=election).exists():
        return {"assessed": 0}
    src = _sources()
    _static(election, src)
    assessed = _assess(election, src)
    demo = src["demo-security-2024"]
    Incident.objects.filter(source=demo).delete()
    SituationStatus.objects.filter(source=demo).delete()
    ForcePool.objects.filter(source=demo).delete()
    TpsGuard.objects.filter(source=demo).delete()
    if moment >= GUARDS_FROM:
        _guards(election, src)
    if moment >= POOLS_FROM:
        _pools(election, src)
    _situation(election, moment)
    incidents = _incidents(election, moment)
    return {"assessed": assessed, "incidents": incidents}
