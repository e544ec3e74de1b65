"""Logistics status of a region for the current election, for scheduled reports and scripts."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core import dates
from elections.models import Election
from logistics import selectors
from logistics.models import Node, Package, Supply
from regions.models import Region


class Command(BaseCommand):
    help = "Per item: required, dispatched, received, damaged/missing, shortfall; and the nodes at risk."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("region_code")
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--election", type=int)

    def handle(self, *args: Any, **opts: Any) -> None:
        region = Region.objects.filter(code=opts["region_code"]).first()
        if region is None:
            raise CommandError(f"Unknown region code: {opts['region_code']}")
        election = Election.objects.filter(pk=opts["election"]).first() if opts["election"] else Election.current()
        if election is None:
            raise CommandError("No election found.")
        items = selectors.progress(Supply.objects.all(), election, region)
        risks = list(selectors.at_risk_nodes(election, region, dates.now(election.timezone), Node.objects.all()))
        packages = selectors.package_conditions(selectors.region_packages(Package.objects.all(), election, region))
        data = {
            "region": region.code,
            "election": election.name,
            "items": [
                {
                    "item": r["item"].code,
                    "required": r["required"],
                    "dispatched": r["dispatched"],
                    "received": r["received"],
                    "damaged": r["damaged"],
                    "missing": r["missing"],
                    "shortfall": r["shortfall"],
                    "tps": r["tps"],
                    "tps_supplied": r["supplied"],
                }
                for r in items
            ],
            "at_risk": [{"node": n.name, "region": n.region_id, "reason": reason} for n, reason in risks],
            # sealed boxes by their condition at the last hand-over ("none": not handed over yet)
            "packages": {"total": sum(packages.values()), **packages},
        }
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{election.name} — {region.name} ({region.code})")
        head = f"{'item':<16}{'required':>12}{'dispatched':>12}{'received':>12}{'dmg/miss':>12}{'shortfall':>12}"
        self.stdout.write(head)
        for r in data["items"]:
            dm = f"{r['damaged']}/{r['missing']}"
            self.stdout.write(
                f"{r['item']:<16}{r['required']:>12,}{r['dispatched']:>12,}{r['received']:>12,}"
                f"{dm:>12}{r['shortfall']:>12,}"
            )
        self.stdout.write(
            "Packages: " + ", ".join(f"{k} {v:,}" for k, v in data["packages"].items())  # type: ignore[attr-defined]
        )
        self.stdout.write(f"At risk: {len(risks)}")
        for n in data["at_risk"]:
            self.stdout.write(f"  {n['node']} ({n['region']}): {n['reason']}")
