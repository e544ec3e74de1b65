"""Logistics status of a region for the current election, for scheduled reports and scripts.

The same figures as the region's logistics page and ``GET /api/v1/logistics/progress/{code}``
(one selector, one JSON shape), read without a user's scope."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from core import dates, formats
from elections.models import Election
from logistics import selectors
from logistics.api import status_json
from logistics.models import AlertKind, NodeLevel
from regions.models import Region


class Command(BaseCommand):
    help = (
        "Per item: required, dispatched, received, damaged/missing (at the TPS and as reported at every level), "
        "shortfall; the nodes at risk, the overdue shipments and the open alerts (custody warnings included); "
        "the routes affected by flood, low water or rapids."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("region_code")
        parser.add_argument("--json", action="store_true", help="machine-readable output (the API's shape)")
        parser.add_argument("--election", type=int)
        parser.add_argument("--limit", type=int, default=100, help="rows listed per kind of problem (default 100)")

    def handle(self, *args: Any, **opts: Any) -> None:
        region = Region.objects.filter(code=opts["region_code"]).first()
        if region is None:
            raise CommandError(f"Unknown region code: {opts['region_code']}")
        election = Election.objects.filter(pk=opts["election"]).first() if opts["election"] else Election.current()
        if election is None:
            raise CommandError("No election found.")
        if opts["limit"] < 1:
            raise CommandError("--limit must be at least 1.")
        now = dates.now(election.timezone)
        status = selectors.region_status(
            election, region, now, lambda qs: qs, limit=opts["limit"], alert_limit=opts["limit"]
        )
        data = status_json(status, election, region, now)
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder))
            return
        out = self.stdout.write
        out(f"{election.name} — {region.name} ({region.code}), as of {formats.moment(now, election.timezone)}")
        levels = [NodeLevel(lv).name for lv in selectors.RECEIVING_LEVELS]
        head = f"{'item':<16}{'required':>12}{'dispatched':>12}{'received':>12}{'shortfall':>12}  damaged/missing "
        out(head + " ".join(levels))
        for r in data["items"]:
            reported = " ".join(f"{d['damaged']}/{d['missing']}" for d in r["reported_by_level"])
            out(
                f"{r['item_code']:<16}{r['required']:>12,}{r['dispatched']:>12,}{r['received']:>12,}"
                f"{r['shortfall']:>12,}  {reported}"
            )
        out("Packages: " + ", ".join(f"{k} {v:,}" for k, v in data["packages"].items()))
        out(f"At risk: {data['at_risk_total']}")
        for n in data["at_risk"]:
            out(f"  {n['node']} ({n['region_code']}): {n['reason']} — {n['tps_waiting']} TPS waiting")
        out(f"Overdue: {data['overdue_total']}")
        for o in status.overdue.rows:
            out(
                f"  #{o.shipment.pk} to {o.shipment.destination.name} ({o.mode_label}): expected "
                f"{formats.moment(o.shipment.expected_arrival, election.timezone)}, {o.late_by(now)} late"
            )
        kinds = Counter(a["kind"] for a in data["alerts"])
        out(
            f"Open alerts: {data['alerts_total']}"
            + "".join(f"; {AlertKind(k).name.lower()} {n}" for k, n in sorted(kinds.items()))
        )
        for a in data["alerts"]:
            if a["kind"] == AlertKind.CUSTODY:
                out(f"  custody: {a['message']}")
        out(f"Routes affected: {status.routes_affected.total}")
        for r in status.routes_affected.rows:
            by = "the alternative" if r.uses_alternative else "the usual route (no alternative set)"
            since = formats.moment(r.condition_since, election.timezone)
            out(f"  {r}: {r.get_condition_display()} since {since} ({r.condition_note}); the plan goes by {by}")
