"""M: the situation report (Laporan Situasi Desk Pilkada) for Kaltim at national volume.

The report page and its PDF for province 64, as the Desk reads them (through Django's test client,
whole request: middleware, sections, templates, ReportLab), each the best of three, next to
``/healthz`` (hello world) through the same client in the same run. Target: each under 5 s.
H: each home card's data for Kaltim, target < 100 ms each.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bench.logistics import best

PROVINCE = "64"
TARGET_S = 5.0
TILE_TARGET_S = 0.1


def bench_report(election: Any, say: Callable[[str], None]) -> tuple[list[dict[str, Any]], list[str]]:
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    user, _created = get_user_model().objects.get_or_create(username="bench-desk", defaults={"is_superuser": True})
    client = Client()
    client.force_login(user)

    def get(path: str) -> None:
        response = client.get(path, secure=True)  # as behind the TLS proxy: no redirect to https
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")

    base = f"/meetings/report/{PROVINCE}/?election={election.pk}"
    with override_settings(ALLOWED_HOSTS=["*"], REQUIRE_2FA_FOR_WRITERS=False):
        html = best(lambda: get(base), 3)
        pdf = best(lambda: get(base + "&format=pdf"), 3)
        hello = best(lambda: get("/healthz"), 3)
    notes = []
    for label, seconds in (("HTML", html), ("PDF", pdf)):
        verdict = "ok" if seconds < TARGET_S else "MISSED"
        line = (
            f"M  situation report Kaltim, {label}: {seconds * 1000:,.0f} ms (/healthz {hello * 1000:,.1f} ms); "
            f"target < {TARGET_S:.0f} s {verdict}"
        )
        say(line)
        notes.append(line)
    figures = [
        {"name": "M  situation report Kaltim, HTML", "rows": 1, "ours_s": [html], "baseline_s": [hello]},
        {"name": "M  situation report Kaltim, PDF", "rows": 1, "ours_s": [pdf], "baseline_s": [hello]},
    ]
    notes += _home_tiles(user, election, hello, say)
    return figures, notes


def _home_tiles(user: Any, election: Any, hello: float, say: Callable[[str], None]) -> list[str]:
    """H: each home card's data for Kaltim (the cards' context functions, as the home page calls
    them), target < 100 ms each."""
    from django.http import HttpRequest

    from core.registry import registry

    request = HttpRequest()
    request.user = user
    notes = []
    for tile in registry.sorted("home_tiles"):
        seconds = best(partial(tile.context, request, election, PROVINCE), 3)
        verdict = "ok" if seconds < TILE_TARGET_S else "MISSED"
        line = (
            f"H  home card {tile.name}, Kaltim: {seconds * 1000:,.1f} ms (/healthz {hello * 1000:,.1f} ms); "
            f"target < {TILE_TARGET_S * 1000:.0f} ms {verdict}"
        )
        say(line)
        notes.append(line)
    return notes
