"""Grant figures of a region for the current election, for scheduled reports and scripts.

The figures of the situation report's grants section and of ``GET /api/v1/budget/status/{code}``
(one selector, one JSON shape): agreed, disbursed and accounted for per recipient, the late LPJ,
and the figures sources quote beside the recorded ones."""

from __future__ import annotations

from typing import Any

from budget import selectors
from budget.money import rupiah
from core.status_command import StatusCommand


class Command(StatusCommand):
    help = "Grants (hibah) of a region: agreed, disbursed and accounted for per recipient, and the late LPJ."

    def figures(self, desk: Any, election: Any, region: Any) -> dict[str, Any]:
        return selectors.status_figures(election, selectors.granting_code(region.code))  # type: ignore[no-any-return]

    def print_text(self, data: dict[str, Any], out: Any) -> None:
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
