"""Reading grants: the agreements a user may see and the figures of a region's grant.

Every total (agreed, planned, disbursed, spent, returned, remaining) is an aggregate over the
records, never a stored number, and counts only what existed on the desk's today: an agreement
from its signing, a disbursement from its day, a realisation report from its submission. The
figures of a region are the same for every reader (the public sees the totals); the agreements a
user may open go through ``restrict``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Min, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from budget.models import Agreement, CitedFigure, Line, Realisation, Tranche
from core import dates, scoping
from core.models import Source, SourceStatus

FIGURES = ("agreed", "planned", "disbursed", "spent", "returned")


def may_read(user: Any) -> bool:
    return scoping.can(user, "budget", scoping.VIEW)


def granting_code(code: str) -> str:
    """Grants are given by a province or a kabupaten/kota: a kecamatan or desa reads those of its
    kabupaten/kota (Sebulu 64.02.07 -> Kukar 64.02)."""
    return ".".join(code.split(".")[:2])


def region_for(user: Any, code: str) -> Any:
    """The region ``code`` if the user reads grants in, above or below it (404 otherwise)."""
    from regions.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("Not found."))
    scopes = scoping.grants(user, "budget", scoping.VIEW)
    if not any(s is None or scoping.in_subtree(code, s) or scoping.in_subtree(s, code) for s in scopes):
        raise Http404(_("Not found."))
    return region


def existing(election: Any, code: str, today: dt.date | None = None) -> Any:
    """The agreements of ``election`` granted by ``code`` (or a region below it) signed by today."""
    today = today or dates.today()
    return Agreement.objects.filter(election=election, signed_on__lte=today).filter(scoping.subtree_q("region", code))


def visible(user: Any, election: Any, code: str = "") -> Any:
    """The agreements the user may open, as of today, inside ``code`` if given."""
    qs = Agreement.objects.restrict(user).filter(election=election, signed_on__lte=dates.today())
    if code:
        qs = qs.filter(scoping.subtree_q("region", code))
    return qs


def _sums(agreements: Any, group: str, today: dt.date) -> dict[Any, dict[str, int]]:
    """Each figure per ``group`` ("agency_id" or "id" of the agreement), by aggregates."""
    out: dict[Any, dict[str, int]] = {}

    for name, rows, key, figure in (
        ("agreed", agreements, group, "amount"),
        ("planned", Tranche.objects.filter(agreement__in=agreements), f"agreement__{group}", "planned_amount"),
        (
            "disbursed",
            Tranche.objects.filter(agreement__in=agreements, disbursed_on__lte=today),
            f"agreement__{group}",
            "disbursed_amount",
        ),
        (
            "spent",
            Line.objects.filter(realisation__agreement__in=agreements, realisation__submitted_on__lte=today),
            f"realisation__agreement__{group}",
            "amount",
        ),
        (
            "returned",
            Realisation.objects.filter(agreement__in=agreements, submitted_on__lte=today),
            f"agreement__{group}",
            "returned",
        ),
    ):
        for k, n in rows.values_list(key).annotate(n=Sum(figure)).values_list(key, "n").order_by():
            out.setdefault(k, dict.fromkeys(FIGURES, 0))[name] += int(n or 0)
    for row in out.values():
        derive(row)
    return out


def derive(row: dict[str, int]) -> dict[str, int]:
    """The figures that follow from the others: accounted (spent + returned), still to disburse
    (agreed − disbursed), not yet accounted for (disbursed − accounted)."""
    row["accounted"] = row["spent"] + row["returned"]
    row["to_disburse"] = row["agreed"] - row["disbursed"]
    row["unaccounted"] = row["disbursed"] - row["accounted"]
    return row


def agreement_figures(agreement: Agreement) -> dict[str, int]:
    today = dates.today()
    found = _sums(Agreement.objects.filter(pk=agreement.pk), "id", today).get(agreement.pk)
    return found or derive(dict.fromkeys(FIGURES, 0))


def late_lpj(agreements: Any, today: dt.date) -> list[dict[str, Any]]:
    """Agreements whose LPJ due date has passed with no final report submitted by then: those
    still missing one, and those whose LPJ came in after the due date."""
    rows = (
        agreements.filter(lpj_due__lt=today)
        .annotate(
            final_on=Min(
                "realisations__submitted_on",
                filter=Q(realisations__final=True, realisations__submitted_on__lte=today),
            )
        )
        .select_related("agency", "lpj_source")
        .order_by("lpj_due", "id")
    )
    out = []
    for a in rows:
        if a.final_on is not None and a.final_on <= a.lpj_due:
            continue
        out.append(
            {
                "agreement": a,
                "due": a.lpj_due,
                "final_on": a.final_on,
                "days_late": ((a.final_on or today) - a.lpj_due).days,
                "illustrative": a.lpj_source is not None and a.lpj_source.status == SourceStatus.ILLUSTRATIVE,
            }
        )
    return out


def cited(election: Any, code: str, today: dt.date, agreed_by: Any) -> list[dict[str, Any]]:
    """The figures sources quote, as of today, each beside the recorded one and the difference:
    an agreement's amount, or the sum of the region's agreements signed by the day it was quoted."""
    figures = (
        CitedFigure.objects.filter(election=election, source__as_of__lte=today)
        .filter(scoping.subtree_q("region", code))
        .filter(Q(agreement__isnull=True) | Q(agreement__signed_on__lte=today))
        .select_related("source", "agreement", "agreement__agency", "agreement__source", "region")
        .order_by("source__as_of", "id")
    )
    out = []
    for f in figures:
        if f.agreement is not None:
            recorded, recorded_source = f.agreement.amount, f.agreement.source
        else:
            recorded, recorded_source = agreed_by(str(f.region_id), min(f.source.as_of, today)), None
        out.append(
            {
                "figure": f,
                "label": f.label,
                "amount": f.amount,
                "source": f.source,
                "agreement": f.agreement,
                "region": f.region,
                "recorded": recorded,
                "recorded_source": recorded_source,
                "difference": recorded - f.amount,
            }
        )
    return out


def bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One group per recipient: agreed, disbursed and realised (spent) as percentages of the
    largest agreed figure."""
    top = max((r["agreed"] for r in rows), default=0)

    def pct(n: int) -> float:
        return round(100 * n / top, 1) if top else 0

    return [
        {**r, "pct_agreed": pct(r["agreed"]), "pct_disbursed": pct(r["disbursed"]), "pct_spent": pct(r["spent"])}
        for r in rows
    ]


def figures(election: Any, code: str) -> dict[str, Any]:
    """A region's grant as of today: per recipient and in all, the LPJ that are late, the cited
    figures beside the recorded ones, and the sources of the recorded figures."""
    from agencies.models import Agency

    today = dates.today()
    agreements = existing(election, code, today)
    sums = _sums(agreements, "agency_id", today)
    names = dict(Agency.objects.filter(pk__in=list(sums)).values_list("pk", "name"))
    kinds = dict(Agency.objects.filter(pk__in=list(sums)).values_list("pk", "kind"))
    counts = dict(agreements.values_list("agency_id").annotate(n=Count("id")).values_list("agency_id", "n").order_by())
    rows = sorted(
        (
            {"agency_id": pk, "agency": names.get(pk, ""), "kind": kinds.get(pk, ""), "agreements": counts.get(pk, 0)}
            | row
            for pk, row in sums.items()
        ),
        key=lambda r: (-r["agreed"], r["agency"]),
    )
    totals = derive({f: sum(r[f] for r in rows) for f in FIGURES})

    def agreed_by(region_code: str, day: dt.date) -> int:
        return int(existing(election, region_code, day).aggregate(n=Sum("amount"))["n"] or 0)

    source_ids = set(agreements.exclude(source=None).values_list("source_id", flat=True))
    reports = Realisation.objects.filter(agreement__in=agreements, submitted_on__lte=today)
    source_ids |= set(reports.exclude(source=None).values_list("source_id", flat=True))
    source_ids |= set(
        Tranche.objects.filter(agreement__in=agreements).exclude(source=None).values_list("source_id", flat=True)
    )
    sources = list(Source.objects.filter(pk__in=source_ids).order_by("status", "as_of", "key"))
    return {
        "code": code,
        "as_of": today,
        "rows": bars(rows),
        "totals": totals,
        "late": late_lpj(agreements, today),
        "cited": cited(election, code, today, agreed_by),
        "sources": sources,
        "illustrative": any(s.status == SourceStatus.ILLUSTRATIVE for s in sources),
        "estimated": any(s.status == SourceStatus.ESTIMATED for s in sources),
    }


def for_reader(user: Any, election: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The region's figures with only the agreements ``user`` may open named in its lists (late
    LPJ, cited figures of one agreement): the totals stay the region's, as the public sees them."""
    seen = set(visible(user, election, data["code"]).values_list("pk", flat=True))
    data["late"] = [d for d in data["late"] if d["agreement"].pk in seen]
    data["cited"] = [c for c in data["cited"] if c["agreement"] is None or c["agreement"].pk in seen]
    return data


def _source(s: Source | None) -> dict[str, Any] | None:
    return s.as_dict() if s is not None else None


def status_figures(election: Any, code: str, user: Any = None) -> dict[str, Any]:
    """The report section's figures as plain data: ``GET /api/v1/budget/status/{code}`` (as its
    reader may see them) and ``budget_status --json`` (the whole Desk's view)."""
    data = figures(election, code)
    if user is not None:
        for_reader(user, election, data)
    keys = (*FIGURES, "accounted", "to_disburse", "unaccounted")
    return {
        "region_code": code,
        "election": election.name,
        "as_of": data["as_of"].isoformat(),
        "recipients": [
            {"agency": r["agency"], "kind": r["kind"], "agreements": r["agreements"], **{k: r[k] for k in keys}}
            for r in data["rows"]
        ],
        "totals": {k: data["totals"][k] for k in keys},
        "late_lpj": [
            {
                "agreement_id": d["agreement"].pk,
                "number": d["agreement"].number,
                "agency": d["agreement"].agency.name,
                "lpj_due": d["due"].isoformat(),
                "final_submitted_on": d["final_on"].isoformat() if d["final_on"] else None,
                "days_late": d["days_late"],
                "illustrative": d["illustrative"],
            }
            for d in data["late"]
        ],
        "cited": [
            {
                "label": c["label"],
                "amount": c["amount"],
                "agreement_id": c["agreement"].pk if c["agreement"] else None,
                "recorded": c["recorded"],
                "difference": c["difference"],
                "source": _source(c["source"]),
            }
            for c in data["cited"]
        ],
        "sources": [s.as_dict() for s in data["sources"]],
    }


def public_figures(election: Any, code: str) -> dict[str, Any]:
    """What the public sees: the region's totals only, as of today, with their sources."""
    data = figures(election, code)
    t = data["totals"]
    return {
        "region_code": code,
        "election": election.name,
        "as_of": data["as_of"].isoformat(),
        "agreed": t["agreed"],
        "disbursed": t["disbursed"],
        "realised": t["spent"],
        "returned": t["returned"],
        "sources": [s.as_dict() for s in data["sources"]],
    }
