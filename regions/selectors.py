"""Read-side queries for regions and TPS: subtree totals and per-child breakdowns."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext as _

from core.models import Source, SourceStatus
from core.provenance import Badge, badge
from core.scoping import subtree_q
from elections.selectors import reference_figures
from regions.models import PollingStation, Region

# Length of a region code at each level: "64", "64.02", "64.02.07", "64.02.07.2001".
CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}


def region_by_code(code: str | None, *, required: bool = True, field: str | None = None) -> Region | None:
    """The region with this Kemendagri code, for a form or an API payload.

    A missing code (when required) or an unknown one is a ValidationError naming the code, on
    ``field`` when given (API payloads) or on the form field being cleaned.
    """
    code = (code or "").strip()
    message = None
    region = Region.objects.filter(code=code).first() if code else None
    if not code and required:
        message = _("Give a region code, e.g. 64.01 for Kabupaten Paser.")
    elif code and region is None:
        message = _("“%(code)s” is not a known region code.") % {"code": code}
    if message:
        raise ValidationError({field: [message]} if field else message)
    return region


def tps_in(queryset: QuerySet[PollingStation], region: Region | None) -> QuerySet[PollingStation]:
    if region is None:
        return queryset
    return queryset.filter(subtree_q("village", region.code))


def totals(queryset: QuerySet[PollingStation]) -> dict[str, int]:
    agg = queryset.aggregate(
        tps=Count("id"),
        dpt_male=Coalesce(Sum("dpt_male"), 0),
        dpt_female=Coalesce(Sum("dpt_female"), 0),
    )
    agg["dpt"] = agg["dpt_male"] + agg["dpt_female"]
    return agg


def totals_by_child(queryset: QuerySet[PollingStation], region: Region | None) -> dict[str, dict[str, int]]:
    """{child code: {tps, dpt_male, dpt_female, dpt}} for the children of ``region`` (or provinces)."""
    child_level = (region.level + 1) if region else 1
    if child_level > 4:
        return {}
    n = CODE_LENGTH[child_level]
    rows = (
        tps_in(queryset, region)
        .annotate(child=Substr("village_id", 1, n))
        .values("child")
        .annotate(tps=Count("id"), dpt_male=Sum("dpt_male"), dpt_female=Sum("dpt_female"))
        .order_by()
    )
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        out[r["child"]] = {
            "tps": r["tps"],
            "dpt_male": r["dpt_male"] or 0,
            "dpt_female": r["dpt_female"] or 0,
            "dpt": (r["dpt_male"] or 0) + (r["dpt_female"] or 0),
        }
    return out


def ancestors(region: Region) -> list[Region]:
    codes = []
    parts = region.code.split(".")
    for i in range(1, len(parts)):
        codes.append(".".join(parts[:i]))
    by_code = Region.objects.in_bulk(codes)
    return [by_code[c] for c in codes if c in by_code]


def illustrative_sources(election: Any, code: str, child_length: int | None = None) -> dict[str, Source]:
    """Which of ``code`` (and, given ``child_length``, of its children) hold illustrative TPS rows.

    {code: source}. One index range over (election, source, village): a registry with no
    illustrative rows answers at once, whatever its size.
    """
    sources = {s.pk: s for s in Source.objects.filter(status=SourceStatus.ILLUSTRATIVE)}
    if election is None or not sources:
        return {}
    qs = PollingStation.objects.filter(election=election, source_id__in=list(sources)).order_by()
    if code:
        qs = qs.filter(subtree_q("village", code))
    out: dict[str, Source] = {}
    first = qs.values_list("source_id", flat=True).first()
    if first is None:
        return out
    out[code] = sources[first]
    if child_length is not None:
        pairs = qs.annotate(child=Substr("village_id", 1, child_length)).values_list("child", "source_id").distinct()
        for child, source_id in pairs:
            out.setdefault(child, sources[source_id])
    return out


FIGURES = ("tps", "dpt", "dpt_male", "dpt_female")


def figure_badges(
    election: Any, code: str, totals: dict[str, int], children: dict[str, dict[str, int]]
) -> tuple[dict[str, Badge | None], dict[str, dict[str, Badge | None]]]:
    """The provenance badge of each public figure of region ``code`` and of its children."""
    level = 0 if code == "" else code.count(".") + 1
    refs = reference_figures(election, [code, *children])
    ill = illustrative_sources(election, code, CODE_LENGTH.get(level + 1) if children else None)

    def of(c: str, t: dict[str, int]) -> dict[str, Badge | None]:
        return {f: badge(refs.get((c, f), []), t.get(f), ill.get(c)) for f in FIGURES}

    return of(code, totals), {c: of(c, t) for c, t in children.items()}
