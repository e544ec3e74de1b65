"""Grant figures of a region for the current election, for scheduled reports and scripts.

The figures of the situation report's grants section and of ``GET /api/v1/budget/status/{code}``
(one selector, one JSON shape): agreed, disbursed and accounted for per recipient, the late LPJ,
and the figures sources quote beside the recorded ones."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from budget import selectors
from budget.money import rupiah
from elections.models import Election
from regions.models import Region


class Command(BaseCommand):
    help = "Grants (hibah) of a region: agreed, disbursed and accounted for per recipient, and the late LPJ."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("region_code")
        parser.add_argument("--json", action="store_true", help="machine-readable output (the API's shape)")
        parser.add_argument("--election", type=int)

    def handle(self, *args: Any, **opts: Any) -> None:
        region = Region.objects.filter(code=opts["region_code"]).first()
        if region is None:
            raise CommandError(f"Unknown region code: {opts['region_code']}")
        election = Election.objects.filter(pk=opts["election"]).first() if opts["election"] else Election.current()
        if election is None:
            raise CommandError("No election found.")
        data = selectors.status_figures(election, selectors.granting_code(region.code))
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder))
            return
        out = self.stdout.write
        out(f"{election.name} — {region.name} ({region.code}), as of {data['as_of']}")
        for r in [*data["recipients"], {"agency": "Total", **data["totals"]}]:
            out(
                f"  {r['agency']}: agreed {rupiah(r['agreed'])}, disbursed {rupiah(r['disbursed'])}, "
                f"accounted {rupiah(r['accounted'])} ({r['agreed']:,} / {r['disbursed']:,} / {r['accounted']:,})"
            )
        out(f"Late LPJ: {len(data['late_lpj'])}")
        for d in data["late_lpj"]:
            state = f"submitted {d['final_submitted_on']}" if d["final_submitted_on"] else "not submitted"
            out(f"  {d['agency']} NPHD {d['number']}: due {d['lpj_due']}, {state} ({d['days_late']} days late)")
        for c in data["cited"]:
            out(
                f"Cited: {c['label']}: {rupiah(c['amount'])} ({c['source']['publisher']}, {c['source']['as_of']}); "
                f"recorded {rupiah(c['recorded'])}, difference {rupiah(c['difference'])}"
            )
