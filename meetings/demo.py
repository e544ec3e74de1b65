"""The demo's meetings: the five rakor of 2024 reported in the press (FACTS.md), with attendance,
decisions and action items, and a few readiness items, replayed up to the demo's moment.

What the published reports state -- date, venue, who chaired, who came, what was discussed, the
figures quoted -- is labelled with the meeting's source (official: a public report of the
meeting). The detail no report gives -- the wording of decisions, the action items, their due
dates and when each was done, the readiness items -- is invented for the demo and labelled
illustrative. Nothing exists before it happened: a meeting appears from its start, an action is
done only from the moment it was done.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation

from agencies.models import Agency
from core import dates
from core.demo import MOMENTS
from core.models import AuditEntry, Source, SourceStatus
from core.registry import registry
from elections.models import Election
from meetings import actions, reminders, report
from meetings.models import ActionItem, Attendance, Decision, Meeting, MeetingKind, ReadinessItem, ReportSnapshot
from regions.models import Region

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
DETAIL_KEY = "demo-rakor-2024-detail"
PROV, KUKAR = "64", "64.02"
DESK_KALTIM = "Desk Pilkada Provinsi Kalimantan Timur"
DESK_KUKAR = "Desk Pilkada Kabupaten Kutai Kartanegara"
KPU_KUKAR = "KPU Kabupaten Kutai Kartanegara"
BAWASLU_KUKAR = "Bawaslu Kabupaten Kutai Kartanegara"
POLRES_KUKAR = "Polres Kutai Kartanegara"
KODIM_KUKAR = "Kodim 0906/Kutai Kartanegara"
SEBULU = "Kecamatan Sebulu"


RAKOR_18_NOV = "demo-rakor-2024-11-18"
DESK_LOGIN = "desk.kukar"  # the Kukar Desk admin of the demo's logins (agencies/demo.py)


def at(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=WITA)


# (key, kind, title, region, organiser, chair, start, venue, agenda, minutes, publisher, with election,
#  attendance [(agency, status, people)], decisions [(text, [(title, owner, due, done_at or None, region)])])
MEETINGS: list[dict[str, Any]] = [
    {
        "key": "demo-rakor-2024-02-06",
        "title": "Rakor Forkopimda Kaltim menjelang Pemilu 2024",
        "region": PROV,
        "organiser": DESK_KALTIM,
        "chair": "Pj Gubernur Kalimantan Timur",
        "start": at(2024, 2, 6, 10),
        "venue": "Novotel Balikpapan",
        "agenda": "Kesiapan pengamanan dan logistik delapan hari sebelum pemungutan suara Pemilu 14 Februari 2024.",
        "minutes": "Sumber mencetak \u201cSelasa 6 Januari 2024\u201d; \u201cdelapan hari sebelum Pemilu\u201d "
        "dan hari Selasa "
        "menunjuk 6 Februari 2024, tanggal yang dipakai di sini.",
        "publisher": "Pemprov Kaltim (diberitakan media)",
        "election": False,
        "attendance": [
            ("Polda Kalimantan Timur", "present", ""),
            ("KPU Provinsi Kalimantan Timur", "present", ""),
            ("Bawaslu Provinsi Kalimantan Timur", "present", ""),
        ],
        "decisions": [],
    },
    {
        "key": "demo-rakor-2024-09-03",
        "title": "Rakor lintas sektor Pilkada Kukar 2024",
        "region": KUKAR,
        "organiser": DESK_KUKAR,
        "chair": "Sekda Sunggono, mewakili Bupati Kutai Kartanegara",
        "start": at(2024, 9, 3),
        "venue": "Gedung Putri Karang Melenu, Tenggarong Seberang",
        "agenda": "Hibah Pilkada Rp 103,66 miliar; peran camat, lurah dan kepala desa mengantisipasi kerawanan.",
        "minutes": "",
        "publisher": "Pemkab Kukar (diberitakan media)",
        "election": True,
        "attendance": [
            (POLRES_KUKAR, "present", "Kapolres AKBP Heri Rusyaman"),
            (KODIM_KUKAR, "present", "Dandim 0906/Kukar"),
            (KPU_KUKAR, "present", ""),
            (BAWASLU_KUKAR, "present", ""),
            (SEBULU, "present", "Camat Sebulu"),
        ],
        "decisions": [
            (
                "Camat, lurah dan kepala desa memetakan dan mengantisipasi kerawanan di wilayahnya.",
                [
                    (
                        "Petakan potensi kerawanan di Kecamatan Sebulu",
                        SEBULU,
                        dt.date(2024, 9, 30),
                        at(2024, 9, 27, 15),
                        "64.02.07",
                    )
                ],
            ),
            (
                "Penerima hibah melaporkan penggunaan dana hibah tepat waktu.",
                [
                    (
                        "Laporan penggunaan hibah tahap kedua",
                        KPU_KUKAR,
                        dt.date(2024, 10, 31),
                        at(2024, 10, 30, 14),
                        KUKAR,
                    )
                ],
            ),
        ],
    },
    {
        "key": "demo-rakor-2024-11-09",
        "title": "Rakor integritas Pilkada Kukar bersama Bawaslu",
        "region": KUKAR,
        "organiser": DESK_KUKAR,
        "chair": "Pemkab Kukar dan Bawaslu Kukar",
        "start": at(2024, 11, 9),
        "venue": "Hotel Grand Elty Singgasana, Tenggarong",
        "agenda": "Netralitas ASN; 11 kasus pelanggaran Pilkada yang dicatat Bawaslu Kukar; "
        "18 hari menjelang pemungutan suara.",
        "minutes": "",
        "publisher": "Pemkab Kukar dan Bawaslu Kukar (diberitakan media)",
        "election": True,
        "attendance": [(BAWASLU_KUKAR, "present", ""), (KPU_KUKAR, "present", ""), (POLRES_KUKAR, "absent", "")],
        "decisions": [
            (
                "Pemkab mengingatkan seluruh ASN untuk netral.",
                [
                    (
                        "Edaran netralitas ASN ke seluruh perangkat daerah",
                        DESK_KUKAR,
                        dt.date(2024, 11, 12),
                        at(2024, 11, 11, 10),
                        KUKAR,
                    )
                ],
            ),
            (
                "Bawaslu menyampaikan perkembangan penanganan pelanggaran di rakor berikutnya.",
                [
                    (
                        "Rekap 11 kasus pelanggaran untuk rakor berikutnya",
                        BAWASLU_KUKAR,
                        dt.date(2024, 11, 16),
                        at(2024, 11, 22, 16),
                        KUKAR,
                    )
                ],
            ),
        ],
    },
    {
        "key": "demo-rakor-2024-11-13",
        "title": "Rakor Forkopimda Kaltim dan tim pemantau politik daerah",
        "region": PROV,
        "organiser": DESK_KALTIM,
        "chair": "Sekretaris Provinsi Kalimantan Timur",
        "start": at(2024, 11, 13),
        "venue": "Novotel Balikpapan",
        "agenda": "Status logistik terbaru dan kendala di beberapa daerah; "
        "distribusi ke setiap desa sebelum 27 November 2024.",
        "minutes": "\u201cDi setiap rapat, Desk Pilkada harus menyampaikan informasi terbaru persiapan logistik "
        "dan masalah lainnya.\u201d",
        "publisher": "Pemprov Kaltim (diberitakan media)",
        "election": True,
        "attendance": [
            ("Polda Kalimantan Timur", "present", ""),
            ("KPU Provinsi Kalimantan Timur", "present", ""),
            (DESK_KUKAR, "represented", "Kabag Pemerintahan Setkab Kukar"),
        ],
        "decisions": [
            (
                "Desk Pilkada menyampaikan status logistik terbaru di setiap rapat.",
                [
                    (
                        "Laporan status logistik ke kecamatan hulu",
                        KPU_KUKAR,
                        dt.date(2024, 11, 16),
                        at(2024, 11, 24, 11),
                        KUKAR,
                    ),
                    (
                        "Status logistik Kukar di rakor Pjs Bupati",
                        DESK_KUKAR,
                        dt.date(2024, 11, 18),
                        at(2024, 11, 18, 10),
                        KUKAR,
                    ),
                ],
            ),
        ],
    },
    {
        "key": "demo-rakor-2024-11-18",
        "title": "Rakor Pjs Bupati Kukar: kesiapan akhir Pilkada",
        "region": KUKAR,
        "organiser": DESK_KUKAR,
        "chair": "Pjs Bupati Kutai Kartanegara",
        "start": at(2024, 11, 18),
        "venue": "Pendopo Wakil Bupati, Tenggarong",
        "agenda": "Partisipasi yang rendah di pemilihan lalu dan target nasional 77,5%; "
        "logistik ke daerah terpencil; keamanan.",
        "minutes": "",
        "publisher": "Pemkab Kukar (diberitakan media)",
        "election": True,
        "attendance": [
            (KPU_KUKAR, "present", ""),
            (BAWASLU_KUKAR, "present", ""),
            (POLRES_KUKAR, "present", ""),
            (KODIM_KUKAR, "represented", "Pasi Ops Kodim 0906"),
            (SEBULU, "present", "Camat Sebulu"),
        ],
        "decisions": [
            (
                "Pengawalan distribusi logistik ke kecamatan hulu oleh Polres dan Kodim.",
                [
                    (
                        "Rencana pengawalan ke Tabang, Kembang Janggut dan Kenohan",
                        POLRES_KUKAR,
                        dt.date(2024, 11, 22),
                        at(2024, 11, 23, 9),
                        KUKAR,
                    ),
                    (
                        "Logistik tiba di PPS paling lambat H-1 (26 November)",
                        KPU_KUKAR,
                        dt.date(2024, 11, 26),
                        at(2024, 11, 26, 17),
                        KUKAR,
                    ),
                ],
            ),
            (
                "Sosialisasi partisipasi pemilih menuju target 77,5%.",
                [("Sosialisasi partisipasi di desa-desa Sebulu", SEBULU, dt.date(2024, 11, 25), None, "64.02.07")],
            ),
        ],
    },
]

READINESS_SET = at(2024, 10, 1)  # when the Desk set the readiness checklist
REPORT_AT = at(2024, 11, 18, 9, 30)  # the report presented at the Kukar rakor
# The report reads the logistics too, which their own replay (run before this one) has already
# brought to the moment shown. Up to the demo's 18 Nov moment those still stand as at 09.30 (the
# plans are made on 16 Nov, nothing leaves the warehouse before 24 Nov), so the report is generated
# only on a replay to a moment from REPORT_AT to this one; a later replay keeps the report it finds
# and never makes one from its own moment's figures.
REPORT_TRUE_UNTIL = MOMENTS[0][0]

# Readiness items (illustrative): (title, owner, due, ready at or None, evidence)
READINESS = [
    ("Gudang logistik siap", KPU_KUKAR, dt.date(2024, 11, 1), at(2024, 10, 30, 10), "Berita acara kesiapan gudang"),
    (
        "Sortir dan pelipatan surat suara selesai",
        KPU_KUKAR,
        dt.date(2024, 11, 5),
        at(2024, 11, 5, 17),
        "567.000 surat suara disortir 1-5 November",
    ),
    ("KPPS dilantik", KPU_KUKAR, dt.date(2024, 11, 15), at(2024, 11, 20, 10), "Berita acara pelantikan KPPS"),
    (
        "Personel pengamanan TPS terdata",
        POLRES_KUKAR,
        dt.date(2024, 11, 15),
        at(2024, 11, 25, 8),
        "550 personel, 1.301 TPS",
    ),
    (
        "Rute distribusi sungai disurvei",
        POLRES_KUKAR,
        dt.date(2024, 11, 20),
        at(2024, 11, 21, 12),
        "Laporan survei rute",
    ),
    (
        "Data TPS rawan diserahkan ke Polres",
        BAWASLU_KUKAR,
        dt.date(2024, 11, 16),
        at(2024, 11, 16, 15),
        "Pemetaan 10-15 November",
    ),
]


def _sources() -> tuple[dict[str, Source], Source]:
    official = {}
    for m in MEETINGS:
        official[m["key"]], _ = Source.objects.update_or_create(
            key=m["key"],
            defaults={
                "status": SourceStatus.OFFICIAL,
                "publisher": m["publisher"],
                "title": m["title"],
                "as_of": m["start"].date(),
                "note": "Tanggal, tempat, pimpinan, yang hadir dan pokok bahasan dari pemberitaan; rumusan keputusan "
                "dan tindak lanjut dibuat untuk demo.",
            },
        )
    detail, _ = Source.objects.update_or_create(
        key=DETAIL_KEY,
        defaults={
            "status": SourceStatus.ILLUSTRATIVE,
            "publisher": "Sinergi (demo)",
            "title": "Tindak lanjut rakor dan butir kesiapan Pilkada 2024 di Kutai Kartanegara",
            "as_of": dt.date(2024, 9, 3),
            "note": "Tindak lanjut, tenggat, tanggal selesai dan butir kesiapan dibuat untuk demo, "
            "bukan catatan resmi.",
        },
    )
    return official, detail


def _election(ctx: dict[str, Any]) -> Election | None:
    if ctx.get("election") is not None:
        return ctx["election"]  # type: ignore[no-any-return]
    return Election.objects.filter(region_id=PROV, voting_date=dt.date(2024, 11, 27)).first()


def _ids(official: dict[str, Source], detail: Source) -> dict[str, Any]:
    """The ids the previous replay gave the demo's records, and the report kept then: the next
    replay writes the same records under the same ids, so a page open on one, or a link inside the
    kept report, still leads to it after the clock moves."""
    meetings = Meeting.objects.filter(source__in=list(official.values()))
    keys = {s.pk: key for key, s in official.items()}
    return {
        "meetings": {keys[src]: pk for pk, src in meetings.values_list("pk", "source_id")},
        "actions": dict(ActionItem.objects.filter(source=detail).values_list("title", "pk")),
        "readiness": dict(ReadinessItem.objects.filter(source=detail).values_list("title", "pk")),
        "report": ReportSnapshot.objects.filter(meeting__source=official[RAKOR_18_NOV]).order_by("pk").first(),
    }


def _clear(official: dict[str, Source], detail: Source) -> None:
    meetings = Meeting.objects.filter(source__in=list(official.values()))
    doomed: list[tuple[type, list[int]]] = [
        (Meeting, list(meetings.values_list("pk", flat=True))),
        (Attendance, list(Attendance.objects.filter(meeting__in=meetings).values_list("pk", flat=True))),
        (Decision, list(Decision.objects.filter(meeting__in=meetings).values_list("pk", flat=True))),
        (ActionItem, list(ActionItem.objects.filter(decision__meeting__in=meetings).values_list("pk", flat=True))),
        (ReportSnapshot, list(ReportSnapshot.objects.filter(meeting__in=meetings).values_list("pk", flat=True))),
        (ReadinessItem, list(ReadinessItem.objects.filter(source=detail).values_list("pk", flat=True))),
    ]
    for model, pks in doomed:
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks]
        ).delete()
    meetings.delete()
    ReadinessItem.objects.filter(source=detail).delete()


@transaction.atomic
def replay(ctx: dict[str, Any], moment: dt.datetime) -> dict[str, int]:
    """The meetings, actions, readiness and kept report exactly as they stood at ``moment``: every
    event up to it, in the order they happened, each written at its own time."""
    election = _election(ctx)
    agencies = {a.name: a for a in Agency.objects.all()}
    official, detail = _sources()
    ids = _ids(official, detail)
    _clear(official, detail)
    if DESK_KUKAR not in agencies:
        return {"meetings": 0}
    regions = {r.code: r for r in Region.objects.filter(code__in=[PROV, KUKAR, "64.02.07"])}
    items: dict[str, Any] = {}
    events: list[tuple[dt.datetime, Callable[[], Any]]] = []

    def hold(m: dict[str, Any]) -> None:
        meeting = actions.create_meeting(
            None,
            {
                "kind": MeetingKind.RAKOR,
                "title": m["title"],
                "election": election if m["election"] else None,
                "region": regions[m["region"]],
                "organiser": agencies[m["organiser"]],
                "chair": m["chair"],
                "starts_at": m["start"],
                "venue": m["venue"],
                "agenda": m["agenda"],
                "minutes": m["minutes"],
                "source": official[m["key"]],
            }
            | _same_id(ids["meetings"], m["key"]),
            [agencies[name] for name, _s, _p in m["attendance"]],
        )
        for name, status, people in m["attendance"]:
            represented = status == "represented"
            actions.record_attendance(
                None,
                meeting,
                agencies[name],
                status,
                people="" if represented else people,
                represented_by=people if represented else "",
            )
        for text, rows in m["decisions"]:
            decision = actions.add_decision(None, meeting, text)
            for title, owner, due, _done, region in rows:
                data = {
                    "title": title,
                    "owner": agencies[owner],
                    "due": due,
                    "region": regions[region],
                    "source": detail,
                }
                items[title] = actions.add_action(None, decision, data | _same_id(ids["actions"], title))

    def close(title: str) -> None:
        item = ActionItem.objects.get(pk=items[title].pk)
        actions.set_action_status(None, item, "done", "", item.version)

    def add_ready(data: dict[str, Any]) -> None:
        items[data["title"]] = actions.create_readiness_item(None, data | _same_id(ids["readiness"], data["title"]))

    def ready(title: str, evidence: str) -> None:
        item = ReadinessItem.objects.get(pk=items[title].pk)
        actions.set_readiness(None, item, "ready", evidence, item.version)

    for m in MEETINGS:
        events.append((m["start"], partial(hold, m)))
        for _text, rows in m["decisions"]:
            for title, _owner, _due, done_at, _region in rows:
                if done_at is not None:
                    events.append((done_at, partial(close, title)))
    if election is not None:
        for title, owner, due, ready_at, evidence in READINESS:
            data = {"election": election, "region": regions[KUKAR], "owner": agencies[owner], "title": title}
            events.append((READINESS_SET, partial(add_ready, data | {"due": due, "source": detail})))
            if ready_at is not None:
                events.append((ready_at, partial(ready, title, evidence)))
        kept, fresh = ids["report"], REPORT_AT <= moment <= REPORT_TRUE_UNTIL
        events.append((REPORT_AT, partial(keep_report, election, regions[KUKAR], official[RAKOR_18_NOV], kept, fresh)))
    made = 0
    for when, event in sorted(events, key=lambda e: e[0]):
        if when > moment:
            break
        with dates.pinned(when):
            event()
        made += 1
    with dates.pinned(moment):  # the reminders the periodic job would have raised by then
        reminders.send(moment)
    return {"events": made, "meetings": Meeting.objects.filter(source__in=list(official.values())).count()}


def _same_id(previous: dict[str, int], key: str) -> dict[str, int]:
    return {"id": previous[key]} if key in previous else {}


def keep_report(
    election: Election,
    region: Region,
    source: Source,
    kept: ReportSnapshot | None = None,
    fresh: bool = True,
) -> ReportSnapshot | None:
    """The situation report the Kukar Desk presented at the 18 Nov 2024 rakor, kept with the meeting.

    The report a previous replay kept is written again as it was (its data, time and id); else,
    when ``fresh`` (the data stand as they did at 09.30), it is generated from them, the figures
    brought up to date first; else there is none (a report made now would show this moment's
    figures under 09.30's name)."""
    desk = get_user_model().objects.filter(username=DESK_LOGIN, is_active=True).first()
    meeting = Meeting.objects.filter(source=source).first()
    if desk is None or meeting is None:
        return None
    if kept is not None:
        return actions.store_snapshot(desk, meeting, election, region, kept.at, kept.data, pk=kept.pk)
    if not fresh:
        return None
    for builder in registry.summaries:
        builder.rebuild()
    request = HttpRequest()
    request.method, request.path = "GET", f"/meetings/report/{region.code}/"
    request.user = desk
    with translation.override("id"):
        data = report.build(request, election, region)
        return actions.store_snapshot(desk, meeting, election, region, data["at"], report.rendered(request, data))


def load(ctx: dict[str, Any]) -> dict[str, int]:
    from core.demo import current_moment

    return replay(ctx, ctx.get("moment") or current_moment())
