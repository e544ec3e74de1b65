"""Targets derived backwards from the one legal deadline: every TPS has its kit by H-1.

Only delivery to the KPPS by H-1 is a rule (FACTS.md); "around H-4 at the kecamatan" is practice.
So each node carries two moments, recomputed whenever a route, the plan or the network changes:

- ``due_at``: when goods must be at the node. A KPPS: the deadline (H-n of the plan, H-1 by
  default). A PPS or PPK: the earlier of the plan's practice target for its level and the latest
  safe dispatch of every node it serves — so a desa up a river is due at its PPK earlier than one
  on the road, and a kecamatan whose furthest desa needs a day by boat is due a day earlier.
- ``inbound_depart_by``: the latest safe dispatch towards it: ``due_at`` minus the plan's buffer
  for the route's transport minus the travel time; over a route with scheduled departures (a
  helicopter slot, a weekly boat) the last departure that still arrives by ``due_at`` minus the
  buffer (``rules.NO_SAFE_DISPATCH`` when none does).

Risk then needs no per-level arithmetic: goods not sent by ``inbound_depart_by`` are at risk;
goods expected after ``due_at`` are late — both plain column comparisons, at national scale.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from core import scoping
from elections.models import Election
from logistics import rules, selectors
from logistics.models import Node, NodeLevel, Plan, Route, RouteLeg

CHAIN_UP = (NodeLevel.KPPS, NodeLevel.PPS, NodeLevel.PPK)


def buffer_minutes(plan: Plan, mode: str) -> int:
    """The plan's margin before a node's due time for goods coming by ``mode``."""
    return int(getattr(plan, rules.buffer_field(mode)))


def refresh(election: Election, region_code: str | None = None) -> int:
    """Recompute ``due_at`` and ``inbound_depart_by`` of the nodes below ``region_code`` (a
    kecamatan or wider; None: the whole election), bottom-up. Returns how many nodes changed."""
    plan = selectors.plan_of(election)
    tz = election.timezone
    practice = {level: selectors.due(election, plan, level) for level in CHAIN_UP}
    nodes = Node.objects.filter(election=election).exclude(level=NodeLevel.WAREHOUSE)
    routes = Route.objects.filter(destination__election=election)
    if region_code:
        nodes = nodes.filter(scoping.subtree_q("region", region_code))
        routes = routes.filter(scoping.subtree_q("destination__region", region_code))
    rows = {
        pk: (level, mode, minutes, due, by)
        for pk, level, mode, minutes, due, by in nodes.values_list(
            "pk", "level", "inbound_mode", "inbound_minutes", "due_at", "inbound_depart_by"
        ).order_by()
    }
    children: dict[int, list[int]] = defaultdict(list)
    inbound: dict[int, int] = {}
    for route_id, origin, destination in routes.values_list("pk", "origin_id", "destination_id").order_by():
        children[origin].append(destination)
        inbound[destination] = route_id
    scheduled = _scheduled_legs(routes)
    due_at: dict[int, dt.datetime] = {}
    depart_by: dict[int, dt.datetime | None] = {}
    for level in CHAIN_UP:
        target = practice[level]
        assert target is not None
        for pk, (lvl, mode, minutes, _due, _by) in rows.items():
            if lvl != level:
                continue
            # a node no scheduled departure serves in time is at risk itself; it does not drag the
            # nodes above it to a target of 1 Jan 2000
            below = [
                by
                for c in children.get(pk, ())
                if (by := depart_by.get(c)) is not None and by != rules.NO_SAFE_DISPATCH
            ]
            due: dt.datetime = min([target, *below])
            due_at[pk] = due
            if pk not in inbound:
                depart_by[pk] = None  # no route in: nothing to time
                continue
            latest = due - dt.timedelta(minutes=buffer_minutes(plan, mode))
            legs = scheduled.get(inbound[pk])
            if legs:
                depart_by[pk] = rules.latest_dispatch(legs, latest, tz) or rules.NO_SAFE_DISPATCH
            else:
                depart_by[pk] = latest - dt.timedelta(minutes=minutes)
    changed = [
        (due_at[pk], depart_by.get(pk), pk)
        for pk, (_l, _m, _n, stored_due, stored_by) in rows.items()
        if pk in due_at and (stored_due, stored_by) != (due_at[pk], depart_by.get(pk))
    ]
    _write(changed)
    if region_code is None:
        # remembered on the plan (saved now if the election ran on the defaults) with the voting
        # day and zone they were derived for, so the scan's ``ensure`` derives them again only
        # when those change
        stamp = {"targets_at": timezone.now(), "targets_for": derived_for(election)}
        saved, created = Plan.objects.get_or_create(election=election, defaults=stamp)
        if not created:
            Plan.objects.filter(pk=saved.pk).update(**stamp)
    return len(changed)


def for_node(node: Node) -> int:
    """After the route into ``node`` changed: its kecamatan's targets (a PPK's due time depends
    on every desa below it; a warehouse's route changes its kecamatan)."""
    code = node.region_id
    return refresh(node.election, code[:8] if len(code) >= 8 else code)


def derived_for(election: Election) -> str:
    """What the stored targets depend on beyond the plan and the routes: the voting day and zone."""
    return f"{election.voting_date.isoformat()} {election.timezone}"


def ensure(election: Election) -> None:
    """Targets for an election whose nodes predate them, or whose voting day or zone changed since
    they were derived (computed then, and kept by the actions otherwise)."""
    plan = selectors.plan_of(election)
    if plan.targets_at is None or plan.targets_for != derived_for(election):
        refresh(election)


def _scheduled_legs(routes: Any) -> dict[int, list[Any]]:
    """Per route id, the legs the plan goes by, for the routes with a scheduled departure (explicit
    legs are few: most routes are one implicit leg, never stored)."""
    legs = RouteLeg.objects.filter(route__in=routes).values_list("route_id", "departures").order_by()
    ids = {route_id for route_id, departures in legs if departures}
    return {r.pk: r.plan_legs for r in Route.objects.filter(pk__in=ids).prefetch_related("legs")}


def _write(changed: list[tuple[dt.datetime, dt.datetime | None, int]]) -> None:
    if not changed:
        return
    adapt = connection.ops.adapt_datetimefield_value
    table = Node._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET due_at = %s, inbound_depart_by = %s WHERE id = %s",
            [(adapt(due), adapt(by), pk) for due, by, pk in changed],
        )
