"""The write path for logistics: catalogue, network, shipments, receipts, replacements, alerts.

Every function checks the actor's right through core.scoping, validates, writes in one
transaction together with its audit row, and keeps the per-TPS Supply rows in step.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from core import audit, dates, formats, scoping, statistics
from core.actions import ConcurrentEditError, update_versioned
from elections.models import Contest, Election
from logistics import rules, selectors, targets
from logistics.jobs import enqueue_item_rebuild, enqueue_summaries
from logistics.models import (
    OPENED_CONDITIONS,
    SENT,
    Alert,
    AlertKind,
    Escort,
    FieldReport,
    FieldReportKind,
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
    RouteCondition,
    RouteLeg,
    Shipment,
    ShipmentLine,
    ShipmentPackage,
    ShipmentStatus,
    StockEntry,
    StockKind,
    Supervision,
    SupervisionFinding,
    SupervisionStage,
    Supply,
    TransportMode,
)
from regions.models import AccessMode, Level, PollingStation, Region


class ReplayConflict(ConcurrentEditError):
    """A submission id used again with another payload or by another person (HTTP 409)."""


def _require(actor: Any, capability: str, region_code: str | None) -> None:
    if actor is not None and not scoping.can(actor, capability, scoping.CHANGE, region_code):
        raise PermissionDenied(_("You may not do this in this area."))


def plan_for(election: Election) -> Plan:
    """Create the election's logistics plan with its default deadlines (the demo and set-up do).
    Pages read it with ``selectors.plan_of``, which writes nothing."""
    plan, _created = Plan.objects.get_or_create(election=election)
    return plan


PLAN_FIELDS = (
    "ppk_due_days",
    "pps_due_days",
    "kpps_due_days",
    "photo_max_bytes",
    "source",
    *rules.BUFFER_FIELDS,
    *rules.TOLERANCE_FIELDS,
)


def save_plan(actor: Any, election: Election, data: dict[str, Any], expected_version: int | None = None) -> Plan:
    """Change the election's deadlines (H-n per level), safety margins and overdue tolerances
    (minutes per kind of transport) or the source of its records (the demo's scenario). KPU of
    the election's region only; the model's bounds apply. Every node's due time and latest safe
    dispatch follow (``logistics.targets``), and the logistics summaries in a job."""
    _require(actor, "logistics", election.region_id)
    unknown = sorted(set(data) - set(PLAN_FIELDS))
    if unknown:
        raise ValidationError({"__all__": [_("Unknown plan setting: %(f)s.") % {"f": ", ".join(unknown)}]})
    with transaction.atomic():
        plan = plan_for(election)
        plan = update_versioned(  # type: ignore[assignment]
            actor, plan, data, expected_version or plan.version, "logistics.plan_update"
        )
        targets.refresh(election)
        enqueue_summaries(election, None)
    return plan


# --- catalogue -----------------------------------------------------------------------------


def save_item(
    actor: Any, election: Election, data: dict[str, Any], item: Item | None = None, expected_version: int | None = None
) -> Item:
    """Create or edit a catalogue item; the per-TPS requirements follow in a background job."""
    if item is None:
        _require(actor, "logistics", Item(election=election, **data).region_code)
        item = Item(election=election, **data)
        item.full_clean()
        with transaction.atomic():
            item.save()
            audit.record(actor, "logistics.item_create", item, {k: [None, str(v)] for k, v in data.items()})
            enqueue_item_rebuild(item)
        return item
    _require(actor, "logistics", item.region_code)
    with transaction.atomic():
        item = update_versioned(actor, item, data, expected_version or item.version, "logistics.item_update")  # type: ignore[assignment]
        enqueue_item_rebuild(item)
    return item


def default_catalogue(election: Election) -> list[Item]:
    """The PKPU 12/2024 equipment with the usual per-TPS counts (all editable by KPU)."""
    items: list[Item] = []
    order = 0
    for contest in Contest.objects.filter(election=election, revote_of__isnull=True).order_by("id"):
        tag = contest.region_id.replace(".", "")
        for code, name, kind, per_voter, per_tps in [
            (f"ballot-{tag}", _("Ballots — %(c)s") % {"c": contest.name}, "ballot", True, 0),
            (f"box-{tag}", _("Ballot box — %(c)s") % {"c": contest.name}, "box", False, 1),
            (f"chasil-{tag}", _("C.Hasil form set — %(c)s") % {"c": contest.name}, "form", False, 1),
        ]:
            order += 1
            items.append(
                Item(
                    election=election,
                    contest=contest,
                    code=code,
                    name=name[:150],
                    kind=kind,
                    per_voter=per_voter,
                    per_tps=per_tps,
                    order=order,
                )
            )
    for code, name, kind, per_tps in [
        ("booth", _("Voting booth"), "booth", 4),
        ("ink", _("Ink bottle"), "ink", 2),
        ("seal", _("Seal set"), "seal", 1),
        ("envelope", _("Envelope set"), "envelope", 1),
        ("cable-tie", _("Cable ties"), "cable_tie", 12),
    ]:
        order += 1
        items.append(Item(election=election, code=code, name=name, kind=kind, per_tps=per_tps, order=order))
    existing = set(Item.objects.filter(election=election).values_list("code", flat=True))
    Item.objects.bulk_create([i for i in items if i.code not in existing])
    return list(Item.objects.filter(election=election))


# --- network -------------------------------------------------------------------------------


MODE_FOR_ACCESS = {
    AccessMode.ROAD: TransportMode.CAR,
    AccessMode.RIVER: TransportMode.KETINTING,
    AccessMode.AIR: TransportMode.HELICOPTER,
    AccessMode.FOOT: TransportMode.FOOT,
}


def build_network(election: Election, kabkota: Region, *, batch: int = 5000) -> dict[str, int]:
    """Warehouse -> PPK per kecamatan -> PPS per desa -> KPPS per TPS, with default routes.

    Idempotent: existing nodes are kept. Route times start from each TPS's travel time from the
    kecamatan; KPU edits them afterwards.
    """
    existing = {
        (n.level, n.region_id, n.polling_station_id): n
        for n in Node.objects.filter(election=election).filter(scoping.subtree_q("region", kabkota.code))
    }

    def get_or_make(level: int, region: Region | str, name: str, tps: PollingStation | None = None) -> Node:
        code = region if isinstance(region, str) else region.code
        key = (level, code, tps.pk if tps else None)
        node = existing.get(key)
        if node is None:
            node = Node(election=election, level=level, region_id=code, name=name, polling_station=tps)
            node.save()
            existing[key] = node
        return node

    warehouse = get_or_make(NodeLevel.WAREHOUSE, kabkota, _("KPU warehouse %(name)s") % {"name": kabkota.name})
    kecamatan = list(Region.objects.filter(parent=kabkota).order_by("code"))
    desa = list(Region.objects.filter(scoping.subtree_q("code", kabkota.code), level=Level.DESA).order_by("code"))
    tps = list(
        PollingStation.objects.filter(election=election)
        .filter(scoping.subtree_q("village", kabkota.code))
        .order_by("village_id", "number")
    )
    ppk = {k.code: get_or_make(NodeLevel.PPK, k, f"PPK {k.name}") for k in kecamatan}
    pps = {d.code: get_or_make(NodeLevel.PPS, d, f"PPS {d.name}") for d in desa}
    have_kpps = {key[2] for key in existing if key[0] == NodeLevel.KPPS}
    new_kpps = [
        Node(
            election=election,
            level=NodeLevel.KPPS,
            region_id=t.village_id,
            polling_station=t,
            name=f"KPPS TPS {t.number} {pps[t.village_id].name[4:]}",
        )
        for t in tps
        if t.pk not in have_kpps
    ]
    Node.objects.bulk_create(new_kpps, batch_size=batch)
    # Routes: by the slowest access of the TPS below, so river desa get river routes all the way.
    kpps_nodes = (
        Node.objects.filter(election=election, level=NodeLevel.KPPS)
        .filter(scoping.subtree_q("region", kabkota.code))
        .select_related("polling_station")
    )
    routes: list[Route] = []
    slowest: dict[str, PollingStation] = {}
    for node in kpps_nodes:
        t = node.polling_station
        assert t is not None
        mode, minutes = _kpps_route(t)
        routes.append(Route(origin=pps[t.village_id], destination=node, mode=mode, travel_minutes=minutes))
        cur = slowest.get(t.village_id)
        if cur is None or (t.travel_minutes or 0) > (cur.travel_minutes or 0):
            slowest[t.village_id] = t
    for code, node in pps.items():
        t = slowest.get(code)
        mode = MODE_FOR_ACCESS[AccessMode(t.access_mode)] if t else TransportMode.CAR
        routes.append(
            Route(
                origin=ppk[code[:8]], destination=node, mode=mode, travel_minutes=(t.travel_minutes or 60) if t else 60
            )
        )
    for code, node in ppk.items():
        river = [s for d, s in slowest.items() if d.startswith(code + ".") and s.access_mode != AccessMode.ROAD]
        mode = TransportMode.LONGBOAT if river else TransportMode.TRUCK
        minutes = (max(s.travel_minutes or 0 for s in river) + 240) if river else 120
        routes.append(Route(origin=warehouse, destination=node, mode=mode, travel_minutes=minutes))
    have_routes = set(Route.objects.filter(destination__election=election).values_list("origin_id", "destination_id"))
    Route.objects.bulk_create(
        [r for r in routes if (r.origin.pk, r.destination.pk) not in have_routes], batch_size=batch
    )
    _copy_inbound_routes(election)
    targets.refresh(election, kabkota.code)
    with transaction.atomic():  # new nodes: the election's logistics summaries follow in a job
        enqueue_summaries(election, None)
    return {"nodes": len(existing) + len(new_kpps), "routes": len(routes)}


def _kpps_route(t: PollingStation) -> tuple[str, int]:
    """The default route from a desa's PPS to one of its TPS: by the TPS's access, except that no
    helicopter flies inside a desa: the goods flown to an air-served desa go on on foot."""
    mode = MODE_FOR_ACCESS[AccessMode(t.access_mode)]
    if mode == TransportMode.HELICOPTER:
        mode = TransportMode.FOOT
    return mode, max(15, (t.travel_minutes or 30) // 4)


def moved_kpps(election: Election, region: str | None = None) -> QuerySet[Node]:
    """KPPS nodes whose TPS now lies in another desa (moved from or to ``region``)."""
    qs = Node.objects.filter(election=election, level=NodeLevel.KPPS, polling_station__isnull=False).exclude(
        region_id=F("polling_station__village_id")
    )
    if region:
        qs = qs.filter(scoping.subtree_q("region", region) | scoping.subtree_q("polling_station__village", region))
    return qs


def relocate_moved_kpps(election: Election, region: str | None = None) -> int:
    """A TPS moved to another desa takes its KPPS node along: the node's region and name, its
    route (now from the new desa's PPS) and its Supply rows follow. Shipments keep their history.
    Returns how many nodes moved."""
    moved = list(moved_kpps(election, region).select_related("polling_station", "polling_station__village"))
    with transaction.atomic():
        for node in moved:
            t = node.polling_station
            assert t is not None
            pps = Node.objects.filter(election=election, level=NodeLevel.PPS, region_id=t.village_id).first()
            Route.objects.filter(destination=node).exclude(origin=pps).delete()
            node.region_id = t.village_id
            node.name = f"KPPS TPS {t.number} {t.village.name}"
            fields = ["region", "name"]
            if pps is not None:
                mode, minutes = _kpps_route(t)
                route, _created = Route.objects.get_or_create(
                    origin=pps, destination=node, defaults={"mode": mode, "travel_minutes": minutes}
                )
                node.inbound_mode, node.inbound_minutes = route.mode, route.travel_minutes
                fields += ["inbound_mode", "inbound_minutes"]
            Node.objects.filter(pk=node.pk).update(**{f: getattr(node, f) for f in fields})
            Supply.objects.filter(node=node).update(region_id=t.village_id)
        for kecamatan in {node.region_id[:8] for node in moved}:
            targets.refresh(election, kecamatan)
    return len(moved)


def _copy_inbound_routes(election: Election) -> None:
    for route in Route.objects.filter(destination__election=election, destination__inbound_mode=""):
        Node.objects.filter(pk=route.destination_id).update(
            inbound_mode=route.mode, inbound_minutes=route.travel_minutes
        )


def save_route(
    actor: Any,
    origin: Node,
    destination: Node,
    mode: str | None = None,
    minutes: int | None = None,
    *,
    legs: list[dict[str, Any]] | None = None,
    alternative: list[dict[str, Any]] | None = None,
) -> Route:
    """Set the route from ``origin`` to ``destination``: one transport and travel time (``mode``,
    ``minutes``; its legs become the implicit one), or ``legs`` (dicts with mode, minutes,
    start_point, end_point, transfer_minutes, departures). ``alternative``: the legs the plan uses
    while a condition holds (None keeps them, [] removes them). Refused as a whole, nothing
    written, with a message per problem."""
    _require(actor, "logistics", destination.region_id)
    errors: dict[str, list[str]] = {}
    if not rules.may_ship(origin.level, destination.level, False):
        errors["destination"] = [_("A route links one level of the chain to the next.")]
    if legs is None:
        if mode is None or minutes is None:
            errors["legs"] = [_("Give the transport and travel time, or the legs of the route.")]
            raise ValidationError(errors)
        legs = [{"mode": mode, "minutes": minutes}]
        explicit = False
    else:
        explicit = True
    main, main_errors = _clean_legs(destination, legs)
    for key, msg in main_errors:
        # a single transport keeps its messages under its own fields; legs under "legs", by number
        errors.setdefault(key if not explicit else "legs", []).append(msg)
    alt: list[RouteLeg] | None = None
    if alternative is not None:
        alt, alt_errors = _clean_legs(destination, alternative, alternative=True)
        if alt_errors:
            errors["alternative"] = [msg for _key, msg in alt_errors]
    if errors:
        raise ValidationError(errors)
    explicit = explicit and (len(main) > 1 or any(_leg_has_detail(leg) for leg in main))
    summary = {"mode": rules.tolerant_mode(main), "travel_minutes": rules.nominal_minutes(main)}
    with transaction.atomic():
        route, _created = Route.objects.update_or_create(origin=origin, destination=destination, defaults=summary)
        RouteLeg.objects.filter(route=route, alternative=False).delete()
        if explicit:
            _insert_legs(route, main, False)
        if alt is not None:
            RouteLeg.objects.filter(route=route, alternative=True).delete()
            _insert_legs(route, alt, True)
        _apply_route(route)
        enqueue_summaries(destination.election_id, {destination.region_id})  # the route time weighs on risk
        audit.record(
            actor,
            "logistics.route_save",
            route,
            {
                "mode": [None, summary["mode"]],
                "travel_minutes": [None, summary["travel_minutes"]],
                **({"legs": [None, [_leg_audit(leg) for leg in main]]} if explicit else {}),
                **({"alternative": [None, [_leg_audit(leg) for leg in alt]]} if alt is not None else {}),
            },
        )
    return route


LEG_FIELDS = ("mode", "minutes", "start_point", "end_point", "transfer_minutes", "departures")
# what a leg's input may carry: its fields, and "scheduled" (a leg that leaves only at its departures)
LEG_INPUT = (*LEG_FIELDS, "scheduled")


def _leg_has_detail(leg: RouteLeg) -> bool:
    return bool(leg.start_point or leg.end_point or leg.transfer_minutes or leg.departures)


def _leg_audit(leg: RouteLeg) -> dict[str, Any]:
    return {f: getattr(leg, f) for f in LEG_FIELDS}


def _insert_legs(route: Route, legs: list[RouteLeg], alternative: bool) -> None:
    for i, leg in enumerate(legs, start=1):
        leg.route, leg.alternative, leg.position = route, alternative, i
    RouteLeg.objects.bulk_create(legs)


def _duration_ok(value: Any, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= rules.MAX_TRAVEL_MINUTES


def _clean_legs(
    destination: Node, raw: list[dict[str, Any]], alternative: bool = False
) -> tuple[list[RouteLeg], list[tuple[str, str]]]:
    """Legs from their dicts, and every problem as (field, words); with more than one leg, or an
    alternative, each message names its leg ("Kaki 2: ...")."""
    if not raw and not alternative:
        return [], [("legs", _("A route has at least one leg."))]
    if len(raw) > rules.MAX_LEGS:
        return [], [("legs", _("A route has at most %(n)s legs.") % {"n": rules.MAX_LEGS})]
    errors: list[tuple[str, str]] = []
    legs: list[RouteLeg] = []
    for i, data in enumerate(raw, start=1):
        problems = _leg_problems(destination, data)
        leg = _leg_of(data)
        if (
            legs
            and (legs[-1].end_point or leg.start_point)
            and legs[-1].end_point.casefold() != leg.start_point.casefold()
        ):
            problems.append(
                (
                    "start_point",
                    _("It starts at “%(start)s” but the leg before ends at “%(end)s”: the legs must connect.")
                    % {"start": leg.start_point or "—", "end": legs[-1].end_point or "—"},
                )
            )
        if len(raw) > 1 or alternative:
            name = (_("Alternative leg %(n)s") if alternative else _("Leg %(n)s")) % {"n": i}
            problems = [(key, f"{name}: {msg}") for key, msg in problems]
        errors += problems
        legs.append(leg)
    return legs, errors


def _leg_of(data: dict[str, Any]) -> RouteLeg:
    mode, minutes, transfer = data.get("mode"), data.get("minutes"), data.get("transfer_minutes") or 0
    departures = []
    for text in _departure_texts(data)[: rules.MAX_DEPARTURES]:
        with contextlib.suppress(rules.DepartureError):  # _leg_problems names it
            departures.append(rules.parse_departure(str(text)))
    return RouteLeg(
        mode=mode if isinstance(mode, str) else "",
        minutes=minutes if isinstance(minutes, int) else 0,
        transfer_minutes=transfer if isinstance(transfer, int) else 0,
        start_point=str(data.get("start_point") or "").strip()[:120],
        end_point=str(data.get("end_point") or "").strip()[:120],
        departures=sorted(set(departures)),
    )


def _departure_texts(data: dict[str, Any]) -> list[Any]:
    value = data.get("departures")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _leg_problems(destination: Node, data: dict[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with one leg, each as (field, words)."""
    problems: list[tuple[str, str]] = []
    unknown = sorted(set(data) - set(LEG_INPUT))
    if unknown:
        problems.append(("legs", _("Unknown field: %(f)s.") % {"f": ", ".join(unknown)}))
    mode = data.get("mode")
    if mode not in TransportMode.values:
        problems.append(
            (
                "mode",
                _("“%(mode)s” is not a transport mode; choose one of: %(modes)s.")
                % {"mode": mode, "modes": ", ".join(TransportMode.values)},
            )
        )
    elif mode == TransportMode.HELICOPTER and destination.level == NodeLevel.KPPS:
        problems.append(
            (
                "mode",
                _(
                    "A helicopter does not fly between the PPS and a TPS inside the same desa; "
                    "choose a transport by road, water or on foot."
                ),
            )
        )
    if not _duration_ok(data.get("minutes"), rules.MIN_TRAVEL_MINUTES):
        problems.append(
            (
                "travel_minutes",
                _("The travel time must be between %(min)s and %(max)s.")
                % {
                    "min": formats.duration(rules.MIN_TRAVEL_MINUTES),
                    "max": formats.duration(rules.MAX_TRAVEL_MINUTES),
                },
            )
        )
    if not _duration_ok(data.get("transfer_minutes") or 0, 0):
        problems.append(
            (
                "transfer_minutes",
                _("The transshipment time must be between 0 and %(max)s.")
                % {"max": formats.duration(rules.MAX_TRAVEL_MINUTES)},
            )
        )
    if any(len(str(data.get(k) or "").strip()) > 120 for k in ("start_point", "end_point")):
        problems.append(("start_point", _("A transshipment point's name has at most 120 characters.")))
    texts = _departure_texts(data)
    if data.get("scheduled") and not texts:
        problems.append(
            (
                "departures",
                _("A schedule needs at least one departure (e.g. “Senin 07.00” or “2024-11-25 08.00”)."),
            )
        )
    if len(texts) > rules.MAX_DEPARTURES:
        problems.append(("departures", _("At most %(n)s departures.") % {"n": rules.MAX_DEPARTURES}))
    for text in texts[: rules.MAX_DEPARTURES]:
        try:
            departure = rules.parse_departure(str(text))
            day = departure.split()[0]
            if day not in rules.WEEKDAYS:
                election = destination.election
                if not rules.plausible_moment(election.voting_date, dt.datetime.fromisoformat(departure)):
                    problems.append(("departures", f"“{str(text)[:40]}”: {_window_message(election)}"))
        except rules.DepartureError:
            problems.append(
                (
                    "departures",
                    _(
                        "“%(text)s” is not a departure; write a day and time (“Senin 07.00”) "
                        "or a date and time (“2024-11-25 08.00”)."
                    )
                    % {"text": str(text)[:40]},
                )
            )
    return problems


def set_route_condition(
    actor: Any, route: Route, condition: str, note: str = "", since: dt.datetime | None = None
) -> Route:
    """Mark the route affected by flood, low water or rapids (``condition``; "" when passable
    again), with a note and since when. While it holds, the plan goes by the alternative legs."""
    destination = route.destination
    _require(actor, "logistics", destination.region_id)
    election = destination.election
    errors: dict[str, list[str]] = {}
    if condition not in RouteCondition.values:
        errors["condition"] = [
            _("“%(c)s” is not a route condition; choose one of: %(all)s.")
            % {"c": condition, "all": ", ".join(v for v in RouteCondition.values if v)}
        ]
    if len(note) > 300:
        errors["condition_note"] = [_("The note has at most 300 characters.")]
    if condition and not note.strip():
        errors["condition_note"] = [_("Say what is happening (e.g. “air surut, longboat tidak bisa lewat”).")]
    if since is not None and timezone.is_naive(since):  # typed without a zone: the election's
        since = timezone.make_aware(since, formats.zone(election))
    if condition:
        since = since or dates.now(election.timezone)
        problems = _moment_errors(election, since)
        if problems:
            errors["condition_since"] = problems
    if errors:
        raise ValidationError(errors)
    data = {
        "condition": condition,
        "condition_note": note.strip() if condition else "",
        "condition_since": since if condition else None,
    }
    with transaction.atomic():
        route = update_versioned(actor, route, data, route.version, "logistics.route_condition")  # type: ignore[assignment]
        _apply_route(route)
        enqueue_summaries(election.pk, {destination.region_id})
    return route


def _apply_route(route: Route) -> None:
    """Copy the legs the plan goes by onto the destination node (transport for the overdue
    tolerance and the buffer, nominal time); the due times of its kecamatan follow."""
    route = (
        Route.objects.select_related("destination", "destination__election").prefetch_related("legs").get(pk=route.pk)
    )
    node = route.destination
    legs = route.plan_legs
    Node.objects.filter(pk=node.pk).update(
        inbound_mode=rules.tolerant_mode(legs), inbound_minutes=rules.nominal_minutes(legs)
    )
    targets.for_node(node)


# --- requirements --------------------------------------------------------------------------


def rebuild_supply(election: Election, items: Iterable[Item] | None = None, region: str | None = None) -> int:
    """Recompute the per-TPS Supply rows (required from DPT; dispatched/received from the records).

    Set-based: one DELETE and one INSERT ... SELECT over KPPS node × TPS × item, grouped, with
    the TPS's shipments, lines, receipt and receipt lines joined in, so even the nation (823,220
    TPS) builds no Python object per row. Each join is a lookup by key (a shipment has at most one
    line and one receipt line per item, and one receipt), so the plan stays index-driven even
    with stale planner statistics. ``region`` limits it to a subtree, ``items`` to some items.
    Returns the rows written. The rule is ``Item.required_for`` in SQL: per voter,
    ceil(DPT × (1000 + reserve‰) / 1000), else the fixed count per TPS.
    """
    item_ids = None if items is None else [i.pk for i in items]
    if item_ids == []:
        return 0
    node, tps, item = Node._meta.db_table, PollingStation._meta.db_table, Item._meta.db_table
    contest, supply = Contest._meta.db_table, Supply._meta.db_table
    shipment, line = Shipment._meta.db_table, ShipmentLine._meta.db_table
    receipt, rline = Receipt._meta.db_table, ReceiptLine._meta.db_table
    where = "n.election_id = %s AND n.level = %s"
    params: list[Any] = [election.pk, NodeLevel.KPPS.value]
    if region:
        # the range, and again as a list of node ids: SQLite (with no statistics) would otherwise
        # walk the whole election's index to save a sort for the GROUP BY
        where += (
            f" AND n.region_id >= %s AND n.region_id < %s AND n.id IN (SELECT id FROM {node} "
            f"WHERE election_id = %s AND level = %s AND region_id >= %s AND region_id < %s)"
        )
        params += [region, region + "/", election.pk, NodeLevel.KPPS.value, region, region + "/"]
    if item_ids is not None:
        where += f" AND i.id IN ({', '.join(['%s'] * len(item_ids))})"
        params += item_ids
    sent = ", ".join(["%s"] * len(SENT))
    # reserve_percent has one decimal: ROUND makes SQLite's float × 10 an exact permille
    required = (
        "CASE WHEN i.per_voter THEN ((t.dpt_male + t.dpt_female) * "
        "(1000 + CAST(ROUND(i.reserve_percent * 10) AS INTEGER)) + 999) / 1000 ELSE i.per_tps END"
    )
    insert = (
        f"INSERT INTO {supply} (election_id, node_id, item_id, region_id, required, dispatched, received, "
        f"damaged, missing) "
        f"SELECT n.election_id, n.id, i.id, n.region_id, {required}, "
        f"COALESCE(SUM(CASE WHEN s.status IN ({sent}) THEN l.quantity END), 0), "
        f"COALESCE(SUM(rl.received), 0), COALESCE(SUM(rl.damaged), 0), COALESCE(SUM(rl.missing), 0) "
        f"FROM {node} n JOIN {tps} t ON t.id = n.polling_station_id "
        f"JOIN {item} i ON i.election_id = n.election_id "
        f"LEFT JOIN {contest} c ON c.id = i.contest_id "
        f"LEFT JOIN {shipment} s ON s.destination_id = n.id AND s.is_return = %s "
        f"LEFT JOIN {line} l ON l.shipment_id = s.id AND l.item_id = i.id "
        f"LEFT JOIN {receipt} r ON r.shipment_id = s.id "
        f"LEFT JOIN {rline} rl ON rl.receipt_id = r.id AND rl.item_id = i.id "
        f"WHERE {where} "
        f"AND (i.contest_id IS NULL OR (n.region_id >= c.region_id AND n.region_id < (c.region_id || '/'))) "
        f"GROUP BY n.id, i.id, t.id"
    )
    params = [*[str(x) for x in SENT], False, *params]  # in the order of the placeholders
    if region is None or region.count(".") < 2:
        # a kab/kota or more at once (a demo replay, the follow-up of an import): the planner
        # must know how big these tables are now, or it may nest loops over them for hours
        statistics.refresh(Node, PollingStation, Item, Contest, Shipment, ShipmentLine, Receipt, ReceiptLine)
    with transaction.atomic():
        old = Supply.objects.filter(election=election)
        if item_ids is not None:
            old = old.filter(item_id__in=item_ids)
        if region:
            old = old.filter(scoping.subtree_q("region", region))
        old.delete()
        with connection.cursor() as cursor:
            cursor.execute(insert, params)
            return max(cursor.rowcount, 0)


# --- shipments -----------------------------------------------------------------------------


def create_shipment(
    actor: Any,
    election: Election,
    origin: Node,
    destination: Node,
    lines: dict[Item, int],
    *,
    is_return: bool = False,
    replacement_for: Shipment | None = None,
    escort: Any = None,
    note: str = "",
    client_id: uuid.UUID | None = None,
    packages: Iterable[Package] = (),
    new_seals: dict[int, str] | None = None,
) -> Shipment:
    """Plan a shipment of loose goods (``lines``) and sealed packages. A retried submission with
    the same client id returns the first one. ``new_seals`` (package id -> seal number) records
    the seals put on boxes that were opened: after counting, when the KPPS sends them back, or a
    wet box or one with a broken seal repacked by its holder.

    The right is checked first; a client id already used for another payload or by another
    person is refused (ReplayConflict, 409), also when two retries race each other. The
    packages' contents join the lines as their packed part.
    """
    _require_sender(actor, origin, destination, is_return)
    packages = list(packages)
    new_seals = {pk: str(seal).strip() for pk, seal in (new_seals or {}).items()}
    payload = (
        origin.pk,
        destination.pk,
        is_return,
        escort.pk if escort else None,
        note,
        _line_key(lines),
        sorted(p.pk for p in packages),
        sorted(new_seals.items()),
    )
    if client_id is not None:
        found = Shipment.objects.filter(client_id=client_id).first()
        if found is not None:
            return _replayed_shipment(actor, found, payload)
    errors: dict[str, list[str]] = {}
    if origin.election_id != election.pk or destination.election_id != election.pk:
        errors.setdefault("destination", []).append(_("Both nodes must belong to this election."))
    if not rules.may_ship(origin.level, destination.level, is_return):
        errors.setdefault("destination", []).append(
            _(
                "A shipment goes to the next level down (%(o)s → %(d)s is not allowed); going back up must be marked "
                "as a return."
            )
            % {"o": origin.get_level_display(), "d": destination.get_level_display()}
        )
    else:
        upper, lower = (destination, origin) if is_return else (origin, destination)
        if not scoping.in_subtree(lower.region_id, upper.region_id):
            errors.setdefault("destination", []).append(
                _("%(lower)s is not served by %(upper)s.") % {"lower": lower, "upper": upper}
            )
    if not lines and not packages:
        errors.setdefault("lines", []).append(_("A shipment needs at least one item."))
    errors.update(_shipped_package_errors(election, origin, destination, is_return, packages))
    if new_seals:
        errors.setdefault("packages", []).extend(_reseal_errors(election, origin, is_return, packages, new_seals))
        if not errors["packages"]:
            del errors["packages"]
    if is_return and origin.level == NodeLevel.KPPS:
        # every box was opened for the count: it goes back under the new seal the KPPS put on it
        unsealed = [p for p in packages if p.pk not in new_seals]
        errors.setdefault("packages", []).extend(
            _("%(package)s was opened for the count: write the number of the new seal put on it.") % {"package": p}
            for p in unsealed
        )
        if not errors["packages"]:
            del errors["packages"]
    for item, qty in lines.items():
        if item.election_id != election.pk:
            errors.setdefault("lines", []).append(_("Unknown item %(item)s for this election.") % {"item": item})
        if not isinstance(qty, int) or qty <= 0:
            errors.setdefault("lines", []).append(
                _("Quantity of %(item)s must be a whole number above zero (got %(q)s).") % {"item": item, "q": qty}
            )
        elif qty > rules.MAX_QUANTITY:
            errors.setdefault("lines", []).append(
                _("Quantity of %(item)s is %(q)s; at most %(max)s fit one line.")
                % {"item": item, "q": formats.number(qty), "max": formats.number(rules.MAX_QUANTITY)}
            )
    packed = package_lines(packages) if packages and "packages" not in errors else {}
    for item, qty in packed.items():
        if qty + lines.get(item, 0) > rules.MAX_QUANTITY:
            errors.setdefault("packages", []).append(
                _("Quantity of %(item)s is %(q)s; at most %(max)s fit one line.")
                % {"item": item, "q": formats.number(qty), "max": formats.number(rules.MAX_QUANTITY)}
            )
    if escort is not None:
        if escort.kind not in rules.ESCORT_KINDS:
            errors.setdefault("escort", []).append(
                _("%(agency)s cannot escort goods: choose a Polri or TNI unit.") % {"agency": escort}
            )
        elif not escort.covers(destination.region_id):
            errors.setdefault("escort", []).append(
                _("%(agency)s does not cover %(node)s.") % {"agency": escort, "node": destination}
            )
    if len(note) > 500:
        errors.setdefault("note", []).append(_("The note is at most 500 characters."))
    if errors:
        raise ValidationError(errors)
    try:
        return _insert_shipment(
            actor,
            election,
            origin,
            destination,
            lines,
            is_return,
            replacement_for,
            escort,
            note,
            client_id,
            packages,
            packed,
            new_seals,
        )
    except IntegrityError:
        found = Shipment.objects.filter(client_id=client_id).first() if client_id is not None else None
        if found is None:
            raise
        return _replayed_shipment(actor, found, payload)


def _shipped_package_errors(
    election: Election, origin: Node, destination: Node, is_return: bool, packages: list[Package]
) -> dict[str, list[str]]:
    """A package travels only where its TPS lies below, and once per leg of the chain."""
    errors: list[str] = []
    lower = origin if is_return else destination
    if len({p.pk for p in packages}) != len(packages):
        errors.append(_("A package appears more than once; list each box once."))
    for p in packages:
        if p.election_id != election.pk:
            errors.append(_("%(package)s is not a package of this election.") % {"package": p})
        elif not scoping.in_subtree(p.region_id, lower.region_id):
            errors.append(_("%(package)s is for a TPS not served by %(node)s.") % {"package": p, "node": lower})
    taken = (
        ShipmentPackage.objects.filter(
            package__in=packages, shipment__is_return=is_return, shipment__destination__level=destination.level
        )
        .select_related("package", "shipment")
        .order_by("shipment_id")
    )
    for sp in taken:
        errors.append(
            _("%(package)s is already on shipment #%(id)s to this level.")
            % {"package": sp.package, "id": sp.shipment_id}
        )
    if is_return and not errors:
        # custody: a box goes back up only from whoever signed for it last
        for c in selectors.custody(selectors.custody_rows(Package.objects.filter(pk__in=[p.pk for p in packages]))):
            if c.state != "held" or c.holder != origin:
                errors.append(
                    _("%(package)s is not held by %(node)s: only the last receiver sends a box back.")
                    % {"package": c.package, "node": origin}
                )
    return {"packages": errors} if errors else {}


def _reseal_errors(
    election: Election, origin: Node, is_return: bool, packages: list[Package], new_seals: dict[int, str]
) -> list[str]:
    """A box gets a new seal only where it was opened: for counting (a KPPS sending it back after
    the polls closed) or before the witnesses (wet or seal broken, at its holder's); each new seal
    is a seal never used in the election."""
    errors: list[str] = []
    carried = {p.pk: p for p in packages}
    after_count = is_return and origin.level == NodeLevel.KPPS
    if after_count and dates.now(election.timezone) < rules.counting_from(election.voting_date, election.timezone):
        errors.append(_("Boxes are opened for counting only after the polls close; a new seal comes after that."))
    last = {}
    if not after_count:
        for rp in ReceiptPackage.objects.filter(package_id__in=list(new_seals)).order_by("receipt__received_at"):
            last[rp.package_id] = rp.condition
    for pk, seal in sorted(new_seals.items()):
        package = carried.get(pk)
        if package is None:
            errors.append(
                _("Package #%(id)s is not on this shipment: a new seal goes on a box it carries.") % {"id": pk}
            )
        elif not after_count and last.get(pk) not in OPENED_CONDITIONS:
            errors.append(
                _(
                    "%(package)s keeps its seal: only a box opened for counting or opened before the witnesses "
                    "(wet or seal broken) gets a new one."
                )
                % {"package": package}
            )
        elif not rules.valid_seal(seal):
            errors.append(
                _("%(package)s: the new seal number is 1 to 40 letters, digits, “-”, “/” or “.”.")
                % {"package": package}
            )
        elif seal == package.seal_number:
            errors.append(_("%(package)s: the new seal must differ from the one opened.") % {"package": package})
    seals = [s for s in new_seals.values() if rules.valid_seal(s)]
    errors += [
        _("Seal number %(seal)s is written twice.") % {"seal": s}
        for s in sorted({s for s in seals if seals.count(s) > 1})
    ]
    errors += [
        _("Seal number %(seal)s is already on %(label)s: a seal number is used once per election.")
        % {"seal": seal, "label": label}
        for seal, label in _seals_in_use(election, seals)
    ]
    return errors


def _seals_in_use(election: Election, seals: list[str]) -> list[tuple[str, str]]:
    """(seal, box label) for each of ``seals`` already used in the election: on a box now or on a
    leg a box travelled under before it was opened."""
    if not seals:
        return []
    now = Package.objects.filter(election=election, seal_number__in=seals).values_list("seal_number", "label")
    before = ShipmentPackage.objects.filter(package__election=election, seal_number__in=seals).values_list(
        "seal_number", "package__label"
    )
    return sorted(set(now[:5]) | set(before[:5]))[:5]


def _line_key(lines: dict[Item, int]) -> list[tuple[int, int]]:
    return sorted((item.pk, qty) for item, qty in lines.items())


def _created_by(action: str, obj: Any) -> int | None:
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry

    entry = AuditEntry.objects.filter(
        action=action, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).first()
    return entry.actor_id if entry is not None else None


def _actor_id(actor: Any) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def _replayed_shipment(actor: Any, found: Shipment, payload: tuple[Any, ...]) -> Shipment:
    lines = sorted(
        (line.item_id, line.quantity - line.packed) for line in found.lines.all() if line.quantity > line.packed
    )
    carried = list(found.packages.all())
    packages = sorted(sp.package_id for sp in carried)
    resealed = sorted((sp.package_id, sp.seal_number) for sp in carried if sp.resealed)
    stored = (
        found.origin_id,
        found.destination_id,
        found.is_return,
        found.escort_id,
        found.note,
        lines,
        packages,
        resealed,
    )
    if stored != payload or _created_by("logistics.shipment_create", found) != _actor_id(actor):
        raise ReplayConflict(
            _("This submission id was already used for another shipment; send a new one with a new id.")
        )
    return found


def _insert_shipment(
    actor: Any,
    election: Election,
    origin: Node,
    destination: Node,
    lines: dict[Item, int],
    is_return: bool,
    replacement_for: Shipment | None,
    escort: Any,
    note: str,
    client_id: uuid.UUID | None,
    packages: list[Package] | None = None,
    packed: dict[Item, int] | None = None,
    new_seals: dict[int, str] | None = None,
) -> Shipment:
    packages, packed, new_seals = packages or [], packed or {}, new_seals or {}
    with transaction.atomic():
        if packages:
            # two shipments of the same boxes at once: the second waits for the first (row locks on
            # PostgreSQL, the write lock on SQLite), then finds the boxes taken and writes nothing
            pks = sorted(p.pk for p in packages)
            list(Package.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk", flat=True))
            taken = _shipped_package_errors(election, origin, destination, is_return, packages)
            if taken:
                raise ValidationError(taken)
        shipment = Shipment.objects.create(
            election=election,
            origin=origin,
            destination=destination,
            is_return=is_return,
            replacement_for=replacement_for,
            escort=escort,
            note=note,
            client_id=client_id,
        )
        ShipmentLine.objects.bulk_create(
            [
                ShipmentLine(
                    shipment=shipment, item=i, quantity=lines.get(i, 0) + packed.get(i, 0), packed=packed.get(i, 0)
                )
                for i in {**lines, **packed}
            ]
        )
        ShipmentPackage.objects.bulk_create(
            [
                ShipmentPackage(
                    shipment=shipment,
                    package=p,
                    seal_number=new_seals.get(p.pk, p.seal_number),
                    resealed=p.pk in new_seals,
                )
                for p in packages
            ]
        )
        for p in packages:
            if p.pk in new_seals:  # the box's seal is the new one from now on
                p.seal_number = new_seals[p.pk]
                Package.objects.filter(pk=p.pk).update(seal_number=p.seal_number)
        changes: dict[str, Any] = {"lines": [None, {i.code: q for i, q in lines.items()}]}
        if packages:
            changes["packages"] = [None, [p.seal_number for p in packages]]
        if new_seals:
            changes["new_seals"] = [None, {str(pk): seal for pk, seal in sorted(new_seals.items())}]
        audit.record(actor, "logistics.shipment_create", shipment, changes)
    return shipment


def _require_sender(actor: Any, origin: Node, destination: Node, is_return: bool) -> None:
    """KPU plans and sends goods down; after the count whoever holds the boxes sends them back up
    (the KPPS to its PPS, the PPS to its PPK): the election's chain where the boxes are."""
    if is_return:
        _require(actor, "logistics_returns", origin.region_id)
    else:
        _require(actor, "logistics", destination.region_id)


def dispatch_shipment(actor: Any, shipment: Shipment, at: dt.datetime, expected_version: int) -> Shipment:
    _require_sender(actor, shipment.origin, shipment.destination, shipment.is_return)
    if not rules.plausible_moment(shipment.election.voting_date, at):
        raise ValidationError({"dispatched_at": [_moment_message(shipment)]})
    election = shipment.election
    if at > dates.now(election.timezone):  # goods that have not left yet are not dispatched
        raise ValidationError({"dispatched_at": [_("The time lies in the future: record it once it happened.")]})
    if shipment.is_return and at < (counted := rules.counting_from(election.voting_date, election.timezone)):
        raise ValidationError(
            {
                "dispatched_at": [
                    _("Boxes go back up after the count: a return leaves no earlier than %(at)s.")
                    % {"at": formats.moment(counted, election.timezone)}
                ]
            }
        )
    if shipment.status != ShipmentStatus.PLANNED:
        raise ValidationError(
            _("Only a planned shipment can be dispatched (this one is %(s)s).") % {"s": shipment.get_status_display()}
        )
    # a return travels back up the route its goods came down by (its nominal time: a schedule runs
    # the other way, and a return has no deadline)
    minutes = shipment.origin.inbound_minutes if shipment.is_return else shipment.destination.inbound_minutes
    expected = (None if shipment.is_return else _scheduled_arrival(shipment, at)) or at + dt.timedelta(minutes=minutes)
    with transaction.atomic():
        shipment = update_versioned(  # type: ignore[assignment]
            actor,
            shipment,
            {
                "status": ShipmentStatus.DISPATCHED,
                "dispatched_at": at,
                "expected_arrival": expected,
            },
            expected_version,
            "logistics.shipment_dispatch",
        )
        if not shipment.is_return:
            Node.objects.filter(pk=shipment.destination_id).exclude(inbound_state=InboundState.RECEIVED).update(
                inbound_state=InboundState.ON_THE_WAY, inbound_eta=shipment.expected_arrival
            )
            enqueue_summaries(shipment.election_id, {shipment.destination.region_id})
        if shipment.destination.level == NodeLevel.KPPS and not shipment.is_return:
            sent = shipment.lines.values_list("item_id", "quantity")
            _add_to_supply(shipment.destination, {item: {"dispatched": q} for item, q in sent})
    return shipment


def _scheduled_arrival(shipment: Shipment, at: dt.datetime) -> dt.datetime | None:
    """The expected arrival over a route with scheduled departures: each scheduled leg waits for
    its next departure (None for a route without: its travel time says it). Refused when one has
    none left: goods would wait at a landing for nothing."""
    route = Route.objects.prefetch_related("legs").filter(destination=shipment.destination).first()
    legs = route.plan_legs if route is not None else []
    if not any(leg.departures for leg in legs):
        return None
    arrival = rules.arrival(legs, at, shipment.election.timezone)
    if arrival is None:
        raise ValidationError(
            {
                "dispatched_at": [
                    _(
                        "No scheduled departure of the route to %(node)s is left for goods dispatched at %(at)s: "
                        "add a departure (a helicopter slot, a boat) to the route first."
                    )
                    % {"node": shipment.destination.name, "at": formats.moment(at, shipment.election.timezone)}
                ]
            }
        )
    return arrival


def _add_to_supply(node: Node, counts: dict[int, dict[str, int]]) -> None:
    """Add a shipment's counts per item to the TPS's Supply rows: one statement for all its lines
    (executemany; a CASE per column costs more to build in the ORM than the rows take to update)."""
    if not counts:
        return
    fields = sorted({f for per_item in counts.values() for f in per_item})
    table = Supply._meta.db_table
    sets = ", ".join(f"{f} = {f} + %s" for f in fields)
    rows = [[*(per_item.get(f, 0) for f in fields), node.pk, pk] for pk, per_item in counts.items()]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE node_id = %s AND item_id = %s", rows)


def _moment_message(shipment: Shipment) -> str:
    return _window_message(shipment.election)


def _window_message(election: Election) -> str:
    return _("The time must lie within %(days)s of the voting day (%(day)s).") % {
        "days": formats.duration(dt.timedelta(days=rules.MOMENT_WINDOW_DAYS)),
        "day": formats.day(election.voting_date),
    }


def _moment_errors(election: Election, at: dt.datetime) -> list[str]:
    """A time recorded by hand (stock, escort, supervision, field report): near the election, and
    not after the desk's now."""
    if not rules.plausible_moment(election.voting_date, at):
        return [_window_message(election)]
    if at > dates.now(election.timezone):
        return [_("The time lies in the future: record it once it happened.")]
    return []


def mark_arrived(actor: Any, shipment: Shipment, at: dt.datetime, expected_version: int) -> Shipment:
    _require(actor, "logistics_receipts", shipment.destination.region_id)
    if shipment.status != ShipmentStatus.DISPATCHED:
        raise ValidationError(_("Only a dispatched shipment can arrive."))
    if errors := _moment_errors(shipment.election, at):
        raise ValidationError({"arrived_at": errors})
    return update_versioned(
        actor,
        shipment,
        {"status": ShipmentStatus.ARRIVED, "arrived_at": at},  # type: ignore[return-value]
        expected_version,
        "logistics.shipment_arrive",
    )


def check_receipt_photo(photo: File | None, election: Election) -> None:
    """Refuse a receipt photo over the plan's size limit or that is not an image (as the receipt
    would), e.g. before the form keeps it for another attempt."""
    _check_photo(photo, selectors.plan_of(election))


def _check_photo(photo: File | None, plan: Plan) -> None:
    if photo is None:
        return
    if photo.size and photo.size > plan.photo_max_bytes:
        raise ValidationError(
            {
                "photo": [
                    _("The photo is %(size)s; the limit is %(max)s.")
                    % {"size": formats.file_size(photo.size), "max": formats.file_size(plan.photo_max_bytes)}
                ]
            }
        )
    from PIL import Image, UnidentifiedImageError

    try:
        photo.seek(0)
        with Image.open(photo) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({"photo": [_("The photo is not an image (JPEG, PNG or WebP).")]}) from None
    finally:
        photo.seek(0)


def record_receipt(
    actor: Any,
    shipment: Shipment,
    *,
    client_id: uuid.UUID,
    received_at: dt.datetime,
    receiver: str,
    lines: dict[Item, tuple[int, int, int]],
    photo: File | None = None,
    note: str = "",
    packages: dict[int, PackageReport] | None = None,
    supervisor: str = "",
    escort_officer: str = "",
) -> Receipt:
    """Confirm what arrived: the loose goods counted per item (``lines``) and each sealed
    package's condition (``packages``: package id -> condition, and for a wet box or one with a
    broken seal what was found inside, item id -> (good, damaged)). With packages the receipt is
    the berita acara serah terima, signed by the receiver, Bawaslu's supervisor and the escort.
    Retrying with the same client id returns the first receipt.

    The right is checked first; the same id for another shipment, other counts or by another
    person is refused (ReplayConflict, 409), also when two retries race each other.
    """
    _require(actor, "logistics_receipts", shipment.destination.region_id)
    reports = packages or {}
    carried = {
        sp.package.pk: sp.package
        for sp in shipment.packages.select_related("package").prefetch_related("package__contents__item")
    }
    from_packages = _package_counts(carried, reports)
    combined = _combine(lines, from_packages)
    payload = (
        shipment.pk,
        receiver.strip(),
        sorted((i.pk, *v) for i, v in combined.items()),
        _actor_id(actor),
        sorted((pk, str(c)) for pk, (c, _f) in reports.items()),
    )
    existing = Receipt.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _replayed_receipt(existing, payload)
    plan = selectors.plan_of(shipment.election)
    errors: dict[str, list[str]] = {}
    other = Receipt.objects.filter(shipment=shipment).first()
    if other is not None:
        if other.client_id == client_id:  # a retry that raced past the lookup above
            return _replayed_receipt(other, payload)
        raise ValidationError(_("This shipment has already been received; a second receipt is not accepted."))
    if shipment.status not in (ShipmentStatus.DISPATCHED, ShipmentStatus.ARRIVED):
        errors.setdefault("__all__", []).append(
            _("Only a dispatched shipment can be received (this one is %(s)s).") % {"s": shipment.get_status_display()}
        )
    if shipment.dispatched_at and received_at < shipment.dispatched_at:
        errors.setdefault("received_at", []).append(
            _("The receipt time %(r)s is before the dispatch time %(d)s.")
            % {
                "r": formats.moment(received_at, shipment.election.timezone),
                "d": formats.moment(shipment.dispatched_at, shipment.election.timezone),
            }
        )
    if not rules.plausible_moment(shipment.election.voting_date, received_at):
        errors.setdefault("received_at", []).append(_moment_message(shipment))
    now = dates.now(shipment.election.timezone)
    if received_at > now:
        errors.setdefault("received_at", []).append(
            _("The receipt time %(r)s is later than now (%(now)s): record a receipt once the goods are there.")
            % {
                "r": formats.moment(received_at, shipment.election.timezone),
                "now": formats.moment(now, shipment.election.timezone),
            }
        )
    if not receiver.strip():
        errors.setdefault("receiver", []).append(_("The receiver's name is required."))
    elif len(receiver.strip()) > 150:
        errors.setdefault("receiver", []).append(_("The receiver's name is at most 150 characters."))
    for field, name, required in (
        ("supervisor", _("The Bawaslu supervisor's name"), bool(carried)),
        ("escort_officer", _("The escort's name"), bool(carried)),
    ):
        value = supervisor if field == "supervisor" else escort_officer
        if required and not value.strip():
            errors.setdefault(field, []).append(
                _("%(who)s is required: they sign the berita acara serah terima of the sealed boxes.") % {"who": name}
            )
        elif len(value.strip()) > 150:
            errors.setdefault(field, []).append(_("%(who)s is at most 150 characters.") % {"who": name})
    if package_errors := _package_errors(carried, reports, shipment):
        errors["packages"] = package_errors
    if len(note) > 500:
        errors.setdefault("note", []).append(_("The note is at most 500 characters."))
    # the loose part of each line; what is packed is reported with its package
    shipment_lines = [line for line in shipment.lines.select_related("item") if line.quantity > line.packed]
    shipped = {line.item_id: line.quantity - line.packed for line in shipment_lines}
    packed_only = {line.item_id for line in shipment.lines.all() if line.quantity == line.packed}
    for item, (good, damaged, missing) in lines.items():
        if item.pk in packed_only:
            errors.setdefault("lines", []).append(
                _("%(item)s travels only inside the sealed packages: report the condition of each package.")
                % {"item": item}
            )
            continue
        if item.pk not in shipped:
            errors.setdefault("lines", []).append(_("%(item)s was not in this shipment.") % {"item": item})
            continue
        if min(good, damaged, missing) < 0:
            errors.setdefault("lines", []).append(_("Counts of %(item)s must not be negative.") % {"item": item})
        elif good + damaged + missing > shipped[item.pk]:
            errors.setdefault("lines", []).append(
                _("%(item)s: %(n)s counted but only %(s)s were shipped.")
                % {"item": item, "n": formats.number(good + damaged + missing), "s": formats.number(shipped[item.pk])}
            )
        elif good + damaged + missing < shipped[item.pk] and not note.strip():
            errors.setdefault("note", []).append(_uncounted_message(item, good + damaged + missing, shipped[item.pk]))
    if not note.strip():
        # an item of the shipment left out of the receipt is not counted at all
        named = {item.pk for item in lines}
        for line in shipment_lines:
            if line.item_id not in named:
                errors.setdefault("note", []).append(_uncounted_message(line.item, 0, shipped[line.item_id]))
    try:
        _check_photo(photo, plan)
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    counted = {item.pk: v for item, v in lines.items()}
    # damaged or missing goods, or fewer good ones than shipped, make the shipment a problem
    problem = (
        any(d or m for _g, d, m in lines.values())
        or any(counted.get(pk, (0, 0, 0))[0] < qty for pk, qty in shipped.items())
        or any(c != PackageCondition.INTACT for c, _f in reports.values())
    )
    signed = (supervisor.strip(), escort_officer.strip())
    try:
        return _insert_receipt(
            actor, shipment, client_id, received_at, receiver, combined, photo, note, plan, problem, reports, signed
        )
    except IntegrityError:
        existing = Receipt.objects.filter(client_id=client_id).first()
        if existing is None:
            raise ValidationError(
                _("This shipment has already been received; a second receipt is not accepted.")
            ) from None
        return _replayed_receipt(existing, payload)


def _combine(
    lines: dict[Item, tuple[int, int, int]], more: dict[Item, tuple[int, int, int]]
) -> dict[Item, tuple[int, int, int]]:
    """The receipt's lines: the loose counts and the packages' counts, summed per item."""
    out = dict(lines)
    for item, (g, d, m) in more.items():
        g0, d0, m0 = out.get(item, (0, 0, 0))
        out[item] = (g0 + g, d0 + d, m0 + m)
    return out


def _uncounted_message(item: Item, counted: int, shipped: int) -> str:
    """Goods neither counted good, damaged nor missing: someone must say where they are."""
    return _(
        "%(item)s: %(n)s of the %(s)s shipped are counted (good, damaged or missing). Count the rest as missing, "
        "or write in the note why they are not counted."
    ) % {"item": item, "n": formats.number(counted), "s": formats.number(shipped)}


def _replayed_receipt(existing: Receipt, payload: tuple[Any, ...]) -> Receipt:
    stored = (
        existing.shipment_id,
        existing.receiver,
        sorted((line.item_id, line.received, line.damaged, line.missing) for line in existing.lines.all()),
        existing.recorded_by_id,
        sorted((rp.package_id, rp.condition) for rp in existing.packages.all()),
    )
    if stored != payload:
        raise ReplayConflict(
            _("This submission id was already used for another receipt; send a new one with a new id.")
        )
    return existing


def _insert_receipt(
    actor: Any,
    shipment: Shipment,
    client_id: uuid.UUID,
    received_at: dt.datetime,
    receiver: str,
    lines: dict[Item, tuple[int, int, int]],
    photo: File | None,
    note: str,
    plan: Plan,
    problem: bool,
    reports: dict[int, PackageReport] | None = None,
    signed: tuple[str, str] = ("", ""),
) -> Receipt:
    reports = reports or {}
    with transaction.atomic():
        receipt = Receipt.objects.create(
            shipment=shipment,
            client_id=client_id,
            received_at=received_at,
            receiver=receiver.strip(),
            supervisor=signed[0],
            escort_officer=signed[1],
            photo=photo,
            note=note,
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        ReceiptLine.objects.bulk_create(
            [ReceiptLine(receipt=receipt, item=i, received=g, damaged=d, missing=m) for i, (g, d, m) in lines.items()]
        )
        rows = ReceiptPackage.objects.bulk_create(
            [ReceiptPackage(receipt=receipt, package_id=pk, condition=c) for pk, (c, _f) in sorted(reports.items())]
        )
        ReceiptPackageContent.objects.bulk_create(
            [
                ReceiptPackageContent(receipt_package=row, item_id=item_id, good=g, damaged=d)
                for row in rows
                for item_id, (g, d) in (reports[row.package_id][1] or {}).items()
            ]
        )
        status = ShipmentStatus.PROBLEM if problem else ShipmentStatus.RECEIVED
        Shipment.objects.filter(pk=shipment.pk).update(
            status=status, version=F("version") + 1, arrived_at=shipment.arrived_at or received_at
        )
        audit.record(
            actor,
            "logistics.receipt",
            shipment,
            {
                "status": [shipment.status, status],
                "received": [None, {i.code: list(v) for i, v in lines.items()}],
                **({"packages": [None, {str(pk): c for pk, (c, _f) in reports.items()}]} if reports else {}),
                **({"signed": [None, [receiver.strip(), *signed]]} if reports else {}),
            },
        )
        if shipment.destination.level == NodeLevel.KPPS and not shipment.is_return:
            _add_to_supply(
                shipment.destination,
                {item.pk: {"received": g, "damaged": d, "missing": m} for item, (g, d, m) in lines.items()},
            )
        if problem:
            Alert.objects.create(
                election=shipment.election,
                node=shipment.destination,
                shipment=shipment,
                created_at=received_at,
                kind=AlertKind.PROBLEM,
                message=_("%(node)s: %(d)s damaged, %(m)s missing in shipment #%(id)s.")
                % {
                    "node": shipment.destination,
                    "d": formats.number(sum(v[1] for v in lines.values())),
                    "m": formats.number(sum(v[2] for v in lines.values())),
                    "id": shipment.pk,
                },
            )
        if not shipment.is_return:
            _received_on_the_way_down(shipment, received_at, plan)
        Alert.objects.filter(shipment=shipment, kind=AlertKind.OVERDUE, resolved_at__isnull=True).update(
            resolved_at=received_at
        )
    return receipt


def _received_on_the_way_down(shipment: Shipment, received_at: dt.datetime, plan: Plan) -> None:
    """The node holds its goods now; the receipt may tell the desk they came after the deadline,
    or reached a TPS too early. (A return up the chain has no deadline and moves no node's state.)"""
    election = shipment.election
    # the node's own due time (derived back from the TPS deadline), as the risk and the node page read it
    stored = Node.objects.filter(pk=shipment.destination_id).values_list("due_at", flat=True).first()
    due = stored or selectors.due(election, plan, shipment.destination.level)
    if due is not None and received_at > due:
        Alert.objects.create(
            election=shipment.election,
            node=shipment.destination,
            shipment=shipment,
            created_at=received_at,
            kind=AlertKind.LATE,
            message=_("%(node)s received shipment #%(id)s %(late)s after its deadline of %(due)s.")
            % {
                "node": shipment.destination,
                "id": shipment.pk,
                "late": formats.duration(received_at - due),
                "due": formats.moment(due, election.timezone),
            },
        )
    custody_from = rules.custody_from(election.voting_date, plan, election.timezone)
    if shipment.destination.level == NodeLevel.KPPS and received_at < custody_from:
        Alert.objects.create(
            election=election,
            node=shipment.destination,
            shipment=shipment,
            created_at=received_at,
            kind=AlertKind.CUSTODY,
            message=_(
                "%(node)s received its kit on %(day)s, before %(from)s: a KPPS has no secure storage, so the "
                "boxes should reach the TPS on H-%(n)s and be guarded overnight."
            )
            % {
                "node": shipment.destination,
                "day": formats.moment(received_at, election.timezone),
                "from": formats.moment(custody_from, election.timezone),
                "n": plan.kpps_due_days,
            },
        )
    Node.objects.filter(pk=shipment.destination_id).update(inbound_state=InboundState.RECEIVED)
    enqueue_summaries(shipment.election_id, {shipment.destination.region_id})
    Alert.objects.filter(node=shipment.destination, kind=AlertKind.AT_RISK, resolved_at__isnull=True).update(
        resolved_at=received_at
    )


def request_replacement(actor: Any, shipment: Shipment, client_id: uuid.UUID | None = None) -> Shipment:
    """A new planned shipment for what arrived damaged or missing."""
    receipt = getattr(shipment, "receipt", None)
    if receipt is None:
        raise ValidationError(_("Only a received shipment can have a replacement."))
    lines = {line.item: line.damaged + line.missing for line in receipt.lines.select_related("item")}
    lines = {i: q for i, q in lines.items() if q > 0}
    if not lines:
        raise ValidationError(_("Nothing arrived damaged or missing: no replacement is needed."))
    return create_shipment(
        actor,
        shipment.election,
        shipment.origin,
        shipment.destination,
        lines,
        replacement_for=shipment,
        note=_("Replacement for #%(id)s") % {"id": shipment.pk},
        client_id=client_id,
    )


# --- deadlines and risk --------------------------------------------------------------------


def scan_risks(election: Election, now: dt.datetime) -> int:
    """The periodic scan: raise an at-risk alert for each node newly at risk and an overdue alert
    for each shipment newly overdue. Returns how many were raised."""
    targets.ensure(election)
    return _scan_at_risk(election, now) + scan_overdue(election, now)


def scan_overdue(election: Election, now: dt.datetime) -> int:
    """An overdue alert for each shipment on its way down with no receipt at its expected arrival
    plus the plan's tolerance for its transport, dated when it became overdue (not when the scan
    saw it). The receipt resolves it."""
    alerted = set(
        Alert.objects.filter(election=election, kind=AlertKind.OVERDUE, resolved_at__isnull=True).values_list(
            "shipment_id", flat=True
        )
    )
    new = [
        Alert(
            election=election,
            node=row.shipment.destination,
            shipment=row.shipment,
            kind=AlertKind.OVERDUE,
            created_at=row.since,
            message=_("%(node)s: shipment #%(id)s (%(mode)s) was expected at %(eta)s; no receipt %(late)s later.")
            % {
                "node": row.shipment.destination,
                "id": row.shipment.pk,
                "mode": row.mode_label,
                "eta": formats.moment(row.shipment.expected_arrival, election.timezone),
                "late": formats.duration(row.tolerance),
            },
        )
        for row in selectors.overdue_shipments(election, None, now)
        if row.shipment.pk not in alerted
    ]
    Alert.objects.bulk_create(new)
    return len(new)


def _scan_at_risk(election: Election, now: dt.datetime) -> int:
    open_alerts = set(
        Alert.objects.filter(election=election, kind=AlertKind.AT_RISK, resolved_at__isnull=True).values_list(
            "node_id", flat=True
        )
    )
    new = []
    for node, reason in selectors.at_risk_nodes(election, None, now):
        if node.pk in open_alerts:
            continue
        new.append(Alert(election=election, node=node, kind=AlertKind.AT_RISK, message=reason, created_at=now))
    Alert.objects.bulk_create(new)
    return len(new)


# --- warehouse stock ----------------------------------------------------------------------


def record_stock(
    actor: Any,
    warehouse: Node,
    item: Item,
    kind: str,
    quantity: int,
    at: dt.datetime,
    *,
    document: str = "",
    note: str = "",
    client_id: uuid.UUID | None = None,
    source: Any = None,
) -> tuple[StockEntry, list[str]]:
    """Record one movement of a warehouse's stock; returns it and any warnings for the user.

    Damage can only hit goods in stock, a replacement can only arrive if it was asked for, and
    only spares (beyond what the TPS need) can be set aside for a re-vote. A replacement request
    goes to the procuring level (KPU Provinsi for governor ballots); asking for more than is
    missing is allowed but warned about. A retried submission with the same client id returns the
    first entry; the same id with another payload or by another person is refused (409).
    """
    _require(actor, "logistics", warehouse.region_id)
    payload = (warehouse.pk, item.pk, kind, quantity, at, document, note)
    if client_id is not None:
        found = StockEntry.objects.filter(client_id=client_id).first()
        if found is not None:
            return _replayed_stock(actor, found, payload), []
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []
    if warehouse.level != NodeLevel.WAREHOUSE:
        errors.setdefault("warehouse", []).append(
            _("Stock is kept at a KPU warehouse, not at %(node)s.") % {"node": warehouse}
        )
    if item.election_id != warehouse.election_id:
        errors.setdefault("item", []).append(_("Unknown item %(item)s for this election.") % {"item": item})
    if kind not in StockKind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of movement “%(kind)s”.") % {"kind": kind})
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        errors.setdefault("quantity", []).append(_("The quantity must be a whole number above zero."))
    elif quantity > rules.MAX_QUANTITY:
        errors.setdefault("quantity", []).append(
            _("The quantity is at most %(max)s.") % {"max": formats.number(rules.MAX_QUANTITY)}
        )
    election = warehouse.election
    if at_errors := _moment_errors(election, at):
        errors["at"] = at_errors
    if len(document) > 100:
        errors.setdefault("document", []).append(_("The document number is at most 100 characters."))
    if len(note) > 500:
        errors.setdefault("note", []).append(_("The note is at most 500 characters."))
    requested_from = ""
    if not errors:
        row = next((r for r in selectors.stock(election, warehouse) if r["item"].pk == item.pk), None)
        good = row["good"] if row else 0
        pending = row["pending"] if row else 0
        spares = row["spares"] if row else 0
        n = formats.number
        if kind == StockKind.DAMAGED and quantity > good:
            errors.setdefault("quantity", []).append(
                _("Only %(good)s of %(item)s are in stock in good condition.") % {"good": n(good), "item": item}
            )
        elif kind == StockKind.REPLACED and quantity > pending:
            errors.setdefault("quantity", []).append(
                _("Only %(pending)s replacements of %(item)s were asked for and have not arrived.")
                % {"pending": n(pending), "item": item}
            )
        elif kind == StockKind.RESERVED and quantity > max(spares, 0):
            errors.setdefault("quantity", []).append(
                _("Only %(spares)s of %(item)s are spare; the rest is needed for the TPS.")
                % {"spares": n(max(spares, 0)), "item": item}
            )
        elif kind == StockKind.REQUESTED:
            requested_from = selectors.procuring_level(item, warehouse)
            uncovered = row["uncovered"] if row else 0
            if quantity > uncovered:
                warnings.append(
                    _(
                        "%(q)s replacements asked for, but only %(missing)s are missing once the spares and the "
                        "replacements on their way are counted."
                    )
                    % {"q": n(quantity), "missing": n(uncovered)}
                )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            entry = StockEntry.objects.create(
                election=election,
                warehouse=warehouse,
                item=item,
                kind=kind,
                quantity=quantity,
                at=at,
                document=document,
                requested_from=requested_from,
                note=note,
                source=source,
                client_id=client_id,
            )
            audit.record(
                actor,
                "logistics.stock",
                entry,
                {
                    k: [None, v]
                    for k, v in audit.snapshot(
                        entry, ["warehouse", "item", "kind", "quantity", "at", "document", "requested_from"]
                    ).items()
                },
            )
    except IntegrityError:
        found = StockEntry.objects.filter(client_id=client_id).first() if client_id is not None else None
        if found is None:
            raise
        return _replayed_stock(actor, found, payload), []
    return entry, warnings


def _replayed_stock(actor: Any, found: StockEntry, payload: tuple[Any, ...]) -> StockEntry:
    stored = (found.warehouse_id, found.item_id, found.kind, found.quantity, found.at, found.document, found.note)
    if stored != payload or _created_by("logistics.stock", found) != _actor_id(actor):
        raise ReplayConflict(
            _("This submission id was already used for another stock movement; send a new one with a new id.")
        )
    return found


# --- escort and supervision ----------------------------------------------------------------

MAX_PERSONNEL = 1000  # a Polres' whole strength for one shipment is already more than this


def _acting_agency(actor: Any, capability: str, shipment: Shipment, refusal: str) -> Agency:
    region = shipment.destination.region_id
    if not scoping.can(actor, capability, scoping.CHANGE, region):
        raise PermissionDenied(refusal)
    agency_id = scoping.acting_agency_id(actor, capability, scoping.CHANGE, region)
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    if agency is None or not agency.covers(region):
        raise PermissionDenied(refusal)
    return agency


def _first_with_client_id(model: Any, client_id: uuid.UUID | None, payload: tuple[Any, ...], stored: Any) -> Any:
    """The record a retry with ``client_id`` already made, if any; the same id with another
    payload is refused (409)."""
    if client_id is None:
        return None
    found = model.objects.filter(client_id=client_id).first()
    if found is not None and stored(found) != payload:
        raise ReplayConflict(_("This submission id was already used for another record; send a new one."))
    return found


def _refuse(
    errors: dict[str, list[str]], model: Any, client_id: uuid.UUID | None, payload: tuple[Any, ...], stored: Any
) -> Any:
    """Raise ``errors``, unless a retry with ``client_id`` committed the record meanwhile (its
    duplicate is then the reason for the errors): that record is the answer."""
    if (found := _first_with_client_id(model, client_id, payload, stored)) is not None:
        return found
    raise ValidationError(errors)


def _create_once(model: Any, client_id: uuid.UUID | None, payload: tuple[Any, ...], stored: Any, create: Any) -> Any:
    """``create()`` in its own savepoint. A retry that raced past the lookup into the client id's
    unique index gets the first record (or the 409 of another payload) instead of a 500."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        found = _first_with_client_id(model, client_id, payload, stored)
        if found is None:
            raise
        return found


def _escort_key(e: Escort) -> tuple[Any, ...]:
    return (e.shipment_id, e.agency_id, e.officer, e.personnel, e.vehicle, e.at)


def record_escort(
    actor: Any,
    shipment: Shipment,
    *,
    officer: str,
    personnel: int,
    vehicle: str = "",
    at: dt.datetime,
    note: str = "",
    client_id: uuid.UUID | None = None,
) -> Escort:
    """The escorting unit (the actor's Polri/TNI unit, which must cover the destination) records
    its escort of a shipment on its way. One record per unit and shipment; a retry returns it."""
    agency = _acting_agency(
        actor, "logistics_escort", shipment, _("Only a Polri or TNI unit covering the destination records its escort.")
    )
    payload = (shipment.pk, agency.pk, officer.strip(), personnel, vehicle, at)
    if (found := _first_with_client_id(Escort, client_id, payload, _escort_key)) is not None:
        return found
    errors: dict[str, list[str]] = {}
    if shipment.status == ShipmentStatus.PLANNED:
        errors.setdefault("shipment", []).append(_("The shipment has not been dispatched yet."))
    if not officer.strip() or len(officer) > 150:
        errors.setdefault("officer", []).append(_("Name the officer in charge (at most 150 characters)."))
    if not isinstance(personnel, int) or isinstance(personnel, bool) or not 1 <= personnel <= MAX_PERSONNEL:
        errors.setdefault("personnel", []).append(
            _("Personnel: a whole number from 1 to %(max)s.") % {"max": formats.number(MAX_PERSONNEL)}
        )
    if len(vehicle) > 150:
        errors.setdefault("vehicle", []).append(_("The vehicle is at most 150 characters."))
    if len(note) > 500:
        errors.setdefault("note", []).append(_("The note is at most 500 characters."))
    if at_errors := _moment_errors(shipment.election, at):
        errors["at"] = at_errors
    if Escort.objects.filter(shipment=shipment, agency=agency).exists():
        errors.setdefault("shipment", []).append(
            _("%(unit)s already recorded its escort of this shipment.") % {"unit": agency}
        )
    if errors:
        return _refuse(errors, Escort, client_id, payload, _escort_key)  # type: ignore[no-any-return]

    def create() -> Escort:
        escort = Escort.objects.create(
            shipment=shipment,
            agency=agency,
            officer=officer.strip(),
            personnel=personnel,
            vehicle=vehicle,
            at=at,
            note=note,
            client_id=client_id,
        )
        audit.created(
            actor, "logistics.escort", escort, ["shipment", "agency", "officer", "personnel", "vehicle", "at"]
        )
        return escort

    return _create_once(Escort, client_id, payload, _escort_key, create)  # type: ignore[no-any-return]


def _supervision_key(r: Supervision) -> tuple[Any, ...]:
    return (r.shipment_id, r.agency_id, r.supervisor, r.stage, r.finding, r.at)


def record_supervision(
    actor: Any,
    shipment: Shipment,
    *,
    supervisor: str,
    stage: str,
    finding: str,
    at: dt.datetime,
    note: str = "",
    client_id: uuid.UUID | None = None,
) -> Supervision:
    """Bawaslu (the actor's unit, covering the destination) records its supervision of a
    shipment's dispatch or hand-over. Remarks need a note saying what was found."""
    agency = _acting_agency(
        actor,
        "logistics_supervision",
        shipment,
        _("Only Bawaslu covering the destination records its supervision."),
    )
    payload = (shipment.pk, agency.pk, supervisor.strip(), stage, finding, at)
    if (found := _first_with_client_id(Supervision, client_id, payload, _supervision_key)) is not None:
        return found
    errors: dict[str, list[str]] = {}
    if not supervisor.strip() or len(supervisor) > 150:
        errors.setdefault("supervisor", []).append(_("Name the supervisor (at most 150 characters)."))
    if stage not in SupervisionStage.values:
        errors.setdefault("stage", []).append(_("Unknown stage “%(v)s”.") % {"v": stage})
    elif stage == SupervisionStage.HANDOVER and shipment.status in (ShipmentStatus.PLANNED, ShipmentStatus.DISPATCHED):
        errors.setdefault("stage", []).append(_("The hand-over is supervised when the goods arrive."))
    elif stage == SupervisionStage.DISPATCH and shipment.status == ShipmentStatus.PLANNED:
        errors.setdefault("stage", []).append(_("The shipment has not been dispatched yet."))
    if finding not in SupervisionFinding.values:
        errors.setdefault("finding", []).append(_("Unknown finding “%(v)s”.") % {"v": finding})
    elif finding == SupervisionFinding.REMARKS and not note.strip():
        errors.setdefault("note", []).append(_("Say what was found."))
    if len(note) > 500:
        errors.setdefault("note", []).append(_("The note is at most 500 characters."))
    if at_errors := _moment_errors(shipment.election, at):
        errors["at"] = at_errors
    if (
        stage in SupervisionStage.values
        and Supervision.objects.filter(shipment=shipment, agency=agency, stage=stage).exists()
    ):
        errors.setdefault("stage", []).append(_("%(unit)s already recorded this stage.") % {"unit": agency})
    if errors:
        return _refuse(errors, Supervision, client_id, payload, _supervision_key)  # type: ignore[no-any-return]

    def create() -> Supervision:
        record = Supervision.objects.create(
            shipment=shipment,
            agency=agency,
            supervisor=supervisor.strip(),
            stage=stage,
            finding=finding,
            at=at,
            note=note,
            client_id=client_id,
        )
        fields = ["shipment", "agency", "supervisor", "stage", "finding", "at"]
        audit.created(actor, "logistics.supervision", record, fields)
        return record

    return _create_once(Supervision, client_id, payload, _supervision_key, create)  # type: ignore[no-any-return]


def _field_report_key(r: FieldReport) -> tuple[Any, ...]:
    return (r.shipment_id, r.agency_id, r.kind, r.message, r.at)


def report_from_field(
    actor: Any,
    shipment: Shipment,
    *,
    kind: str,
    at: dt.datetime,
    message: str = "",
    client_id: uuid.UUID | None = None,
) -> FieldReport:
    """The camat or kepala desa (their office must cover the destination) confirms that a shipment
    arrived — a shipment still on its way is then marked arrived — or flags a problem, which needs
    a description. The receipt itself stays KPU's and its committees'."""
    agency = _acting_agency(
        actor,
        "logistics_field",
        shipment,
        _("Only the camat or kepala desa of the destination reports from the field."),
    )
    payload = (shipment.pk, agency.pk, kind, message.strip(), at)
    if (found := _first_with_client_id(FieldReport, client_id, payload, _field_report_key)) is not None:
        return found
    errors: dict[str, list[str]] = {}
    if kind not in FieldReportKind.values:
        errors.setdefault("kind", []).append(_("Unknown report “%(v)s”.") % {"v": kind})
    elif kind == FieldReportKind.PROBLEM and not message.strip():
        errors.setdefault("message", []).append(_("Say what the problem is."))
    if shipment.status == ShipmentStatus.PLANNED:
        errors.setdefault("shipment", []).append(_("The shipment has not been dispatched yet."))
    if len(message) > 500:
        errors.setdefault("message", []).append(_("The description is at most 500 characters."))
    if at_errors := _moment_errors(shipment.election, at):
        errors["at"] = at_errors
    elif shipment.dispatched_at and at < shipment.dispatched_at:
        errors["at"] = [_("The time lies before the dispatch.")]
    if errors:
        return _refuse(errors, FieldReport, client_id, payload, _field_report_key)  # type: ignore[no-any-return]

    def create() -> FieldReport:
        report = FieldReport.objects.create(
            shipment=shipment, agency=agency, kind=kind, message=message.strip(), at=at, client_id=client_id
        )
        audit.created(actor, "logistics.field_report", report, ["shipment", "agency", "kind", "message", "at"])
        if kind == FieldReportKind.ARRIVED and shipment.status == ShipmentStatus.DISPATCHED:
            update_versioned(
                actor,
                shipment,
                {"status": ShipmentStatus.ARRIVED, "arrived_at": at},
                shipment.version,
                "logistics.shipment_arrive",
            )
        return report

    return _create_once(FieldReport, client_id, payload, _field_report_key, create)  # type: ignore[no-any-return]


# --- sealed packages -------------------------------------------------------------------------


def package_plan(items: Iterable[Item], tps: PollingStation) -> list[tuple[Contest, Item | None, dict[Item, int]]]:
    """The boxes one TPS gets, derived from the catalogue rules: one per contest with items for
    the TPS's area (its ballots, DPT + reserve, and forms); the first box (the widest contest:
    the governor's before the bupati's) also holds the common supplies. The contest's box item is
    the box itself; booths travel loose. Returns (contest, box item, contents) per box."""
    dpt = tps.dpt_male + tps.dpt_female
    per_contest: dict[int, tuple[Contest, Item | None, dict[Item, int]]] = {}
    common: dict[Item, int] = {}
    for item in items:
        if item.kind in rules.LOOSE_KINDS:
            continue
        if item.contest_id is None:
            if item.kind != rules.CONTAINER_KIND and item.required_for(dpt) > 0:
                common[item] = item.required_for(dpt)
            continue
        contest = item.contest
        assert contest is not None
        if not scoping.in_subtree(tps.village_id, contest.region_id):
            continue
        _c, _box, contents = per_contest.setdefault(contest.pk, (contest, None, {}))
        if item.kind == rules.CONTAINER_KIND:
            per_contest[contest.pk] = (contest, item, contents)
        elif item.required_for(dpt) > 0:
            contents[item] = item.required_for(dpt)
    boxes = sorted(per_contest.values(), key=lambda b: (len(b[0].region_id), b[0].region_id, b[0].pk))
    if boxes:
        boxes[0][2].update(common)
    return boxes


def seal_label(prefix: str, number: int) -> str:
    return f"{prefix}{number:0{rules.SEAL_DIGITS}d}"


def pack(
    actor: Any,
    election: Election,
    *,
    region: Region | None = None,
    polling_station: PollingStation | None = None,
    first_seal: int,
    seal_prefix: str = "",
) -> dict[str, int]:
    """Pack the sealed boxes of one TPS, or of every TPS of a desa or kecamatan: one box per TPS
    and contest with the contents the catalogue rules give, the seals numbered on from
    ``first_seal`` (a roll of numbered seals). Boxes already packed are kept as they are, so a
    retry packs nothing twice. A seal number already used in the election refuses the whole
    packing. Returns how many boxes were packed now and how many the area has."""
    code = polling_station.village_id if polling_station is not None else (region.code if region else "")
    _require(actor, "logistics", code or None)
    errors: dict[str, list[str]] = {}
    if polling_station is None and (region is None or region.level < Level.KECAMATAN):
        errors.setdefault("region", []).append(_("Pack per kecamatan, desa or TPS."))
    if polling_station is not None and polling_station.election_id != election.pk:
        errors.setdefault("region", []).append(_("This TPS is not in this election."))
    if isinstance(first_seal, bool) or not isinstance(first_seal, int) or not 1 <= first_seal <= rules.MAX_SEAL:
        errors.setdefault("first_seal", []).append(
            _("The first seal number is a whole number from 1 to %(max)s.") % {"max": formats.number(rules.MAX_SEAL)}
        )
    if len(seal_prefix) > 20 or not all(c.isalnum() or c in "-/." for c in seal_prefix):
        errors.setdefault("seal_prefix", []).append(
            _("The seal prefix is at most 20 letters, digits, “-”, “/” or “.”.")
        )
    if errors:
        raise ValidationError(errors)
    stations = PollingStation.objects.filter(election=election).select_related("village")
    if polling_station is not None:
        stations = stations.filter(pk=polling_station.pk)
    else:
        assert region is not None
        stations = stations.filter(scoping.subtree_q("village", region.code))
    stations = stations.order_by("village_id", "number")
    items = list(Item.objects.filter(election=election).select_related("contest").order_by("order", "code"))
    packed = set(
        Package.objects.filter(election=election, polling_station__in=stations).values_list(
            "polling_station_id", "contest_id"
        )
    )
    now = dates.now(election.timezone)
    new: list[tuple[Package, dict[Item, int]]] = []
    for tps in stations:
        for contest, _box, contents in package_plan(items, tps):
            if (tps.pk, contest.pk) in packed:
                continue
            label = _("TPS %(number)s %(desa)s — %(contest)s") % {
                "number": tps.number,
                "desa": tps.village.name,
                "contest": contest.name,
            }
            package = Package(
                election=election,
                contest=contest,
                polling_station=tps,
                region_id=tps.village_id,
                label=label[:200],
                seal_number=seal_label(seal_prefix, first_seal + len(new)),
                packed_at=now,
            )
            new.append((package, contents))
    total = len(packed) + len(new)
    if not new:
        if total == 0:
            raise ValidationError({"region": [_("There is nothing to pack here: no TPS with items in the catalogue.")]})
        return {"packed": 0, "packages": total}
    seals = [p.seal_number for p, _c in new]
    if first_seal + len(new) - 1 > rules.MAX_SEAL:
        raise ValidationError({"first_seal": [_("The seal numbers would run past %(max)s.") % {"max": rules.MAX_SEAL}]})
    used = _seals_in_use(election, seals)[:3]
    if used:
        raise ValidationError(
            {
                "first_seal": [
                    _(
                        "Seal number %(seal)s is already on %(label)s: a seal number is used once per election. "
                        "These %(n)s boxes need seals %(first)s to %(last)s; start from an unused number."
                    )
                    % {
                        "seal": seal,
                        "label": label,
                        "n": formats.number(len(new)),
                        "first": seals[0],
                        "last": seals[-1],
                    }
                    for seal, label in used
                ]
            }
        )
    try:
        with transaction.atomic():
            created = Package.objects.bulk_create([p for p, _c in new])
            PackageContent.objects.bulk_create(
                [
                    PackageContent(package=p, item=item, quantity=q)
                    for p, (_p, contents) in zip(created, new, strict=True)
                    for item, q in contents.items()
                ]
            )
            audit.record_many(
                actor,
                "logistics.pack",
                Package,
                (
                    (
                        p.pk,
                        str(p),
                        {"seal_number": [None, p.seal_number], "contents": [None, {i.code: q for i, q in c.items()}]},
                        p.region_id,
                    )
                    for p, (_p, c) in zip(created, new, strict=True)
                ),
            )
    except IntegrityError:
        # another packing of the same TPS or with the same seals won the race: nothing of ours was written
        raise ValidationError(
            {"first_seal": [_("Another packing of these TPS or seals was saved at the same time; reload and retry.")]}
        ) from None
    return {"packed": len(new), "packages": total}


def _box_items(contest_ids: Iterable[int]) -> dict[int, Item]:
    """Per contest, the catalogue item that counts its boxes: the first container item by the
    catalogue's order (so what is shipped and what is received count the same item)."""
    rows = Item.objects.filter(contest_id__in=set(contest_ids), kind=rules.CONTAINER_KIND).order_by("-order", "-id")
    return {i.contest_id: i for i in rows}  # the last written is the first by order


def package_lines(packages: Iterable[Package]) -> dict[Item, int]:
    """What the packages hold per item, the box itself counted under the contest's box item."""
    out: dict[Item, int] = {}
    packages = list(packages)
    boxes = _box_items(p.contest_id for p in packages)
    contents = PackageContent.objects.filter(package__in=packages).select_related("item").order_by("item__order")
    for c in contents:
        out[c.item] = out.get(c.item, 0) + c.quantity
    for p in packages:
        box = boxes.get(p.contest_id)
        if box is not None:
            out[box] = out.get(box, 0) + 1
    return out


PackageReport = tuple[str, dict[int, tuple[int, int]] | None]


def _package_counts(
    packages: dict[int, Package], reports: dict[int, PackageReport]
) -> dict[Item, tuple[int, int, int]]:
    """Good, damaged, missing per item as the packages' conditions say: an intact box counts as
    packed, a missing one as missing, an opened one as found (the rest missing); the box item
    counts the box (damaged when wet or its seal broken). Unknown packages are skipped."""
    out: dict[Item, list[int]] = {}
    boxes = _box_items(p.contest_id for p in packages.values())

    def add(item: Item, g: int, d: int, m: int) -> None:
        row = out.setdefault(item, [0, 0, 0])
        row[0] += g
        row[1] += d
        row[2] += m

    for pk, (condition, found) in reports.items():
        package = packages.get(pk)
        if package is None or condition not in PackageCondition.values:
            continue
        for c in package.contents.all():
            if condition == PackageCondition.INTACT:
                add(c.item, c.quantity, 0, 0)
            elif condition == PackageCondition.MISSING:
                add(c.item, 0, 0, c.quantity)
            else:
                g, d = (found or {}).get(c.item_id, (0, 0))
                add(c.item, g, d, max(c.quantity - g - d, 0))
        box = boxes.get(package.contest_id)
        if box is not None:
            state = {PackageCondition.INTACT: (1, 0, 0), PackageCondition.MISSING: (0, 0, 1)}.get(
                PackageCondition(condition), (0, 1, 0)
            )
            add(box, *state)
    return {item: (g, d, m) for item, (g, d, m) in out.items()}


def _package_errors(packages: dict[int, Package], reports: dict[int, PackageReport], shipment: Shipment) -> list[str]:
    errors: list[str] = []
    labels = dict(PackageCondition.choices)
    for pk, (condition, found) in reports.items():
        package = packages.get(pk)
        if package is None:
            errors.append(
                _("Package #%(id)s is not on shipment #%(s)s: report only the boxes it carries.")
                % {"id": pk, "s": shipment.pk}
            )
            continue
        if condition not in PackageCondition.values:
            errors.append(
                _("%(package)s: “%(c)s” is not a condition; choose intact, wet, seal broken or missing.")
                % {"package": package, "c": condition}
            )
            continue
        if condition not in OPENED_CONDITIONS:
            if found:
                errors.append(
                    _("%(package)s: only a wet box or one with a broken seal is opened and counted.")
                    % {"package": package}
                )
            continue
        contents = {c.item_id: c for c in package.contents.all()}
        if not found:
            errors.append(
                _("%(package)s is “%(c)s”: open it before the witnesses and count what is inside.")
                % {"package": package, "c": labels[condition]}
            )
            continue
        for item_id, (good, damaged) in found.items():
            content = contents.get(item_id)
            if content is None:
                errors.append(
                    _("%(package)s: item #%(id)s was not packed in it.") % {"package": package, "id": item_id}
                )
            elif min(good, damaged) < 0:
                errors.append(_("Counts of %(item)s must not be negative.") % {"item": content.item})
            elif good + damaged > content.quantity:
                errors.append(
                    _("%(package)s: %(n)s of %(item)s counted but %(q)s were packed.")
                    % {
                        "package": package,
                        "n": formats.number(good + damaged),
                        "item": content.item,
                        "q": formats.number(content.quantity),
                    }
                )
        for item_id, content in contents.items():
            if item_id not in found:
                errors.append(
                    _("%(package)s: count %(item)s (good and damaged; write 0 if none).")
                    % {"package": package, "item": content.item}
                )
    for pk, package in packages.items():
        if pk not in reports:
            errors.append(
                _("%(package)s: state its condition (intact, wet, seal broken or missing).") % {"package": package}
            )
    return errors
