"""What the security app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import dates, formats, scoping
from core.registry import DemoLoader, NavEntry, Tile, registry
from security import selectors
from security.models import Situation

LIST_LIMIT = 10


def badge_of(sources: set[Any]) -> Any:
    """Figures that count the demo's records say so (their source); users' own entries carry none."""
    from core.provenance import badge

    found = sorted((s for s in sources if s is not None), key=lambda s: s.status != "illustrative")
    return badge([], registry_source=found[0]) if found else None


def _assessment_sources(user: Any, election: Any, code: str) -> set[Any]:
    from core.models import Source

    ids = (
        selectors.current_assessments(user, election, code)
        .filter(source__isnull=False)
        .values_list("source_id", flat=True)
        .distinct()[:5]
    )
    return set(Source.objects.filter(pk__in=list(ids)))


def figures(request: Any, election: Any, code: str) -> dict[str, Any] | None:
    """What the home tile and the report section share: TPS by category, the IKP, the guard's
    gaps, the incidents and the kecamatan not "aman" today, in the reader's view of ``code``."""
    user = request.user
    if election is None or not scoping.can(user, "security", scoping.VIEW):
        return None
    # a reader who sees only part of the region gets their part, said so (never as the region's total)
    narrowed = not scoping.can(user, "security", scoping.VIEW, code)
    counts = selectors.category_counts(user, election, code)
    if narrowed:
        counts["tps"] = counts["not_assessed"] = None
    situation = selectors.situation_today(user, election, code)
    deployment = (
        selectors.deployment(user, election, code) if scoping.can(user, "security_deployment", scoping.VIEW) else None
    )
    recent = selectors.recent_incidents(user, election, code)
    return {
        "code": code,
        "counts": counts,
        "narrowed": narrowed,
        "ikp": selectors.latest_ikp(user, election, code),
        "top": selectors.top_indicators(user, election, code, limit=3),
        "situation": situation,
        "not_aman": [s for s in situation if s.level != Situation.AMAN],
        "aman": sum(1 for s in situation if s.level == Situation.AMAN),
        "deployment": deployment,
        "recent": list(recent[:LIST_LIMIT]),
        "recent_total": recent.count(),
        "open": selectors.open_incidents(user, election, code).count(),
        "badge": badge_of(_assessment_sources(user, election, code)),
        "as_of": dates.now(election.timezone),
        "tz": election.timezone,
    }


def home_tile(request: Any, election: Any, region_code: str) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    return figures(request, election, region_code)


def report_section(request: Any, election: Any, region: Any) -> dict[str, Any] | None:
    if region is None:
        return None
    data = figures(request, election, region.code)
    if data is None:
        return None
    decide = [
        {
            "text": _("%(kec)s is “%(level)s” today: %(note)s")
            % {"kec": s.region.name, "level": s.get_level_display(), "note": s.note or "-"},
            "url": reverse("security:region", args=[s.region_id]),
        }
        for s in data["not_aman"]
        if s.level == Situation.SIAGA
    ]
    if data["deployment"]:
        for r in data["deployment"]["short"][:LIST_LIMIT]:
            decide.append(
                {
                    "text": _("%(kec)s lacks %(polri)s officers and %(linmas)s Linmas for its TPS")
                    % {
                        "kec": r["region"].name,
                        "polri": formats.number(r["gap_polri"]),
                        "linmas": formats.number(r["gap_linmas"]),
                    },
                    "url": reverse("security:deployment", args=[region.code]),
                }
            )
    data["decide"] = decide
    return data


def load_demo(ctx: dict[str, Any]) -> Any:
    from security import demo

    return demo.load(ctx)


def replay_demo(ctx: dict[str, Any], moment: Any) -> Any:
    from security import demo

    return demo.replay(ctx, moment)


registry.nav.append(NavEntry(_lazy("Security"), "security:region", "security", order=45, region_arg=True))
registry.home_tiles.append(Tile("security.overview", "security/_home.html", home_tile, order=45))
registry.report_sections.append(Tile("security", "security/_report.html", report_section, order=45))
registry.demo_loaders.append(DemoLoader("security", load_demo, order=50, replay=replay_demo))
registry.permission_cases.append("security.tests.permission_cases")
