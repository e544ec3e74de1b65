"""The situation report (Laporan Situasi Desk Pilkada) for an election, a region and the desk's now.

Countdown and current stage, then every section a capability registered in
``core.registry.report_sections`` (meetings contributes readiness and actions; logistics its
progress), and at the top "what needs a decision today", gathered from the sections' ``decide``
lists. ``render`` returns the sections' HTML too, which is what a snapshot keeps.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core import dates, formats, scoping
from core.views import tiles
from regions.models import Region


def region_for(user: Any, code: str) -> Region:
    """The region of a report: one inside the user's area, else 404 with the reason (a report is
    never narrowed by the reader's scope, so a region partly outside it has none)."""
    region = Region.objects.filter(code=code).first()
    if region is None or not scoping.can(user, "meetings", scoping.VIEW, code):
        raise Http404(_("The region %(code)s is outside your area: no report for it.") % {"code": code})
    return region


def build(request: HttpRequest, election: Any, region: Any) -> dict[str, Any]:
    at = dates.now(election.timezone)
    sections = tiles("report_sections", request, election, region)
    decide = [d for s in sections for d in s["data"].get("decide", [])]
    stage = election.current_stage()
    return {
        "election": election,
        "region": region,
        "at": at,
        "days": election.days_to_go(),
        "stage": stage,
        "sections": sections,
        "decide": decide,
    }


def rendered(request: HttpRequest, report: dict[str, Any]) -> dict[str, Any]:
    """What the page showed, as JSON: the figures of the header and each section as rendered."""
    stage = report["stage"]
    return {
        "election": {"id": report["election"].pk, "name": report["election"].name},
        "region": {"code": report["region"].code, "name": report["region"].name},
        "at": report["at"].isoformat(),
        "at_text": formats.moment(report["at"], report["election"]),
        "days_to_go": report["days"],
        "stage": None
        if stage is None
        else {"name": stage.name, "start": stage.start.isoformat(), "end": stage.end.isoformat()},
        "decide": [{"text": str(d["text"]), "url": d.get("url", "")} for d in report["decide"]],
        "sections": [
            {"name": s["name"], "html": render_to_string(s["template"], {"tile": s["data"]}, request)}
            for s in report["sections"]
        ],
    }
