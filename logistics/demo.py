"""Kukar logistics as of 18 Nov 2024 (H-9), the day of the last Kukar rakor.

All 20 kecamatan shipments are dispatched and most have arrived; the upstream river kecamatan
are late, two of them with damaged ballots and one replacement requested; the desa level is
part-way; a few TPS already hold their kit; two air-served desa in Tabang are at risk.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.db import transaction

from core.scoping import subtree_q
from elections.models import Election
from logistics import actions
from logistics.models import Item, Node, NodeLevel, Route, Shipment, ShipmentStatus, TransportMode
from regions.models import Region

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
KUKAR = "64.02"
RIVER = {
    "64.02.12",
    "64.02.10",
    "64.02.18",
    "64.02.01",
    "64.02.09",
}  # Tabang, Kembang Janggut, Muara Wis, M. Muntai, Kenohan
DAMAGED = {"64.02.01": 120, "64.02.09": 45}  # ballots damaged by water on the way upstream
AT_RISK_DESA = 2  # first two air-served desa of Tabang: the helicopter slot comes after H-2


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2024, 11, day, hour, 0, tzinfo=WITA)


def uid(*parts: object) -> uuid.UUID:
    """Deterministic client ids, so loading the demo twice changes nothing."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "sinergi-demo/" + "/".join(map(str, parts)))


def kit(items: list[Item], dpt: int, contest_regions: str, scale: int = 1) -> dict[Item, int]:
    out = {}
    for item in items:
        if item.contest_id and not contest_regions.startswith(item.contest.region_id):  # type: ignore[union-attr]
            continue
        out[item] = item.required_for(dpt) * scale if item.per_voter else item.per_tps * scale
    return {i: q for i, q in out.items() if q > 0}


@transaction.atomic
def load(election: Election) -> dict[str, int]:
    if Shipment.objects.filter(election=election).exists():
        return {"shipments": 0}
    actions.plan_for(election)
    items = actions.default_catalogue(election)
    kukar = Region.objects.get(code=KUKAR)
    actions.build_network(election, kukar)
    # Two air-served desa in Tabang wait for a helicopter slot: 8 days from the PPK.
    tabang_air = list(
        Node.objects.filter(subtree_q("region", "64.02.12"), election=election, level=NodeLevel.PPS).order_by(
            "region_id"
        )[:AT_RISK_DESA]
    )
    for node in tabang_air:
        route = Route.objects.get(destination=node)
        actions.save_route(None, route.origin, node, TransportMode.HELICOPTER, 8 * 24 * 60)
    actions.rebuild_supply(election)

    nodes = Node.objects.filter(election=election).select_related("polling_station")
    warehouse = nodes.get(level=NodeLevel.WAREHOUSE, region_id=KUKAR)
    ppk = {n.region_id: n for n in nodes.filter(level=NodeLevel.PPK)}
    pps = {n.region_id: n for n in nodes.filter(level=NodeLevel.PPS)}
    kpps_by_desa: dict[str, list[Node]] = {}
    for n in nodes.filter(level=NodeLevel.KPPS).order_by("region_id", "name"):
        kpps_by_desa.setdefault(n.region_id, []).append(n)

    def dpt_of(desa_codes: list[str]) -> list[int]:
        return [k.polling_station.dpt for d in desa_codes for k in kpps_by_desa.get(d, []) if k.polling_station]

    def kit_for_tps(dpts: list[int], code: str) -> dict[Item, int]:
        total: dict[Item, int] = {}
        for d in dpts:
            for i, q in kit(items, d, code).items():
                total[i] = total.get(i, 0) + q
        return total

    count = 0
    for i, (kec, node) in enumerate(sorted(ppk.items())):
        desa = sorted(c for c in pps if c.startswith(kec + "."))
        lines = kit_for_tps(dpt_of(desa), kec)
        s = actions.create_shipment(None, election, warehouse, node, lines, client_id=uid("ppk", kec))
        river = kec in RIVER
        s = actions.dispatch_shipment(None, s, at(16 if river else 11, 7 + i % 5), s.version)
        count += 1
        if river and kec not in DAMAGED:
            continue  # still on the river
        received_at = at(18 if river else 13, 9 + i % 6)
        damaged = DAMAGED.get(kec, 0)
        counts = {item: (q, 0, 0) for item, q in lines.items()}
        if damaged:
            ballot = next(item for item in lines if item.kind == "ballot" and item.contest_id)
            counts[ballot] = (lines[ballot] - damaged, damaged, 0)
        actions.record_receipt(
            None,
            s,
            client_id=uid("receipt", kec),
            received_at=received_at,
            receiver=f"Ketua PPK {node.region.name}",
            lines=counts,
        )
        if kec == "64.02.01":
            s.refresh_from_db()
            actions.request_replacement(None, s, client_id=uid("replacement", kec))
            count += 1
        if river:
            continue
        # The desa level: road kecamatan have sent to about half their desa, a third received.
        for j, d in enumerate(desa):
            if j % 2:
                continue
            d_lines = kit_for_tps(dpt_of([d]), d)
            ds = actions.create_shipment(None, election, node, pps[d], d_lines, client_id=uid("pps", d))
            ds = actions.dispatch_shipment(None, ds, at(15, 8 + j % 8), ds.version)
            count += 1
            if j % 3:
                continue
            actions.record_receipt(
                None,
                ds,
                client_id=uid("receipt", d),
                received_at=at(16, 10 + j % 6),
                receiver=f"Ketua PPS {pps[d].region.name}",
                lines={item: (q, 0, 0) for item, q in d_lines.items()},
            )
            # ... and a few PPS have already handed the kit to their first TPS
            first = kpps_by_desa.get(d, [])[:1]
            for k in first:
                assert k.polling_station is not None
                k_lines = kit(items, k.polling_station.dpt, d)
                ks = actions.create_shipment(None, election, pps[d], k, k_lines, client_id=uid("kpps", k.pk))
                ks = actions.dispatch_shipment(None, ks, at(17, 8), ks.version)
                actions.record_receipt(
                    None,
                    ks,
                    client_id=uid("receipt-kpps", k.pk),
                    received_at=at(17, 11),
                    receiver=f"Ketua KPPS TPS {k.polling_station.number}",
                    lines={item: (q, 0, 0) for item, q in k_lines.items()},
                )
                count += 1
    actions.scan_risks(election, at(18, 12))
    return {
        "shipments": count,
        "problems": Shipment.objects.filter(election=election, status=ShipmentStatus.PROBLEM).count(),
    }
