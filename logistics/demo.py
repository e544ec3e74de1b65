"""Kukar's logistics of Pilkada 2024, replayed up to the demo clock's moment.

What KPU Kukar reported (docs/logistics.md, "The demo"): at its rakor of 16 Nov 2024 it planned
distribution to start on 24 Nov (H-3), hardest-to-reach kecamatan first; only delivery to the
KPPS by H-1 is a rule, and boxes reach the TPS on H-1 because a KPPS has no secure storage. So:

- 14-22 Nov: the ballots are sorted and folded; KPU packs the sealed boxes (one per TPS and
  contest, numbered seals) kecamatan by kecamatan in the order they will leave, and plans each
  kecamatan's shipment (its boxes and the booths) once its boxes are packed. On 18 Nov (H-9)
  packing is under way and nothing has left the warehouse in Tenggarong.
- 24 Nov (H-3): the upstream group leaves first (Tabang, Kembang Janggut, Kenohan, Muara Muntai,
  Muara Wis, Kota Bangun), then the coast and the delta; the PPK pass the goods on to their desa.
- 25 Nov (H-2): the middle road kecamatan, Tenggarong last. At noon the upstream PPK hold their
  goods and part of their desa theirs; a boat to a Kenohan desa is overdue; Muara Wis reported a
  wet box (opened before the witnesses: its ballots soaked) and the new ballots are on the river;
  the PPK repacks that box under a new seal when they come. Tabang's air-served desa wait for the
  helicopter.
- 26 Nov (H-1): every PPS hands each TPS its kit.
- 27 Nov (H): after counting each KPPS seals its boxes anew and they come back, TPS -> PPS that
  night, then PPS -> PPK; after
  the PPK recap the PPK send them on to the KPU warehouse.

Every time, route, count and name of a receiver here is Sinergi's illustration of that story
(``SOURCE``, shown on the logistics pages), not KPU's records. ``replay`` writes everything through
the actions, at the time it happened (``core.dates.pinned``), and runs the periodic scan every
hour of the distribution, so the alerts are those the desk would have seen then.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core import dates, statistics
from core.models import AuditEntry, Source, SourceStatus
from core.scoping import subtree_q
from elections.models import Election
from logistics import actions, jobs, rules
from logistics.models import (
    Alert,
    InboundState,
    Item,
    Node,
    NodeLevel,
    Package,
    PackageCondition,
    PackageContent,
    Plan,
    Receipt,
    ReceiptPackage,
    Route,
    Shipment,
    ShipmentPackage,
    ShipmentStatus,
    TransportMode,
)
from regions.models import PollingStation, Region

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
KUKAR = "64.02"
SOURCE_KEY = "sinergi-demo-logistics-kukar-2024"

# The order KPU Kukar sends the kecamatan in: the upstream group, the coast and delta, the middle
# road kecamatan (the rest, in code order), Tenggarong (where the warehouse is) last.
UPSTREAM = ["64.02.12", "64.02.10", "64.02.09", "64.02.01", "64.02.18", "64.02.08"]
COAST = ["64.02.05", "64.02.17", "64.02.04", "64.02.14", "64.02.15", "64.02.13", "64.02.20"]
LAST = "64.02.06"
# Warehouse -> PPK where the default route (by the slowest desa) is wrong: the seats of Tabang and
# Kembang Janggut are reached by road, Muara Muntai by truck then boat, Kenohan and Muara Wis
# (Danau Semayang) by water.
PPK_ROUTES = {
    "64.02.12": (TransportMode.TRUCK, 600),
    "64.02.10": (TransportMode.TRUCK, 420),
    "64.02.09": (TransportMode.LONGBOAT, 300),
    "64.02.01": (TransportMode.LONGBOAT, 360),
    "64.02.18": (TransportMode.LONGBOAT, 360),
    "64.02.08": (TransportMode.TRUCK, 180),
    LAST: (TransportMode.TRUCK, 60),
}
# Legs of some upstream routes (illustrative, like every route here): by truck from the warehouse
# to the landing at Kota Bangun, then by longboat across the lakes and up the Mahakam. Each adds up
# to the route time above, so the story's times stand. kecamatan -> [(mode, from, to, transfer, minutes)]
LANDING = "Dermaga Kota Bangun"
WAREHOUSE_POINT = "Gudang KPU Kukar, Tenggarong"
PPK_LEGS: dict[str, list[tuple[str, str, str, int, int]]] = {
    "64.02.01": [  # Muara Muntai, 6 h
        (TransportMode.TRUCK, WAREHOUSE_POINT, LANDING, 0, 150),
        (TransportMode.LONGBOAT, LANDING, "Dermaga Muara Muntai", 30, 180),
    ],
    "64.02.09": [  # Kenohan, across Danau Semayang, 5 h
        (TransportMode.TRUCK, WAREHOUSE_POINT, LANDING, 0, 150),
        (TransportMode.LONGBOAT, LANDING, "Dermaga Kenohan", 30, 120),
    ],
    "64.02.18": [  # Muara Wis, 6 h
        (TransportMode.TRUCK, WAREHOUSE_POINT, LANDING, 0, 150),
        (TransportMode.LONGBOAT, LANDING, "Dermaga Muara Wis", 30, 180),
    ],
}
# Kenohan's alternative when the lake runs too low for a longboat: by road to Kota Bangun's far
# bank, then by ketinting through the channels (set, not in use: no condition holds in the story).
KENOHAN_LOW_WATER = [
    (TransportMode.TRUCK, WAREHOUSE_POINT, LANDING, 0, 150),
    (TransportMode.KETINTING, LANDING, "Dermaga Kenohan", 30, 240),
]
# Then the last stretch by ketinting up the small rivers: the first river desa of Muara Muntai and
# Muara Wis get a longboat to the river's mouth and a ketinting from there (the same total time).
KETINTING_DESA_PER_KEC = 2
# Tabang's air-served desa: the helicopter's slot and the flight (the route time the desk plans with).
HELICOPTER_MINUTES = 16 * 60
HELICOPTER_LEAVES = (11, 25, 14)  # month, day, hour: after the upstream boats, when the slot comes
OVERDUE_KEC, OVERDUE_DESA = "64.02.09", 2  # Kenohan's third desa: its boat shelters from a storm
OVERDUE_RECEIVED = (11, 25, 15)
WET_KEC = "64.02.18"  # Muara Wis: one TPS's governor box arrives wet
# Packing the sealed boxes, kecamatan by kecamatan in the order they leave: the upstream group is
# packed by 16 Nov, the rest while the 18 Nov rakor meets, Tenggarong by 22 Nov. A kecamatan's
# shipment is planned once its boxes are packed. Seal numbers: one roll per kecamatan.
PACKING_FROM = (11, 14, 9)
PACKING_HOURS = 9  # between one kecamatan's boxes and the next's
SEAL_PREFIX = "KKR-"
SEAL_ROLL = 10_000  # seals per kecamatan roll
COUNTING_SEALS = 900_001  # the new seals the KPPS put on the boxes after counting, in order
REPACK_SEAL = 990_001  # the seal on the wet box once the PPK repacked it with the new ballots

PLAN = {"ppk_due_days": 2, "pps_due_days": 2, "kpps_due_days": 1}  # targets derived back from H-1
SORTING_MINUTES = 60  # a PPK counts its goods in and loads the first desa's
WAVE_MINUTES = 90  # a PPK sends its desa shipments in four waves at most, three boats or trucks at least
WAVES = 4
SCAN_FROM = (11, 24, 0)  # the hourly scans replayed: from the first dispatch to the last receipt on H-1
SCAN_TO = (11, 27, 7)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2024) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WITA)


def uid(*parts: object) -> uuid.UUID:
    """Deterministic client ids: the same scenario writes the same records."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "sinergi-demo/" + "/".join(map(str, parts)))


def source() -> Source:
    src, _ = Source.objects.update_or_create(
        key=SOURCE_KEY,
        defaults={
            "status": SourceStatus.ILLUSTRATIVE,
            "publisher": "Sinergi (demo)",
            "title": "Skenario distribusi logistik Pilkada 2024 di Kutai Kartanegara",
            "as_of": dt.date(2024, 11, 16),
            "note": "Urutan kecamatan dan tanggal mulai (24 November, H-3) mengikuti rencana KPU Kukar; "
            "waktu, rute, jumlah dan kejadian tiap pengiriman dibuat untuk demo, bukan catatan KPU.",
        },
    )
    return src


def delay(key: object, low: int, high: int) -> dt.timedelta:
    """A deterministic few minutes between an expected arrival and the receipt, or between waves."""
    return dt.timedelta(minutes=low + uuid.uuid5(uuid.NAMESPACE_URL, str(key)).int % (high - low + 1))


def next_slot(t: dt.datetime, water: bool) -> dt.datetime:
    """Boats travel by day (07.00-18.00), trucks until 22.00: a later start waits for the morning,
    when the PPK has counted the goods in with the Panwascam."""
    end = 18 if water else 22
    local = t.astimezone(WITA)
    if local.hour >= end:
        day = local.date() + dt.timedelta(days=1)
        return dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=WITA)
    if local.hour < 7:
        return local.replace(hour=7, minute=0)
    return local


class Scenario:
    """The whole story as timed events; ``run(until)`` plays those up to a moment through the actions."""

    def __init__(self, election: Election) -> None:
        self.election = election
        self.items = list(Item.objects.filter(election=election).select_related("contest"))
        nodes = Node.objects.filter(subtree_q("region", KUKAR), election=election).select_related(
            "polling_station", "region"
        )
        self.warehouse = nodes.get(level=NodeLevel.WAREHOUSE, region_id=KUKAR)
        self.ppk = {n.region_id: n for n in nodes.filter(level=NodeLevel.PPK)}
        self.pps = {n.region_id: n for n in nodes.filter(level=NodeLevel.PPS)}
        self.kpps: dict[str, list[Node]] = defaultdict(list)
        for n in nodes.filter(level=NodeLevel.KPPS).order_by("region_id", "polling_station__number"):
            self.kpps[n.region_id].append(n)
        self.events: list[tuple[dt.datetime, int, Callable[[], Any]]] = []
        self.shipments: dict[str, Shipment] = {}
        self.next_counting_seal = COUNTING_SEALS

    # --- what a node needs ---------------------------------------------------------------

    def kit(self, tps: list[Node]) -> dict[Item, int]:
        """The kit of these TPS, summed: each contest's items only where the contest is held."""
        out: dict[Item, int] = defaultdict(int)
        for node in tps:
            t = node.polling_station
            assert t is not None
            for item in self.items:
                if item.contest_id and not node.region_id.startswith(item.contest.region_id):  # type: ignore[union-attr]
                    continue
                out[item] += item.required_for(t.dpt)
        return {i: q for i, q in out.items() if q > 0}

    def loose(self, tps: list[Node]) -> dict[Item, int]:
        """What travels beside the sealed boxes: the booths."""
        return {i: q for i, q in self.kit(tps).items() if i.kind in rules.LOOSE_KINDS}

    def packages(self, code: str) -> list[Package]:
        """The sealed boxes of the TPS in a region, or of one TPS (``code`` "tps:<pk>")."""
        qs = Package.objects.filter(election=self.election).select_related("contest")
        if code.startswith("tps:"):
            return list(qs.filter(polling_station_id=int(code[4:])))
        return list(qs.filter(subtree_q("region", code)))

    def below(self, code: str) -> list[Node]:
        return [k for d in sorted(self.kpps) if d == code or d.startswith(code + ".") for k in self.kpps[d]]

    # --- events ---------------------------------------------------------------------------

    def add(self, when: dt.datetime, fn: Callable[[], Any]) -> None:
        self.events.append((when, len(self.events), fn))

    def ship(
        self,
        key: str,
        origin: Node,
        destination: Node,
        lines: dict[Item, int],
        planned: dt.datetime,
        leaves: dt.datetime,
        is_return: bool = False,
        boxes: str = "",
        new_seals: Callable[[list[Package]], dict[int, str]] | None = None,
    ) -> dt.datetime:
        """Plan at ``planned`` (with the sealed boxes of ``boxes``, a region or "tps:<pk>"),
        dispatch at ``leaves``; returns the expected arrival."""

        def plan() -> None:
            packages = self.packages(boxes) if boxes else []
            self.shipments[key] = actions.create_shipment(
                None,
                self.election,
                origin,
                destination,
                lines,
                is_return=is_return,
                client_id=uid("ship", key),
                packages=packages,
                new_seals=new_seals(packages) if new_seals else None,
            )

        def dispatch() -> None:
            s = self.shipments[key]
            self.shipments[key] = actions.dispatch_shipment(None, s, leaves, s.version)

        self.add(planned, plan)
        self.add(leaves, dispatch)
        route = origin if is_return else destination
        return leaves + dt.timedelta(minutes=route.inbound_minutes)

    def receive(
        self,
        key: str,
        when: dt.datetime,
        receiver: str,
        lines: dict[Item, int] | None,
        note: str = "",
        wet: PollingStation | None = None,
    ) -> dt.datetime:
        """The receipt at ``when``: the loose ``lines`` counted good (None: all the shipment's
        lines, for one without boxes) and every sealed box intact, but for the governor's box of
        ``wet``: opened before the witnesses, its ballots soaked."""

        def record() -> None:
            shipment = self.shipments[key]
            counted = (
                lines if lines is not None else {ln.item: ln.quantity for ln in shipment.lines.select_related("item")}
            )
            reports: dict[int, actions.PackageReport] = {}
            for sp in shipment.packages.select_related("package__contest").prefetch_related("package__contents__item"):
                package = sp.package
                if wet is not None and package.polling_station_id == wet.pk and package.contest.region_id == "64":
                    found = {
                        c.item_id: (0, c.quantity) if c.item.kind == "ballot" else (c.quantity, 0)
                        for c in package.contents.all()
                    }
                    reports[package.pk] = (PackageCondition.WET, found)
                else:
                    reports[package.pk] = (PackageCondition.INTACT, None)
            signed = _signatories(shipment) if reports else {}
            actions.record_receipt(
                None,
                shipment,
                client_id=uid("receipt", key),
                received_at=when,
                receiver=receiver,
                lines={i: (q, 0, 0) for i, q in counted.items()},
                note=note,
                packages=reports,
                supervisor=signed.get("supervisor", ""),
                escort_officer=signed.get("escort_officer", ""),
            )

        self.add(when, record)
        return when

    # --- the story ------------------------------------------------------------------------

    def build(self) -> None:
        middle = sorted(set(self.ppk) - set(UPSTREAM) - set(COAST) - {LAST})
        leaves = {kec: at(11, 24, 5) + dt.timedelta(minutes=30 * i) for i, kec in enumerate(UPSTREAM)}
        leaves |= {kec: at(11, 24, 16) + dt.timedelta(hours=i) for i, kec in enumerate(COAST)}
        leaves |= {kec: at(11, 25, 6) + dt.timedelta(hours=i) for i, kec in enumerate(middle)}
        leaves[LAST] = at(11, 25, 12, 30)
        pps_received: dict[str, dt.datetime] = {}
        for i, kec in enumerate(k for k in UPSTREAM + COAST + middle + [LAST] if k in self.ppk):
            packed = at(*PACKING_FROM) + dt.timedelta(hours=PACKING_HOURS * i)
            self.add(packed, self.pack(kec, i))
            pps_received |= self.kecamatan(kec, packed + dt.timedelta(hours=1), leaves[kec])
        for desa, received in sorted(pps_received.items()):
            self.desa(desa, received)
        self.returns_to_warehouse()

    def pack(self, kec: str, roll: int) -> Callable[[], Any]:
        first = roll * SEAL_ROLL + 1
        return lambda: actions.pack(
            None, self.election, region=self.ppk[kec].region, first_seal=first, seal_prefix=SEAL_PREFIX
        )

    def kecamatan(self, kec: str, planned: dt.datetime, leaves: dt.datetime) -> dict[str, dt.datetime]:
        """Warehouse -> PPK (the sealed boxes and the booths), then PPK -> PPS in waves; returns
        when each PPS received its goods."""
        ppk = self.ppk[kec]
        key = f"ppk/{kec}"
        eta = self.ship(key, self.warehouse, ppk, self.loose(self.below(kec)), planned, leaves, boxes=kec)
        received = eta + delay(key, 15, 45)
        wet, wet_desa, ready = None, "", received
        if kec == WET_KEC:
            wet = self.below(kec)[0].polling_station
            assert wet is not None
            wet_desa = wet.village_id
            ready = self.replacement(key, received)
        self.receive(
            key, received, f"Ketua PPK {ppk.region.name}", self.loose(self.below(kec)), note=_wet_note(wet), wet=wet
        )
        out: dict[str, dt.datetime] = {}
        desa = sorted(d for d in self.pps if d.startswith(kec + ".") and self.kpps.get(d))
        air = [d for d in desa if self.pps[d].inbound_mode == TransportMode.HELICOPTER]
        by_boat_or_road = [d for d in desa if d not in air]
        per_wave = max(3, -(-len(by_boat_or_road) // WAVES))
        for j, code in enumerate(by_boat_or_road):
            node = self.pps[code]
            water = node.inbound_mode in (TransportMode.KETINTING, TransportMode.LONGBOAT, TransportMode.SPEEDBOAT)
            start = ready if code == wet_desa else received
            t = next_slot(start + dt.timedelta(minutes=SORTING_MINUTES), water)
            for _wave in range(j // per_wave):
                t = next_slot(t + dt.timedelta(minutes=WAVE_MINUTES), water)
            # the wet box's desa waits for the new ballots: the PPK repacks that box and seals it anew
            planned = start + dt.timedelta(minutes=30)
            out[code] = self.to_desa(kec, code, planned, t, j, repacked=wet if code == wet_desa else None)
        for code in air:
            out[code] = self.to_desa(kec, code, received + dt.timedelta(minutes=30), at(*HELICOPTER_LEAVES), 0)
        return out

    def replacement(self, key: str, received: dt.datetime) -> dt.datetime:
        """KPU sends the damaged ballots (and a dry box) again from its reserve, by the next
        morning's boat."""
        new = f"{key}/replacement"
        requested = received + dt.timedelta(hours=1)

        def request() -> None:
            s = self.shipments[key]
            s.refresh_from_db()
            self.shipments[new] = actions.request_replacement(None, s, client_id=uid("ship", new))

        self.add(requested, request)
        leaves = next_slot(requested + dt.timedelta(hours=12), water=True)

        def dispatch() -> None:
            s = self.shipments[new]
            self.shipments[new] = actions.dispatch_shipment(None, s, leaves, s.version)

        self.add(leaves, dispatch)
        eta = leaves + dt.timedelta(minutes=self.ppk[WET_KEC].inbound_minutes)
        ppk = self.ppk[WET_KEC]
        return self.receive(new, eta + delay(new, 15, 45), f"Ketua PPK {ppk.region.name}", None)

    def to_desa(
        self,
        kec: str,
        code: str,
        planned: dt.datetime,
        leaves: dt.datetime,
        j: int,
        repacked: PollingStation | None = None,
    ) -> dt.datetime:
        node = self.pps[code]
        key = f"pps/{code}"
        lines = self.loose(self.kpps[code])

        def new_seal(packages: list[Package]) -> dict[int, str]:
            wet = [
                p
                for p in packages
                if repacked is not None and p.polling_station_id == repacked.pk and p.contest.region_id == "64"
            ]
            return {p.pk: actions.seal_label(SEAL_PREFIX, REPACK_SEAL + n) for n, p in enumerate(wet)}

        eta = self.ship(key, self.ppk[kec], node, lines, planned, leaves, boxes=code, new_seals=new_seal)
        received, note = eta + delay(key, 10, 50), ""
        if kec == OVERDUE_KEC and j == OVERDUE_DESA:
            received, note = at(*OVERDUE_RECEIVED), "Perahu berlindung dari badai di Danau Semayang semalam."
        return self.receive(key, received, f"Ketua PPS {node.region.name}", lines, note=note)

    def desa(self, code: str, received: dt.datetime) -> None:
        """PPS -> KPPS on H-1, the boxes back after counting on H, then PPS -> PPK."""
        pps = self.pps[code]
        tps = self.kpps[code]
        start = max(at(11, 26, 7), received + dt.timedelta(hours=1))
        per_slot = max(3, -(-len(tps) // 8))  # every TPS of the desa within four hours
        back: list[dt.datetime] = []
        for k, node in enumerate(tps):
            t = node.polling_station
            assert t is not None
            key = f"kpps/{t.pk}"
            lines = self.loose([node])
            leaves = start + dt.timedelta(minutes=30 * (k // per_slot))
            eta = self.ship(key, pps, node, lines, received + dt.timedelta(minutes=30), leaves, boxes=f"tps:{t.pk}")
            self.receive(key, eta + delay(key, 5, 25), f"Ketua KPPS TPS {t.number}", lines)
            # counting ends between 16.00 and 21.00; the KPPS seals the boxes anew and they go back
            # to the PPS at once
            counted = at(11, 27, 16) + dt.timedelta(minutes=(t.pk * 37) % 300)
            rkey = f"return/kpps/{t.pk}"
            eta = self.ship(
                rkey,
                node,
                pps,
                {},
                counted,
                counted,
                is_return=True,
                boxes=f"tps:{t.pk}",
                new_seals=self.counting_seals,
            )
            back.append(self.receive(rkey, eta + delay(rkey, 5, 25), f"Ketua PPS {pps.region.name}", {}))
        kec = code[:8]
        water = pps.inbound_mode != TransportMode.CAR
        leaves = next_slot(max(back) + dt.timedelta(minutes=30), water)
        rkey = f"return/pps/{code}"
        eta = self.ship(rkey, pps, self.ppk[kec], {}, leaves, leaves, is_return=True, boxes=code)
        self.receive(rkey, eta + delay(rkey, 10, 40), f"Ketua PPK {self.ppk[kec].region.name}", {})

    def counting_seals(self, packages: list[Package]) -> dict[int, str]:
        """The new seals from the TPS's kit, put on after counting (the next numbers of that roll)."""
        out = {}
        for p in sorted(packages, key=lambda p: p.contest_id):
            out[p.pk] = actions.seal_label(SEAL_PREFIX, self.next_counting_seal)
            self.next_counting_seal += 1
        return out

    def returns_to_warehouse(self) -> None:
        """After the PPK recap the boxes go on to the KPU warehouse, one kecamatan an hour."""
        for i, kec in enumerate(sorted(self.ppk)):
            leaves = at(12, 3, 8) + dt.timedelta(hours=i)
            key = f"return/ppk/{kec}"
            eta = self.ship(key, self.ppk[kec], self.warehouse, {}, leaves, leaves, is_return=True, boxes=kec)
            self.receive(key, eta + delay(key, 15, 45), "Gudang KPU Kutai Kartanegara", {})

    def scan_at(self, when: dt.datetime) -> Callable[[], Any]:
        return lambda: actions.scan_risks(self.election, when)

    def run(self, until: dt.datetime) -> int:
        """Play every event up to ``until``, the periodic scan every hour of the distribution and
        once at ``until``. Returns how many events were played."""
        hour, end = at(*SCAN_FROM), at(*SCAN_TO)
        while hour <= end:
            # just before the events of that minute, as the worker would have seen it
            self.add(hour - dt.timedelta(microseconds=1), self.scan_at(hour))
            hour += dt.timedelta(hours=1)
        played = 0
        for when, _seq, fn in sorted(self.events, key=lambda e: (e[0], e[1])):
            if when > until:
                break
            with dates.pinned(when):
                fn()
            played += 1
        with dates.pinned(until):
            actions.scan_risks(self.election, until)
        return played


def _signatories(shipment: Shipment) -> dict[str, str]:
    """Who signs a berita acara beside the receiver (illustrative): Bawaslu's supervisor at the
    receiving level and the police post of the kecamatan the goods travel in."""
    dest = shipment.destination
    supervisor = {
        int(NodeLevel.WAREHOUSE): "Staf Bawaslu Kutai Kartanegara",
        int(NodeLevel.PPK): f"Panwascam {dest.region.name}",
    }
    lower = shipment.origin if shipment.is_return else dest
    return {
        "supervisor": supervisor.get(dest.level, f"PKD {dest.region.name}"),
        "escort_officer": f"Personel Polsek {_region_name(lower.region_id[:8])}",
    }


@functools.lru_cache(maxsize=64)
def _region_name(code: str) -> str:
    return Region.objects.get(code=code).name


def _wet_note(wet: PollingStation | None) -> str:
    return (
        f"Kotak suara gubernur TPS {wet.number} basah terkena air sungai; surat suara di dalamnya rusak." if wet else ""
    )


def demo_election(ctx: dict[str, Any]) -> Election | None:
    """The election the demo loaded: the one in ``ctx``, or the one whose plan names the scenario."""
    if ctx.get("election") is not None:
        return ctx["election"]  # type: ignore[no-any-return]
    plan = Plan.objects.filter(source__key=SOURCE_KEY).select_related("election").first()
    return plan.election if plan else None


@transaction.atomic
def load(ctx: dict[str, Any]) -> dict[str, int]:
    """The plan, catalogue, network and routes of Kukar, then the story up to the demo's moment."""
    election = ctx["election"]
    actions.plan_for(election)
    actions.save_plan(None, election, {**PLAN, "source": source()})
    actions.default_catalogue(election)
    actions.build_network(election, Region.objects.get(code=KUKAR))
    nodes = Node.objects.filter(subtree_q("region", KUKAR), election=election)
    warehouse = nodes.get(level=NodeLevel.WAREHOUSE)
    for kec, (mode, minutes) in PPK_ROUTES.items():
        ppk = nodes.get(level=NodeLevel.PPK, region_id=kec)
        route = Route.objects.get(origin=warehouse, destination=ppk)
        if (route.mode, route.travel_minutes) != (mode, minutes):
            actions.save_route(None, warehouse, ppk, mode, minutes)
    _demo_legs(nodes, warehouse)
    for route in Route.objects.filter(destination__in=nodes.filter(level=NodeLevel.PPS), mode=TransportMode.HELICOPTER):
        if route.travel_minutes != HELICOPTER_MINUTES:
            actions.save_route(None, route.origin, route.destination, route.mode, HELICOPTER_MINUTES)
    return replay(ctx, ctx["moment"])


def _legs(rows: Sequence[tuple[str, str, str, int, int]]) -> list[dict[str, Any]]:
    return [
        {"mode": m, "start_point": a, "end_point": b, "transfer_minutes": wait, "minutes": minutes}
        for m, a, b, wait, minutes in rows
    ]


def _demo_legs(nodes: Any, warehouse: Node) -> None:
    """Multimodal legs on a few upstream routes: truck to the landing, longboat, then ketinting."""
    for kec, rows in PPK_LEGS.items():
        ppk = nodes.get(level=NodeLevel.PPK, region_id=kec)
        alternative = _legs(KENOHAN_LOW_WATER) if kec == "64.02.09" else None
        actions.save_route(None, warehouse, ppk, legs=_legs(rows), alternative=alternative)
    for kec in ("64.02.01", "64.02.18"):
        ppk = nodes.get(level=NodeLevel.PPK, region_id=kec)
        landing = PPK_LEGS[kec][-1][2]
        river = Route.objects.filter(
            origin=ppk, mode=TransportMode.KETINTING, travel_minutes__gte=60, destination__level=NodeLevel.PPS
        ).select_related("destination", "destination__region")
        for route in river.order_by("destination__region_id")[:KETINTING_DESA_PER_KEC]:
            desa, total = route.destination.region.name, route.travel_minutes
            mouth = f"Muara sungai ke {desa}"
            by_ketinting, transfer = total // 3, 15
            rows = [
                (TransportMode.LONGBOAT, landing, mouth, 0, total - by_ketinting - transfer),
                (TransportMode.KETINTING, mouth, f"Dermaga desa {desa}", transfer, by_ketinting),
            ]
            actions.save_route(None, ppk, route.destination, legs=_legs(rows))


@transaction.atomic
def replay(ctx: dict[str, Any], moment: dt.datetime) -> dict[str, int]:
    """Kukar's logistics exactly as they stood at ``moment``: what the scenario had done by then
    and nothing after. Removes the election's Kukar shipments, receipts and alerts (and the audit
    rows of those shipments), resets the nodes and the Supply rows, then plays the story."""
    election = demo_election(ctx)
    if election is None:
        return {"shipments": 0}
    kukar = subtree_q("destination__region", KUKAR)
    shipments = Shipment.objects.filter(kukar, election=election)
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Shipment),
        object_id__in=[str(pk) for pk in shipments.values_list("pk", flat=True)],
    ).delete()
    Alert.objects.filter(subtree_q("node__region", KUKAR), election=election).delete()
    shipments.delete()  # their lines, packages carried, receipts and receipt lines go with them
    packages = Package.objects.filter(subtree_q("region", KUKAR), election=election)
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Package),
        object_id__in=[str(pk) for pk in packages.values_list("pk", flat=True)],
    ).delete()
    packages.delete()  # packed again as the story goes
    Node.objects.filter(subtree_q("region", KUKAR), election=election).update(
        inbound_state=InboundState.NONE, inbound_eta=None
    )
    actions.rebuild_supply(election, region=KUKAR)
    # one follow-up for the whole election: every dispatch and receipt below then finds it pending
    # and adds none of its own (the demo rebuilds the summaries at its end anyway)
    jobs.enqueue_summaries(election, None)
    scenario = Scenario(election)
    scenario.build()
    played = scenario.run(moment)
    # the pages right after a replay count boxes by their last leg: rows written in this still-open
    # transaction are unknown to the planner until analysed (PostgreSQL; see core.statistics)
    statistics.refresh(Package, PackageContent, ShipmentPackage, Shipment, Receipt, ReceiptPackage, Node)
    return {
        "events": played,
        "shipments": Shipment.objects.filter(kukar, election=election).exclude(status=ShipmentStatus.PLANNED).count(),
        "problems": Shipment.objects.filter(kukar, election=election, status=ShipmentStatus.PROBLEM).count(),
    }
