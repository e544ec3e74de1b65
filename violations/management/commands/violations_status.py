"""Violation figures of a region for the current election, for scheduled reports and scripts.

The figures of the situation report's violations section and of
``GET /api/v1/violations/status/{code}`` (one selector, one JSON shape), read as the whole Desk:
counts by status, category and reported-party kind, the ASN neutrality cases, and the cases near
or past their deadline -- by number and allegation, never the reporter."""

from __future__ import annotations

from typing import Any

from core.status_command import StatusCommand
from violations import selectors


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {n:,}" for key, n in counts.items()) or "-"


def _due(row: dict[str, Any]) -> str:
    left = row["days_left"]
    unit = "working day" if row["working_days"] else "day"
    days = abs(left)
    when = f"{days} {unit}{'' if days == 1 else 's'} {'left' if left >= 0 else 'late'}"
    return f"  #{row['number']} {row['summary']} — {row['status']}, due {row['deadline']} ({when})"


class Command(StatusCommand):
    help = (
        "Violation cases of a region: counts by status, category and reported-party kind, ASN neutrality, "
        "and the cases near or past their deadline."
    )

    def figures(self, desk: Any, election: Any, region: Any) -> dict[str, Any]:
        return selectors.status_figures(desk, election, region.code)  # type: ignore[no-any-return]

    def print_text(self, data: dict[str, Any], out: Any) -> None:
        out(f"Cases: {data['total']:,}, open {data['open']:,}")
        out(f"By status: {_counts(data['by_status'])}")
        out(f"By category: {_counts(data['by_category'])}")
        out(f"By reported-party kind: {_counts(data['by_party_kind'])}")
        asn = data["asn"]
        out(
            f"ASN neutrality: {asn['cases']:,} case(s), {asn['referred']:,} referred to BKN/KASN, "
            f"{asn['sanctioned']:,} sanctioned"
        )
        for title, key in (("Near deadline:", "near_deadline"), ("Overdue:", "overdue")):
            out(f"{title} {data[key + '_total']:,}")
            for row in data[key]:
                out(_due(row))
            if data[key + "_total"] > len(data[key]):
                out(f"  ... and {data[key + '_total'] - len(data[key]):,} more")
