"""The demo's violation cases of Pilkada 2024 in Kutai Kartanegara.

Published (FACTS.md), labelled official: Bawaslu Kukar had recorded 11 Pilkada violation cases by
the 9 Nov 2024 rakor; and a report on the incumbent's ASN transfers, registered 11 Nov 2024,
discussed in Sentra Gakkumdu, clarified 12-14 Nov 2024. Its outcome (no election crime to pursue)
was reported in the press on 17 Nov 2024; the reporter is not named here.

Invented for the demo, labelled illustrative: what the 11 cases were (the breakdown is not
published) -- a plausible mix of ASN and kepala-desa neutrality, campaign breaches, money politics
and an organiser's administrative breach, one reported too late, one not proven -- their places,
reporters, dates and steps. As of the 9 Nov rakor one is due the next day and one is past its
deadline. Two more after the rakor (illustrative) put one case past and one at its deadline on
18 Nov, the moment the demo opens at. Nobody real is named: a reported party is a role, a reporter "Pelapor A (demo)".

Nothing exists before it happened: the replay writes each case from the moment it was received
and each step at its own time, so the audit rows carry the times the steps were taken.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from agencies.models import Agency
from core import dates
from core.demo import sources as demo_sources
from core.models import AuditEntry, Source, SourceStatus
from elections.models import Election
from regions.models import Region
from security.models import Incident
from violations import actions
from violations.models import Case, Holiday, Reporter, Status, Step

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
PROV, KUKAR = "64", "64.02"
BAWASLU_KUKAR = "Bawaslu Kabupaten Kutai Kartanegara"
ILLUSTRATIVE_KEY = "demo-violations-kukar-2024"
AFTER_KEY = "demo-violations-kukar-2024-after"
REPORTED_KEY = "bawaslu-kukar-laporan-mutasi-asn-2024"
OUTCOME_KEY = "bawaslu-kukar-laporan-mutasi-asn-2024-hasil"
SECURITY_SOURCE_KEY = "demo-security-2024"  # the security demo's incidents (security/demo.py)


def at(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=WITA)


# The rakor of 9 Nov 2024 (meetings/demo.py), where the 11 cases were reported.
RAKOR_9_NOV = at(2024, 11, 9, 9)
SETUP_AT = at(2024, 9, 24, 9)  # Bawaslu sets the working-day calendar before the campaign

SOURCES = {
    ILLUSTRATIVE_KEY: (
        SourceStatus.ILLUSTRATIVE,
        "Sinergi (demo)",
        "11 kasus pelanggaran Pilkada Kukar per 9 November 2024 (rincian tidak dipublikasikan; kasus ilustratif)",
        dt.date(2024, 11, 9),
        "Jumlahnya (11 kasus per 9 Nov 2024) disampaikan di rakor integritas Pemkab dan Bawaslu Kukar. Jenis, "
        "tempat, pihak, pelapor, tanggal dan tahapan tiap kasus dibuat untuk demo, bukan catatan Bawaslu.",
    ),
    AFTER_KEY: (
        SourceStatus.ILLUSTRATIVE,
        "Sinergi (demo)",
        "Kasus pelanggaran Pilkada Kukar setelah 9 November 2024 (kasus ilustratif)",
        dt.date(2024, 11, 18),
        "Dibuat untuk demo agar tenggat yang dekat dan yang terlewat terlihat pada 18 Nov 2024; bukan catatan Bawaslu.",
    ),
    REPORTED_KEY: (
        SourceStatus.OFFICIAL,
        "Bawaslu Kabupaten Kutai Kartanegara (diberitakan media)",
        "Laporan dugaan mutasi ASN oleh petahana: diregistrasi 11 Nov 2024 dan dibahas di Sentra Gakkumdu; "
        "klarifikasi 12-14 Nov 2024",
        dt.date(2024, 11, 11),
        "Pelapor tidak disebut di sini. Tanggal kejadian tidak dipublikasikan; diisi tanggal registrasi.",
    ),
    OUTCOME_KEY: (
        SourceStatus.OFFICIAL,
        "Bawaslu Kabupaten Kutai Kartanegara (diberitakan media)",
        "Hasil klarifikasi laporan terhadap pasangan calon petahana: tidak ada dugaan pidana pemilihan",
        dt.date(2024, 11, 17),
        "Diberitakan 17 Nov 2024 setelah pembahasan kedua Sentra Gakkumdu; tanggal pleno tidak disebut, "
        "putusan dicatat pada tanggal pemberitaan.",
    ),
}

# The working-day calendar of 2024 (national holidays, cuti bersama and the voting day).
HOLIDAYS = [
    (dt.date(2024, 8, 17), "Hari Kemerdekaan RI"),
    (dt.date(2024, 9, 16), "Maulid Nabi Muhammad SAW"),
    (dt.date(2024, 11, 27), "Pemungutan suara Pilkada serentak (hari libur nasional)"),
    (dt.date(2024, 12, 25), "Hari Raya Natal"),
    (dt.date(2024, 12, 26), "Cuti bersama Natal"),
]

CAMPAIGN_TEAM = "Tim kampanye salah satu pasangan calon"
GAKKUMDU_BY = {
    Status.INVESTIGATION: "Sentra Gakkumdu: penyidik Polres Kukar (demo)",
    Status.PROSECUTION: "Sentra Gakkumdu: Kejari Kukar (demo)",
    Status.COURT: "Sentra Gakkumdu: Kejari Kukar (demo)",
}

# Each case: where (kecamatan; "place" for the kecamatan itself instead of one of its desa), what,
# against whom, when it happened / became known / was received, the reporter of a laporan, and
# its steps [(when, status, data)]; status "extend" asks for more information, "sanction" records
# the sanction given. Kecamatan: 02 Loa Kulu, 03 Loa Janan, 05 Muara Badak, 06 Tenggarong,
# 07 Sebulu, 08 Kota Bangun, 11 Muara Kaman, 12 Tabang, 13 Samboja, 14 Muara Jawa, 16 Tenggarong
# Seberang. As of the 9 Nov rakor (09.00): "kades-muara-kaman" is past its deadline (8 Nov,
# extended) and "uang-muara-jawa" is due the next day (10 Nov).
CASES: list[dict[str, Any]] = [
    {
        "key": "asn-medsos-tenggarong",
        "kec": "64.02.06",
        "origin": "temuan",
        "category": "other_law",
        "party_kind": "asn",
        "party_name": "Seorang ASN guru sekolah dasar",
        "party_unit": "Dinas Pendidikan Kabupaten Kutai Kartanegara",
        "summary": "ASN mengunggah dukungan kepada pasangan calon di media sosial",
        "description": "Patroli siber Bawaslu menemukan unggahan foto bersama pasangan calon dengan ajakan memilih.",
        "occurred": (10, 22),
        "known": (10, 23),
        "received": at(2024, 10, 23, 10),
        "steps": [
            (at(2024, 10, 24, 9), "registered", {"note": "Temuan memenuhi syarat formal dan material."}),
            (at(2024, 10, 24, 13), "clarification", {"note": "Yang bersangkutan dan atasannya diundang klarifikasi."}),
            (at(2024, 10, 25, 15), "review", {"note": "Kajian dugaan pelanggaran netralitas ASN."}),
            (
                at(2024, 10, 26, 10),
                "decided",
                {"finding": "proven", "note": "Terbukti melanggar netralitas ASN (UU 20/2023, PP 94/2021)."},
            ),
            (
                at(2024, 10, 26, 14),
                "referred",
                {"referred_to": "bkn", "note": "Rekomendasi ke BKN (KASN dibubarkan sejak 24 Agustus 2024)."},
            ),
            (
                at(2024, 11, 15, 10),
                "sanction",
                {"sanction": "Hukuman disiplin sedang oleh pejabat pembina kepegawaian atas rekomendasi BKN (demo)"},
            ),
        ],
    },
    {
        "key": "dpt-tabang",
        "kec": "64.02.12",
        "origin": "temuan",
        "category": "administrasi",
        "party_kind": "organiser",
        "party_name": "Panitia Pemungutan Suara (PPS) salah satu desa",
        "party_unit": "PPS",
        "summary": "Daftar pemilih tetap tidak diumumkan di desa",
        "description": "Pengawas desa mendapati salinan DPT tidak ditempel di tempat yang mudah dilihat warga.",
        "occurred": (10, 24),
        "known": (10, 25),
        "received": at(2024, 10, 25, 14),
        "steps": [
            (at(2024, 10, 26, 9), "registered", {"note": "Temuan Panwaslu Kecamatan Tabang."}),
            (at(2024, 10, 26, 13), "clarification", {"note": "Ketua PPS dan PPK diundang klarifikasi."}),
            (at(2024, 10, 27, 10), "review", {"note": "Kajian pelanggaran administrasi pemilihan."}),
            (at(2024, 10, 28, 10), "decided", {"finding": "proven", "note": "Terbukti: DPT tidak diumumkan."}),
            (at(2024, 10, 28, 14), "referred", {"referred_to": "kpu", "note": "Rekomendasi ke KPU Kukar."}),
            (
                at(2024, 11, 1, 10),
                "closed",
                {
                    "note": "KPU Kukar menindaklanjuti rekomendasi.",
                    "outcome": "KPU Kukar melalui PPK memerintahkan PPS mengumumkan DPT; DPT diumumkan 31 Oktober.",
                },
            ),
        ],
    },
    {
        "key": "apk-sebulu",
        "kec": "64.02.07",
        "origin": "laporan",
        "category": "administrasi",
        "party_kind": "campaign",
        "party_name": CAMPAIGN_TEAM,
        "party_unit": "",
        "summary": "Alat peraga kampanye dipasang di gedung sekolah dan kantor desa",
        "description": "Pelapor menyertakan foto spanduk dan baliho di pagar sekolah dan kantor desa.",
        "occurred": (10, 26),
        "known": (10, 27),
        "received": at(2024, 10, 28, 10),
        "reporter": "Pelapor A (demo)",
        "steps": [
            (at(2024, 10, 28, 14), "registered", {"note": "Laporan memenuhi syarat formal dan material."}),
            (at(2024, 10, 29, 9), "clarification", {"note": "Pelapor, saksi dan tim kampanye diundang klarifikasi."}),
            (at(2024, 10, 30, 10), "review", {"note": "Kajian pelanggaran administrasi kampanye."}),
            (at(2024, 10, 31, 10), "decided", {"finding": "proven", "note": "Terbukti: APK di tempat terlarang."}),
            (at(2024, 10, 31, 14), "referred", {"referred_to": "kpu", "note": "Rekomendasi ke KPU Kukar."}),
            (
                at(2024, 11, 4, 15),
                "closed",
                {
                    "note": "KPU Kukar menindaklanjuti rekomendasi.",
                    "outcome": "KPU Kukar memerintahkan penurunan; APK diturunkan tim kampanye bersama Satpol PP.",
                },
            ),
        ],
    },
    {
        "key": "spanduk-samboja",
        "kec": "64.02.13",
        "origin": "laporan",
        "category": "administrasi",
        "party_kind": "campaign",
        "party_name": CAMPAIGN_TEAM,
        "party_unit": "",
        "summary": "Spanduk pasangan calon menutupi rambu lalu lintas",
        "description": "Pelapor baru melapor sepuluh hari setelah mengetahuinya.",
        "occurred": (10, 19),
        "known": (10, 20),
        "received": at(2024, 10, 30, 10),
        "reporter": "Pelapor B (demo)",
        "steps": [
            (
                at(2024, 10, 31, 10),
                "not_registered",
                {
                    "reason": "late",
                    "note": "Dilaporkan lebih dari 7 hari setelah diketahui; diteruskan ke Panwaslu Kecamatan "
                    "sebagai informasi awal pengawasan.",
                },
            ),
        ],
    },
    {
        "key": "asn-puskesmas-kota-bangun",
        "kec": "64.02.08",
        "origin": "laporan",
        "category": "other_law",
        "party_kind": "asn",
        "party_name": "Seorang ASN tenaga kesehatan puskesmas",
        "party_unit": "Dinas Kesehatan Kabupaten Kutai Kartanegara",
        "summary": "ASN ikut membagikan bahan kampanye pasangan calon kepada warga",
        "description": "Dibagikan di sela kegiatan posyandu; pelapor menyertakan foto.",
        "occurred": (11, 1),
        "known": (11, 1),
        "received": at(2024, 11, 2, 10),
        "reporter": "Pelapor C (demo)",
        "steps": [
            (at(2024, 11, 2, 14), "registered", {"note": "Laporan memenuhi syarat formal dan material."}),
            (at(2024, 11, 3, 10), "clarification", {"note": "Pelapor, saksi dan yang bersangkutan diklarifikasi."}),
            (at(2024, 11, 4, 16), "review", {"note": "Kajian dugaan pelanggaran netralitas ASN."}),
            (at(2024, 11, 5, 10), "decided", {"finding": "proven", "note": "Terbukti melanggar netralitas ASN."}),
            (at(2024, 11, 5, 15), "referred", {"referred_to": "bkn", "note": "Rekomendasi ke BKN."}),
            (at(2025, 1, 14, 10), "sanction", {"sanction": "Hukuman disiplin ringan: teguran tertulis (demo)"}),
        ],
    },
    {
        "key": "kades-muara-kaman",
        "kec": "64.02.11",
        "origin": "laporan",
        "category": "other_law",
        "party_kind": "village",
        "party_name": "Seorang kepala desa",
        "party_unit": "Pemerintah desa di Kecamatan Muara Kaman",
        "summary": "Kepala desa mengarahkan perangkat desa mendukung pasangan calon",
        "description": "Disampaikan dalam rapat perangkat desa; pelapor menyebut dua saksi.",
        "occurred": (11, 1),
        "known": (11, 2),
        "received": at(2024, 11, 3, 10),
        "reporter": "Pelapor D (demo)",
        "steps": [
            (at(2024, 11, 3, 14), "registered", {"note": "Laporan memenuhi syarat formal dan material."}),
            (at(2024, 11, 4, 9), "clarification", {"note": "Pelapor dan saksi diklarifikasi."}),
            (at(2024, 11, 5, 10), "extend", {"note": "Keterangan perangkat desa dan notulen rapat desa."}),
            (at(2024, 11, 7, 15), "review", {"note": "Kajian; keterangan perangkat desa baru lengkap 7 November."}),
            # past its deadline (8 Nov) at the 9 Nov rakor; decided that afternoon
            (
                at(2024, 11, 9, 16),
                "decided",
                {"finding": "proven", "note": "Terbukti melanggar larangan kepala desa (UU 10/2016 Pasal 71)."},
            ),
            (
                at(2024, 11, 10, 10),
                "referred",
                {"referred_to": "bupati", "note": "Diteruskan ke Bupati melalui DPMD untuk sanksi."},
            ),
            (at(2024, 11, 22, 10), "sanction", {"sanction": "Teguran tertulis dari Bupati melalui DPMD (demo)"}),
        ],
    },
    {
        "key": "kades-tenggarong-seberang",
        "kec": "64.02.16",
        "origin": "temuan",
        "category": "other_law",
        "party_kind": "village",
        "party_name": "Seorang kepala desa",
        "party_unit": "Pemerintah desa di Kecamatan Tenggarong Seberang",
        "summary": "Kepala desa mengajak warga memilih pasangan calon dalam acara desa",
        "description": "Pengawas desa merekam sambutan kepala desa dalam acara syukuran panen.",
        "occurred": (11, 4),
        "known": (11, 4),
        "received": at(2024, 11, 5, 9),
        "steps": [
            (at(2024, 11, 5, 13), "registered", {"note": "Temuan Panwaslu Kecamatan Tenggarong Seberang."}),
            (at(2024, 11, 6, 9), "clarification", {"note": "Kepala desa dan dua warga diklarifikasi."}),
            (at(2024, 11, 7, 10), "review", {"note": "Kajian dugaan pelanggaran netralitas kepala desa."}),
            (at(2024, 11, 8, 10), "decided", {"finding": "proven", "note": "Terbukti melanggar larangan kepala desa."}),
            (
                at(2024, 11, 8, 14),
                "referred",
                {"referred_to": "bupati", "note": "Diteruskan ke Bupati melalui DPMD untuk sanksi."},
            ),
            (at(2024, 11, 14, 10), "sanction", {"sanction": "Teguran tertulis dari Bupati melalui DPMD (demo)"}),
        ],
    },
    {
        "key": "uang-muara-jawa",
        "kec": "64.02.14",
        "origin": "laporan",
        "category": "pidana",
        "party_kind": "campaign",
        "party_name": "Anggota tim kampanye salah satu pasangan calon",
        "party_unit": "",
        "summary": "Dugaan pemberian uang kepada warga disertai ajakan memilih pasangan calon",
        "description": "Pelapor menyebut amplop berisi uang dibagikan di sebuah rumah warga; dua saksi.",
        "occurred": (11, 5),
        "known": (11, 6),
        "received": at(2024, 11, 7, 10),
        "reporter": "Pelapor E (demo)",
        "steps": [
            (at(2024, 11, 7, 14), "registered", {"note": "Diregistrasi; pembahasan pertama Sentra Gakkumdu."}),
            (at(2024, 11, 8, 9), "clarification", {"note": "Pelapor, saksi dan terlapor diklarifikasi."}),
            # due the next day (10 Nov) at the 9 Nov rakor
            (at(2024, 11, 9, 14), "review", {"note": "Kajian; pembahasan kedua Sentra Gakkumdu."}),
            (
                at(2024, 11, 10, 10),
                "decided",
                {"finding": "proven", "note": "Memenuhi unsur dugaan pidana politik uang (UU 10/2016 Pasal 187A)."},
            ),
            (at(2024, 11, 10, 14), "referred", {"referred_to": "gakkumdu", "note": "Diteruskan ke penyidik."}),
            (at(2024, 11, 11, 9), "investigation", {"note": "Penyidikan oleh penyidik Polres Kukar."}),
            (at(2024, 11, 28, 10), "prosecution", {"note": "Berkas dilimpahkan ke penuntut umum."}),
            (at(2024, 12, 2, 10), "court", {"note": "Dilimpahkan ke pengadilan negeri."}),
            (
                at(2024, 12, 16, 14),
                "closed",
                {
                    "note": "Putusan dibacakan.",
                    "outcome": "Putusan pengadilan negeri: terbukti; pidana penjara percobaan dan denda (demo).",
                },
            ),
        ],
    },
    {
        "key": "asn-pu-loa-janan",
        "kec": "64.02.03",
        "origin": "laporan",
        "category": "other_law",
        "party_kind": "asn",
        "party_name": "Seorang ASN staf teknis",
        "party_unit": "Dinas Pekerjaan Umum Kabupaten Kutai Kartanegara",
        "summary": "ASN menulis komentar dukungan pada unggahan akun pasangan calon",
        "description": "Pelapor menyertakan tangkapan layar komentar dan profil akun.",
        "occurred": (11, 5),
        "known": (11, 6),
        "received": at(2024, 11, 8, 10),
        "reporter": "Pelapor F (demo)",
        "steps": [
            (at(2024, 11, 8, 15), "registered", {"note": "Laporan memenuhi syarat formal dan material."}),
            (at(2024, 11, 9, 13), "clarification", {"note": "Pelapor dan pemilik akun diundang klarifikasi."}),
            (at(2024, 11, 10, 10), "extend", {"note": "Tangkapan layar asli dan keterangan atasan yang bersangkutan."}),
            (at(2024, 11, 12, 10), "review", {"note": "Kajian dugaan pelanggaran netralitas ASN."}),
            (at(2024, 11, 13, 10), "decided", {"finding": "proven", "note": "Terbukti melanggar netralitas ASN."}),
            (at(2024, 11, 13, 15), "referred", {"referred_to": "bkn", "note": "Rekomendasi ke BKN."}),
        ],
    },
    {
        "key": "jadwal-muara-badak",
        "kec": "64.02.05",
        "origin": "laporan",
        "category": "administrasi",
        "party_kind": "campaign",
        "party_name": CAMPAIGN_TEAM,
        "party_unit": "",
        "summary": "Kampanye pertemuan terbatas di luar jadwal dan tempat yang diberitahukan",
        "description": "Pertemuan di balai pertemuan warga pada hari yang tidak tercantum dalam jadwal kampanye.",
        "occurred": (11, 6),
        "known": (11, 7),
        "received": at(2024, 11, 8, 11),
        "reporter": "Pelapor G (demo)",
        "steps": [
            (at(2024, 11, 8, 16), "registered", {"note": "Laporan memenuhi syarat formal dan material."}),
            (at(2024, 11, 9, 14), "clarification", {"note": "Pelapor, saksi dan penanggung jawab kampanye."}),
            (at(2024, 11, 10, 15), "review", {"note": "Kajian pelanggaran administrasi kampanye."}),
            (at(2024, 11, 11, 10), "decided", {"finding": "proven", "note": "Terbukti: kampanye di luar jadwal."}),
            (at(2024, 11, 11, 14), "referred", {"referred_to": "kpu", "note": "Rekomendasi ke KPU Kukar."}),
            (
                at(2024, 11, 15, 11),
                "closed",
                {
                    "note": "KPU Kukar menindaklanjuti rekomendasi.",
                    "outcome": "KPU Kukar memberi peringatan tertulis kepada tim kampanye.",
                },
            ),
        ],
    },
    {
        "key": "sembako-loa-kulu",
        "kec": "64.02.02",
        "origin": "temuan",
        "category": "pidana",
        "party_kind": "campaign",
        "party_name": CAMPAIGN_TEAM,
        "party_unit": "",
        "summary": "Dugaan pembagian paket sembako disertai stiker pasangan calon",
        "description": "Panwaslu Kecamatan Loa Kulu menelusuri informasi warga malam 8 November.",
        "occurred": (11, 8),
        "known": (11, 8),
        "received": at(2024, 11, 9, 8),
        "incident": "money",  # the security demo's incident of the same evening, when it is loaded
        "steps": [
            (at(2024, 11, 9, 13), "registered", {"note": "Diregistrasi; pembahasan pertama Sentra Gakkumdu."}),
            (at(2024, 11, 10, 9), "clarification", {"note": "Penerima paket dan saksi diklarifikasi."}),
            (at(2024, 11, 11, 10), "extend", {"note": "Keterangan penerima paket dan asal barang."}),
            (at(2024, 11, 13, 10), "review", {"note": "Kajian; pembahasan kedua Sentra Gakkumdu."}),
            (
                at(2024, 11, 14, 10),
                "decided",
                {"finding": "not_proven", "note": "Unsur memberi untuk memengaruhi pemilih tidak terpenuhi."},
            ),
            (
                at(2024, 11, 14, 14),
                "closed",
                {"note": "Dihentikan.", "outcome": "Tidak terbukti; pengawasan di desa itu ditingkatkan."},
            ),
        ],
    },
    # After the rakor, illustrative too: as the demo's clock shows 18 Nov (noon), "asn-kenohan" is
    # past its deadline (16 Nov) and "tempat-ibadah-anggana" is due that day.
    {
        "key": "asn-kenohan",
        "kec": "64.02.09",
        "origin": "laporan",
        "category": "other_law",
        "party_kind": "asn",
        "party_name": "Seorang ASN kantor kecamatan",
        "party_unit": "Kantor Kecamatan Kenohan",
        "summary": "ASN hadir berseragam dalam kampanye tatap muka",
        "description": "Pelapor menyertakan foto dan video kegiatan kampanye di balai desa.",
        "occurred": (11, 12),
        "known": (11, 12),
        "received": at(2024, 11, 13, 10),
        "reporter": "Pelapor H (demo)",
        "source": AFTER_KEY,
        "steps": [
            (at(2024, 11, 13, 15), "registered", {"note": "Laporan memenuhi syarat formal dan material."}),
            (at(2024, 11, 14, 10), "clarification", {"note": "Terlapor belum hadir pada undangan pertama."}),
            (at(2024, 11, 19, 10), "review", {"note": "Klarifikasi selesai setelah undangan kedua."}),
            (
                at(2024, 11, 19, 15),
                "decided",
                {"finding": "proven", "note": "Terbukti melanggar netralitas ASN; diputus lewat tenggat."},
            ),
            (at(2024, 11, 20, 10), "referred", {"referred_to": "bkn", "note": "Rekomendasi ke BKN."}),
        ],
    },
    {
        "key": "tempat-ibadah-anggana",
        "kec": "64.02.04",
        "origin": "laporan",
        "category": "administrasi",
        "party_kind": "campaign",
        "party_name": CAMPAIGN_TEAM,
        "party_unit": "",
        "summary": "Kampanye di tempat ibadah",
        "description": "Pelapor melaporkan penyampaian visi-misi pasangan calon seusai ibadah.",
        "occurred": (11, 14),
        "known": (11, 14),
        "received": at(2024, 11, 15, 10),
        "reporter": "Pelapor I (demo)",
        "source": AFTER_KEY,
        "steps": [
            (at(2024, 11, 15, 14), "registered", {"note": "Laporan memenuhi syarat formal dan material."}),
            (at(2024, 11, 16, 9), "clarification", {"note": "Pelapor, saksi dan tim kampanye diklarifikasi."}),
            (at(2024, 11, 17, 10), "review", {"note": "Kajian pelanggaran administrasi kampanye."}),
            (at(2024, 11, 18, 16), "decided", {"finding": "proven", "note": "Terbukti: kampanye di tempat ibadah."}),
            (at(2024, 11, 19, 10), "referred", {"referred_to": "kpu", "note": "Rekomendasi ke KPU Kukar."}),
            (
                at(2024, 11, 22, 10),
                "closed",
                {"note": "KPU Kukar menindaklanjuti.", "outcome": "KPU Kukar memberi peringatan tertulis (demo)."},
            ),
        ],
    },
    # The published example (official): the incumbent's ASN transfers.
    {
        "key": "mutasi-asn-petahana",
        "kec": "64.02.06",
        "place": "kecamatan",  # the regency's offices in Tenggarong; no desa is published
        "origin": "laporan",
        "category": "pidana",
        "party_kind": "candidate",
        "party_name": "Pasangan calon petahana Bupati Kutai Kartanegara",
        "party_unit": "Pemerintah Kabupaten Kutai Kartanegara",
        "summary": "Mutasi ASN oleh petahana dalam masa larangan",
        "description": "Dilaporkan: mutasi ASN dalam masa larangan (UU 10/2016 Pasal 71) yang diduga untuk "
        "memengaruhi dukungan ASN. Tanggal kejadian dan tanggal diketahui tidak dipublikasikan; di sini diisi "
        "tanggal registrasi.",
        "occurred": (11, 11),
        "known": (11, 11),
        "received": at(2024, 11, 11, 9),
        "reporter": "Pelapor (tidak dipublikasikan)",
        "source": REPORTED_KEY,
        "steps": [
            (
                at(2024, 11, 11, 13),
                "registered",
                {"note": "Diregistrasi; dibahas dalam pembahasan pertama Sentra Gakkumdu."},
            ),
            (
                at(2024, 11, 12, 9),
                "clarification",
                {"note": "Klarifikasi 12-14 Nov 2024 (pelapor, saksi, pihak terkait); dibahas di Sentra Gakkumdu."},
            ),
            (
                at(2024, 11, 12, 10),
                "extend",
                {"note": "Klarifikasi saksi dan pihak terkait berlangsung sampai 14 Nov."},
            ),
            (
                at(2024, 11, 15, 9),
                "review",
                {"note": "Klarifikasi selesai 14 Nov; kajian dan pembahasan kedua Sentra Gakkumdu."},
            ),
            (
                at(2024, 11, 17, 10),
                "decided",
                {
                    "finding": "not_proven",
                    "note": "Pleno Bawaslu Kukar: tidak ada peristiwa pidana pemilihan yang dapat ditindaklanjuti "
                    "(diberitakan 17 Nov 2024; tanggal pleno tidak disebut).",
                    "source": OUTCOME_KEY,
                },
            ),
            (
                at(2024, 11, 17, 11),
                "closed",
                {"note": "Penanganan dihentikan.", "outcome": "Tidak ditindaklanjuti sebagai pidana pemilihan."},
            ),
        ],
    },
]


def _pick(*parts: object) -> int:
    """A deterministic number 0..9999 for a choice: the same demo every time."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "sinergi-demo/violations/" + "/".join(map(str, parts))).int % 10000


def client_id(key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"sinergi-demo/violations/case/{key}")


def _sources() -> dict[str, Source]:
    return demo_sources(SOURCES)


def _election(ctx: dict[str, Any]) -> Election | None:
    if ctx.get("election") is not None:
        return ctx["election"]  # type: ignore[no-any-return]
    return Election.objects.filter(region_id=PROV, voting_date=dt.date(2024, 11, 27)).first()


def _calendar(election: Election) -> None:
    """The holidays of 2024 (those already there are kept); the deadline rules stay the law's defaults."""
    have = set(Holiday.objects.filter(election=election).values_list("day", flat=True))
    with dates.pinned(SETUP_AT):
        for day, name in HOLIDAYS:
            if day not in have:
                actions.add_holiday(None, election, day, name)


def _clear(sources: list[Source]) -> None:
    """Remove the demo's cases (their steps and reporters go with them) and their audit rows."""
    cases = Case.objects.filter(source__in=sources)
    case_ids = [str(pk) for pk in cases.values_list("pk", flat=True)]
    reporter_ids = [str(pk) for pk in Reporter.objects.filter(case__in=cases).values_list("pk", flat=True)]
    for model, ids in ((Case, case_ids), (Reporter, reporter_ids)):
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids).delete()
    cases.delete()


def _incident(election: Election, kind: str, when: dt.datetime) -> Incident | None:
    """The security demo's earliest incident of ``kind`` reported by ``when`` (None without one)."""
    return (
        Incident.objects.filter(election=election, kind=kind, source__key=SECURITY_SOURCE_KEY, reported_at__lte=when)
        .select_related("region")
        .order_by("reported_at", "pk")
        .first()
    )


def _place(spec: dict[str, Any]) -> Region | None:
    """The case's desa (picked under its kecamatan), or the kecamatan itself; None when the region
    tree lacks it (the tests' slice of Kukar)."""
    kec = spec["kec"]
    if spec.get("place") != "kecamatan":
        villages = list(Region.objects.filter(parent_id=kec).order_by("code").values_list("code", flat=True))
        if villages:
            return Region.objects.get(code=villages[_pick(spec["key"]) % len(villages)])
    return Region.objects.filter(code=kec).first()


def _intake(election: Election, spec: dict[str, Any], src: dict[str, Source]) -> Case | None:
    received: dt.datetime = spec["received"]
    linked = _incident(election, spec["incident"], received) if spec.get("incident") else None
    place = linked.region if linked is not None else _place(spec)
    if place is None:
        return None
    y = received.year
    data = {
        "origin": spec["origin"],
        "occurred_on": dt.date(y, *spec["occurred"]),
        "known_on": dt.date(y, *spec["known"]),
        "received_on": received.date(),
        "region": place,
        "tps": None,
        "party_kind": spec["party_kind"],
        "party_name": spec["party_name"],
        "party_unit": spec["party_unit"],
        "category": spec["category"],
        "summary": spec["summary"],
        "description": spec["description"],
    }
    reporter = {"name": spec["reporter"]} if spec.get("reporter") else None
    with dates.pinned(received):
        case = actions.intake(
            None,
            election,
            data,
            reporter,
            incidents=[linked.pk] if linked is not None else (),
            client_id=client_id(spec["key"]),
            source=src[spec.get("source", ILLUSTRATIVE_KEY)],
        )
    return case


def _step(case: Case, when: dt.datetime, status: str, data: dict[str, Any], src: dict[str, Source]) -> Case:
    with dates.pinned(when):
        if status == "extend":
            return actions.request_information(None, case, data["note"], case.version)
        if status == "sanction":
            return actions.record_sanction(None, case, data["sanction"], when.date(), case.version)
        case = actions.advance(None, case, status, {**data, "on": when.date()}, case.version)
    if data.get("source"):  # from here the case follows what was published then
        Case.objects.filter(pk=case.pk).update(source=src[data["source"]])
        case.source = src[data["source"]]
    return case


def _cases(election: Election, src: dict[str, Source], moment: dt.datetime) -> int:
    agency = Agency.objects.filter(name=BAWASLU_KUKAR).first()
    written = 0
    for spec in sorted(CASES, key=lambda s: s["received"]):  # numbered in the order received
        if spec["received"] > moment:
            continue
        case = _intake(election, spec, src)
        if case is None:
            continue
        Case.objects.filter(pk=case.pk).update(agency=agency)
        for when, status, data in spec["steps"]:
            if when > moment:
                break
            case = _step(case, when, status, data, src)
        bawaslu = "Bawaslu Kukar" if spec.get("source") else "Bawaslu Kukar (demo)"
        Step.objects.filter(case=case).update(by_name=bawaslu)
        for status, name in GAKKUMDU_BY.items():
            Step.objects.filter(case=case, status=status).update(by_name=name)
        written += 1
    return written


@transaction.atomic
def load(ctx: dict[str, Any]) -> dict[str, int]:
    from core.demo import current_moment

    return replay(ctx, ctx.get("moment") or current_moment())


@transaction.atomic
def replay(ctx: dict[str, Any], moment: dt.datetime) -> dict[str, int]:
    """The violation cases exactly as they stood at ``moment``: those received by then, each with
    the steps taken by then."""
    election = _election(ctx)
    if election is None:
        return {"cases": 0}
    src = _sources()
    _clear(list(src.values()))
    _calendar(election)
    return {"cases": _cases(election, src, moment)}
