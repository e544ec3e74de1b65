"""Security status of a region for the current election, for scheduled reports and scripts.

The figures of the situation report's security section and of ``GET /api/v1/security/status/{code}``
(one selector, one JSON shape), read as the whole Desk: the IKP, TPS by Bawaslu category,
personnel needed against the pool per Polres and kecamatan, open incidents and the kecamatan not
"aman" today."""

from __future__ import annotations

from typing import Any

from core.status_command import StatusCommand
from security import selectors


class Command(StatusCommand):
    help = (
        "IKP, TPS by vulnerability category, personnel needed vs available per Polres and kecamatan, "
        "open incidents and the kecamatan not aman today."
    )

    def figures(self, desk: Any, election: Any, region: Any) -> dict[str, Any]:
        return selectors.status(desk, election, region.code)  # type: ignore[no-any-return]

    def print_text(self, data: dict[str, Any], out: Any) -> None:
        for i in data["ikp"]:
            src = i["source"]
            out(f"IKP {i['region']}: {i['score']:.2f} ({i['band']}) — {src['publisher']}, {i['published_on']}")
        c = data["tps_by_category"]
        share = f"{c['share']:.1f}%" if c["share"] is not None else "-"
        out(
            f"TPS: {c['tps']:,} — kurang rawan {c['kurang_rawan']:,}, rawan {c['rawan']:,}, "
            f"sangat rawan {c['sangat_rawan']:,}, khusus {c['khusus']:,}, not assessed {c['not_assessed']:,}; "
            f"rawan or sangat rawan {share} of those assessed"
        )
        dep = data["deployment"]
        out(f"{'Polres':<28}{'TPS':>7}{'Polri need':>12}{'Polri':>8}{'reserve':>9}{'Linmas need':>13}{'Linmas':>8}")
        for p in dep["per_polres"]:
            out(
                f"{p['polres']:<28}{p['tps']:>7,}{p['need_polri']:>12,}{p['polri']:>8,}{p['reserve']:>9,}"
                f"{p['need_linmas']:>13,}{p['linmas']:>8,}"
            )
        out(f"{'kecamatan':<28}{'TPS':>7}{'Polri need':>12}{'Polri':>8}{'Linmas need':>13}{'Linmas':>8}  gap")
        for k in dep["per_kecamatan"]:
            if not k["pool_recorded"]:
                gap = "pool not recorded"
            else:
                gap = (
                    ", ".join(
                        f"{k[f]:,} {label} short"
                        for f, label in (("gap_polri", "Polri"), ("gap_linmas", "Linmas"))
                        if k[f]
                    )
                    or "-"
                )
            out(
                f"{k['name']:<28}{k['tps']:>7,}{k['need_polri']:>12,}{k['polri']:>8,}{k['need_linmas']:>13,}"
                f"{k['linmas']:>8,}  {gap}"
            )
        out(f"Open incidents: {data['open_incidents']}; in the last 7 days: {data['incidents_last_7_days']}")
        for s in data["not_aman"]:
            out(f"  {s['name']}: {s['level']} — {s['note']}")
