"""Read-side queries for participation: the targets of a region, its turnout history, the gap
analysis by kecamatan or desa, the outreach done and the voting-day turnout as reports arrive.

The figures (gap, outreach counts, voting-day turnout) are aggregates of the whole region, the same
for every reader; the lists of events go through ``restrict``. Nothing is counted before the day it
came to exist (``core.dates.today``).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils.translation import gettext as _

from core import dates, scoping
from core.models import SourceStatus
from participation.models import Outreach, Target, TurnoutHistory, TurnoutReport, trim
from regions.models import PollingStation, Region
from regions.selectors import CODE_LENGTH, totals_by_child

FOCUS_LIMIT = 5
FORMULA = "turnout = voters who voted (ballots used) ÷ DPT"


def formula() -> str:
    return _("Turnout = voters who voted (ballots used) ÷ DPT.")


def may_read(user: Any) -> bool:
    return scoping.can(user, "participation", scoping.VIEW)


def narrowed(user: Any, code: str) -> bool:
    """Does the user read only part of the events of ``code`` (an office below it)?"""
    return not scoping.can(user, "participation", scoping.VIEW, code)


def region_for(user: Any, code: str) -> Region:
    """The region ``code`` if the user reads participation in, above or below it (404 otherwise)."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("Not found."))
    scopes = scoping.grants(user, "participation", scoping.VIEW)
    if not any(s is None or scoping.in_subtree(code, s) or scoping.in_subtree(s, code) for s in scopes):
        raise Http404(_("Not found."))
    return region


def _up(code: str) -> list[str]:
    """``code`` and its ancestors, nearest first."""
    return [code, *reversed(scoping.ancestor_codes(code))] if code else []


def pct(part: Any, whole: Any) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def voters_needed(dpt: int, target: Decimal | None, last: Decimal | None) -> int | None:
    """max(0, ceil(DPT × target/100) − round(DPT × last/100)); None without a target or a last turnout."""
    if target is None or last is None:
        return None
    wanted = math.ceil(Decimal(dpt) * target / 100)
    had = int((Decimal(dpt) * last / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(0, wanted - had)


# --- targets ---------------------------------------------------------------------------------------


def targets(election: Any, code: str, today: dt.date | None = None) -> dict[str, Any]:
    """The targets cited for ``code`` or a region above it, oldest first; the working target is the
    latest cited; ``disagree`` when they state different values."""
    today = today or dates.today()
    rows = list(
        Target.objects.filter(election=election, region_id__in=_up(code), cited_on__lte=today)
        .select_related("source", "region")
        .order_by("cited_on", "id")
    )
    working = rows[-1] if rows else None
    return {
        "rows": rows,
        "working": working,
        "value": trim(working.value) if working else None,
        "disagree": len({r.value for r in rows}) > 1,
    }


# --- history ---------------------------------------------------------------------------------------


def history(code: str, today: dt.date | None = None) -> list[TurnoutHistory]:
    today = today or dates.today()
    return list(
        TurnoutHistory.objects.filter(region_id=code, as_of__lte=today).select_related("source").order_by("-held_on")
    )


def _latest_by_region(codes: list[str], today: dt.date) -> dict[str, TurnoutHistory]:
    out: dict[str, TurnoutHistory] = {}
    rows = TurnoutHistory.objects.filter(region_id__in=codes, as_of__lte=today).select_related("source", "region")
    for row in rows.order_by("region_id", "-held_on", "-id"):
        out.setdefault(row.region_id, row)
    return out


def last_turnout(code: str, today: dt.date | None = None) -> dict[str, Any] | None:
    """The latest turnout recorded for ``code``, else its nearest ancestor's (said so)."""
    today = today or dates.today()
    latest = _latest_by_region(_up(code), today)
    return _last(code, latest)


def _last(code: str, latest: dict[str, TurnoutHistory]) -> dict[str, Any] | None:
    for c in _up(code):
        row = latest.get(c)
        if row is not None:
            return {"row": row, "value": row.turnout, "own": c == code, "from_code": c, "from_name": row.region.name}
    return None


# --- gap -------------------------------------------------------------------------------------------


def gap(election: Any, region: Region, today: dt.date | None = None) -> dict[str, Any]:
    """Per kecamatan (of a kabupaten) or desa (of a kecamatan): DPT, last turnout, target, voters
    needed and outreach done; and the focus list."""
    today = today or dates.today()
    target = targets(election, region.code, today)
    children = list(Region.objects.filter(parent=region).order_by("code"))
    if not children:
        return {"rows": [], "focus": [], "target": target, "level": None}
    tps = PollingStation.objects.filter(election=election)
    dpt = totals_by_child(tps, region)
    codes = [c.code for c in children]
    latest = _latest_by_region(codes + _up(region.code), today)
    n = CODE_LENGTH[children[0].level]
    done = {
        r["child"]: r
        for r in Outreach.objects.filter(election=election, held_on__lte=today)
        .filter(scoping.subtree_q("region", region.code))
        .exclude(region_id=region.code)
        .annotate(child=Substr("region_id", 1, n))
        .values("child")
        .annotate(events=Count("id"), attendance=Coalesce(Sum("attendance"), 0))
        .order_by()
    }
    rows = []
    for child in children:
        d = dpt.get(child.code, {}).get("dpt", 0)
        last = _last(child.code, latest)
        value = last["value"] if last else None
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "dpt": d,
                "tps": dpt.get(child.code, {}).get("tps", 0),
                "last": value,
                "last_label": last["row"].label if last else "",
                "last_own": bool(last and last["own"]),
                "last_from": last["from_name"] if last else "",
                "target": target["value"],
                "needed": voters_needed(d, target["value"], value) if d else None,
                "events": done.get(child.code, {}).get("events", 0),
                "attendance": done.get(child.code, {}).get("attendance", 0),
            }
        )
    focus = sorted((r for r in rows if r["needed"]), key=focus_key)[:FOCUS_LIMIT]
    return {"rows": rows, "focus": focus, "target": target, "level": children[0].level}


def focus_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """Most voters still to gain per outreach already held first: voters needed ÷ (events + 1), so a
    place no event has reached yet outranks a bigger one that several have (then the attendance)."""
    return (-Decimal(row["needed"]) / (row["events"] + 1), row["attendance"], row["code"])


# --- outreach --------------------------------------------------------------------------------------


def outreach(user: Any, election: Any, code: str, today: dt.date | None = None) -> Any:
    """The events the user may read in ``code``, newest first, held by today."""
    today = today or dates.today()
    qs = Outreach.objects.restrict(user).filter(election=election, held_on__lte=today)
    if code:
        qs = qs.filter(scoping.subtree_q("region", code))
    return qs.select_related("region", "agency", "source").annotate(photo_count=Count("photos"))


def outreach_totals(election: Any, code: str, today: dt.date | None = None) -> dict[str, Any]:
    today = today or dates.today()
    qs = Outreach.objects.filter(election=election, held_on__lte=today)
    if code:
        qs = qs.filter(scoping.subtree_q("region", code))
    agg = qs.aggregate(events=Count("id"), attendance=Coalesce(Sum("attendance"), 0))
    agg["illustrative"] = qs.filter(source__status=SourceStatus.ILLUSTRATIVE).exists()
    return agg


# --- voting day ------------------------------------------------------------------------------------


def voting_day(election: Any, code: str, today: dt.date | None = None) -> dict[str, Any] | None:
    """From voting day: the latest report of each TPS of ``code`` added up -- voters, the DPT of the
    reporting TPS, their turnout against the working target, TPS reported x of y."""
    today = today or dates.today()
    if today < election.voting_date:
        return None
    area = Q()
    if code:
        area = scoping.subtree_q("village", code)
    total = PollingStation.objects.filter(election=election).filter(area).count()
    reports = TurnoutReport.objects.filter(election=election, current=True, reported_on__lte=today).filter(area)
    agg = reports.aggregate(
        reported=Count("id"),
        voters=Coalesce(Sum("voters"), 0),
        dpt=Coalesce(Sum(F("tps__dpt_male") + F("tps__dpt_female")), 0),
    )
    target = targets(election, code, today)["value"]
    turnout = pct(agg["voters"], agg["dpt"])
    return {
        **agg,
        "tps_total": total,
        "turnout": turnout,
        "target": target,
        "distance": (turnout - target) if turnout is not None and target is not None else None,
        "illustrative": reports.filter(source__status=SourceStatus.ILLUSTRATIVE).exists(),
    }


# --- the report's figures --------------------------------------------------------------------------


def _source(s: Any) -> dict[str, Any] | None:
    return s.as_dict() if s is not None else None


def status_figures(election: Any, region: Region, today: dt.date | None = None) -> dict[str, Any]:
    """What the report section, ``participation_status`` and ``GET /status/{code}`` show: counts and
    figures only, the same for every reader."""
    today = today or dates.today()
    g = gap(election, region, today)
    t = g["target"]
    last = last_turnout(region.code, today)
    vd = voting_day(election, region.code, today)
    return {
        "region_code": region.code,
        "region_name": region.name,
        "election": election.name,
        "as_of": today,
        "formula": FORMULA,
        "targets": [
            {
                "value": trim(r.value),
                "region_code": r.region_id,
                "cited_on": r.cited_on,
                "cited_at": r.cited_at,
                "source": _source(r.source),
            }
            for r in t["rows"]
        ],
        "working_target": t["value"],
        "targets_disagree": t["disagree"],
        "last_turnout": (
            {
                "value": last["value"],
                "label": last["row"].label,
                "region_code": last["from_code"],
                "own": last["own"],
            }
            if last
            else None
        ),
        "distance": (last["value"] - t["value"]) if last and last["value"] is not None and t["value"] else None,
        "history": [
            {
                "label": h.label,
                "held_on": h.held_on,
                "dpt": h.dpt,
                "voters": h.voters,
                "turnout": h.turnout,
                "computed": h.computed,
                "as_of": h.as_of,
                "source": _source(h.source),
            }
            for h in history(region.code, today)
        ],
        "gap": g["rows"],
        "focus": [r["code"] for r in g["focus"]],
        "outreach": outreach_totals(election, region.code, today),
        "voting_day": vd,
    }


def plain(value: Any) -> Any:
    """``value`` with its decimals as numbers and its dates as ISO strings: the JSON the API and
    ``participation_status --json`` give."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
