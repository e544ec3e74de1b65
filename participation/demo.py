"""The participation part of the demo: the two targets cited at the rakor (official statements that
disagree), Kukar's turnout history (Pemilu 2019, Pilkada 2020, Pilkada 2024 -- the last seen only
from after its count), a few illustrative outreach events in Kukar and a few illustrative TPS turnout
reports of voting day (seen only from 27 Nov 2024). Nobody real is named.

Every record carries its date and the pages count nothing before it, so moving the demo clock needs
no replay: loading writes it all once (loading twice changes nothing).
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.db import transaction

from agencies.models import Agency
from core import dates, scoping
from core.demo import sources as demo_sources
from core.models import Source, SourceStatus
from elections.models import Election
from participation import actions
from participation.models import Outreach, Target, TurnoutHistory, TurnoutReport
from regions.models import PollingStation, Region

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
PROV, KUKAR = "64", "64.02"
KPU_KUKAR = "KPU Kabupaten Kutai Kartanegara"
OUTREACH_KEY = "demo-participation-outreach-kukar-2024"
REPORTS_KEY = "demo-participation-turnout-kukar-2024"

SOURCES = {
    "participation-target-rakor-kukar-2024-11-18": (
        SourceStatus.OFFICIAL,
        "Pjs Bupati Kutai Kartanegara (rakor, diberitakan media)",
        "Target partisipasi pemilih nasional 77,5% disampaikan di rakor Pilkada, Pendopo Wakil Bupati, Tenggarong",
        dt.date(2024, 11, 18),
        "",
    ),
    "participation-target-2024-09": (
        SourceStatus.OFFICIAL,
        "Rapat koordinasi Pilkada (diberitakan media)",
        "Target partisipasi pemilih nasional 79,5% disebut dalam rapat koordinasi, September 2024",
        dt.date(2024, 9, 1),
        "Sumber hanya menyebut bulan September 2024; tanggal diisi tanggal 1.",
    ),
    "participation-kukar-pemilu-2019": (
        SourceStatus.OFFICIAL,
        "KPU Kabupaten Kutai Kartanegara (diberitakan media)",
        "Partisipasi pemilih Pemilu 2019 di Kukar: 81,24%",
        dt.date(2019, 5, 31),
        "Hanya persentase yang dipublikasikan; tanggal rekapitulasi tidak dicatat di sini.",
    ),
    "participation-kukar-pilkada-2020": (
        SourceStatus.OFFICIAL,
        "KPU Kabupaten Kutai Kartanegara (diberitakan media)",
        "Partisipasi pemilih Pilkada Kukar 2020: 56,57%",
        dt.date(2020, 12, 31),
        "Hanya persentase yang dipublikasikan; tanggal rekapitulasi tidak dicatat di sini.",
    ),
    "participation-kukar-pilkada-2024": (
        SourceStatus.OFFICIAL,
        "KPU Kabupaten Kutai Kartanegara (diberitakan media)",
        "Hasil Pilkada Kukar 27 Nov 2024: surat suara digunakan 392.161 dari DPT 552.469",
        dt.date(2024, 12, 5),
        "Tanggal pleno rekapitulasi tidak dicatat di sini; angka ditampilkan mulai setelah penghitungan.",
    ),
    OUTREACH_KEY: (
        SourceStatus.ILLUSTRATIVE,
        "Sinergi (demo)",
        "Kegiatan sosialisasi di beberapa kecamatan Kukar (ilustratif)",
        dt.date(2024, 11, 18),
        "Tempat, tanggal, sasaran dan jumlah peserta dibuat untuk demo; bukan catatan KPU atau Pemkab.",
    ),
    REPORTS_KEY: (
        SourceStatus.ILLUSTRATIVE,
        "Sinergi (demo)",
        "Laporan kehadiran pemilih beberapa TPS di Sebulu, 27 Nov 2024 (ilustratif)",
        dt.date(2024, 11, 27),
        "Jumlah pemilih per TPS dibuat untuk demo; bukan hasil KPPS.",
    ),
}

TARGETS = [
    # (source key, value, cited on, cited at)
    ("participation-target-2024-09", "79.5", dt.date(2024, 9, 1), "Rapat koordinasi Pilkada, September 2024"),
    (
        "participation-target-rakor-kukar-2024-11-18",
        "77.5",
        dt.date(2024, 11, 18),
        "Rakor Pjs Bupati Kukar, Pendopo Wakil Bupati, Tenggarong",
    ),
]

HISTORY = [
    # (source key, label, voting day, DPT, voters, published %, as of)
    ("participation-kukar-pemilu-2019", "Pemilu 2019", dt.date(2019, 4, 17), None, None, "81.24", dt.date(2019, 5, 31)),
    (
        "participation-kukar-pilkada-2020",
        "Pilkada 2020",
        dt.date(2020, 12, 9),
        None,
        None,
        "56.57",
        dt.date(2020, 12, 31),
    ),
    (
        "participation-kukar-pilkada-2024",
        "Pilkada 2024",
        dt.date(2024, 11, 27),
        552469,
        392161,
        None,
        dt.date(2024, 12, 5),
    ),
]

# (key, kecamatan, day, audience, attendance, notes)
OUTREACH = [
    ("sebulu-1", "64.02.07", dt.date(2024, 10, 8), ["first_time"], 85, "Sosialisasi pemilih pemula di sekolah."),
    ("sebulu-2", "64.02.07", dt.date(2024, 10, 22), ["women", "general"], 120, "Bersama kelompok PKK desa."),
    ("sebulu-3", "64.02.07", dt.date(2024, 11, 12), ["remote"], 45, "Dusun di tepi sungai, ditempuh dengan perahu."),
    ("tenggarong-1", "64.02.06", dt.date(2024, 10, 15), ["workers"], 150, "ASN dan pegawai kantor kecamatan."),
    (
        "tenggarong-2",
        "64.02.06",
        dt.date(2024, 11, 5),
        ["disabled", "elderly"],
        40,
        "Pendampingan bagi pemilih disabilitas.",
    ),
    ("tenggarong-3", "64.02.06", dt.date(2024, 11, 20), ["first_time"], 200, "Pemilih pemula di kampus."),
    ("tabang-1", "64.02.12", dt.date(2024, 10, 29), ["remote", "general"], 60, "Desa hulu; akses sungai."),
    ("muara-badak-1", "64.02.05", dt.date(2024, 10, 10), ["workers"], 180, "Pekerja perusahaan tambang dan kebun."),
    ("muara-badak-2", "64.02.05", dt.date(2024, 11, 14), ["women"], 70, "Pertemuan majelis taklim."),
    ("sebulu-4", "64.02.07", dt.date(2024, 11, 22), ["general"], 95, "Sosialisasi di pasar desa."),
]

# share of each TPS's DPT that voted in the illustrative reports (in ‰)
REPORT_SHARES = [712, 655, 804, 590]


def _sources() -> dict[str, Source]:
    return demo_sources(SOURCES)


def _id(key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"sinergi-demo/participation/{key}")


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=WITA)


def _election(ctx: dict[str, Any]) -> Election | None:
    if ctx.get("election") is not None:
        return ctx["election"]  # type: ignore[no-any-return]
    return Election.objects.filter(region_id=PROV, voting_date=dt.date(2024, 11, 27)).first()


def _place(kec: str) -> Region | None:
    return Region.objects.filter(parent_id=kec).order_by("code").first() or Region.objects.filter(code=kec).first()


@transaction.atomic
def load(ctx: dict[str, Any]) -> dict[str, int]:
    election = _election(ctx)
    prov = Region.objects.filter(code=PROV).first()
    kukar = Region.objects.filter(code=KUKAR).first()
    if election is None or prov is None or kukar is None:
        return {"targets": 0, "history": 0, "outreach": 0, "reports": 0}
    src = _sources()
    written = {"targets": 0, "history": 0, "outreach": 0, "reports": 0}
    for key, value, cited_on, cited_at in TARGETS:
        if not Target.objects.filter(election=election, source=src[key]).exists():
            with dates.pinned(_noon(cited_on)):
                actions.add_target(
                    None,
                    election,
                    {"region": prov, "value": value, "cited_on": cited_on, "cited_at": cited_at, "source": src[key]},
                )
            written["targets"] += 1
    for key, label, held_on, dpt, voters, percent, as_of in HISTORY:
        if not TurnoutHistory.objects.filter(region=kukar, label=label).exists():
            actions.add_history(
                None,
                {
                    "region": kukar,
                    "label": label,
                    "held_on": held_on,
                    "dpt": dpt,
                    "voters": voters,
                    "percent": percent,
                    "as_of": as_of,
                    "source": src[key],
                },
            )
            written["history"] += 1
    kpu = Agency.objects.filter(name=KPU_KUKAR).first()
    start, end = actions.outreach_window(election)
    for key, kec, day, audience, attendance, notes in OUTREACH:
        place = _place(kec)
        if place is None or not start <= day <= end or Outreach.objects.filter(client_id=_id(key)).exists():
            continue
        with dates.pinned(_noon(day)):
            event = actions.record_outreach(
                None,
                election,
                {"region": place, "held_on": day, "audience": audience, "attendance": attendance, "notes": notes},
                client_id=_id(key),
                source=src[OUTREACH_KEY],
            )
        if kpu is not None:
            Outreach.objects.filter(pk=event.pk).update(agency=kpu)
        written["outreach"] += 1
    stations = PollingStation.objects.filter(scoping.subtree_q("village", "64.02.07"), election=election).order_by(
        "village_id", "number"
    )[: len(REPORT_SHARES)]
    for tps, share in zip(stations, REPORT_SHARES, strict=False):
        key = f"report-{tps.village_id}-{tps.number}"
        if TurnoutReport.objects.filter(client_id=_id(key)).exists():
            continue
        with dates.pinned(dt.datetime(2024, 11, 27, 14, 0, tzinfo=WITA)):
            actions.report_turnout(
                None, election, tps, tps.dpt * share // 1000, client_id=_id(key), source=src[REPORTS_KEY]
            )
        written["reports"] += 1
    return written
