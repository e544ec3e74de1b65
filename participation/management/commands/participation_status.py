"""Participation figures of a region for the current election, for scheduled reports and scripts.

The figures of the situation report's participation section and of
``GET /api/v1/participation/status/{code}`` (one selector, one JSON shape): the targets with their
sources, the turnout history, the gap by kecamatan with the outreach done, and the voting-day
turnout. Turnout = voters who voted (ballots used) ÷ DPT."""

from __future__ import annotations

from typing import Any

from core.status_command import StatusCommand
from participation import selectors


def _n(value: Any) -> str:
    return "-" if value is None else f"{value:,}"


def _pct(value: Any) -> str:
    return "-" if value is None else f"{value:.2f}%"


class Command(StatusCommand):
    help = "Participation of a region: targets with sources, turnout history, gap by kecamatan, outreach done."

    def figures(self, desk: Any, election: Any, region: Any) -> dict[str, Any]:
        return selectors.plain(selectors.status_figures(election, region))  # type: ignore[no-any-return]

    def print_text(self, data: dict[str, Any], out: Any) -> None:
        out(f"Formula: {data['formula']}")
        out("Targets:" if data["targets"] else "Targets: none recorded")
        for t in data["targets"]:
            s = t["source"]
            where = f", {t['cited_at']}" if t["cited_at"] else ""
            out(f"  {_pct(t['value'])} cited {t['cited_on']}{where} — {s['status']}: {s['publisher']}, {s['title']}")
        if data["working_target"] is not None:
            note = " (the cited targets disagree)" if data["targets_disagree"] else ""
            out(f"Working target (latest cited): {_pct(data['working_target'])}{note}")
        out("Turnout history:" if data["history"] else "Turnout history: none recorded")
        for h in data["history"]:
            how = f"{_n(h['voters'])} ÷ {_n(h['dpt'])}" if h["computed"] else "published"
            out(f"  {h['label']}: {_pct(h['turnout'])} ({how}) — {h['source']['status']}: {h['source']['publisher']}")
        out("Gap by place (DPT, last turnout, voters needed, outreach done):")
        for r in data["gap"]:
            last = _pct(r["last"]) + ("" if r["last_own"] or r["last"] is None else f" [{r['last_from']}]")
            out(
                f"  {r['code']} {r['name']}: DPT {_n(r['dpt'])}, last {last}, needed {_n(r['needed'])}, "
                f"{r['events']} event(s), {_n(r['attendance'])} attended"
            )
        o = data["outreach"]
        out(f"Outreach: {o['events']:,} event(s), {o['attendance']:,} attended")
        vd = data["voting_day"]
        if vd:
            out(
                f"Voting day: {_pct(vd['turnout'])} — {vd['voters']:,} voters of DPT {vd['dpt']:,}, "
                f"TPS reported {vd['reported']:,} of {vd['tps_total']:,}"
            )
