"""The demo's grants: the regional grant (hibah) of Kabupaten Kutai Kartanegara for Pilkada 2024,
from the published figures in FACTS.md, each with its source.

- KPU Kukar Rp 76,055,000,000: 40% (Rp 30,422,000,000) paid in 2023, 60% in 2024. Published amount;
  the signing day and the disbursement days are not published: estimated, and labelled so.
- Bawaslu Kukar "about Rp 15.4 miliar" (estimated); another source gives a ceiling of
  Rp 14.033 miliar, kept as a cited figure beside it: the sources disagree and both are shown.
- The security NPHD of 4 Mar 2024: Polres Kukar Rp 8,156,377,000, Kodim 0906/Kukar Rp 2,073,953,000,
  Polres Bontang Rp 1,289,990,000, Kodim 0908/Bontang Rp 624,305,000, paid at once (the day of
  payment is not published: estimated).
- The Rp 103.66 miliar quoted at the Pemkab's cross-sector rakor of 3 Sep 2024, cited for Kukar's
  whole grant: the agreements recorded add up to Rp 103,599,625,000 and the difference is shown.
- The PSU addendum of 19 Mar 2025, Rp 62.4 miliar: the source does not split it by recipient; it
  is recorded as an addendum of KPU Kukar's NPHD, its recipient marked estimated.
- A few realisation reports and one LPJ due date are illustrative (made up for the demo).

Every record is written at its own date (``core.dates.pinned``), so the pages show each one only
from the day it came to exist. Nobody real is named. Basis: Permendagri 41/2020.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from agencies.models import Agency
from budget import actions
from budget.models import Agreement, CitedFigure, Realisation, Tranche
from core import dates
from core.demo import sources as demo_sources
from core.models import AuditEntry, Source, SourceStatus
from elections.models import Election
from regions.models import Region

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
PROV, KUKAR = "64", "64.02"
KPU = "KPU Kabupaten Kutai Kartanegara"
BAWASLU = "Bawaslu Kabupaten Kutai Kartanegara"
POLRES_KUKAR = "Polres Kutai Kartanegara"
KODIM_KUKAR = "Kodim 0906/Kutai Kartanegara"
POLRES_BONTANG = "Polres Bontang"
KODIM_BONTANG = "Kodim 0908/Bontang"

KPU_AMOUNT = 76_055_000_000
KPU_2023 = 30_422_000_000  # 40%
BAWASLU_AMOUNT = 15_400_000_000
BAWASLU_CEILING = 14_033_000_000
SECURITY = {
    POLRES_KUKAR: 8_156_377_000,
    KODIM_KUKAR: 2_073_953_000,
    POLRES_BONTANG: 1_289_990_000,
    KODIM_BONTANG: 624_305_000,
}
QUOTED_TOTAL = 103_660_000_000
PSU_AMOUNT = 62_400_000_000
SECURITY_SIGNED = dt.date(2024, 3, 4)
PSU_SIGNED = dt.date(2025, 3, 19)
APBD_2024 = "APBD Kabupaten Kutai Kartanegara 2024"
APBD_2025 = "APBD Kabupaten Kutai Kartanegara 2025"
SECURITY_PURPOSE = "Pengamanan Pemilihan Bupati dan Wakil Bupati Kutai Kartanegara 2024"
PSU_PURPOSE = "Pemungutan suara ulang (PSU) Pilkada Kutai Kartanegara, 19 April 2025"

SOURCES: dict[str, tuple[str, str, str, dt.date, str]] = {
    "hibah-kukar-kpu-2023": (
        SourceStatus.ESTIMATED,
        "KPU Kabupaten Kutai Kartanegara (diberitakan media)",
        "Hibah Pilkada 2024 untuk KPU Kukar Rp 76,055 miliar; 40% (Rp 30,422 miliar) cair 2023, 60% pada 2024",
        dt.date(2023, 11, 10),
        "Jumlah dan pembagian 40/60 dipublikasikan; tanggal penandatanganan NPHD dan tanggal pencairan tidak "
        "dipublikasikan sehingga diperkirakan (estimasi).",
    ),
    "hibah-kukar-bawaslu-2023": (
        SourceStatus.ESTIMATED,
        "Bawaslu Kabupaten Kutai Kartanegara (diberitakan media)",
        "Hibah Pilkada 2024 untuk Bawaslu Kukar sekitar Rp 15,4 miliar",
        dt.date(2023, 11, 10),
        "Disebut \u201csekitar\u201d Rp 15,4 miliar; tanggal NPHD dan pembagian tahap tidak dipublikasikan "
        "(diperkirakan 40% pada 2023 dan 60% pada 2024 seperti KPU).",
    ),
    "hibah-kukar-bawaslu-pagu": (
        SourceStatus.OFFICIAL,
        "Sumber lain (diberitakan media)",
        "Pagu hibah Pilkada 2024 untuk Bawaslu Kukar Rp 14,033 miliar",
        dt.date(2023, 11, 10),
        "Berbeda dengan angka \u201csekitar Rp 15,4 miliar\u201d: kedua angka disimpan dan ditampilkan.",
    ),
    "hibah-kukar-pengamanan-2024": (
        SourceStatus.OFFICIAL,
        "Pemerintah Kabupaten Kutai Kartanegara (diberitakan media)",
        "NPHD pengamanan Pilkada 2024, 4 Maret 2024: Polres Kukar, Kodim 0906/Kukar, Polres Bontang, "
        "Kodim 0908/Bontang",
        SECURITY_SIGNED,
        "Dicairkan sekaligus.",
    ),
    "hibah-kukar-pencairan-estimasi": (
        SourceStatus.ESTIMATED,
        "Sinergi (estimasi)",
        "Tanggal pencairan hibah Pilkada Kukar",
        dt.date(2024, 4, 30),
        "Tanggal pencairan tidak dipublikasikan; diisi perkiraan. Jumlahnya mengikuti sumber NPHD.",
    ),
    "hibah-kukar-rakor-2024-09-03": (
        SourceStatus.OFFICIAL,
        "Pemerintah Kabupaten Kutai Kartanegara (diberitakan media)",
        "Rakor lintas sektor Pemkab Kukar, 3 September 2024: hibah Pilkada Rp 103,66 miliar",
        dt.date(2024, 9, 3),
        "Untuk KPU, Bawaslu, TNI dan Polri; tidak dirinci per penerima.",
    ),
    "hibah-kukar-psu-2025": (
        SourceStatus.ESTIMATED,
        "Pemerintah Kabupaten Kutai Kartanegara (diberitakan media)",
        "Addendum hibah untuk PSU Pilkada Kukar, 19 Maret 2025: Rp 62,4 miliar",
        PSU_SIGNED,
        "Sumber tidak merinci per penerima; dicatat sebagai addendum NPHD KPU Kukar (penerima diperkirakan).",
    ),
    "demo-budget-realisasi": (
        SourceStatus.ILLUSTRATIVE,
        "Sinergi (demo)",
        "Laporan realisasi hibah dan tenggat LPJ (ilustratif)",
        dt.date(2024, 11, 18),
        "Dibuat untuk demo; bukan laporan penerima hibah atau ketetapan Pemda.",
    ),
}


def at(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(10, 0), tzinfo=WITA)


def client_id(key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"sinergi-demo/budget/realisation/{key}")


def _sources() -> dict[str, Source]:
    return demo_sources(SOURCES)


def _election(ctx: dict[str, Any]) -> Election | None:
    if ctx.get("election") is not None:
        return ctx["election"]  # type: ignore[no-any-return]
    return Election.objects.filter(region_id=PROV, voting_date=dt.date(2024, 11, 27)).first()


def _clear(sources: list[Source]) -> None:
    """Remove the demo's grants (their tranches, reports and lines go with them) and audit rows."""
    agreements = Agreement.objects.filter(source__in=sources)
    rows = {
        Agreement: list(agreements.values_list("pk", flat=True)),
        Tranche: list(Tranche.objects.filter(agreement__in=agreements).values_list("pk", flat=True)),
        Realisation: list(Realisation.objects.filter(agreement__in=agreements).values_list("pk", flat=True)),
        CitedFigure: list(CitedFigure.objects.filter(source__in=sources).values_list("pk", flat=True)),
    }
    for model, ids in rows.items():
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[str(i) for i in ids]
        ).delete()
    CitedFigure.objects.filter(source__in=sources).delete()
    Realisation.objects.filter(agreement__in=agreements).delete()
    Tranche.objects.filter(agreement__in=agreements).delete()
    Agreement.objects.filter(source__in=sources, amends__isnull=False).delete()
    agreements.delete()


def _agreement(
    election: Election,
    region: Region,
    agency: Agency,
    number: str,
    signed: dt.date,
    amount: int,
    purpose: str,
    budget_source: str,
    source: Source,
    amends: Agreement | None = None,
) -> Agreement:
    data = {
        "region": region,
        "agency": agency,
        "number": number,
        "signed_on": signed,
        "amount": amount,
        "purpose": purpose,
        "budget_source": budget_source,
        "amends": amends,
        "lpj_due": None,
    }
    with dates.pinned(at(signed)):
        return actions.create_agreement(None, election, data, source=source)


def _paid(agreement: Agreement, planned: dt.date, amount: int, paid: dt.date, source: Source) -> Tranche:
    with dates.pinned(at(agreement.signed_on)):
        tranche = actions.add_tranche(None, agreement, planned, amount, source=source)
    with dates.pinned(at(paid)):
        return actions.disburse(None, tranche, paid, amount, tranche.version)


def _report(agreement: Agreement, key: str, up_to: dt.date, submitted: dt.date, lines: dict[str, int]) -> None:
    source = Source.objects.get(key="demo-budget-realisasi")
    with dates.pinned(at(submitted)):
        actions.report(
            None,
            agreement,
            {"period_end": up_to, "submitted_on": submitted, "lines": lines, "returned": 0, "final": False},
            client_id=client_id(key),
            source=source,
        )


@transaction.atomic
def load(ctx: dict[str, Any]) -> dict[str, int]:
    """Write the whole grant: each record at its own date, shown from that day on."""
    election = _election(ctx)
    kukar = Region.objects.filter(code=KUKAR).first()
    names = [KPU, BAWASLU, *SECURITY]
    agencies = {a.name: a for a in Agency.objects.filter(name__in=names)}
    if election is None or kukar is None or len(agencies) != len(names):
        return {"agreements": 0}
    src = _sources()
    _clear(list(src.values()))
    apbd = "APBD Kabupaten Kutai Kartanegara 2023–2024"
    kpu = _agreement(
        election,
        kukar,
        agencies[KPU],
        "KPU Kukar 2023 (nomor tidak dipublikasikan)",
        dt.date(2023, 11, 10),
        KPU_AMOUNT,
        "Penyelenggaraan Pemilihan Bupati dan Wakil Bupati Kutai Kartanegara 2024",
        apbd,
        src["hibah-kukar-kpu-2023"],
    )
    paid = src["hibah-kukar-pencairan-estimasi"]
    _paid(kpu, dt.date(2023, 12, 1), KPU_2023, dt.date(2023, 12, 15), paid)
    _paid(kpu, dt.date(2024, 4, 1), KPU_AMOUNT - KPU_2023, dt.date(2024, 4, 15), paid)
    bawaslu = _agreement(
        election,
        kukar,
        agencies[BAWASLU],
        "Bawaslu Kukar 2023 (nomor tidak dipublikasikan)",
        dt.date(2023, 11, 10),
        BAWASLU_AMOUNT,
        "Pengawasan Pemilihan Bupati dan Wakil Bupati Kutai Kartanegara 2024",
        apbd,
        src["hibah-kukar-bawaslu-2023"],
    )
    _paid(bawaslu, dt.date(2023, 12, 1), BAWASLU_AMOUNT * 40 // 100, dt.date(2023, 12, 15), paid)
    _paid(bawaslu, dt.date(2024, 4, 1), BAWASLU_AMOUNT - BAWASLU_AMOUNT * 40 // 100, dt.date(2024, 4, 15), paid)
    security: dict[str, Agreement] = {}
    for i, (name, amount) in enumerate(SECURITY.items(), start=1):
        security[name] = _agreement(
            election,
            kukar,
            agencies[name],
            f"pengamanan 4 Maret 2024 ({i}/4; nomor tidak dipublikasikan)",
            SECURITY_SIGNED,
            amount,
            SECURITY_PURPOSE,
            APBD_2024,
            src["hibah-kukar-pengamanan-2024"],
        )
        _paid(security[name], SECURITY_SIGNED, amount, dt.date(2024, 3, 25), paid)
    _agreement(
        election,
        kukar,
        agencies[KPU],
        "addendum PSU 19 Maret 2025 (nomor tidak dipublikasikan)",
        PSU_SIGNED,
        PSU_AMOUNT,
        PSU_PURPOSE,
        APBD_2025,
        src["hibah-kukar-psu-2025"],
        amends=kpu,
    )
    with dates.pinned(at(dt.date(2024, 9, 3))):
        actions.cite(
            None,
            election,
            kukar,
            QUOTED_TOTAL,
            "Hibah Pilkada Kukar 2024 (KPU, Bawaslu, TNI, Polri)",
            src["hibah-kukar-rakor-2024-09-03"],
        )
    with dates.pinned(at(dt.date(2023, 11, 10))):
        actions.cite(
            None,
            election,
            kukar,
            BAWASLU_CEILING,
            "Pagu hibah Bawaslu Kukar",
            src["hibah-kukar-bawaslu-pagu"],
            agreement=bawaslu,
        )
    # illustrative: a few realisation reports and one LPJ due date (Polres Bontang's, late on 18 Nov 2024)
    _report(
        kpu,
        "kpu-2024-06",
        dt.date(2024, 6, 30),
        dt.date(2024, 7, 10),
        {
            "honorarium": 12_000_000_000,
            "operational": 6_500_000_000,
            "logistics": 4_000_000_000,
            "outreach": 1_500_000_000,
        },
    )
    _report(
        security[POLRES_KUKAR],
        "polres-kukar-2024-10",
        dt.date(2024, 10, 31),
        dt.date(2024, 11, 8),
        {"security": 3_200_000_000, "operational": 450_000_000},
    )
    _report(
        security[POLRES_BONTANG],
        "polres-bontang-2024-09",
        dt.date(2024, 9, 30),
        dt.date(2024, 10, 7),
        {"security": 410_000_000},
    )
    bontang = security[POLRES_BONTANG]
    with dates.pinned(at(dt.date(2024, 9, 1))):
        actions.set_lpj_due(None, bontang, dt.date(2024, 10, 31), bontang.version, source=src["demo-budget-realisasi"])
    return {"agreements": Agreement.objects.filter(source__in=list(src.values())).count()}
