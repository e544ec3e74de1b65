"""Read-side queries of security: TPS by category, what drives them, the guard against the need,
the day's situation and incidents. Every query for a user goes through ``restrict``; callers
check that the region asked for lies inside the reader's view (a region's figures are shown as
the region's only when the reader sees all of it)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from core import dates, scoping
from security.models import (
    Assessment,
    Category,
    ForcePool,
    Incident,
    IncidentStatus,
    Indicator,
    Pattern,
    RegionalIndex,
    Situation,
    SituationStatus,
    TpsGuard,
)

# Polri's pattern when neither the Polres nor the election set one: Operasi Mantap Praja 2024
# (FACTS.md), written Polri–TPS–Linmas.
DEFAULT_PATTERNS = {
    Category.SANGAT_RAWAN: (2, 1, 2),
    Category.RAWAN: (2, 2, 4),
    Category.KURANG_RAWAN: (2, 4, 8),
    Category.KHUSUS: (2, 1, 2),
}
CATEGORIES = [c.value for c in Category]
RAWAN = (Category.RAWAN, Category.SANGAT_RAWAN)


def region_for(user: Any, code: str, capability: str = "security") -> Any:
    """A region the reader may look at: inside their area, or above it (its figures then narrowed to
    their part, and said so); anything else is a 404, as if it did not exist."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from regions.models import Region

    region = get_object_or_404(Region, code=code)
    if not any(
        s is None or scoping.in_subtree(region.code, s) or scoping.in_subtree(s, region.code)
        for s in scoping.grants(user, capability, scoping.VIEW)
    ):
        raise Http404(_("No such region in your area."))
    return region


def child_length(code: str) -> int:
    """How long the codes one level below ``code`` are ("" → provinsi "64", "64" → "64.02", ...)."""
    return {0: 2, 2: 5, 5: 8}.get(len(code), 13)


def _in(qs: Any, field: str, code: str) -> Any:
    return qs.filter(scoping.subtree_q(field, code)) if code else qs


def current_assessments(user: Any, election: Any, code: str, *, public: bool = False) -> Any:
    """The current assessments of the region the user may read; ``public``: all of them, for the
    public counts by category (which name no TPS)."""
    rows = Assessment.objects.all() if public else Assessment.objects.restrict(user)
    return _in(rows.filter(election=election, current=True), "village", code)


def _with_share(counts: dict[str, int], tps_total: int) -> dict[str, Any]:
    assessed = sum(counts.get(c, 0) for c in CATEGORIES)
    rawan = sum(counts.get(c, 0) for c in RAWAN)
    return {
        **{c: counts.get(c, 0) for c in CATEGORIES},
        "assessed": assessed,
        "tps": tps_total,
        "not_assessed": max(tps_total - assessed, 0),
        "rawan_total": rawan,
        "share": round(100.0 * rawan / assessed, 1) if assessed else None,
    }


def tps_totals(election: Any, codes: list[str]) -> dict[str, int]:
    """The TPS registered per region (``RegionSummary``, kept by the TPS actions)."""
    from regions.models import RegionSummary

    rows = RegionSummary.objects.filter(election=election, region_code__in=codes).values_list("region_code", "tps")
    return dict(rows)


def category_counts(user: Any, election: Any, code: str, *, public: bool = False) -> dict[str, Any]:
    """TPS of the region by Bawaslu category, the share rawan (rawan + sangat rawan of those
    assessed), and how many are not assessed yet."""
    rows = current_assessments(user, election, code, public=public)
    counts = dict(rows.values_list("category").annotate(n=Count("id")).order_by())
    return _with_share(counts, tps_totals(election, [code]).get(code, 0))


def counts_by_child(user: Any, election: Any, code: str) -> dict[str, dict[str, Any]]:
    """The same per region one level down (kecamatan of a kabupaten, desa of a kecamatan)."""
    n = child_length(code)
    rows = (
        current_assessments(user, election, code)
        .annotate(child=Substr("village_id", 1, n))
        .values_list("child", "category")
        .annotate(k=Count("id"))
        .order_by()
    )
    by: dict[str, dict[str, int]] = defaultdict(dict)
    for child, category, k in rows:
        by[child][category] = k
    from regions.models import Region

    children = list(Region.objects.filter(parent_id=code or None).values_list("code", flat=True))
    totals = tps_totals(election, children)
    return {c: _with_share(by.get(c, {}), totals.get(c, 0)) for c in children if c in by or totals.get(c)}


def top_indicators(user: Any, election: Any, code: str, limit: int = 5) -> list[dict[str, Any]]:
    """The indicators found at most TPS of the region (current assessments)."""
    through = Assessment.indicators.through
    ids = current_assessments(user, election, code).values("pk")
    rows = (
        through.objects.filter(assessment_id__in=ids)
        .values("indicator_id")
        .annotate(n=Count("id"))
        .order_by("-n", "indicator_id")[:limit]
    )
    found = {
        i.pk: i for i in Indicator.objects.filter(pk__in=[r["indicator_id"] for r in rows]).select_related("variable")
    }
    return [{"indicator": found[r["indicator_id"]], "tps": r["n"]} for r in rows]


def explanation(assessment: Assessment, scheme: Any) -> dict[str, Any]:
    """Why a TPS is in its category: the indicators found, by variable, with their weights, and the
    thresholds the score was read against."""
    found = sorted(assessment.indicators.select_related("variable"), key=lambda i: (i.variable.number, i.code))
    by_variable: dict[Any, list[Any]] = defaultdict(list)
    for i in found:
        by_variable[i.variable].append(i)
    return {
        "variables": [
            {"variable": v, "indicators": items, "weight": sum(i.weight for i in items if i.active)}
            for v, items in by_variable.items()
        ],
        "score": assessment.score,
        "category": assessment.category,
        "special": assessment.category == Category.KHUSUS,
        "rawan_from": scheme.rawan_from,
        "sangat_rawan_from": scheme.sangat_rawan_from,
    }


def latest_ikp(user: Any, election: Any, code: str) -> list[RegionalIndex]:
    """The latest published IKP of the region and of the regions above it (a kabupaten's reader
    sees its province's too)."""
    codes = [*scoping.ancestor_codes(code), code] if code else []
    rows = (
        RegionalIndex.objects.restrict(user)
        .filter(election=election, region_id__in=codes)
        .select_related("region", "source")
        .order_by("region_id", "-published_on", "-id")
    )
    seen: dict[str, RegionalIndex] = {}
    for r in rows:
        seen.setdefault(str(r.region_id), r)
    return list(seen.values())


# --- the guard -----------------------------------------------------------------------------------


def responsible_polres(code: str) -> Any:
    """The Polres whose jurisdiction covers a region: the Polri agency with the most specific
    area code containing it (Muara Badak: Polres Bontang, by jurisdiction, not Polres Kukar)."""
    from agencies.models import Agency

    best, depth = None, -1
    for agency in Agency.objects.filter(kind=scoping.POLRI).select_related("region"):
        for area in agency.area_codes:
            if scoping.in_subtree(code, area) and len(area) > depth and agency.region.level >= 2:
                best, depth = agency, len(area)
    return best


def polres_by_kecamatan(codes: list[str]) -> dict[str, Any]:
    from agencies.models import Agency

    polres = [a for a in Agency.objects.filter(kind=scoping.POLRI).select_related("region") if a.region.level >= 2]
    out = {}
    for code in codes:
        best, depth = None, -1
        for agency in polres:
            for area in agency.area_codes:
                if scoping.in_subtree(code, area) and len(area) > depth:
                    best, depth = agency, len(area)
        out[code] = best
    return out


def patterns_for(election: Any) -> dict[tuple[int | None, str], tuple[int, int, int, Any]]:
    """(polres id or None, category) → (polri, tps, linmas, source); the built-in default last."""
    out: dict[tuple[int | None, str], tuple[int, int, int, Any]] = {
        (None, c): (*p, None) for c, p in DEFAULT_PATTERNS.items()
    }
    for p in Pattern.objects.filter(election=election).select_related("source"):
        out[(p.agency_id, p.category)] = (p.polri, p.tps, p.linmas, p.source)
    return out


def need(count: int, pattern: tuple[int, int, int, Any]) -> tuple[int, int]:
    """Officers and Linmas for ``count`` TPS of one category in one kecamatan. The officers of a
    pattern guard its TPS as one team, so a part group takes a whole team (2-4-8: five TPS need
    two teams, four officers); the Linmas stand at each TPS (eight for four: two per TPS, ten for five)."""
    polri, per, linmas = pattern[:3]
    return math.ceil(count / per) * polri, math.ceil(count * linmas / per)


def _polres_totals(agency: Any) -> dict[str, Any]:
    zero = ("tps", "need_polri", "need_linmas", "polri", "linmas", "tni", "reserve", "urc_platoons")
    return {"polres": agency, **dict.fromkeys(zero, 0)}


def deployment(user: Any, election: Any, code: str) -> dict[str, Any]:
    """Per kecamatan in the region: TPS by Polri's category, the personnel the Polres's patterns
    need, the pool of its Polsek and the gap; and per Polres the totals with its headquarters."""
    from regions.models import Region

    kec_len = 8
    guards = (
        _in(TpsGuard.objects.restrict(user).filter(election=election), "village", code)
        .annotate(kec=Substr("village_id", 1, kec_len))
        .values_list("kec", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_kec: dict[str, Counter[str]] = defaultdict(Counter)
    for kec, category, n in guards:
        by_kec[kec][category] += n
    # the kecamatan of the region, or the one a desa lies in
    kecamatan = {r.code: r for r in _in(Region.objects.filter(level=3), "code", code[:kec_len])}
    tps_all = tps_totals(election, list(kecamatan))
    pools = _in(ForcePool.objects.restrict(user).filter(election=election), "region", code).select_related(
        "agency", "source"
    )
    pool_kec: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(("polri", "tni", "linmas"), 0))
    units: dict[str, list[str]] = defaultdict(list)
    hq: list[ForcePool] = []
    for p in pools:
        if p.region.level == 3:
            k = pool_kec[str(p.region_id)]
            k["polri"] += p.polri
            k["tni"] += p.tni
            k["linmas"] += p.linmas
            units[str(p.region_id)].append(p.unit)
        else:
            hq.append(p)
    patterns = patterns_for(election)
    polres = polres_by_kecamatan(list(kecamatan))
    rows = []
    for kec_code in sorted(set(by_kec) | set(pool_kec) | {c for c, t in tps_all.items() if t}):
        if kec_code not in kecamatan:
            continue
        agency = polres.get(kec_code)
        counts = by_kec.get(kec_code, Counter())
        need_polri = need_linmas = 0
        for category, n in counts.items():
            p = patterns.get((agency.pk if agency else None, category)) or patterns[(None, category)]
            a, b = need(n, p)
            need_polri += a
            need_linmas += b
        pool = pool_kec.get(kec_code, dict.fromkeys(("polri", "tni", "linmas"), 0))
        categorised = sum(counts.values())
        rows.append(
            {
                "region": kecamatan[kec_code],
                "polres": agency,
                "units": units.get(kec_code, []),
                "tps": tps_all.get(kec_code, 0),
                "categorised": categorised,
                "by_category": {c: counts.get(c, 0) for c in CATEGORIES},
                "need_polri": need_polri,
                "need_linmas": need_linmas,
                "polri": pool["polri"],
                "tni": pool["tni"],
                "linmas": pool["linmas"],
                # a gap only where the pool is recorded: an unrecorded pool is not an empty one
                "gap_polri": max(need_polri - pool["polri"], 0) if kec_code in units else 0,
                "gap_linmas": max(need_linmas - pool["linmas"], 0) if kec_code in units else 0,
            }
        )
    per_polres: dict[Any, dict[str, Any]] = {}
    for r in rows:
        key = r["polres"]
        t = per_polres.setdefault(key, _polres_totals(key))
        for f in ("tps", "need_polri", "need_linmas", "polri", "linmas", "tni"):
            t[f] += r[f]
    for p in hq:
        t = per_polres.setdefault(p.agency, _polres_totals(p.agency))
        t["reserve"] += p.polri
        t["tni"] += p.tni
        t["urc_platoons"] += p.urc_platoons
    for t in per_polres.values():
        recorded = t["polri"] or t["reserve"] or t["linmas"]
        t["gap_polri"] = max(t["need_polri"] - t["polri"] - t["reserve"], 0) if recorded else None
        t["gap_linmas"] = max(t["need_linmas"] - t["linmas"], 0) if recorded else None
    sources = {p.source for p in pools if p.source is not None}
    guard_sources = _in(
        TpsGuard.objects.restrict(user).filter(election=election, source__isnull=False), "village", code
    )
    from core.models import Source

    sources |= set(Source.objects.filter(pk__in=guard_sources.values("source_id").distinct()[:5]))
    return {
        "rows": rows,
        "polres": [t for t in per_polres.values() if t["polres"] is not None],
        "short": [r for r in rows if r["gap_polri"] or r["gap_linmas"]],
        "uncategorised": sum(max(r["tps"] - r["categorised"], 0) for r in rows),
        "sources": sources,
    }


# --- the day's situation -------------------------------------------------------------------------


def situation_today(user: Any, election: Any, code: str, day: dt.date | None = None) -> list[SituationStatus]:
    """The latest status of the day per kecamatan in the region (those not set today are absent)."""
    day = day or dates.today()
    rows = _in(SituationStatus.objects.restrict(user).filter(election=election, day=day), "region", code)
    latest: dict[str, SituationStatus] = {}
    for r in rows.select_related("region").order_by("region_id", "-set_at", "-id"):
        latest.setdefault(str(r.region_id), r)
    urgency = {str(Situation.SIAGA): 0, str(Situation.WASPADA): 1}
    return sorted(latest.values(), key=lambda r: (urgency.get(r.level, 2), r.region_id))


# --- incidents -----------------------------------------------------------------------------------


def incidents(user: Any, election: Any, code: str, filters: dict[str, str] | None = None) -> Any:
    """Incidents of the region the reader may see (the demo's replay writes only those reported by
    its moment)."""
    qs = _in(Incident.objects.restrict(user).filter(election=election), "region", code)
    for field in ("kind", "severity", "status"):
        if value := (filters or {}).get(field):
            qs = qs.filter(**{field: value})
    if place := (filters or {}).get("region"):
        qs = qs.filter(scoping.subtree_q("region", place))
    return qs.select_related("region", "tps", "agency")


def open_incidents(user: Any, election: Any, code: str) -> Any:
    return incidents(user, election, code).exclude(status=IncidentStatus.CLOSED)


def recent_incidents(user: Any, election: Any, code: str, days: int = 7) -> Any:
    since = dates.now(election.timezone) - dt.timedelta(days=days)
    return incidents(user, election, code).filter(occurred_at__gte=since)


def incident_counts(user: Any, election: Any, code: str) -> dict[str, Any]:
    qs = incidents(user, election, code)
    return {
        "by_status": dict(qs.values_list("status").annotate(n=Count("id")).order_by()),
        "by_kind": dict(qs.values_list("kind").annotate(n=Count("id")).order_by()),
        "open": qs.exclude(status=IncidentStatus.CLOSED).count(),
        "high_open": qs.exclude(status=IncidentStatus.CLOSED).filter(severity="high").count(),
    }


def guard_of(user: Any, tps: Any) -> TpsGuard | None:
    return TpsGuard.objects.restrict(user).filter(tps=tps).first()


def assessment_history(user: Any, tps: Any) -> list[Assessment]:
    return list(
        Assessment.objects.restrict(user).filter(tps=tps).prefetch_related("indicators").order_by("-observed_on", "-id")
    )


def status(user: Any, election: Any, code: str) -> dict[str, Any]:
    """The figures of the security section, as plain data: for the API and ``security_status``."""
    narrowed = not scoping.can(user, "security", scoping.VIEW, code)
    counts = category_counts(user, election, code)
    if narrowed:
        counts["tps"] = counts["not_assessed"] = None
    dep = deployment(user, election, code) if scoping.can(user, "security_deployment", scoping.VIEW) else None
    now = dates.now(election.timezone)
    recent = recent_incidents(user, election, code)

    def polres_row(t: dict[str, Any]) -> dict[str, Any]:
        keys = ("tps", "need_polri", "polri", "reserve", "urc_platoons", "need_linmas", "linmas", "tni")
        return {
            "polres": t["polres"].name,
            **{k: t[k] for k in keys},
            "gap_polri": t["gap_polri"],
            "gap_linmas": t["gap_linmas"],
        }

    def kec_row(r: dict[str, Any]) -> dict[str, Any]:
        keys = ("tps", "categorised", "need_polri", "polri", "need_linmas", "linmas", "gap_polri", "gap_linmas")
        return {
            "code": r["region"].code,
            "name": r["region"].name,
            "polres": r["polres"].name if r["polres"] else None,
            "pool_recorded": bool(r["units"]),
            "by_category": r["by_category"],
            **{k: r[k] for k in keys},
        }

    return {
        "region_code": code,
        "as_of": now.isoformat(),
        "narrowed": narrowed,
        "ikp": [
            {
                "region_code": str(i.region_id),
                "region": i.region.name,
                "score": float(i.score),
                "band": i.band,
                "published_on": i.published_on.isoformat(),
                "source": i.source.as_dict(),
            }
            for i in latest_ikp(user, election, code)
        ],
        "tps_by_category": counts,
        "deployment": None
        if dep is None
        else {"per_polres": [polres_row(t) for t in dep["polres"]], "per_kecamatan": [kec_row(r) for r in dep["rows"]]},
        "open_incidents": open_incidents(user, election, code).count(),
        "incidents_last_7_days": recent.count(),
        "not_aman": [
            {"code": str(s.region_id), "name": s.region.name, "level": s.level, "note": s.note}
            for s in situation_today(user, election, code)
            if s.level != Situation.AMAN
        ],
    }
