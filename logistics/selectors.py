"""Read-side logistics: progress per region and item, stock at a node, nodes at risk."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest, Substr

from core import formats
from core.scoping import subtree_q
from elections.models import Election
from logistics import rules
from logistics.models import (
    SENT,
    Alert,
    Escort,
    FieldReport,
    InboundState,
    Item,
    Node,
    NodeLevel,
    Package,
    PackageCondition,
    PackageContent,
    Plan,
    Receipt,
    ReceiptLine,
    ReceiptPackage,
    ReceiptPackageContent,
    Route,
    Shipment,
    ShipmentLine,
    ShipmentPackage,
    ShipmentStatus,
    StockEntry,
    StockKind,
    Supervision,
    Supply,
    TransportMode,
)
from regions.models import Region, RegionSummary
from regions.selectors import CODE_LENGTH


def plan_of(election: Election) -> Plan:
    """The election's logistics plan; an unsaved default one when none was set (a read writes nothing)."""
    return Plan.objects.filter(election=election).first() or Plan(election=election)


def due(election: Election, plan: Plan, level: int) -> dt.datetime | None:
    """The deadline for goods to reach a node of ``level`` (None above the kecamatan)."""
    field = rules.LEVEL_DUE_FIELD.get(level)  # type: ignore[call-overload]
    if field is None:
        return None
    return rules.deadline(election.voting_date, getattr(plan, field), election.timezone)


def plan_milestones(election: Election, plan: Plan) -> dict[str, Any]:
    """What the plan means in dates: the deadline of each level in the election's zone, the
    earliest a kit should reach a TPS, the safety margin kept before a node's due time and how
    long each kind of transport may run late, per kind of transport."""
    from django.utils.translation import gettext as _

    levels = [
        {"level": NodeLevel(level), "days": getattr(plan, field), "due": due(election, plan, level)}
        for level, field in rules.LEVEL_DUE_FIELD.items()
    ]
    modes = [(_("by road"), "road"), (_("by water"), "water"), (_("by air"), "air")]
    return {
        "levels": levels,
        "custody_from": rules.custody_from(election.voting_date, plan, election.timezone),
        "tolerances": [{"mode": m, "minutes": getattr(plan, f"overdue_{k}_minutes")} for m, k in modes],
        "buffers": [{"mode": m, "minutes": getattr(plan, f"buffer_{k}_minutes")} for m, k in modes],
    }


def progress(supplies: QuerySet[Supply], election: Election, region: Region | None) -> list[dict[str, Any]]:
    """Per item over the TPS of ``region``: required, dispatched, received, damaged, missing,
    shortfall, and how many TPS are fully supplied (good goods >= required)."""
    qs = supplies.filter(election=election)
    if region is not None:
        qs = qs.filter(subtree_q("region", region.code))
    rows = (
        qs.values("item_id")
        .annotate(
            tps=Count("id"),
            supplied=Count("id", filter=Q(received__gte=F("required"))),
            # aliases differ from the column names: an alias would shadow the column in F()
            required_sum=Coalesce(Sum("required"), 0),
            dispatched_sum=Coalesce(Sum("dispatched"), 0),
            received_sum=Coalesce(Sum("received"), 0),
            damaged_sum=Coalesce(Sum("damaged"), 0),
            missing_sum=Coalesce(Sum("missing"), 0),
            shortfall=Coalesce(Sum(Greatest(F("required") - F("received"), 0)), 0),
        )
        .order_by()
    )
    items = {i.pk: i for i in Item.objects.filter(election=election)}
    out = []
    for r in rows:
        for key in ("required", "dispatched", "received", "damaged", "missing"):
            r[key] = r.pop(key + "_sum")
        r["item"] = items[r["item_id"]]
        r["percent"] = round(100.0 * r["supplied"] / r["tps"], 1) if r["tps"] else 0.0
        out.append(r)
    out.sort(key=lambda r: (r["item"].order, r["item"].code))
    return out


def progress_by_child(supplies: QuerySet[Supply], election: Election, region: Region) -> dict[str, dict[str, Any]]:
    """Per child region: TPS with every item supplied, as a share, for the map."""
    from django.db.models.functions import Substr

    from regions.selectors import CODE_LENGTH

    if region.level >= 4:
        return {}
    n = CODE_LENGTH[region.level + 1]
    rows = (
        supplies.filter(election=election)
        .filter(subtree_q("region", region.code))
        .annotate(child=Substr("region_id", 1, n))
        .values("child")
        .annotate(
            lines=Count("id"),
            ok=Count("id", filter=Q(received__gte=F("required"))),
            required_sum=Sum("required"),
            received_sum=Sum("received"),
        )
        .order_by()
    )
    return {
        r["child"]: {
            "percent": round(100.0 * r["ok"] / r["lines"], 1) if r["lines"] else 0.0,
            "required": r["required_sum"],
            "received": r["received_sum"],
        }
        for r in rows
    }


def level_progress(nodes: QuerySet[Node], election: Election, region: Region | None) -> list[dict[str, Any]]:
    """Per level of the chain: how many nodes have goods on the way or received."""
    qs = nodes.filter(election=election)
    if region is not None:
        qs = qs.filter(subtree_q("region", region.code))
    rows = (
        qs.exclude(level=NodeLevel.WAREHOUSE)
        .values("level")
        .annotate(
            total=Count("id"),
            dispatched=Count("id", filter=~Q(inbound_state=InboundState.NONE)),
            received=Count("id", filter=Q(inbound_state=InboundState.RECEIVED)),
        )
        .order_by("level")
    )
    labels = dict(NodeLevel.choices)
    return [
        {
            **r,
            "label": labels[r["level"]],
            "percent": round(100.0 * r["received"] / r["total"], 1) if r["total"] else 0.0,
        }
        for r in rows
    ]


def _at_risk_querysets(
    election: Election, region: Region | None, now: dt.datetime, nodes: QuerySet[Node] | None
) -> Iterator[tuple[str, QuerySet[Node]]]:
    """Per level: ("late", ...) nodes whose goods on the way arrive after the node's due time, and
    ("idle", ...) nodes with nothing sent whose latest safe dispatch has passed (``logistics.targets``)."""
    qs = (nodes if nodes is not None else Node.objects.all()).filter(election=election)
    if region is not None:
        qs = qs.filter(subtree_q("region", region.code))
    for level in (NodeLevel.PPK, NodeLevel.PPS, NodeLevel.KPPS):
        at_level = qs.filter(level=level)
        yield "late", at_level.filter(inbound_state=InboundState.ON_THE_WAY, inbound_eta__gt=F("due_at"))
        yield "idle", at_level.filter(inbound_state=InboundState.NONE, inbound_depart_by__lt=now)


def at_risk_nodes(
    election: Election, region: Region | None, now: dt.datetime, nodes: QuerySet[Node] | None = None
) -> Iterator[tuple[Node, str]]:
    """Nodes that will likely miss their due time, with the reason in words: how late, by when
    goods had to leave, the due time in the election's zone — the deadline at a TPS, a target
    derived from it above."""
    from django.utils.translation import gettext as _

    for kind, qs in _at_risk_querysets(election, region, now, nodes):
        # the TPS of a KPPS comes along: the page says how many voters wait below each node
        for node in qs.select_related("region", "polling_station").order_by("region_id", "name"):
            assert node.due_at is not None  # both queries compare with it
            due = formats.moment(node.due_at, election.timezone)
            what = (_("the deadline of %(due)s") if node.level == NodeLevel.KPPS else _("its target of %(due)s")) % {
                "due": due
            }
            if kind == "late":
                assert node.inbound_eta is not None  # the "late" query asks for goods on the way
                reason = _("expected %(late)s after %(what)s") % {
                    "late": formats.duration(node.inbound_eta - node.due_at),
                    "what": what,
                }
            elif node.inbound_depart_by == rules.NO_SAFE_DISPATCH:
                reason = _("nothing dispatched yet; no scheduled departure of its route arrives by %(what)s") % {
                    "what": what
                }
            elif now < node.due_at:
                assert node.inbound_depart_by is not None
                reason = _(
                    "nothing dispatched yet; to arrive by %(what)s it had to leave by %(by)s "
                    "(%(route)s on the way and the safety margin)"
                ) % {
                    "what": what,
                    "by": formats.moment(node.inbound_depart_by, election.timezone),
                    "route": formats.duration(node.inbound_minutes),
                }
            else:
                reason = _("nothing dispatched yet; %(late)s past %(what)s") % {
                    "late": formats.duration(now - node.due_at),
                    "what": what,
                }
            yield node, reason


def route_conditions(
    election: Election, region: Region | None, routes: QuerySet[Route] | None = None
) -> QuerySet[Route]:
    """Routes below ``region`` marked affected by flood, low water or rapids, the longest-standing first."""
    qs = (routes if routes is not None else Route.objects.all()).filter(destination__election=election)
    qs = qs.exclude(condition="")
    if region is not None:
        qs = qs.filter(subtree_q("destination__region", region.code))
    return qs.select_related("origin", "destination").prefetch_related("legs").order_by("condition_since", "id")


def risk_count(election: Election, region: Region | None, now: dt.datetime, nodes: QuerySet[Node] | None = None) -> int:
    return sum(qs.count() for _kind, qs in _at_risk_querysets(election, region, now, nodes))


def node_stock(node: Node) -> list[dict[str, Any]]:
    """Stock derived from the records: good goods received in, minus goods sent on."""
    inbound = (
        ReceiptLine.objects.filter(receipt__shipment__destination=node)
        .values("item_id")
        .annotate(good=Sum("received"), damaged=Sum("damaged"), missing=Sum("missing"))
    )
    outbound = (
        ShipmentLine.objects.filter(shipment__origin=node, shipment__status__in=SENT)
        .values("item_id")
        .annotate(q=Sum("quantity"))
    )
    stock: dict[int, dict[str, int]] = {}
    for r in inbound:
        stock.setdefault(r["item_id"], {"in": 0, "out": 0, "damaged": 0, "missing": 0})
        stock[r["item_id"]].update({"in": r["good"], "damaged": r["damaged"], "missing": r["missing"]})
    for r in outbound:
        stock.setdefault(r["item_id"], {"in": 0, "out": 0, "damaged": 0, "missing": 0})["out"] = r["q"]
    required = {s.item_id: s.required for s in Supply.objects.filter(node=node)}
    items = {i.pk: i for i in Item.objects.filter(pk__in=set(stock) | set(required))}
    out = []
    for pk, item in sorted(items.items(), key=lambda kv: (kv[1].order, kv[1].code)):
        s = stock.get(pk, {"in": 0, "out": 0, "damaged": 0, "missing": 0})
        on_hand = s["in"] - s["out"]
        need = required.get(pk)
        out.append(
            {
                "item": item,
                **s,
                "on_hand": on_hand,
                "required": need,
                "shortfall": max(0, need - on_hand) if need is not None else None,
            }
        )
    return out


def monitored_children(election: Election, region: Region) -> set[str]:
    """Codes of ``region``'s children with a distribution network in Sinergi (any node at all),
    whoever is asking: the page names the others as not monitored rather than hiding them."""
    if region.level >= 4:
        return set()
    n = CODE_LENGTH[region.level + 1]
    rows = (
        Node.objects.filter(election=election)
        .filter(subtree_q("region", region.code))
        .annotate(child=Substr("region_id", 1, n))
        .values_list("child", flat=True)
        .distinct()
    )
    return {c for c in rows if len(c) == n}


# --- overdue shipments ("no news") ----------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    """A shipment on its way down with no receipt past its expected arrival plus the tolerance."""

    shipment: Shipment
    since: dt.datetime  # when it became overdue: expected arrival + tolerance
    tolerance: dt.timedelta

    @property
    def mode_label(self) -> str:
        mode = self.shipment.destination.inbound_mode
        return str(TransportMode(mode).label) if mode in TransportMode.values else "—"

    def late_by(self, now: dt.datetime) -> str:
        """How long past its expected arrival it is at ``now``."""
        assert self.shipment.expected_arrival is not None
        return formats.duration(now - self.shipment.expected_arrival)


def _overdue_queryset(
    election: Election, region: Region | None, now: dt.datetime, shipments: QuerySet[Shipment] | None
) -> tuple[QuerySet[Shipment], Plan]:
    plan = plan_of(election)
    qs = (shipments if shipments is not None else Shipment.objects.all()).filter(
        election=election,
        status__in=[ShipmentStatus.DISPATCHED, ShipmentStatus.ARRIVED],
        is_return=False,
        expected_arrival__isnull=False,
    )
    if region is not None:
        qs = qs.filter(subtree_q("destination__region", region.code))
    # the route's transport picks the tolerance: one range on the expected arrival per kind
    water, air = [m.value for m in rules.WATER_MODES], [m.value for m in rules.AIR_MODES]
    mode = "destination__inbound_mode__in"
    late = (
        Q(**{mode: water}, expected_arrival__lte=now - rules.overdue_tolerance(plan, water[0]))
        | Q(**{mode: air}, expected_arrival__lte=now - rules.overdue_tolerance(plan, air[0]))
        | (~Q(**{mode: water + air}) & Q(expected_arrival__lte=now - rules.overdue_tolerance(plan, "")))
    )
    return qs.filter(late), plan


def overdue_shipments(
    election: Election, region: Region | None, now: dt.datetime, shipments: QuerySet[Shipment] | None = None
) -> Iterator[Overdue]:
    """Shipments overdue at ``now`` below ``region`` (the destination's), longest overdue first."""
    qs, plan = _overdue_queryset(election, region, now, shipments)
    rows = qs.select_related("origin", "destination", "destination__region", "destination__polling_station")
    for s in rows.order_by("expected_arrival", "id").iterator(chunk_size=500):
        assert s.expected_arrival is not None
        tolerance = rules.overdue_tolerance(plan, s.destination.inbound_mode)
        yield Overdue(s, s.expected_arrival + tolerance, tolerance)


def overdue_count(
    election: Election, region: Region | None, now: dt.datetime, shipments: QuerySet[Shipment] | None = None
) -> int:
    return _overdue_queryset(election, region, now, shipments)[0].count()


# --- problems: damage on the way, shipments with a problem, who waits below a node -----------

# The levels of the chain that receive goods on their way down, in the order the page shows them.
RECEIVING_LEVELS = (NodeLevel.PPK, NodeLevel.PPS, NodeLevel.KPPS)


def _replacement_state(status: str) -> str:
    if status == ShipmentStatus.PLANNED:
        return "planned"
    if status in (ShipmentStatus.DISPATCHED, ShipmentStatus.ARRIVED):
        return "on_the_way"
    return "received"


def _receipts_below(receipts: QuerySet[Receipt], election: Election, region: Region | None) -> QuerySet[Receipt]:
    # a return carries goods already counted on their way down: its receipt would count them twice
    qs = receipts.filter(shipment__election=election, shipment__is_return=False)
    if region is not None:
        qs = qs.filter(subtree_q("shipment__destination__region", region.code))
    return qs


def reported_damage(
    receipts: QuerySet[Receipt], election: Election, region: Region | None
) -> dict[int, dict[str, Any]]:
    """Per item: the goods reported damaged or missing on the receipts at each level of the chain
    (PPK, PPS, KPPS) in ``region``'s subtree, and how much of them replacement shipments carry.

    The Supply rows count the TPS only, so ballots soaked on a longboat to a PPK would not show
    on the region page at all. Two aggregate queries, whatever the number of receipts.
    """
    below = _receipts_below(receipts, election, region)
    rows = (
        ReceiptLine.objects.filter(receipt__in=below)
        .filter(Q(damaged__gt=0) | Q(missing__gt=0))
        .values("item_id", level=F("receipt__shipment__destination__level"))
        .annotate(damaged_sum=Sum("damaged"), missing_sum=Sum("missing"))
        .order_by()
    )
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        entry = out.setdefault(
            r["item_id"],
            {
                "levels": {},
                "damaged": 0,
                "missing": 0,
                "replacement": {"planned": 0, "on_the_way": 0, "received": 0},
            },
        )
        entry["levels"][r["level"]] = {"damaged": r["damaged_sum"], "missing": r["missing_sum"]}
        entry["damaged"] += r["damaged_sum"]
        entry["missing"] += r["missing_sum"]
    if out:
        replaced = (
            ShipmentLine.objects.filter(shipment__replacement_for__receipt__in=below, item_id__in=list(out))
            .values("item_id", "shipment__status")
            .annotate(q=Sum("quantity"))
            .order_by()
        )
        for r in replaced:
            out[r["item_id"]]["replacement"][_replacement_state(r["shipment__status"])] += r["q"]
    for entry in out.values():
        entry["level_rows"] = [entry["levels"].get(level, {"damaged": 0, "missing": 0}) for level in RECEIVING_LEVELS]
        entry["requested"] = sum(entry["replacement"].values())
        entry["not_requested"] = max(0, entry["damaged"] + entry["missing"] - entry["requested"])
    return out


def problem_shipments(shipments: QuerySet[Shipment], election: Election, region: Region | None) -> QuerySet[Shipment]:
    """Shipments whose receipt found goods damaged, missing or short, newest arrival first, each
    with ``damaged``, ``missing``, ``uncounted`` (shipped but counted neither good, damaged nor
    missing) and ``replacement_list``: a fixed number of queries for any number of rows."""
    qs = shipments.filter(election=election, status=ShipmentStatus.PROBLEM)
    if region is not None:
        qs = qs.filter(subtree_q("destination__region", region.code))

    def total(model: Any, link: str, expression: Any) -> Coalesce:
        rows = model.objects.filter(**{link: OuterRef("pk")}).values(link).annotate(t=Sum(expression)).values("t")
        return Coalesce(Subquery(rows), 0)

    counted = F("received") + F("damaged") + F("missing")
    return (
        qs.select_related("origin", "destination", "destination__polling_station")
        .annotate(
            damaged=total(ReceiptLine, "receipt__shipment", "damaged"),
            missing=total(ReceiptLine, "receipt__shipment", "missing"),
            uncounted=total(ShipmentLine, "shipment", "quantity") - total(ReceiptLine, "receipt__shipment", counted),
        )
        .prefetch_related(
            # a replacement goes to the same node, so it is in the viewer's scope as the shipment is
            Prefetch(
                "replacements",
                queryset=Shipment.objects.only("id", "status", "replacement_for").order_by("id"),
                to_attr="replacement_list",
            )
        )
        .order_by("-arrived_at", "-id")
    )


def open_alerts(alerts: QuerySet[Alert], election: Election, region: Region | None) -> QuerySet[Alert]:
    """Alerts nobody has resolved yet in ``region``'s subtree, newest first, with their node."""
    qs = alerts.filter(election=election, resolved_at__isnull=True)
    if region is not None:
        qs = qs.filter(subtree_q("node__region", region.code))
    return qs.select_related("node", "node__polling_station")


def reach(election: Election, nodes: Iterable[Node]) -> dict[int, dict[str, int]]:
    """Per node: the TPS and voters (DPT) below it, who wait for whatever is late there. A PPK or a
    PPS reaches its region's TPS (from the region summaries, one query); a KPPS its own TPS."""
    nodes = list(nodes)
    codes = {n.region_id for n in nodes if n.level != NodeLevel.KPPS}
    rows = (
        {
            r["region_code"]: r
            # the level too, so the lookup walks the summary's (election, level, region_code) index
            for r in RegionSummary.objects.filter(
                election=election, level__in={c.count(".") + 1 for c in codes}, region_code__in=codes
            ).values("region_code", "tps", "dpt_male", "dpt_female")
        }
        if codes
        else {}
    )
    out: dict[int, dict[str, int]] = {}
    for n in nodes:
        if n.level == NodeLevel.KPPS:
            t = n.polling_station
            out[n.pk] = {"tps": 1 if t else 0, "dpt": t.dpt if t else 0}
        else:
            r = rows.get(n.region_id)
            out[n.pk] = {"tps": r["tps"], "dpt": r["dpt_male"] + r["dpt_female"]} if r else {"tps": 0, "dpt": 0}
    return out


def stock(election: Election, warehouse: Node) -> list[dict[str, Any]]:
    """Per item, the warehouse's stock derived from its movements against what its TPS need.

    good = delivered − damaged + replaced − reserved; spares = good − needed (negative: a
    shortfall); pending = requested − replaced. Two grouped queries whatever the number of rows.
    """
    moved: dict[int, dict[str, int]] = {}
    rows = (
        StockEntry.objects.filter(election=election, warehouse=warehouse)
        .values("item_id", "kind")
        .annotate(n=Sum("quantity"))
        .order_by()
    )
    for r in rows:
        moved.setdefault(r["item_id"], dict.fromkeys(StockKind.values, 0))[r["kind"]] = r["n"]
    needed = dict(
        Supply.objects.filter(election=election)
        .filter(subtree_q("region", warehouse.region_id))
        .values("item_id")
        .annotate(n=Sum("required"))
        .order_by()
        .values_list("item_id", "n")
    )
    out = []
    for item in Item.objects.filter(election=election).select_related("contest").order_by("order", "code"):
        m = moved.get(item.pk, dict.fromkeys(StockKind.values, 0))
        if not any(m.values()) and not needed.get(item.pk):
            continue
        good = m[StockKind.DELIVERED] - m[StockKind.DAMAGED] + m[StockKind.REPLACED] - m[StockKind.RESERVED]
        need = needed.get(item.pk, 0)
        out.append(
            {
                "item": item,
                "needed": need,
                "delivered": m[StockKind.DELIVERED],
                "damaged": m[StockKind.DAMAGED],
                "requested": m[StockKind.REQUESTED],
                "replaced": m[StockKind.REPLACED],
                "reserved": m[StockKind.RESERVED],
                "good": good,
                "spares": good - need,
                "pending": max(0, m[StockKind.REQUESTED] - m[StockKind.REPLACED]),
                # what is still missing once the replacements on their way arrive
                "uncovered": max(0, need - good - max(0, m[StockKind.REQUESTED] - m[StockKind.REPLACED])),
                "procured_by": procuring_level(item, warehouse),
            }
        )
    return out


def procuring_level(item: Item, warehouse: Node) -> str:
    """Who prints and replaces this item: KPU Provinsi for governor ballots, else the warehouse's KPU."""
    if item.contest_id and item.contest.kind == "governor":  # type: ignore[union-attr]
        province = Region.objects.filter(code=warehouse.region_id[:2]).first()
        return f"KPU Provinsi {province.name if province else warehouse.region_id[:2]}"
    return f"KPU {warehouse.region.name}"


def oversight(shipment: Any) -> dict[str, list[Any]]:
    """A shipment's escorts (Polri/TNI), supervisions (Bawaslu) and reports from the field (camat,
    kepala desa), in the order they happened."""
    return {
        "escorts": list(Escort.objects.filter(shipment=shipment).select_related("agency").order_by("at", "id")),
        "supervisions": list(
            Supervision.objects.filter(shipment=shipment).select_related("agency").order_by("at", "id")
        ),
        "field_reports": list(
            FieldReport.objects.filter(shipment=shipment).select_related("agency").order_by("at", "id")
        ),
    }


# --- a region's status: the page, the API and the command read the same -------------------


@dataclass
class Listed:
    """The first rows of a list and how many there are in all."""

    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _first(rows: Iterable[Any], limit: int | None, count: Callable[[], int]) -> Listed:
    got = list(itertools.islice(rows, limit))
    # counted again only when the limit cut the list
    return Listed(got, len(got) if limit is None or len(got) < limit else count())


def progress_with_damage(
    restrict: Callable[[QuerySet[Any]], QuerySet[Any]], election: Election, region: Region
) -> list[dict[str, Any]]:
    """``progress`` per item, each with ``reported``: the damage and shortage reported at every
    level that received goods (PPK, PPS, KPPS), not only at the TPS; None when nothing was."""
    items = progress(restrict(Supply.objects.all()), election, region)
    damage = reported_damage(restrict(Receipt.objects.all()), election, region)
    for r in items:
        r["reported"] = damage.get(r["item"].pk)
    return items


@dataclass
class RegionStatus:
    """What the logistics of ``region`` look like at ``now`` to one reader: per item progress
    with the damage reported at every level, per level progress, and the problems -- nodes at
    risk, overdue shipments, shipments that arrived damaged or short, open alerts -- with the TPS
    and voters waiting below each node they name."""

    items: list[dict[str, Any]]
    levels: list[dict[str, Any]]
    risks: Listed  # (node, reason)
    overdue: Listed  # Overdue
    problems: Listed  # Shipment
    alerts: Listed  # Alert
    reach: dict[int, dict[str, int]]
    # the sealed boxes by their condition at the last hand-over ("none": not handed over yet)
    packages: dict[str, int] = field(default_factory=dict)
    # who holds them now: custody_counts
    custody: dict[str, Any] = field(default_factory=dict)
    # routes under flood, low water or rapids (Route)
    routes_affected: Listed = field(default_factory=lambda: Listed([], 0))


def region_status(
    election: Election,
    region: Region,
    now: dt.datetime,
    restrict: Callable[[QuerySet[Any]], QuerySet[Any]],
    *,
    limit: int | None = None,
    alert_limit: int | None = None,
) -> RegionStatus:
    """``restrict`` narrows each model's rows to the reader (``qs.restrict(user)``; the command
    reads everything); ``limit`` caps each list of problems, ``alert_limit`` the open alerts."""
    nodes, shipments = restrict(Node.objects.all()), restrict(Shipment.objects.all())
    items = progress_with_damage(restrict, election, region)
    risks = _first(at_risk_nodes(election, region, now, nodes), limit, lambda: risk_count(election, region, now, nodes))
    overdue = _first(
        overdue_shipments(election, region, now, shipments),
        limit,
        lambda: overdue_count(election, region, now, shipments),
    )
    problem_qs = problem_shipments(shipments, election, region)
    problems = _first(problem_qs[:limit] if limit else problem_qs, limit, problem_qs.count)
    alert_qs = open_alerts(restrict(Alert.objects.all()), election, region)
    alerts = _first(alert_qs[:alert_limit] if alert_limit else alert_qs, alert_limit, alert_qs.count)
    waiting = reach(
        election,
        [n for n, _r in risks.rows]
        + [s.destination for s in problems.rows]
        + [a.node for a in alerts.rows]
        + [o.shipment.destination for o in overdue.rows],
    )
    boxes = region_packages(restrict(Package.objects.all()), election, region)
    affected = route_conditions(election, region, restrict(Route.objects.all()))
    return RegionStatus(
        items,
        level_progress(nodes, election, region),
        risks,
        overdue,
        problems,
        alerts,
        waiting,
        package_conditions(boxes),
        custody_counts(boxes),
        _first(affected[:limit] if limit else affected, limit, affected.count),
    )


# --- sealed packages -------------------------------------------------------------------------


def _latest_condition() -> Subquery:
    """A package's condition at its last hand-over (the latest receipt that reported it)."""
    return Subquery(
        ReceiptPackage.objects.filter(package=OuterRef("pk"))
        .order_by("-receipt__received_at", "-id")
        .values("condition")[:1]
    )


def shipment_packages(shipment: Any) -> list[tuple[Package, str | None]]:
    """The packages a shipment carries (contents loaded), each with its condition on this
    shipment's receipt (None before the receipt). Each package's ``seal_number`` is the one it
    travelled under on this leg (``resealed`` when it got that seal here), as its berita acara says."""
    reported = dict(ReceiptPackage.objects.filter(receipt__shipment=shipment).values_list("package_id", "condition"))
    legs = {pk: (seal, new) for pk, seal, new in shipment.packages.values_list("package_id", "seal_number", "resealed")}
    packages = (
        Package.objects.filter(shipments__shipment=shipment)
        .select_related("polling_station", "contest")
        .prefetch_related(
            Prefetch("contents", queryset=PackageContent.objects.select_related("item").order_by("item__order"))
        )
        .order_by("region_id", "polling_station__number", "contest_id")
    )
    out = []
    for p in packages:
        seal, p.resealed = legs.get(p.pk, ("", False))  # type: ignore[attr-defined]
        p.seal_number = seal or p.seal_number
        out.append((p, reported.get(p.pk)))
    return out


def unsent_packages(destination: Any) -> list[Package]:
    """The packages for TPS below a node that no shipment carries to its level yet."""
    sent = ShipmentPackage.objects.filter(
        shipment__destination__level=destination.level, shipment__is_return=False
    ).values("package_id")
    return list(
        Package.objects.filter(election_id=destination.election_id)
        .filter(subtree_q("region", destination.region_id))
        .exclude(pk__in=sent)
        .order_by("region_id", "polling_station_id", "contest_id")
    )


def found_in_packages(receipt: Any) -> dict[int, list[dict[str, Any]]]:
    """What each opened box held, per package: item, packed, good, damaged, missing."""
    packed = {
        (c.package_id, c.item_id): c.quantity
        for c in PackageContent.objects.filter(package__in=receipt.packages.values("package_id"))
    }
    out: dict[int, list[dict[str, Any]]] = {}
    for f in (
        ReceiptPackageContent.objects.filter(receipt_package__receipt=receipt)
        .select_related("item", "receipt_package")
        .order_by("item__order")
    ):
        q = packed.get((f.receipt_package.package_id, f.item_id), 0)
        out.setdefault(f.receipt_package.package_id, []).append(
            {
                "item": f.item,
                "packed": q,
                "good": f.good,
                "damaged": f.damaged,
                "missing": max(q - f.good - f.damaged, 0),
            }
        )
    return out


def region_packages(packages: QuerySet[Package], election: Election, region: Region) -> QuerySet[Package]:
    """The packages of a region (as the viewer may see them), each with ``condition``: its
    condition at the last hand-over, or None if no receipt reported it yet."""
    return (
        packages.filter(election=election)
        .filter(subtree_q("region", region.code))
        .annotate(condition=_latest_condition())
        .select_related("polling_station", "contest")
        .order_by("region_id", "polling_station__number", "contest_id")
    )


def package_conditions(rows: QuerySet[Package]) -> dict[str, int]:
    """How many packages of ``region_packages`` are in each condition at their last hand-over
    ("none": not yet reported), counted by the database."""
    out = {c: 0 for c in [*PackageCondition.values, "none"]}
    for row in rows.order_by().values("condition").annotate(n=Count("id")):  # type: ignore[misc]
        out[row["condition"] or "none"] += row["n"]
    return out


# --- custody: who holds each sealed box now -------------------------------------------------


def _last_leg(field: str = "shipment_id") -> Subquery:
    """Of the shipments a package left on (dispatched or later), the latest dispatch's ``field``."""
    return Subquery(
        ShipmentPackage.objects.filter(package=OuterRef("pk"), shipment__status__in=SENT)
        .order_by("-shipment__dispatched_at", "-shipment_id")
        .values(field)[:1]
    )


@dataclass
class Custody:
    """Where one sealed box is now: at the KPU warehouse (never dispatched), on its way (from
    ``leg.origin`` to ``leg.destination``), arrived (hand-over not signed yet) or held by
    ``leg.destination`` since its receipt; ``leg.is_return`` when it is on its way back up."""

    package: Package
    leg: Shipment | None

    @property
    def state(self) -> str:
        if self.leg is None:
            return "warehouse"
        if self.leg.status == ShipmentStatus.DISPATCHED:
            return "on_the_way"
        if self.leg.status == ShipmentStatus.ARRIVED:
            return "arrived"
        return "held"

    @property
    def holder(self) -> Node | None:
        """The node answerable for the box: the sender while it travels, else the destination."""
        if self.leg is None:
            return None
        return self.leg.origin if self.state == "on_the_way" else self.leg.destination

    @property
    def since(self) -> dt.datetime | None:
        if self.leg is None:
            return self.package.packed_at
        receipt = getattr(self.leg, "receipt", None)
        if self.state == "held" and receipt is not None:
            return receipt.received_at
        if self.state == "arrived":
            return self.leg.arrived_at
        return self.leg.dispatched_at


def custody(packages: Iterable[Package]) -> list[Custody]:
    """The custody of each of ``packages`` (annotated with ``last_leg`` by ``custody_rows``):
    one query for all their last shipments."""
    packages = list(packages)
    legs = Shipment.objects.filter(pk__in={p.last_leg for p in packages if p.last_leg}).select_related(  # type: ignore[attr-defined]
        "origin", "destination", "receipt", "escort"
    )
    by_pk = {s.pk: s for s in legs}
    return [Custody(p, by_pk.get(p.last_leg)) for p in packages]  # type: ignore[attr-defined]


def held_packages(node: Node) -> list[Package]:
    """The sealed boxes ``node`` holds now: their last leg was received there."""
    qs = (
        Package.objects.filter(election_id=node.election_id)
        .filter(subtree_q("region", node.region_id))
        .select_related("polling_station", "contest")
        .order_by("region_id", "polling_station__number", "contest_id")
    )
    return [c.package for c in custody(custody_rows(qs)) if c.state == "held" and c.holder == node]


def custody_rows(packages: QuerySet[Package]) -> QuerySet[Package]:
    return packages.annotate(last_leg=_last_leg())


CUSTODY_STATES = ("warehouse", "on_the_way", "arrived", "held")


def custody_counts(packages: QuerySet[Package]) -> dict[str, Any]:
    """How many boxes are where, counted by the database: at the warehouse; on the way, arrived
    or held, each split into going down and coming back, and held per level of the holder."""
    out: dict[str, Any] = {
        "warehouse": 0,
        "down": {"on_the_way": 0, "arrived": 0, "held": {}},
        "back": {"on_the_way": 0, "arrived": 0, "held": {}},
    }
    rows = (
        packages.order_by()
        .annotate(
            leg_status=_last_leg("shipment__status"),
            leg_return=_last_leg("shipment__is_return"),
            leg_level=_last_leg("shipment__destination__level"),
        )
        .values("leg_status", "leg_return", "leg_level")
        .annotate(n=Count("id"))
    )
    for r in rows:
        if r["leg_status"] is None:
            out["warehouse"] += r["n"]
            continue
        way = out["back" if r["leg_return"] else "down"]
        if r["leg_status"] == ShipmentStatus.DISPATCHED:
            way["on_the_way"] += r["n"]
        elif r["leg_status"] == ShipmentStatus.ARRIVED:
            way["arrived"] += r["n"]
        else:
            level = int(r["leg_level"])
            way["held"][level] = way["held"].get(level, 0) + r["n"]
    return out
