"""Reading violations: the cases a user may see, their deadlines, the ASN list and the statistics.

Statistics are counts only (never a name, never a reporter) of a region's whole election, the
same for every reader and for the public, as of the desk's today: a case received after today
does not exist yet.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _

from core import dates, scoping
from violations import deadlines
from violations.actions import holidays_for, rules_for
from violations.models import (
    FINISHED,
    Case,
    PartyKind,
    Referral,
    Status,
    ViolationCategory,
)

NEAR_DAYS = 1  # due today or on the next (working) day
DUE_LIMIT = 50  # cases listed per kind; the totals are counted
KEC_CODE_LEN = len("64.02.07")


def may_read(user: Any) -> bool:
    """Does the user read any case (Bawaslu, the Desk and others; or a Gakkumdu partner)?"""
    return scoping.can(user, "violations", scoping.VIEW) or scoping.can(user, "violations_gakkumdu", scoping.VIEW)


def require_reader(user: Any) -> None:
    """A 404 (not a 403: the pages' existence is not revealed) for a user who reads no case."""
    if not may_read(user):
        raise Http404(_("Not found."))


def narrowed(user: Any, code: str) -> bool:
    """Does the user read only part of the cases of ``code`` (a Panwascam or camat below it, a
    Gakkumdu partner)? Their deadline lists then say so: never the region's whole list."""
    return not scoping.can(user, "violations", scoping.VIEW, code)


def region_for(user: Any, code: str) -> Any:
    """The region ``code`` if the user may read violations in or above it (404 otherwise)."""
    from regions.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("Not found."))
    scopes = scoping.grants(user, "violations", scoping.VIEW) + scoping.grants(
        user, "violations_gakkumdu", scoping.VIEW
    )
    if not any(s is None or scoping.in_subtree(code, s) or scoping.in_subtree(s, code) for s in scopes):
        raise Http404(_("Not found."))
    return region


def visible(user: Any, election: Any, code: str = "") -> Any:
    """The cases of ``election`` the user may read, inside ``code`` if given, as of today."""
    qs = Case.objects.restrict(user).filter(election=election, received_on__lte=dates.today())
    if code:
        qs = qs.filter(scoping.subtree_q("region", code))
    return qs


def filtered(user: Any, election: Any, code: str, chosen: dict[str, Any]) -> Any:
    """The case list: by status ("open" for all open ones), category, party kind, origin, and a
    search over the number, the allegation and the reported party -- never the reporter."""
    qs = visible(user, election, code).select_related("region", "tps", "source")
    status = chosen.get("status")
    if status == "open":
        qs = qs.exclude(status__in=FINISHED)
    elif status == "overdue":
        qs = qs.exclude(status__in=FINISHED).filter(deadline__lt=dates.today())
    elif status:
        qs = qs.filter(status=status)
    for f in ("category", "party_kind", "origin"):
        if chosen.get(f):
            qs = qs.filter(**{f: chosen[f]})
    if q := (chosen.get("q") or "").strip():
        term = Q(summary__icontains=q) | Q(party_name__icontains=q) | Q(party_unit__icontains=q)
        if q.lstrip("#").isdigit():
            term |= Q(number=int(q.lstrip("#")))
        qs = qs.filter(term)
    return qs


@dataclass
class Due:
    case: Case
    days_left: int
    working_days: bool

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def due(user: Any, election: Any, code: str = "", limit: int | None = None) -> dict[str, Any]:
    """Open cases past their deadline ("overdue") and those due today or the next (working) day
    ("near"), the first ``limit`` of each by deadline, with how many there are in all.

    Any deadline before today is missed (a Friday deadline seen on Saturday too), so the overdue
    are one indexed query, counted and cut in SQL however many a nation has; the near are the few
    up to the next working day."""
    limit = DUE_LIMIT if limit is None else limit
    today = dates.today()
    rules, holidays = rules_for(election), holidays_for(election)
    open_cases = visible(user, election, code).exclude(status__in=FINISHED).filter(deadline__isnull=False)
    counted: dict[tuple[dt.date, bool], int] = {}  # cases share a few hundred deadlines

    def listed(case: Case) -> Due:
        working = rules[case.deadline_rule].working_days
        assert case.deadline is not None  # the query keeps only cases with one
        key = (case.deadline, working)
        if key not in counted:
            counted[key] = deadlines.days_left(case.deadline, today, working, holidays)
        return Due(case, counted[key], working)

    late = open_cases.filter(deadline__lt=today).order_by("deadline", "number")
    # a near deadline is at most NEAR_DAYS working days away (a long holiday may make that weeks)
    horizon = max(today + dt.timedelta(days=NEAR_DAYS), deadlines.add_days(today, NEAR_DAYS, True, holidays))
    soon = open_cases.filter(deadline__gte=today, deadline__lte=horizon).select_related("region")
    near = [d for d in map(listed, soon.order_by("deadline", "number")) if d.days_left <= NEAR_DAYS]
    return {
        "overdue": [listed(c) for c in late.select_related("region")[:limit]],
        "overdue_total": late.count(),
        "near": near[:limit],
        "near_total": len(near),
    }


def calendar(election: Any) -> tuple[dict[str, deadlines.RuleDays], set[dt.date]]:
    """The election's deadline rules and holidays: read once for a list of cases."""
    return rules_for(election), holidays_for(election)


def days_left(case: Case, cal: tuple[dict[str, deadlines.RuleDays], set[dt.date]] | None = None) -> int | None:
    """Days (working days under a working-day rule) to an open case's deadline; None when none runs."""
    if case.deadline is None or not case.is_open:
        return None
    rules, holidays = cal or calendar(case.election)
    return deadlines.days_left(case.deadline, dates.today(), rules[case.deadline_rule].working_days, holidays)


def asn_cases(user: Any, election: Any, code: str = "") -> Any:
    """Cases against civil servants, for the Pemda: name, unit, status, referral, sanction."""
    return (
        visible(user, election, code)
        .filter(party_kind=PartyKind.ASN)
        .select_related("region", "source")
        .order_by("-received_on", "-number")
    )


def bars(rows: list[tuple[Any, Any, int]]) -> list[dict[str, Any]]:
    """Rows of a bar chart: each count with its length as a percentage of the largest."""
    top = max((n for _k, _l, n in rows), default=0)
    return [{"key": k, "label": label, "n": n, "pct": round(100 * n / top) if top else 0} for k, label, n in rows]


def statistics(election: Any, code: str) -> dict[str, Any]:
    """The counts of a region's cases of ``election``, as of today: by status, category,
    reported-party kind, kecamatan and week received. Aggregates only; the same for everyone."""
    today = dates.today()
    qs = Case.objects.filter(election=election, received_on__lte=today).filter(scoping.subtree_q("region", code))

    def by(field: str, choices: Any) -> list[dict[str, Any]]:
        counts = dict(qs.values_list(field).annotate(n=Count("id")).values_list(field, "n"))
        return bars([(value, str(label), counts.get(value, 0)) for value, label in choices])

    from regions.models import Region

    per_kec = Counter(
        dict(
            qs.annotate(kec=Substr("region_id", 1, KEC_CODE_LEN))
            .values_list("kec")
            .annotate(n=Count("id"))
            .values_list("kec", "n")
        )
    )
    names = dict(Region.objects.filter(code__in=list(per_kec)).values_list("code", "name"))
    weeks: Counter[dt.date] = Counter()
    for received, n in qs.values_list("received_on").annotate(n=Count("id")).values_list("received_on", "n"):
        weeks[received - dt.timedelta(days=received.weekday())] += n
    asn = Q(party_kind=PartyKind.ASN)
    counts = qs.aggregate(
        gakkumdu=Count("id", filter=Q(referred_to=Referral.GAKKUMDU)),
        asn=Count("id", filter=asn),
        asn_referred=Count("id", filter=asn & Q(referred_to__in=(Referral.BKN, Referral.KASN))),
        asn_sanctioned=Count("id", filter=asn & ~Q(sanction="")),
        illustrative=Count("id", filter=Q(source__status="illustrative")),
    )
    by_status = by("status", Status.choices)
    return {
        "total": sum(per_kec.values()),
        "open": sum(r["n"] for r in by_status if r["key"] not in FINISHED),
        "by_status": by_status,
        "by_category": by("category", ViolationCategory.choices),
        "by_party": by("party_kind", PartyKind.choices),
        "by_origin": by("origin", [("laporan", _("Laporan")), ("temuan", _("Temuan"))]),
        "by_kecamatan": bars(
            sorted(((k, names.get(k, k), n) for k, n in per_kec.items()), key=lambda r: (-r[2], r[1]))
        ),
        "by_week": bars([(week, week, n) for week, n in sorted(weeks.items())]),
        "referred_gakkumdu": counts["gakkumdu"],
        "asn": {"cases": counts["asn"], "referred": counts["asn_referred"], "sanctioned": counts["asn_sanctioned"]},
        "illustrative": bool(counts["illustrative"]),
        "as_of": today,
    }


def status_figures(user: Any, election: Any, code: str) -> dict[str, Any]:
    """What ``violations_status`` and the report section print: counts by status, category and
    party kind, and the cases near or past their deadline (numbers and allegations, no reporter)."""
    stats = statistics(election, code)
    late = due(user, election, code)
    return {
        "region": code,
        "election": election.name,
        "as_of": stats["as_of"].isoformat(),
        "total": stats["total"],
        "open": stats["open"],
        "by_status": {r["key"]: r["n"] for r in stats["by_status"] if r["n"]},
        "by_category": {r["key"]: r["n"] for r in stats["by_category"] if r["n"]},
        "by_party_kind": {r["key"]: r["n"] for r in stats["by_party"] if r["n"]},
        "asn": stats["asn"],
        "near_deadline": [_due_row(d) for d in late["near"]],
        "near_deadline_total": late["near_total"],
        "overdue": [_due_row(d) for d in late["overdue"]],
        "overdue_total": late["overdue_total"],
    }


def _due_row(d: Due) -> dict[str, Any]:
    return {
        "number": d.case.number,
        "summary": d.case.summary,
        "status": d.case.status,
        "deadline": d.case.deadline.isoformat() if d.case.deadline else None,
        "days_left": d.days_left,
        "working_days": d.working_days,
    }
